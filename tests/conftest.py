"""Shared fixtures: the offline fake web on 127.0.0.1 and real `scrapy crawl` runs against it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakeweb.crawl import CrawlResult, run_crawl  # noqa: F401  (tests import them from here)


@pytest.fixture(scope="session")
def fakeweb() -> Iterator[object]:
    """The fake web's server, started once for the session and stopped at its end."""
    from fakeweb import FakeWebServer, build_web

    server = FakeWebServer(build_web())
    server.start()
    try:
        yield server
    finally:
        server.stop()
