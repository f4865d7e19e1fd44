"""Pure extractors: HTML and URL in, facts out.

Nothing under ``linkspider.extract`` imports Scrapy or touches the database, so
each function is unit-testable on a string of HTML. ``extract_page`` is the one
entry point the pipelines and ``linkspider extract`` call.

CONTRACT (public, documented in the README; keep stable):

    extract_page(html: str, url: str) -> dict with keys
      title: str                  the page <title> (or og:title / first h1), stripped
      emails: list[str]           lower-cased, de-duplicated, in page order
      email_details: list[dict]   {"email", "source" (mailto|text|obfuscated|cfemail|jsonld|microdata),
                                   "own_domain": bool, "role": bool, "url": the page URL it was found on}
      contact_form: bool
      is_contact_page: bool
      is_about_page: bool
      is_write_for_us: bool
      is_roundup: bool
      is_resources: bool
      is_sponsored: bool
      rejects_guest_posts: bool
      social: list[str]           profile URLs of the site/author (not share/intent links)
      authors: list[str]
      published: str | None       ISO 8601 date (or datetime) the page was published/updated
      outbound_links: list[dict]  {"url", "text", "rel": list[str]} links to other registrable domains
      terms: dict[str, int]       the page's commonest stemmed content terms (for niche relevance)
      words: int                  words of main content
      notes: list[str]            what was done to read the page: cut at 2,000,000 characters, control
                                  characters removed, over-deep nesting flattened
      evidence: dict[str, str]    kind -> the phrase / heading / URL that decided it; keys among
                                  write_for_us, rejects_guest_posts, sponsored, roundup, resources,
                                  contact_page, about_page, contact_form, social, authors, published

Every key is always present; a page that cannot be parsed (empty string, binary
junk) gives ``empty_facts()``. ``extract_page`` never raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .authors import extract_authors
from .contacts import detect_contact_form, detect_contact_page
from .dates import extract_published
from .emails import extract_emails
from .html import Page, parse
from .kinds import classify
from .links import outbound_links
from .social import extract_social
from .structured import structured_data
from .terms import page_terms

__all__ = ["extract_page", "facts_of", "empty_facts"]


def _no_clock(stage: str) -> None:
    pass


def empty_facts() -> dict[str, Any]:
    """The facts of a page on which nothing was found (also the answer to junk input)."""
    return {
        "title": "",
        "emails": [],
        "email_details": [],
        "contact_form": False,
        "is_contact_page": False,
        "is_about_page": False,
        "is_write_for_us": False,
        "is_roundup": False,
        "is_resources": False,
        "is_sponsored": False,
        "rejects_guest_posts": False,
        "social": [],
        "authors": [],
        "published": None,
        "outbound_links": [],
        "evidence": {},
        "terms": {},
        "words": 0,
        "notes": [],
    }


def extract_page(html: str, url: str) -> dict[str, Any]:
    """Every fact linkspider extracts from one page. Never raises.

    The page is parsed once (:mod:`.html`); extruct runs once, only when the
    page carries JSON-LD or microdata (:mod:`.structured`); every extractor
    reads the shared tree.
    """
    return facts_of(parse(html if isinstance(html, str) else "", url if isinstance(url, str) else ""))


Clock = Callable[[str], None]


def facts_of(page: Page, clock: Clock | None = None) -> dict[str, Any]:
    """:func:`extract_page` on a page already parsed (the crawl's page stage reads more from the same tree).

    ``clock``, when given, is called with each stage's name as it ends (``benchmarks/extraction_speed.py``
    times the stages with it).
    """
    tick = clock or _no_clock
    facts = empty_facts()
    try:
        if page.root is None:
            return facts
        evidence: dict[str, str] = {}
        facts["evidence"] = evidence
        facts["notes"] = page.notes
        facts["title"] = page.title
        data = structured_data(page)
        tick("structured data")

        details = extract_emails(page, data)
        facts["email_details"] = details
        facts["emails"] = [d["email"] for d in details]
        tick("emails")

        form, why = detect_contact_form(page)
        facts["contact_form"] = form
        if form:
            evidence["contact_form"] = why
        # A way to reach someone in the page's own content (not the site-wide footer's address).
        reachable = form or "@" in page.main_text or any(link.url.startswith("mailto:") for link in page.main_links)
        contact, why = detect_contact_page(page, reachable=reachable)
        facts["is_contact_page"] = contact
        if contact:
            evidence["contact_page"] = why
        tick("contact page and form")

        published, why = extract_published(page, data)
        facts["published"] = published
        if published:
            evidence["published"] = why
        tick("published date")

        kinds = classify(page, published)
        facts["is_write_for_us"] = kinds.is_write_for_us
        facts["rejects_guest_posts"] = kinds.rejects_guest_posts
        facts["is_sponsored"] = kinds.is_sponsored
        facts["is_roundup"] = kinds.is_roundup
        facts["is_resources"] = kinds.is_resources
        facts["is_about_page"] = kinds.is_about_page
        evidence.update(kinds.evidence)
        tick("page kinds")

        social, why = extract_social(page, data, own_page=contact or kinds.is_about_page,
                                     listing=kinds.is_roundup or kinds.is_resources)
        facts["social"] = social
        if social:
            evidence["social"] = why
        tick("social profiles")
        authors, why = extract_authors(page, data)
        facts["authors"] = authors
        if authors:
            evidence["authors"] = why
        tick("authors")

        facts["outbound_links"] = outbound_links(page)
        tick("outbound links")
        facts["terms"], facts["words"] = page_terms(page)
        tick("terms")
    except Exception:  # noqa: BLE001 - the crawl must go on
        return facts
    return facts
