"""Does a referring page still link to each competitor, and how?

Backlink exports are weeks old: links get removed, pages get rewritten,
sponsored links get re-labelled. Before a referring site becomes a prospect
("they link to nerdfitness.com"), the crawl fetches the page and checks it.

Only real ``<a href>`` links count (a competitor named in the text is not a
link). A competitor is matched by registrable domain, so ``www.`` and
``shop.bodybuilding.com`` are bodybuilding.com. Many sites send outbound links
through their own redirect script (``/go?url=https%3A%2F%2Fnerdfitness.com``,
``/out/https://...``): those count, marked ``wrapped``, because the site still
chose to link there. Pure: a string of HTML in, :class:`LinkCheck` out.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from linkspider.common.domains import hostname, registrable_domain
from linkspider.extract.html import Page, parse, site_of

Status = Literal["present", "nofollow", "sponsored", "ugc", "gone"]


@dataclass
class LinkCheck:
    """The verdict for one competitor on one page.

    ``status`` is the best link found: a link to one of the ``exact`` URLs
    asked for first, then ``present`` (followed) beats the qualified ones, a
    direct link beats a wrapped one, then page order.
    A link with several qualifiers takes the most specific: ``sponsored``,
    then ``ugc``, then ``nofollow`` (``rel="nofollow sponsored"`` is a paid link).
    """

    competitor: str  # as passed in
    status: Status
    target_url: str | None = None  # the competitor URL linked to (unwrapped); None when gone
    anchor: str = ""  # anchor text (or image alt) of the best link
    rel: list[str] = field(default_factory=list)  # rel tokens of the best link, lower-cased
    href: str | None = None  # the URL in the page's href (differs from target_url when wrapped)
    wrapped: bool = False  # the best link goes through a redirect script
    exact: bool = False  # the best link goes to one of the ``exact`` URLs asked for
    anchors: list[str] = field(default_factory=list)  # every distinct anchor text linking to it
    links: int = 0  # how many links on the page reach the competitor
    notes: list[str] = field(default_factory=list)

    @property
    def linked(self) -> bool:
        return self.status != "gone"

    @property
    def followed(self) -> bool:
        return self.status == "present"


# Query parameters redirect scripts carry their destination in.
_REDIRECT_PARAMS = frozenset({
    "url", "u", "q", "to", "target", "dest", "destination", "redirect", "redirect_url", "redirect_to",
    "redirecturl", "goto", "go", "link", "out", "r", "href", "uri", "l", "continue", "external", "site",
    "ref_url", "exit", "away", "next",
})
# Share buttons carry a URL too, but sharing is not linking.
_SHARE_RE = re.compile(r"share|intent/|/submit|pin/create|/sharer|/send\b|web\.archive\.org|/bookmark", re.I)
# Path prefixes of redirect scripts that embed the destination in the path: /out/https://...
_REDIRECT_PATH_RE = re.compile(r"^/(?:[\w-]+/)?(?:go|out|outgoing|redirect|redir|link|links|r|exit|away|visit|click|"
                               r"external|recommends|refer)(?:/|\.php/|$)", re.I)
_EMBEDDED_RE = re.compile(r"https?(?::|%3a)(?:/{1,2}|%2f%2f)", re.I)
_B64_HTTP_RE = re.compile(r"^aHR0c[A-Za-z0-9+/_-]{8,}={0,2}$")  # base64 of "http..."

_MAX_UNWRAP_DEPTH = 2


def _as_url(value: str) -> str | None:
    """A query value that is itself a URL (decoded, protocol-relative, base64, www.) -> the URL."""
    text = value.strip()
    for _ in range(2):  # double-encoded destinations are common behind affiliate networks
        if re.match(r"https?%3a", text, re.I):
            text = unquote(text)
    if _B64_HTTP_RE.match(text):
        try:
            text = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
    low = text[:8].lower()
    if low.startswith(("http://", "https://")):
        return text
    if text.startswith("//"):
        return "https:" + text
    if low.startswith("www."):
        return "https://" + text
    return None


def unwrap(url: str, page_site: str) -> list[str]:
    """Destinations a redirect-wrapped link carries: ``/go?url=https%3A%2F%2Fx.com`` -> ``[https://x.com]``.

    A query value counts when its parameter is a redirect name (``url``, ``u``,
    ``to``...) or the wrapper lives on the page's own site; a URL in the path
    counts behind a redirect-looking path (``/out/``, ``/go/``) or on the page's
    own site. Share buttons and web-archive links are never unwrapped.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    if _SHARE_RE.search(parts.netloc + parts.path):
        return []
    own = bool(page_site) and site_of(parts.hostname or "") == page_site
    found: list[str] = []
    for name, value in parse_qsl(parts.query, keep_blank_values=False):
        if own or name.lower() in _REDIRECT_PARAMS:
            target = _as_url(value)
            if target:
                found.append(target)
    path = parts.path
    m = _EMBEDDED_RE.search(path, 1)
    if m and (own or _REDIRECT_PATH_RE.match(path)):
        embedded = unquote(path[m.start():])
        embedded = re.sub(r"^(https?):/(?!/)", r"\1://", embedded, flags=re.I)  # servers squash '//' to '/'
        if parts.query and "?" not in embedded:
            embedded += "?" + parts.query
        found.append(embedded)
    return found


def _page_nofollow(page: Page) -> bool:
    """``<meta name="robots" content="nofollow">`` (or ``none``) makes every link on the page nofollow."""
    for name in ("robots", "googlebot"):
        content = page.meta.get(name, "").lower()
        tokens = {t.strip() for t in content.split(",")}
        if "nofollow" in tokens or "none" in tokens:
            return True
    return False


def _status(rel: list[str], page_nofollow: bool) -> Status:
    if "sponsored" in rel:
        return "sponsored"
    if "ugc" in rel:
        return "ugc"
    if "nofollow" in rel or page_nofollow:
        return "nofollow"
    return "present"


def _competitor_key(name: str) -> str:
    text = name.strip().lower()
    return registrable_domain(text) or site_of(hostname(text) or text)


def page_key(url: str) -> str:
    """What makes two URLs the same page for a link check: host without ``www.``, path without its
    trailing slash, and query; not the scheme (sites move to https) nor the fragment."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip().lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


def verify_links(html: str | Page, page_url: str, competitor_domains: Iterable[str],
                 exact: Iterable[str] = ()) -> list[LinkCheck]:
    """One :class:`LinkCheck` per competitor (in the order given): is it still linked from this page?

    ``html`` may be an already parsed :class:`~linkspider.extract.html.Page`,
    so a pipeline that extracts the page anyway parses it once. Relative and
    protocol-relative hrefs are resolved against the page URL (and ``<base>``).
    A page on the competitor's own site never counts as linking to it.
    ``exact`` URLs (a placed link's target page) rank before any other link to
    their site, whatever its rel: the link the monitor watches is that one, not
    a followed blogroll link to the home page.
    """
    wanted = {page_key(u) for u in exact}
    page = html if isinstance(html, Page) else parse(html if isinstance(html, str) else "", page_url)
    page_site = site_of(page_url) if page_url else ""
    keys: dict[str, str] = {}  # competitor key -> name as passed
    for name in competitor_domains:
        key = _competitor_key(name)
        if key and key not in keys:
            keys[key] = name
    nofollow_page = _page_nofollow(page) if keys else False

    best: dict[str, tuple[tuple[int, int, int, int], LinkCheck]] = {}
    anchors: dict[str, list[str]] = {key: [] for key in keys}
    counts: dict[str, int] = {key: 0 for key in keys}
    for order, link in enumerate(page.links if keys else []):
        url = link.url
        if not url.lower().startswith(("http://", "https://")):
            continue
        hits: list[tuple[str, str, bool]] = []  # (competitor key, target URL, wrapped)
        site = site_of(link.host or hostname(url))
        if site in keys:
            hits.append((site, url, False))
        else:
            pending, depth = [url], 0
            while pending and depth < _MAX_UNWRAP_DEPTH and not hits:
                depth += 1
                nested: list[str] = []
                for wrapper in pending:
                    for target in unwrap(wrapper, page_site):
                        target_site = site_of(hostname(target))
                        if target_site in keys:
                            hits.append((target_site, target, True))
                            break
                        nested.append(target)
                pending = nested
        for key, target, wrapped in hits[:1]:
            if key == page_site:
                continue  # an internal link is not a backlink
            rel = [t for r in link.rel for t in r.split(",") if t]
            status = _status(rel, nofollow_page)
            counts[key] += 1
            if link.text and link.text not in anchors[key]:
                anchors[key].append(link.text)
            is_exact = bool(wanted) and page_key(target) in wanted
            rank = (0 if is_exact else 1, 0 if status == "present" else 1, 1 if wrapped else 0, order)
            if key not in best or rank < best[key][0]:
                notes = []
                if wrapped:
                    notes.append(f"wrapped: the link goes through {link.url[:200]}")
                if nofollow_page and "nofollow" not in rel and status == "nofollow":
                    notes.append("the page's meta robots says nofollow")
                check = LinkCheck(competitor=keys[key], status=status, target_url=target, anchor=link.text,
                                  rel=rel, href=url, wrapped=wrapped, exact=is_exact, notes=notes)
                best[key] = (rank, check)

    out: list[LinkCheck] = []
    for key, name in keys.items():
        if key in best:
            check = best[key][1]
            check.anchors = anchors[key]
            check.links = counts[key]
        else:
            check = LinkCheck(competitor=name, status="gone")
            if key == page_site:
                check.notes.append("the page is on the competitor's own site")
        out.append(check)
    return out
