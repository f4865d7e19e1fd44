"""linkspider's Scrapy settings, wherever a command is started.

Scrapy finds a project's settings through ``scrapy.cfg`` in the current folder
or above; a ``linkspider`` command started anywhere else (cron in ``$HOME``, a
script, another project) would get Scrapy's bare defaults: no SSRF guard, no
robots.txt policy, no size limits and Scrapy's own User-Agent. Every command
that reads settings or fetches goes through ``project_settings()``, which
uses ``linkspider.settings`` unless ``SCRAPY_SETTINGS_MODULE`` names another
module. A ``scrapy.cfg`` found above the working directory is not trusted for
this: it may be another Scrapy project's, without any of linkspider's guards.
"""

from __future__ import annotations

import os

from scrapy.settings import Settings
from scrapy.utils.project import ENVVAR, get_project_settings

SETTINGS_MODULE = "linkspider.settings"


def project_settings() -> Settings:
    """The settings a crawl of this project would run with, from any working directory."""
    os.environ.setdefault(ENVVAR, SETTINGS_MODULE)
    return get_project_settings()
