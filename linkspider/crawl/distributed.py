"""Distributed crawling on Redis (scrapy-redis): many workers, one writer.

Set ``REDIS_URL`` (``redis://host:6379/0``) and every ``scrapy crawl`` started
with it becomes a *worker* of one shared crawl per spider name:

* ``DistributedAddon`` switches on scrapy-redis' scheduler and dupefilter
  (one request queue and one set of seen fingerprints in Redis), keeps them when
  a worker finishes (``SCHEDULER_PERSIST``), and replaces ``StorePipeline`` by
  ``RedisItemQueuePipeline``: workers never open the SQLite database, they push
  each item as JSON to the Redis list ``linkspider:items``, which
  ``linkspider ingest`` (``linkspider.store.ingest``) drains into the one database.
* ``SeedOnceMiddleware`` lets one worker only pass its spider's start requests
  (a crawl's seeds are pushed once; the others take work from the shared queue).
  Start requests bypass the dupefilter (``dont_filter``), so without it each
  worker would fetch every seed's home page.
* ``DistributedCrawl`` (extension) registers the worker with a heartbeat, keeps
  an idle worker alive while the seeding worker is still seeding or another
  worker is busy (it may yield more requests), shares the site walk's per-site
  page budget in Redis (the spider's ``SiteBudget`` gets ``RedisSeen`` and
  ``RedisUsed`` as its mappings), and lets the last worker out delete the crawl's keys.

* Politeness is the crawl's, not each worker's: robots.txt is fetched once per
  origin for the whole crawl (``RedisRobots`` shares the verdicts of
  ``RobotsPolicyMiddleware``), and ``SharedPacingMiddleware`` spaces requests to
  one site by its download delay (ours, AutoThrottle's or its Crawl-delay)
  across all workers, as one process's download slot would.

Redis keys (``<s>`` is the spider name): ``linkspider:<s>:requests``,
``:dupefilter``, ``:seeded``, ``:workers``, ``:sites``, ``:seen``, ``:used``,
``:robots``, ``:robots_fetching``, ``:pace``,
and ``linkspider:items`` (+ ``linkspider:items:processing``) for all spiders.
One crawl per spider name per Redis database at a time: run another crawl of the
same spider against another database (``redis://host:6379/1``).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator, MutableMapping
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import sleep

from linkspider.common.queue import ITEMS_KEY, item_to_json, redis_client, run_to_json
from linkspider.common.redact import redact
from linkspider.crawl.budget import SiteBudget
from linkspider.items import DiscoveryItem, PageItem

logger = logging.getLogger(__name__)

STORE_PIPELINE = "linkspider.store.pipelines.StorePipeline"
QUEUE_PIPELINE = "linkspider.crawl.distributed.RedisItemQueuePipeline"


# ---------------------------------------------------------------- keys and the client
def crawl_keys(spider: str) -> dict[str, str]:
    base = f"linkspider:{spider}"
    return {name: f"{base}:{name}" for name in
            ("requests", "dupefilter", "seeded", "workers", "sites", "seen", "used", "robots", "robots_fetching",
             "pace")}


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


# ---------------------------------------------------------------- settings
class DistributedAddon:
    """Scrapy add-on: with ``REDIS_URL`` set, make this crawl a worker of the shared Redis crawl."""

    def update_settings(self, settings: Any) -> None:
        if not settings.get("REDIS_URL"):
            return
        import importlib.util

        if importlib.util.find_spec("scrapy_redis") is None or importlib.util.find_spec("redis") is None:
            raise NotConfigured("REDIS_URL is set but scrapy-redis is not installed: "
                                "pip install 'linkspider[distributed]' (or scrapy-redis redis)")
        for name, value in {
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            # Else the first worker to finish wipes the shared queue and dupefilter.
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_KEY": "linkspider:%(spider)s:requests",
            "SCHEDULER_DUPEFILTER_KEY": "linkspider:%(spider)s:dupefilter",
        }.items():
            settings.set(name, value, priority="addon")
        # Workers never write the database: StorePipeline's place goes to the Redis item queue.
        pipelines = settings["ITEM_PIPELINES"]
        order, priority = 800, settings.getpriority("ITEM_PIPELINES") or 0
        for key in list(pipelines):
            name = key if isinstance(key, str) else f"{key.__module__}.{key.__qualname__}"
            if name == STORE_PIPELINE and pipelines[key] is not None:
                order, priority = pipelines[key], pipelines.getpriority(key)
                pipelines.set(key, None, priority=priority)
        pipelines.set(QUEUE_PIPELINE, order, priority=priority)
        settings["SPIDER_MIDDLEWARES"].set("linkspider.crawl.distributed.SeedOnceMiddleware", 10, priority="addon")
        # After the robots.txt middleware (100), which sets a site's Crawl-delay on its download slot.
        settings["DOWNLOADER_MIDDLEWARES"].set("linkspider.crawl.distributed.SharedPacingMiddleware", 105,
                                               priority="addon")
        settings["EXTENSIONS"].set("linkspider.crawl.distributed.DistributedCrawl", 500, priority="addon")


# ---------------------------------------------------------------- the shared crawl
# Atomically: join the crawl, and decide whether this worker pushes the seeds.
# KEYS: seeded, workers, requests, dupefilter, sites, seen, used, robots, robots_fetching, pace.
# ARGV: worker, now, timeout.
# Returns "seed" (fresh crawl: stale leftovers of a finished one are cleared), "resume" (a killed
# crawl left requests: continue it, no new seeds) or "join" (another worker seeds).
_CLAIM = """
local live = 0
local workers = redis.call('HGETALL', KEYS[2])
for i = 1, #workers, 2 do
  if workers[i] ~= ARGV[1] and tonumber(string.match(workers[i + 1], '^[^:]+')) > tonumber(ARGV[2]) - tonumber(ARGV[3]) then
    live = live + 1
  end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ':1')
