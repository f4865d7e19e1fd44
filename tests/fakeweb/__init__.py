"""The offline fake web: a deterministic made-up web of niche sites behind a local HTTP proxy.

``build_web(seed)`` generates it (with a manifest of ground truth), ``FakeWebServer``
serves it on 127.0.0.1 as a forward proxy so real ``scrapy crawl`` runs reach it
through ``http_proxy``. ``python -m tests.fakeweb serve`` runs it from a shell.
"""

from .generate import FakeWeb, build_web
from .model import Page, Redirect, Site
from .server import FakeWebServer, Hit

__all__ = ["FakeWeb", "FakeWebServer", "Hit", "Page", "Redirect", "Site", "build_web"]
