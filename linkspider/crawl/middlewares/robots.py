"""robots.txt as RFC 9309 says: per origin, unreachable means "stay out", Crawl-delay honoured.

Scrapy's own ``RobotsTxtMiddleware`` keys its cache by ``netloc`` alone and
reads a robots.txt it could not fetch as "no rules". For a link-prospecting
crawler both are wrong in practice: a seed given as a bare domain is tried as
``https://`` first, the https robots.txt fails on a site without TLS, every
path is allowed for that host, and the walk's fallback to ``http://`` reuses
the verdict without ever asking the origin it really crawls. A robots.txt that
answers 503 or times out is how a busy server says "not now"; crawling all of
it then is what gets a user agent banned.

``RobotsPolicyMiddleware`` replaces Scrapy's (same place in the chain, same
``ROBOTSTXT_OBEY`` and ``ROBOTSTXT_PARSER``):

- **One robots.txt per origin** (scheme, host, port), fetched before the first
  request to that origin and cached for the crawl; requests to the origin wait
  for it. Redirects are followed (``REDIRECT_MAX_TIMES``, 5).
- **Outcomes** (RFC 9309 section 2.3.1): 2xx -> the rules of the first
  ``ROBOTS_MAX_BYTES`` (500 KiB); a body that is not text -> no rules;
  other 4xx -> no rules (allowed); 429, 5xx, a timeout or a dropped
  connection -> retried once after ``ROBOTS_RETRY_DELAY`` seconds, and if it
  fails again the **whole origin is disallowed** for this crawl; a connection
  that cannot be made at all (DNS, refused, TLS, a proxy's refusal) -> the
  origin is disallowed at once, without retry. A refused page raises
  ``RobotsUnreachable`` (an ``IgnoreRequest``) whose message says
  ``robots.txt unreachable (why)``; the site walk stores that as the page's
  error, and falls back from https to http when the cause was the connection.
  The next run asks again.
- **Crawl-delay / Request-rate** for our user agent (``ROBOTSTXT_USER_AGENT``)
  become the site's download delay when larger than ours (no jitter, and
  AutoThrottle does not lower it), capped at ``ROBOTS_MAX_CRAWL_DELAY``; a
  site asking for more than the cap gets at most ``ROBOTS_SLOW_SITE_PAGES``
  requests, with one warning that says so.

In a distributed crawl the verdicts are shared through Redis (``share``, set by
``linkspider.crawl.distributed``): one worker fetches an origin's robots.txt,
the others wait for its answer and judge it alike.

Pages rendered in the browser are Scrapy requests too: they pass here, get
the same verdict and wait in the same download slot.

Stats: ``robotstxt/request_count``, ``robotstxt/response_status_count/<n>``,
``robotstxt/forbidden`` (Scrapy's names, kept), ``linkspider/robots/unreachable``
(origins), ``linkspider/robots/unreachable/<why>``,
``linkspider/robots/refused_unreachable`` (requests), ``linkspider/robots/retried``,
``linkspider/robots/crawl_delay`` (origins with a delay), ``linkspider/robots/slow_site_capped``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet import defer

logger = logging.getLogger(__name__)

#: Failures that mean the origin cannot be reached at all: no retry, the page fetch would fail the same way.
CONNECTION_FAILURES = frozenset({
    "DNSLookupError", "ConnectionRefusedError", "ConnectError", "TunnelError", "SSLError", "NoRouteError",
    "RequestRefused", "IgnoreRequest", "ValueError",
})
#: Media types a robots.txt may come as; anything else (an image, a binary download) holds no rules.
_TEXT_TYPES = ("text/", "application/octet-stream", "application/x-unknown")

Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin | None:
    """``("https", "www.example.com", 443)`` for a URL; None when it has no host or a bad port."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or parts.scheme not in ("http", "https"):
        return None
    return parts.scheme, parts.hostname.rstrip(".").lower(), port or (443 if parts.scheme == "https" else 80)


def origin_url(origin: Origin) -> str:
    scheme, host, port = origin
    default = 443 if scheme == "https" else 80
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}{'' if port == default else f':{port}'}"


