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

Requests are recorded as plain, versioned JSON, never pickled: a database is
data, people pass databases around, and unpickling one would run whatever code
it holds. A record (format ``FORMAT``) has the URL (redacted), the method, the
names of its callback and errback (one of the spider's
``resumable_callbacks``), its priority and the meta keys in
``RESUMABLE_META``, nothing else. A search request is recorded by its query
and page (``meta["search"]``) and rebuilt by the search backend on resume
(``SiteWalkSpider.resumed_request``), so an API key - in Google's URL, in
Brave's header - is never written down. :func:`restore` refuses anything else
with a :class:`CheckpointError`, and the spider says so and runs nothing of it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import asdict, fields
from typing import Any

import scrapy
from scrapy.http import Response

from linkspider.common.redact import redact
from linkspider.items import Discovery, FrontierItem

FORMAT = 1

# The meta keys linkspider's spiders read from a request of theirs, with their JSON types.
# Nothing else is recorded or restored: not `proxy`, not a download slot, not robots.txt opt-outs.
RESUMABLE_META: dict[str, type] = {
    "site": str, "site_depth": int, "is_home": bool, "link_kind": str, "candidate": str,
    "discovery": dict, "verify_competitors": list, "verify_optional": list,
    "playwright": bool, "render_reason": str, "http_fallback": bool,
    "search": dict, "referrer_policy": str,
    "outbound": dict,  # a broken-link check (linkspider/crawl/outbound.py): the link and the page holding it
}
_DISCOVERY = dict.fromkeys((f.name for f in fields(Discovery)), (str, int, type(None)))
_OUTBOUND: dict[str, tuple[type, ...]] = {"url": (str,), "page": (str,), "site": (str,), "anchor": (str,),
                                          "get": (bool,)}
_SEARCH: dict[str, tuple[type, ...]] = {"backend": (str,), "query": (str,), "page": (int,), "offset": (int,),
                                        "form": (list,)}


class CheckpointError(ValueError):
    """A frontier row that is not a request record of this format: it is not restored, and nothing of it runs."""


def request_key(request: scrapy.Request, crawler: Any) -> str:
    """Fingerprint of a request; a browser render of a page is a separate entry."""
    fingerprint = crawler.request_fingerprinter.fingerprint(request).hex()
    return fingerprint + (":render" if request.meta.get("playwright") else "")


def request_record(request: scrapy.Request) -> str:
    """The request as a JSON record (see the module docstring): no headers, no body, no secret."""
    meta = {}
    for name in RESUMABLE_META:
        if name in request.meta:
            value = request.meta[name]
            meta[name] = asdict(value) if isinstance(value, Discovery) else value
    record = {"v": FORMAT, "url": redact(request.url), "method": request.method,
              "callback": getattr(request.callback, "__name__", None),
              "errback": getattr(request.errback, "__name__", None),
              "priority": request.priority, "meta": meta}
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def pending_entry(request: scrapy.Request, crawler: Any) -> dict[str, Any]:
    meta = request.meta
    # What the site walk counted against the site's budget when it scheduled this request (sitewalk.claim):
    # a render of a fetched page and the http:// retry of a failed https:// entry did not spend a page.
    spends = 0 if meta.get("http_fallback") or (meta.get("playwright") and meta.get("render_reason") != "always") else 1
    return {"key": request_key(request, crawler), "site": meta.get("site", ""), "url": request.url,
            "request": request_record(request), "spends": spends}


def restore(data: str | bytes | None, spider: Any) -> scrapy.Request:
    """The request a record describes, as ``spider`` sends it now; CheckpointError for anything else."""
    try:
        record = json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CheckpointError("not a linkspider request record (a pickle from an older linkspider, "
                              "or a tampered database)") from None
    if not isinstance(record, dict) or record.get("v") != FORMAT:
        raise CheckpointError(f"not a request record of format {FORMAT}")
    url, method, priority = record.get("url"), record.get("method"), record.get("priority", 0)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise CheckpointError(f"not an http(s) URL: {str(url)[:100]!r}")
    if type(priority) is not int:
        raise CheckpointError(f"priority {priority!r} is not a whole number")
    meta = _meta(record.get("meta"))
    if method != "GET" and not (method == "POST" and "search" in meta) and not (
            method == "HEAD" and "outbound" in meta):
        raise CheckpointError(f"method {str(method)[:20]!r}: only searches are sent as POST, only link checks "
                              "as HEAD")
    request = scrapy.Request(url, method=method, callback=_callback(spider, record.get("callback")),
                             errback=_callback(spider, record.get("errback"), optional=True),
                             priority=priority, meta=meta, dont_filter=True)
    return spider.resumed_request(request)


def _callback(spider: Any, name: Any, optional: bool = False) -> Any:
    if name is None and optional:
        return None
    if name not in getattr(spider, "resumable_callbacks", ()):
        raise CheckpointError(f"callback {str(name)[:40]!r} is not one spider {spider.name!r} resumes")
    return getattr(spider, name)


def _meta(meta: Any) -> dict[str, Any]:
    if not isinstance(meta, dict):
        raise CheckpointError("its meta is not an object")
    for name, value in meta.items():
        expected = RESUMABLE_META.get(name)
        if expected is None:
            raise CheckpointError(f"meta key {str(name)[:40]!r} is not one linkspider records")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise CheckpointError(f"meta[{name!r}] is not a {expected.__name__}")
    out = dict(meta)
    for name in ("verify_competitors", "verify_optional"):
        if not all(isinstance(v, str) for v in out.get(name, [])):
            raise CheckpointError(f"meta[{name!r}] is not a list of domains")
    if "discovery" in out:
        _fields(out["discovery"], _DISCOVERY, "discovery")
        try:
            out["discovery"] = Discovery(**out["discovery"])
        except TypeError as exc:
            raise CheckpointError(f"meta['discovery']: {exc}") from None
    if "search" in out:
        _fields(out["search"], _SEARCH, "search")
        form = out["search"].get("form", [])
        if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in form):
            raise CheckpointError("meta['search']['form'] is not a list of name/value pairs")
    if "outbound" in out:
        _fields(out["outbound"], _OUTBOUND, "outbound")
    return out


def _fields(value: dict[str, Any], known: dict[str, tuple[type, ...]], what: str) -> None:
    for name, item in value.items():
        if name not in known:
            raise CheckpointError(f"meta[{what!r}] has an unknown field {str(name)[:40]!r}")
        if not isinstance(item, known[name]):
            raise CheckpointError(f"meta[{what!r}][{name!r}] is not {' or '.join(t.__name__ for t in known[name])}")


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
