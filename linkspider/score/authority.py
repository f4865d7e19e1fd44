"""Authority 0-100 per site from the open rankings: Tranco, Common Crawl's web graph, Open PageRank.

Link builders sort prospects by how big a site is before anything else. The
open rankings say it without a paid tool:

- the **Tranco** list (``rank,domain`` lines, the top million registrable
  domains; https://tranco-list.eu/, often downloaded as a ``.zip``);
- **Common Crawl's web graph** domain ranks (``cc-main-...-domain-ranks.txt.gz``:
  tab-separated ``#harmonicc_pos #harmonicc_val #pr_pos #pr_val #host_rev
  #n_hosts``, host names reversed: ``com.example``), by harmonic centrality
  (the default, what Common Crawl recommends) or PageRank;
- **Open PageRank**'s 0-10 figure, from its API (``open_pagerank.py``) or its
  downloadable CSV (``"Rank","Domain","Open Page Rank"``).

A rank becomes authority on one log scale for every list, so figures from
different lists compare: rank 1 is 100, each factor of ten costs 12.5 points
(rank 100 -> 75, 10,000 -> 50, 1,000,000 -> 25), rank 100,000,000 and beyond
is 0. Open PageRank's 0-10 is already such a scale: authority is ten times it.

Pure functions over lines of text: reading the files (plain, ``.gz`` or
``.zip``, streamed, since Common Crawl's list has a hundred million lines) is
``open_lines``; the database keeps only the sites it knows.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from linkspider.common.inputs import InputError, check_file

SOURCES = ("tranco", "commoncrawl", "opr")
CC_MEASURES = ("harmonic", "pagerank")
_DECADES = 8  # rank 10**8 -> authority 0
_TRANCO_RE = re.compile(r"^\s*(\d+)\s*,\s*([^,\s]+)\s*$")
_MAX_PROBLEMS = 10  # lines reported one by one; the rest are counted


def authority_from_rank(rank: int) -> int:
    """Rank 1 -> 100, 100 -> 75, 10,000 -> 50, 1,000,000 -> 25, >= 100,000,000 -> 0."""
    if rank < 1:
        raise ValueError(f"a rank starts at 1, not {rank}")
    return max(0, min(100, round(100 * (1 - math.log10(rank) / _DECADES))))


def authority_from_pagerank(value: float) -> int:
    """Open PageRank's 0-10 (itself a log scale) -> 0-100."""
    return max(0, min(100, round(value * 10)))


@dataclass
class Figure:
    """One site's figure from a list: ``rank`` (None for Open PageRank's API) and ``authority``."""

    domain: str
    authority: int
    rank: int | None


@dataclass
class Reading:
    """What reading a list found: the figures for the wanted sites, and the lines it could not use."""

    source: str
    figures: dict[str, Figure] = field(default_factory=dict)
    lines: int = 0
    bad_lines: int = 0
    problems: list[str] = field(default_factory=list)  # the first few, as "file:line: why"

    def bad(self, where: str, why: str) -> None:
        self.bad_lines += 1
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(f"{where}: {why}")

    def keep(self, figure: Figure) -> None:
        """The best figure per site (a list may name a site twice, as www. and bare)."""
        known = self.figures.get(figure.domain)
        if known is None or figure.authority > known.authority:
            self.figures[figure.domain] = figure


def open_lines(path: str | Path) -> Iterator[str]:
    """The lines of a ranking file, plain, gzipped or the first file of a zip, decoded as it streams.

    InputError for a folder, a device, a missing file or one that holds binary data.
    """
    path = check_file(path, "ranking")
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
        if head.startswith(b"\x1f\x8b"):
            raw: io.BufferedIOBase = gzip.open(path, "rb")  # type: ignore[assignment]
        elif head.startswith(b"PK\x03\x04"):
            archive = zipfile.ZipFile(path)
            members = [m for m in archive.infolist() if not m.is_dir()]
            if not members:
                raise InputError(f"ranking {path} is an empty zip file")
            raw = archive.open(members[0])  # type: ignore[assignment]
        else:
            raw = path.open("rb")
        with raw, io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as text:
            for number, line in enumerate(text, 1):
                if number <= 20 and "\x00" in line:
                    raise InputError(f"ranking {path} is not a text file (it holds binary data)")
                yield line.rstrip("\r\n")
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise InputError(f"cannot read ranking {path}: {exc}") from None


