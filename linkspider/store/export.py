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
    "domain", "niche", "score", "authority", "authority_source", "why", "status", "title", "home_url", "emails",
    "contact_page", "contact_form", "social", "authors", "signals", "found_via",
    "pages_crawled", "first_seen", "last_seen", "last_error", "notes", "links_to_you",
]
# `linkspider links export`: one row per placed link, with its newest check.
LINK_COLUMNS = [
    "site", "page_url", "target_url", "status", "rel", "anchor", "link_url", "http_status", "redirects", "final_url",
    "noindex", "canonical", "js_only", "error", "last_checked", "checks", "last_changes", "added", "source", "note",
]

# `linkspider export --for-article URL`: the site's fit with that article, then the usual columns.
ARTICLE_COLUMNS = ["domain", "niche", "article_fit", "fit_page", "fit_topic", *COLUMNS[2:]]
# `linkspider export --broken-links`: one row per dead link on a roundup or resources page.
BROKEN_COLUMNS = ["domain", "page_url", "page_kind", "dead_url", "anchor", "failure", "http_status", "checked",
                  "first_seen", "score", "emails", "contact_page", "niche", "status"]

ROW_FORMATS = ("csv", "jsonl", "json")
FORMATS = (*ROW_FORMATS, "domains")  # domains: one site a line, a seed list (prospects only)
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
        "authority": site.get("authority"),
        "authority_source": " ".join(filter(None, (site.get("authority_source"), site.get("authority_date")))),
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
        "links_to_you": [f"{link['page_url']} ({link['source']}, {link['status']})"
                         for link in site.get("links_to_you", [])],
    }


def link_row(link: dict[str, Any]) -> dict[str, Any]:
    """A placed link from ``Store.placed_links`` -> one export row (its newest check's facts)."""
    changes = json.loads(link["check_changes"]) if link.get("check_changes") else []
    return {
        "site": link["site"], "page_url": link["page_url"], "target_url": link["target_url"],
        "status": link["status"], "rel": link["rel"] or "", "anchor": link["check_anchor"] or "",
        "link_url": link["check_link_url"] or "", "http_status": link["check_http_status"],
        "redirects": json.loads(link["check_redirects"]) if link.get("check_redirects") else [],
        "final_url": link["check_final_url"] or "", "noindex": link["check_noindex"] or "",
        "canonical": link["check_canonical"] or "", "js_only": bool(link["check_js_only"]),
        "error": link["check_error"] or "", "last_checked": link["last_checked"] or "", "checks": link["checks"],
        "last_changes": [f"{c['kind']}: {c['before']} -> {c['after']}" for c in changes],
        "added": link["added"], "source": link["source"], "note": link["note"] or "",
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


def article_row(row: dict[str, Any], fit: dict[str, Any]) -> dict[str, Any]:
    """A prospect row with its fit for one article (a row of ``Store.article_fits``)."""
    return {**row, "article_fit": fit["fit"], "fit_page": fit["page_url"],
            "fit_topic": f"{fit['page_kind']} on '{fit['topic']}'"}


def broken_link_row(link: dict[str, Any]) -> dict[str, Any]:
    """A dead link from ``Store.broken_links`` -> one export row."""
    kinds = set((link.get("page_kinds") or "").split(","))
    return {
        "domain": link["domain"], "page_url": link["page_url"],
        "page_kind": "resources" if "resources" in kinds else "roundup" if "roundup" in kinds else "",
        "dead_url": link["target_url"], "anchor": link["anchor"] or "", "failure": link["reason"],
        "http_status": link["http_status"], "checked": link["checked_at"], "first_seen": link["first_seen"],
        "score": link["score"] or 0, "emails": json.loads(link["emails_ranked"] or "[]"),
        "contact_page": link["contact_page"] or "", "niche": link["niche"], "status": link["site_status"],
    }
