"""Read backlink exports of SEO tools, whatever tool, encoding and delimiter made them.

Link builders bring what their tool gives them, and the tools disagree on
everything: Ahrefs writes UTF-16 with tabs, Semrush UTF-8 with commas, a file
re-saved by a European Excel has semicolons and cp1252, Majestic's raw download
spells columns ``SourceURL`` where its UI export says ``Source URL``. So the
format is *detected* from the header row (column names compared without case,
spaces or punctuation), never taken from the file name, and every format is a
row of :data:`FORMATS` mapping its columns onto one :class:`Backlink`.

Like seed lists, a bad row (no usable referring URL, an ``ftp:`` link, a
spreadsheet's "Total" line) is reported as ``path:line: why`` and skipped; the
rest of the export still runs. A file that cannot be read, is empty, or whose
header matches no known tool raises :class:`BacklinkError` naming the file, the
columns it found and the columns each format expects.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from linkspider.common.domains import has_known_suffix, hostname, registrable_domain
from linkspider.common.inputs import (
    InputError,
    check_file,
    clean_authority,
    decode_text,
    looks_binary,
)
from linkspider.discover.niches import parse_seed_line, strip_comment


class BacklinkError(ValueError):
    """A backlink export that cannot be read at all (missing, empty, unknown format)."""


@dataclass(frozen=True)
class Backlink:
    """One link from a referring page, as a tool reported it.

    ``nofollow``/``sponsored``/``ugc`` are ``None`` when the export does not
    say (Search Console, plain lists): unknown is not the same as followed.
    Dates are ISO ``YYYY-MM-DD`` when they parse, else the text as exported.
    """

    referring_url: str  # normalised absolute http(s) URL of the page that links
    target_url: str | None = None  # the page linked to (a competitor's); None when not exported
    anchor: str = ""
    nofollow: bool | None = None
    sponsored: bool | None = None
    ugc: bool | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    source_line: int = 0  # 1-based physical line of the row in the file
    source: str = ""  # "path:line", the provenance stored with the prospect
    title: str = ""  # referring page title, when exported
    lost: bool | None = None  # the tool says the link has gone (worth re-checking, not dropping)
    metrics: dict[str, float] = field(default_factory=dict, compare=False)  # domain_rating, trust_flow...

    @property
    def referring_domain(self) -> str:
        return registrable_domain(self.referring_url)

    @property
    def target_domain(self) -> str:
        return registrable_domain(self.target_url) if self.target_url else ""

    @property
    def followed(self) -> bool | None:
        """True/False when the export says how the link is marked, None when it does not."""
        flags = (self.nofollow, self.sponsored, self.ugc)
        if any(f is True for f in flags):
            return False
        if self.nofollow is False:
            return True
        return None


@dataclass
class BacklinkImport:
    """The result of reading one export: its detected format, good rows, and what was skipped."""

    path: str
    format: str  # a key of FORMATS, or "plain"
    rows: list[Backlink] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "path:line: why: 'text'"
    encoding: str = "utf-8"
    delimiter: str | None = None  # None for plain lists
    columns: list[str] = field(default_factory=list)  # the header row as written

    def referring_urls(self) -> list[str]:
        """Distinct referring page URLs in file order: what the spider fetches, once each."""
        return list(dict.fromkeys(row.referring_url for row in self.rows))


# ------------------------------------------------------------------ formats


def _key(cell: str) -> str:
    """A column name compared without case, spaces or punctuation: 'Referring Page URL' -> 'referringpageurl'."""
    return re.sub(r"[^a-z0-9]", "", cell.replace("\ufeff", "").lower())


@dataclass(frozen=True)
class _Format:
    name: str
    label: str  # as a person names it, in messages
    expects: tuple[str, ...]  # the columns that identify it, spelled as the tool writes them
    detect: Callable[[set[str]], bool]
    referring: tuple[str, ...]  # column keys, first present wins
    site_only: bool = False  # the column holds a site, not a page: use its root URL
    target: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    anchor: tuple[str, ...] = ()
    nofollow: tuple[str, ...] = ()
    follow: tuple[str, ...] = ()  # inverse flag ("Followable": yes)
    sponsored: tuple[str, ...] = ()
    ugc: tuple[str, ...] = ()
    link_type: tuple[str, ...] = ()  # a cell naming rel values ("dofollow", "nofollow", "ugc"...)
    first_seen: tuple[str, ...] = ()
    last_seen: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    metrics: tuple[tuple[str, str], ...] = ()  # (column key, metric name)


def _has(*keys: str) -> Callable[[set[str]], bool]:
    return lambda cols: all(k in cols for k in keys)


# Column names of a plain two-column list of links (the `pairs` format).
_PAIR_PAGES = frozenset({"page", "pageurl", "linkingpage", "linkingpageurl", "referringurl", "referringpage",
                         "sourceurl", "source", "from", "url"})
_PAIR_TARGETS = frozenset({"target", "targeturl", "targetpage", "linksto", "linkedpage", "linkedurl", "to",
                           "destination", "destinationurl"})
_MAJESTIC_MARKS = ("flagnofollow", "flagdeleted", "flagredirect", "sourcetrustflow", "sourcecitationflow",
                   "targettrustflow", "acrank")
_MOZ_MARKS = ("anchortext", "spamscore", "domainauthority", "pageauthority", "followable", "linktype", "da", "pa")

#: Every export linkspider recognises, in detection order (the first whose
#: ``detect`` accepts the header wins; Majestic before Semrush, which share ``Source URL``).
FORMATS: dict[str, _Format] = {f.name: f for f in (
    _Format(
        name="ahrefs", label="Ahrefs Site Explorer backlinks",
        expects=("Referring page URL", "Referring page title", "Target URL", "Anchor", "Nofollow", "UGC",
                 "Sponsored", "First seen", "Last seen", "Lost"),
        detect=_has("referringpageurl"),
        referring=("referringpageurl",), target=("targeturl", "linkurl"),
        title=("referringpagetitle",), anchor=("anchor", "linkanchor", "anchortext"),
        nofollow=("nofollow",), sponsored=("sponsored",), ugc=("ugc",), link_type=("linktype", "type"),
        first_seen=("firstseen",), last_seen=("lastseen", "lastcheck", "lastchecked"),
        lost=("lost", "lostdate", "daylost", "loststatus", "backlinkstatus"),
        metrics=(("domainrating", "domain_rating"), ("ur", "url_rating"), ("urlrating", "url_rating"),
                 ("pagetraffic", "page_traffic"), ("domaintraffic", "domain_traffic")),
    ),
    _Format(
        name="majestic", label="Majestic backlinks",
        expects=("Source URL", "Target URL", "Anchor Text", "Flag NoFollow", "Flag Deleted", "Source Trust Flow",
                 "Source Citation Flow", "First Indexed Date", "Last Seen Date"),
        detect=lambda cols: "sourceurl" in cols and any(m in cols for m in _MAJESTIC_MARKS),
        referring=("sourceurl",), target=("targeturl",), title=("sourcetitle", "title"),
        anchor=("anchortext", "anchor"), nofollow=("flagnofollow", "nofollow"), link_type=("linktype",),
        first_seen=("firstindexeddate", "firstindexed", "firstseen"),
        last_seen=("lastseendate", "lastseen", "crawldate", "date"),
        lost=("flagdeleted", "datelost", "reasonlost"),
        metrics=(("sourcetrustflow", "trust_flow"), ("sourcecitationflow", "citation_flow"),
                 ("acrank", "ac_rank")),
    ),
    _Format(
        name="semrush", label="Semrush backlinks",
        expects=("Source url", "Source title", "Target url", "Anchor", "Nofollow", "Sponsored", "Ugc",
                 "First seen", "Last seen", "Page ascore"),
        detect=_has("sourceurl", "targeturl"),
        referring=("sourceurl",), target=("targeturl",), title=("sourcetitle",), anchor=("anchor",),
        nofollow=("nofollow",), sponsored=("sponsored",), ugc=("ugc",),
        first_seen=("firstseen",), last_seen=("lastseen",), lost=("lostlink",),
        metrics=(("pageascore", "page_ascore"),),
    ),
    _Format(
        name="moz", label="Moz Link Explorer inbound links",
        expects=("URL", "Title", "Target URL", "Anchor Text", "Spam Score", "Domain Authority", "Page Authority",
                 "Link Type"),
        detect=lambda cols: "url" in cols and "targeturl" in cols and any(m in cols for m in _MOZ_MARKS),
        referring=("url",), target=("targeturl",), title=("title",), anchor=("anchortext", "anchor"),
        nofollow=("nofollow",), follow=("followable", "follow"), sponsored=("sponsored",), ugc=("ugc",),
        link_type=("linktype", "linkstate"),
        first_seen=("datefirstseen", "firstseen"), last_seen=("datelastseen", "lastseen"),
        lost=("lost", "datelost"),
        metrics=(("domainauthority", "domain_authority"), ("da", "domain_authority"),
                 ("pageauthority", "page_authority"), ("pa", "page_authority"), ("spamscore", "spam_score")),
    ),
    _Format(
        name="gsc-links", label="Search Console 'Latest links' / 'More sample links'",
        expects=("Linking page", "Last crawled"),
        detect=_has("linkingpage"),
        referring=("linkingpage",), last_seen=("lastcrawled",),
    ),
    _Format(
        name="gsc-sites", label="Search Console 'Top linking sites'",
        expects=("Site", "Linking pages", "Target pages"),
        detect=lambda cols: "site" in cols or "linkingsite" in cols,
        referring=("site", "linkingsite"), site_only=True,
        metrics=(("linkingpages", "linking_pages"), ("targetpages", "target_pages"), ("links", "links")),
    ),
    _Format(
        name="ahrefs-domains", label="Ahrefs referring domains",
        expects=("Domain", "Domain rating", "Dofollow ref. domains", "Links to target", "First seen"),
        detect=lambda cols: "domainrating" in cols and ("domain" in cols or "referringdomain" in cols),
        referring=("domain", "referringdomain"), site_only=True,
        first_seen=("firstseen",), last_seen=("lastseen",), lost=("lost",),
        metrics=(("domainrating", "domain_rating"), ("linkstotarget", "links_to_target")),
    ),
    _Format(
        name="semrush-domains", label="Semrush referring domains",
        expects=("Domain ascore", "Domain", "Backlinks", "First seen", "Last seen"),
        detect=_has("domainascore", "domain"),
        referring=("domain",), site_only=True, first_seen=("firstseen",), last_seen=("lastseen",),
        metrics=(("domainascore", "domain_ascore"), ("backlinks", "backlinks")),
    ),
    # Your own two-column list of links (`linkspider links import`): the page that links, and where to.
    _Format(
        name="pairs", label="two columns: the linking page and the page it links to",
        expects=("Page URL", "Target URL"),
        detect=lambda cols: bool(cols & _PAIR_PAGES) and bool(cols & _PAIR_TARGETS),
        referring=tuple(sorted(_PAIR_PAGES)), target=tuple(sorted(_PAIR_TARGETS)),
        anchor=("anchor", "anchortext"), title=("title",),
    ),
)}

# Exports of the right tools that hold no referring pages: say so instead of "unknown format".
_USELESS = (
    (_has("targetpage", "incominglinks"),
     "a Search Console 'Top linked pages' export lists your own pages, not the pages linking to them; "
     "export 'Latest links' or 'Top linking sites' instead"),
    (_has("linkingtext"),
     "a Search Console 'Top linking text' export holds anchor texts only; "
     "export 'Latest links' or 'Top linking sites' instead"),
)

# A one-column file whose header is one of these is a plain list with a title line.
_PLAIN_HEADERS = {"url", "urls", "link", "links", "page", "pages", "referringurl", "referringpage",
                  "referringpageurl", "sourceurl", "linkingpage", "domain", "domains", "site", "sites"}

_HEADER_SCAN_LINES = 10  # some exports put a title or a blank line above the header


# ------------------------------------------------------------------ values

_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_HOST_PORT_RE = re.compile(r"^[^:/]+:\d+(/|$)")


def normalise_url(raw: str, *, root: bool = False) -> tuple[str | None, str]:
    """An exported URL cell -> ``(url, "")`` or ``(None, why)``.

    Whitespace and wrapping quotes go, bare domains and ``//host`` get
    ``https:``, inner spaces become ``%20`` (tools export decoded URLs), scheme
    and host are lower-cased, ``user:password@`` and the fragment dropped; an
    impossible port or host name (``=host.com``) and an email address or
    ``@handle`` are reasons. ``root`` keeps only ``scheme://host/``, for
    exports that list sites rather than pages.
    """
    text = raw.strip().strip("\"'<>").strip()
    if not text:
        return None, "no referring URL"
    if text.startswith("//"):
        text = "https:" + text
    low = text.lower()
    if not low.startswith(("http://", "https://")):
        scheme = _SCHEME_RE.match(text)
        if scheme and not _HOST_PORT_RE.match(text):
            return None, f"unsupported scheme {scheme.group(1).lower()!r} (only http and https pages can be visited)"
        if text.startswith(("/", ".", ":", "?")):
            return None, "not an absolute URL"
        if "@" in text.split("/", 1)[0]:
            return None, "an email address or @handle, not a URL or domain"
        text = "https://" + text
    if " " in text.split("/", 3)[2]:  # after "https://" there are always two slashes
        return None, "not a URL or domain (spaces in the host name)"
    if re.search(r"[\t\r\n\v\f]", text):
        return None, "not a URL (contains line breaks or tabs)"
    text = text.replace(" ", "%20")
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        return None, f"not a URL ({exc})"
    netloc, why = clean_authority(parts)  # drops user:password@, checks host and port
    if why:
        return None, why
    problem = _host_problem(hostname(netloc))
    if problem:
        return None, problem
    if root:
        return f"{parts.scheme.lower()}://{netloc}/", ""
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, "")), ""


@lru_cache(maxsize=65536)
def _host_problem(host: str) -> str:
    """Why a host cannot be a referring site ("" when it can); cached: exports repeat hosts a lot."""
    try:
        host.encode("idna")
    except UnicodeError:
        return f"invalid host name {host!r}"
    if _is_ip(host):
        return ""
    if "." not in host:
        return f"not a URL or domain ({host!r} has no dot)"
    if not has_known_suffix(host):
        return f"{host!r} is not under a known public suffix"
    return ""


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


_TRUE = {"true", "yes", "y", "1", "+", "x", "t", "on", "nofollow", "lost", "deleted", "removed"}
_FALSE = {"false", "no", "n", "0", "-", "f", "off", "", "live", "active", "new", "found", "dofollow", "follow"}


def _flag(text: str) -> bool | None:
    """Yes/no in any tool's spelling (true/false, yes/no, 1/0, +/-); None when it is something else."""
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def _lost(text: str) -> bool:
    """A 'Lost' cell: empty or 'live' means not lost; a date, a reason or 'true' means lost."""
    flag = _flag(text)
    return bool(text.strip()) if flag is None else flag


