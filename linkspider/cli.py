"""The ``linkspider`` command: a thin shell over the store, export and extractors.

Crawling itself is ``scrapy crawl <spider> -a niche=NAME``; this command works
with what the crawls stored: ``export``, ``report``, ``mark``, ``dnc``, ``rescore``,
``recover`` (what a failed or killed crawl left) and ``extract`` (debug one page).

Every failure ends as one ``Error:`` line, never a traceback: exit status 2
when what the user gave is wrong (a value, a file), 1 when the environment is
(a database missing, locked, read-only or damaged, a path that cannot be written).
"""

from __future__ import annotations

import csv
import errno
import json
import os
import re
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click

from linkspider.common.domains import registrable_domain
from linkspider.common.inputs import InputError, check_file, read_text
from linkspider.common.redact import install_log_redaction, redact
from linkspider.discover.niches import parse_seed_line
from linkspider.store.database import (
    OUTREACH_STATUSES,
    SIGNAL_KINDS,
    ProspectFilter,
    ProspectScope,
    Store,
    StoreError,
)
from linkspider.store.export import FORMATS, prospect_row, prospect_scope, write_rows

DEFAULT_DB = "output/linkspider.db"
SIGNALS = tuple(dict.fromkeys(SIGNAL_KINDS.values()))


class BadInput(click.ClickException):
    """What the user gave is wrong (a value, a file): one line, exit status 2.

    Exit status 1 (click's ClickException) is for the environment: a database
    that is missing, locked, read-only or damaged, a path that cannot be written.
    """

    exit_code = 2


class _Commands(click.Group):
    """The ``linkspider`` group: whatever a command did not word itself ends as one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as exc:
            raise BadInput(str(exc)) from exc
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # `linkspider export | head`: click ends quietly
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from exc


_AGE_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


class _Since(click.ParamType):
    """``--new-since``: an ISO date or date and time (local time unless it says otherwise),
    ``today``, ``yesterday`` or an age (``7d``, ``12h``, ``2w``) -> the UTC ISO text
    the database's timestamps compare with."""

    name = "WHEN"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip().lower()
        now = datetime.now().astimezone()
        age = re.fullmatch(r"(\d+)\s*([hdw])", text)
        if text in ("today", "yesterday"):
            when = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=text == "yesterday")
        elif age:
            when = now - timedelta(**{_AGE_UNITS[age[2]]: int(age[1])})
        else:
            try:
                when = datetime.fromisoformat(str(value).strip()).astimezone()
            except ValueError:
                self.fail(f"{value!r} is not a date: use an ISO date (2026-11-20) or date and time "
                          "(2026-11-20T18:00), 'today', 'yesterday' or an age such as 7d or 12h", param, ctx)
        return when.astimezone(timezone.utc).isoformat(timespec="milliseconds")


def _db_option(func: Any) -> Any:
    return click.option(
        "--db", "db_path", default=lambda: os.environ.get("LINKSPIDER_DB", DEFAULT_DB),
        show_default=f"$LINKSPIDER_DB or {DEFAULT_DB}", help="SQLite database to read/write.",
    )(func)


def _open(db_path: str, *, must_exist: bool = True, reading: bool = False) -> Store:
    """The database; ``reading`` commands also open a file they may not write (read-only)."""
    if os.path.lexists(db_path):
        check_file(db_path, "database")  # a folder or a device is named as such
    elif must_exist:
        raise click.ClickException(
            f"no database at {db_path}: run a crawl first (scrapy crawl seeds -a niche=NAME) or pass --db")
    return Store(db_path, reading=reading)


def _settings() -> Any:
    from linkspider.common.config import project_settings

    return project_settings()


def _scope(store: Store) -> ProspectScope:
    """Which of the database's sites are prospects (the niche profiles' thresholds and competitors)."""
    settings = _settings()
    return prospect_scope(store.niches(), settings.get("LINKSPIDER_SEEDS_DIR"),
                          settings.getfloat("PROSPECT_MIN_RELEVANCE"))


def _rescore(store: Store, domains: list[str]) -> None:
    """Score these sites again with the project's SCORE_WEIGHTS and LINKSPIDER_TODAY."""
    from linkspider.score.prospect import parse_today, score_site

    settings = _settings()
    weights, today = settings.getdict("SCORE_WEIGHTS"), parse_today(settings.get("LINKSPIDER_TODAY"))
    store.save_scores({s["domain"]: score_site(s, weights, today) for s in store.site_facts(domains)})


def _check_niche(store: Store, niche: str | None) -> None:
    """An unknown --niche is an error naming the niches the database has, not an empty result."""
    if niche and niche not in (known := store.niches()):
        raise BadInput(f"--niche {niche!r}: no site in {store.path} was found for it; "
                       f"niches in the database: {', '.join(known) or 'none yet'}")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="linkspider")
