"""Search backends: one module per service, chosen by the ``SEARCH_BACKEND`` setting.

    backend = get_backend(settings.get("SEARCH_BACKEND"), settings)
    queries = build_queries("guestposts", profile.keywords, operators=backend.operators, max_queries=...)
    yield backend.request(query)                  # meta["search"] = {backend, query, page, offset}
    page = backend.parse(response)                # SearchPage(results, has_more, next_request, ...)

``searxng`` (self-hosted, recommended), ``brave`` (API key), ``google`` (Custom
Search, legacy), ``duckduckgo`` (keyless default, slow) and ``file`` (results
from a file, no network). See each module for its wire format and limits, and
:mod:`linkspider.discover.search.base` for the error classes the spider acts on.
"""

from __future__ import annotations

from typing import Any

from linkspider.common.redact import redact
from linkspider.discover.footprints import ALL_OPERATORS
from linkspider.discover.search import brave, duckduckgo, file, google, searxng
from linkspider.discover.search.base import (
    SearchBackend,
    SearchBlocked,
    SearchConfigError,
    SearchError,
    SearchPage,
    SearchResponseError,
    SearchResult,
    setting,
)
from linkspider.discover.search.brave import BraveBackend
from linkspider.discover.search.duckduckgo import DuckDuckGoBackend
from linkspider.discover.search.file import FileBackend
from linkspider.discover.search.google import GoogleBackend
from linkspider.discover.search.searxng import SearXNGBackend

__all__ = [
    "BACKENDS", "DEFAULTS", "BraveBackend", "DuckDuckGoBackend", "FileBackend", "GoogleBackend",
    "SearXNGBackend", "SearchBackend", "SearchBlocked", "SearchConfigError", "SearchError", "SearchPage",
    "SearchResponseError", "SearchResult", "get_backend", "redact",
]

BACKENDS: dict[str, type[SearchBackend]] = {
    "searxng": SearXNGBackend,
    "brave": BraveBackend,
    "google": GoogleBackend,
    "duckduckgo": DuckDuckGoBackend,
    "file": FileBackend,
}

_RETIRED = {
    "bing": "the Bing Web Search API was retired on 2025-08-11",
}
_ALIASES = {"ddg": "duckduckgo", "searx": "searxng", "google_cse": "google", "cse": "google"}

# Settings of the search layer, for linkspider/settings.py (each backend module
# has its own DEFAULTS too; these are all of them, with comments).
DEFAULTS: dict[str, Any] = {
    # Which search service the search spiders (guestposts, roundups) use:
    # "duckduckgo" (keyless, slow, blocks easily), "searxng" (your own
    # instance: recommended), "brave" (API key), "google" (Custom Search,
    # legacy) or "file" (results from SEARCH_RESULTS_FILE, no network).
    "SEARCH_BACKEND": "duckduckgo",
    # Result pages fetched per query at most (the backend's own limit also applies).
    "SEARCH_MAX_PAGES": 3,
    # Footprint queries sent per crawl at most (templates x keywords, best first).
    "SEARCH_MAX_QUERIES": 40,
    # Override the operators the backend is assumed to understand, e.g.
    # "quotes,minus,site,intitle,inurl" for a SearXNG running only Google.
    # Empty = the backend's own list. Others are rewritten or dropped.
    "SEARCH_OPERATORS": "",
    **{k: v for module in (searxng, brave, google, duckduckgo, file) for k, v in module.DEFAULTS.items()},
}


def get_backend(name: str | None, settings: Any = None) -> SearchBackend:
    """The backend called ``name``, configured from Scrapy settings (or the environment).

    Raises :class:`SearchConfigError` naming the missing or wrong setting.
    """
    given = str(name or setting(settings, "SEARCH_BACKEND", DEFAULTS["SEARCH_BACKEND"]) or "")
    key = given.strip().lower()
    key = _ALIASES.get(key, key)
    if key in _RETIRED:
        raise SearchConfigError(f"SEARCH_BACKEND={key}: {_RETIRED[key]}; choose one of {', '.join(BACKENDS)}")
    if key not in BACKENDS:
        raise SearchConfigError(f"SEARCH_BACKEND={given!r} is not a search backend; "
                                f"choose one of {', '.join(BACKENDS)}")
    backend = BACKENDS[key].from_settings(settings)

    max_pages = setting(settings, "SEARCH_MAX_PAGES", DEFAULTS["SEARCH_MAX_PAGES"])
    try:
        backend.max_pages = max(1, int(max_pages))
    except (TypeError, ValueError):
        raise SearchConfigError(f"SEARCH_MAX_PAGES must be a whole number, not {max_pages!r}") from None
    if backend.page_limit is not None:
        backend.max_pages = min(backend.max_pages, backend.page_limit)

    override = setting(settings, "SEARCH_OPERATORS", "")
    if override:
        names = override if isinstance(override, (list, tuple, set, frozenset)) else str(override).split(",")
        ops = frozenset(str(n).strip().lower() for n in names if str(n).strip())
        unknown = ops - ALL_OPERATORS
        if unknown:
            raise SearchConfigError(f"SEARCH_OPERATORS: unknown operator(s) {', '.join(sorted(unknown))}; "
                                    f"known: {', '.join(sorted(ALL_OPERATORS))}")
        backend.operators = ops
    return backend
