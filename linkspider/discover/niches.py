"""Niche profiles (``seeds/<niche>.toml``), seed lists and the blocklist.

A niche profile says what a niche is about and where its crawl starts::

    name = "fitness"
    description = "Strength training, running, home workouts, nutrition"
    keywords = ["fitness", "workout", "strength training"]   # or a table {kw = weight}
    negative_keywords = ["casino", "payday loan"]
    competitors = ["bodybuilding.com"]
    domain = "mysite.com"            # your own site (or a list): sites linking to it are not prospects
    min_relevance = 0.3              # optional: sites below it are no prospects (default PROSPECT_MIN_RELEVANCE)
    brand = "My Site"                # your brand: pages naming it without a link are prospects
    articles = ["https://mysite.com/blog/best-post/"]   # your best articles (scrapy crawl article)
    about = "Optional free text describing your own site."
    seeds = "fitness-seeds.txt"      # a file next to the profile, or an inline list

Seed lists hold one site per line: a URL or a bare domain, ``#`` starting a
comment, in any encoding an editor writes (``linkspider.common.inputs``). A line that
is not a usable URL (no host, an impossible port, an email address) is
reported with ``file:line`` and skipped; the rest of the list still runs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from linkspider.common.domains import (
    domain_label,
    has_known_suffix,
    hostname,
    registrable_domain,
)
from linkspider.common.inputs import (
    InputError,
    clean_authority,
    hide_userinfo,
    read_text,
)


class NicheError(InputError):
    """A niche profile that does not exist or cannot be read."""


@dataclass(frozen=True)
class SeedEntry:
    url: str  # normalised absolute URL to start the site walk from
    domain: str  # registrable domain
    source: str  # "path:line" (or "profile:<niche>" for inline seeds)


@dataclass
class SeedList:
    entries: list[SeedEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "path:line: why (text)"
    blocked: list[str] = field(default_factory=list)  # "path:line: domain"


@dataclass
class NicheProfile:
    name: str
    path: Path
    description: str = ""
    keywords: dict[str, float] = field(default_factory=dict)
    negative_keywords: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)  # the user's own sites (registrable domains)
    brand: str = ""  # the user's brand, for unlinked mentions
    articles: list[str] = field(default_factory=list)  # URLs of the user's articles (the article spider)
    about: str = ""
    seeds: list[str] | None = None  # inline seed lines
    seed_file: Path | None = None
    min_relevance: float | None = None  # None: the setting PROSPECT_MIN_RELEVANCE


def available_niches(seeds_dir: str | Path) -> list[str]:
    """Profiles in the folder: TOML files with keywords (not the nightly plan, say)."""
    names = []
    for path in sorted(Path(seeds_dir).glob("*.toml")):
        try:
            if "keywords" in tomllib.loads(path.read_text(encoding="utf-8")):
                names.append(path.stem)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            names.append(path.stem)  # a broken profile is still a profile: load_niche says what is wrong
    return names


def check_niche_name(name: str | None) -> str:
    """The name, if it can name a profile file and a job folder; NicheError otherwise
    (``../../etc`` would put a nightly job's folder outside ``--jobs-dir``)."""
    if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*", name or ""):
        raise NicheError(f"invalid niche name {name!r}: use letters, digits, '-', '_'")
    return str(name)


def load_niche(name: str, seeds_dir: str | Path) -> NicheProfile:
    """Read ``seeds_dir/<name>.toml``; an unknown niche names the ones that exist."""
    seeds_dir = Path(seeds_dir)
    check_niche_name(name)
    path = seeds_dir / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(available_niches(seeds_dir)) or "none"
        raise NicheError(f"unknown niche {name!r}: no {path}. Available niches: {known}")
    try:
        data = tomllib.loads(read_text(path, "niche profile"))
    except InputError as exc:
        raise NicheError(str(exc)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise NicheError(f"{path}: not a valid niche profile: {exc}") from exc

    if "keywords" not in data:
        raise NicheError(f"{path} is not a niche profile (it has no keywords)")
    raw_keywords = data.get("keywords", [])
    if isinstance(raw_keywords, dict):
        keywords = {str(k).lower(): float(v) for k, v in raw_keywords.items()}
    else:
        keywords = {str(k).lower(): 1.0 for k in raw_keywords}
    seeds = data.get("seeds")
    threshold = data.get("min_relevance")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))
                                  or not 0 <= threshold <= 1):
        raise NicheError(f"{path}: min_relevance must be a number from 0 to 1, not {threshold!r}")
    profile = NicheProfile(
        name=str(data.get("name", name)),
        path=path,
        description=str(data.get("description", "")),
        keywords=keywords,
        negative_keywords=[str(k).lower() for k in data.get("negative_keywords", [])],
        competitors=[registrable_domain(c) or c for c in data.get("competitors", [])],
        domains=_own_domains(data.get("domain", []), path),
        brand=" ".join(str(data.get("brand", "")).split()),
        articles=_article_urls(data.get("articles", []), path),
        about=str(data.get("about", "")),
        min_relevance=None if threshold is None else float(threshold),
    )
    if isinstance(seeds, str):
        profile.seed_file = seeds_dir / seeds
    elif isinstance(seeds, list):
        profile.seeds = [str(s) for s in seeds]
    elif seeds is not None:
        raise NicheError(f"{path}: 'seeds' must be a file name or a list of URLs")
    return profile


