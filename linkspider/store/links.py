"""Item pipelines for the user's own links: glue between the crawl, the judge and the store.

``OwnLinksPipeline`` (every crawl, after scoring): a crawled page that links
to the user's own site (the niche profile's ``domain``, and the sites the
database knows as the user's: targets of placed links and of imported own
backlinks) gets those links in ``facts["own_links"]``; the store keeps them in
``own_backlinks`` and such sites are no longer offered as prospects.

``LinkCheckPipeline`` (the monitor spider's only pipeline): each
``LinkCheckItem`` is judged against its link's history
(:func:`linkspider.score.link_changes.judge`) and kept as one more
``link_checks`` row, never overwriting one. Settings read: LINKSPIDER_DB,
LINKSPIDER_DB_TIMEOUT, REDIS_URL.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scrapy.utils.defer import deferred_from_coro

from linkspider.common.domains import registrable_domain
from linkspider.items import LinkCheckItem, PageItem
from linkspider.score.link_changes import judge
from linkspider.store.database import Store, StoreError, now_iso

logger = logging.getLogger(__name__)


class OwnLinksPipeline:
    """Marks the links a crawled page has to the user's own site (see the module docstring)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.domains: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> OwnLinksPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        profile = getattr(self.crawler.spider, "profile", None)
        self.domains = set(getattr(profile, "domains", None) or [])
        settings = self.crawler.settings
        db = settings.get("LINKSPIDER_DB")
        if db and Path(db).is_file() and not settings.get("REDIS_URL"):  # a distributed worker never opens it
            try:
                with Store(db, reading=True) as store:
                    self.domains |= store.own_domains()
            except StoreError as exc:
                logger.warning("cannot read your own sites from the database (%s); using the niche profile's", exc)
        if self.domains:
            logger.info("pages linking to %s are recorded: their sites are not prospects",
                        ", ".join(sorted(self.domains)))

    def process_item(self, item: Any) -> Any:
        if (not self.domains or not isinstance(item, PageItem) or "outbound_links" not in item.facts
                or item.domain in self.domains):
            return item
        own = []
        for link in item.facts["outbound_links"]:
            target = registrable_domain(link["url"])
            if target in self.domains:
                own.append({"url": link["url"], "anchor": link.get("text", ""), "rel": link.get("rel", []),
                            "target_domain": target})
        item.facts["own_links"] = own
        if own:
            self.crawler.stats.inc_value("linkspider/own_links", len(own))
        return item


class LinkCheckPipeline:
    """Judges each check of a placed link and stores it with the link's history (module docstring)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("LINKSPIDER_DB")
        self.timeout = crawler.settings.getfloat("LINKSPIDER_DB_TIMEOUT", 30.0)
        self.store: Store | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> LinkCheckPipeline:
        return cls(crawler)

    def _fail(self, message: str, exc: StoreError) -> None:
        """One line and a clean stop with reason store_error (`scrapy crawl` exits 1)."""
        logger.error("%s: %s", message, exc)
        self.stats.inc_value("linkspider/store_errors")
        if self.store is not None:
            self.store.close()
            self.store = None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="store_error"))

    def open_spider(self) -> None:
        spider = self.crawler.spider
        try:
            self.store = Store(self.db_path, timeout=self.timeout)
            self.run_id = self.store.start_run(spider.name, "", getattr(spider, "arguments", {}))
        except StoreError as exc:
            self._fail("cannot record this monitor run", exc)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, LinkCheckItem) or self.store is None:
            return item
        check = asdict(item)
        try:
            status, changes = judge(self.store.link_history(item.link_id), check)
            self.store.record_link_check({
                "link_id": item.link_id, "run_id": self.run_id, "checked_at": now_iso(), "outcome": item.outcome,
                "http_status": item.http_status, "final_url": item.final_url,
                "redirects": json.dumps(item.redirects), "error": item.error[:300], "found": int(item.found),
                "rel": item.rel, "anchor": item.anchor[:300], "link_url": item.link_url, "noindex": item.noindex,
                "canonical": item.canonical, "js_only": int(item.js_only), "status": status,
                "changes": json.dumps(changes),
            })
        except StoreError as exc:
            self._fail(f"could not store the check of {item.page_url}", exc)
            return item
        self.stats.inc_value("linkspider/monitor/checked")
        self.stats.inc_value(f"linkspider/monitor/status/{status}")
        for change in changes:
            self.stats.inc_value(f"linkspider/monitor/changes/{change['kind']}")
            logger.info("%s -> %s: %s (%s -> %s)", item.page_url, item.target_url, change["kind"],
                        change["before"], change["after"])
        return item

    def close_spider(self) -> None:
        if self.store is None:
            return
        reason = self.stats.get_value("finish_reason") or "finished"
        try:
            if self.run_id is not None:
                self.store.finish_run(self.run_id, str(reason), self.stats.get_stats())
        except StoreError as exc:
            logger.warning("could not record the run: %s", exc)
        self.store.close()
