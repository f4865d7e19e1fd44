"""Email addresses on a page: mailto links, text, obfuscations, Cloudflare, JSON-LD.

Why not one regex over the raw HTML? It is slow (1.4–2.3 ms on a 100 KB page,
see FIELD-NOTES) and noisy: scripts carry Sentry DSNs, ``\\u003e``-escaped
markup and build hashes, stylesheets carry ``logo@2x.png``. Instead we

* read ``mailto:`` and Cloudflare ``/cdn-cgi/l/email-protection`` links and
  ``data-cfemail`` attributes from the parsed tree,
* scan the *visible* text (scripts and styles excluded, entities already
  decoded by the parser) only in small windows around each ``@``,
* look for the spelled-out forms (``name [at] site [dot] com``, ``name(at)site.com``,
  ``name AT site DOT com``, ``{at}``) only when their tokens occur at all,
* walk JSON-LD for ``email`` keys (``contactPoint`` included),

and pass every candidate through the same validator (real public suffix, no
file extensions, no placeholders, no hashes).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import unquote

from linkspider.common.domains import has_known_suffix as _has_known_suffix

from .html import Page, site_of

_LOCAL_TAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}$")
_DOMAIN_HEAD = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
_EMAIL_FULL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@"
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
_ESCAPE_PREFIX = re.compile(r"^(?:\\?[ux]00[0-9a-f]{2}|\\?x[0-9a-f]{2}|%[0-9a-f]{2}|\\[nrt])+", re.I)
_HEXISH = re.compile(r"^[0-9a-f]{16,}$")
_LONG_DIGITS = re.compile(r"\d{9,}")

# Spelled-out "at" and "dot" tokens of human obfuscation.
_AT_BRACKET = r"\s*[\[\(\{<]\s*(?:at|@)\s*[\]\)\}>]\s*"
_DOT_BRACKET = r"\s*[\[\(\{<]\s*(?:dot|\.)\s*[\]\)\}>]\s*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_OBF_BRACKET = re.compile(
    rf"([A-Za-z0-9._%+-]{{1,64}})(?:{_AT_BRACKET})({_LABEL}(?:(?:{_DOT_BRACKET}|\s+(?:dot|DOT)\s+|\.){_LABEL})+)",
)
_OBF_WORDS = re.compile(
    rf"([A-Za-z0-9._%+-]{{1,64}})\s+(?:at|AT)\s+({_LABEL}(?:(?:{_DOT_BRACKET}|\s+(?:dot|DOT)\s+){_LABEL})+)",
)
_OBF_SPACED_AT = re.compile(rf"([A-Za-z0-9._%+-]{{1,64}})[ \t]{{1,3}}@[ \t]{{0,3}}({_LABEL}(?:\.{_LABEL})+)|"
                            rf"([A-Za-z0-9._%+-]{{1,64}})[ \t]{{0,3}}@[ \t]{{1,3}}({_LABEL}(?:\.{_LABEL})+)")
_DOT_NORMAL = re.compile(rf"{_DOT_BRACKET}|\s+(?:dot|DOT)\s+")
# An address split by markup ("info <i>@</i> site.<i>de</i>" reads "info @ site. de"), or with only its
# dots spelled out ("jane@site dot com"). Tried besides the strict forms; what is no address fails validate().
_SPLIT_DOMAIN = re.compile(rf"([A-Za-z0-9._%+-]{{1,64}})[ \t]{{0,3}}@[ \t]{{0,3}}({_LABEL}(?:[ \t]?\.[ \t]?{_LABEL})+)")
_AT_THEN_DOT_WORDS = re.compile(rf"([A-Za-z0-9._%+-]{{1,64}})@({_LABEL}(?:\s+(?:dot|DOT)\s+{_LABEL})+)")

#: Extensions that end "addresses" which are really file names (``logo@2x.png``).
FILE_EXTENSIONS = frozenset(
    "png jpg jpeg gif svg webp avif bmp ico tif tiff css js mjs map json xml txt pdf zip gz tgz rar "
    "7z mp3 mp4 m4a mov avi webm ogg wav woff woff2 ttf otf eot php html htm asp aspx jsp cgi "
    "exe dmg apk md rs py rb go ts tsx jsx vue scss less".split()
)

#: Domains that appear in examples, placeholders and form hints, never as a real inbox.
PLACEHOLDER_DOMAINS = frozenset(
    """example.com example.org example.net example.edu domain.com yourdomain.com your-domain.com
    yoursite.com your-site.com yourwebsite.com website.com mysite.com mydomain.com sitename.com
    yourcompany.com company.com acme.com email.com emailaddress.com test.com testing.com
    sample.com placeholder.com domain.tld site.com somewhere.com somedomain.com nowhere.com anywhere.com
    yourserver.com myserver.com mailserver.com unknown.org unknown.com foo.com bar.com foobar.com
    contoso.com fabrikam.com northwindtraders.com adventure-works.com tailspintoys.com wingtiptoys.com
    litwareinc.com proseware.com woodgrovebank.com treyresearch.net beispiel.de beispiel.org beispiel.com
    ejemplo.com exemple.com exemple.fr""".split()
)
#: Keyboard and alphabet runs: "abc@def.com" is a made-up address in any text.
TOY_WORDS = frozenset("abc def ghi xyz asdf qwerty foo bar baz foobar aaa bbb xxx".split())
#: Labels that make a domain a stand-in in a tutorial ("me@my.server.com", "admin@host.local").
PLACEHOLDER_LABELS = frozenset("server myserver yourserver host myhost yourhost mailserver localdomain".split())
#: Local parts that mark a form hint or a documentation example.
PLACEHOLDER_LOCALS = frozenset(
    """you your yourname your.name yourself name firstname first.last firstname.lastname
    first.lastname john.doe jane.doe johndoe janedoe john.smith user username someone somebody
    email youremail your.email me test example sample foo bar""".split()
)
#: Local parts that only ever name a role in an example ("strTo = recipient@mail.com"), whatever the domain.
EXAMPLE_LOCALS = frozenset(
    """recipient sender someone somebody nobody joedoe max.mustermann maxmustermann erika.mustermann
    empfaenger absender destinatario remitente destinataire expediteur testuser""".split()
)
#: Infrastructure domains whose "addresses" are DSNs or build artefacts.
INFRA_DOMAINS = (
    "sentry.io", "sentry-next.wixpress.com", "wixpress.com", "sentry.wixpress.com",
    "ingest.sentry.io", "bugsnag.com", "rollbar.com", "segment.io", "datadoghq.com",
    "logrocket.io", "newrelic.com",
)

#: Local parts of shared inboxes (as opposed to a person's own address).
ROLE_LOCALS = frozenset(
    """info information contact contacts contactus hello hi hey editor editors editorial
    press media pr admin administrator support help helpdesk sales marketing team office
    enquiries enquiry inquiries inquiry webmaster submissions submission submit contribute
    contributors contributions guestpost guestposts guest guestblog writeforus write
    advertising advertise ads adverts partnerships partners partner newsletter news
    noreply donotreply mail email general feedback tips tip hr jobs careers billing
    accounts accounting legal privacy abuse postmaster hostmaster security service
    customerservice customercare care bookings booking reservations events membership
    members community social content redaktion redaccion redaction kontakt contacto
    presse prensa anzeigen publicidad publicite werbung studio desk newsdesk
    sponsorship sponsorships sponsor collab collaborations outreach links pitches pitch hola bonjour
    ideas stories writers orders order shop store hallo ciao hej team office""".split()
)
_ROLE_PREFIXES = (
    "info", "contact", "support", "press", "editor", "sales", "marketing", "admin",
    "noreply", "newsletter", "advertis", "partner", "submission", "contribut",
    "guestpost", "enquir", "inquir", "webmaster", "sponsor", "redak", "redac",
)


@lru_cache(maxsize=16384)
def has_known_suffix(domain: str) -> bool:
    """Cached: the same few domains recur on every page of a site."""
    return _has_known_suffix(domain)


def _split_local(local: str) -> str:
    return local.split("+", 1)[0]


def is_role(email: str) -> bool:
    """``editor@``, ``info@``, ``press@`` are shared inboxes; ``jane.doe@`` is a person."""
    local = _split_local(email.split("@", 1)[0].lower())
    flat = re.sub(r"[._\-\d]", "", local)
    if not flat:
        return False
    if local in ROLE_LOCALS or flat in ROLE_LOCALS:
        return True
    return any(flat.startswith(p) for p in _ROLE_PREFIXES)


def clean_candidate(local: str, domain: str) -> tuple[str, str] | None:
    """Strip escape debris from a raw (local, domain) pair; None when hopeless."""
    local = _ESCAPE_PREFIX.sub("", local.strip())
    local = local.lstrip(".-'%+_")
    domain = domain.strip().strip(".").lower()
    if not local or not domain:
        return None
    return local.lower(), domain


def validate(email: str, page_site: str = "") -> bool:
    """True when ``email`` looks like a deliverable, real-world address.

    Rejects: unknown public suffix (unless the address is on the page's own
    site, so offline test domains such as ``*.example`` still work), file names,
    placeholders, DSNs and hash-like or numeric local parts.
    """
    if len(email) > 254 or email.count("@") != 1:
        return False
    local, domain = email.split("@")
    if not local or not domain or len(local) > 64:
        return False
    if not _EMAIL_FULL.fullmatch(email):
        return False
    if ".." in local or local.startswith(".") or local.endswith("."):
        return False
    labels = domain.split(".")
    tld = labels[-1]
    if not tld.isalpha() or tld in FILE_EXTENSIONS:
        return False
    if any(lab.startswith("-") or lab.endswith("-") for lab in labels):
        return False
    # Retina images and other asset names: "logo@2x", "icon@3x.webp".
    if re.fullmatch(r"\d+(?:\.\d+)?x", labels[0]):
        return False
    if domain in PLACEHOLDER_DOMAINS or any(domain.endswith("." + d) for d in PLACEHOLDER_DOMAINS if d.startswith("example")):
        return False
    base_local = _split_local(local)
    if base_local in PLACEHOLDER_LOCALS and (domain in PLACEHOLDER_DOMAINS or labels[0] in {"domain", "yourdomain", "site", "example", "email", "company", "website"}):
        return False
    if base_local in {"you", "your", "yourname", "your.name", "youremail", "your.email", "name", "firstname.lastname", "first.last", "username"}:
        return False
    if base_local.rstrip("0123456789") in EXAMPLE_LOCALS or any(label in PLACEHOLDER_LABELS for label in labels[:-1]):
        return False
    if base_local in TOY_WORDS and labels[0] in TOY_WORDS:
        return False
    if any(domain == d or domain.endswith("." + d) for d in INFRA_DOMAINS):
        return False
    if base_local == "git" and labels[-2] in {"github", "gitlab", "bitbucket", "codeberg"}:
        return False  # SSH remotes ("git@github.com:user/repo.git"), not inboxes
    flat = base_local.replace(".", "").replace("-", "").replace("_", "")
    if _HEXISH.match(flat) or _LONG_DIGITS.search(flat):
        return False
    if len(flat) >= 20 and sum(c.isdigit() for c in flat) >= 6:
        return False  # build hashes, tracking ids
    if not has_known_suffix(domain):
        return bool(page_site) and site_of(domain) == page_site
    return True


def decode_cfemail(hexstr: str) -> str | None:
    """Cloudflare's email protection: first byte is the XOR key of the rest."""
    hexstr = hexstr.strip()
    if len(hexstr) < 4 or len(hexstr) % 2 or not re.fullmatch(r"[0-9a-fA-F]+", hexstr):
        return None
    try:
        data = bytes.fromhex(hexstr)
    except ValueError:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def parse_mailto(href: str) -> list[str]:
    """``mailto:a@x.com,b@x.com?subject=Hi&cc=c@x.com`` -> all addresses in it."""
    body = href.strip()[7:]
    addr_part, _, query = body.partition("?")
    out = []
    for chunk in re.split(r"[,;]", unquote(addr_part)):
        chunk = chunk.strip().strip("<>").strip()
        if "@" in chunk:
            out.append(chunk)
    if query:
        for pair in query.split("&"):
            key, _, value = pair.partition("=")
            if key.lower() in {"to", "cc", "bcc"}:
                for chunk in re.split(r"[,;]", unquote(value)):
                    chunk = chunk.strip()
                    if "@" in chunk:
                        out.append(chunk)
    return out


