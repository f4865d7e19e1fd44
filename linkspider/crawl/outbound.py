"""Broken-link building: which links of a roundup or resources page are dead.

Every spider's walk hands each page it classifies as a roundup or resources
page to :meth:`OutboundChecker.check_page` (``SiteWalkSpider.after_page``).
Its links to other sites are checked politely, as ordinary Scrapy requests:
so the SSRF guard, robots.txt of each target origin, the per-site request
cap, download slots, delays and concurrency all apply to them as to any page.

- **HEAD** first; **GET** when HEAD is refused (400, 403, 405, 501) or when a
  redirect has to be read (a parked domain's lander is only known by its text).
- **Dead**: 404 or 410; a name that does not resolve (also behind a proxy that
  says so); a redirect to another site's home page, to a domain marketplace or
  parking service, or to a page that offers the domain for sale.
- **Unsure**: a timeout, a 5xx or 429, a refused or dropped connection, a 401 /
  403, a robots.txt that cannot be read. Never called dead; checked again
  next run.
- **Not checked**: what robots.txt or the SSRF guard keeps us from, links to
  blocklisted platforms and to the user's own sites, and links to sites this
  crawl walks itself (they are read by the walk; a second set of requests to
  them would only cost them).

A per-domain cache is shared by every page of the crawl: a URL is asked once
(pages linking to it while it is asked wait for its answer); a target whose
name does not resolve, or that is parked, answers for every URL of its site
at once; at most ``BROKEN_CHECK_PER_DOMAIN`` URLs of one target site are
asked per run, ``BROKEN_CHECK_PER_PAGE`` links of a page, ``BROKEN_CHECK_MAX``
in all. Links found dead or alive in the last ``BROKEN_RECHECK_DAYS`` are not
asked again (the store's ``outbound_known``). Each answer becomes one
:class:`~linkspider.items.OutboundCheckItem` per page linking there.

Not in a distributed crawl (``REDIS_URL``): each worker would keep a cache of
its own and ask the same links again.

Stats: ``linkspider/broken/{requests,get_fallback,dead,unsure,ok,cached,capped,robots,refused,walked}``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from linkspider.common.domains import registrable_domain
from linkspider.crawl.middlewares.robots import RobotsUnreachable, proxy_dns_failure
from linkspider.crawl.middlewares.ssrf import AddressRefused, RequestRefused
from linkspider.extract.parked import parked_reason, parking_site
from linkspider.items import OutboundCheckItem, PageItem

logger = logging.getLogger(__name__)

HEAD_REFUSED = frozenset({400, 403, 405, 501})
DEAD_STATUSES = frozenset({404, 410})
DNS_FAILED = "DNS lookup failed"
_FAILURES = {"ConnectionRefusedError": "connection refused", "ConnectionLost": "connection lost",
             "ResponseNeverReceived": "no answer", "TunnelError": "proxy refused the connection",
             "SSLError": "TLS error"}


@dataclass
class _Result:
    outcome: str  # dead / unsure / ok
    reason: str
    http_status: int | None = None
    final_url: str = ""
    checked_at: str = ""  # when an earlier run checked it ("" : now)


@dataclass
class _Target:
    """What the crawl knows of one target site."""

    asked: int = 0  # URLs requested this run
    dead: _Result | None = None  # the whole site: its name does not resolve, or it is parked
    results: dict[str, _Result] = field(default_factory=dict)
    waiting: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # url -> (site, page, anchor)


def _same_page(a: str, b: str) -> bool:
    """The same page give or take scheme, ``www.`` and a trailing slash (a redirect that changes nothing)."""
    pa, pb = urlsplit(a), urlsplit(b)
    host = lambda p: (p.hostname or "").removeprefix("www.")  # noqa: E731
    return host(pa) == host(pb) and pa.path.rstrip("/") == pb.path.rstrip("/") and pa.query == pb.query


def judge(url: str, status: int, final_url: str, redirected: bool, body: str | None) -> _Result | None:
    """The outcome of an answer to a check of ``url``; None when a GET must read the page first."""
    if status in DEAD_STATUSES:
        return _Result("dead", str(status), status, final_url)
    if status == 429 or status >= 500 or status in (401, 403, 407):
        return _Result("unsure", str(status), status, final_url)
    if status >= 400:
        return _Result("unsure", str(status), status, final_url)
    if redirected and not _same_page(url, final_url):
        moved_site = registrable_domain(final_url) != registrable_domain(url)
        parts = urlsplit(final_url)
        if moved_site and parts.path in ("", "/") and not parts.query:
            return _Result("dead", f"redirects to the home page of {registrable_domain(final_url)}", status,
                           final_url)
        if parking_site(final_url):
            return _Result("dead", "parked domain (for sale)", status, final_url)
        if body is None:
            return None
    if body is not None and (reason := parked_reason(body, final_url)):
        return _Result("dead", reason, status, final_url)
    return _Result("ok", str(status), status, final_url)


def failure_result(failure: Failure) -> _Result | None:
    """The outcome of a check that got no answer; None when it was not checked (robots.txt, a refusal)."""
    exc = failure.value
    name = type(exc).__name__
    if isinstance(exc, RobotsUnreachable):
        if exc.why.startswith("DNSLookupError"):
            return _Result("dead", DNS_FAILED)
        return _Result("unsure", f"robots.txt unreachable ({exc.why})")
    if isinstance(exc, (RequestRefused, AddressRefused, IgnoreRequest)):
        return None
    if name == "DNSLookupError":
        return _Result("dead", DNS_FAILED)
    if "Timeout" in name or "TimedOut" in name:
        return _Result("unsure", "timeout")
    return _Result("unsure", _FAILURES.get(name, name))


class OutboundChecker:
    """The checks of one crawl (see the module docstring); the spider owns one and routes its callbacks here."""

    def __init__(self, spider: Any, settings: Any) -> None:
        self.spider = spider
        self.per_page = settings.getint("BROKEN_CHECK_PER_PAGE")
        # A distributed worker checks nothing: its cache would be its own, and its items go to Redis.
        self.max_run = 0 if settings.get("REDIS_URL") else settings.getint("BROKEN_CHECK_MAX")
        self.per_domain = settings.getint("BROKEN_CHECK_PER_DOMAIN")
        self.timeout = settings.getfloat("BROKEN_CHECK_TIMEOUT")
        self.recheck_days = settings.getfloat("BROKEN_RECHECK_DAYS")
        self.sent = 0
        self.targets: dict[str, _Target] = {}
        self.known: dict[str, dict[str, Any]] | None = None  # checked in an earlier run (read when first needed)

    @property
    def stats(self) -> Any:
        return self.spider.crawler.stats

    def check_page(self, item: PageItem) -> Iterator[Any]:
        """Requests (and items for links already known) for the outbound links of a roundup/resources page."""
        facts = item.facts
        if self.max_run <= 0 or not (facts.get("is_roundup") or facts.get("is_resources")):
            return
        if self.known is None:
            self.known = self.spider.outbound_known(self.recheck_days)
        own = set(getattr(self.spider.profile, "domains", []) or [])
        taken = 0
        for link in facts.get("outbound_links", []):
            url = link["url"]
            site = registrable_domain(url)
            if (not url.startswith(("http://", "https://")) or not site or site in own
                    or self.spider.blocklist.blocks(site)):
                continue
            if self.spider.budget.knows(site):  # the crawl walks it anyway: spared a second set of requests
                self.stats.inc_value("linkspider/broken/walked")
                continue
            if taken >= self.per_page:
                break
            taken += 1
            yield from self._check(url, site, (item.domain, item.url, link.get("text", "")))

    def _check(self, url: str, site: str, referrer: tuple[str, str, str]) -> Iterator[Any]:
        target = self.targets.setdefault(site, _Target())
        known = target.dead or target.results.get(url) or self._from_earlier_run(url)
        if known is not None:
            self.stats.inc_value("linkspider/broken/cached")
            yield self._item(url, referrer, known)
            return
        if url in target.waiting:
            target.waiting[url].append(referrer)
            return
        if self.sent >= self.max_run or target.asked >= self.per_domain:
            self.stats.inc_value("linkspider/broken/capped")
            return
        self.sent += 1
        target.asked += 1
        target.waiting[url] = [referrer]
        self.stats.inc_value("linkspider/broken/requests")
        # A link to a home page is read whole (GET): a parked domain answers its lander there.
        method = "GET" if urlsplit(url).path in ("", "/") else "HEAD"
        yield self.request(url, referrer, method)

    def _from_earlier_run(self, url: str) -> _Result | None:
        row = (self.known or {}).get(url)
        return None if row is None else _Result(row["outcome"], row["reason"], row["http_status"],
                                                row["final_url"] or "", row["checked_at"])

    def request(self, url: str, referrer: tuple[str, str, str], method: str = "HEAD",
                fetch: str | None = None) -> scrapy.Request:
        site, page, anchor = referrer
        meta = {"outbound": {"url": url, "page": page, "site": site, "anchor": anchor, "get": method == "GET"},
                "dont_retry": True, "download_timeout": self.timeout, "referrer_policy": "no-referrer"}
        return scrapy.Request(fetch or url, method=method, callback=self.spider.outbound_checked,
                              errback=self.spider.outbound_failed, dont_filter=True, priority=-10, meta=meta)

    # ------------------------------------------------------------ answers
    def checked(self, response: Response) -> Iterator[Any]:
        meta = response.meta["outbound"]
        url, referrer = meta["url"], (meta["site"], meta["page"], meta["anchor"])
        dns = proxy_dns_failure(response)
        if not dns and response.status in HEAD_REFUSED and not meta["get"]:
            self.stats.inc_value("linkspider/broken/get_fallback")  # HEAD refused: the same check with GET
            yield self.request(url, referrer, "GET")
            return
        body = response.text if meta["get"] and isinstance(response, TextResponse) else None
        result = (_Result("dead", DNS_FAILED, response.status) if dns
                  else judge(url, response.status, response.url, bool(response.meta.get("redirect_urls")), body))
        if result is None:  # redirected somewhere that must be read: GET where it landed
            yield self.request(url, referrer, "GET", fetch=response.url)
            return
        yield from self.settle(url, referrer, result)

    def failed(self, failure: Failure) -> Iterator[Any]:
        meta = failure.request.meta["outbound"]  # type: ignore[attr-defined]
        url, referrer = meta["url"], (meta["site"], meta["page"], meta["anchor"])
        result = failure_result(failure)
        if result is None:
            reason = "robots" if "robots.txt" in str(failure.value) else "refused"
            self.stats.inc_value(f"linkspider/broken/{reason}")
            logger.debug("link %s not checked: %s", url, failure.value)
            self._target(url).waiting.pop(url, None)
            return
        yield from self.settle(url, referrer, result)

    def settle(self, url: str, referrer: tuple[str, str, str], result: _Result) -> Iterator[OutboundCheckItem]:
        """The answer for ``url``, for every page waiting on it (after a resume: the one its request names)."""
        target = self._target(url)
        target.results[url] = result
        if result.outcome == "dead" and (result.reason == DNS_FAILED or result.reason.startswith("parked")):
            target.dead = result  # every URL of that site is as dead
        self.stats.inc_value(f"linkspider/broken/{result.outcome}")
        if result.outcome == "dead":
            logger.info("dead link %s (%s)", url, result.reason)
        for waiting in target.waiting.pop(url, None) or [referrer]:
            yield self._item(url, waiting, result)

    def _target(self, url: str) -> _Target:
        return self.targets.setdefault(registrable_domain(url) or "", _Target())

    def _item(self, url: str, referrer: tuple[str, str, str], result: _Result) -> OutboundCheckItem:
        site, page, anchor = referrer
        return OutboundCheckItem(domain=site, niche=self.spider.niche, page_url=page, target_url=url,
                                 anchor=anchor, outcome=result.outcome, reason=result.reason,
                                 http_status=result.http_status, final_url=result.final_url,
                                 checked_at=result.checked_at)
