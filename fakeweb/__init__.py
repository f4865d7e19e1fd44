"""The offline fake web: a deterministic made-up web of niche sites behind a local HTTP proxy.

``build_web(seed)`` generates it (with a manifest of ground truth), ``FakeWebServer``
serves it on 127.0.0.1 as a forward proxy so real ``scrapy crawl`` runs reach it
through ``http_proxy``. ``python -m fakeweb serve`` runs it from a shell.
The same server answers as fake search engines over this web (``search.py``).
"""

from .generate import FakeWeb, build_web
from .model import Page, Redirect, Site
from .search import (
           BRAVE_API_KEY,
           GOOGLE_API_KEY,
           GOOGLE_CSE_ID,
           SEARCH_HOSTS,
           SearchIndex,
           SearchResult,
           parse_query,
)
from .server import FakeWebServer, Hit

__all__ = ["BRAVE_API_KEY", "FakeWeb", "FakeWebServer", "GOOGLE_API_KEY", "GOOGLE_CSE_ID", "Hit", "Page", "Redirect",
           "SEARCH_HOSTS", "SearchIndex", "SearchResult", "Site", "build_web", "parse_query"]