def _own_domains(value: object, path: Path) -> list[str]:
    """``domain = "mysite.com"`` (or a list, or URLs) -> registrable domains; NicheError naming a bad one."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list):
        raise NicheError(f"{path}: 'domain' must be your site's domain or a list of them")
    out = []
    for text in values:
        parsed = parse_seed_line(str(text))
        if isinstance(parsed, str):
            raise NicheError(f"{path}: domain {str(text)[:120]!r}: {parsed}")
        out.append(parsed[1])
    return list(dict.fromkeys(out))


def _article_urls(value: object, path: Path) -> list[str]:
    """``articles = ["https://mysite.com/post/", ...]`` -> URLs; NicheError naming one that is not a URL."""
    if not isinstance(value, list):
        raise NicheError(f"{path}: 'articles' must be a list of your articles' URLs")
    out = []
    for text in value:
        parsed = parse_seed_line(str(text))
        if isinstance(parsed, str):
            raise NicheError(f"{path}: article {str(text)[:120]!r}: {parsed}")
        out.append(parsed[0])
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------- seeds

_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_HOST_PORT_RE = re.compile(r"^[^:/]+:\d+(/|$)")


def strip_comment(line: str) -> str:
    """Drop a ``#`` comment that starts the line or follows whitespace (a URL's ``#frag`` stays)."""
    return re.sub(r"(^|\s)#.*$", "", line).strip()


def parse_seed_line(text: str) -> tuple[str, str] | str:
    """One seed line -> ``(url, domain)``, or a string saying why it is unusable.

    Bare domains get ``https://``. A tab- or comma-separated line (a pasted
    spreadsheet row) contributes its first field. ``user:password@`` is dropped
    (the URL is stored and exported); an impossible port or host name is a reason.
    """
    token = re.split(r"[\t,]", text.strip(), maxsplit=1)[0].strip()
    if not token:
        return "empty"
    if any(ch.isspace() for ch in token):
        return "not a URL or domain (contains spaces)"
    lower = token.lower()
    if not lower.startswith(("http://", "https://")):
        if _SCHEME_RE.match(token) and not _HOST_PORT_RE.match(token):
            return "unsupported scheme (use http:// or https://, or a bare domain)"
        if token.startswith(("/", ":", ".")):
            return "not a URL or domain"
        if "@" in token.split("/", 1)[0]:
            # Only a URL may carry a user name (and loses it); "@host.com" or
            # "jane@host.com" is a handle or an email address, not a site.
            return "an email address or @handle, not a URL or domain"
        token = "https://" + token
    try:
        parts = urlsplit(token)
    except ValueError as exc:
        return f"not a URL ({exc})"
    netloc, why = clean_authority(parts)  # drops user:password@, checks host and port
    if why:
        return why
    host = hostname(netloc)
    if "." not in host or not has_known_suffix(host):
        return f"{host!r} is not under a known public suffix"
    domain = registrable_domain(host)
    if not domain:
        return f"{host!r} has no registrable domain"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, parts.fragment)), domain


def read_seed_lines(lines: list[str], source: str, blocklist: Blocklist | None = None) -> SeedList:
    """Parse seed lines; ``source`` names them in messages (a path, or the profile)."""
    result = SeedList()
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        text = strip_comment(raw)
        if not text:
            continue
        parsed = parse_seed_line(text)
        where = f"{source}:{number}"
        if isinstance(parsed, str):
            result.errors.append(f"{where}: {parsed}: {hide_userinfo(raw.strip())[:120]!r}")
            continue
        url, domain = parsed
        if blocklist is not None and blocklist.blocks(domain):
            result.blocked.append(f"{where}: {domain}")
            continue
        if url not in seen:
            seen.add(url)
            result.entries.append(SeedEntry(url=url, domain=domain, source=where))
    return result


def read_seed_file(path: str | Path, blocklist: Blocklist | None = None) -> SeedList:
    """A seed list file in any encoding an editor writes; NicheError when it is not a readable text file."""
    try:
        text = read_text(path, "seed list")
    except InputError as exc:
        raise NicheError(str(exc)) from exc
    return read_seed_lines(text.splitlines(), str(path), blocklist)


def profile_seeds(profile: NicheProfile, blocklist: Blocklist | None = None) -> SeedList:
    """The seed list a niche profile names (inline list or file)."""
    if profile.seed_file is not None:
        return read_seed_file(profile.seed_file, blocklist)
    if profile.seeds is not None:
        return read_seed_lines(profile.seeds, f"{profile.path}[seeds]", blocklist)
    return SeedList()


# ----------------------------------------------------------------- blocklist


class Blocklist:
    """Registrable domains that are never prospects.

    ``facebook.com`` blocks every host under it; ``amazon.*`` blocks the
    ``amazon`` label under any public suffix (amazon.de, amazon.co.uk...).
    """

    def __init__(self, entries: list[str] | None = None) -> None:
        self.domains: set[str] = set()
        self.labels: set[str] = set()
        for entry in entries or []:
            self.add(entry)

    def add(self, entry: str) -> None:
        entry = entry.split("#", 1)[0].strip().lower()
        if not entry:
            return
        if entry.endswith(".*"):
            self.labels.add(entry[:-2])
        else:
            self.domains.add(registrable_domain(entry) or entry)

    def blocks(self, url_or_domain: str) -> bool:
        domain = registrable_domain(url_or_domain)
        if not domain:
            return False
        return domain in self.domains or domain_label(domain) in self.labels

    @classmethod
    def from_file(cls, path: str | Path) -> Blocklist:
        path = Path(path)
        if not path.is_file():
            raise NicheError(f"blocklist {path} not found")
        return cls(path.read_text(encoding="utf-8").splitlines())

    def __len__(self) -> int:
        return len(self.domains) + len(self.labels)
