"""Safety limits: what linkspider downloads, how much, and how often per site.

- ``NonHtmlStopMiddleware`` (downloader): as soon as a response's headers say
  the body is not HTML (a PDF, an image, a zip...), the download stops
  (``StopDownload(fail=False)`` from the ``headers_received`` signal): the
  callback gets the headers and an empty body, and the site walk records
  "not an HTML page". Requests rendered in the browser (``meta["playwright"]``),
  robots.txt and the configured search endpoints are left alone.
- ``SiteRequestCapMiddleware`` (downloader): a hard cap on the requests sent to
  one registrable domain in a crawl, ``SITE_PAGE_BUDGET`` +
  ``LINKSPIDER_SITE_REQUEST_MARGIN`` (or ``LINKSPIDER_SITE_REQUEST_CAP``). The
  spiders keep their own budget; this is the net under it, so a bug can never
  hammer one site. Redirect hops and retries of a counted request are not
  counted again (Scrapy caps those itself); robots.txt is not counted.

Crawler traps and file links are the site walk's own filter
(``linkspider.crawl.traps.TrapFilter``): it drops them before spending a page.

Oversized pages are Scrapy's own job: ``DOWNLOAD_MAXSIZE`` cancels the download
(the errback gets ``DownloadCancelledError`` and the site walk stores the error)
and ``DOWNLOAD_WARNSIZE`` logs a warning.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import StopDownload

from linkspider.common.domains import hostname, registrable_domain
from linkspider.crawl.middlewares.ssrf import RequestRefused, configured_endpoints
from linkspider.crawl.traps import has_ignored_extension

logger = logging.getLogger(__name__)

# Content types whose body the site walk could read (HTML) or that search APIs answer in.
_TEXTUAL = ("text/", "application/xhtml", "application/xml", "application/json", "application/javascript",
            "application/ecmascript", "application/ld+json", "application/rss", "application/atom")
_MAYBE_ANYTHING = frozenset({"application/octet-stream", "binary/octet-stream", "application/unknown",
                             "application/x-unknown", "unknown/unknown", "application/download"})


def is_robots(url: str) -> bool:
    try:
        return urlsplit(url).path == "/robots.txt"
    except ValueError:
        return False


def non_html_type(content_type: str, url: str) -> str | None:
    """The media type when headers alone say the body is not HTML (worth stopping), else None."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not media or media.startswith(_TEXTUAL) or media.endswith(("+xml", "+json")) or "html" in media:
        return None
    if media in _MAYBE_ANYTHING:
        # Servers send HTML as octet-stream too; Scrapy sniffs those. Stop only files by extension.
        return media if has_ignored_extension(url) else None
    return media


class NonHtmlStopMiddleware:
    """Stops the download of a body that is not HTML once the headers are in (see the module docstring)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.endpoints = configured_endpoints(crawler.settings)
        crawler.signals.connect(self.headers_received, signal=signals.headers_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> NonHtmlStopMiddleware:
        if not crawler.settings.getbool("LINKSPIDER_STOP_NON_HTML"):
            from scrapy.exceptions import NotConfigured
            raise NotConfigured
        return cls(crawler)

    def headers_received(self, headers: Any, body_length: Any, request: Any, spider: Any = None) -> None:
        if request.meta.get("playwright") or request.meta.get("linkspider_keep_body") or is_robots(request.url):
            return
        if targets_endpoint(self.endpoints, request.url):
            return
        raw = headers.get(b"Content-Type") or b""
        media = non_html_type(raw.decode("latin-1"), request.url)
        if media is None:
            return
        self.stats.inc_value("linkspider/limits/non_html_stopped")
        self.stats.inc_value(f"linkspider/limits/non_html_stopped/{media.split('/', 1)[0]}")
        logger.debug("not downloading the body of %s: Content-Type %s is not HTML", request.url, media)
        raise StopDownload(fail=False)


def targets_endpoint(endpoints: Any, url: str) -> bool:
    """True for a request to a configured search endpoint (they are not prospects)."""
    if not endpoints:
        return False
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = 0
    return bool(parts.hostname) and endpoints.match(parts.hostname, port)


class SiteRequestCapMiddleware:
    """A hard per-site request cap under the spiders' own budget (see the module docstring)."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        cap = settings.getint("LINKSPIDER_SITE_REQUEST_CAP")
        if cap <= 0:
            cap = settings.getint("SITE_PAGE_BUDGET") + settings.getint("LINKSPIDER_SITE_REQUEST_MARGIN")
        self.cap = cap
        self.endpoints = configured_endpoints(settings)
        self.counts: dict[str, int] = {}
        self.warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteRequestCapMiddleware:
        return cls(crawler)

    def site_key(self, url: str) -> str:
        return registrable_domain(url) or hostname(url)

    def process_request(self, request: Any) -> None:
        meta = request.meta
        if is_robots(request.url) or meta.get("redirect_times") or meta.get("retry_times"):
            return None
        if targets_endpoint(self.endpoints, request.url):
            return None
        site = self.site_key(request.url)
        if not site:
            return None
        count = self.counts.get(site, 0)
        if count >= self.cap:
            self.stats.inc_value("linkspider/limits/site_cap_refused")
            message = (f"refusing {request.url}: {site} already got {count} requests in this crawl "
                       f"(cap {self.cap} = SITE_PAGE_BUDGET + LINKSPIDER_SITE_REQUEST_MARGIN)")
            if site not in self.warned:
                self.warned.add(site)
                logger.warning(message)
            raise RequestRefused(message, "site_cap")
        self.counts[site] = count + 1
        return None
