"""The queue between a distributed crawl's workers and its one writer: items as JSON, in Redis.

Workers never open the database (``linkspider/crawl/distributed.py``): each
item goes as one JSON object onto the Redis list ``ITEMS_KEY``, and
``linkspider ingest`` (``linkspider/store/ingest.py``) moves them to
``PROCESSING_KEY`` while it writes them, so a killed ingest loses nothing.
Both sides speak through this module.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

from linkspider.common.redact import redact
from linkspider.items import Discovery, DiscoveryItem, PageItem

ITEMS_KEY = "linkspider:items"
PROCESSING_KEY = "linkspider:items:processing"


def _json_default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def item_to_json(item: PageItem | DiscoveryItem) -> str:
    """One item as a JSON object with its ``type`` ("page" or "discovery")."""
    if isinstance(item, PageItem):
        kind = "page"
    elif isinstance(item, DiscoveryItem):
        kind = "discovery"
    else:
        raise TypeError(f"not a linkspider item: {type(item).__name__}")
    return json.dumps({"type": kind, **asdict(item)}, default=_json_default, ensure_ascii=False)


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def item_from_json(text: str | bytes) -> PageItem | DiscoveryItem:
    """The item ``item_to_json`` wrote (fields unknown to this version are ignored)."""
    data = json.loads(text)
    kind = data.pop("type", None)
    discovery = data.get("discovery")
    if isinstance(discovery, dict):
        data["discovery"] = Discovery(**_known(Discovery, discovery))
    if kind == "page":
        return PageItem(**_known(PageItem, data))
    if kind == "discovery":
        return DiscoveryItem(**_known(DiscoveryItem, data))
    raise ValueError(f"not a linkspider item (type {kind!r})")


def run_to_json(spider: str, niche: str, args: dict[str, Any], outcome: str, stats: dict[str, Any],
                worker: str) -> str:
    """A worker's run record (the ``runs`` row the store writes for a single-process crawl)."""
    return json.dumps({"type": "run", "spider": spider, "niche": niche, "args": args, "outcome": outcome,
                       "stats": stats, "worker": worker}, default=_json_default, ensure_ascii=False)



def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10, retry_on_timeout=True)


def redis_problem(url: str) -> str | None:
    """Why the Redis at ``url`` cannot be used (one line, password redacted), or None when it answers.

    Asked before a worker starts: scrapy-redis' scheduler would otherwise fail
    inside the engine's start, as three chained tracebacks.
    """
    try:
        import redis
    except ImportError:  # DistributedAddon says what to install
        return None
    try:
        client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, ValueError, OSError) as exc:
        return (f"REDIS_URL={redact(url)} cannot be used: {redact(exc)}. Start that Redis (and check its "
                "password), or unset REDIS_URL to crawl in one process")
    return None
