"""The ``linkspider`` command: a thin shell over the store, export and extractors.

Crawling itself is ``scrapy crawl <spider> -a niche=NAME``; this command works
with what the crawls stored: ``export``, ``report``, ``mark``, ``rescore`` and
``extract`` (debug one page).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from linkspider.export import FORMATS, prospect_row, write_rows
from linkspider.store import OUTREACH_STATUSES, ProspectFilter, Store, StoreError

DEFAULT_DB = "output/linkspider.db"


def _db_option(func: Any) -> Any:
    return click.option(
        "--db", "db_path", default=lambda: os.environ.get("LINKSPIDER_DB", DEFAULT_DB),
        show_default=f"$LINKSPIDER_DB or {DEFAULT_DB}", help="SQLite database to read/write.",
    )(func)


def _open(db_path: str, *, must_exist: bool = True) -> Store:
    if must_exist and not Path(db_path).is_file():
        raise click.ClickException(
            f"no database at {db_path}: run a crawl first (scrapy crawl seeds -a niche=NAME) or pass --db")
    try:
        return Store(db_path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="linkspider")
def main() -> None:
    """linkspider: find link-building prospects in your niche and who to write to.

    Crawl with Scrapy (scrapy crawl seeds -a niche=fitness), then export the
    ranked prospect list, mark outreach progress and report on the database.
    """


@main.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--niche", help="Only sites found for this niche.")
@click.option("--min-score", type=int, help="Only sites scoring at least this (0-100).")
@click.option("--signal", "signals", multiple=True,
              help="Only sites with this signal: write_for_us, roundup, resources, sponsored, "
                   "rejects_guest_posts, contact_page. Repeat to require several.")
@click.option("--has-email", is_flag=True, help="Only sites where an email address was found.")
@click.option("--status", "statuses", multiple=True, type=click.Choice(OUTREACH_STATUSES),
              help="Only sites with this outreach status (repeatable). Default: all.")
@click.option("--limit", type=int, help="At most this many rows, best first.")
def export(db_path: str, fmt: str, output: str | None, niche: str | None, min_score: int | None,
           signals: tuple[str, ...], has_email: bool, statuses: tuple[str, ...], limit: int | None) -> None:
    """Write the ranked prospect list, one row per site, best score first."""
    flt = ProspectFilter(niche=niche, min_score=min_score, signals=list(signals),
                         has_email=has_email, statuses=list(statuses), limit=limit)
    with _open(db_path) as store:
        try:
            rows = [prospect_row(site) for site in store.prospects(flt)]
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    if not output:
        write_rows(rows, fmt, sys.stdout)
        return
    _write_atomically(Path(output), rows, fmt)
    click.echo(f"wrote {len(rows)} prospects to {output}", err=True)


def _write_atomically(path: Path, rows: list[dict[str, Any]], fmt: str) -> None:
    """Write beside the target and rename: a full disk never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write_rows(rows, fmt, fh)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise click.ClickException(f"could not write {path}: {exc.strerror or exc}; "
                                   f"nothing in the database was changed") from exc


@main.command()
@_db_option
@click.option("--niche", help="Only this niche.")
@click.option("--top", type=int, default=15, show_default=True, help="How many top prospects to list.")
def report(db_path: str, niche: str | None, top: int) -> None:
    """Summarise the database per niche and outreach status, with the top prospects."""
    with _open(db_path) as store:
        counts = store.counts()
        prospects = [prospect_row(s) for s in store.prospects(ProspectFilter(niche=niche, limit=top))]
    click.echo(f"{counts['sites']} sites, {counts['pages']} pages, {counts['emails']} email addresses "
               f"in {db_path}\n")
    click.echo(f"{'niche':<14} {'status':<10} {'sites':>6} {'score>=50':>10}")
    for row in counts["by_niche_status"]:
        click.echo(f"{row['niche'] or '-':<14} {row['status']:<10} {row['sites']:>6} {row['strong'] or 0:>10}")
    if prospects:
        click.echo(f"\nTop {len(prospects)} prospects" + (f" for {niche}" if niche else "") + ":")
        click.echo(f"{'score':>5}  {'domain':<28} {'email':<34} why")
        for p in prospects:
            email = p["emails"][0] if p["emails"] else ("(form)" if p["contact_form"] else "-")
            click.echo(f"{p['score']:>5}  {p['domain']:<28} {email:<34} {p['why']}")


@main.command()
@_db_option
@click.argument("domain")
@click.option("--status", required=True, type=click.Choice(OUTREACH_STATUSES), help="Outreach status.")
@click.option("--note", help="A note to keep with the site (replaces the previous note).")
def mark(db_path: str, domain: str, status: str, note: str | None) -> None:
    """Record outreach progress for a site; crawls never overwrite it."""
    from linkspider.domains import registrable_domain

    key = registrable_domain(domain) or domain.lower()
    with _open(db_path) as store:
        try:
            found = store.set_status(key, status, note)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
    if not found:
        raise click.ClickException(f"{key} is not in {db_path}")
    click.echo(f"{key}: {status}")


@main.command()
@_db_option
def rescore(db_path: str) -> None:
    """Recompute every site's score (after changing the weights)."""
    from scrapy.utils.project import get_project_settings

    from linkspider.score import parse_today, score_site

    settings = get_project_settings()
    weights, today = settings.getdict("SCORE_WEIGHTS"), parse_today(settings.get("LINKSPIDER_TODAY"))
    with _open(db_path) as store:
        domains = store.all_domains()
        store.save_scores({s["domain"]: score_site(s, weights, today) for s in store.site_facts(domains)})
    click.echo(f"rescored {len(domains)} sites")


@main.command()
@click.argument("source")
@click.option("--url", help="The page's URL (for a local file: decides which emails are the site's own).")
@click.option("--json", "as_json", is_flag=True, default=True, help="Print one JSON object (default).")
def extract(source: str, url: str | None, as_json: bool) -> None:
    """Show what the extractors find on one page: a local FILE or an http(s) URL."""
    from linkspider.extract import extract_page

    if source.startswith(("http://", "https://")):
        from linkspider.fetch import fetch_page

        try:
            page_url, html = fetch_page(source)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        path = Path(source)
        if not path.is_file():
            raise click.ClickException(f"no such file: {source}")
        from w3lib.encoding import html_to_unicode

        _, html = html_to_unicode(None, path.read_bytes())
        page_url = url or path.resolve().as_uri()
    facts = extract_page(html, url or page_url)
    click.echo(json.dumps(facts, ensure_ascii=False, indent=2 if sys.stdout.isatty() else None))


if __name__ == "__main__":
    main()
