"""Crawlers for in-process tests of linkspider's components, with linkspider's own settings.

``scrapy.utils.test.get_crawler`` starts from Scrapy's defaults; linkspider's
components read their defaults from ``linkspider/settings.py`` only (each
default is written once), so a test crawler is built from that module, with
the test's overrides on top.
"""

from __future__ import annotations

from typing import Any

from scrapy.utils.test import get_crawler

import linkspider.settings as project


def project_settings(**overrides: Any) -> dict[str, Any]:
    base = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    return {**base, "RENDER": "never", **overrides}


def project_crawler(spidercls: Any = None, **overrides: Any) -> Any:
    """A crawler with linkspider's settings (rendering off unless asked) and its stats open."""
    crawler = get_crawler(spidercls, settings_dict=project_settings(**overrides))
    return crawler
