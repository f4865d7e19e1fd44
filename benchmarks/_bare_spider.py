"""The baseline of benchmarks/crawl_throughput.py: a bare Scrapy spider that only follows links.

    scrapy runspider benchmarks/_bare_spider.py -a seeds=SEEDS.txt -s ...

Starts from the same seed list as linkspider's ``seeds`` spider (one URL per
line) and follows every link to a host of that list (Scrapy's duplicate filter
drops what it has seen); links to hosts outside the benchmark web (social
profiles, competitors) are not followed, as linkspider's site walk does not
follow them either. No items, no pipelines: the cost of fetching and parsing
links only. Run it outside the project directory so that none of linkspider's
settings, pipelines or add-ons load; the benchmark passes the shared crawl
settings with ``-s``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, seeds: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)
        with open(seeds, encoding="utf-8") as fh:
            self.seed_urls = [line.strip() for line in fh if line.strip() and not line.startswith("#")]
        self.hosts = frozenset(urlsplit(u).hostname for u in self.seed_urls)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.seed_urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: scrapy.http.Response) -> object:
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).hostname in self.hosts:
                yield scrapy.Request(url.split("#", 1)[0], callback=self.parse)
