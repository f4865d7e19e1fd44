"""The ``file`` backend: search results you already have, from a file, with no request at all.

For a SERP export from an SEO tool, results copied from a browser, or a list
someone sent you. ``SEARCH_RESULTS_FILE`` names either

- a **text file**: one URL per line (or a bare domain, taken as ``https://``),
  ``#`` comments; a line holding other text around a URL contributes the URL;
- a **CSV/TSV file** (``.csv``/``.tsv``, or any file whose first line is a header
  naming a URL column; comma, tab or semicolon separated, UTF-8 or UTF-16 as
  Ahrefs writes): the URL column is the one named ``url``, ``link``,
  ``address``, ``page url``... (any case), else the first column whose values
  look like URLs. Optional columns: title (``title``, ``page title``,
  ``title 1``), snippet (``snippet``, ``description``, ``meta description``),
  rank (``position``, ``rank``) and query (``keyword``, ``query``).

Unusable lines are reported as ``file:line: why`` (``errors``, and one log
warning) and skipped. The spider does not go through ``request``/``parse``
for this backend (``needs_network`` is False): it calls :meth:`all_results`,
or :meth:`results_for` per query, which returns the rows whose query column
matches (every row when the file has no query column).
"""

from __future__ import annotations

import csv
import io
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from linkspider.common.inputs import decode_text
from linkspider.discover.niches import parse_seed_line, strip_comment
from linkspider.discover.search.base import (
    SearchBackend,
    SearchConfigError,
    SearchError,
    SearchPage,
    SearchResult,
    setting,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    # For SEARCH_BACKEND=file: a text file of result URLs (one per line, '#'
    # comments) or a CSV/TSV SERP export with a url/link/Address column.
    "SEARCH_RESULTS_FILE": "",
}

URL_COLUMNS = ("url", "link", "address", "page url", "result url", "landing page", "target url",
               "referring page url", "source url", "href", "page", "website", "domain")
TITLE_COLUMNS = ("title", "page title", "title 1", "result title", "headline", "name")
SNIPPET_COLUMNS = ("snippet", "description", "meta description", "meta description 1", "content", "summary")
RANK_COLUMNS = ("position", "rank", "pos", "serp position", "current position")
QUERY_COLUMNS = ("query", "keyword", "search query", "search term", "keyword phrase")

_URL_IN_TEXT_RE = re.compile(r"https?://[^\s<>\"']+", re.I)


