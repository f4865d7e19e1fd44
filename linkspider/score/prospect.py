"""Prospect score: 0-100 per site and per prospect kind, with a human-readable ``why``.

A pure, deterministic function of what the crawl stored about a site. The
order of importance is a link builder's: **relevance** first (is this site
about my niche?), then a **reason to pitch** (write-for-us page, roundups, a
resources page), **someone to write to**, **activity**, whether a person is
likely to answer, and **links to competitors**. Link sellers, spam-word link
farms, pages that link out to everything and sites that refuse guest posts
sink. The non-relevance points are scaled by relevance, so an off-niche site
with a perfect contact page never outranks a site in your niche.

The weights are the Scrapy setting ``SCORE_WEIGHTS`` (defaults below, each
commented); ``linkspider rescore`` recomputes stored sites after a change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

DEFAULT_WEIGHTS: dict[str, float] = {
    "relevance": 40,  # points for a site entirely about the niche (scaled by relevance 0..1)
    # A reason to pitch, per prospect kind (the overall score takes the best).
    "write_for_us": 25,  # publishes guest posts; guidelines page found
    "roundup": 25,  # curates links to other sites' articles, regularly
    "resources": 15,  # keeps a resources / useful-links page
    # Someone to write to: the best contact found counts.
    "email_personal_own": 20,  # jane@theirsite.com
    "email_role_own": 15,  # editor@theirsite.com
    "email_other": 8,  # an address on another domain (gmail...)
    "contact_form": 8,
    "contact_page": 4,
    # Activity, from the newest dated page.
    "active": 10,  # newest post at most `active_days` old
    "active_days": 90,
    "dormant": -25,  # newest post older than `dormant_days`: nobody will answer
    "dormant_days": 540,
    # Reachability: small and mid-size blogs with a named person answer more often than giants.
    "reachable": 5,
    "max_authors": 6,  # more distinct authors than this looks like a big publisher
    # Competitors: each competitor linked (present or nofollow), capped; two or more is a link intersect.
    "competitor_link": 6,
    "competitor_max": 12,
    "intersect": 12,
    # Penalties (not scaled by relevance).
    "link_seller": -35,  # sponsored-post / paid-placement page with prices
    "spam_words": -45,  # pages about the niche's negative keywords (casino, loans, CBD...)
    "link_farm": -25,  # a page that is not a roundup/resources page links out to many domains
    "link_farm_domains": 40,
    "rejects_guest_posts": -20,  # "we do not accept guest posts" (and the guest-post score is 0)
    # Authority from an open ranking (`linkspider authority import`): points for authority 100, scaled by
    # authority/100 and by relevance. 0 (the default) leaves authority out of the score: it sorts and
    # filters (--min-authority) without deciding what is a prospect.
    "authority": 0,
    # Reasons to write about one of your pages (scaled by relevance like the other points):
    "broken_link": 10,  # a roundup/resources page links to a dead page: offer yours as the replacement
    "unlinked_mention": 15,  # a page names your brand without linking to you
    "article_fit": 10,  # points for a fit of 1.0 with one of your articles (scaled by the fit)
}

KINDS = ("guestpost", "roundup", "resources")
_KIND_SIGNAL = {"guestpost": "write_for_us", "roundup": "roundup", "resources": "resources"}
_KIND_LABEL = {"write_for_us": "write-for-us page", "roundup": "runs link roundups",
               "resources": "resources page"}


def _days_since(published: str, today: date) -> int | None:
    try:
        day = datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except (ValueError, AttributeError):
        try:
            day = date.fromisoformat(published[:10])
        except (ValueError, TypeError):
            return None
    return (today - day).days


def score_site(site: dict[str, Any], weights: dict[str, float] | None = None,
               today: date | None = None, niche: str = "") -> dict[str, Any]:
    """``site`` is a row of ``Store.site_facts``; returns the columns ``save_scores`` writes."""
    from linkspider.score.relevance import PageRelevance, site_relevance

    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    today = today or date.today()
    niche = niche or site.get("niche") or "niche"
    pages = [p for p in site.get("pages", []) if p.get("status") and 200 <= p["status"] < 300]
    if not pages:
        why = f"not reachable ({site.get('last_error') or 'no page fetched'})"
        return {"score": 0, "score_why": why, **{f"score_{k}": 0 for k in KINDS},
                "relevance": 0.0, "niche_pages": 0, "last_post": None, "competitors_linked": "",
                "emails_ranked": best_emails(site.get("contacts", []))}

    rel = site_relevance(PageRelevance(p.get("relevance") or 0.0, p.get("negative") or 0.0, p.get("words") or 0)
                         for p in pages)
    signals = {s["kind"] for s in site.get("signals", [])}
    reasons: list[str] = []
    penalties = 0.0

    # Relevance.
    reasons.append(f"{rel.niche_pages}/{rel.content_pages} pages about {niche}" if rel.content_pages
                   else "no content pages")

    # Contact.
    contacts = site.get("contacts", [])
    emails = sorted((c for c in contacts if c["kind"] == "email"), key=_email_rank)
    personal = [c for c in emails if c["own_domain"] and not c["role"]]
    role = [c for c in emails if c["own_domain"] and c["role"]]
    if personal:
        contact, label = w["email_personal_own"], f"personal email {personal[0]['value']}"
    elif role:
        contact, label = w["email_role_own"], f"role email {role[0]['value']}"
    elif emails:
        contact, label = w["email_other"], f"email {emails[0]['value']}"
    elif any(c["kind"] == "contact_form" for c in contacts):
        contact, label = w["contact_form"], "contact form only"
    elif "contact_page" in signals:
        contact, label = w["contact_page"], "contact page only"
    else:
        contact, label = 0, "no contact found"

    # Activity.
    ages = [d for d in (_days_since(p["published"], today) for p in pages if p.get("published"))
            if d is not None and d >= -2]
    newest = min(ages) if ages else None
    activity = 0.0
    if newest is not None:
        if newest <= w["active_days"]:
            activity = w["active"]
            reasons.append(f"last post {max(newest, 0)} days ago")
        elif newest > w["dormant_days"]:
            penalties += w["dormant"]
            reasons.append(f"dormant: last post {newest // 30} months ago")
        else:
            reasons.append(f"last post {newest // 30} months ago")
    last_post = (today.fromordinal(today.toordinal() - newest).isoformat() if newest is not None else None)

    # Reachability.
    authors = {c["value"] for c in contacts if c["kind"] == "author"}
    reach = w["reachable"] if (personal or authors) and len(authors) <= w["max_authors"] else 0.0

    # Competitors.
    linked = sorted({c["competitor"] for c in site.get("competitor_links", []) if c["status"] != "gone"})
    competitor = min(w["competitor_max"], w["competitor_link"] * len(linked))
    if len(linked) >= 2:
        competitor += w["intersect"]
        reasons.append(f"links to {len(linked)} competitors (link intersect)")
    elif linked:
        reasons.append(f"links to competitor {linked[0]}")

    # Penalties.
    if "sponsored" in signals:
        penalties += w["link_seller"]
        reasons.append("sells sponsored posts")
    if rel.negative_pages:
        penalties += w["spam_words"]
        reasons.append(f"{rel.negative_pages} pages on spam topics")
    farm_pages = [p for p in pages if (p.get("outbound_domains") or 0) >= w["link_farm_domains"]
                  and not {"roundup", "resources"} & set((p.get("kinds") or "").split(","))]
    if farm_pages:
        penalties += w["link_farm"]
        reasons.append("links out to many unrelated sites")
    rejects = "rejects_guest_posts" in signals
    if rejects:
        reasons.append("says it rejects guest posts")

    # Authority, only when it has a weight.
    authority = 0.0
    if w["authority"] and site.get("authority") is not None:
        authority = w["authority"] * max(0, min(100, site["authority"])) / 100
        reasons.append(f"authority {site['authority']}")

    # Your own pages: a dead link to replace, a mention to turn into a link, an article it fits.
    yours, mine = own_page_reasons(site, w)
    reasons.extend(mine)

    scale = 0.4 + 0.6 * rel.value
    base = (w["relevance"] * rel.value + (contact + activity + reach + competitor + authority + yours) * scale
            + penalties)
    kind_scores: dict[str, int] = {}
    for kind in KINDS:
        opportunity = w[_KIND_SIGNAL[kind]] if _KIND_SIGNAL[kind] in signals else 0.0
        refused = kind == "guestpost" and rejects
        kind_scores[kind] = 0 if refused else _clamp(base + opportunity * scale)
    best_signal = [s for s in ("write_for_us", "roundup", "resources") if s in signals]
    opportunity = max((w[s] for s in best_signal), default=0.0)
    overall = _clamp(base + opportunity * scale + (w["rejects_guest_posts"] if rejects else 0.0))
    for s in reversed(best_signal):
        reasons.insert(0, _KIND_LABEL[s])
    reasons.append(label)
    return {
        "score": overall, "score_why": "; ".join(reasons),
        **{f"score_{k}": v for k, v in kind_scores.items()},
        "relevance": rel.value, "niche_pages": rel.niche_pages, "last_post": last_post,
        "competitors_linked": ",".join(linked),
        "emails_ranked": best_emails(contacts),
    }


# An article fit below this is no reason worth reading in a why (it still counts, scaled by the fit).
SHOWN_FIT = 0.2


def own_page_reasons(site: dict[str, Any], w: dict[str, float]) -> tuple[float, list[str]]:
    """Points and reasons for pitching one of the user's pages: ``broken_link`` and ``unlinked_mention``
    signals, and the site's best ``article_fit`` (set by the store from ``linkspider/score/article.py``)."""
    points, reasons = 0.0, []
    kinds = {p["url"]: set((p.get("kinds") or "").split(",")) for p in site.get("pages", [])}
    broken = [s for s in site.get("signals", []) if s["kind"] == "broken_link"]
    if broken:
        points += w["broken_link"]
        page = broken[0]
        kind = next((label for k, label in (("resources", "resources page"), ("roundup", "roundup"))
                     if k in kinds.get(page["url"], ())), "page")
        reasons.append(f"{kind} links to {page['evidence']}" + (f" (+{len(broken) - 1} more pages)"
                                                               if len(broken) > 1 else ""))
    if any(s["kind"] == "unlinked_mention" for s in site.get("signals", [])):
        points += w["unlinked_mention"]
        reasons.append("names your brand without linking to you")
    fit = site.get("article_fit")
    if fit:
        points += w["article_fit"] * fit["fit"]
        if fit["fit"] >= SHOWN_FIT:
            reasons.append(fit["why"])
    return points, reasons


