"""``scrapy crawl monitor`` (``linkspider monitor``): re-fetch the pages of the user's placed links.

Each linking page in ``placed_links`` is fetched once per run, however many
placed links it carries, with everything a crawl of linkspider has: robots.txt
and Crawl-delay, AutoThrottle and the per-site delay, the SSRF guard, the size
limits. It is not a site walk: no link is followed, nothing is extracted for
contacts, and a page counts no budget but its own. The page is checked by the
pure :func:`linkspider.extract.link_check.check_page` here, because what it
finds decides whether the page is worth a browser: when none of its placed
links is in the static HTML and the page builds itself with JavaScript, it is
fetched once more through the browser (``RENDER=auto``; ``always`` renders
every page, ``never`` none) and a link found only there is ``js_only``.

Every page yields one ``LinkCheckItem`` per placed link, also when the fetch
failed (``failed``: worth asking again; ``gone``: 404/410; ``unchecked``:
robots.txt or the SSRF guard said no); ``LinkCheckPipeline`` judges and stores
them. Arguments: ``-a site=DOMAIN`` (only that site's links), ``-a
target=DOMAIN`` (only links to that site of yours). Settings read:
LINKSPIDER_DB, MONITOR_RECHECK_DAYS, MONITOR_PAGES_PER_SITE, RENDER,
RENDER_MAX_PER_RUN.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from linkspider.common.domains import registrable_domain
from linkspider.common.redact import install_log_redaction
from linkspider.crawl.middlewares.robots import RobotsUnreachable
from linkspider.crawl.rendering import needs_render, writes_page
from linkspider.discover.niches import NicheError
from linkspider.extract.link_check import PageCheck, check_page
from linkspider.items import LinkCheckItem
from linkspider.store.database import Store, StoreError

logger = logging.getLogger(__name__)

GONE_STATUSES = (404, 410)


def _domain_arg(name: str, value: str | None) -> str:
    if not value:
        return ""
    domain = registrable_domain(value.strip())
    if not domain:
        raise NicheError(f"-a {name}={value!r} is not a site: give a domain such as example.com")
    return domain


class MonitorSpider(scrapy.Spider):
    name = "monitor"
    # Not a site walk: no trap filter, checkpoint or extraction workers (the spider middlewares of the
    # walk), only the check's own pipeline, and never a worker of a distributed crawl.
    custom_settings: dict[str, Any] = {
        "SPIDER_MIDDLEWARES": {},
        "ITEM_PIPELINES": {"linkspider.store.links.LinkCheckPipeline": 800},
        "ADDONS": {"linkspider.crawl.rendering.RenderAddon": 100},
    }

    def __init__(self, site: str | None = None, target: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.site_arg, self.target_arg = site, target
        self.site, self.target = "", ""
        self.render_mode, self.render_active = "never", False
        self.rendered = 0

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        # The per-site request net (SiteRequestCapMiddleware) sits under a site walk's page budget; the
        # monitor's budget is its own page cap, and each page may be asked twice (once in the browser).
        if settings.getint("LINKSPIDER_SITE_REQUEST_CAP", 0) <= 0:
            pages = settings.getint("MONITOR_PAGES_PER_SITE", 100)
            cap = 2 * pages + settings.getint("LINKSPIDER_SITE_REQUEST_MARGIN", 12)
            settings.set("LINKSPIDER_SITE_REQUEST_CAP", cap, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> MonitorSpider:
        install_log_redaction()
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler.settings)
        crawler.signals.connect(spider.read_render_settings, signal=signals.spider_opened)
        return spider

    def configure(self, settings: Any) -> None:
        """Check the arguments (also called by linkspider's ``crawl`` command before the crawl starts)."""
        self.site = _domain_arg("site", self.site_arg)
        self.target = _domain_arg("target", self.target_arg)
        self.db_path = settings.get("LINKSPIDER_DB")
        self.recheck_days = settings.getfloat("MONITOR_RECHECK_DAYS", 0)
        self.per_site = settings.getint("MONITOR_PAGES_PER_SITE", 100)
        self.render_per_run = settings.getint("RENDER_MAX_PER_RUN", 200)
        if self.per_site < 1:
            raise NicheError(f"MONITOR_PAGES_PER_SITE must be at least 1, not {self.per_site}")

    @property
    def arguments(self) -> dict[str, Any]:
        """What the runs table records of this run."""
        return {k: v for k, v in (("site", self.site), ("target", self.target),
                                  ("recheck_days", self.recheck_days)) if v}

    def read_render_settings(self) -> None:
        """What the render add-on decided (add-ons run after the spider is built)."""
        settings = self.crawler.settings
        self.render_mode = str(settings.get("RENDER") or "auto").lower()
        self.render_active = settings.getbool("LINKSPIDER_RENDER_ACTIVE")
        if settings.get("LINKSPIDER_RENDER_PROBLEM"):
            logger.warning("pages that need JavaScript are checked without it: %s",
                           settings.get("LINKSPIDER_RENDER_PROBLEM"))

    # ------------------------------------------------------------ starting
    def _due(self) -> list[dict[str, Any]]:
        cutoff = None
        if self.recheck_days > 0:
            cutoff = (datetime.now(timezone.utc) - timedelta(days=self.recheck_days)).isoformat(timespec="milliseconds")
        with Store(self.db_path) as store:
            return store.placed_links(site=self.site or None, target=self.target or None, checked_before=cutoff)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """One request per linking page, each site's least recently checked pages first."""
        stats = self.crawler.stats
        try:
            links = self._due()
        except StoreError as exc:
            logger.error("cannot read the placed links: %s", exc)
            stats.inc_value("linkspider/store_errors")
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))
            return
        pages: dict[str, list[dict[str, str]]] = {}
        for link in links:
            pages.setdefault(link["page_url"], []).append({"id": link["id"], "target_url": link["target_url"]})
        per_site: dict[str, int] = defaultdict(int)
        stats.set_value("linkspider/monitor/links", len(links))
        if not links:
            logger.info("no placed links to check: add some with `linkspider links add PAGE_URL TARGET_URL`")
        for url, placed in pages.items():
            site = registrable_domain(url) or url
            per_site[site] += 1
            if per_site[site] > self.per_site:
                stats.inc_value("linkspider/monitor/deferred", len(placed))
                continue  # MONITOR_PAGES_PER_SITE: the rest wait for the next run
            stats.inc_value("linkspider/monitor/pages")
            yield self.page_request(url, {"site": site, "page_url": url, "placed": placed})
        deferred = stats.get_value("linkspider/monitor/deferred")
        if deferred:
            logger.warning("%d placed links wait for the next run: at most %d pages per site "
                           "(MONITOR_PAGES_PER_SITE)", deferred, self.per_site)

    def page_request(self, url: str, meta: dict[str, Any], *, browser: bool = False) -> scrapy.Request:
        if browser or (self.render_mode == "always" and self.render_active):
            meta = {**meta, "playwright": True}
        return scrapy.Request(url, callback=self.parse_page, errback=self.page_failed, dont_filter=True,
                              meta=meta)

    # ------------------------------------------------------------ checking
    def parse_page(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        redirects = list(meta.get("static", {}).get("redirects") or meta.get("redirect_urls") or [])
        common = {"http_status": response.status, "final_url": response.url, "redirects": redirects}
        if response.status in GONE_STATUSES:
            yield from self.items(meta, "gone", error=f"HTTP {response.status}", **common)
            return
        if response.status >= 400:
            yield from self.items(meta, "failed", error=f"HTTP {response.status}", **common)
            return
        html = response.text if isinstance(response, TextResponse) else ""
        header = b", ".join(response.headers.getlist(b"X-Robots-Tag")).decode("latin-1")
        targets = [p["target_url"] for p in meta["placed"]]
        check = check_page(html, response.url, targets, x_robots_tag=header)
        rendered = bool(meta.get("playwright"))
        if not rendered and self.worth_rendering(html, check):
            self.rendered += 1
            self.crawler.stats.inc_value("linkspider/render/requests")
            logger.info("checking %s again in the browser: no placed link in its static HTML", response.url)
            yield self.page_request(response.url, {**meta, "static": {"check": check, **common}}, browser=True)
            return
        yield from self.items(meta, "ok", check=check, js_only=rendered and "static" in meta, **common)

    def worth_rendering(self, html: str, check: PageCheck) -> bool:
        """The browser only when no placed link is in the static HTML and the page is built by script."""
        if not self.render_active or self.render_mode != "auto" or any(link.found for link in check.links):
            return False
        if self.rendered >= self.render_per_run:
            self.crawler.stats.inc_value("linkspider/render/capped")
            return False
        return bool(needs_render(html) or writes_page(html))

    def items(self, meta: dict[str, Any], outcome: str, *, check: PageCheck | None = None, js_only: bool = False,
              **fields: Any) -> Iterator[LinkCheckItem]:
        found = {link.target_url: link for link in check.links} if check else {}
        for placed in meta["placed"]:
            link = found.get(placed["target_url"])
            item = LinkCheckItem(link_id=placed["id"], page_url=meta["page_url"], target_url=placed["target_url"],
                                 outcome=outcome, **fields)
            if check is not None:
                item.noindex, item.canonical = check.noindex, check.canonical
            if link is not None and link.found:
                item.found, item.rel, item.anchor, item.link_url = True, link.rel, link.anchor, link.link_url
                item.js_only = js_only
            yield item

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        exc = failure.value
        reason = type(exc).__name__
        if "static" in meta:
            # The browser failed: the static page stands as read.
            self.crawler.stats.inc_value("linkspider/render/failed")
            logger.warning("could not check %s in the browser (%s); its static HTML is the check", request.url,
                           (str(exc) or reason).splitlines()[0][:200])
            static = meta["static"]
            yield from self.items(meta, "ok", check=static["check"], http_status=static["http_status"],
                                  final_url=static["final_url"], redirects=static["redirects"])
            return
        message = (str(exc) or reason).splitlines()[0][:300]
        if isinstance(exc, RobotsUnreachable):
            outcome = "failed"  # robots.txt answered 5xx or not at all: a bad moment, asked again next run
        elif isinstance(exc, IgnoreRequest):
            outcome = "unchecked"  # robots.txt forbids it, the SSRF guard refused it, a limit
        else:
            outcome = "failed"  # timeout, DNS, refused or dropped connection
            message = f"{reason}: {message}" if not message.startswith(reason) else message
        self.crawler.stats.inc_value(f"linkspider/monitor/{outcome}")
        logger.warning("could not check %s: %s", request.url, message)
        yield from self.items(meta, outcome, error=message, redirects=list(meta.get("redirect_urls") or []))
