"""Each site's page budget: the one place where a crawl spends it.

``SITE_PAGE_BUDGET`` bounds the pages a crawl fetches of one site. The site
walk, the search spiders (a result that is not what the query promised gets a
short walk, a second look can give a site its full walk back) and a resumed
job all decide what a site may still cost; they do it through a
``SiteBudget``, which keeps, per site, the canonical URLs asked for or landed
on (``seen``) and the pages spent (``used``). A distributed crawl hands it
Redis-backed mappings for both (``linkspider/crawl/distributed.py``), so every
worker spends the same budget.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from w3lib.url import canonicalize_url


def canonical(url: str) -> str:
    return canonicalize_url(url)


class SiteBudget:
    """URLs seen and pages spent per site (see the module docstring)."""

    def __init__(self, pages: int, seen: MutableMapping[str, Any] | None = None,
                 used: MutableMapping[str, int] | None = None) -> None:
        self.pages = pages
        self.seen: MutableMapping[str, Any] = seen if seen is not None else {}
        self.used: MutableMapping[str, int] = used if used is not None else {}

    def knows(self, site: str) -> bool:
        """True once the crawl has started walking the site (or restored it from a checkpoint)."""
        return site in self.seen

    def start(self, site: str, entry: str) -> bool:
        """Begin a site at ``entry`` (its home page, or a search result), spending one page; False if known."""
        if site in self.seen:
            return False
        self.seen[site] = {canonical(entry)}
        self.used[site] = 1
        return True

    def claim(self, site: str, url: str) -> bool:
        """Spend one page on ``url``; False if it was seen already or the budget is spent."""
        seen = self.seen.setdefault(site, set())
        key = canonical(url)
        if key in seen or self.used.get(site, 0) >= self.pages:
            return False
        seen.add(key)
        self.used[site] = self.used.get(site, 0) + 1
        return True

    def claim_past_limit(self, site: str, url: str) -> bool:
        """Spend a page on ``url`` even on a site held to a short walk, as long as it has asked for fewer
        than a full budget's worth of URLs: a second look at a page a search result points to."""
        seen = self.seen.get(site) or set()
        key = canonical(url)
        if key in seen or len(seen) >= self.pages:
            return False
        self.seen.setdefault(site, set()).add(key)
        self.used[site] = self.used.get(site, 0) + 1
        return True

    def note(self, site: str, url: str) -> None:
        """Where a redirect landed: seen (never fetched again), nothing spent."""
        self.seen.setdefault(site, set()).add(canonical(url))

    def adopt(self, site: str) -> None:
        """A site reached by a redirect from another (its entry moved): it has spent its first page."""
        self.used.setdefault(site, 1)

    def restore(self, site: str, url: str, spends: int) -> None:
        """What a checkpointed request had cost when it was scheduled (a resumed job)."""
        self.seen.setdefault(site, set()).add(canonical(url))
        self.used[site] = self.used.get(site, 0) + spends

    def left(self, site: str) -> int:
        return self.pages - self.used.get(site, 0)

    def limit(self, site: str, pages: int) -> None:
        """Hold the site to ``pages`` pages in all (a short walk)."""
        self.used[site] = max(self.used.get(site, 1), self.pages - pages + 1)

    def unlimit(self, site: str) -> None:
        """Give a short-walked site the rest of its full budget, counted by the URLs asked for so far."""
        self.used[site] = len(self.seen.get(site) or ())
