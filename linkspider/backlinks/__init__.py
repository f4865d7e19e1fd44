"""Competitor backlinks: import the exports of SEO tools, verify the links still exist.

Competitor research starts from a backlink export ("who links to
nerdfitness.com?") made in Ahrefs, Semrush, Moz, Majestic or Search Console,
or from a plain list of URLs. :mod:`.exports` reads any of them into one shape
(:class:`Backlink`), detecting the tool from the header row; :mod:`.verify`
checks on a fetched referring page whether the link to each competitor is
still there and how it is marked (followed, nofollow, sponsored, ugc).

Both halves are pure (files and strings in, dataclasses out; no Scrapy, no
database), so the ``competitors`` spider is thin glue around them.
"""

from __future__ import annotations

from .exports import (FORMATS, Backlink, BacklinkError, BacklinkImport, competitor_map, intersect,
                      read_backlinks)
from .verify import LinkCheck, verify_links

__all__ = [
    "FORMATS",
    "Backlink",
    "BacklinkError",
    "BacklinkImport",
    "LinkCheck",
    "competitor_map",
    "intersect",
    "read_backlinks",
    "verify_links",
]
