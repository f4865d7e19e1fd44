"""Fetch one page through Scrapy, with the project's settings (user agent,
robots.txt, proxies from ``http_proxy``/``https_proxy``), for ``linkspider extract URL``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse

from linkspider.common.config import project_settings


class _OnePageSpider(scrapy.Spider):
    name = "linkspider-fetch"

    def __init__(self, url: str, result: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url
        self.result = result

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.url, callback=self.got, errback=self.failed, dont_filter=True)

    def got(self, response: Response) -> None:
        self.result["url"] = response.url
        self.result["status"] = response.status
        self.result["html"] = response.text if isinstance(response, TextResponse) else None

    def failed(self, failure: Any) -> None:
        self.result["error"] = f"{failure.value.__class__.__name__}: {failure.value}"


def fetch_page(url: str) -> tuple[str, str]:
    """``(final_url, html)``; RuntimeError with a clear message when there is no HTML page."""
    settings = project_settings()  # the SSRF guard, robots.txt, User-Agent and limits, from any folder
    settings.set("ITEM_PIPELINES", {})
    settings.set("LOG_LEVEL", "ERROR")
    settings.set("AUTOTHROTTLE_ENABLED", False)
    settings.set("DOWNLOAD_DELAY", 0)
    settings.set("RETRY_ENABLED", False)
    result: dict[str, Any] = {}
    process = CrawlerProcess(settings)
    process.crawl(_OnePageSpider, url=url, result=result)
    process.start()
    if "error" in result:
        raise RuntimeError(f"could not fetch {url}: {result['error']}")
    if "status" not in result:
        raise RuntimeError(f"could not fetch {url} (robots.txt forbids it, or it was filtered)")
    if result["status"] >= 400:
        raise RuntimeError(f"could not fetch {url}: HTTP {result['status']}")
    if result.get("html") is None:
        raise RuntimeError(f"{result['url']} is not an HTML page")
    return result["url"], result["html"]
