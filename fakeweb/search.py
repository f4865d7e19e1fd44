"""Fake search engines over the fake web, speaking the real wire formats.

Four backends, served by ``FakeWebServer`` (``server.py``) on made-up hostnames
(reached through the proxy, URLs look normal) **and** as origin-form paths on the
server itself (reached directly, no proxy needed):

- ``searxng``: proxy base ``http://searx.search.test``, direct ``http://127.0.0.1:PORT/searxng``;
  endpoint ``/search`` (GET or POST).
- ``brave``: proxy base ``http://api.search.brave.test``, direct ``http://127.0.0.1:PORT/brave``;
  endpoint ``/res/v1/web/search`` (GET).
- ``google``: proxy base ``http://www.googleapis.test``, direct ``http://127.0.0.1:PORT/google``;
  endpoint ``/customsearch/v1`` (GET).
- ``duckduckgo``: proxy base ``http://html.duckduckgo.test``, direct ``http://127.0.0.1:PORT/duckduckgo``;
  endpoint ``/html/`` (POST; GET works too).

``server.search_base(engine, via="direct"|"proxy")`` gives the base URL (no
trailing slash) and ``server.search_endpoint(engine, via=...)`` the full endpoint
URL. The hostnames end in ``.test`` (RFC 2606: never on the internet). Everything is
plain http: through the proxy, an https URL would need CONNECT, which the fake web
refuses.

Credentials (``SearchService.keys`` to change them): Brave ``X-Subscription-Token:
fake-brave-key``; Google ``key=fake-google-key`` and ``cx=fake-cse-id``. SearXNG and
DuckDuckGo are keyless; ``keys["searxng"] = "user:password"`` puts SearXNG behind HTTP
basic auth (401 without the right ``Authorization`` header, as a proxy in front of it answers).

Wire formats follow ``shared/wire-formats`` and the field notes:

- **SearXNG** ``GET {base}/search?q=&format=json&pageno=N`` (10 results a page):
  ``{"query", "number_of_results": 0, "results": [{"url", "title", "content", "engine",
  "engines", "positions", "score", "category", "template", "parsed_url", ...}],
  "answers", "corrections", "infoboxes", "suggestions", "unresponsive_engines"}``.
  ``number_of_results`` is 0 as real SearXNG usually reports: page until ``results``
  is empty. Any format other than ``json`` -> 403 (HTML page, as Flask aborts); no
  ``q`` -> 400 ``{"error": "No query"}``; bad ``pageno`` -> 400.
- **Brave** ``GET {base}/res/v1/web/search?q=&count=&offset=``: ``count`` 1..20
  (default 20), ``offset`` is a *page index* 0..9 (results skipped = offset*count).
  Results in ``web.results[].url/title/description`` (``description`` carries
  ``<strong>`` highlights); ``query.more_results_available``. With no results the
  ``web`` key is absent, as Brave does. Header ``X-Subscription-Token`` missing ->
  422 ``VALIDATION`` error; wrong -> 422 ``SUBSCRIPTION_TOKEN_INVALID``; count/offset
  out of range -> 422 ``VALIDATION``; every answer carries ``X-RateLimit-Limit/
  Policy/Remaining/Reset``; over the per-second rate or the monthly quota ->
  429 ``RATE_LIMITED`` (``SearchService.brave_rate_limit``/``brave_quota``).
- **Google CSE** ``GET {base}/customsearch/v1?key=&cx=&q=&start=&num=``: ``start``
  1-based, ``num`` 1..10, at most 100 results (``start + num > 101`` -> 400
  ``INVALID_ARGUMENT``). ``items[].link/title/snippet`` (``items`` absent when there
  are none), ``queries.request/nextPage/previousPage``, ``searchInformation.
  totalResults`` (a string). No key -> 403 ``PERMISSION_DENIED``; wrong key -> 400
  ``API_KEY_INVALID``; wrong/missing cx or no q -> 400 ``INVALID_ARGUMENT``.
  ``siteSearch``(+``siteSearchFilter``), ``exactTerms`` and ``excludeTerms`` work.
  ``SearchService.google_quota`` (None: unlimited) -> 429 as google_cse_error_429.json.
- **DuckDuckGo HTML** ``POST {base}/html/`` form ``q`` (page 2+: the hidden fields of
  the "Next" form: ``s`` offset, ``dc``, ``vqd``, ``nextParams``, ``v``, ``o``,
  ``api``). 10 results a page from offset ``s``; ``div#links > div.web-result h2
  a.result__a`` with ``href="//duckduckgo.com/l/?uddg=<quoted url>&rut=..."``,
  ``a.result__snippet``; page 1 starts with one ``div.result--ad`` (a
  ``duckduckgo.com/y.js`` link to an ``.example`` advertiser, never a fake-web site);
  no results -> a ``web-result`` div holding ``div.no-results`` and no ``h2``.
  Page 2+ without the right ``vqd`` -> the CAPTCHA page (``form#challenge-form``,
  HTTP 202, as DDG answers bots).

Search semantics (``SearchIndex``, over ``FakeWeb.pages()`` minus pages robots.txt
disallows, built once per web on first use, ~0.2 s): words are case-insensitive
tokens (``\\w+``) and all must appear (AND) in the title, text or URL; ``"a phrase"``
must appear as consecutive words in the title or text; ``intitle:word``,
``intitle:"a phrase"``, ``intext:``, ``inurl:text`` (substring of the URL),
``site:example.com`` (the host or any subdomain; ``site:host/path`` also restricts
the path); ``-`` before any of them excludes; ``A OR B`` (or ``A | B``) is a
disjunction; a leading ``+`` and a lone ``+`` are ignored; a hyphenated word
(``write-for-us``) is a phrase. Ranking: score from plain words and phrases (in
the title: +8 each; in the text: 1 + ln(term frequency); in the URL: +2), then URL
ascending. The title is the page's HTML ``<title>`` ("Write for Us | Lean
Journal"); the snippet is a ~160-character window of the text around the first
match.

Failure switches (tests): ``server.search_failures["brave"] = "429"`` (until
deleted), ``server.search_failures.set("brave", "429", times=2)`` (next 2
requests), or a query containing ``__fail429__`` (any mode: ``__fail<mode>__``).
Modes per engine (``FAILURE_MODES``):

- ``429``: rate limited, each engine's own way (SearXNG limiter text; Brave
  ``RATE_LIMITED`` JSON + ``X-RateLimit-*`` with the window used up; Google
  ``RESOURCE_EXHAUSTED``; DuckDuckGo a bare 429 page);
- ``403``: SearXNG with JSON disabled (Flask 403 page); Brave 403
  ``OPTION_NOT_IN_PLAN``; Google 403 ``PERMISSION_DENIED`` (no access to the API);
  DuckDuckGo a 403 page;
- ``401``: bad key: Brave 422 ``SUBSCRIPTION_TOKEN_INVALID``, Google 400 ``API_KEY_INVALID``;
- ``captcha`` (DuckDuckGo): the challenge page, HTTP 202;
- ``unresponsive`` (SearXNG): 200, no results, all engines in ``unresponsive_engines``;
- ``500``; ``malformed``: status 200 and the right type, body cut in half;
  ``garbage``: 200 ``text/html`` captive-portal page; ``empty``: a valid answer
  with no results.

``server.search_log`` records every
search request (engine, query, page, status); ``server.search_hits(engine)`` are
the hit-log entries of one engine.

Ground truth in-process: ``SearchIndex.for_web(web).query(q)`` -> ranked URLs,
``.results(q)`` -> ``SearchResult(url, title, snippet)``, ``.domains(q)`` ->
registrable domains in rank order, ``.reachable(queries, limit=100)`` -> the set
of registrable domains any of the queries can surface within ``limit`` results.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, quote_plus, urlsplit
from urllib.robotparser import RobotFileParser

from linkspider.common.domains import registrable_domain

from .model import Page

ENGINES = ("searxng", "brave", "google", "duckduckgo")
SEARCH_HOSTS = {
    "searxng": "searx.search.test",
    "brave": "api.search.brave.test",
    "google": "www.googleapis.test",
    "duckduckgo": "html.duckduckgo.test",
}
DIRECT_PREFIXES = {engine: f"/{engine}" for engine in ENGINES}
ENDPOINTS = {
    "searxng": "/search",
    "brave": "/res/v1/web/search",
    "google": "/customsearch/v1",
    "duckduckgo": "/html/",
}
BRAVE_API_KEY = "fake-brave-key"
GOOGLE_API_KEY = "fake-google-key"
GOOGLE_CSE_ID = "fake-cse-id"

PAGE_SIZE = 10
GOOGLE_MAX_RESULTS = 100
BRAVE_MAX_COUNT, BRAVE_MAX_OFFSET = 20, 9

# What each engine can be made to do (``server.search_failures[engine] = mode``).
FAILURE_MODES: dict[str, tuple[str, ...]] = {
    "searxng": ("429", "403", "500", "malformed", "garbage", "empty", "unresponsive"),
    "brave": ("429", "401", "403", "500", "malformed", "garbage", "empty"),
    "google": ("429", "401", "403", "500", "malformed", "garbage", "empty"),
    "duckduckgo": ("captcha", "403", "429", "500", "malformed", "garbage", "empty"),
}
MAGIC_FAIL = re.compile(r"__fail(\w+?)__")

WORD = re.compile(r"\w+")
TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.S | re.I)
JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


def norm(text: str) -> str:
    """Lower-cased word tokens joined by single spaces, padded: `` a b c ``."""
    return " " + " ".join(WORD.findall(text.lower())) + " "


# -- queries ---------------------------------------------------------------------

@dataclass(frozen=True)
class Cond:
    """One condition of a query. ``kind``: word | phrase | intitle | intext | inurl | site."""

    kind: str
    value: str            # normalized tokens (word/phrase/intitle/intext), lower text (inurl), host[/path] (site)
    negated: bool = False

    @property
    def scores(self) -> bool:
        return not self.negated and self.kind in ("word", "phrase")


@dataclass
class Query:
    """A parsed query: every clause must hold; a clause holds when any of its conditions does."""

    text: str
    clauses: list[list[Cond]] = field(default_factory=list)

    @property
    def positive_terms(self) -> list[str]:
        """Normalized words/phrases to rank, highlight and centre the snippet on."""
        return [c.value for clause in self.clauses for c in clause
                if not c.negated and c.kind in ("word", "phrase", "intitle", "intext")]


TOKEN = re.compile(r'\s*(?P<neg>-)?(?:(?P<op>[A-Za-z]+):)?(?:"(?P<quoted>[^"]*)"?|(?P<bare>[^\s"]+))')
OPERATORS = {"intitle", "intext", "inurl", "site"}


def parse_query(text: str) -> Query:
    """Parse operator syntax (see the module docstring) into a ``Query``."""
    query, pending_or, pos = Query(text), False, 0
    text = MAGIC_FAIL.sub(" ", text)
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            pos += 1
            continue
        pos = match.end()
        neg, op, quoted, bare = bool(match["neg"]), (match["op"] or "").lower(), match["quoted"], match["bare"]
        if not op and not neg and quoted is None and bare in ("OR", "|"):
            pending_or = bool(query.clauses)
            continue
        cond = _condition(neg, op, quoted, bare)
        if cond is None:
            continue
        if pending_or and query.clauses:
            query.clauses[-1].append(cond)
        else:
            query.clauses.append([cond])
        pending_or = False
    return query


def _condition(neg: bool, op: str, quoted: str | None, bare: str | None) -> Cond | None:
    value = quoted if quoted is not None else (bare or "")
    if op and op not in OPERATORS:  # unknown "op:value": plain text, as engines treat it
        value, quoted, op = f"{op}:{value}", None, ""
    if op == "inurl":
        return Cond("inurl", value.lower(), neg) if value else None
    if op == "site":
        site = re.sub(r"^[a-z]+://", "", value.lower()).strip("/")
        return Cond("site", site, neg) if site else None
    tokens = norm(value).strip()
    if not tokens:
        return None
    if op in ("intitle", "intext"):
        return Cond(op, tokens, neg)
    if quoted is not None or " " in tokens:
        return Cond("phrase", tokens, neg)
    return Cond("word", tokens, neg)


# -- the index -------------------------------------------------------------------

@dataclass
class Doc:
    url: str
    host: str
    title: str        # display title: the HTML <title>
    body: str         # plain text, without the leading repetitions of the title
    title_n: str
    text_n: str
    url_n: str
    url_l: str


@dataclass(frozen=True)
class SearchResult:
    url: str
    title: str
    snippet: str


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


class SearchIndex:
    """Every indexable page of a ``FakeWeb``; ``query()`` answers operator queries."""

    def __init__(self, web) -> None:
        self.docs: list[Doc] = []
        robots: dict[str, RobotFileParser | None] = {}
        for url, page in web.pages():
            parts = urlsplit(url)
            host = parts.hostname or ""
            if host not in robots:
                site = web.sites[host]
                rp = None
                if site.robots:
                    rp = RobotFileParser()
                    rp.parse(site.robots.splitlines())
                robots[host] = rp
            rp = robots[host]
            if rp is not None and not rp.can_fetch("Googlebot", url):
                continue  # engines do not index what robots.txt keeps them out of
            self.docs.append(self._doc(url, host, page))
        self._cache: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _doc(url: str, host: str, page: Page) -> Doc:
        found = TITLE_RE.search(page.body, 0, 6000)
        title = " ".join(html.unescape(found[1].decode("utf-8", "replace")).split()) if found else ""
        title = title or page.title
        body = page.text
        while page.title and body.startswith(page.title):
            body = body[len(page.title):].lstrip()
        return Doc(url, host, title, body, norm(title), norm(page.text), norm(url), url.lower())

    @classmethod
    def for_web(cls, web) -> SearchIndex:
        """The index of ``web``, built once and shared (thread-safe)."""
        with _INDEXES_LOCK:
            index = _INDEXES.get(web)
            if index is None:
                index = _INDEXES[web] = cls(web)
            return index

    # -- matching ----------------------------------------------------------------

    @staticmethod
    def _holds(cond: Cond, doc: Doc) -> bool:
        kind, v = cond.kind, cond.value
        if kind == "word":
            found = f" {v} " in doc.title_n or f" {v} " in doc.text_n or f" {v} " in doc.url_n
        elif kind == "phrase":
            found = f" {v} " in doc.title_n or f" {v} " in doc.text_n
        elif kind == "intitle":
            found = f" {v} " in doc.title_n
        elif kind == "intext":
            found = f" {v} " in doc.text_n
        elif kind == "inurl":
            found = v in doc.url_l
        else:  # site
            host, _, path = v.partition("/")
            found = (doc.host == host or doc.host.endswith("." + host)) and (
                not path or urlsplit(doc.url).path.lstrip("/").startswith(path))
        return found != cond.negated

    @staticmethod
    def _score(query: Query, doc: Doc) -> float:
        score = 0.0
        for clause in query.clauses:
            for cond in clause:
                if not cond.scores:
                    continue
                pad = f" {cond.value} "
                if pad in doc.title_n:
                    score += 8
                tf = doc.text_n.count(pad)
                if tf:
                    score += 1 + math.log(tf)
                if pad in doc.url_n:
                    score += 2
        return score

    def _ranked(self, text: str) -> list[int]:
        with self._lock:
            hit = self._cache.get(text)
        if hit is not None:
            return hit
        query = parse_query(text)
        if not query.clauses:
            ranked: list[int] = []
        else:
            matches = [i for i, doc in enumerate(self.docs)
                       if all(any(self._holds(c, doc) for c in clause) for clause in query.clauses)]
            ranked = sorted(matches, key=lambda i: (-self._score(query, self.docs[i]), self.docs[i].url))
        with self._lock:
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[text] = ranked
        return ranked

    # -- public ground truth ------------------------------------------------------

    def query(self, text: str, limit: int | None = None) -> list[str]:
        """Ranked URLs matching ``text`` (all of them, or the first ``limit``)."""
        return [self.docs[i].url for i in self._ranked(text)[:limit]]

    def count(self, text: str) -> int:
        return len(self._ranked(text))

    def results(self, text: str, start: int = 0, count: int | None = None) -> list[SearchResult]:
        """``SearchResult``s from rank ``start`` (0-based), ``count`` of them (None: all)."""
        ranked = self._ranked(text)
        end = len(ranked) if count is None else start + count
        terms = parse_query(text).positive_terms
        return [SearchResult(self.docs[i].url, self.docs[i].title, snippet(self.docs[i].body, terms))
                for i in ranked[start:end]]

    def domains(self, text: str, limit: int | None = None) -> list[str]:
        """Registrable domains of the results, in rank order, each once."""
        seen: dict[str, None] = {}
        for url in self.query(text, limit):
            seen.setdefault(registrable_domain(url), None)
        return list(seen)

    def reachable(self, queries: Iterable[str], limit: int | None = GOOGLE_MAX_RESULTS) -> set[str]:
        """Registrable domains that at least one query surfaces within its first ``limit`` results."""
        return {d for q in queries for d in self.domains(q, limit)}


def _term_pattern(terms: Iterable[str]) -> re.Pattern | None:
    alts = sorted({r"\W+".join(map(re.escape, t.split())) for t in terms if t}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.I) if alts else None


def snippet(text: str, terms: list[str], width: int = 160) -> str:
    """A ~``width``-character window of ``text`` around the first match of any term."""
    pattern = _term_pattern(terms)
    found = pattern.search(text) if pattern else None
    pos = found.start() if found else 0
    start = max(0, pos - 50)
    if start:
        space = text.find(" ", start, pos)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    return ("..." if start else "") + text[start:end].strip() + ("..." if end < len(text) else "")


def highlight(text: str, terms: list[str], tag: str) -> str:
    """HTML-escaped ``text`` with every term wrapped in ``<tag>``."""
    pattern = _term_pattern(terms)
    if pattern is None:
        return html.escape(text, quote=False)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last:m.start()], quote=False))
        out.append(f"<{tag}>{html.escape(m.group(0), quote=False)}</{tag}>")
        last = m.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


# -- failure switches ------------------------------------------------------------

class SearchFailures:
    """Thread-safe ``engine -> mode`` switches; ``set(..., times=n)`` fails only the next n requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._modes: dict[str, list] = {}  # engine -> [mode, remaining or None]

    @staticmethod
    def _check(engine: str, mode: str) -> None:
        if engine not in FAILURE_MODES:
            raise KeyError(f"unknown search engine {engine!r} (one of {', '.join(ENGINES)})")
        if mode not in FAILURE_MODES[engine]:
            raise ValueError(f"{engine} cannot fail with {mode!r}; modes: {', '.join(FAILURE_MODES[engine])}")

    def set(self, engine: str, mode: str, times: int | None = None) -> None:
        self._check(engine, mode)
        with self._lock:
            self._modes[engine] = [mode, times]

    def __setitem__(self, engine: str, mode: str) -> None:
        self.set(engine, mode)

    def __getitem__(self, engine: str) -> str:
        with self._lock:
            return self._modes[engine][0]

    def get(self, engine: str, default: str | None = None) -> str | None:
        with self._lock:
            entry = self._modes.get(engine)
            return entry[0] if entry else default

    def __delitem__(self, engine: str) -> None:
        with self._lock:
            del self._modes[engine]

    def __contains__(self, engine: object) -> bool:
        with self._lock:
            return engine in self._modes

    def pop(self, engine: str, default: str | None = None) -> str | None:
        with self._lock:
            entry = self._modes.pop(engine, None)
            return entry[0] if entry else default

    def clear(self) -> None:
        with self._lock:
            self._modes.clear()

    def take(self, engine: str) -> str | None:
        """The mode to apply to one request now (counting down ``times``)."""
        with self._lock:
            entry = self._modes.get(engine)
            if entry is None:
                return None
            mode, left = entry
            if left is not None:
                if left <= 1:
                    del self._modes[engine]
                else:
                    entry[1] = left - 1
            return mode