def main() -> None:
    """linkspider: find link-building prospects in your niche and who to write to.

    Crawl with Scrapy (scrapy crawl seeds -a niche=fitness), then export the
    ranked prospect list, mark outreach progress and report on the database.
    """
    install_log_redaction()


@main.command()
@_db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="csv, jsonl, json, or domains: one site a line, a seed list.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--niche", help="Only sites found for this niche (one the database has).")
@click.option("--min-score", type=click.IntRange(0, 100), help="Only sites scoring at least this (0-100).")
@click.option("--signal", "signals", multiple=True, type=click.Choice(SIGNALS),
              help="Only sites with this signal. Repeat to require several.")
@click.option("--has-email", is_flag=True, help="Only sites where an email address was found.")
@click.option("--status", "statuses", multiple=True, type=click.Choice(OUTREACH_STATUSES),
              help="Only sites with this outreach status (repeatable). Default: all but contacted and blocked.")
@click.option("--all", "everything", is_flag=True,
              help="Every site: also contacted and blocked ones, the do-not-contact list, sites that never "
                   "answered, sites below the niche's relevance threshold and the niche's competitors.")
@click.option("--new-since", type=_Since(),
              help="Only sites first seen since: an ISO date (2026-11-20) or date and time, today, "
                   "yesterday, or an age (7d, 12h).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows, best first.")
def export(db_path: str, fmt: str, output: str | None, niche: str | None, min_score: int | None,
           signals: tuple[str, ...], has_email: bool, statuses: tuple[str, ...], everything: bool,
           new_since: str | None, limit: int | None) -> None:
    """Write the ranked prospect list, one row per site, best score first.

    Sites marked contacted or blocked, anything on the do-not-contact list, and
    sites that are no prospects (never answered, below the niche's relevance
    threshold, the niche's own competitors) are left out unless you ask for
    them (--status, --all).
    """
    flt = ProspectFilter(niche=niche, min_score=min_score, signals=list(signals), has_email=has_email,
                         statuses=list(statuses), limit=limit, new_since=new_since,
                         exclude_statuses=[] if everything else ["contacted", "blocked"],
                         exclude_do_not_contact=not everything)
    with _open(db_path, reading=True) as store:
        _check_niche(store, niche)
        flt.scope = None if everything else _scope(store)
        rows = [prospect_row(site) for site in store.prospects(flt)]
    if not output:
        write_rows(rows, fmt, sys.stdout)
        return
    _write_atomically(Path(output), rows, fmt)
    click.echo(f"wrote {len(rows)} prospects to {output}", err=True)


