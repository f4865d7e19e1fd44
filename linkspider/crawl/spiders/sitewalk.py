"""The site walk every spider shares: from an entry URL, walk one site for contacts.

Fetch the home page, then the internal links most likely to hold a contact or
a reason to pitch (see ``linkspider.crawl.linkrank``), highest value first, within a
per-site page budget (``SITE_PAGE_BUDGET``, spent through ``crawl/budget.py``)
and depth (``SITE_MAX_DEPTH``). Never leaves the site; robots.txt and the
blocklist are honoured, traps and file links are not followed
(``crawl/traps.py``). Each fetched page goes to the page stage
(``crawl/page_stage.py``), which reads it once off the crawl's thread and
hands back its facts and its links; the walk decides from that what to fetch
next, and the page - or the error that stopped it - goes on as one
``PageItem`` to be stored. The spider parses no HTML itself.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from linkspider.common.domains import registrable_domain
from linkspider.common.redact import install_log_redaction
from linkspider.crawl.budget import SiteBudget
from linkspider.crawl.checkpoint import CheckpointError, errback_checkpoint, restore
from linkspider.crawl.linkrank import rank_links
from linkspider.crawl.middlewares.robots import RobotsUnreachable
from linkspider.crawl.outbound import OutboundChecker
from linkspider.crawl.page_stage import PageResult, PageStage
from linkspider.crawl.rendering import needs_render, worth_rendering
from linkspider.crawl.traps import TrapFilter, trap_kind
from linkspider.discover.niches import Blocklist, NicheError, NicheProfile, load_niche
from linkspider.items import Discovery, DiscoveryItem, PageItem
from linkspider.score.page import NicheContext
from linkspider.score.relevance import NicheQuery
from linkspider.store.database import Store, StoreError

logger = logging.getLogger(__name__)

# Links below this value (blog posts, anything unnamed) never take the last
# pages of a site's budget: those are kept for contact pages found deeper.
LOW_VALUE = 50

# Connection-level failures after which an https:// entry is retried as http://
# (old seed lists, sites without TLS, proxies that refuse CONNECT).
_HTTP_FALLBACK_ERRORS = ("TunnelError", "SSLError", "ConnectionRefusedError", "ConnectError",
                         "ResponseNeverReceived", "ConnectionLost")


_UNICODE_BOMS = {b"\x00\x00\xfe\xff": "utf-32-be", b"\xff\xfe\x00\x00": "utf-32-le", b"\xef\xbb\xbf": "utf-8",
                 b"\xfe\xff": "utf-16-be", b"\xff\xfe": "utf-16-le"}
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")
# Control, private-use, unassigned and surrogate code points: what binary data decodes to.
_ODD_CATEGORIES = {"Cc", "Co", "Cn", "Cs"}


def looks_binary(body: bytes) -> bool:
    """A binary file whatever its Content-Type says: more than 2 % NUL or other control bytes in the first
    4 KB, or, for a body with a Unicode BOM (UTF-16 text is full of NUL bytes), control characters once
    decoded — a PDF can start with bytes that look like a BOM. A stray NUL byte in a real page is not
    proof of a binary: the extractors remove it and say so on the page's row."""
    head = body[:4096]
    for bom, codec in _UNICODE_BOMS.items():
        if head.startswith(bom):
            text = head[len(bom):].decode(codec, errors="replace")
            odd = sum(1 for ch in text if ch == "\ufffd" or (ch not in _TEXT_CONTROLS
                                                              and unicodedata.category(ch) in _ODD_CATEGORIES))
            return odd > max(2, len(text) // 50)
    if b"\x00" not in head and not _BINARY_BYTES.search(head):
        return False
    return len(_BINARY_BYTES.findall(head)) > max(2, len(head) // 50)


def _flag(name: str, value: Any, default: bool) -> bool:
    if value is None or value == "":
        return default
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise NicheError(f"-a {name}= must be 0 or 1, not {value!r}")


class SiteWalkSpider(scrapy.Spider):
    """Base of linkspider's spiders: argument checks, niche profile, blocklist, the walk.

    ``-a snowball=1``: roundups and resources pages about the niche that the
    walk comes across hand the sites they link to over as new prospects (one
    step deep, ``SNOWBALL_PER_ROUNDUP`` per page, ``SNOWBALL_MAX`` per run).
    """

    custom_settings: dict[str, Any] = {}
    snowball_default = False
    # The callbacks and errbacks a checkpointed request may name (linkspider/crawl/checkpoint.py).
    resumable_callbacks = frozenset({"parse_page", "page_failed", "outbound_checked", "outbound_failed"})

    def __init__(self, niche: str | None = None, snowball: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.niche_name = niche
        self.snowball_arg = snowball
        self.snowball = False
        self.snowballed = 0
        self.snowball_origin: set[str] = set()  # sites found by snowballing: they do not snowball further
        self.profile: NicheProfile | None = None
        self.blocklist = Blocklist()
        self.budget = SiteBudget(0)  # each site's page budget (configure() sets its size)
        self._rendered: dict[str, int] = {}  # site -> pages rendered in the browser
        self._rendered_total = 0
        self.recent: set[str] = set()
        self.job = ""
        self.render_mode, self.render_active, self.render_problem = "never", False, ""

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteWalkSpider:
        install_log_redaction()  # before anything logs a URL with a key or a password in it
        spider = super().from_crawler(crawler, *args, **kwargs)
        try:
            spider.configure(crawler.settings)
        except NicheError as exc:
            raise UsageError(str(exc), print_help=False) from exc
        crawler.signals.connect(spider.report_rendering, signal=signals.spider_opened)
        profile = spider.profile
        spider.pages = PageStage(crawler, NicheContext(spider.query, frozenset(profile.competitors),
                                                       brand=profile.brand, own_domains=frozenset(profile.domains)))
        crawler.signals.connect(spider.pages.start, signal=signals.spider_opened)
        crawler.signals.connect(spider.pages.close, signal=signals.spider_closed)
        return spider

    def report_rendering(self) -> None:
        """Read what the render add-on decided (add-ons run after spiders are built) and say it once."""
        settings = self.crawler.settings
        self.render_mode = str(settings.get("RENDER") or "auto").lower()
        self.render_active = settings.getbool("LINKSPIDER_RENDER_ACTIVE")
        self.render_problem = settings.get("LINKSPIDER_RENDER_PROBLEM") or ""
        if self.render_problem:
            logger.warning("rendering of JavaScript pages is off: %s", self.render_problem)
            self.crawler.stats.set_value("linkspider/render/unavailable", self.render_problem)
        elif self.render_active:
            logger.info("pages that need JavaScript are rendered with %s (RENDER=%s)",
                        self.crawler.settings.get("LINKSPIDER_BROWSER_PATH"), self.render_mode)

    def configure(self, settings: Any) -> None:
        """Read settings and check the arguments; NicheError says what is wrong.

        Also called by linkspider's ``crawl`` command before the crawl starts,
        so a typo in ``-a niche=`` is a one-line error, not a traceback.
        """
        self.page_budget = settings.getint("SITE_PAGE_BUDGET")
        self.max_depth = settings.getint("SITE_MAX_DEPTH")
        self.seeds_dir = Path(settings.get("LINKSPIDER_SEEDS_DIR"))
        if self.page_budget < 1:
            raise NicheError(f"SITE_PAGE_BUDGET must be at least 1, not {self.page_budget}")
        self.budget.pages = self.page_budget
        self.traps = TrapFilter.from_settings(settings)
        blocklist = Path(settings.get("LINKSPIDER_BLOCKLIST"))
        if not blocklist.is_absolute():
            blocklist = self.seeds_dir / blocklist
        self.blocklist = Blocklist.from_file(blocklist)
        self.render_per_site = settings.getint("RENDER_MAX_PER_SITE")
        self.render_per_run = settings.getint("RENDER_MAX_PER_RUN")
        self.snowball = _flag("snowball", self.snowball_arg, self.snowball_default)
        self.snowball_per_roundup = settings.getint("SNOWBALL_PER_ROUNDUP")
        self.snowball_max = settings.getint("SNOWBALL_MAX")
        self.recrawl_days = settings.getfloat("RECRAWL_AFTER_DAYS")
        self.seed_backlog = settings.getint("SEED_BACKLOG")
        self.db_path = settings.get("LINKSPIDER_DB")
        self.job = settings.get("LINKSPIDER_JOB") or ""
        self.outbound = OutboundChecker(self, settings)
        self.setup()
        assert self.profile is not None
        self.query = NicheQuery.from_profile(self.profile.keywords, self.profile.negative_keywords,
                                             self.profile.about)

    def setup(self) -> None:
        """Validate the spider's arguments; raise NicheError with a clear message."""
        if not self.niche_name:
            raise NicheError(f"spider {self.name!r} needs a niche: -a niche=NAME")
        self.profile = load_niche(self.niche_name, self.seeds_dir)

    @property
    def niche(self) -> str:
        return self.profile.name if self.profile else (self.niche_name or "")

    # ------------------------------------------------------------ starting
    async def start(self) -> AsyncIterator[Any]:
        """Resume the job's pending requests (if a killed run left some), then start as usual.

        Sites already in the job's checkpoint are not started again; sites walked
        within RECRAWL_AFTER_DAYS are skipped (their new provenance is still kept).
        """
        self.recent = self._recently_crawled()
        for request in self.resume():
            yield request
        async for output in self.fresh_start():
            yield output

    async def fresh_start(self) -> AsyncIterator[Any]:
        """What the spider starts from: seeds, queries, backlink exports."""
        return
        yield  # an async generator

    async def wait_for_backlog(self) -> None:
        """Start the next site only when the scheduler holds fewer than SEED_BACKLOG requests.

        Scrapy hands out requests of the site with the fewest downloads in flight,
        so with thousands of seeds it starts every site before finishing any, and
        their follow-up requests pile up in memory (docs/benchmarks.md: ~4 KB each,
        540 MB at 100,000 pages). Feeding sites as the queue drains keeps it flat.
        """
        scheduler = self.crawler.engine.scheduler if self.crawler.engine else None
        while scheduler is not None and len(scheduler) > self.seed_backlog:
            await asyncio.sleep(0.05)

    def db_exists(self) -> bool:
        """Reading the database must not create it (a distributed worker never writes one)."""
        return bool(self.db_path) and Path(self.db_path).is_file()

    def resume(self) -> list[scrapy.Request]:
        """The job's pending requests, restored from their records; a row that is not one is refused, not run."""
        if not self.job or not self.db_exists():
            return []
        with Store(self.db_path) as store:
            rows = store.frontier(self.job)
        if not rows:
            return []
        requests, refused = [], []
        for row in rows:
            if row["state"] == "pending" and row["request"]:
                try:
                    request = restore(row["request"], self)
                except CheckpointError as exc:
                    refused.append(f"{row['url'][:200]}: {exc}")
                    continue  # neither run nor counted: its site is walked as if never started
                request.meta["resumed"] = True
                requests.append(request)
            if row["site"]:  # everything this job scheduled counts as seen, and spent as it was then
                self.budget.restore(row["site"], row["url"], row["spends"])
        if refused:
            logger.warning("job %s: %d checkpointed request(s) refused and not run, e.g. %s", self.job,
                           len(refused), refused[0])
            self.crawler.stats.set_value("linkspider/resume_refused", len(refused))
        logger.info("resuming job %s: %d requests pending, %d done before the interruption",
                    self.job, len(requests), len(rows) - len(requests) - len(refused))
        self.crawler.stats.set_value("linkspider/resumed_requests", len(requests))
        return requests

    def resumed_request(self, request: scrapy.Request) -> scrapy.Request:
        """A request restored from the job's checkpoint, as this spider sends it now."""
        if "search" in request.meta:
            raise CheckpointError(f"a search request, but spider {self.name!r} does not search")
        return request

    def _recently_crawled(self) -> set[str]:
        if not self.db_exists() or self.recrawl_days <= 0:
            return set()
        try:
            with Store(self.db_path) as store:
                return store.recently_crawled(self.recrawl_days)
        except StoreError as exc:
            logger.warning("cannot tell which sites were crawled recently (%s); walking all", exc)
            return set()

    def skip_sites(self) -> set[str]:
        """Sites never to start walking: those walked within RECRAWL_AFTER_DAYS."""
        return self.recent

    # ------------------------------------------------------------ the walk
    def walk_site(self, url: str, discovery: Discovery,
                  entry_meta: dict[str, Any] | None = None) -> list[Any]:
        """Requests that start (or extend) the walk of ``url``'s site.

        A new site starts at its home page; an entry URL deeper in the site (a
        guidelines page from a seed list) is fetched as well. A further entry
        for a site already being walked is fetched if the budget allows.
        Blocklisted sites give nothing. ``entry_meta`` goes on the request for
        ``url`` itself (the home request when ``url`` is the home page).
        """
        site = registrable_domain(url)
        if not site:
            self.crawler.stats.inc_value("linkspider/skipped/no_domain")
            logger.warning("skipping %s: no registrable domain", url)
            return []
        if self.blocklist.blocks(site):
            self.crawler.stats.inc_value("linkspider/skipped/blocklisted")
            logger.info("skipping %s: %s is on the blocklist", url, site)
            return []
        if site in self.recent and not self.budget.knows(site):
            self.crawler.stats.inc_value("linkspider/skipped/recent")
            logger.debug("skipping %s: walked less than %g days ago (RECRAWL_AFTER_DAYS)", site, self.recrawl_days)
            return [DiscoveryItem(domain=site, niche=self.niche, url=url, discovery=discovery)]
        parts = urlsplit(url)
        home = f"{parts.scheme}://{parts.netloc}/"
        meta = {"site": site, "site_depth": 0, "discovery": discovery}
        requests = []
        if self.budget.start(site, home):
            self.crawler.stats.inc_value("linkspider/sites")
            is_entry = canonicalize_url(url) == canonicalize_url(home)
            home_meta = {**meta, "is_home": True, **((entry_meta or {}) if is_entry else {})}
            requests.append(self.page_request(home, home_meta))
        if self.budget.claim(site, url):
            requests.append(self.page_request(url, {**meta, **(entry_meta or {})}, priority=100))
        return requests

    def page_request(self, url: str, meta: dict[str, Any], *, priority: int = 0, dont_filter: bool = True,
                     callback: Any = None) -> scrapy.Request:
        """A request for a page of a prospect site (through the browser when RENDER=always)."""
        if self.render_mode == "always" and self.render_active:
            meta = {**meta, "playwright": True, "render_reason": "always"}
        return scrapy.Request(url, callback=callback or self.parse_page, errback=self.page_failed,
                              dont_filter=dont_filter, priority=priority, meta=meta)

    def render_request(self, response: HtmlResponse, item: PageItem, result: PageResult) -> scrapy.Request | None:
        """The same page again through the browser, when its static HTML needs it and it is worth it."""
        meta = response.meta
        if (not self.render_active or self.render_mode != "auto" or meta.get("playwright")
                or "<script" not in item.html[:200_000].lower()):
            return None
        stats = self.crawler.stats
        links = len(result.links)
        worth = worth_rendering(is_home=item.is_home, link_kind=meta.get("link_kind", ""), facts=item.facts,
                                internal_links=links)
        if not worth:
            if needs_render(item.html, None) in ("empty_app_root", "noscript"):
                stats.inc_value("linkspider/render/not_worth_it")
            return None
        reason = needs_render(item.html, item.facts)
        if reason is None:
            return None
        if self._rendered.get(item.domain, 0) >= self.render_per_site or self._rendered_total >= self.render_per_run:
            stats.inc_value("linkspider/render/capped")
            return None
        self._rendered[item.domain] = self._rendered.get(item.domain, 0) + 1
        self._rendered_total += 1
        stats.inc_value("linkspider/render/requests")
        stats.inc_value(f"linkspider/render/reason/{reason}")
        logger.info("rendering %s in the browser (%s)", response.url, reason)
        keep = {k: meta[k] for k in ("site", "site_depth", "is_home", "link_kind", "discovery",
                                     "verify_competitors", "verify_optional") if k in meta}
        return scrapy.Request(response.url, callback=self.parse_page, errback=self.page_failed, dont_filter=True,
                              priority=90, meta={**keep, "playwright": True, "render_reason": reason})

    async def parse_page(self, response: Response, follow: bool = True) -> AsyncIterator[Any]:
        """A page of the walk: read by the page stage, stored, and followed where it leads."""
        item = self.page_item(response)
        if item is None:
            return
        if not item.html:  # an error page or not HTML: its row says why
            yield item
            return
        result = await self.pages.read(item)
        after = list(self.after_page(response, item, result, follow)) if result is not None else []
        item.short_walk = self.walks_short(item.domain)  # after_page may have just decided it
        item.html = ""  # read: what is stored are its facts
        yield item
        for entry in after:
            yield entry

    def page_item(self, response: Response) -> PageItem | None:
        """The response as a ``PageItem`` (its HTML still on it), an error row, or None for a page that is
        not this site's (a link that redirected elsewhere)."""
        meta = response.meta
        site: str = meta["site"]
        is_home = bool(meta.get("is_home"))
        final_site = registrable_domain(response.url)
        if final_site != site:
            if not is_home or not final_site or self.blocklist.blocks(final_site):
                # A link that redirected off the site (or to a platform): not this site's page.
                self.crawler.stats.inc_value("linkspider/skipped/offsite_redirect")
                logger.info("%s redirected off %s to %s: not followed", meta.get("redirect_urls", [response.url])[0],
                            site, response.url)
                return None
            # The entry moved to another domain: the site is where it lives now.
            logger.info("site %s moved to %s", site, final_site)
            self.budget.adopt(final_site)
            site = final_site
        # Where a redirect landed counts as seen, so the walk does not fetch it again.
        self.budget.note(site, response.url)
        item = PageItem(
            url=response.url, domain=site, niche=self.niche, status=response.status,
            requested_url=(meta.get("redirect_urls") or [response.url])[0],
            depth=meta.get("site_depth", 0), is_home=is_home,
            discovery=meta.get("discovery"), verify_competitors=meta.get("verify_competitors", []),
            verify_optional=meta.get("verify_optional", []), short_walk=self.walks_short(site),
        )
        if response.status >= 400:
            self.crawler.stats.inc_value(f"linkspider/http_errors/{response.status}")
            return self.failed(item, f"HTTP {response.status}")
        if not isinstance(response, HtmlResponse) or looks_binary(response.body):
            ctype = response.headers.get("Content-Type", b"").decode("latin-1") or "unknown"
            self.crawler.stats.inc_value("linkspider/skipped/not_html")
            logger.info("skipping %s: not an HTML page (Content-Type: %s)", response.url, ctype)
            return self.failed(item, f"not an HTML page (Content-Type: {ctype})")
        item.html = response.text
        self.crawler.stats.inc_value("linkspider/pages")
        if meta.get("playwright"):
            self.crawler.stats.inc_value("linkspider/render/rendered")
        return item

    def walks_short(self, site: str) -> bool:
        """Is ``site`` held to a short walk (its pages then do not count as a walk for RECRAWL_AFTER_DAYS)?"""
        return False

    @staticmethod
    def failed(item: PageItem, error: str) -> PageItem:
        """``item`` as a row of a page that could not be read: the error, and the links a backlink export
        said it holds recorded as gone (the page is, and its links with it)."""
        item.error = error
        gone = [c for c in item.verify_competitors if c not in item.verify_optional]
        if gone:
            item.facts["competitor_links"] = [{"competitor": c, "url": "", "anchor": "", "rel": [], "status": "gone"}
                                              for c in gone]
        return item

    def after_page(self, response: Response, item: PageItem, result: PageResult, follow: bool) -> Iterator[Any]:
        """What a page makes worth fetching: its links, the page rendered in the browser, the sites it
        snowballs to. Runs while the HTML is still on the item (the render decision reads it)."""
        if not isinstance(response, HtmlResponse):
            return
        yield from self.outbound.check_page(item)
        render = self.render_request(response, item, result)
        if render is not None:
            yield render
        yield from self.maybe_snowball(item, response.meta)
        if follow and item.depth < self.max_depth:
            yield from self.follow_links(result.links, item.domain, item.depth)

    # ------------------------------------------------------------ broken links (linkspider/crawl/outbound.py)
    def outbound_checked(self, response: Response) -> Iterator[Any]:
        yield from self.outbound.checked(response)

    def outbound_failed(self, failure: Failure) -> list[Any]:
        return errback_checkpoint(self, failure.request, list(self.outbound.failed(failure)))  # type: ignore[attr-defined]

    def outbound_known(self, days: float) -> dict[str, dict[str, Any]]:
        """Links an earlier run found dead or alive less than ``days`` ago (not asked again)."""
        if not self.db_exists() or days <= 0:
            return {}
        try:
            with Store(self.db_path, reading=True) as store:
                return store.outbound_known(days)
        except StoreError as exc:
            logger.warning("cannot read earlier link checks (%s); checking every link", exc)
            return {}

    # ------------------------------------------------------------ snowballing
    def maybe_snowball(self, item: PageItem, meta: dict[str, Any]) -> Iterator[Any]:
        """Pages the walk reached through a roundup/resources link may snowball."""
        if not self.snowball or meta.get("link_kind") not in ("roundup", "resources"):
            return
        yield from self.snowball_from(item)

    def snowball_from(self, page: PageItem) -> Iterator[Any]:
        """The sites a roundup or resources page about the niche links to become prospects."""
        facts = page.facts
        if not self.snowball or page.domain in self.snowball_origin or not (
                facts.get("is_roundup") or facts.get("is_resources")):
            return
        if not facts.get("on_niche"):
            self.crawler.stats.inc_value("linkspider/snowball/off_niche_pages")
            return
        taken = 0
        for link in facts.get("outbound_links", []):
            if taken >= self.snowball_per_roundup or self.snowballed >= self.snowball_max:
                break
            site = registrable_domain(link["url"])
            if not site or site == page.domain or self.blocklist.blocks(site) or site in self.skip_sites():
                continue
            discovery = Discovery(source="snowball", detail=page.url, snippet=link.get("text", "")[:300])
            if self.budget.knows(site):
                yield from self.known_site(link["url"], site, discovery)
                continue
            taken += 1
            self.snowballed += 1
            self.snowball_origin.add(site)
            yield from self.snowball_site(link["url"], site, discovery)
        self.crawler.stats.inc_value("linkspider/snowball/sites", taken)

    def snowball_site(self, url: str, site: str, discovery: Discovery) -> Iterator[Any]:
        yield from self.walk_site(url, discovery)

    def known_site(self, url: str, site: str, discovery: Discovery) -> Iterator[Any]:
        """Another way to a site this crawl already walks: recorded as provenance."""
        yield DiscoveryItem(domain=site, niche=self.niche, url=url, discovery=discovery)

    def follow_links(self, links: list[tuple[str, str]], site: str, depth: int) -> Iterator[scrapy.Request]:
        """The best of a page's own links, as far as the site's budget goes: ``links`` are ``(url, cues)``."""
        stats = self.crawler.stats
        kept = []
        for url, cues in links:
            try:
                canonicalize_url(url)  # a link with a port out of range, say, is no link
            except ValueError:
                stats.inc_value("linkspider/skipped/invalid_url")
                continue
            if (trap := self.traps.reason(url)) is not None:  # no budget spent on calendars and files
                stats.inc_value(f"linkspider/skipped/trap/{trap_kind(trap)}")
                continue
            kept.append((url, cues))
        for ranked in rank_links(kept):
            left = self.budget.left(site)
            if left <= 0:
                stats.inc_value("linkspider/budget_reached")
                break
            if ranked.value < LOW_VALUE and left <= max(1, self.page_budget // 4):
                continue
            if not self.budget.claim(site, ranked.url):
                continue
            yield self.page_request(ranked.url, {"site": site, "site_depth": depth + 1, "link_kind": ranked.kind},
                                    priority=ranked.value, dont_filter=False)

    def page_failed(self, failure: Failure) -> list[Any]:
        request = failure.request  # type: ignore[attr-defined]
        return errback_checkpoint(self, request, list(self._page_failed(failure, request)))

    def _page_failed(self, failure: Failure, request: scrapy.Request) -> Iterator[Any]:
        meta = request.meta
        reason = failure.value.__class__.__name__
        unreachable = failure.value if isinstance(failure.value, RobotsUnreachable) else None
        if (meta.get("is_home") and request.url.startswith("https://") and not meta.get("http_fallback")
                and (reason in _HTTP_FALLBACK_ERRORS or (unreachable is not None and unreachable.connection))):
            self.crawler.stats.inc_value("linkspider/http_fallback")
            logger.info("%s failed (%s); trying http://", request.url, reason)
            yield request.replace(url="http://" + request.url[len("https://"):],
                                  meta={**meta, "http_fallback": True})
            return
        if unreachable is not None:
            # The origin's robots.txt could not be read: nothing of it is fetched, and the row says why.
            yield PageItem(url=request.url, domain=meta["site"], niche=self.niche, status=None,
                           error=str(unreachable), requested_url=request.url, depth=meta.get("site_depth", 0),
                           is_home=bool(meta.get("is_home")), discovery=meta.get("discovery"),
                           short_walk=self.walks_short(meta["site"]))
            return
        if reason == "IgnoreRequest" and "robots.txt" in str(failure.value):
            # robots.txt forbade it (the middleware counts and logs those itself).
            return
        if meta.get("playwright") and meta.get("render_reason") != "always":
            # The static page is already stored; a failed render must not overwrite it.
            self.crawler.stats.inc_value("linkspider/render/failed")
            logger.warning("could not render %s in the browser: %s", request.url,
                           (str(failure.value) or reason).splitlines()[0][:200])
            return
        message = str(failure.value) or reason
        self.crawler.stats.inc_value(f"linkspider/fetch_errors/{reason}")
        logger.warning("could not fetch %s: %s", request.url, message)
        first = (meta.get("redirect_urls") or [request.url])[0]  # the URL we asked for, not a loop's last hop
        yield PageItem(
            url=first, domain=meta["site"], niche=self.niche, status=None,
            error=f"{reason}: {message}"[:300], requested_url=first,
            depth=meta.get("site_depth", 0), is_home=bool(meta.get("is_home")),
            discovery=meta.get("discovery"), short_walk=self.walks_short(meta["site"]),
        )
