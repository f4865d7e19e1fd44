"""Extraction functions for the worker-pool tests: they misbehave on a marker in the page.

The pool runs them in a real worker process (``--func tests.extract_pool_helpers:...``).
"""

from __future__ import annotations

import os
import threading
from typing import Any


def misbehaving(html: str, url: str, *rest: Any) -> Any:
    """A page's own URL and length back (as the page stage's result); a page saying CRASH kills the worker,
    HANG never returns, RAISE raises."""
    from linkspider.crawl.page_stage import PageResult

    if "CRASH" in html:
        os._exit(3)  # as the OOM killer or a segfault in a C library would end it
    if "HANG" in html:
        threading.Event().wait()  # blocks without burning CPU, until the pool stops the worker
    if "RAISE" in html:
        raise ValueError(f"cannot read {url}")
    return PageResult({"url": url, "length": len(html), "pid": os.getpid()})
