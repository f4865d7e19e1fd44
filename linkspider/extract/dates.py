"""When was the page published (or last updated)?

Freshness decides whether a site is alive and whether a roundup still runs.
Sources in order of trust:

1. JSON-LD / microdata ``datePublished`` (then ``dateCreated``, ``uploadDate``),
2. ``<meta property="article:published_time">`` and friends
   (``og:published_time``, ``date``, ``dc.date``, ``parsely-pub-date``...),
3. ``<time datetime>`` / ``<time pubdate>`` in the main content,
4. a visible date near the top of the main text ("March 3, 2024", "3 March 2024",
   "2024-03-03", "3. März 2024", "3 de marzo de 2024", "3 mars 2024"),
5. and only when none of those exist, the *updated* date (``dateModified``,
   ``article:modified_time``).

The answer is an ISO 8601 string: the datetime as published when it parses as
one, otherwise ``YYYY-MM-DD``. Implausible years (before 1995, after 2100) are
ignored.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from lxml import etree

from .html import Page
from .structured import iter_objects, props

_XP_TIME = etree.XPath("//time[@datetime]|//*[@itemprop='datePublished'][@content or @datetime]")

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "january jan januar janvier enero ene jänner janv",
        "february feb februar février fevrier febrero févr fevr",
        "march mar märz maerz mars marzo mär",
        "april apr avril abril avr",
        "may mai mayo",
        "june jun juni juin junio",
        "july jul juli juillet julio juil",
        "august aug août aout agosto ago",
        "september sep sept septembre septiembre set",
        "october oct oktober octobre octubre okt",
        "november nov novembre noviembre",
        "december dec dezember décembre decembre diciembre dez déc dic",
    ],
    start=1,
):
    for _n in _names.split():
        MONTHS[_n] = _i

_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_ISO = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_MDY = re.compile(rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I)
_DMY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?({_MONTH_ALT})\.?,?\s+(?:de\s+)?((?:19|20)\d\d)\b", re.I
)

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "published_time",
    "datepublished", "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date",
    "sailthru.date", "pubdate", "publish-date", "publication_date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified")


def normalise_date(value: Any) -> str | None:
    """An ISO 8601 string from a machine-readable date, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        dt = datetime.fromisoformat(candidate)
        if 1995 <= dt.year <= 2100:
            return dt.isoformat() if ("T" in text or " " in text.strip()) and len(text) > 10 else dt.date().isoformat()
    except ValueError:
        pass
    return visible_date(text)


def _mk(year: int, month: int, day: int) -> str | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d.isoformat() if 1995 <= d.year <= 2100 else None


def visible_date(text: str) -> str | None:
    """The first human-written date in ``text`` as ``YYYY-MM-DD``."""
    best: tuple[int, str] | None = None
    m = _ISO.search(text)
    if m:
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            best = (m.start(), d)
    m = _MDY.search(text)
    if m and (best is None or m.start() < best[0]):
        d = _mk(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
        if d:
            best = (m.start(), d)
    m = _DMY.search(text)
    if m and (best is None or m.start() < best[0]):
        d = _mk(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if d:
            best = (m.start(), d)
    return best[1] if best else None


def extract_published(page: Page, data: dict[str, Any] | None = None) -> tuple[str | None, str]:
    """(ISO date or None, evidence)."""
    try:
        modified: tuple[str, str] | None = None
        if data:
            for obj in iter_objects(data):
                p = props(obj)
                for key in ("datePublished", "dateCreated", "uploadDate"):
                    value = p.get(key)
                    if isinstance(value, list):
                        value = value[0] if value else None
                    d = normalise_date(value)
                    if d:
                        return d, f"structured {key}: {value}"
                if modified is None:
                    d = normalise_date(p.get("dateModified"))
                    if d:
                        modified = (d, f"structured dateModified: {p.get('dateModified')}")
        meta = page.meta
        for key in _PUBLISHED_META:
            d = normalise_date(meta.get(key))
            if d:
                return d, f"meta {key}: {meta.get(key)}"
        if page.root is not None:
            for el in _XP_TIME(page.root)[:20]:
                if page.is_boilerplate(el):
                    continue
                raw = el.get("datetime") or el.get("content")
                d = normalise_date(raw)
                if d:
                    return d, f"<time datetime>: {raw}"
        head = page.main_text[:1500]
        d = visible_date(head)
        if d:
            return d, "visible date"
        if modified:
            return modified
        for key in _MODIFIED_META:
            d = normalise_date(meta.get(key))
            if d:
                return d, f"meta {key}: {meta.get(key)}"
    except Exception:  # noqa: BLE001
        pass
    return None, ""
