"""Social profiles of the site or its author — not share buttons, intent links or posts.

Every blog page links to social networks, mostly to *share this page*
(``twitter.com/intent/tweet``, ``facebook.com/sharer.php``,
``linkedin.com/shareArticle``, ``pinterest.com/pin/create``) or to single posts
(a tweet, a reel, a video). A link builder wants the accounts: ``x.com/handle``,
``linkedin.com/in/name`` or ``/company/name``, ``facebook.com/page``,
``instagram.com/handle``, ``youtube.com/@handle`` (or ``/channel/…``, ``/c/…``,
``/user/…``), ``pinterest.com/user``, ``tiktok.com/@handle``, Mastodon
``instance/@user``, Bluesky ``bsky.app/profile/…``, Threads ``threads.net/@…``.

Profiles mentioned inside an article's running text ("as @someone wrote")
belong to other people, so profile links inside a paragraph of the main content
count only when marked ``rel="me"`` or introduced by "follow". JSON-LD
``sameAs`` of the page's Organization/Person is a first-class source.

URLs come back normalised (https, no ``www.``/``m.``, no query or trailing
slash, ``twitter.com`` spelled ``x.com``, lower-cased handle) so that the same
account is listed once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import parse_qs, urlsplit

from .html import Page
from .structured import iter_objects, props

_RESERVED_TWITTER = frozenset(
    "home share intent search hashtag i login signup explore settings privacy tos messages "
    "notifications compose widgets.js account download about jobs".split()
)
_RESERVED_FACEBOOK = frozenset(
    "sharer sharer.php share share.php dialog plugins tr login events watch photo.php story.php "
    "permalink.php hashtag help policies privacy legal business ads marketplace gaming groups "
    "home.php l.php photos videos search".split()
)
_RESERVED_INSTAGRAM = frozenset("p reel reels explore accounts stories tv direct about developer legal".split())
_RESERVED_PINTEREST = frozenset("pin search ideas today business _ categories topics settings login".split())
_RESERVED_YOUTUBE = frozenset(
    "watch playlist results feed embed shorts live t redirect about premium account channel c user "
    "attribution_link subscription_center logout signin upload gaming music kids howyoutubeworks".split()
)
_RESERVED_GITHUB = frozenset(
    "login join features pricing about topics explore marketplace orgs sponsors settings "
    "site security enterprise collections trending apps".split()
)
MASTODON_HOSTS = frozenset(
    "mastodon.social mastodon.online fosstodon.org hachyderm.io infosec.exchange mstdn.social "
    "mas.to mastodon.world techhub.social mastodon.art universeodon.com mstdn.jp "
    "social.vivaldi.net sigmoid.social aus.social mastodon.green toot.community".split()
)
_HANDLE = re.compile(r"^[A-Za-z0-9_.\-]{1,60}$")
_FOLLOW_CUE = re.compile(r"\bfollow|\bfind (?:us|me)|\bconnect with|\bfolg|\bs[ií]guen|\bsuivez|\bour\b|\bmy\b"
                         r"|\blet me know|\breach (?:us|me)|\b(?:brought to you|curated|edited|maintained|written|hosted) by\b"
                         r"|\bme (?:on|at)\b", re.I)
# The block a link sits in: its context decides whether a profile in the main content is the site's.
_XP_BLOCK = ("ancestor::*[self::p or self::blockquote or self::td or self::figcaption or self::li or self::dd"
             " or self::h1 or self::h2 or self::h3 or self::h4 or self::div][1]")
# More profile links than this in a page's main content make it a list of other people's accounts
# (a blogroll of channels, a roundup of shops), unless the page is the site's own contact or about page.
MAX_OWN_IN_MAIN = 6


# The networks under a country's domain (youtube.de, facebook.co.uk): the same accounts.
_COUNTRY_HOST = re.compile(r"(youtube|facebook|twitter|instagram|linkedin)\.(?:[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})")


def _host(netloc: str) -> str:
    host = netloc.lower().split("@")[-1].split(":")[0]
    for prefix in ("www.", "m.", "mobile.", "web.", "de.", "es.", "fr.", "uk.", "en."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    locale = re.match(r"[a-z]{2}-[a-z]{2}\.(?=(?:facebook|pinterest)\.)", host)  # de-de.facebook.com
    if locale:
        host = host[locale.end():]
    country = _COUNTRY_HOST.fullmatch(host)
    return f"{country.group(1)}.com" if country else host


_SOCIAL_HOSTS = frozenset(
    "twitter.com x.com facebook.com fb.com fb.me instagram.com instagr.am youtube.com youtube-nocookie.com "
    "tiktok.com threads.net threads.com bsky.app github.com pinterest.com".split()
) | MASTODON_HOSTS


@lru_cache(maxsize=8192)
def _social_host(host: str) -> bool:
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix):]
            break
    return (
        host in _SOCIAL_HOSTS
        or host.endswith(("linkedin.com", ".facebook.com", ".twitter.com", ".social"))
        or host.startswith(("pinterest.", "mastodon.", "mstdn."))
        or _COUNTRY_HOST.fullmatch(host) is not None
    )


def _maybe_social(url: str, host: str | None = None) -> bool:
    """Cheap pre-filter on the host (cached per host): most links of a page are not social at all."""
    if host is None:
        from .html import fast_host

        host = fast_host(url)
    return bool(host) and _social_host(host)


_SCHEMELESS = re.compile(r"/((?:www\.)?(?:linkedin|twitter|x|facebook|instagram|youtube|github|pinterest)\.com/.+)$")


def normalise_profile(url: str, host: str | None = None) -> str | None:
    """The canonical profile URL of a social link, or None for shares, posts and non-profiles.

    ``host``: the link's host when the caller has it already (the page's links carry it).
    """
    if not _maybe_social(url, host):
        lost = _SCHEMELESS.search(url)  # href="www.linkedin.com/in/x", resolved as a path of the page's site
        if lost is None:
            return None
        url = "https://" + lost.group(1)
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https", ""}:
        return None
    host = _host(parts.netloc)
    segs = [s for s in parts.path.split("/") if s]
    query = parts.query.lower()
    if not host:
        return None

    if host in {"twitter.com", "x.com"}:
        if len(segs) != 1 or "intent" in query or "status" in parts.path:
            return None
        handle = segs[0].lstrip("@").lower()
        if handle in _RESERVED_TWITTER or not re.fullmatch(r"[a-z0-9_]{1,15}", handle) or "text=" in query:
            return None
        return f"https://x.com/{handle}"
    if host.endswith("linkedin.com"):
        if len(segs) >= 2 and segs[0] in {"in", "company", "school", "showcase"}:
            return f"https://linkedin.com/{segs[0]}/{segs[1].lower()}"
        if len(segs) >= 2 and segs[0] == "pub":  # the old public profiles: /pub/name/15/4ba/36
            return "https://linkedin.com/" + "/".join(x.lower() for x in segs[:5])
        return None
    if host in {"facebook.com", "fb.com", "fb.me"}:
        if not segs:
            return None
        first = segs[0].lower()
        if first == "profile.php":
            ident = parse_qs(parts.query).get("id", [""])[0]
            return f"https://facebook.com/profile.php?id={ident}" if ident.isdigit() else None
        if first == "pages" and len(segs) >= 2:
            return "https://facebook.com/" + "/".join(s.lower() for s in segs[:3])
        if first == "people" and len(segs) >= 3 and segs[2].isdigit():  # facebook.com/people/Name/1000833776
            return f"https://facebook.com/people/{segs[1].lower()}/{segs[2]}"
        if first in _RESERVED_FACEBOOK or first.endswith(".php") or len(segs) > 2:
            return None
        if len(segs) == 2 and segs[1].lower() not in {"about", "timeline"}:
            return None
        if not _HANDLE.match(first):
            return None
        return f"https://facebook.com/{first}"
    if host in {"instagram.com", "instagr.am"}:
        if len(segs) != 1 or segs[0].lower() in _RESERVED_INSTAGRAM:
            return None
        handle = segs[0].lstrip("@").lower()
        return f"https://instagram.com/{handle}" if re.fullmatch(r"[a-z0-9_.]{1,30}", handle) else None
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if not segs:
            return None
        if segs[0].startswith("@") and len(segs) <= 2:
            return f"https://youtube.com/{segs[0].lower()}"
        if segs[0] in {"channel", "c", "user"} and len(segs) >= 2:
            ident = segs[1] if segs[0] == "channel" else segs[1].lower()
            return f"https://youtube.com/{segs[0]}/{ident}"
        if len(segs) == 1 and segs[0].lower() not in _RESERVED_YOUTUBE and _HANDLE.match(segs[0]):
            return f"https://youtube.com/{segs[0].lower()}"  # a legacy custom URL: youtube.com/atlanticmma
        return None
    if host == "pinterest.com" or re.fullmatch(r"pinterest\.(?:[a-z]{2,3}|co\.uk|com\.au|com\.mx)", host):
        if len(segs) != 1 or segs[0].lower() in _RESERVED_PINTEREST or "url=" in query:
            return None
        return f"https://pinterest.com/{segs[0].lower()}"
    if host == "tiktok.com":
        if len(segs) == 1 and segs[0].startswith("@"):
            return f"https://tiktok.com/{segs[0].lower()}"
        return None
    if host == "threads.net" or host == "threads.com":
        if len(segs) == 1 and segs[0].startswith("@"):
            return f"https://threads.com/{segs[0].lower()}"  # threads.com since 2025; threads.net redirects
        return None
    if host == "bsky.app":
        if len(segs) == 2 and segs[0] == "profile":
            return f"https://bsky.app/profile/{segs[1].lower()}"
        return None
    if host == "github.com":
        if len(segs) == 1 and segs[0].lower() not in _RESERVED_GITHUB and _HANDLE.match(segs[0]):
            return f"https://github.com/{segs[0].lower()}"
        return None
    if host in MASTODON_HOSTS or host.startswith(("mastodon.", "mstdn.")) or host.endswith(".social"):
        if len(segs) == 1 and segs[0].startswith("@") and len(segs[0]) > 1:
            return f"https://{host}/{segs[0].lower()}"
        return None
    return None


def _mastodon_rel_me(url: str) -> str | None:
    """Any host's ``/@user`` link marked rel="me" is a fediverse profile."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segs = [s for s in parts.path.split("/") if s]
    if parts.scheme in {"http", "https"} and len(segs) == 1 and segs[0].startswith("@") and len(segs[0]) > 1:
        return f"https://{_host(parts.netloc)}/{segs[0].lower()}"
    return None


