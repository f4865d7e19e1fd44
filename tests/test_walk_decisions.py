"""The site walk's decisions, in process: a response in, the requests it makes out.

No crawl runs: the spider is built by Scrapy's own test helper with
linkspider's settings, handed a page as the page stage would return it, and
asked what it fetches next.
"""

from __future__ import annotations

from typing import Any

import scrapy

from linkspider.crawl.spiders.seeds import SeedsSpider
from tests.crawler_support import project_crawler

SITE = "ironpulse.com"
LINKS = [
    ("https://www.ironpulse.com/blog/why-squats-matter/", "Why squats matter"),
    ("https://www.ironpulse.com/contact/", "Get in touch"),
    ("https://www.ironpulse.com/shop/?size=m&color=red&fit=slim&brand=x&sort=price", "Shop filters"),
    ("https://www.ironpulse.com/events/calendar/?month=2026-12", "Events"),
    ("https://www.ironpulse.com/media-kit.pdf", "Media kit"),
    ("https://www.ironpulse.com/write-for-us/", "Write for us"),
]


def spider(**settings: Any) -> SeedsSpider:
    crawler = project_crawler(SeedsSpider, **settings)
    walker = SeedsSpider.from_crawler(crawler, niche="fitness")
    crawler.spider = walker
    crawler.stats.open_spider()
    walker.budget.start(SITE, "https://www.ironpulse.com/")
    return walker


def followed(walker: SeedsSpider) -> list[str]:
    return [r.url for r in walker.follow_links(LINKS, SITE, 0) if isinstance(r, scrapy.Request)]


def test_the_walk_takes_the_pages_worth_pitching_first_and_no_traps_or_files() -> None:
    walker = spider()
    urls = followed(walker)
    assert urls[:2] == ["https://www.ironpulse.com/contact/", "https://www.ironpulse.com/write-for-us/"]
    assert "https://www.ironpulse.com/blog/why-squats-matter/" in urls
    assert not [u for u in urls if "calendar" in u or u.endswith(".pdf") or "?size=" in u]
    stats = walker.crawler.stats
    assert stats.get_value("linkspider/skipped/trap/calendar") == 1
    assert stats.get_value("linkspider/skipped/trap/extension") == 1
    assert stats.get_value("linkspider/skipped/trap/query_params") == 1


def test_raising_the_trap_limits_in_the_settings_loosens_the_walks_filter() -> None:
    """Once the walk filtered with the module's defaults and a middleware with the settings: raising
    LINKSPIDER_TRAP_MAX_PARAMS could never let a five-parameter link through. One filter reads them."""
    walker = spider(LINKSPIDER_TRAP_MAX_PARAMS=6)
    assert "https://www.ironpulse.com/shop/?size=m&color=red&fit=slim&brand=x&sort=price" in followed(walker)


def test_the_walk_stops_at_the_sites_page_budget() -> None:
    walker = spider(SITE_PAGE_BUDGET=3)
    urls = followed(walker)
    assert urls == ["https://www.ironpulse.com/contact/", "https://www.ironpulse.com/write-for-us/"]  # + the home page
    assert walker.budget.left(SITE) == 0 and followed(walker) == []
