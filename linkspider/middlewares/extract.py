"""Spider middleware: pages are extracted as they leave the spider, in a worker process when there is one.

It sits next to the spider (order 980). Each page leaves it with its facts and
without its HTML, in the order the spider yielded it, and before the checkpoint
middleware adds its "done" record: a page is still stored before its request
counts as done. Once a page's facts are in, the spider's ``page_extracted``
decides what else they make worth fetching (render the page, walk a search
result's site, snowball); those requests follow the page.

With ``EXTRACT_WORKERS`` > 0 (settings.py) extraction runs in worker processes
(``linkspider/extract_pool.py``) and the requests a response produced go on
at once while its pages wait for their facts; with 0, or once no worker can
run, pages are extracted right here in the crawl process.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response

from linkspider.extract_pool import (ExtractionError, ExtractionTimeout, ExtractorPool, PoolUnavailable,
                                     WorkerDied, page_facts)
from linkspider.items import PageItem

logger = logging.getLogger(__name__)

Held = list[tuple[Any, "asyncio.Future[dict[str, Any]] | None"]]


def worker_count(value: Any) -> int:
    """EXTRACT_WORKERS: a number, or None/"auto" for one worker when the machine has a second core."""
    if value in (None, "", "auto"):
        return 1 if (os.cpu_count() or 1) > 1 else 0
    return max(0, int(value))


class ExtractMiddleware:
    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        workers = worker_count(settings.get("EXTRACT_WORKERS"))
        self.pool: ExtractorPool | None = None
        if workers:
            self.pool = ExtractorPool(workers, timeout=settings.getfloat("EXTRACT_TIMEOUT", 60.0),
                                      max_restarts=settings.getint("EXTRACT_MAX_RESTARTS", 10))
        self.stats.set_value("linkspider/extract/workers", workers)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExtractMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    async def spider_opened(self) -> None:
        if self.pool is not None:
            await self.pool.start()

    async def spider_closed(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self._record()

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        held: Held = []  # items in order, each page with its pending extraction
        try:
            async for entry in result:
                if isinstance(entry, Request) or not (held or isinstance(entry, PageItem)):
                    yield entry  # requests, and items ahead of any page, go straight on
                else:
                    held.append((entry, self._start(entry)))
        except Exception:
            # The callback raised: the pages it yielded before are not lost.
            async for entry in self._release(response, held):
                yield entry
            raise
        except BaseException:  # the output was abandoned (shutdown): nothing left to yield to
            for _, pending in held:
                if pending is not None:
                    pending.cancel()
            raise
        async for entry in self._release(response, held):
            yield entry

    def _start(self, item: Any) -> asyncio.Future[dict[str, Any]] | None:
        """The extraction of a page, started now (done already without workers); None if it needs none."""
        if not isinstance(item, PageItem) or not item.html or (item.facts and not item.verify_competitors):
            return None
        args = (item.html, item.url, item.verify_competitors, item.verify_optional, item.facts or None)
        if self.pool is not None and not self.pool.unavailable:
            return asyncio.ensure_future(self.pool.facts(*args))
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        try:
            future.set_result(page_facts(*args))
        except Exception as exc:  # an extractor bug must not lose the page
            logger.exception("extraction failed on %s; page kept without facts", item.url)
            error = ExtractionError(f"{exc.__class__.__name__}: {exc}")
            error.logged = True  # type: ignore[attr-defined]  # with its traceback, here
            future.set_exception(error)
        return future

    async def _release(self, response: Response, held: Held) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        for item, pending in held:
            more: list[Any] = []
            if pending is not None:
                if await self._finish(item, pending) and hasattr(spider, "page_extracted"):
                    try:
                        more = list(spider.page_extracted(response, item))
                    except Exception:  # a bug in a decision must not lose the page
                        logger.exception("deciding what to fetch after %s failed", item.url)
                        self.stats.inc_value("linkspider/page_extracted_errors")
                item.html, item.extracted = "", True
            yield item
            for entry in more:
                yield entry

    async def _finish(self, item: PageItem, pending: asyncio.Future[dict[str, Any]]) -> bool:
        """Facts on the item; False when extraction failed (the page is kept without them)."""
        try:
            item.facts = await pending
        except PoolUnavailable:  # the pool gave up while this page waited
            return await self._finish(item, self._start(item))  # type: ignore[arg-type]
        except (ExtractionTimeout, WorkerDied) as exc:  # the pool logged which page and why
            kind = "timeouts" if isinstance(exc, ExtractionTimeout) else "worker_died"
            self.stats.inc_value(f"linkspider/extract/{kind}")
            self.stats.inc_value("linkspider/extract_errors")
            item.facts = {}
            return False
        except ExtractionError as exc:
            if not getattr(exc, "logged", False):
                logger.error("extraction failed on %s (%s); page kept without facts", item.url, exc)
            self.stats.inc_value("linkspider/extract_errors")
            item.facts = {}
            return False
        finally:
            self._record()
        if item.facts.get("emails"):
            self.stats.inc_value("linkspider/pages_with_email")
        return True

    def _record(self) -> None:
        """The workers' figures in the stats, kept current (the store records the stats when it closes)."""
        if self.pool is not None:
            for name, value in self.pool.figures().items():
                self.stats.set_value(f"linkspider/extract/{name}", value)
