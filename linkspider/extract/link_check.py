"""Is a placed link still on its page, and is the page still worth having it on?

The check ``linkspider monitor`` runs on each linking page it re-fetches. The
link itself is verified by :func:`linkspider.extract.competitor_links.verify_links`,
the same verification the competitor research uses (real ``<a href>`` only,
redirect scripts unwrapped, ``rel`` and meta-robots ``nofollow`` applied), with
the placed link's target page preferred over any other link to the same site:
a blogroll link to the home page must not hide that the placed link is gone
or turned ``nofollow``. The page is checked for ``noindex`` (meta robots or
googlebot, or the ``X-Robots-Tag`` header) and for a canonical URL naming
another page: a link on a page search engines drop is worth little.

Pure: HTML, its URL and the ``X-Robots-Tag`` header in, :class:`PageCheck` out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from linkspider.common.domains import registrable_domain
from linkspider.extract.competitor_links import page_key, verify_links
from linkspider.extract.html import Page, parse

# verify_links' statuses -> the rel a placed link is reported with.
REL_OF_STATUS = {"present": "follow", "nofollow": "nofollow", "sponsored": "sponsored", "ugc": "ugc"}
_DIRECTIVE_SPLIT = re.compile(r"[\s,]+")


@dataclass
class LinkFound:
    """One placed link (page -> ``target_url``) as the page has it now."""

    target_url: str  # the placed link's target, as asked
    found: bool
    rel: str = ""  # follow / nofollow / sponsored / ugc; "" when not found
    anchor: str = ""
    link_url: str = ""  # where the link found points (unwrapped from a redirect script)
    exact: bool = False  # it points at target_url itself, not at another page of that site
    wrapped: bool = False


@dataclass
class PageCheck:
    noindex: str = ""  # "meta robots" or "X-Robots-Tag" when the page asks not to be indexed
    canonical: str = ""  # the page's canonical URL, when it names another page
    links: list[LinkFound] = field(default_factory=list)  # one per target, in the order asked


def _robots_tokens(value: str) -> set[str]:
    return {t for t in _DIRECTIVE_SPLIT.split(value.lower()) if t}


def header_directives(x_robots_tag: str) -> set[str]:
    """Directives of an ``X-Robots-Tag`` header (several values joined with commas; a
    ``googlebot:`` prefix is read as applying, like a bare directive)."""
    return {t.rsplit(":", 1)[-1] for t in _robots_tokens(x_robots_tag.replace(": ", ":"))}


def noindex_source(page: Page, x_robots_tag: str = "") -> str:
    """Who says the page is not to be indexed: "meta robots", "X-Robots-Tag", or ""."""
    for name in ("robots", "googlebot"):
        if _robots_tokens(page.meta.get(name, "").replace(",", " ")) & {"noindex", "none"}:
            return "meta robots"
    if header_directives(x_robots_tag) & {"noindex", "none"}:
        return "X-Robots-Tag"
    return ""


def canonical_elsewhere(page: Page) -> str:
    """The ``<link rel="canonical">`` URL when it names another page than this one, else ""."""
    for rels, href in page.head_links:
        if "canonical" in rels and href:
            return href if page_key(href) != page_key(page.url) else ""
    return ""


def check_page(html: str, page_url: str, targets: Sequence[str], x_robots_tag: str = "") -> PageCheck:
    """Each placed link's state on this page (``page_url``: where it answered from, after redirects)."""
    page = parse(html or "", page_url)
    header_nofollow = bool(header_directives(x_robots_tag) & {"nofollow", "none"})
    result = PageCheck(noindex=noindex_source(page, x_robots_tag), canonical=canonical_elsewhere(page))
    for target in targets:
        domain = registrable_domain(target) or target
        check = verify_links(page, page_url, [domain], exact=[target])[0]
        if not check.linked:
            result.links.append(LinkFound(target_url=target, found=False))
            continue
        rel = REL_OF_STATUS[check.status]
        if rel == "follow" and header_nofollow:
            rel = "nofollow"  # X-Robots-Tag: nofollow makes every link on the page nofollow
        result.links.append(LinkFound(target_url=target, found=True, rel=rel, anchor=check.anchor,
                                      link_url=check.target_url or "", exact=check.exact, wrapped=check.wrapped))
    return result
