"""The morning digest: prospects that are new since a point in time, sites that changed, and your links.

*New*: sites first seen since then. *Changed*: sites known before that gained
a reason to pitch since (a new write-for-us page, a new roundup, a resources
page). Contacted and blocked sites, the do-not-contact list and sites that
already link to you or are no prospects (never answered, off-niche, a
competitor) are left out, as in ``linkspider export``. *Your links*: what
``linkspider monitor`` found changed on the pages of your placed links since
then (lost, nofollow, anchor, redirected, noindexed, gone, recovered...).
Written as Markdown (to read) and CSV (the prospects, to load into a
spreadsheet) under ``output/digests/``, one pair per nightly run and never
overwritten, the newest also as ``latest.md`` / ``latest.csv``; with a
one-screen summary.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from linkspider.store.database import ProspectFilter, ProspectScope, Store
from linkspider.store.export import COLUMNS, prospect_row, write_rows

EXCLUDED_STATUSES = ["contacted", "blocked"]


@dataclass
class Digest:
    since: str
    new: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # niche -> rows
    changed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)  # changes of placed links (Store.link_changes)

    @property
    def new_count(self) -> int:
        return sum(len(rows) for rows in self.new.values())

    @property
    def changed_count(self) -> int:
        return sum(len(rows) for rows in self.changed.values())


def build_digest(store: Store, since: str, niches: list[str], scope: ProspectScope | None = None) -> Digest:
    digest = Digest(since=since)
    for niche in niches:
        base = {"niche": niche, "exclude_statuses": EXCLUDED_STATUSES, "scope": scope}
        digest.new[niche] = [prospect_row(s) for s in store.prospects(ProspectFilter(new_since=since, **base))]
        # Before any digest there is no "before": nothing can have changed.
        digest.changed[niche] = [prospect_row(s) for s in
                                 store.prospects(ProspectFilter(changed_since=since, **base))] if since else []
    digest.links = store.link_changes(since=since or None)
    return digest


def summary(digest: Digest, top: int = 5) -> str:
    lines = [f"{digest.new_count} new prospects, {digest.changed_count} changed since "
             f"{digest.since or 'the first crawl'}"]
    for niche in digest.new:
        new, changed = digest.new[niche], digest.changed[niche]
        lines.append(f"  {niche}: {len(new)} new, {len(changed)} changed")
        for row in new[:top]:
            email = row["emails"][0] if row["emails"] else (row["contact_form"] and "(form)") or "-"
            lines.append(f"    {row['score']:>3}  {row['domain']:<30} {email:<32} {row['why'][:70]}")
    if digest.links:
        kinds = Counter(change["kind"] for change in digest.links)
        lines.append(f"  your links: {len(digest.links)} changes ("
                     + ", ".join(f"{n} {kind}" for kind, n in kinds.items()) + ")")
        for c in digest.links[:top]:
            lines.append(f"    {c['kind']:<11} {c['page_url'][:60]:<60} {c['before']} -> {c['after']}")
    return "\n".join(lines)


def digest_name(folder: Path, when: datetime | None = None) -> str:
    """``<date>-<HHMM>`` of the night (local time); ``-2``, ``-3``... when that name is taken: a second
    nightly in the same minute never overwrites the first one's digest."""
    base = (when or datetime.now()).strftime("%Y-%m-%d-%H%M")
    name, number = base, 1
    while (folder / f"{name}.md").exists() or (folder / f"{name}.csv").exists():
        number += 1
        name = f"{base}-{number}"
    return name


def write_digest(digest: Digest, folder: Path, name: str) -> tuple[Path, Path]:
    """``<name>.md`` and ``<name>.csv`` in ``folder``, copied to ``latest.md`` and ``latest.csv``;
    returns the two named ones."""
    folder.mkdir(parents=True, exist_ok=True)
    md, csv_path = folder / f"{name}.md", folder / f"{name}.csv"
    out = [f"# linkspider digest {name}", "",
           f"New and changed prospects since {digest.since or 'the first crawl'}.", ""]
    rows: list[dict[str, Any]] = []
    for niche in digest.new:
        for label, group in (("New", digest.new[niche]), ("Changed", digest.changed[niche])):
            out += [f"## {niche}: {label.lower()} ({len(group)})", ""]
            if group:
                out += ["| score | site | contact | why |", "|---:|---|---|---|"]
                for row in group:
                    contact = ", ".join(row["emails"][:2]) or row["contact_form"] or row["contact_page"] or "-"
                    out.append(f"| {row['score']} | [{row['domain']}]({row['home_url'] or 'http://' + row['domain']}) "
                               f"| {_md(contact)} | {_md(row['why'])} |")
                    rows.append({**row, "change": label.lower()})
            out.append("")
    if digest.links:
        out += [f"## Your links: changes ({len(digest.links)})", "",
                "| change | site | linking page | before | after | checked |", "|---|---|---|---|---|---|"]
        for c in digest.links:
            out.append(f"| {c['kind']} | {c['site']} | {_md(c['page_url'])} | {_md(c['before'])} | "
                       f"{_md(c['after'])} | {c['checked_at'][:16]} |")
        out.append("")
    md.write_text("\n".join(out), encoding="utf-8")
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        write_rows(rows, "csv", fh, columns=["change", *COLUMNS])
    for path in (md, csv_path):
        shutil.copyfile(path, folder / f"latest{path.suffix}")
    return md, csv_path


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
