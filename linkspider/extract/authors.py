"""Author and editor names: the people a link builder can address by name.

Sources, most trustworthy first:

1. JSON-LD / microdata (via :mod:`.structured`): ``author`` of an Article /
   BlogPosting / WebPage (a Person, a list of them, or a bare string), ``editor``,
   and ``Person`` objects of the page.
2. ``<meta name="author">`` and ``article:author`` (when it is a name, not a URL).
3. ``rel="author"`` links and ``itemprop="author"`` markup.
4. Bylines: elements classed ``author``/``byline``/``entry-author``/``vcard`` and
   "By Jane Doe" / "Written by" / "Von" / "Por" / "Par" lines near the top of the
   article.

Generic accounts (``admin``, ``staff``, "Editorial Team"...) are dropped: they
name nobody.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from lxml import etree

from .html import Page, clean_text
from .structured import iter_objects, props, types_of

_XP_REL_AUTHOR = etree.XPath("//a[contains(concat(' ',normalize-space(@rel),' '),' author ')]")
# Three cheap predicates in XPath, the finer class test in Python (an XPath with
# ten contains() per element cost ~1 ms on a 60 KB page).
_XP_BYLINE = etree.XPath(
    "//body//*[contains(@class,'author') or contains(@class,'byline') or @itemprop='author']"
)
_BYLINE_CLASS = re.compile(
    r"\b(?:byline|author-name|entry-author|post-author|article-author|meta-author|author|fn)\b|^author vcard", re.I
)
_SKIP_BYLINE_CLASS = re.compile(r"comment|author-box|author-bio|avatar|says", re.I)


def _byline_elements(root: Any) -> list[Any]:
    out = []
    for el in _XP_BYLINE(root)[:60]:
        if el.tag in ("body", "html", "article", "main", "div") and el.get("itemprop") != "author":
            cls = el.get("class") or ""
            if el.tag != "div" or "byline" not in cls:
                continue
        cls = el.get("class") or ""
        if el.get("itemprop") != "author" and (not _BYLINE_CLASS.search(cls) or _SKIP_BYLINE_CLASS.search(cls)):
            continue
        if any("comment" in (a.get("class") or "") for a in el.iterancestors()):
            continue
        out.append(el)
    return out


_BY_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|reviewed|edited|words|story|text)\s+by|by|von|por|par|de|auteur|autor(?:in)?)\s*[:\-]?\s+",
    re.I,
)
_GENERIC = frozenset(
    {
        "admin", "administrator", "staff", "editor", "editors", "editorial", "team", "guest",
        "user", "webmaster", "author", "anonymous", "unknown", "redaktion", "redacción",
        "rédaction", "contributor", "contributors", "root", "wpadmin", "the team",
        "editorial team", "guest author", "site admin", "our team", "the editors",
        "staff writer", "guest contributor", "the editorial team", "editorial staff",
    }
)
_NAME_OK = re.compile(r"^[^\d@/<>{}|=_]{2,60}$")
_TRAILING = re.compile(
    r"\s*(?:[|•·,]|\s[–—-]\s|\bon\s|\bupdated\b|\bpublished\b|\bin\s|\bat\s).*$|\s+\d.*$", re.I
)


def clean_name(raw: Any) -> str | None:
    """A display name from a messy byline, or None when it names nobody."""
    if not isinstance(raw, str):
        return None
    name = clean_text(raw)
    name = _BY_PREFIX.sub("", name)
    name = _TRAILING.sub("", name).strip(" .,:;-")
    if not name or not _NAME_OK.match(name) or name.startswith(("http", "www.")):
        return None
    words = name.split()
    if len(words) > 5:
        return None
    if name.lower() in _GENERIC:
        return None
    if not any(c.isalpha() and c.isupper() for c in name) and len(words) < 2:
        return None  # "admin", "jsmith": handles, not names
    return name


def _names_in(value: Any, depth: int = 0) -> Iterable[str]:
    if depth > 4:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value[:20]:
            yield from _names_in(v, depth + 1)
    elif isinstance(value, dict):
        p = props(value)
        name = p.get("name")
        if isinstance(name, list):
            name = name[0] if name else None
        if isinstance(name, str):
            types = types_of(value)
            if not types or types & {"Person", "Organization"} or "Person" in str(value.get("@type", "")):
                yield name


def extract_authors(page: Page, data: dict[str, Any] | None = None) -> tuple[list[str], str]:
    """(author names in order of trust, evidence of the first)."""
    found: dict[str, tuple[str, str]] = {}

    def add(raw: Any, why: str) -> None:
        name = clean_name(raw)
        if name and name.lower() not in found:
            found[name.lower()] = (name, why)

    try:
        if data:
            for obj in iter_objects(data):
                p = props(obj)
                for key in ("author", "creator", "editor"):
                    if key in p:
                        for n in _names_in(p[key]):
                            add(n, f"json-ld {key}")
            for obj in iter_objects(data):
                if "Person" in types_of(obj):
                    for n in _names_in(obj):
                        add(n, "json-ld Person")
        meta = page.meta
        for key in ("author", "article:author", "dc.creator", "twitter:creator:name", "parsely-author", "sailthru.author"):
            value = meta.get(key)
            if value and not value.startswith(("http", "@")):
                add(value, f"meta {key}")
        if page.root is not None:
            for a in _XP_REL_AUTHOR(page.root)[:10]:
                add(a.text_content(), "rel=author")
            for el in _byline_elements(page.root)[:20]:
                text = clean_text(el.text_content())
                if len(text) <= 80:
                    add(text, "byline")
    except Exception:  # noqa: BLE001
        pass
    names = [v[0] for v in found.values()]
    return names, (next(iter(found.values()))[1] if found else "")
