"""The items that flow from spiders into the pipelines.

A spider yields one ``PageItem`` per fetched (or failed) page. The extract
middleware (its worker process) adds ``facts`` and drops the HTML - the extract
pipeline for pages that bypassed it - the score pipeline adds nothing per
page (scores are per site, computed by the store), the store pipeline writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Discovery:
    """How a site came to be crawled: a seed line, a search result, a referring page."""

    source: str  # "seed", "search", "snowball", "backlinks", ...
    detail: str = ""  # "seeds/fitness.txt:12", the query, the referring URL
    backend: str = ""
    rank: int | None = None
    snippet: str = ""


@dataclass
class PageItem:
    """One fetched page of a prospect site (or the error that stopped it)."""

    url: str  # the URL after redirects
    domain: str  # registrable domain of the site being walked
    niche: str
    status: int | None = None  # HTTP status; None when the fetch failed
    error: str = ""  # why there is no page: "HTTP 500", "DNS lookup failed", ...
    html: str = ""  # decoded HTML, for the page stage; emptied once the page is read
    requested_url: str = ""
    depth: int = 0
    is_home: bool = False
    discovery: Discovery | None = None
    # Competitor domains this page is expected to link to (from a backlink
    # export): extraction checks each link is still there.
    verify_competitors: list[str] = field(default_factory=list)
    # Of those, the ones only *possibly* linked (an export without a target
    # column, such as Search Console's): "gone" is not recorded for them.
    verify_optional: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    # Part of a short walk (a search result that was not what the query promised): its site does not
    # count as walked for RECRAWL_AFTER_DAYS.
    short_walk: bool = False


@dataclass
class DiscoveryItem:
    """Another way to a site already being walked (a second query, a second roundup)."""

    domain: str
    niche: str
    url: str  # the result / linked URL that pointed at the site
    discovery: Discovery


@dataclass
class FrontierItem:
    """The crawl's checkpoint: requests now waiting, and the one just handled.

    Written in the same batches as the pages (after them), so a crawl killed at
    any moment resumes exactly: a request is "done" only once everything it
    produced is stored. See ``linkspider/crawl/checkpoint.py``.
    """

    pending: list[dict[str, Any]] = field(default_factory=list)  # {key, site, url, request: JSON record}
    done: list[str] = field(default_factory=list)  # keys


@dataclass
class QueryItem:
    """A search query that was sent (for REQUERY_AFTER_DAYS and provenance)."""

    niche: str
    backend: str
    query: str
    kind: str
    results: int


@dataclass
class LinkCheckItem:
    """One check of one placed link by ``linkspider monitor``: what the page said, not yet judged.

    ``outcome`` is ``ok`` (a page was read), ``gone`` (HTTP 404/410),
    ``failed`` (timeout, 5xx, DNS or connection failure: worth asking again)
    or ``unchecked`` (robots.txt or a safety rule kept us out). The judgement
    against the link's history (lost? changed?) is made when it is stored.
    """

    link_id: str
    page_url: str  # the linking page as placed (the URL asked for)
    target_url: str
    outcome: str
    http_status: int | None = None
    final_url: str = ""  # where the page answered from, after redirects
    redirects: list[str] = field(default_factory=list)  # the URLs that redirected, in order
    error: str = ""
    found: bool = False
    rel: str = ""  # follow / nofollow / sponsored / ugc, when found
    anchor: str = ""
    link_url: str = ""  # where the link found points (unwrapped)
    noindex: str = ""  # "meta robots" / "X-Robots-Tag" when the page asks not to be indexed
    canonical: str = ""  # the page's canonical URL when it names another page
    js_only: bool = False  # found only in the page as the browser built it


@dataclass
class ArticleItem:
    """An article of the user's, read and profiled by the article spider (``linkspider/score/article.py``)."""

    niche: str
    url: str  # where it lives; a draft: "file:" and its path
    title: str
    profile: dict[str, Any]  # ArticleProfile.as_row(): terms, phrases, background...
    source: str = "url"  # "url", "profile" (the niche profile's articles) or "file"


@dataclass
class OutboundCheckItem:
    """One check of a link from a roundup or resources page to another site (broken-link building).

    ``outcome`` is ``dead`` (404/410, the name does not resolve, or a redirect to a
    parked / for-sale page or to another site's home page), ``unsure`` (a timeout, a
    5xx, a refused connection: asked again next run, never called dead) or ``ok``.
    """

    domain: str  # the site whose page holds the link
    niche: str
    page_url: str
    target_url: str
    anchor: str
    outcome: str
    reason: str  # how it failed: "HTTP 404", "DNS lookup failed", "parked domain (for sale)", ...
    http_status: int | None = None
    final_url: str = ""  # where a redirect ended
    checked_at: str = ""  # when an earlier run checked it (not asked again); "" for a check of this run