if live == 0 then
  if redis.call('EXISTS', KEYS[3]) == 1 then return 'resume' end
  redis.call('DEL', KEYS[1], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
  redis.call('SET', KEYS[1], 'seeding:' .. ARGV[1])
  return 'seed'
end
if redis.call('SET', KEYS[1], 'seeding:' .. ARGV[1], 'NX') then return 'seed' end
return 'join'
"""

# Leave the crawl; the last worker out (nothing queued) deletes its keys.
# KEYS: as _CLAIM. ARGV: worker, now, timeout. Returns 1 when the keys were deleted.
_LEAVE = """
redis.call('HDEL', KEYS[2], ARGV[1])
local workers = redis.call('HGETALL', KEYS[2])
for i = 1, #workers, 2 do
  if tonumber(string.match(workers[i + 1], '^[^:]+')) > tonumber(ARGV[2]) - tonumber(ARGV[3]) then return 0 end
end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
return 1
"""


class DistributedCrawl:
    """Extension: worker registry and heartbeat, idle policy, shared page budgets, cleanup."""

    HEARTBEAT = 1.0

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        self.crawler = crawler
        self.server = redis_client(settings["REDIS_URL"])
        self.worker = worker_id()
        # A worker silent this long is taken for dead (killed, machine gone).
        self.timeout = settings.getfloat("LINKSPIDER_WORKER_TIMEOUT")
        self.keys: dict[str, str] = {}
        self.role = ""
        self._heartbeat: Any = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedCrawl:
        return cls(crawler)

    def _keys(self) -> list[str]:
        k = self.keys
        return [k["seeded"], k["workers"], k["requests"], k["dupefilter"], k["sites"], k["seen"], k["used"],
                k["robots"], k["robots_fetching"], k["pace"]]

    def spider_opened(self, spider: Any) -> None:
        self.keys = crawl_keys(spider.name)
        self.role = self.server.eval(_CLAIM, len(self._keys()), *self._keys(), self.worker, time.time(), self.timeout).decode()
        logger.info("distributed worker %s on %s: %s", self.worker,
                    redact(self.crawler.settings.get("REDIS_URL")), {
                        "seed": "pushing the seeds", "join": "joining the crawl",
                        "resume": "resuming the queued requests of an interrupted crawl"}[self.role])
        self.crawler.stats.set_value("linkspider/distributed/worker", self.worker)
        self.crawler.stats.set_value("linkspider/distributed/role", self.role)
        budget = getattr(spider, "budget", None)
        if isinstance(budget, SiteBudget):  # every worker spends the same per-site budget
            spider.budget = SiteBudget(budget.pages, seen=RedisSeen(self.server, self.keys["sites"], self.keys["seen"]),
                                       used=RedisUsed(self.server, self.keys["used"]))
        robots = _robots_middleware(self.crawler)
        if robots is not None:  # one robots.txt fetch per origin for the whole crawl
            robots.share = RedisRobots(self.server, self.keys["robots"], self.keys["robots_fetching"], self.worker,
                                       lease=robots_lease(self.crawler.settings))
        # An idle worker looks at the shared queue on the engine's heartbeat, every 5 s by default:
        # too slow to join a crawl another worker is seeding. (Private in Scrapy 2.19: when it goes
        # away, workers only join a little later.)
        engine = self.crawler.engine
        if engine is not None and hasattr(engine, "_SLOT_HEARTBEAT_INTERVAL"):
            engine._SLOT_HEARTBEAT_INTERVAL = self.crawler.settings.getfloat("LINKSPIDER_IDLE_POLL")
        from twisted.internet import task

        self._heartbeat = task.LoopingCall(self.beat)
        self._heartbeat.start(self.HEARTBEAT, now=False)

    def beat(self) -> None:
        engine = self.crawler.engine
        try:
            busy = engine is not None and not engine.spider_is_idle()
        except (RuntimeError, AttributeError):  # engine slot already gone: closing
            busy = False
        try:
            self.server.hset(self.keys["workers"], self.worker, f"{time.time()}:{int(busy)}")
        except Exception as exc:  # Redis away for a moment: the next beat tries again
            logger.warning("heartbeat to Redis failed: %s", exc)

    def seeding(self) -> bool:
        """Called by SeedOnceMiddleware: does this worker push the spider's start requests?"""
        return self.role == "seed"

    def seeded(self) -> None:
        self.server.set(self.keys["seeded"], "done")

    def others(self) -> tuple[set[str], set[str]]:
        """(live workers, busy workers) other than this one."""
        live, busy, now = set(), set(), time.time()
        for name, value in self.server.hgetall(self.keys["workers"]).items():
            name = name.decode()
            ts, _, flag = value.decode().partition(":")
            if name == self.worker or float(ts) <= now - self.timeout:
                continue
            live.add(name)
            if flag == "1":
                busy.add(name)
        return live, busy

    def spider_idle(self, spider: Any) -> None:
        """Stay while the crawl may still give this worker work; the last idle worker ends it."""
        self.beat()
        seeded = (self.server.get(self.keys["seeded"]) or b"").decode()
        live, busy = self.others()
        if seeded.startswith("seeding:") and seeded.split(":", 1)[1] in live:
            raise DontCloseSpider  # the seeding worker is still pushing start requests
        if self.server.exists(self.keys["requests"]):
            raise DontCloseSpider  # requests queued (the scheduler takes one at the next heartbeat)
        if busy:
            raise DontCloseSpider  # another worker is fetching: its pages may link to more

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        try:
            if self.server.eval(_LEAVE, len(self._keys()), *self._keys(), self.worker, time.time(), self.timeout):
                logger.info("last worker out: the shared crawl of %s is finished and its keys deleted",
                            spider.name)
        except Exception as exc:
            logger.warning("could not leave the shared crawl cleanly: %s", exc)


# ---------------------------------------------------------------- the crawl's politeness
# Is the origin's robots.txt known, being fetched by a live worker, or ours to fetch?
# KEYS: robots, robots_fetching. ARGV: origin, worker, now, lease. Returns {state, record}.
_ROBOTS_CLAIM = """
local record = redis.call('HGET', KEYS[1], ARGV[1])
if record then return {'known', record} end
local holder = redis.call('HGET', KEYS[2], ARGV[1])
if holder and tonumber(string.match(holder, ':([^:]+)$')) > tonumber(ARGV[3]) then return {'wait', ''} end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ':' .. (tonumber(ARGV[3]) + tonumber(ARGV[4])))
return {'fetch', ''}
"""

# Reserve the next moment a site may be sent a request, `delay` after the one reserved before.
# KEYS: pace. ARGV: slot, now, delay. Returns the seconds to wait (as a string).
_PACE = """
local now = tonumber(ARGV[2])
local start = math.max(tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0'), now)
redis.call('HSET', KEYS[1], ARGV[1], start + tonumber(ARGV[3]))
return tostring(start - now)
"""


def robots_lease(settings: Any) -> float:
    """How long a worker may take over a robots.txt before another asks instead: two tries and the pause
    between them (RobotsPolicyMiddleware.fetch), with room to spare."""
    return 2 * settings.getfloat("DOWNLOAD_TIMEOUT") + max(settings.getfloat("ROBOTS_RETRY_DELAY"), 0) + 10


def _robots_middleware(crawler: Any) -> Any:
    from linkspider.crawl.middlewares.robots import RobotsPolicyMiddleware

    engine = crawler.engine
    chain = getattr(getattr(engine, "downloader", None), "middleware", None)
    return next((mw for mw in getattr(chain, "middlewares", ()) if isinstance(mw, RobotsPolicyMiddleware)), None)


class RedisRobots:
    """The robots.txt verdicts of a distributed crawl: the first worker to need an origin's fetches it and
    publishes what it found; the others wait for that (polling every POLL seconds) and judge it alike. A
    worker that dies while fetching loses its claim after ``lease`` seconds."""

    POLL = 0.05

    def __init__(self, server: Any, key: str, fetching_key: str, worker: str, lease: float) -> None:
        self.server, self.key, self.fetching_key, self.worker, self.lease = server, key, fetching_key, worker, lease

    async def claim(self, origin: str) -> dict[str, Any] | None:
        """The published record of ``origin``, or None: then this worker fetches it (and publishes)."""
        while True:
            state, record = self.server.eval(_ROBOTS_CLAIM, 2, self.key, self.fetching_key, origin, self.worker,
                                             time.time(), self.lease)
            if state == b"known":
                return dict(json.loads(record))
            if state == b"fetch":
                return None
            await sleep(self.POLL)  # another worker is asking: its answer is ours

    def publish(self, origin: str, record: dict[str, Any]) -> None:
        pipe = self.server.pipeline()
        pipe.hset(self.key, origin, json.dumps(record))
        pipe.hdel(self.fetching_key, origin)
        pipe.execute()


class SharedPacingMiddleware:
    """Downloader middleware (distributed crawls only): one site's requests are spaced by its download delay
    across all workers, not per worker - else N workers ask a site N times as often as it was promised.

    The delay is the one this worker's download slot for the site has: DOWNLOAD_DELAY, as AutoThrottle
    moved it, or the site's Crawl-delay (RobotsPolicyMiddleware, which runs before this one, sets it).
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.server = redis_client(crawler.settings["REDIS_URL"])
        self.key = crawl_keys(crawler.spidercls.name)["pace"]
        self.default_delay = crawler.settings.getfloat("DOWNLOAD_DELAY")

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedPacingMiddleware:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        return cls(crawler)

    def delay_of(self, slot_key: str) -> float:
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(slot_key)
        if slot is not None:
            return float(slot.delay)
        return max(self.default_delay, float(downloader.per_slot_settings.get(slot_key, {}).get("delay", 0.0)))

    async def process_request(self, request: Any) -> None:
        slot_key = self.crawler.engine.downloader.get_slot_key(request)
        delay = self.delay_of(slot_key)
        if delay <= 0:
            return None
        wait = float(self.server.eval(_PACE, 1, self.key, slot_key, time.time(), delay))
        if wait > 0:
            self.crawler.stats.inc_value("linkspider/distributed/paced")
            await sleep(wait)
        # This is the moment the crawl reserved for the site: the worker's own slot must not hold the request
        # on top of it (its random delay would send it late, close to the next worker's turn).
        slot = self.crawler.engine.downloader.slots.get(slot_key)
        if slot is not None:
            slot.lastseen = 0.0
        return None


class SeedOnceMiddleware:
    """Spider middleware: only the seeding worker passes the spider's start requests and items."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> SeedOnceMiddleware:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        return cls(crawler)

    def _crawl(self) -> DistributedCrawl | None:
        return self.crawler.get_extension(DistributedCrawl)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        crawl = self._crawl()
        if crawl is not None and not crawl.seeding():
            logger.info("another worker pushes the start requests; taking work from the shared queue")
            self.crawler.stats.set_value("linkspider/distributed/seeded", 0)
            return
        count = 0
        async for item_or_request in start:
            count += 1
            yield item_or_request
        self.crawler.stats.set_value("linkspider/distributed/seeded", count)
        if crawl is not None:
            crawl.seeded()


# ---------------------------------------------------------------- shared page budgets
class RedisSiteSet:
    """The canonical URLs of one site requested or landed on (a view of the shared ``seen`` set)."""

    def __init__(self, server: Any, key: str, site: str) -> None:
        self.server, self.key, self.prefix = server, key, f"{site}\t"

    def __contains__(self, url: object) -> bool:
        return bool(self.server.sismember(self.key, self.prefix + str(url)))

    def add(self, url: str) -> None:
        self.server.sadd(self.key, self.prefix + url)

    def update(self, urls: Any) -> None:
        urls = list(urls)
        if urls:
            self.server.sadd(self.key, *(self.prefix + u for u in urls))


class RedisSeen(MutableMapping[str, RedisSiteSet]):
    """The ``seen`` mapping of a ``SiteBudget`` (site -> set of URLs), shared by all workers."""

    def __init__(self, server: Any, sites_key: str, seen_key: str) -> None:
        self.server, self.sites_key, self.seen_key = server, sites_key, seen_key

    def __contains__(self, site: object) -> bool:
        return bool(self.server.sismember(self.sites_key, str(site)))

    def __getitem__(self, site: str) -> RedisSiteSet:
        if site not in self:
            raise KeyError(site)
        return RedisSiteSet(self.server, self.seen_key, site)

    def __setitem__(self, site: str, urls: Any) -> None:
        self.server.sadd(self.sites_key, site)
        RedisSiteSet(self.server, self.seen_key, site).update(urls)

    def setdefault(self, site: str, default: Any = None) -> RedisSiteSet:  # type: ignore[override]
        self[site] = default or ()
        return RedisSiteSet(self.server, self.seen_key, site)

    def __delitem__(self, site: str) -> None:
        raise NotImplementedError("sites are never forgotten during a crawl")

    def __iter__(self) -> Iterator[str]:
        return (s.decode() for s in self.server.smembers(self.sites_key))

    def __len__(self) -> int:
        return int(self.server.scard(self.sites_key))


class RedisUsed(MutableMapping[str, int]):
    """The ``used`` mapping of a ``SiteBudget`` (site -> pages of its budget spent), shared by all workers.

    The budget does ``used[site] = used.get(site, 0) + 1``: an assignment adds the
    difference to what *this* worker last read (HINCRBY), so increments made by
    two workers at once both count.
    """

    def __init__(self, server: Any, key: str) -> None:
        self.server, self.key = server, key
        self._read: dict[str, int] = {}

    def __getitem__(self, site: str) -> int:
        value = self.server.hget(self.key, site)
        if value is None:
            raise KeyError(site)
        self._read[site] = int(value)
        return self._read[site]

    def __setitem__(self, site: str, value: int) -> None:
        if site in self._read:
            self._read[site] = int(self.server.hincrby(self.key, site, int(value) - self._read.pop(site)))
        else:
            self.server.hset(self.key, site, int(value))

    def setdefault(self, site: str, default: Any = None) -> int:  # type: ignore[override]
        self.server.hsetnx(self.key, site, int(default or 0))
        return self[site]

    def __delitem__(self, site: str) -> None:
        self.server.hdel(self.key, site)

    def __iter__(self) -> Iterator[str]:
        return (s.decode() for s in self.server.hkeys(self.key))

    def __len__(self) -> int:
        return int(self.server.hlen(self.key))


# ---------------------------------------------------------------- items to Redis
class RedisItemQueuePipeline:
    """Pushes each item (extracted and scored) as JSON to ``linkspider:items``; never opens the database.

    A push that fails (Redis away) is kept and retried with the next item and
    at the end; what still cannot be pushed is written to
    ``unqueued-<time>-<pid>.jsonl`` (one queue message a line) beside LINKSPIDER_DB.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = crawler.settings.get("REDIS_URL")
        self.key = crawler.settings.get("LINKSPIDER_ITEMS_KEY") or ITEMS_KEY
        self.db_path = crawler.settings.get("LINKSPIDER_DB")
        self.server: Any = None
        self.pending: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisItemQueuePipeline:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        return cls(crawler)

    def open_spider(self) -> None:
        self.server = redis_client(self.url)
        self.server.ping()
        logger.info("queueing items in Redis list %s for `linkspider ingest`", self.key)

    def _push(self) -> bool:
        try:
            self.server.lpush(self.key, *self.pending)
        except Exception as exc:
            self.stats.inc_value("linkspider/queue_errors")
            logger.error("could not queue %d items in Redis (kept, retried): %s", len(self.pending), exc)
            return False
        self.stats.inc_value("linkspider/queued_items", len(self.pending))
        self.pending = []
        return True

    def process_item(self, item: Any) -> Any:
        if isinstance(item, (PageItem, DiscoveryItem)):
            self.pending.append(item_to_json(item))
            self._push()
        return item

    def close_spider(self) -> None:
        spider = self.crawler.spider
        stats = self.stats.get_stats()
        reason = str(stats.get("finish_reason") or "finished")
        crawl = self.crawler.get_extension(DistributedCrawl) if hasattr(self.crawler, "get_extension") else None
        args = {k: getattr(spider, k) for k in ("niche_name", "seeds_path") if getattr(spider, k, None) is not None}
        self.pending.append(run_to_json(spider.name, getattr(spider, "niche", ""), args, reason, stats,
                                        crawl.worker if crawl else worker_id()))
        if self.pending and not self._push():
            from pathlib import Path

            path = Path(self.db_path).with_name(f"unqueued-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.jsonl")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(line + "\n" for line in reversed(self.pending)), encoding="utf-8")
            logger.error("%d items could not be queued; they are in %s", len(self.pending), path)
