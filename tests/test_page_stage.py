"""The page stage: pages read in worker processes give what the crawl process would, hostile pages contained.

The pool tests start real worker processes (``python -m linkspider.crawl.workers``)
and check, by PID, that they are gone afterwards; the stage tests read pages
as a crawl's spider does (``PageStage.read``), with workers and without.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from linkspider.crawl.page_stage import (
    PageResult,
    PageStage,
    process_page,
    worker_count,
)
from linkspider.crawl.workers import (
    ExtractionError,
    ExtractionTimeout,
    ExtractorPool,
    PoolUnavailable,
    WorkerDied,
)
from linkspider.items import PageItem

PAGES = Path(__file__).parent / "fixtures" / "pages"
HELPER = "tests.extract_pool_helpers:misbehaving"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def worker_pids(pool: ExtractorPool) -> list[int]:
    return [w.proc.pid for w in pool.workers]


async def gather(pool: ExtractorPool, pages: list[tuple[str, str]]) -> list[Any]:
    """Every page submitted at once (as a crawl does); each answer or the exception it raised."""
    return await asyncio.gather(*(pool.run(html, url) for html, url in pages), return_exceptions=True)


def test_a_worker_gives_the_same_facts_as_the_crawl_process() -> None:
    files = sorted(PAGES.rglob("*.html"))[::4]
    pages = [(f.read_text(encoding="utf-8", errors="replace"), f"https://{f.parent.name}.example.com/{f.stem}/")
             for f in files]

    async def run() -> tuple[list[Any], dict[str, float], list[int]]:
        pool = ExtractorPool(1)
        await pool.start()
        answers = await gather(pool, pages)
        pids = worker_pids(pool)
        await pool.close()
        return answers, pool.figures(), pids

    answers, figures, pids = asyncio.run(run())
    assert len(pages) > 50
    assert answers == [process_page(html, url) for html, url in pages]
    assert sum(bool(a.facts["emails"]) for a in answers) > 10 and sum(bool(a.links) for a in answers) > 10
    assert figures["worker_pages"] == len(pages) and figures["worker_restarts"] == 0
    assert figures["worker_cpu_seconds"] > 0 and 20 < figures["worker_peak_rss_mb"] < 500
    assert pids and os.getpid() not in pids and not any(alive(p) for p in pids)


def test_a_page_that_kills_its_worker_costs_that_page_only() -> None:
    pages = [("<p>one</p>", "https://a.example.com/1"), ("<p>CRASH</p>", "https://a.example.com/poison"),
             ("<p>two</p>", "https://a.example.com/2"), ("<p>three</p>", "https://a.example.com/3")]

    async def run() -> tuple[list[Any], Any, ExtractorPool, list[int]]:
        pool = ExtractorPool(1, func=HELPER)
        await pool.start()
        first = worker_pids(pool)
        answers = await gather(pool, pages)
        after = await pool.run("<p>after</p>", "https://a.example.com/after")
        await pool.close()
        return answers, after, pool, first

    answers, after, pool, first = asyncio.run(run())
    assert [a.facts["url"] for a in answers if isinstance(a, PageResult)] == [u for _, u in pages if "poison" not in u]
    assert isinstance(answers[1], WorkerDied) and "poison" in str(answers[1])
    assert pool.restarts == 2  # the poison page was tried twice, then given up
    assert after.facts["url"].endswith("/after") and after.facts["pid"] not in first
    assert not any(alive(p) for p in first)


def test_a_page_that_hangs_is_stopped_at_the_timeout_and_the_queue_goes_on() -> None:
    pages = [("<p>one</p>", "https://b.example.com/1"), ("<p>HANG</p>", "https://b.example.com/slow"),
             ("<p>two</p>", "https://b.example.com/2")]

    async def run() -> tuple[list[Any], ExtractorPool, list[int]]:
        pool = ExtractorPool(1, func=HELPER, timeout=1.0)
        await pool.start()
        first = worker_pids(pool)
        answers = await asyncio.wait_for(gather(pool, pages), timeout=30)
        await pool.close()
        return answers, pool, first

    answers, pool, first = asyncio.run(run())
    assert answers[0].facts["url"].endswith("/1") and answers[2].facts["url"].endswith("/2")
    assert isinstance(answers[1], ExtractionTimeout)
    assert pool.figures()["worker_timeouts"] == 1
    assert not any(alive(p) for p in first)  # the hung worker was killed, not left behind


def test_a_worker_outlives_ctrl_c_and_sigterm_sent_to_the_process_group() -> None:
    async def run() -> tuple[Any, list[int]]:
        pool = ExtractorPool(1, func=HELPER)
        await pool.start()
        await pool.run("<p>warm</p>", "https://w.example.com/0")  # the worker has set its signal handlers
        pids = worker_pids(pool)
        for sig in (signal.SIGINT, signal.SIGTERM):
            os.kill(pids[0], sig)
        answer = await pool.run("<p>still here</p>", "https://w.example.com/1")
        assert worker_pids(pool) == pids and pool.restarts == 0
        await pool.close()
        return answer, pids

    answer, pids = asyncio.run(run())
    assert answer.facts["url"] == "https://w.example.com/1" and not alive(pids[0])


def test_an_extractor_exception_is_reported_and_the_worker_keeps_going() -> None:
    async def run() -> list[Any]:
        pool = ExtractorPool(1, func=HELPER)
        answers = await gather(pool, [("RAISE", "https://c.example.com/bad"), ("<p>ok</p>", "https://c.example.com/")])
        await pool.close()
        assert pool.restarts == 0
        return answers

    bad, good = asyncio.run(run())
    assert isinstance(bad, ExtractionError) and "ValueError: cannot read https://c.example.com/bad" in str(bad)
    assert good.facts["url"] == "https://c.example.com/"


def test_a_pool_whose_workers_keep_dying_gives_up_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    async def run() -> list[Any]:
        pool = ExtractorPool(1, func=HELPER, max_restarts=1)
        answers = await gather(pool, [("CRASH", "https://d.example.com/1")])
        answers += await gather(pool, [("<p>ok</p>", "https://d.example.com/2")])
        await pool.close()
        return answers

    died, later = asyncio.run(run())
    assert isinstance(died, WorkerDied) and isinstance(later, PoolUnavailable)
    assert "pages are extracted in the crawl process from now on" in caplog.text


# ------------------------------------------------------------------ the stage, as a spider uses it
def page(url: str, html: str) -> PageItem:
    return PageItem(url=url, domain="e.example.com", niche="fitness", status=200, html=html)


def stage(**settings: Any) -> PageStage:
    from linkspider import settings as defaults

    crawler = get_crawler(settings_dict={"EXTRACT_WORKERS": 1, "EXTRACT_TIMEOUT": defaults.EXTRACT_TIMEOUT,
                                         "EXTRACT_MAX_RESTARTS": defaults.EXTRACT_MAX_RESTARTS, **settings})
    crawler.stats.open_spider()
    return PageStage(crawler)


def read_all(pages: PageStage, items: list[PageItem]) -> list[PageResult | None]:
    async def run() -> list[PageResult | None]:
        await pages.start()
        try:
            return list(await asyncio.gather(*(pages.read(item) for item in items)))
        finally:
            await pages.close()

    return asyncio.run(run())


def test_a_page_comes_back_with_its_facts_and_its_own_links() -> None:
    html = (PAGES / "fitlifejournal-contact.html").read_text(encoding="utf-8")
    first, second = page("https://www.fitlifejournal.com/contact/", html), page("https://e.example.com/x", "<p>hi</p>")
    pages = stage()
    results = read_all(pages, [first, second])
    assert first.facts["is_contact_page"] and first.facts["emails"] and results[0] is not None
    assert results[0].facts is first.facts and results[0].links  # the walk's links, read from the same tree
    assert all(url.startswith("https://www.fitlifejournal.com/") for url, _ in results[0].links)
    assert second.facts["words"] >= 1
    assert pages.stats.get_value("linkspider/extract/worker_pages") == 2


def test_a_poisonous_page_is_kept_without_facts_and_says_why() -> None:
    pages = stage()
    assert pages.pool is not None
    pages.pool = ExtractorPool(1, func=HELPER)
    poison, good = page("https://e.example.com/p", "CRASH"), page("https://e.example.com/g", "<p>fine</p>")
    results = read_all(pages, [poison, good])
    assert results[0] is None
    assert poison.facts == {"notes": ["extraction crashed its worker twice: kept without facts"]}  # on its row
    assert good.facts["url"] == "https://e.example.com/g"
    assert pages.stats.get_value("linkspider/extract/worker_died") == 1


def test_without_workers_pages_are_read_in_the_crawl_process() -> None:
    pages = stage(EXTRACT_WORKERS=0)
    item = page("https://liftblog.com/", "<main><p>Write to hello@liftblog.com</p><a href='/contact/'>Contact</a></main>")
    (result,) = read_all(pages, [item])
    assert item.facts["emails"] == ["hello@liftblog.com"] and result is not None
    assert result.links == [("https://liftblog.com/contact/", "Contact")]
    assert pages.pool is None and pages.stats.get_value("linkspider/extract/worker_pages") is None
    assert worker_count("auto") == (1 if (os.cpu_count() or 1) > 1 else 0) and worker_count("3") == 3


def test_an_extractor_bug_in_the_crawl_process_keeps_the_page_and_says_so_once(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import linkspider.crawl.page_stage as page_stage

    def broken(*args: Any) -> PageResult:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(page_stage, "process_page", broken)
    pages = stage(EXTRACT_WORKERS=0)
    item = page("https://liftblog.com/", "<p>hi</p>")
    assert read_all(pages, [item]) == [None]
    assert item.facts == {"notes": ["extraction failed (ZeroDivisionError: a bug): kept without facts"]}
    assert caplog.text.count("extraction failed on https://liftblog.com/") == 1 and "ZeroDivisionError" in caplog.text
    assert pages.stats.get_value("linkspider/extract_errors") == 1


def test_in_the_crawl_process_a_page_that_never_finishes_is_left_behind_at_the_timeout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """EXTRACT_TIMEOUT holds without workers too: the hung page is kept without facts (its row says why),
    the pages after it are read by a fresh thread, and the crawl process is never stuck on it."""
    import threading

    import linkspider.crawl.page_stage as page_stage

    release = threading.Event()
    real = page_stage.process_page

    def hangs_on_marker(html: str, url: str, *rest: Any) -> PageResult:
        if "HANG" in html:
            release.wait(30)  # a page the extractors never finish (bounded here so the thread ends)
        return real(html, url, *rest)

    monkeypatch.setattr(page_stage, "process_page", hangs_on_marker)
    pages = stage(EXTRACT_WORKERS=0, EXTRACT_TIMEOUT=0.3)
    hung = page("https://liftblog.com/a", "<p>HANG</p>")
    after = page("https://liftblog.com/contact/", "<main><p>Write to hello@liftblog.com</p></main>")
    try:
        results = read_all(pages, [hung, after])
    finally:
        release.set()
    assert results[0] is None
    assert hung.facts == {"notes": ["extraction stopped after EXTRACT_TIMEOUT (0.3 s): kept without facts"]}
    assert after.facts["emails"] == ["hello@liftblog.com"]
    assert pages.stats.get_value("linkspider/extract/timeouts") == 1
