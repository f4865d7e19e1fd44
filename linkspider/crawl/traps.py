"""Crawler traps: URLs a site walk should never spend a page of its budget on.

``is_trap_url(url, max_params=..., max_depth=...)`` is a pure function (no
settings, no I/O) returning ``None`` for an ordinary URL, or a short reason
for a trap. Every reason starts with a stable key and a colon
(``"query_params: 6 parameters (more than 4)"``), so a caller can count them
in stats by ``reason.split(":", 1)[0]``. ``TrapFilter`` is the one filter the
site walk applies before it spends a page on a link: the same rules, with
``LINKSPIDER_TRAP_MAX_PARAMS`` and ``LINKSPIDER_TRAP_MAX_SEGMENTS`` from the
settings, plus links to files by extension (images, archives, office files).

Traps recognised:

- ``query_params``: more than ``max_params`` query parameters (faceted search,
  filter combinations: an endless space of near-identical pages);
- ``session_id``: ``;jsessionid=``, ``?sid=``, ``PHPSESSID=``, ``(S(...))``...
  (every visit mints new URLs for the same page);
- ``repeated_path``: a block of path segments repeated three times in a row
  (``/a/b/a/b/a/b/``), or one segment three times anywhere: relative-link loops;
- ``deep_path``: more than ``max_depth`` path segments;
- ``calendar``: calendar and event-archive navigation (``/calendar/``,
  ``/events/day/...``, ``?month=2026-11``, ``?date=``, ``?year=``,
  ``tribe-bar-date=``, ``?ical=``), day archives (``/2026/11/25/`` with nothing
  after), and archives of years before the web or far in the future;
- ``duplicate``: WordPress' ``?replytocom=`` and ``?share=`` links (one copy of
  the page per comment / per social network).

Dated permalinks such as ``/2026/11/25/my-post/`` are *not* traps: a post there
is an ordinary page.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS

_SKIP_EXT = frozenset("." + e for e in IGNORED_EXTENSIONS)

# Query keys that carry a session: the same page under a new URL per visit.
_SESSION_KEYS = frozenset({
    "sid", "sessid", "sessionid", "session_id", "session", "phpsessid", "jsessionid", "aspsessionid",
    "cfid", "cftoken", "zenid", "oscsid", "xtcsid", "s_id", "ps_session", "sesskey",
})
_SESSION_IN_PATH = re.compile(r";\s*(jsessionid|phpsessid|sid|sessionid)=|/\(S\([a-z0-9]+\)\)/"
                              r"|/\((?:[A-Z]\([^)]*\))+\)/", re.I)
# Query keys of calendar navigation (The Events Calendar, generic widgets).
_CALENDAR_KEYS = frozenset({
    "date", "day", "month", "year", "week", "cal", "calendar", "calendar_date", "caldate", "ical", "ics",
    "tribe-bar-date", "tribe_eventcategory", "eventdisplay", "event_date", "start_date", "end_date",
    "mini_cal_month", "calmonth", "calyear", "time_min", "time_max",
})
_CALENDAR_SEGMENTS = frozenset({"calendar", "calendars", "kalender", "calendrier", "calendario", "ical"})
_EVENT_SEGMENTS = frozenset({"event", "events", "veranstaltungen", "evenements", "eventos", "agenda"})
_EVENT_VIEWS = frozenset({"day", "week", "month", "today", "list", "photo", "map", "past", "upcoming",
                          "summary"})
_DUPLICATE_KEYS = frozenset({"replytocom", "share"})
_YEAR = re.compile(r"(?:19|20|21)\d\d$")
_MONTH = re.compile(r"(?:0?[1-9]|1[0-2])$")
_DAY = re.compile(r"(?:0?[1-9]|[12]\d|3[01])$")
_ISO_DATE = re.compile(r"(?:19|20|21)\d\d-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?$")
# Archives of years before this, or more than a year ahead, are calendar pages clicked through.
_FIRST_YEAR = 1995


def _segments(path: str) -> list[str]:
    return [unquote(s).lower() for s in path.split("/") if s]


def _repeated(segments: list[str]) -> str | None:
    """A block of 1-3 segments repeated three times in a row, or a segment present three times."""
    n = len(segments)
    for size in (1, 2, 3):
        for start in range(0, n - 3 * size + 1):
            block = segments[start:start + size]
            if segments[start + size:start + 2 * size] == block and segments[start + 2 * size:start + 3 * size] == block:
                return "/".join(block)
    counts: dict[str, int] = {}
    for seg in segments:
        if seg.isdigit():  # /2026/11/11/ and /page/2/ repeat numbers legitimately
            continue
        counts[seg] = counts.get(seg, 0) + 1
        if counts[seg] >= 3:
            return seg
    return None


def _calendar_path(segments: list[str], this_year: int) -> str | None:
    for i, seg in enumerate(segments):
        if seg in _CALENDAR_SEGMENTS:
            return f"/{seg}/ page"
        if seg in _EVENT_SEGMENTS:
            rest = segments[i + 1:]
            if any(s in _EVENT_VIEWS for s in rest) or any(_ISO_DATE.match(s) for s in rest):
                return f"/{seg}/ archive view"
    # /YYYY/MM/DD/ with nothing after it: a day archive (a dated post has its slug after).
    for i in range(len(segments) - 2):
        y, m, d = segments[i:i + 3]
        if _YEAR.match(y) and _MONTH.match(m) and _DAY.match(d) and i + 3 == len(segments):
            return "day archive"
    for seg in segments:
        if _YEAR.match(seg) and seg.isdigit() and not (_FIRST_YEAR <= int(seg) <= this_year + 1):
            # Only when it sits like an archive year: followed by a month or last.
            idx = segments.index(seg)
            nxt = segments[idx + 1] if idx + 1 < len(segments) else ""
            if not nxt or _MONTH.match(nxt):
                return f"archive of year {seg}"
        if _ISO_DATE.match(seg) and not (_FIRST_YEAR <= int(seg[:4]) <= this_year + 1):
            return f"date {seg} out of range"
    return None


def is_trap_url(url: str, *, max_params: int, max_depth: int, this_year: int | None = None) -> str | None:
    """Why ``url`` is a crawler trap (``"key: detail"``), or ``None`` when it is an ordinary page."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "invalid: unparsable URL"
    year = this_year or _dt.date.today().year
    raw_path = parts.path or "/"
    match = _SESSION_IN_PATH.search(raw_path)
    if match:
        return f"session_id: {match.group(0).strip('/;')[:40]} in path"
    params = parse_qsl(parts.query, keep_blank_values=True)
    keys = [k.strip().lower() for k, _ in params]
    for key in keys:
        if key in _SESSION_KEYS or key.startswith("aspsessionid"):
            return f"session_id: ?{key}="
    if len(params) > max_params:
        return f"query_params: {len(params)} parameters (more than {max_params})"
    for key in keys:
        if key in _DUPLICATE_KEYS:
            return f"duplicate: ?{key}="
        if key in _CALENDAR_KEYS:
            return f"calendar: ?{key}="
    segments = _segments(raw_path)
    if len(segments) > max_depth:
        return f"deep_path: {len(segments)} path segments (more than {max_depth})"
    block = _repeated(segments)
    if block is not None:
        return f"repeated_path: /{block}/ repeats"
    calendar = _calendar_path(segments, year)
    if calendar is not None:
        return f"calendar: {calendar}"
    return None