def parse_today(value: str | None) -> date | None:
    """The ``LINKSPIDER_TODAY`` setting (``YYYY-MM-DD``): a fixed "today" for reproducible scores."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"LINKSPIDER_TODAY must be YYYY-MM-DD, not {value!r}") from exc


def _clamp(points: float) -> int:
    return int(round(max(0.0, min(100.0, points))))


# Shared inboxes, best for a pitch first: an editor or submissions address is
# read by the person who decides; support@ or billing@ is not.
_PITCH_INBOXES = ("editor", "editorial", "submission", "submit", "contribut", "guest", "write", "pitch",
                  "outreach", "content", "writers", "stories", "ideas", "collab", "redak", "redac")
_WRONG_INBOXES = ("noreply", "donotreply", "no-reply", "support", "help", "billing", "account", "legal",
                  "privacy", "abuse", "postmaster", "hostmaster", "security", "jobs", "careers", "hr",
                  "order", "shop", "store", "booking", "reservation", "customer", "care", "service",
                  "sales", "webmaster", "admin")


def _email_rank(contact: dict[str, Any]) -> tuple[Any, ...]:
    """Personal on the site's domain, then its inboxes (pitch, general, wrong), then others; then A-Z.

    A function of the address alone, so the choice does not depend on which
    page the crawl happened to fetch first.
    """
    value = str(contact["value"])
    local = value.split("@", 1)[0]
    inbox = (0 if local.startswith(_PITCH_INBOXES) else 2 if local.startswith(_WRONG_INBOXES) else 1)
    return (not contact["own_domain"], bool(contact["role"]), inbox if contact["role"] else 0, value)


def best_emails(contacts: list[dict[str, Any]]) -> list[str]:
    """Emails best-first: personal on the site's domain, role on it (pitch inboxes first), then others."""
    seen: list[str] = []
    for c in sorted((c for c in contacts if c["kind"] == "email"), key=_email_rank):
        if c["value"] not in seen:
            seen.append(c["value"])
    return seen
