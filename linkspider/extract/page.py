"""One page, read once: its facts, the links a site walk may follow, and the check of competitor links.

The crawl hands every fetched page to :func:`read_page` (in a worker process,
see ``linkspider/crawl/page_stage.py``); the tree is parsed here once and
every answer the crawl needs comes from it: the public facts of
:func:`linkspider.extract.extract_page`, the page's own internal links with
the cues the site walk ranks them by (anchor text, ``title``,
``aria-label``, image ``alt``), and, when a backlink export says the page
links to competitors, how each link stands now. The crawl process parses
nothing itself.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from . import facts_of
from .competitor_links import verify_links
from .html import Page, parse, site_of
from .mentions import mention_sentence

Links = list[tuple[str, str]]


def read_page(html: str, url: str, verify: Sequence[str] = (),
              optional: Collection[str] = (), brand: str = "") -> tuple[dict[str, Any], Links]:
    """``(facts, walk_links)`` of one page; never raises.

    ``facts`` is :func:`extract_page`'s dict, plus ``competitor_links`` when
    ``verify`` names competitors (links to ``optional`` ones that are gone are
    left out: an export that only says they *may* link), and ``brand_mention`` (the sentence naming
    it, or "") when a ``brand`` is given. ``walk_links`` are
    ``(url, cues)`` for each link to the page's own site, fragment dropped.
    """
    page = parse(html if isinstance(html, str) else "", url if isinstance(url, str) else "")
    facts = facts_of(page)
    if verify:
        facts["competitor_links"] = [
            {"competitor": check.competitor, "url": check.target_url or "", "anchor": check.anchor,
             "rel": check.rel, "status": check.status}
            for check in verify_links(page, url, list(verify))
            if not (check.status == "gone" and check.competitor in optional)]
    if brand:
        facts["brand_mention"] = mention_sentence(page, brand)
    return facts, walk_links(page)


def walk_links(page: Page) -> Links:
    """``(url, cues)`` of the page's links to its own site (http and https), in page order."""
    if page.root is None or not page.site:
        return []
    out: Links = []
    for link in page.links:
        url = link.url
        if not url.startswith(("http://", "https://")) or (link.host != page.host and site_of(link.host) != page.site):
            continue
        el = link.element
        try:
            text = " ".join(el.itertext())
            alts = " ".join(img.get("alt") for img in el.iter("img") if img.get("alt") is not None)
        except Exception:  # noqa: BLE001 - a broken element: its anchor text is all there is
            text, alts = link.text, ""
        cues = " ".join(filter(None, [text, el.get("title") or "", el.get("aria-label") or "", alts]))
        out.append((url.split("#", 1)[0], cues))
    return out

