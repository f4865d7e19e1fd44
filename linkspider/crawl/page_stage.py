"""The page stage: each fetched page is read once, off the crawl's thread, and handed back to the site walk.

The site walk awaits ``PageStage.read(item)`` for every page it fetched; the
page goes to a worker process (``linkspider/crawl/workers.py``,
``EXTRACT_WORKERS``) that runs :func:`process_page`: the tree is parsed once
(:func:`linkspider.extract.page.read_page`: the public facts, the page's own
links with their cues, the check of competitor links a backlink export
expects) and scored against the niche (:func:`linkspider.score.page.score_page`:
relevance, links to competitors). The walk gets a plain :class:`PageResult`
and decides from it what to fetch next; the crawl process parses no page.

With ``EXTRACT_WORKERS = 0``, or once no worker can run, pages are read in a
daemon thread of the crawl process with the same ``EXTRACT_TIMEOUT``: the
reactor never waits on a hostile page and ``CLOSESPIDER_TIMEOUT`` still ends
the crawl. A page that cannot be read in time, kills its worker twice or
trips an extractor bug is kept without facts; its row says why.

Settings: EXTRACT_WORKERS, EXTRACT_TIMEOUT, EXTRACT_MAX_RESTARTS. Stats:
``linkspider/extract/{workers,worker_pages,worker_cpu_seconds,worker_peak_rss_mb,
worker_restarts,timeouts,worker_died}``, ``linkspider/extract_errors``,
``linkspider/pages_with_email``, ``linkspider/competitor_links``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from linkspider.crawl.workers import (
    ExtractionError,
    ExtractionTimeout,
    ExtractorPool,
    PoolUnavailable,
    WorkerDied,
)
from linkspider.extract.page import Links, read_page
from linkspider.items import PageItem
from linkspider.score.page import NicheContext, mark_mention, score_page

logger = logging.getLogger(__name__)

PROCESS_PAGE = "linkspider.crawl.page_stage:process_page"


@dataclass
class PageResult:
    """What a page gave: its facts (stored), its own links with their cues (for the walk)."""

    facts: dict[str, Any]
    links: Links = field(default_factory=list)
    competitors_seen: int = 0


def process_page(html: str, url: str, verify: Sequence[str] = (), optional: Collection[str] = (),
                 context: NicheContext | None = None) -> PageResult:
    """Read one page and score it against the niche (and, with a brand, tell an unlinked mention): what a
    worker runs for each page."""
    facts, links = read_page(html, url, verify, optional, brand=context.brand if context else "")
    seen = score_page(facts, context)
    mark_mention(facts, url, context)
    return PageResult(facts, links, seen)


def worker_count(value: Any) -> int:
    """EXTRACT_WORKERS: a number, or None/"auto" for one worker when the machine has a second core."""
    if value in (None, "", "auto"):
        return 1 if (os.cpu_count() or 1) > 1 else 0
    return max(0, int(value))


class PageStage:
    """Reads the pages of one crawl (see the module docstring); started and closed with the spider."""

    def __init__(self, crawler: Any, context: NicheContext | None = None) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.context = context
        self.timeout = settings.getfloat("EXTRACT_TIMEOUT")
        workers = worker_count(settings.get("EXTRACT_WORKERS"))
        self.pool: ExtractorPool | None = None
        if workers:
            self.pool = ExtractorPool(workers, func=PROCESS_PAGE, timeout=self.timeout,
                                      max_restarts=settings.getint("EXTRACT_MAX_RESTARTS"))
        self._thread: _PageThread | None = None  # the crawl process's own reader, when there is no worker
        self._one_at_a_time = asyncio.Lock()
        self.workers = workers

    @property
    def stats(self) -> Any:
        return self.crawler.stats  # set once the crawl starts, after the spider that owns this stage is built

    async def start(self) -> None:
        self.stats.set_value("linkspider/extract/workers", self.workers)
        if self.pool is not None:
            await self.pool.start()

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self._record()
        if self._thread is not None:
            self._thread.stop()

    async def read(self, item: PageItem) -> PageResult | None:
        """Read ``item``'s HTML: facts set on the item, the result returned; None (and a note on the
        item's row) when the page could not be read."""
        args = (item.html, item.url, item.verify_competitors, item.verify_optional, self.context)
        try:
            if self.pool is not None and not self.pool.unavailable:
                try:
                    result: PageResult = await self.pool.run(*args)
                except PoolUnavailable:  # the pool gave up while this page waited
                    result = await self._in_process(item.url, args)
            else:
                result = await self._in_process(item.url, args)
        except (ExtractionTimeout, WorkerDied) as exc:  # logged where it happened, with the page
            kind = "timeouts" if isinstance(exc, ExtractionTimeout) else "worker_died"
            self.stats.inc_value(f"linkspider/extract/{kind}")
            self.stats.inc_value("linkspider/extract_errors")
            why = (f"extraction stopped after EXTRACT_TIMEOUT ({self.timeout:g} s)" if kind == "timeouts"
                   else "extraction crashed its worker twice")
            item.facts = {"notes": [f"{why}: kept without facts"]}
            return None
        except ExtractionError as exc:
            if not getattr(exc, "logged", False):
                logger.error("extraction failed on %s (%s); page kept without facts", item.url, exc)
            self.stats.inc_value("linkspider/extract_errors")
            item.facts = {"notes": [f"extraction failed ({exc}): kept without facts"]}
            return None
        finally:
            self._record()
        item.facts = result.facts
        if result.facts.get("emails"):
            self.stats.inc_value("linkspider/pages_with_email")
        if result.competitors_seen:
            self.stats.inc_value("linkspider/competitor_links", result.competitors_seen)
        return result

    async def _in_process(self, url: str, args: tuple[Any, ...]) -> PageResult:
        """:func:`process_page` in this process's reading thread, given EXTRACT_TIMEOUT like a worker."""
        async with self._one_at_a_time:  # a page's time counts from when it reaches the thread
            if self._thread is None:
                self._thread = _PageThread()
            try:
                return await asyncio.wait_for(self._thread.submit(process_page, *args), self.timeout)
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

    def _record(self) -> None:
        """The workers' figures in the stats, kept current (the store records the stats when it closes)."""
        if self.pool is not None:
            for name, value in self.pool.figures().items():
                self.stats.set_value(f"linkspider/extract/{name}", value)


class _PageThread:
    """One daemon thread that reads pages in order, for a crawl with no worker process.

    Not a ``ThreadPoolExecutor``: its threads are joined when Python exits, so one page that never
    finishes would keep the crawl from ever ending. A daemon thread left behind does not.
    """

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="linkspider-pages", daemon=True)
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
