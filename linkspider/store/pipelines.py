"""The item pipeline: items reach it read and scored (the page stage did that), and are stored.

``StorePipeline`` writes them in batches (``Store.write_batch``: one
transaction, then the sites it touched are scored again), keeps one row per
crawl in ``runs``, and spills what the database would not take to a JSON
Lines file rather than lose it. Settings read: LINKSPIDER_DB,
LINKSPIDER_BATCH_SIZE, LINKSPIDER_FLUSH_SECONDS, LINKSPIDER_DB_TIMEOUT,
LINKSPIDER_JOB, SCORE_WEIGHTS, LINKSPIDER_TODAY.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scrapy.utils.defer import deferred_from_coro

from linkspider.items import ArticleItem, DiscoveryItem, FrontierItem, OutboundCheckItem, PageItem, QueryItem
from linkspider.score.prospect import parse_today
from linkspider.store.database import Store, StoreError

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
        self.closing = False
        self.job = settings.get("LINKSPIDER_JOB") or ""
        self.weights = settings.getdict("SCORE_WEIGHTS")
        self.today = parse_today(settings.get("LINKSPIDER_TODAY"))

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        try:
            self.store = Store(self.db_path, timeout=self.timeout)
            self.run_id = self.store.start_run(spider.name, getattr(spider, "niche", ""),
                                               _spider_args(spider))
        except StoreError as exc:
            # One clear line and a clean stop (exit status 1), not a traceback.
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
            logger.error("could not write %d pages: %s", len(batch), exc)
            if not self.closing:
                self.closing = True
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))
            return
        finally:
            self.last_flush = time.monotonic()
        self.stats.inc_value("linkspider/stored_pages", sum(isinstance(i, PageItem) for i in batch))

    def spill(self) -> None:
        """Last resort when the database stays unwritable: pages go to a JSON Lines file beside it,
        or in the temporary folder when the database's folder cannot take it (a full disk).
        A file that could not be written whole is removed: no empty or half file is left."""
        name = f"unsaved-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.jsonl"
        text = "".join(json.dumps(asdict(item), default=str) + "\n" for item in self.buffer)
        problems = []
        for folder in dict.fromkeys([Path(self.db_path).parent, Path(tempfile.gettempdir())]):
            path = folder / name
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                problems.append(f"{folder}: {exc.strerror or exc}")
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
                continue
            logger.error("%d pages could not be written to %s; they are saved in %s",
                         len(self.buffer), self.db_path, path)
            self.buffer = []
            return
        logger.error("could not save %d pages anywhere (%s)", len(self.buffer), "; ".join(problems))

    def close_spider(self) -> None:
        if self.store is None:
            if self.buffer:
                self.spill()
            return
        self.flush()
        if self.buffer:
            self.spill()
        failed = bool(self.stats.get_value("linkspider/store_errors"))
        reason = self.stats.get_value("finish_reason") or "finished"
        if failed and reason == "finished":
            reason = "store_error"  # the run row must not say finished when pages did not land
            self.stats.set_value("finish_reason", reason)
        if self.job and reason == "finished":
            self.store.clear_frontier(self.job)  # done: the next run of this job starts afresh
        try:
            if self.run_id is not None:
                self.store.finish_run(self.run_id, str(reason), self.stats.get_stats())
        except Exception as exc:  # the pages are stored; a missing run row is not worth a crash
            logger.warning("could not record the run: %s", exc)
        self.store.close()


def _spider_args(spider: Any) -> dict[str, Any]:
    keys = ("niche_name", "seeds_path")
    return {k: getattr(spider, k) for k in keys if getattr(spider, k, None) is not None}