@dataclass(frozen=True)
class SearchRequest:
    """One search request as the fake engines understood it."""

    engine: str
    method: str
    query: str
    page: int        # 1-based page number (DDG: offset // 10 + 1)
    status: int


# -- the service -------------------------------------------------------------------

def _json(status: int, obj: object, headers: dict[str, str] | None = None) -> Page:
    return Page(status, json.dumps(obj, ensure_ascii=False).encode(), JSON, dict(headers or {}))


def _int(value: str | None, default: int) -> int | None:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        return None


def _digest(*parts: object, n: int = 16) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:n]


GARBAGE = (b"<!DOCTYPE html><html><head><title>Network login</title></head><body><h1>Welcome to GuestNet</h1>"
           b"<p>Please accept the terms of use to continue browsing.</p>"
           b'<form method="post" action="/login"><button>Accept</button></form></body></html>')
DDG_CAPTCHA = ('<!DOCTYPE html><html><head><title>DuckDuckGo</title></head><body>\n'
               '<div class="anomaly-modal__modal">\n'
               '  <form id="challenge-form" action="/anomaly.js?sv=html&amp;cc=botnet" method="POST">\n'
               '    <div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div>\n'
               '    <div class="anomaly-modal__description">Please complete the following challenge to confirm '
               'this search was made by a human.</div>\n'
               '  </form>\n</div></body></html>')
