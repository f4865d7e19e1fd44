"""What every search backend is: a query in, a ``scrapy.Request`` out; a SERP in, results out.

Backends never fetch anything themselves. The spider yields ``backend.request(...)``
and hands the response to ``backend.parse(...)``, so the engine's politeness,
proxies (``http_proxy``), retries and stats apply to search traffic too, and a
test can build a ``TextResponse`` from a saved sample and call ``parse`` with
no network at all.

Failures are classified so the spider can act on them:

- :class:`SearchConfigError`: the backend cannot even start (missing key or URL);
  raised by ``from_settings`` before any request.
- :class:`SearchBlocked`: the service refuses us (401/403/429, CAPTCHA, bad key,
  quota). Carry on with this backend and it only gets worse: stop using it for
  this run and say so, with the one message in ``str(exc)``.
- :class:`SearchResponseError`: this one response is unreadable (garbage JSON,
  an HTML error page where JSON was expected, a 5xx). Skip the query, go on.

API keys never go into request meta, stats, log lines or exception text:
:func:`linkspider.common.redact.redact` scrubs them from any URL or message we
produce, and every key a backend loads is registered with it. Requests to a
search service carry no ``Referer`` (the previous result page's URL may hold
a key), and a search request is checkpointed as its query and page, rebuilt
by :meth:`SearchBackend.rebuild` on resume: no key is ever written down.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from linkspider.common.redact import redact, register_secret

logger = logging.getLogger(__name__)


class SearchError(Exception):
    """Base of every search-layer error."""


class SearchConfigError(SearchError, ValueError):
    """The backend is missing a setting (the message names it) or has an invalid one."""


class SearchBlocked(SearchError):
    """The service refused us: stop this backend for the run.

    ``retry_after`` is the wait in seconds the service suggested, when it said.
    """

    def __init__(self, backend: str, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        self.backend = backend
        self.reason = redact(reason)
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"{backend}: {self.reason}")


class SearchResponseError(SearchError):
    """One response could not be read (malformed body, unexpected layout, server error): skip it."""

    def __init__(self, backend: str, reason: str, status: int | None = None, url: str = "") -> None:
        self.backend = backend
        self.reason = redact(reason)
        self.status = status
        self.url = redact(url)
        super().__init__(f"{backend}: {self.reason}" + (f" ({self.url})" if self.url else ""))


@dataclass(frozen=True)
class SearchResult:
    url: str
    title: str = ""
    snippet: str = ""
    rank: int = 0  # absolute 1-based position for the query, across pages
    backend: str = ""
    query: str = ""
    source: str = ""  # where a result came from when not a live SERP ("results.csv:12")


@dataclass
class SearchPage:
    """One parsed result page."""

    results: list[SearchResult] = field(default_factory=list)
    has_more: bool = False
    # The request for the next page when the backend knows it (always for DDG,
    # whose page 2+ needs hidden form fields from this page); else call
    # backend.request(query, page + 1) while has_more.
    next_request: scrapy.Request | None = None
    total: int | None = None  # the service's estimate of all results, when it gives one
    # Seconds to wait before the next request to this backend, when the
    # service said (Brave's X-RateLimit-Reset with nothing remaining).
    suggested_delay: float | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. SearXNG's unresponsive engines


def setting(settings: Any, name: str, default: Any = None) -> Any:
    """A Scrapy setting, else the environment variable of the same name, else ``default``.

    Empty strings count as unset, so ``BRAVE_API_KEY = ""`` in settings.py
    still lets the environment supply the key.
    """
    value = settings.get(name) if settings is not None else None
    if value is None or value == "":
        value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def float_setting(settings: Any, name: str, default: float) -> float:
    value = setting(settings, name, default)
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise SearchConfigError(f"{name} must be a number of seconds, not {value!r}") from exc


def required(settings: Any, name: str, backend: str, secret: bool = False) -> str:
    value = setting(settings, name)
    if not value:
        raise SearchConfigError(f"SEARCH_BACKEND={backend} needs {name} (setting or environment variable)")
    value = str(value).strip()
    if secret:
        register_secret(value)
    return value


def base_url(settings: Any, name: str, backend: str, default: str | None = None) -> str:
    """A backend's base URL setting, checked and without a trailing slash."""
    value = setting(settings, name, default)
    if not value:
        raise SearchConfigError(f"SEARCH_BACKEND={backend} needs {name} (setting or environment variable), "
                                f"e.g. {name}=http://127.0.0.1:8888")
    value = str(value).strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SearchConfigError(f"{name}={redact(value)!r} is not an http(s) URL")
    return value


