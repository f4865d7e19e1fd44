"""Outbound links: every link from the page to another site, with anchor text and rel.

Later stages use them for snowballing (a roundup links to thirty more sites in
the niche), competitor research (who links to my competitors) and freshness.
"Another site" means another registrable domain: ``blog.example.com`` linking
to ``www.example.com`` is internal. ``rel`` tokens are kept as written
(``nofollow``, ``sponsored``, ``ugc``, ``noopener``...), lower-cased.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .html import Link, Page, site_of

#: More than this many outbound links on one page is a link farm or a sitemap;
#: keeping the first ones is enough for every later use.
MAX_OUTBOUND = 1000


def normalise_url(url: str) -> str:
    """Drop the fragment and lower-case scheme and host; keep path and query as they are."""
    if "#" not in url and url[:8].islower() and "/" in url[8:] and url.split("/", 3)[2].islower():
        return url  # common case: nothing to change
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def external_links(page: Page) -> list[Link]:
    """Links (as :class:`Link`) that leave the page's site over http(s)."""
    cached = page.cache.get("external_links")
    if cached is not None:
        return cached
    out: list[Link] = []
    own = page.site
    for link in page.links:
        host = link.host
        if not host:
            continue
        site = site_of(host)
        if not site or site == own:
            continue
        out.append(link)
    page.cache["external_links"] = out
    return out


def outbound_links(page: Page) -> list[dict[str, Any]]:
    """``[{"url", "text", "rel"}]`` for each distinct outbound URL, in page order."""
    seen: dict[str, dict[str, Any]] = {}
    try:
        for link in external_links(page):
            url = normalise_url(link.url)
            entry = seen.get(url)
            if entry is None:
                if len(seen) >= MAX_OUTBOUND:
                    break
                seen[url] = {"url": url, "text": link.text, "rel": list(link.rel)}
            else:
                if not entry["text"] and link.text:
                    entry["text"] = link.text
                for r in link.rel:
                    if r not in entry["rel"]:
                        entry["rel"].append(r)
    except Exception:  # noqa: BLE001
        pass
    return list(seen.values())