def trap_kind(reason: str) -> str:
    """The stable key of a reason from :func:`is_trap_url` (for stats)."""
    return reason.split(":", 1)[0]


def url_extension(url: str) -> str:
    """``.pdf`` for ``https://x.com/a/file.PDF?x=1``; ``""`` when the path has no extension."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return posixpath.splitext(path)[1].lower()


def has_ignored_extension(url: str) -> bool:
    """True for links to files Scrapy's link extractors skip (images, archives, office files...)."""
    return url_extension(url) in _SKIP_EXT


@dataclass(frozen=True)
class TrapFilter:
    """The links a site walk does not follow: traps by :func:`is_trap_url`, and files by extension."""

    max_params: int
    max_depth: int

    @classmethod
    def from_settings(cls, settings: Any) -> TrapFilter:
        return cls(settings.getint("LINKSPIDER_TRAP_MAX_PARAMS"), settings.getint("LINKSPIDER_TRAP_MAX_SEGMENTS"))

    def reason(self, url: str) -> str | None:
        """Why not to follow ``url`` (``"extension: .pdf"``, ``"calendar: ..."``), or None."""
        if has_ignored_extension(url):
            return f"extension: {url_extension(url)}"
        return is_trap_url(url, max_params=self.max_params, max_depth=self.max_depth)