class RobotsUnreachable(IgnoreRequest):
    """The origin's robots.txt could not be fetched, so nothing of it is crawled (RFC 9309 2.3.1.4)."""

    def __init__(self, origin: Origin, why: str, connection: bool) -> None:
        super().__init__(f"robots.txt unreachable ({why})")
        self.origin = origin
        self.why = why
        self.connection = connection  # True: the origin could not be connected to at all


@dataclass
class Verdict:
    """What robots.txt says for one origin."""

    parser: Any = None  # a RobotParser, or None for "no rules"
    unreachable: str = ""  # why, when the whole origin is disallowed
    connection: bool = False
    delay: float = 0.0  # seconds between requests it asks for (capped)
    page_cap: int | None = None  # a site asking for more than the cap gets this many requests
    sent: int = 0
    warned: bool = field(default=False)
    # What other workers of a distributed crawl need to judge the origin alike (robots.txt is fetched
    # once for the whole crawl): {"rules": text or None} or {"unreachable": why, "connection": bool}.
    record: dict[str, Any] = field(default_factory=dict)


def _failure_reason(exc: BaseException) -> tuple[str, bool, bool]:
    """(why, connection-level?, worth a retry?) for an exception from downloading robots.txt."""
    name = type(exc).__name__
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    why = f"{name}: {text}" if text else name
    connection = name in CONNECTION_FAILURES or isinstance(exc, IgnoreRequest)
    return why, connection, not connection


PROXY_DNS_FAILURE = "DNSLookupError: the proxy could not resolve the name"


def proxy_dns_failure(response: Response) -> bool:
    """An HTTP proxy's answer saying the name does not resolve (Squid: ``X-Squid-Error: ERR_DNS_FAIL``):
    behind a proxy, a dead domain is this error page rather than a DNS failure of our own."""
    return response.status >= 500 and (response.headers.get(b"X-Squid-Error") or b"").startswith(b"ERR_DNS_FAIL")


def _is_text(response: Response) -> bool:
    raw = response.headers.get(b"Content-Type")
    if raw:
        media = raw.decode("latin-1").split(";", 1)[0].strip().lower()
        if media and not media.startswith(_TEXT_TYPES):
            return False
    return b"\x00" not in response.body[:4096]


