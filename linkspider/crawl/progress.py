"""Seeing progress: what a long crawl has done so far, and a summary at the end.

Scrapy's LogStats says pages and items per minute; a link builder wants to
know sites, pages, prospects with an email and errors. Settings read:
LINKSPIDER_PROGRESS_INTERVAL (seconds; 0 turns the periodic line off).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.utils.asyncio import create_looping_call

logger = logging.getLogger(__name__)


class Progress:
    def __init__(self, crawler: Any, interval: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.interval = interval
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        ext = cls(crawler, crawler.settings.getfloat("LINKSPIDER_PROGRESS_INTERVAL"))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def figures(self) -> dict[str, int]:
        value = self.stats.get_value
        errors = sum(v for k, v in self.stats.get_stats().items()
                     if k.startswith(("linkspider/fetch_errors/", "linkspider/http_errors/")) and isinstance(v, int))
        return {"sites": value("linkspider/sites", 0), "pages": value("linkspider/pages", 0),
                "with_email": value("linkspider/pages_with_email", 0),
                "stored": value("linkspider/stored_pages", 0), "errors": errors}

    def opened(self, spider: Any) -> None:
        if self.interval > 0:
            self.task = create_looping_call(self.log)
            self.task.start(self.interval, now=False)

    def log(self) -> None:
        logger.info("progress: %(sites)d sites, %(pages)d pages (%(with_email)d with an email), "
                    "%(stored)d stored, %(errors)d errors", self.figures())

    def closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        figures = self.figures()
        logger.info("%s finished (%s): %d sites, %d pages, %d with an email, %d errors",
                    spider.name, reason, figures["sites"], figures["pages"], figures["with_email"], figures["errors"])