FLASK_403 = (b'<!doctype html>\n<html lang=en>\n<title>403 Forbidden</title>\n<h1>Forbidden</h1>\n'
             b"<p>You don't have the permission to access the requested resource. It is either read-protected "
             b"or not readable by the server.</p>\n")


class SearchService:
    """Answers search requests for ``FakeWebServer``; holds keys, limits, switches and the log."""

    def __init__(self, web) -> None:
        self.web = web
        self.failures = SearchFailures()
        self._lock = threading.Lock()
        self._log: list[SearchRequest] = []
        self.reset()

    def _defaults(self) -> None:
        self.keys = {"brave": BRAVE_API_KEY, "google": GOOGLE_API_KEY, "google_cx": GOOGLE_CSE_ID, "searxng": ""}
        self.brave_rate_limit = 50          # requests per second (Brave Free: 1)
        self.brave_quota = 15000            # requests per month
        self.google_quota: int | None = None  # requests per day (None: unlimited)

    @property
    def index(self) -> SearchIndex:
        return SearchIndex.for_web(self.web)

    @property
    def log(self) -> list[SearchRequest]:
        with self._lock:
            return list(self._log)

    def reset(self) -> None:
        """Forget the log, the quotas used and every failure switch; restore default keys and limits."""
        with self._lock:
            self._log.clear()
            self._brave_used = self._google_used = 0
            self._brave_second: tuple[int, int] = (0, 0)   # (second, requests in it)
            self._defaults()
        self.failures.clear()

    # -- routing -------------------------------------------------------------------

    @staticmethod
    def route(host: str, path: str) -> tuple[str, str, str] | None:
        """``(engine, mount prefix, path under it)`` when ``host``/``path`` address a search engine."""
        for engine, name in SEARCH_HOSTS.items():
            if host == name:
                return engine, "", path
        if host in ("127.0.0.1", "localhost", "", "::1"):
            for engine, prefix in DIRECT_PREFIXES.items():
                if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "?"):
                    return engine, prefix, path[len(prefix):] or "/"
        return None

    def handle(self, method: str, host: str, path: str, headers: Mapping[str, str], body: bytes) -> Page | None:
        """The answer to a search request, or None when the request is not for a search engine."""
        routed = self.route(host, path)
        if routed is None:
            return None
        engine, prefix, sub = routed
        route, _, query_string = sub.partition("?")
        params = {k: v[-1] for k, v in parse_qs(query_string, keep_blank_values=True).items()}
        if method == "POST" and body:
            ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
            if "json" not in ctype:
                params.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"),
                                                             keep_blank_values=True).items()})
        handler = getattr(self, f"_{engine}")
        page_no, page = handler(method, route, params, headers, prefix)
        if page_no is not None:  # a request to the search endpoint itself (not a stray path)
            with self._lock:
                self._log.append(SearchRequest(engine, method, params.get("q", ""), page_no, page.status))
        return page

    def _failure(self, engine: str, params: dict[str, str]) -> str | None:
        mode = self.failures.take(engine)
        magic = MAGIC_FAIL.search(params.get("q", ""))
        if mode is None and magic and magic[1] in FAILURE_MODES[engine]:
            mode = magic[1]
        return mode

    @staticmethod
    def _generic(mode: str, good: Page) -> Page | None:
        """The modes that look the same on every engine (None: engine-specific)."""
        if mode == "malformed":
            return Page(good.status, good.body[: max(1, len(good.body) // 2)], good.content_type, good.headers)
        if mode == "garbage":
            return Page(200, GARBAGE, HTML)
        return None

    # -- SearXNG -------------------------------------------------------------------

    def _searxng(self, method, route, params, headers, prefix) -> tuple[int | None, Page]:
        pageno = _int(params.get("pageno"), 1)
        if route not in ("/search", "/search/"):
            if route == "/":
                return None, Page(200, b"<!DOCTYPE html><html><head><title>SearXNG</title></head><body>"
                                    b'<form method="post" action="search"><input name="q"></form></body></html>', HTML)
            return None, Page(404, b"Not Found\n", TEXT)
        if self.keys["searxng"]:
            auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
            if auth != "Basic " + base64.b64encode(self.keys["searxng"].encode()).decode():
                return pageno or 0, Page(401, b"401 Authorization Required\n", TEXT,
                                         {"WWW-Authenticate": 'Basic realm="searxng"'})
        mode = self._failure("searxng", params)
        if mode == "429":
            return pageno or 0, Page(429, b"Too Many Requests", TEXT)
        if mode == "500":
            return pageno or 0, Page(500, b"<!doctype html>\n<title>500 Internal Server Error</title>\n"
                                          b"<h1>Internal Server Error</h1>\n", HTML)
        if params.get("format", "html") != "json" or mode == "403":
            return pageno or 0, Page(403, FLASK_403, HTML)
        q = params.get("q", "")
        if not q.strip():
            return 0, _json(400, {"error": "No query"})
        if pageno is None or pageno < 1:
            return 0, _json(400, {"error": "search error: invalid pageno"})
        results = [] if mode in ("empty", "unresponsive") else self.index.results(q, (pageno - 1) * PAGE_SIZE, PAGE_SIZE)
        engines = ("brave", "duckduckgo", "google", "startpage", "mojeek")
        out = []
        for rank, r in enumerate(results, (pageno - 1) * PAGE_SIZE + 1):
            parts = urlsplit(r.url)
            first = engines[int(_digest(r.url, n=4), 16) % 3]
            also = sorted({first, engines[3 + int(_digest(q, r.url, n=4), 16) % 2]})
            out.append({
                "url": r.url, "title": r.title, "content": r.snippet, "engine": first, "engines": also,
                "positions": [rank] * len(also), "score": round(len(also) / rank, 4), "category": "general",
                "template": "default.html", "parsed_url": [parts.scheme, parts.netloc, parts.path, "", parts.query, ""],
                "publishedDate": None, "thumbnail": "", "img_src": "", "priority": "",
            })
        unresponsive = [["brave", "CAPTCHA"], ["duckduckgo", "CAPTCHA"], ["google", "Suspended: too many requests"],
                        ["startpage", "timeout"]] if mode == "unresponsive" else []
        good = _json(200, {
            "query": q, "number_of_results": 0, "results": out, "answers": [], "corrections": [],
            "infoboxes": [], "suggestions": [], "unresponsive_engines": unresponsive,
        })
        return pageno, (self._generic(mode, good) if mode else None) or good

    # -- Brave ---------------------------------------------------------------------

    def _brave_headers(self, forced_429: bool = False) -> tuple[dict[str, str], bool]:
        """Rate-limit headers, and whether this request is over a limit (counted only if allowed).

        A forced 429 (failure switch) reports the per-second window as used up, as a real 429 does.
        """
        with self._lock:
            now = int(time.monotonic())
            second, used_now = self._brave_second if self._brave_second[0] == now else (now, 0)
            over = used_now >= self.brave_rate_limit or self._brave_used >= self.brave_quota
            if not forced_429 and not over:
                used_now += 1
                self._brave_used += 1
            self._brave_second = (second, used_now)
            rate, quota = self.brave_rate_limit, self.brave_quota
            headers = {
                "X-RateLimit-Limit": f"{rate}, {quota}",
                "X-RateLimit-Policy": f"{rate};w=1, {quota};w=2592000",
                "X-RateLimit-Remaining": f"{0 if forced_429 else max(0, rate - used_now)}, "
                                         f"{max(0, quota - self._brave_used)}",
                "X-RateLimit-Reset": "1, 1419704",
            }
            return headers, over

    @staticmethod
    def _brave_error(status: int, code: str, detail: str, meta: dict, headers: dict[str, str] | None = None) -> Page:
        return _json(status, {"type": "ErrorResponse", "error": {
            "id": f"{_digest(code, detail, n=8)}-{_digest(detail, n=4)}-4{_digest(code, n=3)}-a{_digest(meta, n=3)}"
                  f"-{_digest(code, meta, n=12)}",
            "status": status, "code": code, "detail": detail, "meta": meta}, "time": 1763596800}, headers)

    @classmethod
    def _brave_invalid(cls, loc: list, msg: str, kind: str, value: object) -> Page:
        return cls._brave_error(422, "VALIDATION", "Unable to validate request parameter(s)",
                                {"errors": [{"type": kind, "loc": loc, "msg": msg, "input": value}]})

    def _brave(self, method, route, params, headers, prefix) -> tuple[int | None, Page]:
        if route != "/res/v1/web/search":
            return None, self._brave_error(404, "RESOURCE_NOT_FOUND", "Resource not found.", {})
        if method not in ("GET", "HEAD"):
            return None, self._brave_error(405, "METHOD_NOT_ALLOWED", "Method not allowed.", {})
        token = next((v for k, v in headers.items() if k.lower() == "x-subscription-token"), None)
        count, offset = _int(params.get("count"), 20), _int(params.get("offset"), 0)
        page_no = (offset or 0) + 1
        mode = self._failure("brave", params)
        if token is None:
            return page_no, self._brave_invalid(["header", "x-subscription-token"], "Field required", "missing", None)
        if token != self.keys["brave"] or mode in ("401", "403"):
            if mode == "403":
                return page_no, self._brave_error(403, "OPTION_NOT_IN_PLAN", "The option is not subscribed in the plan.",
                                                  {"component": "authorization"})
            return page_no, self._brave_error(422, "SUBSCRIPTION_TOKEN_INVALID", "The provided subscription token is invalid.",
                                              {"component": "authentication"})
        rate_headers, over = self._brave_headers(forced_429=mode == "429")
        if over or mode == "429":
            return page_no, self._brave_error(429, "RATE_LIMITED", "Request rate limit exceeded for plan", {
                "plan": "Free", "rate_limit": self.brave_rate_limit, "rate_current": self.brave_rate_limit,
                "quota_limit": self.brave_quota, "quota_current": self._brave_used, "org_rate_limit": None,
                "org_rate_current": 0, "component": "rate_limiter"}, rate_headers)
        if mode == "500":
            return page_no, self._brave_error(500, "INTERNAL_ERROR", "Something went wrong.", {}, rate_headers)
        q = params.get("q", "")
        if not q.strip():
            return page_no, self._brave_invalid(["query", "q"], "Field required", "missing", None)
        for name, value, low, high in (("count", count, 1, BRAVE_MAX_COUNT), ("offset", offset, 0, BRAVE_MAX_OFFSET)):
            if value is None:
                return page_no, self._brave_invalid(["query", name], "Input should be a valid integer, unable to parse "
                                                    "string as an integer", "int_parsing", params.get(name))
            if value < low:
                return page_no, self._brave_invalid(["query", name], f"Input should be greater than or equal to {low}",
                                                    "greater_than_equal", params.get(name))
            if value > high:
                return page_no, self._brave_invalid(["query", name], f"Input should be less than or equal to {high}",
                                                    "less_than_equal", params.get(name))
        total = 0 if mode == "empty" else self.index.count(q)
        results = [] if mode == "empty" else self.index.results(q, offset * count, count)
        terms = parse_query(q).positive_terms
        doc = {"type": "search", "query": {
            "original": q, "show_strict_warning": False, "is_navigational": False, "is_news_breaking": False,
            "spellcheck_off": True, "country": params.get("country", "us"), "bad_results": False,
            "should_fallback": False, "postal_code": "", "city": "", "header_country": "", "state": "",
            "more_results_available": offset < BRAVE_MAX_OFFSET and total > (offset + 1) * count}}
        if results:
            doc["mixed"] = {"type": "mixed", "main": [{"type": "web", "index": i, "all": False}
                                                      for i in range(len(results))], "top": [], "side": []}
            doc["web"] = {"type": "search", "family_friendly": True, "results": [
                self._brave_result(r, terms) for r in results]}
        good = _json(200, doc, rate_headers)
        return page_no, (self._generic(mode, good) if mode else None) or good

    @staticmethod
    def _brave_result(r: SearchResult, terms: list[str]) -> dict:
        parts = urlsplit(r.url)
        crumbs = " › ".join(p for p in parts.path.split("/") if p)
        return {
            "type": "search_result", "title": r.title, "url": r.url,
            "description": highlight(r.snippet, terms, "strong"),
            "is_source_local": False, "is_source_both": False, "language": "en", "family_friendly": True,
            "profile": {"name": r.title.rsplit("|", 1)[-1].strip(), "url": r.url, "long_name": parts.hostname,
                        "img": ""},
            "meta_url": {"scheme": parts.scheme, "netloc": parts.netloc, "hostname": parts.hostname,
                         "favicon": "", "path": f"› {crumbs}" if crumbs else ""},
        }

    # -- Google Custom Search -------------------------------------------------------------

    @staticmethod
    def _google_error(status: int, message: str, reason: str, state: str, details: list | None = None) -> Page:
        error: dict = {"code": status, "message": message,
                       "errors": [{"message": message, "domain": "global", "reason": reason}], "status": state}
        if details:
            error["details"] = details
        return _json(status, {"error": error})

    def _google(self, method, route, params, headers, prefix) -> tuple[int | None, Page]:
        if route not in ("/customsearch/v1", "/customsearch/v1/siterestrict"):
            return None, Page(404, b"<!DOCTYPE html><html lang=en><title>Error 404 (Not Found)!!1</title>"
                                b"<p><b>404.</b> <ins>That\xe2\x80\x99s an error.</ins>", HTML)
        start, num = _int(params.get("start"), 1), _int(params.get("num"), 10)
        page_no = ((start or 1) - 1) // (num or 10) + 1
        mode = self._failure("google", params)
        invalid = ("Request contains an invalid argument.", "badRequest", "INVALID_ARGUMENT")
        key = params.get("key")
        if not key:
            return page_no, self._google_error(
                403, "Method doesn't allow unregistered callers (callers without established identity). "
                     "Please use API Key or other form of API consumer identity to call this API.",
                "forbidden", "PERMISSION_DENIED")
        if key != self.keys["google"] or mode == "401":
            return page_no, self._google_error(400, "API key not valid. Please pass a valid API key.", "badRequest",
                                               "INVALID_ARGUMENT", [{
                                                   "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                                   "reason": "API_KEY_INVALID", "domain": "googleapis.com",
                                                   "metadata": {"service": "customsearch.googleapis.com"}}])
        if mode == "403":
            return page_no, self._google_error(403, "This project does not have the access to Custom Search JSON API.",
                                               "forbidden", "PERMISSION_DENIED")
        if params.get("cx") != self.keys["google_cx"]:
            return page_no, self._google_error(400, *invalid)
        if num is None or not 1 <= num <= 10:
            return page_no, self._google_error(
                400, f"Invalid value '{params.get('num')}'. Values must be within the range: [1, 10]",
                "invalid", "INVALID_ARGUMENT")
        if start is None or start < 1 or start + num > GOOGLE_MAX_RESULTS + 1:
            return page_no, self._google_error(400, *invalid)
        q = params.get("q", "")
        if not q.strip():
            return page_no, self._google_error(400, *invalid)
        with self._lock:
            over = self.google_quota is not None and self._google_used >= self.google_quota
            if not over and mode != "429":
                self._google_used += 1
        if over or mode == "429":
            return page_no, _json(429, {"error": {
                "code": 429, "message": "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of "
                                        "service 'customsearch.googleapis.com' for consumer 'project_number:000000000000'.",
                "errors": [{"message": "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of "
                                       "service 'customsearch.googleapis.com' for consumer "
                                       "'project_number:000000000000'.",
                            "domain": "global", "reason": "rateLimitExceeded"}],
                "status": "RESOURCE_EXHAUSTED"}})
        if mode == "500":
            return page_no, self._google_error(500, "Internal error encountered.", "backendError", "INTERNAL")
        effective = self._google_query(q, params)
        total = 0 if mode == "empty" else self.index.count(effective)
        results = [] if mode == "empty" else self.index.results(effective, start - 1, num)
        terms = parse_query(effective).positive_terms

        def block(start_index: int) -> dict:
            return {"title": f"Google Custom Search - {q}", "totalResults": str(total), "searchTerms": q,
                    "count": num, "startIndex": start_index, "inputEncoding": "utf8", "outputEncoding": "utf8",
                    "safe": params.get("safe", "off"), "cx": params["cx"]}

        queries: dict = {"request": [block(start)]}
        if start + num <= min(total, GOOGLE_MAX_RESULTS) and start + 2 * num <= GOOGLE_MAX_RESULTS + 1:
            queries["nextPage"] = [block(start + num)]
        if start > 1:
            queries["previousPage"] = [block(max(1, start - num))]
        doc: dict = {
            "kind": "customsearch#search",
            "url": {"type": "application/json",
                    "template": "https://www.googleapis.com/customsearch/v1?q={searchTerms}&num={count?}&"
                                "start={startIndex?}&lr={language?}&safe={safe?}&cx={cx?}&sort={sort?}&"
                                "filter={filter?}&gl={gl?}&cr={cr?}&googlehost={googleHost?}&"
                                "c2coff={disableCnTwTranslation?}&hq={hq?}&hl={hl?}&siteSearch={siteSearch?}&"
                                "siteSearchFilter={siteSearchFilter?}&exactTerms={exactTerms?}&"
                                "excludeTerms={excludeTerms?}&linkSite={linkSite?}&orTerms={orTerms?}&"
                                "dateRestrict={dateRestrict?}&lowRange={lowRange?}&highRange={highRange?}&"
                                "searchType={searchType}&fileType={fileType?}&rights={rights?}&imgSize={imgSize?}&"
                                "imgType={imgType?}&imgColorType={imgColorType?}&"
                                "imgDominantColor={imgDominantColor?}&alt=json"},
            "queries": queries,
            "context": {"title": "linkspider fake web"},
            "searchInformation": {"searchTime": 0.21, "formattedSearchTime": "0.21", "totalResults": str(total),
                                  "formattedTotalResults": f"{total:,}"},
        }
        if results:
            doc["items"] = [self._google_item(r, terms) for r in results]
        good = _json(200, doc)
        return page_no, (self._generic(mode, good) if mode else None) or good

    @staticmethod
    def _google_query(q: str, params: dict[str, str]) -> str:
        """``q`` plus the structured parameters a CSE request can add."""
        parts = [q]
        if params.get("exactTerms"):
            parts.append(f'"{params["exactTerms"]}"')
        for word in (params.get("excludeTerms") or "").split():
            parts.append(f"-{word}")
        if params.get("siteSearch"):
            parts.append(("-" if params.get("siteSearchFilter") == "e" else "") + f"site:{params['siteSearch']}")
        return " ".join(parts)

    @staticmethod
    def _google_item(r: SearchResult, terms: list[str]) -> dict:
        host = urlsplit(r.url).hostname or ""
        return {
            "kind": "customsearch#result", "title": r.title, "htmlTitle": highlight(r.title, terms, "b"),
            "link": r.url, "displayLink": host, "snippet": r.snippet, "htmlSnippet": highlight(r.snippet, terms, "b"),
            "formattedUrl": r.url, "htmlFormattedUrl": highlight(r.url, terms, "b"),
            "pagemap": {"metatags": [{"og:title": r.title, "og:url": r.url}]},
        }

    # -- DuckDuckGo HTML -----------------------------------------------------------------

    @staticmethod
    def vqd(q: str) -> str:
        """The ``vqd`` token DDG hands out with the results of ``q`` (deterministic here)."""
        return "4-" + str(int(_digest("vqd", q, n=24), 16))[:27].rjust(27, "0")

    def _duckduckgo(self, method, route, params, headers, prefix) -> tuple[int | None, Page]:
        if route not in ("/html/", "/html"):
            return None, Page(404, b"Not Found\n", TEXT)
        q = params.get("q", "")
        s = _int(params.get("s"), 0)
        s = 0 if s is None or s < 0 else s
        page_no = s // PAGE_SIZE + 1
        mode = self._failure("duckduckgo", params)
        if mode == "captcha" or (s > 0 and params.get("vqd") != self.vqd(q)):
            return page_no, Page(202, DDG_CAPTCHA.encode(), HTML)
        if mode == "403":
            return page_no, Page(403, b"<html><body><h1>403 Forbidden</h1></body></html>", HTML)
        if mode == "429":
            return page_no, Page(429, b"<html><body><h1>429 Too Many Requests</h1></body></html>", HTML)
        if mode == "500":
            return page_no, Page(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", HTML)
        action = f"{prefix}/html/"
        if not q.strip():
            body = (f'<!DOCTYPE html><html><head><title>DuckDuckGo</title></head><body>'
                    f'<form id="search_form_homepage" action="{action}" method="post">'
                    f'<input type="text" name="q" value=""><input type="submit" value="S"></form></body></html>')
            return page_no, Page(200, body.encode(), HTML)
        total = 0 if mode == "empty" else self.index.count(q)
        results = [] if mode == "empty" else self.index.results(q, s, PAGE_SIZE)
        good = Page(200, self._ddg_html(q, s, total, results, action).encode(), HTML)
        return page_no, (self._generic(mode, good) if mode else None) or good

    def _ddg_html(self, q: str, s: int, total: int, results: list[SearchResult], action: str) -> str:
        esc = lambda t: html.escape(t, quote=True)  # noqa: E731
        terms = parse_query(q).positive_terms
        vqd = self.vqd(q)
        out = [f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{esc(q)} at DuckDuckGo</title></head>\n<body>',
               f'<div id="header"><form name="x" id="search_form" action="{action}" method="post">'
               f'<input type="text" name="q" value="{esc(q)}" class="search__input">'
               f'<input type="hidden" name="b" value=""><input type="hidden" name="kl" value="">'
               f'<input type="submit" id="search_button" class="search__button" value="S"></form></div>',
               '<div id="links" class="results">']
        if s == 0 and results:
            word = next((t for t in terms if " " not in t), "deals")
            ad_url = f"https://www.{re.sub(r'[^a-z0-9]+', '-', word)}-superstore.example/?utm_source=ddg"
            ad = (f"https://duckduckgo.com/y.js?ad_domain={quote_plus(urlsplit(ad_url).hostname)}"
                  f"&ad_provider=bingv7aa&ad_type=txad&rut={_digest('ad', q, n=64)}"
                  f"&u3={quote(ad_url, safe='')}&vqd={vqd}")
            out.append(
                '<div class="result results_links results_links_deep result--ad result--ad--small">'
                '<div class="links_main links_deep result__body">'
                f'<h2 class="result__title"><a class="result__a" href="{esc(ad)}">{esc(word.title())} Gear – '
                'Up to 60% Off Today</a></h2>'
                f'<div class="result__extras"><div class="result__extras__url"><a class="result__url" href="{esc(ad)}">'
                f'{esc(urlsplit(ad_url).hostname)}</a><span class="badge--ad">Ad</span></div></div>'
                f'<a class="result__snippet" href="{esc(ad)}">Free shipping on orders over $50. Shop the sale now.</a>'
                '</div></div>')
        for r in results:
            link = f"//duckduckgo.com/l/?uddg={quote(r.url, safe='')}&rut={_digest('rut', r.url, n=64)}"
            shown = r.url.split("://", 1)[-1]
            out.append(
                '<div class="result results_links results_links_deep web-result ">'
                '<div class="links_main links_deep result__body">'
                f'<h2 class="result__title"><a rel="nofollow" class="result__a" href="{esc(link)}">'
                f'{highlight(r.title, terms, "b")}</a></h2>'
                f'<div class="result__extras"><div class="result__extras__url">'
                f'<a class="result__url" href="{esc(link)}">{esc(shown)}</a></div></div>'
                f'<a class="result__snippet" href="{esc(link)}">{highlight(r.snippet, terms, "b")}</a>'
                '<div class="clear"></div></div></div>')
        if not results:
            out.append('<div class="result results_links results_links_deep web-result result--no-result">'
                       '<div class="no-results">No results.</div></div>')
        out.append("</div>")
        nav = []
        if s > 0:
            prev = max(0, s - PAGE_SIZE)
            nav.append(self._ddg_form(action, q, prev, vqd, "&lt; Previous"))
        if s + PAGE_SIZE < total:
            nav.append(self._ddg_form(action, q, s + PAGE_SIZE, vqd, "Next"))
        if nav:
            out.append('<div class="nav-link">' + "".join(nav) + "</div>")
        out.append("</body></html>")
        return "\n".join(out)

    @staticmethod
    def _ddg_form(action: str, q: str, s: int, vqd: str, label: str) -> str:
        return (f'<form action="{action}" method="post">'
                f'<input type="hidden" name="q" value="{html.escape(q, quote=True)}">'
                f'<input type="hidden" name="s" value="{s}"><input type="hidden" name="nextParams" value="">'
                '<input type="hidden" name="v" value="l"><input type="hidden" name="o" value="json">'
                f'<input type="hidden" name="dc" value="{s + 1}"><input type="hidden" name="api" value="d.js">'
                f'<input type="hidden" name="vqd" value="{vqd}">'
                f'<input type="submit" class="btn btn--alt" value="{label}"></form>')