def detect_format(first_line: str) -> str:
    """``tranco``, ``commoncrawl`` or ``opr-csv`` from a file's first line; InputError when none fits."""
    if first_line.lstrip("#").startswith("harmonicc_pos"):
        return "commoncrawl"
    header = first_line.replace('"', "").strip().lower()
    if header.startswith("rank,domain,open page rank"):
        return "opr-csv"
    if _TRANCO_RE.match(first_line):
        return "tranco"
    raise InputError(
        f"not a ranking linkspider knows: the first line is {first_line[:80]!r}; expected Tranco "
        "('1,google.com'), Common Crawl's domain ranks ('#harmonicc_pos<TAB>#harmonicc_val<TAB>#pr_pos"
        "<TAB>#pr_val<TAB>#host_rev<TAB>#n_hosts') or Open PageRank's CSV ('\"Rank\",\"Domain\",\"Open Page Rank\"')")


def read_ranking(lines: Iterable[str], wanted: set[str], name: str = "ranking",
                 measure: str = "harmonic") -> Reading:
    """Figures for the ``wanted`` domains from a ranking's lines (any of the three formats).

    ``measure`` picks Common Crawl's ranking: ``harmonic`` (centrality) or ``pagerank``.
    A line that is not what its format says is counted and the first few named
    (``name:line: why``); the rest of the file is still read.
    """
    if measure not in CC_MEASURES:
        raise InputError(f"unknown measure {measure!r}; use one of {', '.join(CC_MEASURES)}")
    it = iter(lines)
    first = next((line for line in it if line.strip()), None)
    if first is None:
        raise InputError(f"{name} is empty")
    fmt = detect_format(first)
    reading = Reading("commoncrawl" if fmt == "commoncrawl" else "opr" if fmt == "opr-csv" else "tranco")
    rank_column = 0 if measure == "harmonic" else 2
    number = 1
    if fmt == "tranco":
        it = _chain(first, it)
        number = 0
    for line in it:
        number += 1
        reading.lines += 1
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{name}:{number}"
        if fmt == "tranco":
            match = _TRANCO_RE.match(line)
            if not match:
                reading.bad(where, f"not 'rank,domain': {line[:80]!r}")
                continue
            domain = match[2].lower().removeprefix("www.")
            if domain in wanted:
                _keep_rank(reading, where, domain, match[1])
        elif fmt == "commoncrawl":
            cells = line.split("\t")
            if len(cells) < 5:
                reading.bad(where, f"expected 5 or 6 tab-separated columns, found {len(cells)}")
                continue
            domain = ".".join(reversed(cells[4].strip().lower().split("."))).removeprefix("www.")
            if domain in wanted:
                _keep_rank(reading, where, domain, cells[rank_column])
        else:
            cells = next(csv.reader([line]), [])
            if len(cells) < 3:
                reading.bad(where, f"expected \"Rank\",\"Domain\",\"Open Page Rank\", found {line[:80]!r}")
                continue
            domain = cells[1].strip().lower().removeprefix("www.")
            if domain in wanted:
                try:
                    value, rank = float(cells[2]), int(cells[0])
                except ValueError:
                    reading.bad(where, f"rank {cells[0]!r} or Open Page Rank {cells[2]!r} is not a number")
                    continue
                reading.keep(Figure(domain, authority_from_pagerank(value), rank))
    return reading


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _keep_rank(reading: Reading, where: str, domain: str, text: str) -> None:
    try:
        rank = int(text.strip())
        reading.keep(Figure(domain, authority_from_rank(rank), rank))
    except ValueError:
        reading.bad(where, f"rank {text.strip()[:20]!r} is not a whole number from 1")
