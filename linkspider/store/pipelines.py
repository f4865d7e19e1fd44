"""Item pipelines: extract -> score -> store. Thin glue, in ITEM_PIPELINES order.

``ExtractPipeline`` runs the pure extractors over the pages that reached it
unextracted (``linkspider/crawl/middlewares/extract.py`` extracts the rest) and drops
the HTML; ``ScorePipeline`` scores the page against the crawl's niche (BM25
relevance, competitor links); ``StorePipeline`` writes pages in batches and,
after each batch, scores the sites it touched. Settings read: LINKSPIDER_DB,
LINKSPIDER_BATCH_SIZE, LINKSPIDER_FLUSH_SECONDS, SCORE_WEIGHTS, LINKSPIDER_TODAY.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from linkspider.common.domains import registrable_domain
from linkspider.crawl.workers import page_facts
from linkspider.items import DiscoveryItem, FrontierItem, PageItem, QueryItem
from linkspider.score.prospect import parse_today, score_site
from linkspider.score.relevance import NicheQuery, page_relevance
from linkspider.store.database import Store, StoreError
from linkspider.store.recovery import recover, save_unsaved

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """The net under ExtractMiddleware, which extracts every page a spider callback yields.

    Pages that bypassed it (from errbacks or ``start()``, or with the middleware
    taken out of SPIDER_MIDDLEWARES) are extracted here; for pages that failed
    to load it records their links to competitors as gone.
    """

    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or item.extracted:
            return item
        if not item.html:
            if item.verify_competitors:  # the referring page is gone, and its links with it
                item.facts["competitor_links"] = [
                    {"competitor": c, "url": "", "anchor": "", "rel": [], "status": "gone"}
                    for c in item.verify_competitors if c not in item.verify_optional]
            return item
        try:
            item.facts = page_facts(item.html, item.url, item.verify_competitors, item.verify_optional,
                                    item.facts or None)
        except Exception:  # an extractor bug must not lose the page
            logger.exception("extraction failed on %s; page kept without facts", item.url)
            self.stats.inc_value("linkspider/extract_errors")
            item.facts = {}
        item.html, item.extracted = "", True
        if item.facts.get("emails"):
            self.stats.inc_value("linkspider/pages_with_email")
        return item


class ScorePipeline:
    """Page-level scores against the crawl's niche: relevance and links to competitors."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.query: NicheQuery | None = None
        self.competitors: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ScorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        profile = getattr(self.crawler.spider, "profile", None)
        if profile is not None:
            self.query = NicheQuery.from_profile(profile.keywords, profile.negative_keywords, profile.about)
            self.competitors = set(profile.competitors)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem) or not item.facts.get("terms"):
            return item
        facts = item.facts
        if self.query is not None:
            rel = page_relevance(facts.get("terms", {}), facts.get("words", 0), self.query)
            facts["relevance"], facts["negative"] = round(rel.score, 3), round(rel.negative, 3)
        domains = {registrable_domain(link["url"]) for link in facts.get("outbound_links", [])}
        domains.discard("")
        facts["outbound_domains"] = len(domains)
        seen = competitor_links(facts.get("outbound_links", []), self.competitors & domains)
        if seen:
            verified = {c["competitor"] for c in facts.get("competitor_links", [])}
            facts["competitor_links"] = facts.get("competitor_links", []) + [
                c for c in seen if c["competitor"] not in verified]
            self.crawler.stats.inc_value("linkspider/competitor_links", len(seen))
        return item


def competitor_links(links: list[dict[str, Any]], competitors: set[str]) -> list[dict[str, Any]]:
    """The best link to each competitor among a page's outbound links (followed beats nofollow)."""
    best: dict[str, dict[str, Any]] = {}
    for link in links:
        competitor = registrable_domain(link["url"])
        if competitor not in competitors:
            continue
        rel = [r for r in link.get("rel", []) if r in ("nofollow", "sponsored", "ugc")]
        status = rel[0] if rel else "present"
        found = {"competitor": competitor, "url": link["url"], "anchor": link.get("text", ""),
                 "rel": link.get("rel", []), "status": status}
        if competitor not in best or (status == "present" and best[competitor]["status"] != "present"):
            best[competitor] = found
    return list(best.values())


