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

from linkspider.domains import registrable_domain
from linkspider.export import FORMATS, prospect_row, write_rows
from linkspider.redact import install_log_redaction, redact
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
    install_log_redaction()


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
              help="Only sites with this outreach status (repeatable). Default: all but contacted and blocked.")
@click.option("--all", "everything", is_flag=True,
              help="Include contacted and blocked sites and the do-not-contact list.")
@click.option("--new-since", help="Only sites first seen at or after this date/time (ISO, e.g. 2026-11-20).")
@click.option("--limit", type=int, help="At most this many rows, best first.")
def export(db_path: str, fmt: str, output: str | None, niche: str | None, min_score: int | None,
           signals: tuple[str, ...], has_email: bool, statuses: tuple[str, ...], everything: bool,
           new_since: str | None, limit: int | None) -> None:
    """Write the ranked prospect list, one row per site, best score first.

    Sites marked contacted or blocked, and anything on the do-not-contact list,
    are left out unless you ask for them (--status, --all).
    """
    flt = ProspectFilter(niche=niche, min_score=min_score, signals=list(signals), has_email=has_email,
                         statuses=list(statuses), limit=limit, new_since=new_since,
                         exclude_statuses=[] if everything else ["contacted", "blocked"],
                         exclude_do_not_contact=not everything)
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
@click.argument("domain", required=False)
@click.option("--status", type=click.Choice(OUTREACH_STATUSES), help="Outreach status.")
@click.option("--note", help="A note to keep with the site (replaces the previous note).")
@click.option("--csv", "csv_path", type=click.Path(exists=True, dir_okay=False),
              help="Mark many sites from a spreadsheet: columns domain, status and optionally note.")
def mark(db_path: str, domain: str | None, status: str | None, note: str | None, csv_path: str | None) -> None:
    """Record outreach progress for a site (or many, --csv); crawls never overwrite it.

    Statuses: new, contacted, replied, won, rejected, blocked. Exports and
    digests leave out contacted and blocked sites.
    """
    if csv_path:
        rows = _read_marks(Path(csv_path))
    elif domain and status:
        rows = [(domain, status, note, "command line")]
    else:
        raise click.UsageError("give DOMAIN --status STATUS [--note TEXT], or --csv FILE")
    marked, problems = 0, []
    with _open(db_path) as store:
        for value, state, text, where in rows:
            key = registrable_domain(value) or value.lower()
            try:
                found = store.set_status(key, state, text)
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                continue
            except StoreError as exc:
                raise click.ClickException(str(exc)) from exc
            if found:
                marked += 1
                if not csv_path:
                    click.echo(f"{key}: {state}")
            else:
                problems.append(f"{where}: {key} is not in {db_path}")
    for problem in problems:
        click.echo(f"skipped {problem}", err=True)
    if csv_path:
        click.echo(f"marked {marked} sites ({len(problems)} rows skipped)")
    if problems and not marked:
        raise click.ClickException("nothing was marked")


def _read_marks(path: Path) -> list[tuple[str, str, str | None, str]]:
    import csv

    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(text.splitlines(), dialect=csv.Sniffer().sniff(text[:2048], ",;\t"))
    fields = {f.strip().lower(): f for f in reader.fieldnames or []}
    if "domain" not in fields or "status" not in fields:
        raise click.ClickException(f"{path}: needs columns 'domain' and 'status' (found {reader.fieldnames})")
    rows = []
    for number, row in enumerate(reader, start=2):
        value, state = (row.get(fields["domain"]) or "").strip(), (row.get(fields["status"]) or "").strip().lower()
        note = (row.get(fields["note"]) or "").strip() if "note" in fields else None
        if value:
            rows.append((value, state, note or None, f"{path}:{number}"))
    return rows


@main.group("dnc")
def dnc() -> None:
    """The do-not-contact list: domains or emails never exported or digested (globally or per niche)."""


@dnc.command("add")
@_db_option
@click.argument("values", nargs=-1, required=True)
@click.option("--niche", default="", help="Only for this niche (default: every niche).")
@click.option("--note", default="", help="Why.")
def dnc_add(db_path: str, values: tuple[str, ...], niche: str, note: str) -> None:
    """Add domains or email addresses (a file of them: @path.txt)."""
    items = _values(values)
    with _open(db_path, must_exist=False) as store:
        store.add_do_not_contact(items, niche, note)
    click.echo(f"{len(items)} added to the do-not-contact list" + (f" for {niche}" if niche else ""))


@dnc.command("remove")
@_db_option
@click.argument("values", nargs=-1, required=True)
@click.option("--niche", default="", help="From this niche's list (default: the global one).")
def dnc_remove(db_path: str, values: tuple[str, ...], niche: str) -> None:
    """Remove domains or email addresses."""
    with _open(db_path) as store:
        removed = store.remove_do_not_contact(_values(values), niche)
    click.echo(f"{removed} removed")


