"""Extraction in worker processes: the same facts as in the crawl process, and hostile pages contained.

Every test starts real worker processes (``python -m linkspider.crawl.workers``)
and checks, by PID, that they are gone afterwards.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from linkspider.crawl.middlewares.extract import ExtractMiddleware, worker_count
from linkspider.crawl.workers import (
    ExtractionError,
    ExtractionTimeout,
    ExtractorPool,
    PoolUnavailable,
    WorkerDied,
    page_facts,
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
    return await asyncio.gather(*(pool.facts(html, url) for html, url in pages), return_exceptions=True)


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
    assert answers == [page_facts(html, url) for html, url in pages]
    assert sum(bool(a["emails"]) for a in answers) > 10  # real facts, not empty ones
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
        after = await pool.facts("<p>after</p>", "https://a.example.com/after")
        await pool.close()
        return answers, after, pool, first

    answers, after, pool, first = asyncio.run(run())
    assert [a["url"] for a in answers if isinstance(a, dict)] == [u for _, u in pages if "poison" not in u]
    assert isinstance(answers[1], WorkerDied) and "poison" in str(answers[1])
    assert pool.restarts == 2  # the poison page was tried twice, then given up
    assert after["url"].endswith("/after") and after["pid"] not in first
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
    assert answers[0]["url"].endswith("/1") and answers[2]["url"].endswith("/2")
    assert isinstance(answers[1], ExtractionTimeout)
    assert pool.figures()["worker_timeouts"] == 1
    assert not any(alive(p) for p in first)  # the hung worker was killed, not left behind


def test_a_worker_outlives_ctrl_c_and_sigterm_sent_to_the_process_group() -> None:
    async def run() -> tuple[Any, list[int]]:
        pool = ExtractorPool(1, func=HELPER)
        await pool.start()
        await pool.facts("<p>warm</p>", "https://w.example.com/0")  # the worker has set its signal handlers
        pids = worker_pids(pool)
        for sig in (signal.SIGINT, signal.SIGTERM):
            os.kill(pids[0], sig)
        answer = await pool.facts("<p>still here</p>", "https://w.example.com/1")
        assert worker_pids(pool) == pids and pool.restarts == 0
        await pool.close()
        return answer, pids

    answer, pids = asyncio.run(run())
    assert answer["url"] == "https://w.example.com/1" and not alive(pids[0])


def test_an_extractor_exception_is_reported_and_the_worker_keeps_going() -> None:
    async def run() -> list[Any]:
        pool = ExtractorPool(1, func=HELPER)
        answers = await gather(pool, [("RAISE", "https://c.example.com/bad"), ("<p>ok</p>", "https://c.example.com/")])
        await pool.close()
        assert pool.restarts == 0
        return answers

    bad, good = asyncio.run(run())
    assert isinstance(bad, ExtractionError) and "ValueError: cannot read https://c.example.com/bad" in str(bad)
    assert good["url"] == "https://c.example.com/"


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


# ------------------------------------------------------------------ the spider middleware
def page(url: str, html: str) -> PageItem:
    return PageItem(url=url, domain="e.example.com", niche="fitness", status=200, html=html)


def middleware(**settings: Any) -> ExtractMiddleware:
    from linkspider import settings as defaults

    crawler = get_crawler(settings_dict={"EXTRACT_WORKERS": 1, "EXTRACT_TIMEOUT": defaults.EXTRACT_TIMEOUT,
                                         "EXTRACT_MAX_RESTARTS": defaults.EXTRACT_MAX_RESTARTS, **settings})
    crawler.stats.open_spider()
    return ExtractMiddleware(crawler)


async def outputs(mw: ExtractMiddleware, entries: list[Any], fail: bool = False) -> tuple[list[Any], Any]:
    async def spider_output() -> Any:
        for entry in entries:
            yield entry
        if fail:
            raise RuntimeError("the callback broke")

    response = HtmlResponse("https://e.example.com/", body=b"<html></html>")
    out, error = [], None
    try:
        async for entry in mw.process_spider_output(response, spider_output()):
            out.append(entry)
    except RuntimeError as exc:
        error = exc
    return out, error


def test_the_middleware_passes_requests_on_and_pages_in_order_with_their_facts() -> None:
    mw = middleware()
    html = (PAGES / "fitlifejournal-contact.html").read_text(encoding="utf-8")
    first, second = page("https://e.example.com/contact/", html), page("https://e.example.com/x", "<p>hi</p>")
    follow = Request("https://e.example.com/next")

    async def run() -> tuple[list[Any], Any]:
        await mw.spider_opened()
        try:
            return await outputs(mw, [first, follow, second])
        finally:
            await mw.spider_closed()

    out, error = asyncio.run(run())
    assert error is None
    assert out == [follow, first, second]  # the request did not wait for the extraction
    assert first.extracted and first.html == "" and first.facts["is_contact_page"] and first.facts["emails"]
    assert second.extracted and second.facts["words"] >= 1
    assert mw.stats.get_value("linkspider/extract/worker_pages") == 2


def test_the_middleware_keeps_a_poisonous_page_and_the_pages_of_a_broken_callback() -> None:
    mw = middleware()
    assert mw.pool is not None
    mw.pool = ExtractorPool(1, func=HELPER)
    poison, good = page("https://e.example.com/p", "CRASH"), page("https://e.example.com/g", "<p>fine</p>")

    async def run() -> tuple[list[Any], Any]:
        try:
            return await outputs(mw, [poison, good], fail=True)
        finally:
            await mw.spider_closed()

    out, error = asyncio.run(run())
    assert isinstance(error, RuntimeError)  # the callback's error still reaches Scrapy...
    assert out == [poison, good]  # ...after the pages it yielded
    assert poison.extracted and poison.html == ""
    assert poison.facts == {"notes": ["extraction crashed its worker twice: kept without facts"]}  # on its row
    assert good.facts["url"] == "https://e.example.com/g"
    assert mw.stats.get_value("linkspider/extract/worker_died") == 1


def test_without_workers_pages_are_extracted_in_the_crawl_process() -> None:
    mw = middleware(EXTRACT_WORKERS=0)
    item = page("https://liftblog.com/", "<main><p>Write to hello@liftblog.com</p></main>")
    out, _ = asyncio.run(outputs(mw, [item]))
    assert out == [item] and item.extracted and item.html == "" and item.facts["emails"] == ["hello@liftblog.com"]
    assert mw.pool is None and mw.stats.get_value("linkspider/extract/worker_pages") is None
    assert worker_count("auto") == (1 if (os.cpu_count() or 1) > 1 else 0) and worker_count("3") == 3


def test_an_extractor_bug_in_the_crawl_process_keeps_the_page_and_says_so_once(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import linkspider.crawl.middlewares.extract as extract_mw

    def broken(*args: Any) -> dict[str, Any]:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(extract_mw, "page_facts", broken)
    mw = middleware(EXTRACT_WORKERS=0)
    item = page("https://liftblog.com/", "<p>hi</p>")
    out, _ = asyncio.run(outputs(mw, [item]))
    assert out == [item] and item.extracted and item.html == ""
    assert item.facts == {"notes": ["extraction failed (ZeroDivisionError: a bug): kept without facts"]}
    assert caplog.text.count("extraction failed on https://liftblog.com/") == 1 and "ZeroDivisionError" in caplog.text
    assert mw.stats.get_value("linkspider/extract_errors") == 1


def test_in_the_crawl_process_a_page_that_never_finishes_is_left_behind_at_the_timeout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """EXTRACT_TIMEOUT holds without workers too: the hung page is kept without facts (its row says why),
    the pages after it are extracted by a fresh thread, and the crawl process is never stuck on it."""
    import threading

    import linkspider.crawl.middlewares.extract as extract_mw

    release = threading.Event()

    def hangs_on_marker(html: str, url: str, *rest: Any) -> dict[str, Any]:
        if "HANG" in html:
            release.wait(30)  # a page the extractors never finish (bounded here so the thread ends)
        return page_facts(html, url, *rest)

    monkeypatch.setattr(extract_mw, "page_facts", hangs_on_marker)
    mw = middleware(EXTRACT_WORKERS=0, EXTRACT_TIMEOUT=0.3)
    hung = page("https://liftblog.com/a", "<p>HANG</p>")
    after = page("https://liftblog.com/contact/", "<main><p>Write to hello@liftblog.com</p></main>")
    try:
        out, _ = asyncio.run(outputs(mw, [hung, after]))
    finally:
        release.set()
    assert out == [hung, after]
    assert hung.facts == {"notes": ["extraction stopped after EXTRACT_TIMEOUT (0.3 s): kept without facts"]}
    assert after.facts["emails"] == ["hello@liftblog.com"]
    assert mw.stats.get_value("linkspider/extract/timeouts") == 1
