"""Registrable domains: the key of every site in linkspider.

A *site* is a registrable domain ("eTLD+1"): ``blog.example.co.uk`` and
``www.example.co.uk`` are both ``example.co.uk``. tldextract decides where the
public suffix ends, using the Public Suffix List snapshot bundled with the
package: the default extractor fetches the list over the network on first use,
with no timeout, and hangs on a machine without internet (see FIELD-NOTES).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

# One extractor for the process: bundled suffix list, no cache dir, no fetching.
_EXTRACT = tldextract.TLDExtract(
    suffix_list_urls=(),
    cache_dir=None,
    # Private suffixes (blogspot.com, wordpress.com, github.io...) make each
    # hosted blog its own site, which is what a link builder pitches.
    include_psl_private_domains=True,
)


def hostname(url: str) -> str:
    """The lower-cased host of a URL (or of a bare domain such as ``example.com``)."""
    text = url.strip()
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


@lru_cache(maxsize=65536)
def _registrable(host: str) -> str:
    if not host:
        return ""
    parts = _EXTRACT(host)
    return parts.top_domain_under_public_suffix or ""


def registrable_domain(url_or_host: str) -> str:
    """``https://Blog.Example.co.uk/x`` -> ``example.co.uk``; ``""`` when there is none.

    IP addresses, ``localhost`` and hosts under no known public suffix have no
    registrable domain and give ``""``.
    """
    return _registrable(hostname(url_or_host))


def domain_label(url_or_host: str) -> str:
    """The label left of the public suffix: ``shop.amazon.co.uk`` -> ``amazon``."""
    host = hostname(url_or_host)
    return _EXTRACT(host).domain if host else ""


def has_known_suffix(host: str) -> bool:
    """True when the host ends in a suffix of the Public Suffix List (``.com``, ``.co.uk``...)."""
    return bool(_EXTRACT(host.lower()).suffix)


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs belong to the same registrable domain."""
    a = registrable_domain(url_a)
    return bool(a) and a == registrable_domain(url_b)
