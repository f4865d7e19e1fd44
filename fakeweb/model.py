"""The data model of the fake web: pages, redirects and sites.

Plain dataclasses so tests can poke at a page's bytes directly, and so the
server stays a thin layer that only turns these into HTTP responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple


@dataclass
class Page:
    """One HTTP response body with its status and headers.

    ``title``/``text`` are the page's plain text (no navigation chrome), kept for
    the fake search endpoints that index this web. ``delay`` makes a slow page.
    """

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    title: str = ""
    text: str = ""
    head_status: int | None = None  # the answer to HEAD when it differs (405: a server that refuses HEAD)


class Redirect(NamedTuple):
    """A redirect answer: ``status`` (301/302/...) and an absolute ``location``."""

    status: int
    location: str


# (path, query) -> Page or None: pages made on demand (the infinite calendar trap).
DynamicPages = Callable[[str, str], "Page | None"]


@dataclass
class Site:
    """A made-up website.

    ``host`` is the canonical hostname; ``also_hosts`` answer too but redirect to
    it (e.g. the bare domain 301s to ``www.``). ``redirects`` maps a path to
    ``(status, absolute location)``. ``robots`` is the robots.txt text (None: 404).
    """

    host: str
    domain: str
    niche: str
    kind: str
    pages: dict[str, Page]
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)
    robots: str | None = None
    # robots.txt answering an error instead (503: a server that is always busy there), or busy only
    # when nobody asked for a while (the first request of a crawl gets 503, the retry the rules).
    robots_status: int = 200
    robots_flaky: bool = False
    also_hosts: list[str] = field(default_factory=list)
    # Answer for paths nowhere else (404 page of the site's theme).
    not_found: Page | None = None
    # Answer for *every* path (a site that always fails, a platform's trivial page).
    catch_all: Page | None = None
    dynamic: DynamicPages | None = None

    @property
    def base_url(self) -> str:
        """``http://host`` without trailing slash (everything on the fake web is http)."""
        return f"http://{self.host}"
