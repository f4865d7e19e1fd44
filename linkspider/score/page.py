"""A page's own scores against the crawl's niche: how much it is about the niche, and its links to competitors.

Pure, and run in the page stage right after the page is read (in the same
worker process), so a page reaches the site walk and the store with them:
the walk decides snowballing on ``relevance``, the store keeps it per page,
and the site's score sums its pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linkspider.common.domains import registrable_domain
from linkspider.score.relevance import NicheQuery, page_relevance


@dataclass(frozen=True)
class NicheContext:
    """What the page stage needs to know of the crawl's niche (sent with each page: small and picklable)."""

    query: NicheQuery | None = None
    competitors: frozenset[str] = field(default_factory=frozenset)
    brand: str = ""  # the user's brand (unlinked mentions), and their own sites
    own_domains: frozenset[str] = field(default_factory=frozenset)


def score_page(facts: dict[str, Any], context: NicheContext | None) -> int:
    """Add ``relevance``, ``negative``, ``on_niche``, ``outbound_domains`` and the links to the niche's
    competitors to ``facts``; the number of competitors it links to."""
    if not facts.get("terms") or context is None:
        return 0
    if context.query is not None:
        rel = page_relevance(facts.get("terms", {}), facts.get("words", 0), context.query)
        facts["relevance"], facts["negative"] = round(rel.score, 3), round(rel.negative, 3)
        facts["on_niche"] = rel.on_niche
    domains = {registrable_domain(link["url"]) for link in facts.get("outbound_links", [])}
    domains.discard("")
    facts["outbound_domains"] = len(domains)
    seen = competitor_links(facts.get("outbound_links", []), context.competitors & domains)
    if seen:
        verified = {c["competitor"] for c in facts.get("competitor_links", [])}
        facts["competitor_links"] = facts.get("competitor_links", []) + [
            c for c in seen if c["competitor"] not in verified]
    return len(seen)


def competitor_links(links: list[dict[str, Any]], competitors: frozenset[str] | set[str]) -> list[dict[str, Any]]:
    """The best link to each competitor among a page's outbound links (followed beats nofollow)."""
    best: dict[str, dict[str, Any]] = {}
    for link in links:
        competitor = registrable_domain(link["url"])
        if competitor not in competitors:
            continue
        rel = [r for r in link.get("rel", []) if r in ("nofollow", "sponsored", "ugc")]
        status = rel[0] if rel else "present"
        found = {"competitor": competitor, "url": link["url"], "anchor": link.get("text", ""),
                 "rel": link.get("rel", []), "status": status}
        if competitor not in best or (status == "present" and best[competitor]["status"] != "present"):
            best[competitor] = found
    return list(best.values())


def mark_mention(facts: dict[str, Any], url: str, context: NicheContext | None) -> None:
    """An *unlinked mention*: a page of another site names the user's brand (``brand_mention``, the
    sentence) without linking to any of the user's sites. ``is_unlinked_mention`` and its evidence are
    set; a page that does link is left alone (its links to the user are recorded as existing links)."""
    sentence = facts.get("brand_mention")
    if not sentence or context is None or registrable_domain(url) in context.own_domains:
        return
    if any(registrable_domain(link["url"]) in context.own_domains for link in facts.get("outbound_links", [])):
        return
    facts["is_unlinked_mention"] = True
    facts.setdefault("evidence", {})["unlinked_mention"] = sentence
