"""Prospect score: 0-100 per site, with a short human-readable ``why``.

A pure function of what the crawl stored about a site (its contacts and
signals). This first version weighs what a link builder needs to act — a
reason to pitch (write-for-us page, roundups, resources) and someone to write
to — and sinks sites that refuse guest posts or sell links. Niche relevance,
activity and competitor links join it later (see the tracker); the weights are
module constants so the README can show them.
"""

from __future__ import annotations

from typing import Any

# Points for the reasons to pitch a site.
WEIGHTS: dict[str, int] = {
    "write_for_us": 35,  # publishes guest posts, guidelines found
    "roundup": 25,  # curates links to others' articles, regularly
    "resources": 15,  # keeps a resources / useful-links page
    # Who to write to: the best contact found counts, not their number.
    "email_personal_own": 30,  # jane@theirsite.com
    "email_role_own": 22,  # editor@theirsite.com
    "email_other": 12,  # an address on another domain (gmail...)
    "contact_form": 12,
    "contact_page": 6,
    # Penalties.
    "rejects_guest_posts": -40,  # "we do not accept guest posts"
    "sponsored": -15,  # sells placements: a link seller, not an editor
}

LABELS = {
    "write_for_us": "write-for-us page",
    "roundup": "runs link roundups",
    "resources": "resources page",
    "rejects_guest_posts": "says it rejects guest posts",
    "sponsored": "sells sponsored posts",
}


def score_site(site: dict[str, Any]) -> tuple[int, str]:
    """``site`` is a row of ``Store.site_facts``: returns ``(score, why)``."""
    if not site.get("pages_crawled"):
        return 0, f"not reachable ({site.get('last_error') or 'no page fetched'})"
    signal_kinds = {s["kind"] for s in site.get("signals", [])}
    points, reasons = 0, []
    for kind in ("write_for_us", "roundup", "resources", "rejects_guest_posts", "sponsored"):
        if kind in signal_kinds:
            points += WEIGHTS[kind]
            reasons.append(LABELS[kind])

    contacts = site.get("contacts", [])
    emails = [c for c in contacts if c["kind"] == "email"]
    personal_own = [c for c in emails if c["own_domain"] and not c["role"]]
    role_own = [c for c in emails if c["own_domain"] and c["role"]]
    if personal_own:
        points += WEIGHTS["email_personal_own"]
        reasons.append(f"personal email {personal_own[0]['value']}")
    elif role_own:
        points += WEIGHTS["email_role_own"]
        reasons.append(f"role email {role_own[0]['value']}")
    elif emails:
        points += WEIGHTS["email_other"]
        reasons.append(f"email {emails[0]['value']}")
    elif any(c["kind"] == "contact_form" for c in contacts):
        points += WEIGHTS["contact_form"]
        reasons.append("contact form only")
    elif "contact_page" in signal_kinds:
        points += WEIGHTS["contact_page"]
        reasons.append("contact page only")
    else:
        reasons.append("no contact found")
    return max(0, min(100, points)), "; ".join(reasons)


def best_emails(contacts: list[dict[str, Any]]) -> list[str]:
    """Emails best-first: personal on the site's domain, role on it, then others."""
    emails = [c for c in contacts if c["kind"] == "email"]
    emails.sort(key=lambda c: (not c["own_domain"], bool(c["role"])))
    seen: list[str] = []
    for c in emails:
        if c["value"] not in seen:
            seen.append(c["value"])
    return seen
