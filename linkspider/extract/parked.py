"""Is this page a parked domain's lander ("This domain is for sale")?

A link on a resources page to a site whose domain expired now leads to a
parking lander: the registrar's or a domain marketplace's page offering the
name for sale, often after a redirect to ``/lander`` or to the marketplace
itself. For broken-link building that link is as dead as a 404. Pure: text in,
the reason out.
"""

from __future__ import annotations

import re

from linkspider.common.domains import registrable_domain

from .html import parse

# Domain marketplaces and parking services a parked name redirects to.
PARKING_SITES = frozenset({
    "sedo.com", "sedoparking.com", "dan.com", "afternic.com", "hugedomains.com", "bodis.com", "parkingcrew.net",
    "above.com", "undeveloped.com", "buydomains.com", "domainmarket.com", "squadhelp.com", "atom.com",
    "parklogic.com", "domainnamesales.com", "efty.com", "uniregistry.com", "epik.com", "namebright.com",
})
_FOR_SALE = re.compile(
    r"\b(?:this|the)\s+domain(?:\s+name)?\s+(?:[\w.-]+\s+)?(?:is|may\s+be|might\s+be)\s+for\s+sale\b|"
    r"\bbuy\s+this\s+domain\b|\bmake\s+an\s+offer\s+on\s+this\s+domain\b|\bthis\s+domain\s+is\s+parked\b|"
    r"\bdomain\s+parking\b|\bparked\s+(?:free|by|courtesy\s+of)\b|\bis\s+for\s+sale!?\s+(?:buy|inquire|make)\b|"
    r"\bthis\s+(?:web\s+)?page\s+is\s+parked\b",
    re.I)


def parking_site(url: str) -> bool:
    """True for a URL on a domain marketplace or parking service."""
    return registrable_domain(url) in PARKING_SITES


def parked_reason(html: str, url: str = "") -> str:
    """"parked domain (for sale)" when the page is a parking lander, else ""."""
    if parking_site(url):
        return "parked domain (for sale)"
    page = parse(html[:200_000], url)
    text = f"{page.title} {page.text[:5000]}"
    return "parked domain (for sale)" if _FOR_SALE.search(text) else ""