# "Instagram: <a>@handle</a>": the network named right before the link.
_NETWORK_LABEL = re.compile(r"(?:twitter|x|instagram|facebook|linkedin|youtube|mastodon|github|tiktok|bluesky|threads|"
                            r"pinterest|xing)\s*:\s*$", re.I)
# Anchor text that is a Fediverse handle ("@alitux@mastodon.la"): the link is that account's profile.
_FEDI_HANDLE = re.compile(r"^@?[A-Za-z0-9_.]{1,30}@[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
_NETWORK_WORDS = re.compile(
    r"^(?:(?:follow|find|connect\s+with)\s+(?:us|me|him|her|them)\s+on\s+)?(?:twitter|x|linkedin|facebook|instagram|youtube|"
    r"pinterest|tiktok|mastodon|bluesky|threads|github|fb|ig|yt|li)(?:\s+profile|\s+page)?(?:\s*\(@[\w.]+\))?$",
    re.I,
)


def _names_network(text: str) -> bool:
    """Anchor text that names the network ("LinkedIn", "Follow us on X") or nothing at all (an icon)."""
    text = text.strip(" .:·|-")
    return not text or bool(_NETWORK_WORDS.match(text))


def _same_as(data: dict[str, Any]) -> Iterable[str]:
    for obj in iter_objects(data):
        p = props(obj)
        value = p.get("sameAs")
        if value is None:
            continue
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                yield v


def _mention_context(link: Any) -> tuple[str, bool]:
    """The words just before a link in its block (where "follow us on" would be), and whether the link
    is all there is to the block (a line of its own, ``<p><a>@handle</a></p>``, as opposed to a name
    mentioned in a sentence)."""
    block = link.element.xpath(_XP_BLOCK)
    if not block:
        return "", True
    before: list[str] = []
    for node in block[0].iter():
        if node is link.element:
            break
        for piece in (node.text, node.tail if node is not block[0] else None):
            if piece:
                before.append(piece)
    whole = " ".join(" ".join(block[0].itertext()).split())
    context = " ".join(" ".join(before).split())[-120:]
    rest = whole.replace(" ".join((link.text or "").split()), " ", 1).strip(" \t:·|•-–—()[]")
    return context, len(rest) <= 12  # nothing but the link and a label ("Instagram:") or an emoji


def extract_social(page: Page, data: dict[str, Any] | None = None, own_page: bool = False,
                   listing: bool = False) -> tuple[list[str], str]:
    """(profile URLs in page order, evidence of the first).

    A profile marked ``rel="me"``, named by its network ("LinkedIn", an icon, "Instagram:" before it)
    or introduced by a cue ("follow us", "let me know on", "brought to you by") is the site's or its
    people's. One that stands on a line of its own counts in the site's chrome (header, footer,
    sidebar), and in the main content of the site's own contact or about page (``own_page``); in
    the main content of a roundup or resources page (``listing``), or of a page with more than a few
    of them, such lines list other people's accounts. A profile mentioned in running text (a tweet in
    a sidebar widget, a theme credit, a name in an article) is someone else's.
    """
    found: dict[str, str] = {}
    standalone: dict[str, str] = {}
    try:
        for link in page.links:
            url = link.url
            if not url.startswith(("http://", "https://")):
                continue
            profile = normalise_profile(url, link.host)
            if profile is None and ("me" in link.rel or _FEDI_HANDLE.match(link.text or "")):
                profile = _mastodon_rel_me(url)
            if profile is None or profile in found or profile in standalone:
                continue
            evidence = f"link: {url[:150]}"
            if "me" in link.rel or _names_network(link.text) or _FOLLOW_CUE.match(link.text or ""):
                found[profile] = evidence
                continue
            context, alone = _mention_context(link)
            if _FOLLOW_CUE.search(context) or _NETWORK_LABEL.search(context):
                found[profile] = evidence
            elif alone and page.is_boilerplate(link.element):
                found[profile] = evidence
            elif alone or own_page:
                standalone[profile] = evidence
            # else: someone else's profile, mentioned in running text
        if standalone and (own_page or (not listing and len(standalone) <= MAX_OWN_IN_MAIN)):
            found.update(standalone)
        if data:
            for url in _same_as(data):
                profile = normalise_profile(url)
                if profile and profile not in found:
                    found[profile] = f"json-ld sameAs: {url[:150]}"
    except Exception:  # noqa: BLE001
        pass
    order = {link.url: i for i, link in enumerate(page.links)}
    profiles = sorted(found, key=lambda p: order.get(found[p][6:], len(order)))
    return profiles, (found[profiles[0]] if profiles else "")