def _cut_off(text: str, start: int) -> bool:
    """True when the candidate is not an address at all: it would start in the middle of a word
    ("müller@", or "m\ufffdller@" from Latin-1 bytes on a page declared UTF-8, must not become "ller@"),
    or it is the second half of a Fediverse handle ("@name@fosstodon.org"). Dropped, never cut."""
    if start == 0 or start == len(text):
        return False
    before = text[start - 1]
    if before == "@":  # "@name@mastodon.social": a Fediverse handle, not an address
        return True
    return before == "\ufffd" or (ord(before) > 127 and before.isalnum())


_THIS_DOMAIN = re.compile(r"\b([A-Za-z0-9._%+-]{1,64})\s*(?:@|\[at\]|\(at\))\s*(?:this|the\s*same|our|my)[\s-]*"
                          r"(?:domain|site|website)\b", re.I)


def this_domain(text: str, site: str) -> Iterable[str]:
    """"Email me at tim @ this domain": the address on the page's own site."""
    if not site or "domain" not in text and "site" not in text:
        return
    for m in _THIS_DOMAIN.finditer(text):
        yield f"{m.group(1)}@{site}"


def scan_text(text: str) -> Iterable[tuple[str, str]]:
    """Yield (email, source) found in visible text, scanning only around ``@``.

    ``source`` is ``text`` for plain addresses and ``obfuscated`` for spelled-out
    or spaced forms.
    """
    find = text.find
    i = find("@")
    while i != -1:
        head = _LOCAL_TAIL.search(text, max(0, i - 64), i)
        tail = _DOMAIN_HEAD.match(text, i + 1, i + 256)
        if head and tail and not _cut_off(text, head.start()):
            pair = clean_candidate(head.group(0), tail.group(0))
            if pair:
                yield f"{pair[0]}@{pair[1]}", "text"
        i = find("@", i + 1)
    # Spaces around "@" ("jane @ site.com").
    if " @" in text or "@ " in text:
        for m in _OBF_SPACED_AT.finditer(text):
            local = m.group(1) or m.group(3)
            domain = m.group(2) or m.group(4)
            pair = clean_candidate(local, domain)
            if pair:
                yield f"{pair[0]}@{pair[1]}", "obfuscated"
        for m in _SPLIT_DOMAIN.finditer(text):
            if _cut_off(text, m.start(1)):
                continue
            pair = clean_candidate(m.group(1), re.sub(r"\s", "", m.group(2)))
            if pair:
                yield f"{pair[0]}@{pair[1]}", "obfuscated"
    low = text.lower()
    if " dot " in low and "@" in text:
        for m in _AT_THEN_DOT_WORDS.finditer(text):
            if _cut_off(text, m.start(1)):
                continue
            pair = clean_candidate(m.group(1), _DOT_NORMAL.sub(".", m.group(2)))
            if pair:
                yield f"{pair[0]}@{pair[1]}", "obfuscated"
    if "at]" in low or "at)" in low or "at}" in low or "at>" in low or "@)" in low or "@]" in low:
        for m in _OBF_BRACKET.finditer(text):
            pair = clean_candidate(m.group(1), _DOT_NORMAL.sub(".", m.group(2)))
            if pair:
                yield f"{pair[0]}@{pair[1]}", "obfuscated"
    if " dot " in low or "[dot]" in low or "(dot)" in low or "{dot}" in low:
        for m in _OBF_WORDS.finditer(text):
            pair = clean_candidate(m.group(1), _DOT_NORMAL.sub(".", m.group(2)))
            if pair:
                yield f"{pair[0]}@{pair[1]}", "obfuscated"


