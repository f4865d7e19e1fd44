"""Which links of a site are worth a page of the site walk's budget.

A pure function of a link's URL and its visible cues (anchor text, ``title``,
``aria-label``, an image's ``alt``): contact and write-for-us pages first,
then about/team, advertise, roundups and resources, then the blog. Icons and
"Get in touch" links count as much as a link that says "Contact".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS

# (value, kind, pattern over "text + url path"), first match wins per kind;
# a link takes the best value over all kinds it matches.
_RULES: list[tuple[int, str, re.Pattern[str]]] = [
    (100, "contact", re.compile(
        r"contact|get[\s-]*in[\s-]*touch|reach[\s-]*(us|out)|say[\s-]*hello|email[\s-]*us|"
        r"kontakt|contacto|contatti|impressum|imprint|mentions[\s-]*l[ée]gales", re.I)),
    (95, "write_for_us", re.compile(
        r"write[\s-]*for[\s-]*(us|me)|guest[\s-]*(post|blog|author|contrib)|contribut|"
        r"submission|submit[\s-]*(a|an|your)?[\s-]*(post|article|story|guest)|"
        r"(editorial|writer|author|content)[\s-]*guidelines|pitch[\s-]*us|become[\s-]*a[\s-]*(writer|author)|"
        r"gastbeitr|gastautor|escrib[ea][\s-]*para|colabora|devenir[\s-]*contribut|[ée]crire[\s-]*pour", re.I)),
    (70, "about", re.compile(
        r"about|\bteam\b|our[\s-]*staff|masthead|\beditors?\b|who[\s-]*we[\s-]*are|meet[\s-]*the|"
        r"[üu]ber[\s-]*uns|quienes[\s-]*somos|qui[\s-]*sommes|[àa][\s-]*propos", re.I)),
    (60, "advertise", re.compile(
        r"advertis|sponsor|work[\s-]*with[\s-]*(us|me)|partner|media[\s-]*kit|werbung|publicidad", re.I)),
    (55, "roundup", re.compile(
        r"round[\s-]*up|link[\s-]*love|friday[\s-]*(links|faves|favorites)|weekly[\s-]*(links|digest|picks)|"
        r"best[\s-]*(posts|of[\s-]*the[\s-]*week)|digest|newsletter[\s-]*archive", re.I)),
    (50, "resources", re.compile(
        r"resources|useful[\s-]*links|recommended|\blinks\b|toolkit|ressourcen|recursos", re.I)),
    (30, "blog", re.compile(r"\bblog\b|articles|\bposts?\b|\bnews\b|magazine|journal", re.I)),
]

# Never worth a page: accounts, carts, feeds, comment replies, print views...
_SKIP = re.compile(
    r"/(wp-admin|wp-login|login|signin|sign-in|register|signup|account|cart|checkout|basket|"
    r"feed|rss|xmlrpc|wp-json|cdn-cgi|search)(/|\.php|$|\?)|[?&](replytocom|add-to-cart|share|print|"
    r"s|q|search)=|/(tag|author)/|/page/\d+|/\d{4}/\d{2}/?$",
    re.I,
)
_SKIP_EXT = {"." + e for e in IGNORED_EXTENSIONS}

GENERIC_VALUE = 5


@dataclass(frozen=True)
class RankedLink:
    url: str
    value: int
    kind: str  # the rule that matched, or "other"


def rank_link(url: str, cues: str) -> RankedLink | None:
    """Value of one internal link, or None when it is never worth fetching."""
    parts = urlsplit(url)
    path = parts.path or "/"
    dot = path.rfind(".")
    if dot > path.rfind("/") and path[dot:].lower() in _SKIP_EXT:
        return None
    if _SKIP.search(path + ("?" + parts.query if parts.query else "")):
        return None
    haystack = f"{cues} {path.replace('/', ' ').replace('_', '-')}"
    for value, kind, pattern in _RULES:
        if pattern.search(haystack):
            return RankedLink(url, value, kind)
    return RankedLink(url, GENERIC_VALUE, "other")


def rank_links(links: list[tuple[str, str]]) -> list[RankedLink]:
    """``(url, cues)`` pairs -> best first, one entry per URL (its best cue wins)."""
    best: dict[str, RankedLink] = {}
    for url, cues in links:
        ranked = rank_link(url, cues)
        if ranked is not None and (url not in best or ranked.value > best[url].value):
            best[url] = ranked
    return sorted(best.values(), key=lambda r: (-r.value, len(r.url), r.url))
