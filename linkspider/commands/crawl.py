"""``scrapy crawl`` with argument checks up front and an honest exit code.

Scrapy builds spiders inside the running crawl, where a bad ``-a`` value ends
as a traceback. This command asks the spider class to check its arguments
first (``configure``) and turns a problem into one usage error line. After the
crawl it exits 1 when a spider closed because of a failure (the database could
not be written), so cron and ``linkspider nightly`` notice.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from linkspider.niches import NicheError

FAILED_REASONS = {"store_error"}


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                spidercls = None
            if spidercls is not None and hasattr(spidercls, "configure"):
                try:
                    spidercls(**opts.spargs).configure(self.settings)
                except NicheError as exc:
                    raise UsageError(str(exc), print_help=False) from exc
                except TypeError as exc:
                    raise UsageError(f"spider {args[0]!r}: {exc}", print_help=False) from exc
        super().run(args, opts)
        crawlers = getattr(self, "_crawlers", [])
        reasons = {c.stats.get_value("finish_reason") for c in crawlers}
        if reasons & FAILED_REASONS or any(c.stats.get_value("linkspider/store_errors") for c in crawlers):
            self.exitcode = 1  # pages that did not reach the database are a failure, even if spilled

    def _create_crawler(self, spname: str):  # type: ignore[no-untyped-def]
        crawler = super()._create_crawler(spname)
        self.__dict__.setdefault("_crawlers", []).append(crawler)
        return crawler
