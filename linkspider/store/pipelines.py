"""The item pipeline: items reach it read and scored (the page stage did that), and are stored.

``StorePipeline`` writes them in batches (``Store.write_batch``: one
transaction, then the sites it touched are scored again), keeps one row per
crawl in ``runs``, and spills what the database would not take to a JSON
Lines file rather than lose it. Settings read: LINKSPIDER_DB,
LINKSPIDER_BATCH_SIZE, LINKSPIDER_FLUSH_SECONDS, LINKSPIDER_DB_TIMEOUT,
LINKSPIDER_JOB, SCORE_WEIGHTS, LINKSPIDER_TODAY.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from linkspider.items import ArticleItem, DiscoveryItem, FrontierItem, OutboundCheckItem, PageItem, QueryItem
from linkspider.score.prospect import parse_today
from linkspider.store.database import Store, StoreError
from linkspider.store.recovery import recover, save_unsaved

logger = logging.getLogger(__name__)


class StorePipeline:
    """Batched writes to the SQLite store, one run row per crawl, scores after each batch."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = settings.get("LINKSPIDER_DB")
        self.batch_size = settings.getint("LINKSPIDER_BATCH_SIZE")
        self.timeout = settings.getfloat("LINKSPIDER_DB_TIMEOUT")
        self.flush_seconds = settings.getfloat("LINKSPIDER_FLUSH_SECONDS")
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
        if isinstance(item, (PageItem, DiscoveryItem, FrontierItem, QueryItem, ArticleItem, OutboundCheckItem)):
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
            self.store.write_batch(batch, self.weights, self.today, getattr(self.crawler.spider, "niche", ""),
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


def _spider_args(spider: Any) -> dict[str, Any]:
    keys = ("niche_name", "seeds_path")
    return {k: getattr(spider, k) for k in keys if getattr(spider, k, None) is not None}