@dnc.command("list")
@_db_option
def dnc_list(db_path: str) -> None:
    """Show the do-not-contact list."""
    with _open(db_path) as store:
        for row in store.do_not_contact():
            click.echo(f"{row['value']:<40} {row['niche'] or '(all niches)':<14} {row['note']}")


def _values(values: tuple[str, ...]) -> list[str]:
    """Domains are normalised to registrable domains; @file reads one value per line."""
    out: list[str] = []
    for value in values:
        if value.startswith("@"):
            lines = Path(value[1:]).read_text(encoding="utf-8").splitlines()
            out += [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]
        else:
            out.append(value.strip())
    return [v.lower() if "@" in v else (registrable_domain(v) or v.lower()) for v in out]


@main.command()
@_db_option
@click.option("--plan", "plan_path", default="seeds/nightly.toml", show_default=True,
              type=click.Path(dir_okay=False), help="The plan: niches x spiders x limits (TOML).")
@click.option("--jobs-dir", default="output/jobs", show_default=True, help="Per-job logs.")
@click.option("--digests-dir", default="output/digests", show_default=True, help="Where digests go.")
def nightly(db_path: str, plan_path: str, jobs_dir: str, digests_dir: str) -> None:
    """Run the nightly plan, resuming crawls a kill cut off, then digest what is new.

    Exit status 1 when a crawl failed (the others still ran, the digest is written).
    """
    from linkspider.digest import build_digest, summary, write_digest
    from linkspider.nightly import PlanError, digest_name, load_plan, run_plan

    try:
        steps = load_plan(Path(plan_path))
    except PlanError as exc:
        raise click.ClickException(str(exc)) from exc
    with _open(db_path, must_exist=False) as store:
        # New since the last digest; the first digest (or after a nightly that was
        # killed before its digest) reports everything not yet reported.
        since = store.last_finished("nightly") or ""
        run_id = store.start_run("nightly", "", {"plan": plan_path})

    def describe(step: Any) -> str:
        with _open(db_path) as s:
            run = s.last_run(step.spider, step.niche) or {"stats": {}}
        stats = run["stats"]
        return (f"{stats.get('linkspider/sites', 0)} sites, {stats.get('linkspider/pages', 0)} pages, "
                f"{stats.get('linkspider/pages_with_email', 0)} with an email")

    results = run_plan(steps, Path(db_path), Path(jobs_dir), click.echo, describe)
    failed = [r for r in results if r.returncode != 0]
    niches = list(dict.fromkeys(step.niche for step in steps))
    with _open(db_path) as store:
        digest = build_digest(store, since, niches)
        md, csv_path = write_digest(digest, Path(digests_dir), digest_name())
        store.finish_run(run_id, "failed" if failed else "finished",
                         {"steps": len(results), "failed": [r.step.job for r in failed],
                          "new": digest.new_count, "changed": digest.changed_count})
    click.echo("")
    click.echo(summary(digest))
    click.echo(f"\ndigest: {md} and {csv_path}")
    if failed:
        raise click.ClickException(f"{len(failed)} crawl(s) failed: {', '.join(r.step.job for r in failed)}")


@main.command()
@_db_option
@click.option("--redis", "redis_url", default=lambda: os.environ.get("REDIS_URL", ""), show_default="$REDIS_URL",
              help="Redis of the distributed crawl, e.g. redis://10.0.0.5:6379/0.")
@click.option("--until-idle", type=float, metavar="SECONDS",
              help="Stop once no item has arrived for this long (default: run until interrupted).")
@click.option("--batch", type=click.IntRange(min=1), default=100, show_default=True,
              help="Items per transaction.")
def ingest(db_path: str, redis_url: str, until_idle: float | None, batch: int) -> None:
    """Write the items of a distributed crawl (workers run with REDIS_URL) into the database."""
    from scrapy.utils.project import get_project_settings

    if not redis_url:
        raise click.ClickException("no Redis to read from: pass --redis URL or set REDIS_URL")
    try:
        from redis.exceptions import RedisError

        from linkspider.ingest import IngestError, ingest as drain
    except ImportError as exc:
        raise click.ClickException(f"{exc}: pip install 'linkspider[distributed]'") from exc

    settings = get_project_settings()
    try:
        result = drain(redis_url, db_path, batch=batch, until_idle=until_idle,
                       weights=settings.getdict("SCORE_WEIGHTS"), today=settings.get("LINKSPIDER_TODAY") or None)
    except KeyboardInterrupt:
        raise click.ClickException("interrupted: items not yet committed stay in Redis for the next ingest")
    except (IngestError, StoreError, RedisError, ValueError) as exc:
        raise click.ClickException(redact(exc)) from exc
    click.echo(f"wrote {result.pages} pages, {result.discoveries} discoveries and {result.runs} run records "
               f"of {len(result.domains)} sites to {db_path}", err=True)


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
