"""Spider middleware: pages are extracted as they leave the spider, in a worker process when there is one.

It sits next to the spider (order 980). Each page leaves it with its facts and
without its HTML, in the order the spider yielded it, and before the checkpoint
middleware adds its "done" record: a page is still stored before its request
counts as done. Once a page's facts are in, the spider's ``page_extracted``
decides what else they make worth fetching (render the page, walk a search
result's site, snowball); those requests follow the page.

With ``EXTRACT_WORKERS`` > 0 (settings.py) extraction runs in worker processes
(``linkspider/crawl/workers.py``) and the requests a response produced go on
at once while its pages wait for their facts; with 0, or once no worker can
run, pages are extracted in the crawl process, in a thread of their own, so
that ``EXTRACT_TIMEOUT`` holds there too: a page that takes longer is kept
without facts (its row says so) and the crawl goes on — the reactor never
waits on a hostile page, and ``CLOSESPIDER_TIMEOUT`` still ends the crawl.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import AsyncIterator
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response

from linkspider.crawl.workers import (
    ExtractionError,
    ExtractionTimeout,
    ExtractorPool,
    PoolUnavailable,
    WorkerDied,
    page_facts,
)
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
        self.timeout = settings.getfloat("EXTRACT_TIMEOUT")
        self.pool: ExtractorPool | None = None
        self._thread: _ExtractThread | None = None  # in-process extraction, when there is no worker
        self._one_at_a_time = asyncio.Lock()
        if workers:
            self.pool = ExtractorPool(workers, timeout=self.timeout, max_restarts=settings.getint("EXTRACT_MAX_RESTARTS"))
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
        if self._thread is not None:
            self._thread.stop()

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
        return asyncio.ensure_future(self._in_process(item.url, args))

    async def _in_process(self, url: str, args: tuple[Any, ...]) -> dict[str, Any]:
        """``page_facts`` in this process's extraction thread, given EXTRACT_TIMEOUT like a worker."""
        async with self._one_at_a_time:  # a page's time counts from when it reaches the thread
            if self._thread is None:
                self._thread = _ExtractThread()
            try:
                return await asyncio.wait_for(self._thread.submit(page_facts, *args), self.timeout)
            except asyncio.TimeoutError:
                # A thread cannot be stopped: it is left to finish the page (the extractors are bounded:
                # 2,000,000 characters, no over-long words) and a new one takes the pages after it.
                self._thread.stop()
                self._thread = None
                logger.warning("extraction of %s took longer than EXTRACT_TIMEOUT (%g s): page kept without "
                               "facts", url, self.timeout)
                raise ExtractionTimeout(f"longer than {self.timeout:g} s") from None
            except Exception as exc:  # an extractor bug must not lose the page
                logger.error("extraction failed on %s; page kept without facts", url, exc_info=exc)
                error = ExtractionError(f"{exc.__class__.__name__}: {exc}")
                error.logged = True  # type: ignore[attr-defined]  # with its traceback, here
                raise error from None

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
        except (ExtractionTimeout, WorkerDied) as exc:  # logged where it happened, with the page
            kind = "timeouts" if isinstance(exc, ExtractionTimeout) else "worker_died"
            self.stats.inc_value(f"linkspider/extract/{kind}")
            self.stats.inc_value("linkspider/extract_errors")
            why = (f"extraction stopped after EXTRACT_TIMEOUT ({self.timeout:g} s)" if kind == "timeouts"
                   else "extraction crashed its worker twice")
            item.facts = {"notes": [f"{why}: kept without facts"]}
            return False
        except ExtractionError as exc:
            if not getattr(exc, "logged", False):
                logger.error("extraction failed on %s (%s); page kept without facts", item.url, exc)
            self.stats.inc_value("linkspider/extract_errors")
            item.facts = {"notes": [f"extraction failed ({exc}): kept without facts"]}
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


class _ExtractThread:
    """One daemon thread that runs extractions in order, for a crawl with no worker process.

    Not a ``ThreadPoolExecutor``: its threads are joined when Python exits, so one page that never
    finishes would keep the crawl from ever ending. A daemon thread left behind does not.
    """

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="linkspider-extract", daemon=True)
        self.thread.start()

    def submit(self, func: Any, *args: Any) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self.jobs.put((loop, future, func, args))
        return future

    def stop(self) -> None:
        self.jobs.put(None)

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            loop, future, func, args = job
            try:
                result, error = func(*args), None
            except Exception as exc:  # noqa: BLE001 - handed to the waiting page
                result, error = None, exc
            try:
                loop.call_soon_threadsafe(_settle, future, result, error)
            except RuntimeError:  # the crawl's loop closed while this page was still being read
                return


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # timed out meanwhile
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
