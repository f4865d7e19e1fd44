"""Run a real `scrapy crawl` against the fake web (used by the tests and `make demo`)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Inherited variables that would send a test crawl elsewhere (a real proxy, a
# Redis that makes it a distributed worker, a job that resumes, a backend).
PROXY_VARS = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
              "no_proxy", "NO_PROXY", "REDIS_URL", "LINKSPIDER_JOB", "SEARCH_BACKEND", "LINKSPIDER_BROWSER",
              "RENDER", "LINKSPIDER_SEEDS_DIR")

# Test crawls are fast: the fake web is local, so no politeness delays.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS": "32", "ROBOTS_RETRY_DELAY": "0.5",
        "LOG_LEVEL": "INFO", "DOWNLOAD_TIMEOUT": "10", "LINKSPIDER_FLUSH_SECONDS": "1"}


@dataclass
class CrawlResult:
    returncode: int
    log: str  # stderr: Scrapy logs there
    db: Path


def crawl_env(proxy_url: str, db: Path) -> dict[str, str]:
    """Every request (https too, and robots.txt) goes to the fake web: nothing leaves 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(http_proxy=proxy_url, https_proxy=proxy_url, LINKSPIDER_DB=str(db),
               PYTHONPATH=str(ROOT))
    return env


def run_crawl(spider: str, proxy_url: str, db: Path, *args: str, settings: dict[str, str] | None = None,
              timeout: float = 240) -> CrawlResult:
    """A real `scrapy crawl` in a subprocess (killed if it outlives `timeout`)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider]
    for arg in args:
        cmd += ["-a", arg]
    for name, value in {**FAST, **(settings or {})}.items():
        cmd += ["-s", f"{name}={value}"]
    proc = subprocess.run(cmd, cwd=ROOT, env=crawl_env(proxy_url, db), capture_output=True, text=True,
                          timeout=timeout)
    return CrawlResult(proc.returncode, proc.stderr + proc.stdout, db)