def _jsonld_emails(node: Any, depth: int = 0) -> Iterable[str]:
    if depth > 12:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.lower() in {"email", "schema:email"}:
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if isinstance(v, str):
                        yield v
                    elif isinstance(v, dict):
                        yield from _jsonld_emails(v, depth + 1)
            elif isinstance(value, (dict, list)):
                yield from _jsonld_emails(value, depth + 1)
    elif isinstance(node, list):
        for item in node[:500]:
            yield from _jsonld_emails(item, depth + 1)


def extract_emails(page: Page, structured: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """All valid addresses on the page, lower-cased, de-duplicated, roughly in page order.

    Each is ``{"email", "source", "own_domain", "role", "url"}``.
    """
    found: dict[str, dict[str, Any]] = {}
    site = page.site

    def add(raw: str, source: str, own_only: bool = False) -> None:
        raw = raw.strip().strip("<>()[]\"',;:").lower()
        if raw.startswith("mailto:"):
            raw = raw[7:]
        if "@" not in raw:
            return
        local, _, domain = raw.rpartition("@")
        pair = clean_candidate(local, domain)
        if not pair:
            return
        email = f"{pair[0]}@{pair[1]}"
        if email in found or (own_only and site_of(pair[1]) != site) or not validate(email, site):
            return
        found[email] = {
            "email": email,
            "source": source,
            "own_domain": bool(site) and site_of(pair[1]) == site,
            "role": is_role(email),
            "url": page.url,
        }

    try:
        if page.root is not None:
            for link in page.links:
                href = link.url
                low = href[:8].lower()
                if low.startswith("mailto:"):
                    for addr in parse_mailto(href):
                        add(addr, "mailto")
                elif "/cdn-cgi/l/email-protection" in href and "#" in href:
                    decoded = decode_cfemail(href.rsplit("#", 1)[1])
                    if decoded:
                        add(decoded, "cfemail")
            if "data-cfemail" in page.html:
                for value in page.root.xpath("//@data-cfemail"):
                    decoded = decode_cfemail(str(value))
                    if decoded:
                        add(decoded, "cfemail")
            # Code samples are where tutorial addresses live (git config, scp, SMTP examples): an address
            # seen in one counts only on the page's own site (the rest of the text is scanned as it is:
            # cheaper than reading it again without the code, and an example is rarely in both).
            in_code = {email for email, _ in scan_text(page.code_text)}
            for email, source in scan_text(page.text):
                add(email, source, own_only=email in in_code)
            for email in this_domain(page.text.lower(), site):
                add(email, "obfuscated")
        if structured:
            for item in structured.get("json-ld") or []:
                for value in _jsonld_emails(item):
                    add(value, "jsonld")
            for item in structured.get("microdata") or []:
                for value in _jsonld_emails(item):
                    add(value, "microdata")
    except Exception:  # noqa: BLE001 - hostile input never raises
        pass
    return list(found.values())
