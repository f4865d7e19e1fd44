"""Google Custom Search JSON API (legacy: closed to new customers, ends 2027-01-01).

Only projects that already had access can use it, until 2027-01-01; new
projects get 403. Kept for those users: it understands every operator
(``inurl:`` included) and its free tier is 100 queries a day.

``GET {GOOGLE_CSE_URL}/customsearch/v1?key=...&cx=...&q=...&start=N&num=10``;
``start`` is 1-based and ``start + num`` may not pass 100, so one query has at
most 10 pages. Results are ``items[].link/title/snippet``.

The key travels in the query string (the documented way). It never goes into
request meta, and every message and exception this module writes passes
through :func:`~linkspider.common.redact.redact`; so does every log line, Scrapy's
own ("Crawled (200) <GET url>", retries, errors) included
(:func:`~linkspider.common.redact.install_log_redaction`).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response

from linkspider.common.redact import redact
from linkspider.discover.search.base import (
    SearchBackend,
    SearchBlocked,
    SearchError,
    SearchPage,
    SearchResponseError,
    base_url,
    float_setting,
    required,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Google Custom Search JSON API endpoint (tests point it at a local fake).
    "GOOGLE_CSE_URL": "https://www.googleapis.com",
    # GOOGLE_API_KEY and GOOGLE_CSE_ID (the search engine's `cx`) come from the
    # environment (or -s); keep the key out of this file, which is in git.
    # Seconds between queries (the API allows 100 a day free, 10,000 a day paid).
    "GOOGLE_DOWNLOAD_DELAY": 1.0,
}


class GoogleBackend(SearchBackend):
    name = "google"
    operators = frozenset({"quotes", "minus", "site", "intitle", "inurl", "intext", "filetype", "or"})
    download_delay = 1.0
    concurrency = 1
    page_limit = 10  # start + num <= 100
    results_per_page = 10  # the API's maximum `num`

    def __init__(self, api_key: str, cse_id: str, url: str = DEFAULTS["GOOGLE_CSE_URL"], *, delay: float = 1.0) -> None:
        self._api_key = api_key
        self.cse_id = cse_id
        self.base_url = url
        self.download_delay = delay
        self.download_slot = urlsplit(url).netloc

    @classmethod
    def from_settings(cls, settings: Any) -> GoogleBackend:
        return cls(
            required(settings, "GOOGLE_API_KEY", cls.name, secret=True),
            required(settings, "GOOGLE_CSE_ID", cls.name),
            base_url(settings, "GOOGLE_CSE_URL", cls.name, DEFAULTS["GOOGLE_CSE_URL"]),
            delay=float_setting(settings, "GOOGLE_DOWNLOAD_DELAY", cls.download_delay),
        )

    def request(self, query: str, page: int = 1) -> scrapy.Request:
        self._check_page(page)
        if page > self.page_limit:
            raise ValueError(f"google serves at most {self.page_limit} pages per query (asked for page {page})")
        start = (page - 1) * self.results_per_page + 1
        params = {"key": self._api_key, "cx": self.cse_id, "q": query, "start": start, "num": self.results_per_page}
        return scrapy.Request(
            f"{self.base_url}/customsearch/v1?{urlencode(params)}",
            headers={"Accept": "application/json"},
            meta=self._meta(query, page, start - 1),
            dont_filter=True,
        )

    def parse(self, response: Response) -> SearchPage:
        meta = self._search_meta(response)
        status = response.status
        url = redact(response.url)
        if status >= 400:
            raise self._error(response)
        data = self._json(response)
        if not isinstance(data, dict):
            raise SearchResponseError(self.name, "JSON that is not an object", status, url)
        if "error" in data:
            raise self._error(response)
        items = data.get("items", [])  # absent when there are no results
        if not isinstance(items, list):
            raise SearchResponseError(self.name, "'items' is not a list", status, url)

        query, page = meta["query"], meta["page"]
        results = self.json_results(items, meta, "link", "snippet")
        queries = data.get("queries") if isinstance(data.get("queries"), dict) else {}
        next_pages = queries.get("nextPage") or []
        next_start = next_pages[0].get("startIndex") if next_pages and isinstance(next_pages[0], dict) else None
        has_more = (bool(results) and next_start is not None and int(next_start) + self.results_per_page - 1 <= 100
                    and page < min(self.max_pages, self.page_limit))
        total = (data.get("searchInformation") or {}).get("totalResults")
        return SearchPage(
            results=results,
            has_more=has_more,
            next_request=self.request(query, page + 1) if has_more else None,
            total=int(total) if str(total or "").isdigit() else None,
        )

    def _error(self, response: Response) -> SearchError:
        """Google's error envelope -> blocked (quota, key, access) or a skippable error."""
        status = response.status
        url = redact(response.url)
        try:
            error = response.json().get("error") or {}
        except Exception:
            error = {}
        if not isinstance(error, dict):
            error = {}
        message = str(error.get("message") or "")[:300]
        reasons = {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict)}
        reasons |= {str(d.get("reason")) for d in error.get("details") or [] if isinstance(d, dict)}
        code = int(error.get("code") or status or 0)
        said = f" ({message})" if message else ""
        if code == 429 or reasons & {"rateLimitExceeded", "dailyLimitExceeded", "userRateLimitExceeded",
                                     "RATE_LIMIT_EXCEEDED", "quotaExceeded"}:
            return SearchBlocked(self.name, f"{code} query quota exceeded{said}; stopping this backend. The free "
                                 "tier allows 100 queries a day; it resets at midnight Pacific time", code)
        if "API key" in message or reasons & {"keyInvalid", "API_KEY_INVALID", "keyExpired", "API_KEY_EXPIRED"}:
            return SearchBlocked(self.name, f"{code} GOOGLE_API_KEY was refused{said}; stopping this backend", code)
        if code in (401, 403):
            return SearchBlocked(self.name, (
                f"{code} access denied{said}; stopping this backend. The Custom Search JSON API is closed to "
                "new customers: only projects that already used it keep access (until 2027-01-01). "
                "Use SEARCH_BACKEND=searxng or brave instead"), code)
        if code == 400 and ("cx" in message.lower() or "invalid argument" in message.lower()):
            return SearchBlocked(self.name, f"400 request refused{said}: check GOOGLE_CSE_ID (the search "
                                 "engine ID, `cx`); stopping this backend", code)
        if code >= 500:
            return SearchResponseError(self.name, f"HTTP {code} from the server{said}; skipping this query", code, url)
        if status < 400 and not error:
            return SearchResponseError(self.name, "unreadable error response", status, url)
        return SearchResponseError(self.name, f"HTTP {code} for this query{said}; skipping it", code, url)
