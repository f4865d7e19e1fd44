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
    r"^(?:(?:written|posted|published|reviewed|edited|words|story|text|more|articles|posts)\s+by|by|von|por|par|de"
    r"|(?:post\s+)?author|auteur|autor(?:in)?)\s*[:\-]?\s*(?=\S)",
    re.I,
)
# Month and weekday names (and their abbreviations): a byline that is only a date names nobody
# ("<p class="byline"><time>March 5, 2024</time></p>" gave the author "March").
_CALENDAR_WORDS = frozenset("""
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
januar februar märz maerz mai juni juli oktober dezember montag dienstag mittwoch donnerstag freitag samstag sonntag
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
lunes martes miércoles miercoles jueves viernes sábado sabado domingo
janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre decembre
lundi mardi mercredi jeudi vendredi samedi dimanche
""".split())
# Legal forms: a company or a site, not a person to write to.
_COMPANY = re.compile(r"\b(?:gmbh|ltd|inc|llc|llp|plc|e\.\s?u|e\.\s?v|ag|bv|b\.v|s\.l|s\.a|sas|sarl|srl|co)\.?$", re.I)
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


def clean_name(raw: Any, handles: bool = False) -> str | None:
    """A display name from a messy byline, or None when it names nobody.

    ``handles``: the value comes from markup that says it is the author (JSON-LD, ``meta
    name=author``, ``rel=author``), so a pen name such as ``0xrick`` counts; a byline class does not.
    """
    if not isinstance(raw, str):
        return None
    name = clean_text(raw)
    name = _BY_PREFIX.sub("", name)
    name = _TRAILING.sub("", name).strip(" .,:;-")
    words = name.split()
    while words and words[-1].lower().strip(".,") in _CALENDAR_WORDS:  # "Jane Doe Dec": a date glued on
        words.pop()
    name = " ".join(words).strip(" .,:;-")
    if not name or not _NAME_OK.match(name) or name.startswith(("http", "www.")):
        return None
    if len(words) > 5 or _COMPANY.search(name):
        return None
    if name.lower() in _GENERIC or name.lower() in _CALENDAR_WORDS:
        return None
    if not any(c.isalpha() and c.isupper() for c in name) and len(words) < 2 and not handles:
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


_ORG_WORDS = frozenset("""magazine blog news media journal weekly daily digest hub lab labs studio press coworking
collective club team group project network academy school institute foundation society association agency
solutions systems software technologies tech consulting services shop store online""".split())


def _org_like(name: str) -> bool:
    """The site's name used as a byline names a person only on a personal site ("Mike West" on
    mikewest.org); one word or an organisation's words ("PowerShell Magazine") name nobody to write to."""
    words = name.lower().split()
    return len(words) == 1 or any(w in _ORG_WORDS for w in words)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _site_names(page: Page) -> set[str]:
    """The site's own name, spelled as it may appear as an "author" ("PowerShell Magazine", "SeitaBV")."""
    names = {_squash(page.meta.get("og:site_name", "")), _squash(page.meta.get("application-name", ""))}
    for piece in re.split(r"\s[|–—-]\s|\s·\s|:\s", page.title or "")[1:]:
        names.add(_squash(piece))
    if page.site:
        names.add(_squash(page.site.split(".")[0]))
    names.discard("")
    return names


def extract_authors(page: Page, data: dict[str, Any] | None = None) -> tuple[list[str], str]:
    """(author names in order of trust, evidence of the first)."""
    found: dict[str, tuple[str, str]] = {}
    site_names = _site_names(page)

    def add(raw: Any, why: str, handles: bool = True) -> None:
        name = clean_name(raw, handles)
        if name and name.lower() not in found and not (_squash(name) in site_names and _org_like(name)):
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
                    add(text, "byline", handles=False)
    except Exception:  # noqa: BLE001
        pass
    names = [v[0] for v in found.values()]
    return names, (next(iter(found.values()))[1] if found else "")
