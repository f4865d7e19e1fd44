"""DuckDuckGo's HTML page: the keyless default, slow on purpose.

No key, no sign-up, so ``scrapy crawl guestposts -a niche=fitness`` works out of
the box. The price: DuckDuckGo blocks an IP that asks too fast (a CAPTCHA page
with ``form#challenge-form``, or HTTP 202/403 with no results), so this backend
waits several seconds between queries, one at a time, and stops at the first
block with a message saying so. For more than a few dozen queries a night use
SearXNG (self-hosted) or Brave.

Wire format (the one SearXNG's duckduckgo engine reads):

- page 1: ``POST {DUCKDUCKGO_URL}/html/`` with the form field ``q``;
- results: ``div.web-result`` > ``h2 a.result__a`` (title, link) and
  ``a.result__snippet``; links point at ``//duckduckgo.com/l/?uddg=<target>``,
  unwrapped here; ads (``result--ad``, ``y.js`` links) are skipped;
- page 2+: the "Next" form at the bottom holds hidden fields (``s``, ``dc``,
  ``vqd``, ...) that must be posted back: :meth:`DuckDuckGoBackend.parse`
  returns that as ``SearchPage.next_request`` (also
  :meth:`~DuckDuckGoBackend.next_page_request`), and ``request(query, page,
  form=...)`` builds it from saved fields.

Operators (DuckDuckGo's syntax help): quotes, ``-``, ``site:``, ``intitle:``,
``filetype:``. ``inurl:`` is documented too but its results come from Bing,
which no longer honours it, so it is rewritten to a phrase.

Requests obey robots.txt like any crawl (this is a page, not an API).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import scrapy
from scrapy.http import Response

from linkspider.discover.search.base import (
    SearchBackend,
    SearchBlocked,
    SearchPage,
    SearchResponseError,
    SearchResult,
    base_url,
    float_setting,
    setting,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    # DuckDuckGo's HTML endpoint (tests point it at a local fake).
    "DUCKDUCKGO_URL": "https://html.duckduckgo.com",
    # Seconds between queries. DuckDuckGo blocks IPs that search fast; below
    # ~3 s a CAPTCHA comes within a few dozen queries.
    "DUCKDUCKGO_DOWNLOAD_DELAY": 5.0,
    # Region code sent as `kl` ("us-en", "uk-en", "de-de"...); empty = no region.
    "DUCKDUCKGO_REGION": "",
}

_FORM = "application/x-www-form-urlencoded"


class DuckDuckGoBackend(SearchBackend):
    name = "duckduckgo"
    operators = frozenset({"quotes", "minus", "site", "intitle", "filetype"})
    download_delay = 5.0
    concurrency = 1
    obey_robotstxt = True

    def __init__(self, url: str = DEFAULTS["DUCKDUCKGO_URL"], *, region: str = "", delay: float = 5.0) -> None:
        self.base_url = url
        self.region = region
        self.download_delay = max(delay, 2.0)  # below 2 s DDG blocks quickly: not negotiable
        self.download_slot = urlsplit(url).netloc

    @classmethod
    def from_settings(cls, settings: Any) -> DuckDuckGoBackend:
        return cls(
            base_url(settings, "DUCKDUCKGO_URL", cls.name, DEFAULTS["DUCKDUCKGO_URL"]),
            region=str(setting(settings, "DUCKDUCKGO_REGION", "")),
            delay=float_setting(settings, "DUCKDUCKGO_DOWNLOAD_DELAY", cls.download_delay),
        )

    def request(self, query: str, page: int = 1, *, form: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
                offset: int = 0) -> scrapy.Request:
        """Page 1 from the query alone; page 2+ needs ``form``, the previous page's hidden fields."""
        self._check_page(page)
        if page == 1:
            fields: list[tuple[str, str]] = [("q", query)]
            if self.region:
                fields.append(("kl", self.region))
        elif form is None:
            raise ValueError("duckduckgo: page 2+ needs the hidden fields of the previous page "
                             "(use SearchPage.next_request or next_page_request(response))")
        else:
            fields = [(str(k), str(v)) for k, v in (form.items() if isinstance(form, Mapping) else form)]
        # Page 2+ keeps its form in the meta, so a checkpoint can rebuild it.
        extra = {"form": fields} if page > 1 else {}
        return scrapy.Request(
            f"{self.base_url}/html/",
            method="POST",
            body=urlencode(fields),
            headers={"Content-Type": _FORM, "Referer": f"{self.base_url}/"},
            meta=self._meta(query, page, offset, **extra),
            dont_filter=True,
        )

    def rebuild(self, search: dict[str, Any]) -> scrapy.Request:
        return self.request(search["query"], search["page"], form=search.get("form"), offset=search.get("offset", 0))

    def parse(self, response: Response) -> SearchPage:
        meta = self._search_meta(response)
        status = response.status
        if response.css("form#challenge-form"):
            raise SearchBlocked(self.name, (
                f"CAPTCHA page (HTTP {status}): DuckDuckGo thinks this IP is a bot; stopping this backend. "
                "Wait an hour before searching again, raise DUCKDUCKGO_DOWNLOAD_DELAY, or use "
                "SEARCH_BACKEND=searxng or brave"), status)
        if status in (403, 429):
            raise SearchBlocked(self.name, (
                f"HTTP {status}: DuckDuckGo refused this IP; stopping this backend. Wait an hour, raise "
                "DUCKDUCKGO_DOWNLOAD_DELAY, or use SEARCH_BACKEND=searxng or brave"), status)
        if status >= 500:
            raise self._server_error(response)
        if status >= 400:
            raise SearchResponseError(self.name, f"HTTP {status} for this query; skipping it", status, response.url)
        if not hasattr(response, "css"):
            raise SearchResponseError(self.name, "expected an HTML page, got a binary body", status, response.url)

        query, page, offset = meta["query"], meta["page"], meta.get("offset", 0)
        results: list[SearchResult] = []
        ads = 0
        for block in response.css("div.result, div.web-result"):
            classes = (block.attrib.get("class") or "").split()
            link = block.css("a.result__a")
            href = link.attrib.get("href", "") if link else ""
            if "result--ad" in classes or "y.js" in href:
                ads += 1
                continue
            url = unwrap(href)
            if not url:
                continue
            results.append(SearchResult(
                url=url,
                title=" ".join("".join(link.css("::text").getall()).split()),
                snippet=" ".join("".join(block.css(".result__snippet ::text").getall()).split()),
                rank=offset + len(results) + 1,
                backend=self.name,
                query=query,
            ))
        no_results = bool(response.css(".no-results"))
        if not results and not no_results and not response.css("#links"):
            if status == 202:  # DDG's soft block: an empty 202 instead of a page
                raise SearchBlocked(self.name, "HTTP 202 with no results: DuckDuckGo is rate-limiting this IP; "
                                    "stopping this backend. Wait an hour or raise DUCKDUCKGO_DOWNLOAD_DELAY", status)
            raise SearchResponseError(self.name, "no result list on the page (DuckDuckGo may have changed its "
                                      "HTML); skipping this query", status, response.url)
        if ads:
            logger.debug("duckduckgo: skipped %d ad(s) for %r", ads, query)

        next_request = None
        if results and page < self.max_pages:
            next_request = self.next_page_request(response, offset=offset + len(results))
        return SearchPage(results=results, has_more=next_request is not None, next_request=next_request)

    def next_page_form(self, response: Response) -> list[tuple[str, str]] | None:
        """The hidden fields of the page's "Next" form (``q``, ``s``, ``dc``, ``vqd``, ...), or None on the last page."""
        for form in response.css("form"):
            buttons = form.css("input[type=submit]::attr(value)").getall()
            if not any(b.strip().lower().startswith("next") for b in buttons):
                continue
            fields = [(i.attrib["name"], i.attrib.get("value", ""))
                      for i in form.css("input[type=hidden]") if i.attrib.get("name")]
            return fields or None
        return None

    def next_page_request(self, response: Response, *, offset: int | None = None) -> scrapy.Request | None:
        """The POST for the page after ``response``, or None when there is no "Next" form."""
        meta = self._search_meta(response)
        form = self.next_page_form(response)
        if form is None:
            return None
        if offset is None:
            offset = meta.get("offset", 0) + len(response.css("div.web-result"))
        return self.request(meta["query"], meta["page"] + 1, form=form, offset=offset)


def unwrap(href: str) -> str:
    """The target of a DuckDuckGo link: ``//duckduckgo.com/l/?uddg=https%3A...&rut=...`` -> ``https:...``.

    A direct ``http(s)`` link is returned as is; anything else pointing at
    DuckDuckGo itself (or no link) gives ``""``.
    """
    if not href:
        return ""
    url = urljoin("https://duckduckgo.com/", href.strip())
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "duckduckgo.com" or host.endswith(".duckduckgo.com"):
        target = parse_qs(parts.query).get("uddg", [""])[0]
        return target if target.startswith(("http://", "https://")) else ""
    return url if parts.scheme in ("http", "https") else ""
