"""Brave Search API: an independent index with a free tier (a key from api-dashboard.search.brave.com).

``GET {BRAVE_API_URL}/res/v1/web/search?q=...&count=20&offset=N`` with the key in
the ``X-Subscription-Token`` header (never in the URL, so it stays out of logs).
``offset`` counts *pages* (0-9), so one query yields at most 200 results.

Rate limits come back on every response as comma-separated pairs, one per
window (per second, per month)::

    X-RateLimit-Limit: 1, 15000
    X-RateLimit-Remaining: 0, 14998
    X-RateLimit-Reset: 1, 1419704

A window with nothing remaining makes ``SearchPage.suggested_delay`` its reset
time; a 429 stops the backend with the reset named in the message.

Operators (Brave's documented search operators): quotes, ``-``, ``site:``,
``intitle:``, ``inbody:`` (= ``intext:``), ``filetype:``, ``OR``; no ``inurl:``,
which is rewritten to a phrase.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response
from w3lib.html import remove_tags, replace_entities

from linkspider.discover.search.base import (
    SearchBackend,
    SearchBlocked,
    SearchPage,
    SearchResponseError,
    SearchResult,
    base_url,
    float_setting,
    header,
    required,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Brave Search API endpoint (tests point it at a local fake).
    "BRAVE_API_URL": "https://api.search.brave.com",
    # The key is read from the environment variable BRAVE_API_KEY (or
    # -s BRAVE_API_KEY=...); keep it out of this file, which is in git.
    # Seconds between queries: the free plan allows 1 request per second.
    "BRAVE_DOWNLOAD_DELAY": 1.1,
}

# A rate-limit window longer than this is a quota (monthly), not a throttle.
_QUOTA_WINDOW = 3600
# Brave answers a wrong or missing token with 422 and one of these codes (401 on older plans).
_KEY_CODES = {"SUBSCRIPTION_TOKEN_INVALID", "SUBSCRIPTION_NOT_FOUND", "MISSING_SUBSCRIPTION_TOKEN"}


class BraveBackend(SearchBackend):
    name = "brave"
    operators = frozenset({"quotes", "minus", "site", "intitle", "intext", "filetype", "or"})
    download_delay = 1.1
    concurrency = 1
    page_limit = 10  # offset 0..9
    results_per_page = 20  # the API's maximum `count`

    def __init__(self, api_key: str, url: str = DEFAULTS["BRAVE_API_URL"], *, delay: float = 1.1) -> None:
        self._api_key = api_key
        self.base_url = url
        self.download_delay = delay
        self.download_slot = urlsplit(url).netloc
        #: Seconds to wait before the next query, from the last response's headers.
        self.suggested_delay: float | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> BraveBackend:
        return cls(
            required(settings, "BRAVE_API_KEY", cls.name, secret=True),
            base_url(settings, "BRAVE_API_URL", cls.name, DEFAULTS["BRAVE_API_URL"]),
            delay=float_setting(settings, "BRAVE_DOWNLOAD_DELAY", cls.download_delay),
        )

    def request(self, query: str, page: int = 1) -> scrapy.Request:
        self._check_page(page)
        if page > self.page_limit:
            raise ValueError(f"brave serves at most {self.page_limit} pages per query (asked for page {page})")
        params = {"q": query, "count": self.results_per_page, "offset": page - 1, "result_filter": "web"}
        return scrapy.Request(
            f"{self.base_url}/res/v1/web/search?{urlencode(params)}",
            headers={"Accept": "application/json", "X-Subscription-Token": self._api_key},
            meta=self._meta(query, page, (page - 1) * self.results_per_page),
            dont_filter=True,
        )

    def parse(self, response: Response) -> SearchPage:
        meta = self._search_meta(response)
        status = response.status
        limits = rate_limits(response)
        self.suggested_delay = _delay_from(limits)
        if status in (401, 402, 403, 429) or (status == 422 and _error_code(response) in _KEY_CODES):
            raise self._blocked(response, limits)
        if status >= 500:
            raise self._server_error(response)
        if status >= 400:
            detail = _error_detail(response)
            raise SearchResponseError(self.name, f"HTTP {status} for this query ({detail}); skipping it",
                                      status, response.url)
        data = self._json(response)
        if not isinstance(data, dict):
            raise SearchResponseError(self.name, "JSON that is not an object", status, response.url)
        if data.get("type") == "ErrorResponse":
            raise SearchResponseError(self.name, f"error response: {_error_detail(response)}", status, response.url)
        web = data.get("web") or {}
        items = web.get("results") if isinstance(web, dict) else None
        if items is None:
            items = []  # no `web` section: no web results for this query
        if not isinstance(items, list):
            raise SearchResponseError(self.name, "'web.results' is not a list", status, response.url)

        query, page, offset = meta["query"], meta["page"], meta.get("offset", 0)
        results: list[SearchResult] = []
        for item in items:
            if not isinstance(item, dict) or not item.get("url"):
                continue
            results.append(SearchResult(
                url=str(item["url"]),
                title=_text(item.get("title")),
                snippet=_text(item.get("description")),
                rank=offset + len(results) + 1,
                backend=self.name,
                query=query,
            ))
        more = (data.get("query") or {}).get("more_results_available")
        has_more = bool(more) and bool(results) and page < min(self.max_pages, self.page_limit)
        return SearchPage(
            results=results,
            has_more=has_more,
            next_request=self.request(query, page + 1) if has_more else None,
            suggested_delay=self.suggested_delay,
        )

    def _blocked(self, response: Response, limits: list[tuple[int, int, int]]) -> SearchBlocked:
        status = response.status
        detail = _error_detail(response)
        if status == 429:
            exhausted = [(window, reset) for window, remaining, reset in limits if remaining <= 0]
            quota = [(w, r) for w, r in exhausted if w > _QUOTA_WINDOW]
            if quota:
                reset = max(r for _, r in quota)
                reason = (f"429 quota used up for this billing period (X-RateLimit-Reset: {reset}s, "
                          f"about {_human(reset)}); stopping this backend. Upgrade the plan or wait")
            else:
                reset = max((r for _, r in exhausted), default=None)
                shown = f"X-RateLimit-Reset: {reset}s" if reset is not None else "no X-RateLimit-Reset header"
                reason = (f"429 rate limit exceeded ({shown}); stopping this backend. "
                          "Raise BRAVE_DOWNLOAD_DELAY if this repeats")
            return SearchBlocked(self.name, reason, status, float(reset) if reset is not None else None)
        if status in (401, 422):
            return SearchBlocked(self.name, f"{status} the subscription token was refused ({detail}): check "
                                 "BRAVE_API_KEY at api-dashboard.search.brave.com; stopping this backend", status)
        return SearchBlocked(self.name, f"{status} access denied ({detail}): the key's plan may not include "
                             "web search; stopping this backend", status)


def rate_limits(response: Response) -> list[tuple[int, int, int]]:
    """``(window_seconds, remaining, reset_seconds)`` per window from the X-RateLimit-* headers."""
    remaining = _numbers(header(response, "X-RateLimit-Remaining"))
    reset = _numbers(header(response, "X-RateLimit-Reset"))
    windows = [int(part.split(";w=")[1]) if ";w=" in part else 0
               for part in header(response, "X-RateLimit-Policy").split(",") if part.strip()]
    out = []
    for index, (left, wait) in enumerate(zip(remaining, reset)):
        window = windows[index] if index < len(windows) else (1 if index == 0 else 2592000)
        out.append((window, left, wait))
    return out


def _delay_from(limits: list[tuple[int, int, int]]) -> float | None:
    waits = [reset for _, remaining, reset in limits if remaining <= 0]
    return float(max(waits)) if waits else None


def _numbers(value: str) -> list[int]:
    out = []
    for part in value.split(","):
        try:
            out.append(int(float(part.strip())))
        except ValueError:
            continue
    return out


def _error_code(response: Response) -> str:
    try:
        error = response.json().get("error") or {}
        return str(error.get("code") or "") if isinstance(error, dict) else ""
    except Exception:  # not JSON
        return ""


def _error_detail(response: Response) -> str:
    """Brave's error envelope ``{"error": {"code": ..., "detail": ...}}`` in a few words."""
    try:
        error = response.json().get("error") or {}
    except Exception:  # not JSON: the status says enough
        return f"HTTP {response.status}"
    if not isinstance(error, dict):
        return str(error)[:120]
    parts = [str(error[key]) for key in ("code", "detail") if error.get(key)]
    return ": ".join(parts)[:200] or f"HTTP {response.status}"


def _text(value: object) -> str:
    return " ".join(replace_entities(remove_tags(str(value or ""))).split())


def _human(seconds: int) -> str:
    if seconds >= 86400:
        return f"{seconds // 86400} days"
    if seconds >= 3600:
        return f"{seconds // 3600} hours"
    return f"{seconds} seconds"
