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
_FOLLOW_CUE = re.compile(r"\bfollow|\bfind (?:us|me)|\bconnect with|\bfolg|\bs[ií]guen|\bsuivez|\bour\b|\bmy\b", re.I)
_XP_BLOCK = "ancestor::*[self::p or self::blockquote or self::td or self::figcaption][1]"


def _host(netloc: str) -> str:
    host = netloc.lower().split("@")[-1].split(":")[0]
    for prefix in ("www.", "m.", "mobile.", "web.", "de.", "es.", "fr.", "uk.", "en."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    return host


_SOCIAL_HOSTS = frozenset(
    "twitter.com x.com facebook.com fb.com fb.me instagram.com instagr.am youtube.com youtube-nocookie.com "
    "tiktok.com threads.net threads.com bsky.app github.com pinterest.com".split()
) | MASTODON_HOSTS


def _maybe_social(url: str) -> bool:
    """Cheap pre-filter on the host: most links of a page are not social at all."""
    from .html import fast_host

    host = fast_host(url)
    if not host:
        return False
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix):]
            break
    return (
        host in _SOCIAL_HOSTS
        or host.endswith(("linkedin.com", ".facebook.com", ".twitter.com"))
        or host.startswith(("pinterest.", "mastodon.", "mstdn."))
    )


def normalise_profile(url: str) -> str | None:
    """The canonical profile URL of a social link, or None for shares, posts and non-profiles."""
    if not _maybe_social(url):
        return None
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
            return f"https://threads.net/{segs[0].lower()}"
        return None
    if host == "bsky.app":
        if len(segs) == 2 and segs[0] == "profile":
            return f"https://bsky.app/profile/{segs[1].lower()}"
        return None
    if host == "github.com":
        if len(segs) == 1 and segs[0].lower() not in _RESERVED_GITHUB and _HANDLE.match(segs[0]):
            return f"https://github.com/{segs[0].lower()}"
        return None
    if host in MASTODON_HOSTS or host.startswith(("mastodon.", "mstdn.")):
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


_NETWORK_WORDS = re.compile(
    r"^(?:(?:follow|find|connect\s+with)\s+(?:us|me|him|her|them)\s+on\s+)?(?:twitter|x|linkedin|facebook|instagram|youtube|"
    r"pinterest|tiktok|mastodon|bluesky|threads|github|fb|ig|yt|li)(?:\s+profile|\s+page)?$",
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


def extract_social(page: Page, data: dict[str, Any] | None = None) -> tuple[list[str], str]:
    """(profile URLs in page order, evidence of the first)."""
    found: dict[str, str] = {}
    try:
        for link in page.links:
            url = link.url
            if not url.startswith(("http://", "https://")):
                continue
            profile = normalise_profile(url)
            if profile is None and "me" in link.rel:
                profile = _mastodon_rel_me(url)
            if profile is None or profile in found:
                continue
            if "me" not in link.rel and not _names_network(link.text) and not page.is_boilerplate(link.element):
                block = link.element.xpath(_XP_BLOCK)
                if block:
                    context = " ".join(block[0].itertext())[:400]
                    if not _FOLLOW_CUE.search(context):
                        continue  # someone else's profile, mentioned in the article
            found[profile] = f"link: {url[:150]}"
        if data:
            for url in _same_as(data):
                profile = normalise_profile(url)
                if profile and profile not in found:
                    found[profile] = f"json-ld sameAs: {url[:150]}"
    except Exception:  # noqa: BLE001
        pass
    profiles = list(found)
    return profiles, (found[profiles[0]] if profiles else "")
