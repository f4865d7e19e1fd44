"""Parse a page once and share the tree between every extractor.

Parsing is the single most expensive step of extraction (an lxml parse of a
100 KB page costs about a millisecond); each extractor re-parsing the same
string would multiply that. :func:`parse` builds one :class:`Page` holding the
lxml tree plus the cheap derived views several extractors need (title, meta
tags, headings, visible text, main-content text, links). Views are computed
lazily and cached on the object, so an extractor that is not run costs nothing.

Hostile input (empty strings, binary junk, truncated markup, megabyte pages)
never raises here: the worst case is a :class:`Page` with no tree, whose views
are all empty.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from html import unescape as html_unescape
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from linkspider.common.domains import hostname, registrable_domain

#: Pages larger than this are cut before parsing: the facts we look for are in
#: the first few hundred KB, and parsing cost grows linearly with size.
MAX_HTML_CHARS = 2_000_000

_LOCAL = threading.local()


def _parser() -> Any:
    """This thread's lxml parser: a parser must not be shared between threads (the crawl process may
    extract in a thread of its own while the reactor's thread runs the pipelines' safety net)."""
    parser = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = _LOCAL.parser = lxml_html.HTMLParser(
            encoding="utf-8", recover=True, remove_comments=True, remove_pis=True, huge_tree=True)
    return parser

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Tags that only nest (a page built of 3,000 nested <div>s): dropped when a page is nested past the limit.
_CONTAINERS = re.compile(r"</?(?:div|span|section|article|aside|main|font|center|b|i|u|em|strong|small|"
                         r"blockquote|table|tbody|thead|tr|td|th|ul|ol|li|dl|dd|dt)\b[^>]*>", re.I)

# Text nodes that a reader can see: not code, not templates.
_XP_TEXT = etree.XPath(
    "//body//text()[not(parent::script or parent::style or parent::noscript or parent::template"
    " or parent::svg or parent::textarea or parent::select or parent::option)]",
    smart_strings=False,
)
# Code samples: an address in one is an example (git config, scp user@host, an SMTP snippet).
_XP_CODE_TEXT = etree.XPath(
    "//body//*[self::pre or self::code or self::kbd or self::samp or self::tt]"
    "[not(ancestor::pre or ancestor::code or ancestor::kbd or ancestor::samp or ancestor::tt)]",
)

# Boilerplate regions: navigation, site header/footer, sidebars, cookie banners,
# comment sections, share bars, related-post widgets. Page-kind cues found only
# there ("Write for us" in every footer) say nothing about *this* page.
# (An XPath with an ancestor test per text node costs ~15 ms on a 60 KB page;
# one Python pass over the elements with this regex costs ~0.4 ms.)
#
# Real themes put these words in class names that are *not* the region: a
# WordPress <body class="has-sidebar genesis-footer-widgets-visible">, Neve's
# wrapper "nv-sidebar-full-width", Elementor's content blocks
# "elementor-widget-text-editor", a post section named after its title
# ("python-newsletter-february-22-2023"). So a class or id names a region only
# when a boilerplate word begins or ends one of its tokens ("site-footer",
# "widget_text", "jp-relatedposts"), the token is not a state ("has-", "no-",
# "-visible", "-width"), and the element is not a wrapper of the page's main
# content (see _is_wrapper).
_BOILER_WORDS = (
    "comment", "sidebar", "widget", "cookie", "consent", "gdpr", "footer", "masthead", "navbar", "menu",
    "breadcrumb", "share", "sharing", "social", "related", "newsletter", "subscribe", "popup", "modal",
    "topbar", "ticker",
)
# Boilerplate that takes two parts of a token, or words that only count whole ("ad", not "advertise").
_BOILER_PHRASES = ("site-header", "author-box", "author-bio", "skip-link", "top-bar")
_BOILER_WHOLE = frozenset({"ad", "ads", "advert", "adverts", "advertisement", "advertisements"})
# A quick test first (on the lower-cased value: a case-blind regex costs seven times as much): most
# elements name none of these, and the token analysis runs only on those that do.
_BOILER_QUICK = re.compile("|".join((*_BOILER_WORDS, *(re.escape(c) for c in _BOILER_PHRASES))))
_AD_TOKEN = re.compile(r"(?:^|[\s_-])ad(?:s|verts?|vertisements?)?(?:$|[\s_-])")
_BOILER_PART = re.compile(r"^(?:%s)" % "|".join(_BOILER_WORDS))
# Page builders name their content blocks "elementor-widget", "fl-module-widget": a widget is a
# region only as the first word of a token ("widget", "widget_text", "widget-area").
_BOILER_LAST = re.compile(r"^(?:%s)" % "|".join(w for w in _BOILER_WORDS if w != "widget"))
_STATE_FIRST = frozenset({"has", "no", "hide", "hidden", "show", "showing", "enable", "enabled", "disable",
                          "disabled", "with", "without", "is", "not", "toggle", "toggled"})
_STATE_LAST = frozenset({"visible", "hidden", "enabled", "disabled", "active", "open", "opened", "closed",
                         "style", "width", "layout", "position", "align", "count", "color", "colour"})
_TOKEN_SPLIT = re.compile(r"[-_]+")
_BOILER_TAGS = frozenset({"nav", "footer", "aside", "form"})
_BOILER_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog"})
_CONTENT_TAGS = frozenset({"article", "main"})
#: The attribute that marks a boilerplate region's root on the parsed tree for the copy Page.main_root makes.
BOILER_MARK = "data-linkspider-boilerplate"
_XP_MARKED = etree.XPath(f"//*[@{BOILER_MARK}]", smart_strings=False)
_XP_HAS_MAIN = etree.XPath("boolean(descendant::main|descendant::*[@role='main'])")
_XP_HAS_H1 = etree.XPath("boolean(descendant::h1)")
_XP_HAS_NAV = etree.XPath("boolean(descendant::nav|descendant::*[@role='navigation'])")
_XP_HAS_CONTENT = etree.XPath("boolean(descendant::h1|descendant::article)")


def _names_boilerplate(value: str) -> bool:
    """Does a class or id value name a boilerplate region (see above)?"""
    low = value.lower()
    if not _BOILER_QUICK.search(low) and not ("ad" in low and _AD_TOKEN.search(low)):
        return False
    for token in low.split():
        if any(phrase in token for phrase in _BOILER_PHRASES):
            return True
        parts = [part for part in _TOKEN_SPLIT.split(token) if part]
        if not parts or parts[0] in _STATE_FIRST or parts[-1] in _STATE_LAST:
            continue
        if parts[0] in _BOILER_WHOLE or parts[-1] in _BOILER_WHOLE:
            return True
        if _BOILER_PART.match(parts[0]) or _BOILER_LAST.match(parts[-1]):
            return True
    return False


def _text_chars(el: Any) -> int:
    """Characters of text under an element, scripts and styles left out (only ever compared)."""
    try:
        return len(el.text_content()) - sum(len(s.text or "") for s in el.iter("script", "style"))
    except Exception:  # noqa: BLE001
        return 0

_XP_HEADINGS = etree.XPath("//body//*[self::h1 or self::h2 or self::h3]", smart_strings=False)
_XP_ALL_H1 = etree.XPath("//h1", smart_strings=False)
_XP_META = etree.XPath("//meta[@content]", smart_strings=False)
_XP_LINKS = etree.XPath("//a[@href]|//area[@href]", smart_strings=False)
_XP_LINK_REL = etree.XPath("//link[@rel][@href]", smart_strings=False)
_XP_TITLE = etree.XPath("//title", smart_strings=False)


def _boiler_self(el: Any) -> bool:
    """Does this element, by its tag, role, class or id, start a boilerplate region?"""
    tag = el.tag
    if not isinstance(tag, str) or tag in ("body", "html"):
        return False
    if tag in _BOILER_TAGS:
        return True
    role = el.get("role")
    if tag == "header" and not (role and role.lower() in _BOILER_ROLES):
        # A post's own <header class="entry-header"> holds its h1, and so does a page's hero
        # (<header class="hero"><h1>Write for us</h1><p>...</p></header>, no menu in it): not chrome.
        if any(a.tag in _CONTENT_TAGS for a in el.iterancestors()):
            return False
        return not (_XP_HAS_H1(el) and not _XP_HAS_NAV(el))
    if role and role.lower() in _BOILER_ROLES:
        return True
    cls = el.get("class")
    if cls and _names_boilerplate(cls):
        return True
    ident = el.get("id")
    return bool(ident and _names_boilerplate(ident))


def _is_wrapper(el: Any, page_chars: Callable[[], int]) -> bool:
    """A region that looks like boilerplate but holds the page's main content: the <main> element,
    or the h1 / <article> together with at least half the page's text (a theme's
    <div id="masthead"> around the whole page, an ASP.NET <form> around everything,
    <header class="row"> holding the page). Removing it would leave nothing to read."""
    try:
        if _XP_HAS_MAIN(el):
            return True
        return bool(_XP_HAS_CONTENT(el)) and 2 * _text_chars(el) >= page_chars()
    except Exception:  # noqa: BLE001
        return False


def _boilerplate_roots(scope: Any) -> list[Any]:
    """Boilerplate elements in document order, not looking inside one already found
    (removing it removes what it holds): most elements of a page live in its
    navigation, sidebars and footer, so this skips most of the tests. A wrapper of the
    main content is looked into instead of removed."""
    found, stack = [], [scope]
    page_chars = lru_cache(maxsize=1)(lambda: _text_chars(scope))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if _boiler_self(el):
            if not _is_wrapper(el, page_chars):
                found.append(el)
                continue
        stack.extend(reversed(el))
    return found


def clean_text(text: str | None) -> str:
    """Collapse whitespace; the one normalisation every extractor expects.
    (str.split() splits on exactly the characters regex \\s matches, in a third of the time.)"""
    if not text:
        return ""
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def site_of(url_or_host: str) -> str:
    """The site key of a URL or host: its registrable domain.

    Hosts under no public suffix (``fitness-blog.example``, ``intranet.test``,
    the project's offline fake web) fall back to their last two labels, so that
    "same site?" questions still have an answer there. IPs and ``localhost``
    give the host itself.
    """
    reg = registrable_domain(url_or_host)
    if reg:
        return reg
    host = hostname(url_or_host) if ("/" in url_or_host or ":" in url_or_host) else url_or_host.lower().strip(".")
    if not host:
        return ""
    if re.fullmatch(r"[\d.]+|\[?[0-9a-f:]+\]?", host):
        return host
    labels = host.split(".")
    return ".".join(labels[-2:])


def fast_host(url: str) -> str:
    """Lower-cased host of an absolute http(s) URL without urlsplit's overhead ('' otherwise)."""
    if not url.startswith(("http://", "https://", "HTTP://", "HTTPS://")):
        return ""
    rest = url.split("/", 3)[2] if url.count("/") >= 2 else ""
    rest = rest.rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest.split("]", 1)[0].lower() + "]"
    return rest.split(":", 1)[0].lower().rstrip(".")


@dataclass(slots=True)
class Link:
    """One ``<a href>`` of the page, resolved against the page URL."""

    url: str
    text: str
    rel: list[str]
    element: Any
    host: str = ""

    @property
    def href(self) -> str:
        return self.url


class Page:
    """One parsed page: the tree and the views extractors share.

    Every public attribute is safe to read on a page that failed to parse.
    """

    def __init__(self, html: str, url: str) -> None:
        self.url: str = url or ""
        if not isinstance(html, str):
            html = ""
        # What was done to the page to read it: kept on the page's row (facts["notes"]).
        self.notes: list[str] = []
        if len(html) > MAX_HTML_CHARS:
            self.notes.append(f"cut at {MAX_HTML_CHARS:,} of {len(html):,} characters")
        self.html: str = html[:MAX_HTML_CHARS]
        self.root: Any = None
        self.cache: dict[str, Any] = {}
        if _CONTROL.search(self.html[:MAX_HTML_CHARS]):
            # Removed, not turned into spaces: "jane\x00@site.com" stays one address, and "mül\x01ler@"
            # becomes "müller@", which the email scan then refuses whole instead of cutting to "ler@".
            count = len(_CONTROL.findall(self.html))
            self.html = _CONTROL.sub("", self.html)
            self.notes.append(f"{count} control character{'s' if count > 1 else ''} (NUL...) removed")
        if self.html.strip():
            self.root = self._parse(self.html)

    def _parse(self, text: str) -> Any:
        """The lxml tree; past the parser's nesting limit (2,048 levels), libxml2 drops everything after
        the limit, so the page is parsed again with its container tags flattened."""
        try:
            parser = _parser()
            root = lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
            if any("Excessive depth" in e.message for e in parser.error_log):
                flat = _CONTAINERS.sub(" ", text)
                root = lxml_html.document_fromstring(flat.encode("utf-8", "replace"), parser=parser)
                self.notes.append("nested deeper than the parser's limit: read with its container tags flattened")
            return root
        except Exception:  # noqa: BLE001 - lxml raises many kinds on junk
            return None

    # -- URL ---------------------------------------------------------------
    @cached_property
    def host(self) -> str:
        return hostname(self.url)

    @cached_property
    def site(self) -> str:
        return site_of(self.url) if self.url else ""

    @cached_property
    def path(self) -> str:
        try:
            return urlsplit(self.url).path or "/"
        except ValueError:
            return "/"

    @cached_property
    def base_url(self) -> str:
        if self.root is not None:
            try:
                base = self.root.xpath("//base/@href")
                if base:
                    return urljoin(self.url, str(base[0]).strip())
            except Exception:  # noqa: BLE001
                pass
        return self.url

    @cached_property
    def html_lower(self) -> str:
        return self.html.lower()

    # -- head ----------------------------------------------------------------
    @cached_property
    def meta(self) -> dict[str, str]:
        """``name``/``property``/``itemprop`` (lower-cased) -> first ``content``."""
        out: dict[str, str] = {}
        if self.root is None:
            return out
        try:
            for el in _XP_META(self.root):
                content = el.get("content")
                if content is None:
                    continue
                for attr in ("property", "name", "itemprop"):
                    key = el.get(attr)
                    if key:
                        out.setdefault(key.strip().lower(), content.strip())
        except Exception:  # noqa: BLE001
            pass
        return out

    @cached_property
    def title(self) -> str:
        """``<title>``, else ``og:title``, else the first ``<h1>``."""
        if self.root is not None:
            try:
                for el in _XP_TITLE(self.root):
                    t = clean_text(el.text_content())
                    if "&" in t and ";" in t:
                        # Escaped twice by the CMS ("Links &raquo; MMA Blogs" is what the tab shows).
                        t = clean_text(html_unescape(t))
                    if t:
                        return t[:500]
            except Exception:  # noqa: BLE001
                pass
        og = clean_text(self.meta.get("og:title"))
        if og:
            return og[:500]
        h1 = self.all_h1
        return h1[0][:500] if h1 else ""

    @cached_property
    def all_h1(self) -> list[str]:
        if self.root is None:
            return []
        try:
            return [t for t in (clean_text(e.text_content()) for e in _XP_ALL_H1(self.root)) if t]
        except Exception:  # noqa: BLE001
            return []

    @cached_property
    def boilerplate(self) -> frozenset[Any]:
        """The roots of the boilerplate regions of the tree (empty when unparsed)."""
        if self.root is None:
            return frozenset()
        try:
            body = self.root.find("body")
            return frozenset(_boilerplate_roots(body if body is not None else self.root))
        except Exception:  # noqa: BLE001
            return frozenset()

    @cached_property
    def main_root(self) -> Any:
        """A copy of the tree with boilerplate regions removed (None when unparsed).

        A deep copy is a C-level memcpy of the tree (~0.2 ms for 60 KB), far
        cheaper than testing every node's ancestors; the original tree stays
        whole for the extractors that want footers and sidebars (emails, social).
        The regions are marked with an attribute for the copy and unmarked at once.
        """
        if self.root is None:
            return None
        try:
            import copy

            roots = self.boilerplate
            for el in roots:
                el.set(BOILER_MARK, "")
            try:
                clone = copy.deepcopy(self.root)
            finally:
                for el in roots:
                    el.attrib.pop(BOILER_MARK, None)
            for el in _XP_MARKED(clone):
                parent = el.getparent()
                if parent is None:
                    continue
                tail = el.tail
                if tail:
                    prev = el.getprevious()
                    if prev is not None:
                        prev.tail = (prev.tail or "") + " " + tail
                    else:
                        parent.text = (parent.text or "") + " " + tail
                parent.remove(el)
            return clone
        except Exception:  # noqa: BLE001
            return None

    @cached_property
    def headings(self) -> list[tuple[str, str]]:
        """(tag, text) of h1–h3 outside navigation, footers, sidebars and comments."""
        root = self.main_root
        if root is None:
            return []
        out: list[tuple[str, str]] = []
        try:
            for el in _XP_HEADINGS(root):
                t = clean_text(el.text_content())
                if t:
                    out.append((str(el.tag).lower(), t[:300]))
        except Exception:  # noqa: BLE001
            pass
        return out

    # -- text ------------------------------------------------------------------
    @cached_property
    def text(self) -> str:
        """All visible text (nodes joined by a space, so tags never glue words)."""
        if self.root is None:
            return ""
        try:
            return " ".join(_XP_TEXT(self.root))
        except Exception:  # noqa: BLE001
            return ""

    @cached_property
    def code_text(self) -> str:
        """The text of the page's code samples (``<pre>``, ``<code>``, ``<kbd>``...)."""
        if self.root is None or not any(f"<{tag}" in self.html_lower for tag in ("code", "pre", "kbd", "samp", "tt")):
            return ""
        try:
            return " ".join(" ".join(el.itertext()) for el in _XP_CODE_TEXT(self.root))
        except Exception:  # noqa: BLE001
            return ""

    @cached_property
    def main_text(self) -> str:
        """Visible text outside boilerplate regions, whitespace collapsed."""
        root = self.main_root
        if root is None:
            return ""
        try:
            return clean_text(" ".join(_XP_TEXT(root)))
        except Exception:  # noqa: BLE001
            return ""

    # -- links -----------------------------------------------------------------
    @cached_property
    def links(self) -> list[Link]:
        """Every ``<a href>`` with an absolute URL, anchor text (or image alt) and rel."""
        if self.root is None:
            return []
        return self._links_of(self.root)

    def _links_of(self, root: Any) -> list[Link]:
        out: list[Link] = []
        base = self.base_url
        origin = ""
        if base.startswith(("http://", "https://")):
            parts = base.split("/", 3)
            if len(parts) >= 3 and parts[2]:
                origin = parts[0] + "//" + parts[2]
        try:
            elements = _XP_LINKS(root)
        except Exception:  # noqa: BLE001
            return out
        for el in elements[:5000]:
            href = (el.get("href") or "").strip()
            if not href or href.startswith("#"):
                continue
            low = href[:11].lower()
            if low.startswith(("javascript:", "data:", "tel:", "sms:")):
                continue
            if low.startswith("mailto:"):
                url = href
            elif low.startswith(("http://", "https://")) and not any(c in href for c in " \t\n\\"):
                url = href  # already absolute: urljoin would only copy it
            elif href.startswith("/") and not href.startswith("//") and origin:
                url = origin + href
            else:
                try:
                    url = urljoin(base, href)
                except ValueError:
                    continue
            try:
                text = clean_text(el.text_content())
            except Exception:  # noqa: BLE001
                text = ""
            if not text:
                alts = [a for a in (el.xpath(".//img/@alt") or []) if a.strip()]
                text = clean_text(str(alts[0])) if alts else clean_text(el.get("title") or el.get("aria-label"))
            rel = [r for r in (el.get("rel") or "").lower().split() if r]
            out.append(Link(url=url, text=text[:300], rel=rel, element=el, host=fast_host(url)))
        return out

    def is_boilerplate(self, element: Any) -> bool:
        """True when the element sits in navigation, header, footer, sidebar, comments...
        (the regions :attr:`main_root` leaves out)."""
        roots = self.boilerplate
        try:
            el = element
            while el is not None:
                if el in roots:
                    return True
                el = el.getparent()
        except Exception:  # noqa: BLE001
            return False
        return False

    @cached_property
    def main_links(self) -> list[Link]:
        """Links of the main content (boilerplate removed), resolved like :attr:`links`."""
        root = self.main_root
        if root is None:
            return []
        return self._links_of(root)

    @cached_property
    def head_links(self) -> list[tuple[list[str], str]]:
        """``<link rel href>`` pairs (rel tokens, absolute href)."""
        if self.root is None:
            return []
        out = []
        try:
            for el in _XP_LINK_REL(self.root):
                out.append((el.get("rel", "").lower().split(), urljoin(self.base_url, el.get("href", "").strip())))
        except Exception:  # noqa: BLE001
            pass
        return out


def parse(html: str, url: str) -> Page:
    """Parse ``html`` (fetched from ``url``) once; never raises."""
    try:
        return Page(html, url)
    except Exception:  # noqa: BLE001
        return Page("", url)
