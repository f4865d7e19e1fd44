"""``linkspider ingest``: the one writer of a distributed crawl.

Workers (``REDIS_URL`` set, see ``linkspider.crawl.distributed``) push items as JSON to
the Redis list ``linkspider:items``; ``ingest`` drains it into the SQLite store
in batches, scoring the sites each batch touched, exactly as ``StorePipeline``
does in a single-process crawl. Safe against being killed: a batch is moved
atomically to ``linkspider:items:processing`` and removed from there only after
its transaction committed; a restarted ingest writes what it finds there first
(writes are upserts, so a batch committed just before the kill is not doubled).
Only one ingest runs per Redis database (a lock key), so the database is never
written by two machines.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from linkspider.common.queue import (
    ITEMS_KEY,
    PROCESSING_KEY,
    item_from_json,
    redis_client,
)
from linkspider.common.redact import redact
from linkspider.items import DiscoveryItem, PageItem
from linkspider.score.prospect import parse_today
from linkspider.store.database import Store

logger = logging.getLogger(__name__)

LOCK_KEY = "linkspider:ingest:lock"
LOCK_SECONDS = 60

# Move up to ARGV[1] of the oldest items (the list is LPUSHed) to the processing list, atomically.
_TAKE = """
local items = redis.call('LRANGE', KEYS[1], -tonumber(ARGV[1]), -1)
if #items == 0 then return items end
redis.call('LTRIM', KEYS[1], 0, -#items - 1)
for i = #items, 1, -1 do redis.call('LPUSH', KEYS[2], items[i]) end
return items
"""


class IngestError(RuntimeError):
    pass


@dataclass
class IngestResult:
    items: int = 0
    pages: int = 0
    discoveries: int = 0
    runs: int = 0
    batches: int = 0
    bad: int = 0
    domains: set[str] = field(default_factory=set)


def _niche_of(batch: Iterable[PageItem | DiscoveryItem]) -> str:
    niches = {item.niche for item in batch}
    return niches.pop() if len(niches) == 1 else ""


def ingest(redis_url: str, db_path: str, *, batch: int = 100, until_idle: float | None = None,
           weights: dict[str, float] | None = None, today: date | str | None = None,
           key: str = ITEMS_KEY) -> IngestResult:
    """Drain the Redis item queue into the store at ``db_path``, ``batch`` items a transaction.

    ``until_idle``: return once no item has arrived for that many seconds
    (``0``: as soon as the queue is empty); ``None``: run until interrupted.
    ``weights`` and ``today`` are the scoring settings (SCORE_WEIGHTS, LINKSPIDER_TODAY).
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    server = redis_client(redis_url)
    processing = PROCESSING_KEY if key == ITEMS_KEY else f"{key}:processing"
    lock_key = LOCK_KEY if key == ITEMS_KEY else f"{key}:ingest:lock"
    token = uuid.uuid4().hex
    if not server.set(lock_key, token, nx=True, ex=LOCK_SECONDS):
        raise IngestError(f"another ingest is draining {key} on {redact(redis_url)} "
                          f"(lock {lock_key}; it expires {LOCK_SECONDS} s after that ingest stops)")
    today = parse_today(today) if isinstance(today, str) or today is None else today
    result = IngestResult()
    take = server.register_script(_TAKE)
    store = Store(db_path)
    try:
        # What a killed ingest had taken but not committed comes first.
        leftover = server.lrange(processing, 0, -1)
        if leftover:
            logger.info("%d items left by an interrupted ingest: writing them first", len(leftover))
            leftover.reverse()
            for start in range(0, len(leftover), batch):
                _write(store, server, processing, leftover[start:start + batch], weights or {}, today, result)
        last_item = time.monotonic()
        while True:
            if server.get(lock_key) != token.encode():
                raise IngestError(f"lost the ingest lock {lock_key}: another ingest took over")
            server.expire(lock_key, LOCK_SECONDS)
            messages = take(keys=[key, processing], args=[batch])
            if messages:
                _write(store, server, processing, list(reversed(messages)), weights or {}, today, result)
                last_item = time.monotonic()
                continue
            if until_idle is not None and time.monotonic() - last_item >= until_idle:
                break
            wait = 1.0 if until_idle is None else max(0.05, min(1.0, until_idle - (time.monotonic() - last_item)))
            first = server.blmove(key, processing, wait, "RIGHT", "LEFT")  # wakes on the first new item
            if first is not None:
                rest = take(keys=[key, processing], args=[batch - 1]) if batch > 1 else []
                _write(store, server, processing, [first, *reversed(rest)], weights or {}, today, result)
                last_item = time.monotonic()
    finally:
        store.close()
        if server.get(lock_key) == token.encode():
            server.delete(lock_key)
    return result


def _write(store: Store, server: Any, processing: str, messages: list[bytes], weights: dict[str, float],
           today: date | None, result: IngestResult) -> None:
    """Write one batch (oldest first), then remove it from the processing list."""
    items: list[PageItem | DiscoveryItem] = []
    runs: list[dict[str, Any]] = []
    for message in messages:
        try:
            data = json.loads(message)
            if data.get("type") == "run":
                runs.append(data)
            else:
                items.append(item_from_json(message))
        except (ValueError, TypeError) as exc:
            result.bad += 1
            logger.error("skipping a malformed queue message (%s): %.200r", exc, message)
    if items:
        # One niche per scoring call, as in a single-process crawl.
        by_niche: dict[str, list[PageItem | DiscoveryItem]] = {}
        for item in items:
            by_niche.setdefault(item.niche, []).append(item)
        for niche, group in by_niche.items():
            store.write_batch(group, weights, today, niche)
    for run in runs:
        run_id = store.start_run(run["spider"], run.get("niche", ""),
                                 {**run.get("args", {}), "worker": run.get("worker", "")})
        store.finish_run(run_id, run.get("outcome", "finished"), run.get("stats", {}))
    # Committed: now forget them (the oldest end of the processing list).
    pipe = server.pipeline()
    for message in messages:
        pipe.lrem(processing, -1, message)
    pipe.execute()
    result.batches += 1
    result.items += len(items)
    result.runs += len(runs)
    result.pages += sum(isinstance(i, PageItem) for i in items)
    result.discoveries += sum(isinstance(i, DiscoveryItem) for i in items)
    result.domains.update(i.domain for i in items)