class RobotsPolicyMiddleware:
    """Downloader middleware: robots.txt per origin, RFC 9309 outcomes, Crawl-delay (module docstring)."""

    DOWNLOAD_PRIORITY = 1000

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.useragent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.parser_class = load_object(settings.get("ROBOTSTXT_PARSER"))
        self.max_bytes = settings.getint("ROBOTS_MAX_BYTES")
        self.retry_delay = settings.getfloat("ROBOTS_RETRY_DELAY")
        self.max_crawl_delay = settings.getfloat("ROBOTS_MAX_CRAWL_DELAY")
        self.slow_site_pages = settings.getint("ROBOTS_SLOW_SITE_PAGES")
        self.our_delay = settings.getfloat("DOWNLOAD_DELAY")
        self.verdicts: dict[Origin, Verdict | list[defer.Deferred[Verdict]]] = {}
        # Set by a distributed crawl (linkspider/crawl/distributed.py, RedisRobots): verdicts other
        # workers fetched, so each robots.txt is asked once for the whole crawl.
        self.share: Any = None
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsPolicyMiddleware:
        return cls(crawler)

    # ------------------------------------------------------------ requests
    async def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt") or request.url.startswith(("data:", "file:")):
            return None
        origin = origin_of(request.url)
        if origin is None:
            return None
        verdict = await self.verdict(origin, request)
        if verdict.unreachable:
            self.stats.inc_value("linkspider/robots/refused_unreachable")
            raise RobotsUnreachable(origin, verdict.unreachable, verdict.connection)
        if verdict.parser is not None and not verdict.parser.allowed(request.url, self.useragent):
            logger.debug("Forbidden by robots.txt: %s", request)
            self.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest("Forbidden by robots.txt")
        if verdict.delay:
            self.pace(request, origin, verdict)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        self.rest(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self.rest(request)
        return None

    def rest(self, request: Request) -> None:
        """A paced site's delay counts from the end of the last answer, not from when Scrapy sent it:
        a busy crawl process can send a request late, and the next one would then follow it closer
        than the site asked."""
        if "linkspider_paced" not in request.meta:
            return
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot", ""))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, time.monotonic())

    def pace(self, request: Request, origin: Origin, verdict: Verdict) -> None:
        """Hold the origin's download slot to its Crawl-delay; refuse past a slow site's page cap."""
        meta = request.meta
        if verdict.page_cap is not None and not (meta.get("redirect_times") or meta.get("retry_times")):
            if verdict.sent >= verdict.page_cap:
                self.stats.inc_value("linkspider/robots/slow_site_capped")
                raise IgnoreRequest(f"robots.txt of {origin_url(origin)} asks for more than "
                                    f"ROBOTS_MAX_CRAWL_DELAY between requests: walked with "
                                    f"{verdict.page_cap} pages")
            verdict.sent += 1
        meta["autothrottle_dont_adjust_delay"] = True
        meta["linkspider_paced"] = True
        downloader = self.crawler.engine.downloader
        key = meta.get(downloader.DOWNLOAD_SLOT) or origin[1]
        settings = downloader.per_slot_settings.setdefault(key, {})
        if settings.get("delay", 0.0) < verdict.delay:
            settings.update(delay=verdict.delay, jitter=0.0)
        slot = downloader.slots.get(key)
        if slot is not None and (slot.delay < verdict.delay or slot.jitter):
            slot.delay, slot.jitter = max(slot.delay, verdict.delay), 0.0

    # ------------------------------------------------------------ robots.txt
    async def verdict(self, origin: Origin, request: Request) -> Verdict:
        """The origin's verdict; the first request to an origin fetches it, the others wait for it."""
        known = self.verdicts.get(origin)
        if isinstance(known, Verdict):
            return known
        if known is not None:  # being fetched: wait on a Deferred of our own (a fired one passes its result once)
            mine: defer.Deferred[Verdict] = defer.Deferred()
            known.append(mine)
            return await maybe_deferred_to_future(mine)
        waiters: list[defer.Deferred[Verdict]] = []
        self.verdicts[origin] = waiters
        record = await self.share.claim(origin_url(origin)) if self.share is not None else None
        if record is not None:  # another worker fetched it
            verdict = self.from_record(origin, record)
        else:
            verdict = await self.fetch(origin)
            if self.share is not None:
                self.share.publish(origin_url(origin), verdict.record)
        self.verdicts[origin] = verdict
        for waiter in waiters:
            waiter.callback(verdict)
        return verdict

    async def fetch(self, origin: Origin) -> Verdict:
        """Download and judge the origin's robots.txt, once more after a pause when the server was only busy."""
        why, connection = "", False
        for attempt in (1, 2):
            outcome = await self.download(origin)
            if isinstance(outcome, Verdict):
                return outcome
            why, connection, retry = outcome
            if attempt == 2 or not retry or self.retry_delay < 0:
                break
            self.stats.inc_value("linkspider/robots/retried")
            logger.info("robots.txt of %s: %s; asking again in %g s", origin_url(origin), why, self.retry_delay)
            await sleep(self.retry_delay)
        self.stats.inc_value("linkspider/robots/unreachable")
        self.stats.inc_value(f"linkspider/robots/unreachable/{why.split(':', 1)[0].replace(' ', '_')}")
        logger.warning("robots.txt of %s unreachable (%s): nothing of it is crawled in this run (RFC 9309)",
                       origin_url(origin), why)
        return Verdict(unreachable=why, connection=connection, record={"unreachable": why, "connection": connection})

    def from_record(self, origin: Origin, record: dict[str, Any]) -> Verdict:
        """The verdict another worker reached for the origin, judged here as if fetched here."""
        if record.get("unreachable"):
            return Verdict(unreachable=record["unreachable"], connection=bool(record.get("connection")),
                           record=record)
        if record.get("rules") is None:
            return Verdict(record=record)
        parser = build_from_crawler(self.parser_class, self.crawler, record["rules"].encode("latin-1"))
        verdict = self.judge(origin, parser)
        verdict.record = record
        return verdict


    async def download(self, origin: Origin) -> Verdict | tuple[str, bool, bool]:
        """The verdict from one download, or (why, connection-level?, retry?) when it failed."""
        url = origin_url(origin) + "/robots.txt"
        # No size limit from DOWNLOAD_MAXSIZE: bytes_received() stops it at ROBOTS_MAX_BYTES instead, so a
        # huge file is cut and its beginning parsed, as RFC 9309 asks, rather than cancelled and lost.
        robots = Request(url, priority=self.DOWNLOAD_PRIORITY, callback=NO_CALLBACK,
                         meta={"dont_obey_robotstxt": True, "dont_retry": True, "linkspider_robots": 0,
                               "download_maxsize": 0})
        self.stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots)
        except IgnoreRequest as exc:
            if "max redirections" in str(exc):  # RFC 9309: more than five redirects = "unavailable"
                return Verdict(record={"rules": None})
            return _failure_reason(exc)
        except Exception as exc:  # noqa: BLE001 - every failure is an outcome here
            return _failure_reason(exc)
        status = response.status
        self.stats.inc_value("robotstxt/response_count")
        self.stats.inc_value(f"robotstxt/response_status_count/{status}")
        if proxy_dns_failure(response):  # the name does not resolve: as a DNS failure without a proxy
            return PROXY_DNS_FAILURE, True, False
        if status == 429 or status >= 500:
            return f"HTTP {status}", False, True
        if status >= 300:  # 4xx, or redirects beyond REDIRECT_MAX_TIMES: "unavailable", no rules
            return Verdict(record={"rules": None})
        if not _is_text(response):
            logger.info("robots.txt of %s is not text: no rules", origin_url(origin))
            return Verdict(record={"rules": None})
        body = response.body[: self.max_bytes]
        parser = build_from_crawler(self.parser_class, self.crawler, body)
        await self.crawler.signals.send_catch_log_async(signal=signals.robots_parsed, robotparser=parser,
                                                        request=robots)
        verdict = self.judge(origin, parser)
        verdict.record = {"rules": body.decode("latin-1")}
        landed = origin_of(response.url)
        if landed and landed != origin and urlsplit(response.url).path == "/robots.txt":
            # Redirected to another origin's robots.txt (http -> https, bare domain -> www.): that is
            # its verdict too, so it is not fetched again when the walk gets there.
            self.verdicts.setdefault(landed, self.judge(landed, parser))
            if self.share is not None:
                self.share.publish(origin_url(landed), verdict.record)
        return verdict

    def judge(self, origin: Origin, parser: Any) -> Verdict:
        verdict = Verdict(parser=parser)
        asked = self.asked_delay(parser)
        if asked > self.our_delay:
            verdict.delay = min(asked, self.max_crawl_delay)
            self.stats.inc_value("linkspider/robots/crawl_delay")
            if asked > self.max_crawl_delay:
                verdict.page_cap = self.slow_site_pages
                logger.warning("robots.txt of %s asks for %g s between requests (more than "
                               "ROBOTS_MAX_CRAWL_DELAY = %g): it is walked with at most %d pages, %g s apart",
                               origin_url(origin), asked, self.max_crawl_delay, self.slow_site_pages,
                               verdict.delay)
            else:
                logger.info("robots.txt of %s asks for %g s between requests: honoured", origin_url(origin), asked)
        return verdict

    def asked_delay(self, parser: Any) -> float:
        """Seconds between requests the origin asks our user agent for (Crawl-delay, Request-rate)."""
        rules = getattr(parser, "rp", None)  # Protego (Scrapy's default parser) knows both
        delay = 0.0
        if rules is not None and hasattr(rules, "request_rate"):
            crawl_delay = rules.crawl_delay(self.useragent)
            rate = rules.request_rate(self.useragent)
            if crawl_delay:
                delay = float(crawl_delay)
            if rate and rate.requests:
                delay = max(delay, rate.seconds / rate.requests)
        elif hasattr(parser, "crawl_delay"):
            delay = float(parser.crawl_delay(self.useragent) or 0.0)
        return delay

    def bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        """Stop a robots.txt download past ROBOTS_MAX_BYTES, keeping what came (only that is parsed)."""
        meta = request.meta
        if "linkspider_robots" not in meta:
            return
        meta["linkspider_robots"] += len(data)
        if meta["linkspider_robots"] > self.max_bytes:
            raise StopDownload(fail=False)