class FileBackend(SearchBackend):
    name = "file"
    needs_network = False
    operators = frozenset()  # queries are never sent anywhere
    download_slot = ""
    download_delay = 0.0

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.errors: list[str] = []  # "path:line: why (text)"
        self._results: list[SearchResult] = []
        self._has_query_column = False
        self._keys: set[tuple[str, str]] = set()
        self._counts: dict[str, int] = {}
        self._load()

    @classmethod
    def from_settings(cls, settings: Any) -> FileBackend:
        path = setting(settings, "SEARCH_RESULTS_FILE")
        if not path:
            raise SearchConfigError("SEARCH_BACKEND=file needs SEARCH_RESULTS_FILE (setting or environment variable): "
                                    "a text file of URLs or a CSV export")
        return cls(path)

    # ------------------------------------------------------------- the API

    def all_results(self) -> list[SearchResult]:
        """Every result in the file, in file order (rank from the file's position column when it has one)."""
        return list(self._results)

    def results_for(self, query: str) -> list[SearchResult]:
        """The rows for ``query`` when the file has a query column (case and spacing ignored), else all rows."""
        if not self._has_query_column:
            return self.all_results()
        wanted = _norm(query)
        return [r for r in self._results if _norm(r.query) == wanted]

    def queries(self) -> list[str]:
        """The distinct queries named in the file's query column (empty without one)."""
        return list(dict.fromkeys(r.query for r in self._results if r.query))

    def request(self, query: str, page: int = 1) -> scrapy.Request:
        raise SearchError("file: this backend makes no requests; use results_for(query) or all_results()")

    def parse(self, response: Response) -> SearchPage:
        raise SearchError("file: this backend makes no requests; use results_for(query) or all_results()")

    # ------------------------------------------------------------- loading

    def _load(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise SearchConfigError(f"SEARCH_RESULTS_FILE={self.path}: no such file") from None
        except OSError as exc:
            raise SearchConfigError(f"SEARCH_RESULTS_FILE={self.path}: cannot read it: {exc.strerror or exc}") from exc
        text, _ = decode_text(data)
        lines = text.splitlines()
        first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
        header = _split(first, _delimiter(first)) if first else []
        is_csv = self.path.suffix.lower() in (".csv", ".tsv") or _find_column(header, URL_COLUMNS) is not None
        if is_csv:
            self._load_csv(text)
        else:
            self._load_text(lines)
        if self.errors:
            logger.warning("file: %d unusable line(s) in %s skipped, first: %s", len(self.errors), self.path,
                           self.errors[0])
        if not self._results:
            raise SearchConfigError(f"SEARCH_RESULTS_FILE={self.path}: no result URL found (expected one URL per "
                                    "line, or a CSV with a url/link/Address column)")

    def _load_text(self, lines: list[str]) -> None:
        for number, raw in enumerate(lines, start=1):
            text = strip_comment(raw)
            if not text:
                continue
            url = _url_from(text)
            if url.startswith("!"):
                self.errors.append(f"{self.path}:{number}: {url[1:]}: {raw.strip()[:120]!r}")
                continue
            self._add(url, source=f"{self.path}:{number}")

    def _load_csv(self, text: str) -> None:
        sample = next((line for line in text.splitlines() if line.strip()), "")
        rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(sample)))
        rows = [(n, row) for n, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
        if not rows:
            return
        header = [cell.strip() for cell in rows[0][1]]
        url_col = _find_column(header, URL_COLUMNS)
        if url_col is None:
            url_col = _url_like_column([row for _, row in rows])
            if url_col is None:
                raise SearchConfigError(f"{self.path}: no URL column: name one url, link or Address, "
                                        f"or put URLs in a column (header: {', '.join(header)[:200]})")
            body = rows if _looks_like_url(rows[0][1][url_col] if url_col < len(rows[0][1]) else "") else rows[1:]
        else:
            body = rows[1:]
        title_col = _find_column(header, TITLE_COLUMNS)
        snippet_col = _find_column(header, SNIPPET_COLUMNS)
        rank_col = _find_column(header, RANK_COLUMNS)
        query_col = _find_column(header, QUERY_COLUMNS)
        self._has_query_column = query_col is not None

        def cell(row: list[str], col: int | None) -> str:
            return row[col].strip() if col is not None and col < len(row) else ""

        for number, row in body:
            raw = cell(row, url_col)
            if not raw or raw.startswith("#"):
                continue
            url = _url_from(raw)
            if url.startswith("!"):
                self.errors.append(f"{self.path}:{number}: {url[1:]}: {raw[:120]!r}")
                continue
            rank_text = cell(row, rank_col)
            self._add(url, title=cell(row, title_col), snippet=cell(row, snippet_col),
                      rank=int(float(rank_text)) if _is_number(rank_text) else None,
                      query=cell(row, query_col), source=f"{self.path}:{number}")

    def _add(self, url: str, *, title: str = "", snippet: str = "", rank: int | None = None, query: str = "",
             source: str = "") -> None:
        key = (url, _norm(query))
        if key in self._keys:  # the same URL twice for one query is one result
            return
        self._keys.add(key)
        position = self._counts[key[1]] = self._counts.get(key[1], 0) + 1
        self._results.append(SearchResult(url=url, title=" ".join(title.split()), snippet=" ".join(snippet.split()),
                                          rank=rank if rank is not None else position, backend=self.name,
                                          query=query, source=source))


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in ("\t", ",", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (StopIteration, csv.Error):
        return []


def _find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [" ".join(h.strip().lower().split()) for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _url_like_column(rows: list[list[str]]) -> int | None:
    width = max(len(row) for row in rows)
    for col in range(width):
        values = [row[col].strip() for row in rows[:50] if col < len(row) and row[col].strip()]
        if values and sum(_looks_like_url(v) for v in values) * 2 >= len(values):
            return col
    return None


def _looks_like_url(value: str) -> bool:
    return not _url_from(value.strip()).startswith("!")


def _url_from(text: str) -> str:
    """A result URL from a cell or line, or ``"!why"`` when there is none."""
    match = _URL_IN_TEXT_RE.search(text)
    if match:
        url = match.group(0).rstrip(").,;]")
        host = urlsplit(url).hostname
        return url if host else "!no host name"
    parsed = parse_seed_line(text)
    return "!" + parsed if isinstance(parsed, str) else parsed[0]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _norm(query: str) -> str:
    return " ".join(query.lower().split())
