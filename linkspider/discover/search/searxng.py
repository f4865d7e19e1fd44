"""SearXNG: a self-hosted metasearch engine, the recommended backend for real use.

One instance of your own asks Google, Brave, DuckDuckGo, Bing... for you and
merges the answers, with no key and no quota beyond what its engines allow.
linkspider reads its JSON API: ``GET {SEARXNG_URL}/search?q=...&format=json&pageno=N``.

JSON output is off in a default install; enable it in the instance's
``settings.yml``::

    search:
      formats:
        - html
        - json

Without it SearXNG answers 403, which :meth:`SearXNGBackend.parse` reports
with exactly that advice. Engines that failed for a query (CAPTCHA, suspended,
timeout) are listed in ``unresponsive_engines``; they are logged and returned
as page warnings, and the page is used anyway.

A password-protected instance (behind a proxy asking for HTTP basic auth)
is given as ``SEARXNG_URL=https://user:password@searx.example``: the
credentials are taken out of the URL and sent as an ``Authorization`` header
to the instance only, so logs, the checkpoint and ``Referer`` headers never
see them.

Operators: SearXNG passes the query text to its engines, so what works is what
they share: quotes, ``site:`` and ``-`` everywhere, ``intitle:`` on Google,
Bing, Brave and DuckDuckGo. ``inurl:`` only on Google (Bing dropped it), so it
is rewritten to a phrase; set ``SEARCH_OPERATORS`` when your instance runs
only engines that know more.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

import scrapy
from scrapy.http import Response
from w3lib.http import basic_auth_header

from linkspider.common.redact import register_secret
from linkspider.discover.search.base import (
    SearchBackend,
    SearchBlocked,
    SearchPage,
    SearchResponseError,
    base_url,
    float_setting,
    setting,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Your SearXNG instance, e.g. "http://127.0.0.1:8888" (no default: public
    # instances refuse bots; run your own). Also read from the environment.
    "SEARXNG_URL": "",
    # Seconds between two queries to it. Your instance asks several engines
    # per query, and those engines rate-limit it, not you.
    "SEARXNG_DOWNLOAD_DELAY": 2.0,
    # Search language passed as `language=` ("en", "de", "all"...); empty = the instance default.
    "SEARXNG_LANGUAGE": "",
    # Categories to search; "general" is the web search.
    "SEARXNG_CATEGORIES": "general",
}


class SearXNGBackend(SearchBackend):
    name = "searxng"
    operators = frozenset({"quotes", "minus", "site", "intitle"})
    download_delay = 2.0
    concurrency = 1
    results_per_page = 10  # a guess, used only to number a page asked for out of order

    def __init__(self, url: str, *, language: str = "", categories: str = "general", delay: float = 2.0) -> None:
        parts = urlsplit(url)
        self.auth: bytes | None = None
        if parts.username is not None or parts.password is not None:
            password = unquote(parts.password or "")
            register_secret(password)
            self.auth = basic_auth_header(unquote(parts.username or ""), password)
            url = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        self.base_url = url[: -len("/search")] if url.endswith("/search") else url
        self.language = language
        self.categories = categories
        self.download_delay = delay
        self.download_slot = urlsplit(self.base_url).netloc

    @classmethod
    def from_settings(cls, settings: Any) -> SearXNGBackend:
        return cls(
            base_url(settings, "SEARXNG_URL", cls.name),
            language=str(setting(settings, "SEARXNG_LANGUAGE", "")),
            categories=str(setting(settings, "SEARXNG_CATEGORIES", "general")),
            delay=float_setting(settings, "SEARXNG_DOWNLOAD_DELAY", cls.download_delay),
        )

    def request(self, query: str, page: int = 1, *, offset: int | None = None) -> scrapy.Request:
        self._check_page(page)
        params = {"q": query, "format": "json", "pageno": page}
        if self.categories:
            params["categories"] = self.categories
        if self.language:
            params["language"] = self.language
        if offset is None:
            offset = (page - 1) * self.results_per_page
        headers = {"Accept": "application/json"}
        if self.auth:
            headers["Authorization"] = self.auth
        return scrapy.Request(
            f"{self.base_url}/search?{urlencode(params)}",
            headers=headers,
            meta=self._meta(query, page, offset),
            dont_filter=True,
        )

    def rebuild(self, search: dict[str, Any]) -> scrapy.Request:
        return self.request(search["query"], search["page"], offset=search.get("offset"))

    def parse(self, response: Response) -> SearchPage:
        meta = self._search_meta(response)
        status = response.status
        if status == 403:
            raise SearchBlocked(self.name, (
                f"403 Forbidden from {self.base_url}: the instance has JSON output disabled. "
                "Add json to its settings.yml (search: formats: [html, json]) and restart it; "
                "stopping this backend"), status)
        if status == 429:
            raise SearchBlocked(self.name, (
                f"429 Too Many Requests from {self.base_url}: its bot limiter refused us. On your own "
                "instance set server.limiter: false (or pass 127.0.0.1) in settings.yml, or raise "
                "SEARXNG_DOWNLOAD_DELAY; stopping this backend"), status)
        if status == 401:
            said = "refused the user and password in SEARXNG_URL" if self.auth else "wants a login"
            raise SearchBlocked(self.name, f"401 Unauthorized from {self.base_url}: the instance {said} "
                                "(SEARXNG_URL=https://user:password@host); stopping this backend", status)
        if status >= 500:
            raise self._server_error(response)
        if status >= 400:
            raise SearchResponseError(self.name, f"HTTP {status} for this query; skipping it", status, response.url)
        data = self._json(response)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise SearchResponseError(self.name, "JSON without a 'results' list", status, response.url)

        query, page, offset = meta["query"], meta["page"], meta.get("offset", 0)
        results = self.json_results(data["results"], meta, "url", "content")

        warnings = []
        unresponsive = data.get("unresponsive_engines") or []
        if unresponsive:
            described = ", ".join(_engine_failure(entry) for entry in unresponsive)
            warning = f"engines unresponsive for {query!r} page {page}: {described}"
            logger.warning("searxng: %s", warning)
            warnings.append(warning)

        # SearXNG does not say whether there is a next page; an empty one ends it.
        has_more = bool(results) and page < self.max_pages
        next_request = self.request(query, page + 1, offset=offset + len(results)) if has_more else None
        total = data.get("number_of_results")
        return SearchPage(results=results, has_more=has_more, next_request=next_request,
                          total=int(total) if isinstance(total, (int, float)) and total else None,
                          warnings=warnings)


def _engine_failure(entry: object) -> str:
    if isinstance(entry, (list, tuple)) and entry:
        engine = str(entry[0])
        reason = str(entry[1]) if len(entry) > 1 else "no reason given"
        return f"{engine} ({reason})"
    return str(entry)