class SearchBackend:
    """Base class: subclasses set the class attributes and implement ``request``/``parse``."""

    name: ClassVar[str] = ""
    #: Operators the service understands (see linkspider.discover.footprints.ALL_OPERATORS);
    #: the footprint builder rewrites or drops the others.
    operators: frozenset[str] = frozenset({"quotes", "minus", "site"})
    #: Requests to this backend share one download slot (its host), so its
    #: politeness is independent of the prospects' sites.
    download_slot: str = ""
    download_delay: float = 1.0  # seconds between requests in the slot
    concurrency: int = 1  # requests in flight in the slot
    #: Most pages the service serves for one query (None: no hard limit).
    page_limit: int | None = None
    #: Most pages we ask for per query: SEARCH_MAX_PAGES, capped by page_limit.
    #: has_more / next_request stop there, so a spider can simply follow them.
    max_pages: int = 3
    #: False for backends that read results without any request (``file``).
    needs_network: bool = True
    #: APIs called with the operator's own key are a contract, not crawling:
    #: their requests skip robots.txt. Scraped HTML endpoints obey it.
    obey_robotstxt: bool = False

    @classmethod
    def from_settings(cls, settings: Any) -> SearchBackend:  # pragma: no cover - abstract
        raise NotImplementedError

    def request(self, query: str, page: int = 1) -> scrapy.Request:  # pragma: no cover - abstract
        raise NotImplementedError

    def parse(self, response: Response) -> SearchPage:  # pragma: no cover - abstract
        raise NotImplementedError

    def rebuild(self, search: dict[str, Any]) -> scrapy.Request:
        """The request a checkpoint recorded as its ``meta["search"]``, made again with this run's key."""
        return self.request(search["query"], search["page"])

    # ------------------------------------------------------------- helpers

    def json_results(self, items: Any, meta: dict[str, Any], url_key: str, snippet_key: str) -> list[SearchResult]:
        """Results from a JSON API's list of result objects (title/URL/snippet fields named per API)."""
        offset = meta.get("offset", 0)
        results: list[SearchResult] = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not item.get(url_key):
                continue
            results.append(SearchResult(
                url=str(item[url_key]),
                title=" ".join(str(item.get("title") or "").split()),
                snippet=" ".join(str(item.get(snippet_key) or "").split()),
                rank=offset + len(results) + 1,
                backend=self.name,
                query=meta["query"],
            ))
        return results

    def slot_settings(self) -> dict[str, dict[str, Any]]:
        """This backend's entry for Scrapy's ``DOWNLOAD_SLOTS`` setting."""
        return {self.download_slot: {"concurrency": self.concurrency, "delay": self.download_delay, "jitter": 0.2}}

    def _meta(self, query: str, page: int, offset: int, **extra: Any) -> dict[str, Any]:
        search = {"backend": self.name, "query": query, "page": page, "offset": offset, **extra}
        meta: dict[str, Any] = {
            "search": search,
            "download_slot": self.download_slot,
            # Our own delay holds: AutoThrottle would tune it to the API's latency.
            "autothrottle_dont_adjust_delay": True,
            # Errors (401/403/429) are classified by parse(), so they must reach it.
            "handle_httpstatus_all": True,
            # The previous result page's URL, Google's key included, is no one's business.
            "referrer_policy": "no-referrer",
        }
        if not self.obey_robotstxt:
            meta["dont_obey_robotstxt"] = True
        return meta

    def _search_meta(self, response: Response) -> dict[str, Any]:
        meta = response.meta.get("search") if response.request is not None else None
        if not isinstance(meta, dict):
            raise SearchResponseError(self.name, "response has no meta['search'] (not made by this backend's request())")
        return meta

    def _check_page(self, page: int) -> None:
        if page < 1:
            raise ValueError(f"{self.name}: page numbers start at 1, not {page}")

    def _json(self, response: Response) -> Any:
        """The JSON body, or SearchResponseError saying what came instead."""
        text = response.text if hasattr(response, "text") else response.body.decode("utf-8", "replace")
        try:
            return json.loads(text)
        except ValueError:
            kind = "an HTML page" if text.lstrip()[:1] == "<" else "malformed JSON"
            raise SearchResponseError(self.name, f"HTTP {response.status}: expected JSON, got {kind}: "
                                      f"{_excerpt(text)!r}", response.status, response.url) from None

    def _server_error(self, response: Response) -> SearchResponseError:
        return SearchResponseError(self.name, f"HTTP {response.status} from the server; skipping this query",
                                   response.status, response.url)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} slot={self.download_slot!r}>"


def header(response: Response, name: str) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else ""


def _excerpt(text: str, size: int = 80) -> str:
    return " ".join(text.split())[:size]