def _write_atomically(path: Path, rows: list[dict[str, Any]], fmt: str) -> None:
    """Write beside the target and rename: a full disk never leaves half a file."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write_rows(rows, fmt, fh)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        why = f"{exc.filename} is not a folder" if isinstance(exc, FileExistsError) else exc.strerror or exc
        raise click.ClickException(f"could not write {path}: {why}; nothing in the database was changed") from exc


@main.command()
@_db_option
@click.option("--niche", help="Only this niche (one the database has).")
@click.option("--top", type=click.IntRange(min=0), default=15, show_default=True,
              help="How many top prospects to list.")
def report(db_path: str, niche: str | None, top: int) -> None:
    """Summarise the database per niche and outreach status, with the top prospects."""
    with _open(db_path, reading=True) as store:
        _check_niche(store, niche)
        counts = store.counts()
        flt = ProspectFilter(niche=niche, exclude_statuses=["contacted", "blocked"], scope=_scope(store))
        left_out = store.left_out(flt)
        flt.limit = top
        prospects = [prospect_row(s) for s in store.prospects(flt)] if top else []
    click.echo(f"{counts['sites']} sites, {counts['pages']} pages, {counts['emails']} email addresses "
               f"in {db_path}\n")
    click.echo(f"{'niche':<14} {'status':<10} {'sites':>6} {'score>=50':>10}")
    for row in counts["by_niche_status"]:
        click.echo(f"{row['niche'] or '-':<14} {row['status']:<10} {row['sites']:>6} {row['strong'] or 0:>10}")
    click.echo(f"\nLeft out of exports as no prospects (linkspider export --all includes them): never answered "
               f"{left_out['never_answered']}, below the relevance threshold {left_out['off_niche']}, "
               f"competitors of the niche {left_out['competitors']}")
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
    problems: list[str] = []
    if csv_path:
        rows, problems = _read_marks(Path(csv_path))
    elif domain and status:
        rows = [(domain, status, note, "command line")]
    else:
        raise click.UsageError("give DOMAIN --status STATUS [--note TEXT], or --csv FILE")
    marked = 0
    with _open(db_path) as store:
        for value, state, text, where in rows:
            key = registrable_domain(value) or value.lower()
            try:
                found = store.set_status(key, state, text)
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                continue
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
        raise BadInput("nothing was marked")


def _read_marks(path: Path) -> tuple[list[tuple[str, str, str | None, str]], list[str]]:
    """The rows of a marks spreadsheet (any encoding; comma, semicolon or tab) and the rows skipped."""
    text = read_text(path, "spreadsheet")
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    if not header:
        raise InputError(f"{path} is empty: expected a header row with the columns domain, status "
                         "and optionally note")
    reader = csv.DictReader(lines, delimiter=max(",;\t", key=header.count))  # one column: ","
    fields = {f.strip().lower(): f for f in reader.fieldnames or []}
    if "domain" not in fields or "status" not in fields:
        found = ", ".join(repr(f) for f in reader.fieldnames or [])
        raise InputError(f"{path}: needs the columns domain and status (and optionally note); found {found}")
    rows, problems = [], []
    try:
        for row in reader:
            where = f"{path}:{reader.line_num}"
            value, state = (row.get(fields["domain"]) or "").strip(), (row.get(fields["status"]) or "").strip().lower()
            note = (row.get(fields["note"]) or "").strip() if "note" in fields else None
            if value:
                rows.append((value, state, note or None, where))
            elif any((cell or "").strip() for cell in row.values() if isinstance(cell, str)):
                problems.append(f"{where}: no domain")
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: unreadable row ({exc})") from exc
    return rows, problems


@main.group("dnc")
def dnc() -> None:
    """The do-not-contact list: domains or emails never exported, digested or scored (globally, or for
    every site found for one niche)."""


@dnc.command("add")
@_db_option
@click.argument("values", nargs=-1, required=True)
@click.option("--niche", default="", help="Only for this niche (default: every niche).")
@click.option("--note", default="", help="Why.")
def dnc_add(db_path: str, values: tuple[str, ...], niche: str, note: str) -> None:
    """Add domains, email addresses or URLs (a URL stands for its site; a file of them: @path.txt).

    Values that are none of these are reported and skipped; a site given
    twice, or already on the list, is added once and reported.
    """
    items = _dnc_values(values)
    with _open(db_path, must_exist=False) as store:
        added = set(store.add_do_not_contact(items, niche, note))
        _rescore(store, store.domains_with_contacts(added))  # a blocked email earns no points, shows in no why
    already = [v for v in items if v not in added]
    click.echo(f"{len(added)} added to the do-not-contact list" + (f" for {niche}" if niche else "")
               + (f"; {len(already)} already on it: {', '.join(already[:10])}" if already else ""))


@dnc.command("remove")
@_db_option
@click.argument("values", nargs=-1, required=True)
@click.option("--niche", default="", help="From this niche's list (default: the global one).")
def dnc_remove(db_path: str, values: tuple[str, ...], niche: str) -> None:
    """Remove domains, email addresses or URLs (a file of them: @path.txt)."""
    items = _dnc_values(values)
    with _open(db_path) as store:
        removed = store.remove_do_not_contact(items, niche)
        _rescore(store, store.domains_with_contacts(items))
    click.echo(f"{removed} removed")


@dnc.command("list")
@_db_option
def dnc_list(db_path: str) -> None:
    """Show the do-not-contact list."""
    with _open(db_path, reading=True) as store:
        for row in store.do_not_contact():
            click.echo(f"{row['value']:<40} {row['niche'] or '(all niches)':<14} {row['note']}")


def _dnc_values(values: tuple[str, ...]) -> list[str]:
    """Each value (or each line of an @file) checked and normalised: an email address lower-cased,
    a domain or URL reduced to its registrable domain. Bad ones and repeats are reported on stderr;
    BadInput when nothing usable is left."""
    given: list[tuple[str, str]] = []  # (text, "path:line: 'text'" or "'text'")
    for value in values:
        if value.startswith("@"):
            lines = read_text(value[1:], "do-not-contact list").splitlines()
            given += [(text, f"{value[1:]}:{n}: {text[:120]!r}") for n, line in enumerate(lines, 1)
                      if (text := line.split("#", 1)[0].strip())]
        else:
            given.append((value.strip(), repr(value.strip()[:120])))
    seen: dict[str, str] = {}
    for text, where in given:
        value, why = _dnc_value(text)
        if why:
            click.echo(f"skipped {where}: {why}", err=True)
        elif value in seen:
            click.echo(f"skipped {where}: {value} is given twice (first {seen[value]})", err=True)
        else:
            seen[value] = where
    if not seen:
        raise BadInput("no domain, email address or URL to use")
    return list(seen)


_EMAIL_LOCAL_RE = re.compile(r"[^\s@<>()\[\],;:\"]+")


def _dnc_value(text: str) -> tuple[str, str]:
    """A do-not-contact entry as stored -> (value, "") or ("", why)."""
    local, at, host = text.rpartition("@")
    if at and "/" not in text:
        if not _EMAIL_LOCAL_RE.fullmatch(local):
            return "", "not an email address, domain or URL"
        parsed = parse_seed_line(host)
        if isinstance(parsed, str):
            return "", f"not an email address ({parsed})"
        return f"{local}@{host}".lower(), ""
    parsed = parse_seed_line(text)
    return ("", parsed) if isinstance(parsed, str) else (parsed[1], "")


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
    from linkspider.outreach.nightly import Interrupted, load_plan, run_plan
    from linkspider.store.digest import build_digest, digest_name, summary, write_digest

    steps = load_plan(Path(plan_path))  # a PlanError is bad input: one line, exit status 2
    started = datetime.now()
    with _open(db_path, must_exist=False) as store:
        for message in _recover(store):
            click.echo(message, err=True)
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

    try:
        results = run_plan(steps, Path(db_path), Path(jobs_dir), click.echo, describe)
    except Interrupted as stop:
        with _open(db_path) as store:
            store.finish_run(run_id, "shutdown", {"interrupted": str(stop)}, detail=f"{stop}; no digest written")
        where = f"; job {stop.job} keeps its checkpoint for the next night" if stop.job else ""
        raise click.ClickException(f"interrupted by {stop}: the night stopped, no digest written{where}") from None
    failed = [r for r in results if r.returncode != 0]
    niches = list(dict.fromkeys(step.niche for step in steps))
    folder = Path(digests_dir)
    with _open(db_path) as store:
        digest = build_digest(store, since, niches, _scope(store))
        md, csv_path = write_digest(digest, folder, digest_name(folder, started))
        store.finish_run(run_id, "failed" if failed else "finished",
                         {"steps": len(results), "failed": [r.step.job for r in failed], "digest": md.stem,
                          "new": digest.new_count, "changed": digest.changed_count})
    click.echo("")
    click.echo(summary(digest))
    click.echo(f"\ndigest: {md} and {csv_path} (also {folder / 'latest.md'})")
    if failed:
        raise click.ClickException(f"{len(failed)} crawl(s) failed: {', '.join(r.step.job for r in failed)}")


def _recover(store: Store, files: list[Path] | None = None) -> list[str]:
    from linkspider.score.prospect import parse_today
    from linkspider.store.recovery import recover as recover_store

    settings = _settings()
    return recover_store(store, settings.getdict("SCORE_WEIGHTS"), parse_today(settings.get("LINKSPIDER_TODAY")),
                         files)


@main.command()
@_db_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def recover(db_path: str, files: tuple[Path, ...]) -> None:
    """Import pages a crawl could not write, and close the run rows of killed crawls.

    Without FILES: the database's own unsaved-*.jsonl files (beside it, or in the
    temporary folder when its disk was full). The next crawl into the database
    does the same by itself before it starts.
    """
    with _open(db_path, must_exist=not files) as store:
        messages = _recover(store, list(files) or None)
    for message in messages:
        click.echo(message)
    if not messages:
        click.echo(f"nothing to recover for {db_path}")


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
    from linkspider.common.config import project_settings

    if not redis_url:
        raise click.ClickException("no Redis to read from: pass --redis URL or set REDIS_URL")
    try:
        from redis.exceptions import RedisError

        from linkspider.store.ingest import IngestError
        from linkspider.store.ingest import ingest as drain
    except ImportError as exc:
        raise click.ClickException(f"{exc}: pip install 'linkspider[distributed]'") from exc

    settings = project_settings()
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
    with _open(db_path) as store:
        domains = store.all_domains()
        _rescore(store, domains)
    click.echo(f"rescored {len(domains)} sites")


@main.command()
@click.argument("source")
@click.option("--url", help="The page's URL (for a local file: decides which emails are the site's own).")
@click.option("--json", "as_json", is_flag=True, default=True, help="Print one JSON object (default).")
def extract(source: str, url: str | None, as_json: bool) -> None:
    """Show what the extractors find on one page: a local FILE or an http(s) URL."""
    from linkspider.extract import extract_page

    if source.startswith(("http://", "https://")):
        from linkspider.crawl.one_page import fetch_page

        try:
            page_url, html = fetch_page(source)
        except RuntimeError as exc:
            raise click.ClickException(str(exc)) from exc
    else:
        path = check_file(source, "page")
        from w3lib.encoding import html_to_unicode

        _, html = html_to_unicode(None, path.read_bytes())
        page_url = url or path.resolve().as_uri()
    facts = extract_page(html, url or page_url)
    click.echo(json.dumps(facts, ensure_ascii=False, indent=2 if sys.stdout.isatty() else None))


if __name__ == "__main__":
    main()