def _rel_tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[^a-z]+", text.lower()) if t}


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y",
                 "%b %d %Y", "%Y%m%d")


def parse_date(text: str) -> str | None:
    """An exported date -> ``YYYY-MM-DD``; the text as written when no format fits; None when empty.

    Slashed dates with both parts <= 12 are read as US ``MM/DD/YYYY`` (every
    tool here is American); ``25/03/2024`` can only be day-first.
    """
    value = text.strip()
    if not value or value.lower() in {"-", "n/a", "none", "null"}:
        return None
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$", value)
    if m:
        return m.group(1)
    if re.fullmatch(r"\d{10}(\.\d+)?|\d{13}", value):  # Unix time in seconds or milliseconds
        seconds = float(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%d")
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?", value)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        month, day = (b, a) if a > 12 else (a, b)
        try:
            return datetime(year, month, day).strftime("%Y-%m-%d")
        except ValueError:
            return value
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return value


def _number(text: str) -> float | None:
    value = text.strip().replace(",", "").replace("%", "").replace("\u00a0", "")
    try:
        return float(value)
    except ValueError:
        return None


# ------------------------------------------------------------------ reading


def _split_header(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _detect(cells: list[str]) -> _Format | None:
    cols = {_key(c) for c in cells}
    for fmt in FORMATS.values():
        if fmt.detect(cols):
            return fmt
    return None


def _expected_columns() -> str:
    lines = [f"{fmt.label}: {', '.join(repr(c) for c in fmt.expects)}" for fmt in FORMATS.values()]
    lines.append("or a plain list with one URL or domain per line ('#' comments)")
    return "; ".join(lines)


def read_backlinks(path: str | Path, *, format: str | None = None) -> BacklinkImport:  # noqa: A002
    """Read one backlink export, detecting its tool, encoding and delimiter.

    ``format`` (a key of :data:`FORMATS`, or ``"plain"``) skips detection for a
    header the detector does not know but whose columns match that tool.
    Raises :class:`BacklinkError` when the file is missing, empty, an
    unpacked-spreadsheet archive, or of no known format.
    """
    try:
        path = check_file(path, "backlink export")
        data = path.read_bytes()
    except InputError as exc:
        raise BacklinkError(str(exc)) from exc
    except OSError as exc:
        raise BacklinkError(f"cannot read backlink export {path}: {exc.strerror or exc}") from exc
    if data.startswith(b"PK\x03\x04"):
        raise BacklinkError(f"{path}: is a ZIP archive (an .xlsx workbook or a zipped export): "
                            "unzip it, or export the report as CSV, and pass the CSV file")
    text, encoding = decode_text(data)
    text = text.lstrip("\ufeff")
    if looks_binary(text):
        raise BacklinkError(f"{path}: is not a text file (it holds binary data); export the report as CSV")
    if not text.strip():
        raise BacklinkError(f"{path}: the backlink export is empty. Expected a header row with the columns of "
                            f"{_expected_columns()}")
    if format is not None and format != "plain" and format not in FORMATS:
        known = ", ".join([*FORMATS, "plain"])
        raise BacklinkError(f"unknown backlink format {format!r} for {path}: use one of {known}")

    lines = io.StringIO(text, newline="").readlines()
    sep_hint: str | None = None
    first = 0
    # Excel's "sep=;" first line names the delimiter.
    m = re.fullmatch(r'"?sep=(.)"?\s*', lines[0]) if lines else None
    if m:
        sep_hint, first = m.group(1), 1

    if format == "plain":
        return _read_plain(lines, str(path), encoding, start=first)

    forced = FORMATS.get(format) if format else None
    delimiters = [sep_hint] if sep_hint else ["\t", ",", ";", "|"]
    widest: list[str] = []  # the first non-blank line, split the widest way: shown in errors
    seen_content = False  # passed the first line that is not blank or a comment
    for index in range(first, min(len(lines), first + _HEADER_SCAN_LINES)):
        line = lines[index].rstrip("\r\n")
        if not line.strip():
            continue
        # A '#' line is a comment of a plain list, or the header of an Ahrefs export ("#,Domain Rating,...").
        comment = line.lstrip().startswith("#")
        for delimiter in delimiters:
            cells = _split_header(line, delimiter)
            if not seen_content and not comment and len(cells) > len(widest):
                widest = cells
            if forced is not None:
                fmt = forced if _covers(forced, cells) else None
            else:
                fmt = _detect(cells)
            if fmt is not None:
                return _read_table(fmt, lines, index, delimiter, cells, str(path), encoding)
        seen_content = seen_content or not comment

    # No tool header: a plain list of URLs, perhaps under a one-word title line.
    content = [(i, t) for i, t in ((i, strip_comment(lines[i])) for i in range(first, len(lines))) if t][:5]
    if not content:
        raise BacklinkError(f"{path}: the backlink export has only comments and blank lines; expected one URL "
                            "per line, or the header row of a tool's export")
    if _key(content[0][1]) in _PLAIN_HEADERS:
        return _read_plain(lines, str(path), encoding, start=content[0][0] + 1)
    urls = [not isinstance(parse_seed_line(t), str) for _, t in content]
    # A URL first, or a one-cell first line among mostly URLs: a plain list, bad lines reported one by one.
    if urls[0] or len(widest) <= 1 and sum(urls) * 2 >= len(urls):
        return _read_plain(lines, str(path), encoding, start=first)
    for useless, why in _USELESS:
        if useless({_key(c) for c in widest}):
            raise BacklinkError(f"{path}: {why}")
    found = ", ".join(repr(c.strip()) for c in widest[:20]) or "none"
    if forced is not None:
        raise BacklinkError(f"{path}: not a {forced.label} export: the header has none of its referring-page "
                            f"columns ({', '.join(repr(c) for c in forced.expects)}); columns found: {found}")
    raise BacklinkError(f"{path}: unknown backlink export format; columns found: {found}. "
                        f"Expected the header of {_expected_columns()}")


def _covers(fmt: _Format, cells: list[str]) -> bool:
    cols = {_key(c) for c in cells}
    return any(k in cols for k in fmt.referring)


def _read_plain(lines: list[str], path: str, encoding: str, *, start: int) -> BacklinkImport:
    """One URL or domain per line, ``#`` comments, the first field of a pasted spreadsheet row.
    A second field that is an absolute URL is the page linked to (``page, target`` lists; a space
    before it separates too)."""
    result = BacklinkImport(path=path, format="plain", encoding=encoding)
    for number, raw in enumerate(lines[start:], start=start + 1):
        text = strip_comment(raw)
        if not text:
            continue
        fields = re.split(r"[\t,;]|\s+(?=https?://)", text, maxsplit=2)
        url, why = normalise_url(fields[0].strip())
        where = f"{path}:{number}"
        if url is None:
            result.errors.append(f"{where}: {why}: {raw.strip()[:120]!r}")
            continue
        second = fields[1].strip() if len(fields) > 1 else ""
        target = normalise_url(second)[0] if second.lower().startswith(("http://", "https://")) else None
        result.rows.append(Backlink(referring_url=url, target_url=target, source_line=number, source=where))
    return result


def _read_table(fmt: _Format, lines: list[str], header_index: int, delimiter: str, header: list[str],
                path: str, encoding: str) -> BacklinkImport:
    """Map each row of a detected export onto a :class:`Backlink`; line numbers are physical lines."""
    result = BacklinkImport(path=path, format=fmt.name, encoding=encoding, delimiter=delimiter,
                            columns=[c.strip() for c in header])
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        index.setdefault(_key(cell), i)

    def columns(keys: Iterable[str]) -> list[int]:
        return [index[k] for k in keys if k in index]

    cols = {name: columns(getattr(fmt, name)) for name in (
        "referring", "target", "title", "anchor", "nofollow", "follow", "sponsored", "ugc", "link_type",
        "first_seen", "last_seen", "lost")}
    metric_cols = [(index[k], name) for k, name in fmt.metrics if k in index]

    reader = csv.reader(lines[header_index + 1:], delimiter=delimiter)
    line_done = header_index + 1  # physical lines consumed so far (1-based count)
    while True:
        start = line_done + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line_done = header_index + 1 + reader.line_num
            result.errors.append(f"{path}:{start}: unreadable row ({exc})")
            continue
        line_done = header_index + 1 + reader.line_num
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            for i in cols[name]:
                if i < len(row) and row[i].strip():
                    return row[i].strip()
            return ""

        def has(name: str) -> bool:
            return bool(cols[name])

        where = f"{path}:{start}"
        raw_ref = cell("referring")
        referring, why = normalise_url(raw_ref, root=fmt.site_only)
        if referring is None:
            shown = raw_ref or delimiter.join(row)
            result.errors.append(f"{where}: {why}: {shown.strip()[:120]!r}")
            continue

        target = normalise_url(cell("target"))[0] if has("target") else None
        nofollow = _flag(cell("nofollow")) if has("nofollow") else None
        if nofollow is None and has("follow"):
            follow = _flag(cell("follow"))
            nofollow = None if follow is None else not follow
        sponsored = _flag(cell("sponsored")) if has("sponsored") else None
        ugc = _flag(cell("ugc")) if has("ugc") else None
        if has("link_type"):
            tokens = _rel_tokens(cell("link_type"))
            if tokens & {"nofollow", "sponsored", "ugc", "dofollow", "follow"}:
                if nofollow is None:
                    nofollow = "nofollow" in tokens
                if sponsored is None:
                    sponsored = "sponsored" in tokens
                if ugc is None:
                    ugc = "ugc" in tokens
        metrics: dict[str, float] = {}
        for i, name in metric_cols:
            if i < len(row) and name not in metrics:
                value = _number(row[i])
                if value is not None:
                    metrics[name] = value
        result.rows.append(Backlink(
            referring_url=referring,
            target_url=target,
            anchor=re.sub(r"\s+", " ", cell("anchor")),
            nofollow=nofollow,
            sponsored=sponsored,
            ugc=ugc,
            first_seen=parse_date(cell("first_seen")),
            last_seen=parse_date(cell("last_seen")),
            source_line=start,
            source=where,
            title=re.sub(r"\s+", " ", cell("title")),
            lost=_lost(cell("lost")) if has("lost") else None,
            metrics=metrics,
        ))
    return result


# ------------------------------------------------------------------ competitors


def competitor_map(rows: Iterable[Backlink], competitors: Iterable[str] | None = None) -> dict[str, set[str]]:
    """Referring registrable domain -> the target domains it links to (only ``competitors`` when given).

    Rows without a target (Search Console, plain lists) say nothing about
    which competitor is linked and are left out. The result feeds :func:`intersect`.
    """
    wanted = {registrable_domain(c) or c.strip().lower() for c in competitors} if competitors is not None else None
    out: dict[str, set[str]] = {}
    for row in rows:
        source, target = row.referring_domain, row.target_domain
        if not source or not target or source == target:
            continue
        if wanted is not None and target not in wanted:
            continue
        out.setdefault(source, set()).add(target)
    return out


def intersect(referring_domain_to_competitors: Mapping[str, Iterable[str]],
              min_competitors: int = 2) -> dict[str, list[str]]:
    """Referring domains that link to at least ``min_competitors`` competitors (the link-intersect report).

    A site that links to several of your competitors but not to you is the
    warmest prospect there is. Competitors are listed sorted; domains come
    most-competitors first, then alphabetically, so the report reads top-down.
    """
    if min_competitors < 1:
        raise ValueError(f"min_competitors must be at least 1, not {min_competitors}")
    hits: dict[str, list[str]] = {}
    for domain, competitors in referring_domain_to_competitors.items():
        names = sorted({c.strip().lower() for c in competitors if c and c.strip()})
        if len(names) >= min_competitors:
            hits[domain] = names
    return dict(sorted(hits.items(), key=lambda item: (-len(item[1]), item[0])))
