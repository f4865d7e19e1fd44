"""Checkpoints in the database, so a crawl killed with SIGKILL resumes exactly.

Scrapy's JOBDIR keeps its request queue and seen-set in files written through
buffers, and requests in flight at the moment of a kill are in neither: the
pages behind them are silently never fetched. linkspider instead records its
*frontier* in the SQLite store, through the same batched item writes as the
pages: each request is recorded as pending when it is scheduled, and marked
done only after everything its response produced (pages, contacts, further
requests) has been written. Whatever was in flight, buffered or half-written
when the process died is still pending, and the next run of the same job
fetches exactly that.

A job is named by the ``LINKSPIDER_JOB`` setting (``linkspider nightly`` sets
``<niche>-<spider>``); without it nothing is recorded. A job that finishes
normally clears its frontier, so the next run starts afresh.
"""

from __future__ import annotations

import pickle
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.utils.request import request_from_dict

from linkspider.items import FrontierItem


def request_key(request: scrapy.Request, crawler: Any) -> str:
    """Fingerprint of a request; a browser render of a page is a separate entry."""
    fingerprint = crawler.request_fingerprinter.fingerprint(request).hex()
    return fingerprint + (":render" if request.meta.get("playwright") else "")


def pending_entry(request: scrapy.Request, crawler: Any) -> dict[str, Any]:
    spider = crawler.spider
    data = request.to_dict(spider=spider)
    data["dont_filter"] = True  # a resumed request must not meet a fresh dupefilter's memory
    meta = request.meta
    # What the site walk counted against the site's budget when it scheduled this request (sitewalk.claim):
    # a render of a fetched page and the http:// retry of a failed https:// entry did not spend a page.
    spends = 0 if meta.get("http_fallback") or (meta.get("playwright") and meta.get("render_reason") != "always") else 1
    return {"key": request_key(request, crawler), "site": meta.get("site", ""), "url": request.url,
            "request": pickle.dumps(data, protocol=4), "spends": spends}


def restore(blob: bytes, spider: scrapy.Spider) -> scrapy.Request:
    return request_from_dict(pickle.loads(blob), spider=spider)


class CheckpointMiddleware:
    """Spider middleware: records requests as pending and responses as done (setting LINKSPIDER_JOB)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        # Without a job name the middleware only passes outputs through.
        self.active = bool(crawler.settings.get("LINKSPIDER_JOB"))

    @classmethod
    def from_crawler(cls, crawler: Any) -> CheckpointMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for entry in start:
            if self.active and isinstance(entry, scrapy.Request) and not entry.meta.get("resumed"):
                yield FrontierItem(pending=[pending_entry(entry, self.crawler)])
            yield entry

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        if not self.active:
            yield from result
            return
        pending = []
        for entry in result:
            if isinstance(entry, scrapy.Request):
                pending.append(pending_entry(entry, self.crawler))
            yield entry
        yield FrontierItem(pending=pending, done=[request_key(response.request, self.crawler)])

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        if not self.active:
            async for entry in result:
                yield entry
            return
        pending = []
        async for entry in result:
            if isinstance(entry, scrapy.Request):
                pending.append(pending_entry(entry, self.crawler))
            yield entry
        yield FrontierItem(pending=pending, done=[request_key(response.request, self.crawler)])


def errback_checkpoint(spider: scrapy.Spider, request: scrapy.Request, outputs: list[Any]) -> list[Any]:
    """Errback outputs skip the spider middlewares: the same record, added by hand."""
    crawler = spider.crawler
    if not crawler.settings.get("LINKSPIDER_JOB"):
        return outputs
    pending = [pending_entry(o, crawler) for o in outputs if isinstance(o, scrapy.Request)]
    return [*outputs, FrontierItem(pending=pending, done=[request_key(request, crawler)])]
