"""``scrapy crawl`` with argument checks up front and an honest exit code.

Scrapy builds spiders inside the running crawl, where a bad ``-a`` value ends
as a traceback. This command asks the spider class to check its arguments
first (``configure``) and turns a problem into one usage error line; an
unreachable ``REDIS_URL`` is one error line too, and exit status 1. After the
crawl it exits 1 when a spider closed because of a failure (the database could
not be written), so cron and ``linkspider nightly`` notice.

Settings can also come from the environment variable ``LINKSPIDER_CRAWL_SETTINGS``,
a JSON object of ``NAME: value``, as if each were given with ``-s`` (``-s``
wins): that is how ``linkspider nightly`` hands a plan's settings, API keys
included, to its crawls, because every user of the machine can read a
process's arguments (``ps``) but not its environment.
"""

from __future__ import annotations

import argparse
import json
import logging
import os

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from linkspider.common.redact import install_log_redaction, redact
from linkspider.discover.niches import NicheError

FAILED_REASONS = {"store_error"}
SETTINGS_ENV = "LINKSPIDER_CRAWL_SETTINGS"

logger = logging.getLogger(__name__)


def environment_settings() -> dict[str, object]:
    """The settings in ``LINKSPIDER_CRAWL_SETTINGS`` (none when it is unset)."""
    text = os.environ.get(SETTINGS_ENV, "").strip()
    if not text:
        return {}
    try:
        values = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{SETTINGS_ENV} is not JSON ({exc})", print_help=False) from None
    if not isinstance(values, dict):
        raise UsageError(f"{SETTINGS_ENV} must be a JSON object of setting names and values", print_help=False)
    return values


# Spider arguments that may be given more than once (`-a url=A -a url=B`): their values are joined by
# newlines (Scrapy keeps only the last). The article spider takes several articles this way.
REPEATABLE = ("url", "file")


def repeated_arguments(spargs: list[str]) -> list[str]:
    """``-a`` values as Scrapy reads them, with each repeatable argument's values joined by newlines."""
    joined: dict[str, list[str]] = {}
    out = []
    for arg in spargs:
        name, sep, value = arg.partition("=")
        if sep and name in REPEATABLE:
            if name not in joined:
                joined[name] = []
                out.append(name)
            joined[name].append(value)
        else:
            out.append(arg)
    return [f"{a}={chr(10).join(joined[a])}" if a in joined else a for a in out]


class Command(ScrapyCrawl):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        install_log_redaction()
        assert self.settings is not None
        self.settings.setdict(environment_settings(), priority="cmdline")
        opts.spargs = repeated_arguments(opts.spargs)
        super().process_options(args, opts)  # -s NAME=VALUE, set after: it wins

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
                    raise UsageError(redact(exc), print_help=False) from exc
                except TypeError as exc:
                    raise UsageError(f"spider {args[0]!r}: {exc}", print_help=False) from exc
        if self.settings.get("REDIS_URL"):
            from linkspider.common.queue import redis_problem

            problem = redis_problem(self.settings["REDIS_URL"])
        else:  # a distributed worker writes no database; this crawl must not write the demo's
            from linkspider.store.database import demo_conflict

            problem = demo_conflict(self.settings.get("LINKSPIDER_DB"), self.settings.getbool("LINKSPIDER_DEMO"))
        if problem:
            logger.error("%s", problem)
            self.exitcode = 1
            return
        super().run(args, opts)
        crawlers = getattr(self, "_crawlers", [])
        reasons = {c.stats.get_value("finish_reason") for c in crawlers}
        if reasons & FAILED_REASONS or any(c.stats.get_value("linkspider/store_errors") for c in crawlers):
            self.exitcode = 1  # pages that did not reach the database are a failure, even if spilled

    def _create_crawler(self, spname: str):  # type: ignore[no-untyped-def]
        crawler = super()._create_crawler(spname)
        self.__dict__.setdefault("_crawlers", []).append(crawler)
        return crawler
