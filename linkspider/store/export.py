"""Turn stored prospects into export rows and write them as CSV, JSON Lines, JSON or a seed list.

One row per site: who to write to first (best emails, contact page, form),
why it is a prospect (signals with their URLs, score and its why) and how it
was found. CSV cells that a spreadsheet would run as a formula are defused,
because scraped text ends up in a link builder's spreadsheet.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from linkspider.discover.niches import NicheError, load_niche
from linkspider.score.prospect import best_emails
from linkspider.store.database import ProspectScope

COLUMNS = [
    "domain", "niche", "score", "why", "status", "title", "home_url", "emails",
    "contact_page", "contact_form", "social", "authors", "signals", "found_via",
    "pages_crawled", "first_seen", "last_seen", "last_error", "notes",
]
FORMATS = ("csv", "jsonl", "json", "domains")  # domains: one site a line, a seed list
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def prospect_row(site: dict[str, Any]) -> dict[str, Any]:
    """A site from ``Store.prospects`` -> one export row (lists stay lists)."""
    contacts, signals = site["contacts"], site["signals"]
    contact_pages = [s["url"] for s in signals if s["kind"] == "contact_page"]
    forms = [c["value"] for c in contacts if c["kind"] == "contact_form"]
    found_via = []
    for d in site["discoveries"]:
        via = f"{d['source']}: {d['detail']}" if d["detail"] else d["source"]
        if d.get("backend"):
            via += f" ({d['backend']}, rank {d['rank']})"
        found_via.append(via)
    return {
        "domain": site["domain"],
        "niche": site["niche"],
        "score": site["score"] or 0,
        "why": site["score_why"] or "",
        "status": site["status"],
        "title": site["title"] or "",
        "home_url": site["home_url"] or "",
        "emails": best_emails(contacts),
        "contact_page": contact_pages[0] if contact_pages else "",
        "contact_form": forms[0] if forms else "",
        "social": sorted({c["value"] for c in contacts if c["kind"] == "social"}),
        "authors": sorted({c["value"] for c in contacts if c["kind"] == "author"}),
        "signals": [f"{s['kind']}: {s['url']}" for s in signals
                    if s["kind"] not in ("contact_page", "about_page")],
        "found_via": found_via,
        "pages_crawled": site["pages_crawled"] or 0,
        "first_seen": site["first_seen"] or "",
        "last_seen": site["last_seen"] or "",
        "last_error": site["last_error"] or "",
        "notes": site["notes"] or "",
    }


def prospect_scope(niches: Iterable[str], seeds_dir: str | Path, min_relevance: float) -> ProspectScope:
    """Which sites are prospects, from the niche profiles in ``seeds_dir``: each niche's relevance
    threshold (its profile's ``min_relevance``, else ``min_relevance``, the setting PROSPECT_MIN_RELEVANCE)
    and its competitors. A niche whose profile is gone or broken gets the default and no competitors."""
    scope = ProspectScope(min_relevance=min_relevance)
    for niche in niches:
        try:
            profile = load_niche(niche, seeds_dir)
        except NicheError:
            continue
        scope.thresholds[niche] = min_relevance if profile.min_relevance is None else profile.min_relevance
        scope.competitors[niche] = profile.competitors
    return scope


def defuse(cell: str) -> str:
    """Prefix a quote so a spreadsheet shows ``=HYPERLINK(...)`` as text, not a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        value = " | ".join(str(v) for v in value)
    return defuse("" if value is None else str(value))


def write_rows(rows: Iterable[dict[str, Any]], fmt: str, out: IO[str], columns: list[str] | None = None) -> int:
    """Write rows to ``out`` in ``fmt``; returns how many."""
    count = 0
    columns = columns or COLUMNS
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(row.get(k)) for k in columns})
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "json":
        rows = list(rows)
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        count = len(rows)
    elif fmt == "domains":
        for row in rows:
            out.write(f"{row['domain']}\n")
            count += 1
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return count