class StorePipeline:
    """Batched writes to the SQLite store, one run row per crawl, scores after each batch."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = settings.get("LINKSPIDER_DB")
        self.batch_size = settings.getint("LINKSPIDER_BATCH_SIZE", 100)
        self.timeout = settings.getfloat("LINKSPIDER_DB_TIMEOUT", 30.0)
        self.flush_seconds = settings.getfloat("LINKSPIDER_FLUSH_SECONDS", 5.0)
        self.store: Store | None = None
        self.buffer: list[Any] = []
        self.last_flush = time.monotonic()
        self.run_id: int | None = None
        self.failure = ""  # the last store error, for the run's reason
        self.closing = False
        self.job = settings.get("LINKSPIDER_JOB") or ""
        self.weights = settings.getdict("SCORE_WEIGHTS")
        self.today = parse_today(settings.get("LINKSPIDER_TODAY"))
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        try:
            self.store = Store(self.db_path, timeout=self.timeout)
            # What earlier runs left: pages a store failure kept out, rows of runs that were killed.
            for message in recover(self.store, self.weights, self.today):
                logger.warning("%s", message)
            self.run_id = self.store.start_run(spider.name, getattr(spider, "niche", ""),
                                               _spider_args(spider), job=self.job)
        except StoreError as exc:
            # One clear line and a clean stop (exit status 1), not a traceback.
            self.failure = str(exc)
            logger.error("cannot store this crawl: %s", exc)
            self.stats.inc_value("linkspider/store_errors")
            if self.store is not None:
                self.store.close()
                self.store = None
            self.closing = True
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))
            return
        logger.info("storing into %s", self.db_path)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, (PageItem, DiscoveryItem, FrontierItem, QueryItem)):
            self.buffer.append(item)
            if (len(self.buffer) >= self.batch_size
                    or time.monotonic() - self.last_flush >= self.flush_seconds):
                self.flush()
        return item

    def flush(self) -> None:
        if not self.buffer or self.store is None:
            return
        batch, self.buffer = self.buffer, []
        try:
            store_batch(self.store, batch, self.weights, self.today, getattr(self.crawler.spider, "niche", ""),
                        job=self.job)
        except StoreError as exc:
            # Keep the batch and stop the crawl: better a short run than lost pages.
            self.buffer = batch + self.buffer
            self.stats.inc_value("linkspider/store_errors")
            self.failure = str(exc)
            logger.error("could not write %d pages: %s", len(batch), exc)
            if not self.closing:
                self.closing = True
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))
            return
        finally:
            self.last_flush = time.monotonic()
        self.stats.inc_value("linkspider/stored_pages", sum(isinstance(i, PageItem) for i in batch))

    def spill(self, reason: str) -> None:
        """Last resort when the database stays unwritable: the unwritten items and how this run ended go to
        unsaved-*.jsonl (linkspider/store/recovery.py), which the next crawl or `linkspider recover` imports."""
        spider = self.crawler.spider
        stats = self.stats.get_stats()
        started = stats.get("start_time")
        run = {"run": self.run_id, "spider": spider.name, "niche": getattr(spider, "niche", ""), "job": self.job,
               "args": _spider_args(spider), "started": started.isoformat(timespec="milliseconds") if started else "",
               "reason": reason, "detail": self.failure, "stats": stats}
        self.buffer = save_unsaved(self.buffer, self.db_path, run)

    def close_spider(self) -> None:
        if self.store is not None:
            self.flush()  # the run's end is recorded once Scrapy says why it closed (spider_closed)

    def spider_closed(self, reason: str) -> None:
        """Record how the run ended - Scrapy tells the reason (shutdown on SIGINT/SIGTERM, a CLOSESPIDER_*
        limit, finished) only after the pipelines closed - and close the store."""
        if reason == "finished" and (self.buffer or self.stats.get_value("linkspider/store_errors")):
            reason = "store_error"  # the run row must not say finished when pages did not land
            self.stats.set_value("finish_reason", reason)
        if self.buffer:  # the pages first, with how the run ended: the database may stay locked
            self.spill(reason)
            if self.store is not None:
                self.end_run(reason)
        elif self.store is not None and not self.end_run(reason) and self.run_id is not None:
            self.spill(reason)  # only how the run ended
        if self.store is not None:
            self.store.close()
            self.store = None

    def end_run(self, reason: str) -> bool:
        """Close this run's row (and a finished job's checkpoint: the next run starts afresh); False when
        the database refused, and how the run ended must be saved with the unwritten pages."""
        assert self.store is not None
        try:
            if self.job and reason == "finished":
                self.store.clear_frontier(self.job)
            if self.run_id is not None:
                self.store.finish_run(self.run_id, reason, self.stats.get_stats(), detail=self.failure)
        except StoreError as exc:
            logger.warning("could not record how this run ended: %s", exc)
            return False
        return True


def store_batch(store: Store, batch: list[Any], weights: dict[str, float], today: date | None,
                niche: str = "", job: str = "") -> None:
    """Write a batch (one transaction), then score the sites it touched: StorePipeline and `linkspider ingest`."""
    store.write_pages(batch, job=job)
    domains = {item.domain for item in batch if isinstance(item, (PageItem, DiscoveryItem))}
    store.save_scores({s["domain"]: score_site(s, weights, today, niche) for s in store.site_facts(domains)})


def _spider_args(spider: Any) -> dict[str, Any]:
    keys = ("niche_name", "seeds_path")
    return {k: getattr(spider, k) for k in keys if getattr(spider, k, None) is not None}
