"""The ``linkspider`` command: a thin shell over the store, export and extractors.

Crawling itself is ``scrapy crawl <spider> -a niche=NAME``; this command works
with what the crawls stored: ``export``, ``report``, ``mark``, ``dnc``, ``rescore``,
``recover`` (what a failed or killed crawl left) and ``extract`` (debug one page),
and keeps the links you have: ``links``
(add, import, export, ``--changes``) and ``monitor`` (``scrapy crawl monitor``).

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
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click

from linkspider.common.domains import hostname, registrable_domain
from linkspider.common.inputs import InputError, check_file, read_text
from linkspider.common.redact import install_log_redaction, redact
from linkspider.discover.backlinks import FORMATS as BACKLINK_FORMATS
from linkspider.discover.backlinks import BacklinkError, normalise_url, read_backlinks
from linkspider.discover.niches import load_niche, parse_seed_line
from linkspider.score.authority import CC_MEASURES, open_lines, read_ranking
from linkspider.score.link_changes import RELS, STATUSES
from linkspider.settings import DEFAULT_DB
from linkspider.store.database import (
    OUTREACH_STATUSES,
    SIGNAL_KINDS,
    ProspectFilter,
    ProspectScope,
    Store,
    StoreError,
    own_backlink_row,
    placed_link_row,
)
from linkspider.store.export import (
    ARTICLE_COLUMNS,
    BROKEN_COLUMNS,
    COLUMNS,
    FORMATS,
    LINK_COLUMNS,
    ROW_FORMATS,
    article_row,
    broken_link_row,
    link_row,
    prospect_row,
    prospect_scope,
    write_rows,
)

# The page kinds, and a roundup/resources page's dead links (linkspider/crawl/outbound.py).
SIGNALS = tuple(dict.fromkeys([*SIGNAL_KINDS.values(), "broken_link"]))


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
    from linkspider.score.prospect import parse_today

    settings = _settings()
    store.rescore(domains, settings.getdict("SCORE_WEIGHTS"), parse_today(settings.get("LINKSPIDER_TODAY")))


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
@click.option("--min-authority", type=click.IntRange(0, 100),
              help="Only sites with at least this authority (0-100; see `linkspider authority import`).")
@click.option("--signal", "signals", multiple=True, type=click.Choice(SIGNALS),
              help="Only sites with this signal. Repeat to require several.")
@click.option("--has-email", is_flag=True, help="Only sites where an email address was found.")
@click.option("--status", "statuses", multiple=True, type=click.Choice(OUTREACH_STATUSES),
              help="Only sites with this outreach status (repeatable). Default: all but contacted and blocked.")
@click.option("--all", "everything", is_flag=True,
              help="Every site: also contacted and blocked ones, the do-not-contact list, sites that already "
                   "link to you, sites that never answered, sites below the niche's relevance threshold "
                   "and the niche's competitors.")
@click.option("--new-since", type=_Since(),
              help="Only sites first seen since: an ISO date (2026-11-20) or date and time, today, "
                   "yesterday, or an age (7d, 12h).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many rows, best first.")
@click.option("--for-article", "for_article", metavar="URL",
              help="Rank by fit with this article of yours (one `scrapy crawl article` read); only sites "
                   "that fit it.")
@click.option("--broken-links", is_flag=True,
              help="One row per dead link found on the sites' roundup and resources pages, instead of one per site.")
def export(db_path: str, fmt: str, output: str | None, niche: str | None, min_score: int | None,
           min_authority: int | None, signals: tuple[str, ...], has_email: bool, statuses: tuple[str, ...], everything: bool,
           new_since: str | None, limit: int | None, for_article: str | None, broken_links: bool) -> None:
    """Write the ranked prospect list, one row per site, best score first.

    Sites marked contacted or blocked, anything on the do-not-contact list, and
    sites that already link to you (a placed link not lost, a crawled page or an
    imported export of your backlinks) and sites that are no prospects (never
    answered, below the niche's relevance threshold, the niche's own
    competitors) are left out unless you ask for them (--status, --all).
    With --for-article URL the sites that fit that article come best fit first;
    with --broken-links each dead link is a row of its own.
    """
    if for_article and broken_links:
        raise BadInput("--for-article and --broken-links are two different lists: give one of them")
    flt = ProspectFilter(niche=niche, min_score=min_score, min_authority=min_authority, signals=list(signals),
                         has_email=has_email,
                         statuses=list(statuses), limit=limit, new_since=new_since,
                         exclude_statuses=[] if everything else ["contacted", "blocked"],
                         exclude_do_not_contact=not everything, exclude_linking=not everything)
    columns, what = COLUMNS, "prospects"
    with _open(db_path, reading=True) as store:
        _check_niche(store, niche)
        flt.scope = None if everything else _scope(store)
        if broken_links:
            flt.limit = None
            wanted = {site["domain"] for site in store.prospects(flt)}
            rows = [broken_link_row(r) for r in store.broken_links(niche) if r["domain"] in wanted][:limit]
            columns, what = BROKEN_COLUMNS, "dead links"
        elif for_article:
            if not store.articles(for_article):
                known = sorted({a["url"] for a in store.articles()})
                raise BadInput(f"--for-article {for_article!r}: no such article in {store.path} "
                               f"(run scrapy crawl article -a url=... first); articles read: "
                               f"{', '.join(known) or 'none yet'}")
            fits = store.article_fits(for_article)
            flt.limit = None
            sites = [s for s in store.prospects(flt) if s["domain"] in fits]
            sites.sort(key=lambda s: (-fits[s["domain"]]["fit"], -(s["score"] or 0), s["domain"]))
            rows = [article_row(prospect_row(s), fits[s["domain"]]) for s in sites][:limit]
            columns = ARTICLE_COLUMNS
        else:
            rows = [prospect_row(site) for site in store.prospects(flt)]
    if not output:
        write_rows(rows, fmt, sys.stdout, columns=columns)
        return
    _write_atomically(Path(output), rows, fmt, columns=columns)
    click.echo(f"wrote {len(rows)} {what} to {output}", err=True)


def _write_atomically(path: Path, rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None) -> None:
    """Write beside the target and rename: a full disk never leaves half a file."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write_rows(rows, fmt, fh, columns=columns)
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
        click.echo(f"{'score':>5} {'auth':>4}  {'domain':<28} {'email':<34} why")
        for p in prospects:
            email = p["emails"][0] if p["emails"] else ("(form)" if p["contact_form"] else "-")
            authority = "-" if p["authority"] is None else p["authority"]
            click.echo(f"{p['score']:>5} {authority:>4}  {p['domain']:<28} {email:<34} {p['why']}")


@main.command()
@_db_option
@click.argument("domain", required=False)
@click.option("--status", type=click.Choice(OUTREACH_STATUSES), help="Outreach status.")
@click.option("--note", help="A note to keep with the site (replaces the previous note).")
@click.option("--csv", "csv_path", type=click.Path(exists=True, dir_okay=False),
              help="Mark many sites from a spreadsheet: columns domain, status and optionally note.")
@click.option("--link", "links", multiple=True, metavar="PAGE_URL",
              help="With --status won: the page that links to you now (repeatable); linkspider monitor watches it.")
@click.option("--target", help="With --link: the page of yours it links to (default: your site, the site's "
                               "niche profile's domain = ...).")
def mark(db_path: str, domain: str | None, status: str | None, note: str | None, csv_path: str | None,
         links: tuple[str, ...], target: str | None) -> None:
    """Record outreach progress for a site (or many, --csv); crawls never overwrite it.

    Statuses: new, contacted, replied, won, rejected, blocked. Exports and
    digests leave out contacted and blocked sites, and sites that link to you.
    """
    problems: list[str] = []
    if csv_path:
        rows, problems = _read_marks(Path(csv_path))
    elif domain and status:
        rows = [(domain, status, note, "command line")]
    else:
        raise click.UsageError("give DOMAIN --status STATUS [--note TEXT], or --csv FILE")
    if links and (csv_path or status != "won"):
        raise BadInput("--link goes with DOMAIN --status won: the page where the link you won is")
    pages = [_url_arg(link, "--link") for link in links]
    marked = 0
    with _open(db_path) as store:
        if pages:
            assert domain is not None
            key = registrable_domain(domain) or domain.lower()
            site = next(store.site_facts([key]), None)
            if site is None:
                raise BadInput(f"{key} is not in {db_path}")
            targets = [_url_arg(target, "--target")] if target else _profile_targets(site["niche"] or "")
            if not targets:
                raise BadInput(f"--link needs --target URL (the page of yours it links to): the niche profile "
                               f"{site['niche'] or '(none)'} of {key} names no domain of yours")
            store.add_placed_links([_placed(page, targets[0], key, note or "", "mark --status won") for page in pages])
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
                    click.echo(f"{key}: {state}" + (f"; watching {len(pages)} link(s): linkspider monitor"
                                                     if pages else ""))
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
        if step.spider == "monitor":
            changes = sum(v for k, v in stats.items() if k.startswith("linkspider/monitor/changes/"))
            return f"{stats.get('linkspider/monitor/checked', 0)} links checked, {changes} changes"
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
    niches = list(dict.fromkeys(step.niche for step in steps if step.niche))
    folder = Path(digests_dir)
    with _open(db_path) as store:
        digest = build_digest(store, since, niches, _scope(store))
        md, csv_path = write_digest(digest, folder, digest_name(folder, started))
        store.finish_run(run_id, "failed" if failed else "finished",
                         {"steps": len(results), "failed": [r.step.job for r in failed], "digest": md.stem,
                          "new": digest.new_count, "changed": digest.changed_count,
                          "link_changes": len(digest.links)})
    click.echo("")
    click.echo(summary(digest))
    click.echo(f"\ndigest: {md} and {csv_path} (also {folder / 'latest.md'})")
    if failed:
        raise click.ClickException(f"{len(failed)} crawl(s) failed: {', '.join(r.step.job for r in failed)}")


# ---------------------------------------------------------------- your links

def _url_arg(value: str, what: str) -> str:
    """A page URL (or a bare domain: its home page) a person typed -> normalised; BadInput naming it."""
    url, why = normalise_url(value)
    if url is None:
        raise BadInput(f"{what} {value[:120]!r}: {why}")
    return url


def _domain_arg(value: str | None, what: str) -> str | None:
    if not value:
        return None
    domain = registrable_domain(value.strip())
    if not domain:
        raise BadInput(f"{what} {value[:120]!r} is not a site: give a domain such as example.com")
    return domain


def _profile_targets(niche: str) -> list[str]:
    """Home pages of the user's sites, from a niche profile's ``domain = ...`` (none when it has none)."""
    if not niche:
        return []
    from linkspider.common.config import project_settings

    profile = load_niche(niche, project_settings().get("LINKSPIDER_SEEDS_DIR", "seeds"))
    return [f"https://{domain}/" for domain in profile.domains]


def _placed(page_url: str, target_url: str, site: str, note: str, source: str) -> dict[str, Any]:
    target_domain = registrable_domain(target_url)
    if target_domain == registrable_domain(page_url):
        raise BadInput(f"{page_url} and {target_url} are on the same site: a placed link goes from another "
                       "site to yours")
    return placed_link_row(page_url, target_url, site=site, target_domain=target_domain, note=note, source=source)


@main.group("links", invoke_without_command=True)
@_db_option
@click.option("--changes", is_flag=True, help="List what changed: by default what the last monitor run found.")
@click.option("--since", type=_Since(), help="With --changes: every change found since (ISO date, today, 7d...).")
@click.option("--site", help="Only the links on this site.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def links(ctx: click.Context, db_path: str, changes: bool, since: str | None, site: str | None,
          as_json: bool) -> None:
    """The links you have (won, placed) and what linkspider monitor found on their pages.

    Without a subcommand: each placed link with its newest check (--changes:
    what changed). Subcommands add, import and export manage the list.
    """
    if ctx.invoked_subcommand:
        return
    site = _domain_arg(site, "--site")
    with _open(db_path, reading=True) as store:
        if changes or since:
            run = None if since else store.last_run("monitor", "")
            if since:
                found = store.link_changes(since=since)
            else:
                found = store.link_changes(run_id=run["id"]) if run else []
            found = [c for c in found if not site or c["site"] == site]
            if as_json:
                click.echo(json.dumps(found, ensure_ascii=False, indent=2))
                return
            when = f"since {since}" if since else (f"by the monitor run of {run['started']}" if run else "")
            click.echo(_changes_text(found, when))
            return
        rows = [link_row(link) for link in store.placed_links(site=site)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no placed links in {db_path}: add them with linkspider links add PAGE_URL TARGET_URL, "
                   "links import FILE, or mark DOMAIN --status won --link PAGE_URL")
        return
    click.echo(_status_counts(rows))
    for row in rows:
        click.echo(f"{row['status']:<9} {row['rel'] or '-':<9} {row['page_url']} -> {row['target_url']}"
                   + (f"  (checked {row['last_checked'][:16]})" if row["last_checked"] else ""))


def _status_counts(rows: list[dict[str, Any]]) -> str:
    counts = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
    return f"{len(rows)} placed links: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n)


def _changes_text(changes: list[dict[str, Any]], when: str) -> str:
    when = f" {when}" if when else ""
    if not changes:
        return f"no changes{when}"
    lines = [f"{len(changes)} change{'s' if len(changes) > 1 else ''}{when}:"]
    for c in changes:
        lines.append(f"  {c['kind']:<11} {c['page_url']} -> {c['target_url']}  ({c['before']} -> {c['after']})"
                     + (f"  {c['detail']}" if c["detail"] and c["kind"] in ("lost", "unsure", "unchecked") else ""))
    return "\n".join(lines)


@links.command("add")
@_db_option
@click.argument("page_url")
@click.argument("target_url")
@click.option("--site", help="The site the link counts for (default: PAGE_URL's).")
@click.option("--note", default="", help="A note to keep with the link (a price, a contact, a date).")
def links_add(db_path: str, page_url: str, target_url: str, site: str | None, note: str) -> None:
    """Watch a link you have: PAGE_URL (on another site) links to TARGET_URL (on yours)."""
    page, target = _url_arg(page_url, "PAGE_URL"), _url_arg(target_url, "TARGET_URL")
    key = _domain_arg(site, "--site") or registrable_domain(page) or hostname(page)
    with _open(db_path, must_exist=False) as store:
        new = store.add_placed_links([_placed(page, target, key, note, "links add")])
    click.echo(f"{'added' if new else 'already watched'}: {page} -> {target} ({key})")


@links.command("import")
@_db_option
@click.argument("file")
@click.option("--own", is_flag=True,
              help="FILE is a backlink export of your own site: its sites already link to you and are not "
                   "prospects (without --own each row becomes a placed link the monitor watches).")
@click.option("--target", help="Your site (domain or URL): the target of rows that name none; rows that "
                               "link elsewhere are skipped.")
@click.option("--niche", help="Your site from this niche profile's domain = ... (instead of --target).")
@click.option("--format", "fmt", type=click.Choice([*BACKLINK_FORMATS, "plain"]),
              help="The export's format, when detection from its header fails.")
def links_import(db_path: str, file: str, own: bool, target: str | None, niche: str | None,
                 fmt: str | None) -> None:
    """Import links from an export: Ahrefs, Semrush, Moz, Majestic, Search Console, or a file of
    PAGE_URL[,TARGET_URL] lines (a header such as page,target is optional).

    Rows that cannot be used are reported with FILE:LINE and skipped.
    """
    try:
        imported = read_backlinks(file, format=fmt)
    except BacklinkError as exc:
        raise BadInput(str(exc)) from exc
    defaults = [_url_arg(target, "--target")] if target else _profile_targets(niche or "")
    if niche and not defaults:
        raise BadInput(f"--niche {niche}: its profile names no domain of yours; add domain = \"mysite.com\"")
    yours = {registrable_domain(u) for u in defaults}
    problems, rows = list(imported.errors), []
    for row in imported.rows:
        target_url = row.target_url or (defaults[0] if defaults else None)
        if target_url is None:
            problems.append(f"{row.source}: names no page linked to: pass --target YOUR_SITE or --niche NAME")
            continue
        target_domain, site = registrable_domain(target_url), row.referring_domain
        if yours and target_domain not in yours:
            problems.append(f"{row.source}: links to {target_domain}, not to {', '.join(sorted(yours))}")
        elif target_domain == site:
            problems.append(f"{row.source}: a link within {site}, not from another site")
        elif own:
            rel = " ".join(r for r, flag in (("nofollow", row.nofollow), ("sponsored", row.sponsored),
                                             ("ugc", row.ugc)) if flag)
            rows.append(own_backlink_row(site, row.referring_url, target_domain, target_url=target_url,
                                         anchor=row.anchor, rel=rel, source=f"import {row.source}",
                                         lost=bool(row.lost)))
        else:
            rows.append(placed_link_row(row.referring_url, target_url, site=site, target_domain=target_domain,
                                        source=f"import {row.source}"))
    for problem in problems[:50]:
        click.echo(f"skipped {problem}", err=True)
    if not rows:
        raise BadInput(f"nothing to import from {file} ({len(problems)} rows skipped)")
    with _open(db_path, must_exist=False) as store:
        if own:
            new = store.write_own_backlinks(rows)
        else:
            new = len(store.add_placed_links(rows))
    what = "links to your site (their sites are not prospects)" if own else "placed links to watch"
    click.echo(f"imported {len(rows)} {what} from {file} ({imported.format} format): {new} new, "
               f"{len(rows) - new} known; {len(problems)} rows skipped")


@links.command("export")
@_db_option
@click.option("--format", "fmt", type=click.Choice(ROW_FORMATS), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only links whose newest check says this (repeatable).")
@click.option("--rel", "rels", multiple=True, type=click.Choice(RELS), help="Only links with this rel (repeatable).")
@click.option("--site", help="Only the links on this site.")
def links_export(db_path: str, fmt: str, output: str | None, statuses: tuple[str, ...], rels: tuple[str, ...],
                 site: str | None) -> None:
    """Write every placed link with its newest check: status, rel, anchor, page status, redirects, noindex."""
    with _open(db_path, reading=True) as store:
        rows = [link_row(link) for link in store.placed_links(site=_domain_arg(site, "--site"), statuses=statuses,
                                                                 rels=rels)]
    if not output:
        write_rows(rows, fmt, sys.stdout, columns=LINK_COLUMNS)
        return
    _write_atomically(Path(output), rows, fmt, LINK_COLUMNS)
    click.echo(f"wrote {len(rows)} links to {output}", err=True)


def _recover(store: Store, files: list[Path] | None = None) -> list[str]:
    from linkspider.score.prospect import parse_today
    from linkspider.store.recovery import recover as recover_store

    settings = _settings()
    return recover_store(store, settings.getdict("SCORE_WEIGHTS"), parse_today(settings.get("LINKSPIDER_TODAY")),
                         files)


@main.command()
@_db_option
@click.option("--site", help="Only the links on this site.")
@click.option("--target", help="Only the links to this site of yours.")
@click.option("--recheck-days", type=click.FloatRange(min=0),
              help="Leave links checked less than this many days ago (unsure ones are always checked); "
                   "default MONITOR_RECHECK_DAYS, 0: every link.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the counts and every change.")
@click.option("--verbose", is_flag=True, help="Show the crawl's log (Scrapy's INFO lines) on stderr.")
def monitor(db_path: str, site: str | None, target: str | None, recheck_days: float | None, as_json: bool,
            verbose: bool) -> None:
    """Re-fetch the page of every placed link (politely: robots.txt, delays, the SSRF guard, a browser
    when the page needs one) and report what changed since the last check: lost, nofollow or
    sponsored, anchor changed, page redirected, noindexed or gone, recovered.

    The exit status is 0 whatever the links did (scripts read --json or the
    digest); 1 only when the check could not run.
    """
    from scrapy.utils.project import ENVVAR

    from linkspider.common.config import SETTINGS_MODULE

    site, target = _domain_arg(site, "--site"), _domain_arg(target, "--target")
    with _open(db_path) as store:
        watched = store.placed_links(site=site, target=target)
    if not watched:
        if as_json:
            click.echo(json.dumps({"db": db_path, "run": None, "checked": 0, "links": {}, "changes": []}))
        else:
            click.echo(f"no placed links to check in {db_path}: add them with linkspider links add PAGE_URL "
                       "TARGET_URL, links import FILE, or mark DOMAIN --status won --link PAGE_URL", err=True)
        return
    cmd = [sys.executable, "-m", "scrapy", "crawl", "monitor", "-s", f"LINKSPIDER_DB={db_path}"]
    cmd += [] if verbose else ["-s", "LOG_LEVEL=WARNING"]
    cmd += ["-a", f"site={site}"] if site else []
    cmd += ["-a", f"target={target}"] if target else []
    cmd += ["-s", f"MONITOR_RECHECK_DAYS={recheck_days}"] if recheck_days is not None else []
    # A monitor run is never a worker of a distributed crawl, nor a resumable job.
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "LINKSPIDER_JOB")}
    env.setdefault(ENVVAR, SETTINGS_MODULE)
    # The crawl logs on stderr, which the user sees as it goes; stdout stays ours (--json).
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
    if proc.stdout:
        click.echo(proc.stdout, err=True, nl=False)
    with _open(db_path, reading=True) as store:
        run = store.last_run("monitor", "")
        if proc.returncode != 0 or run is None:
            raise click.ClickException(f"the monitor could not run (scrapy crawl monitor exited "
                                       f"{proc.returncode}); see the messages above")
        changes = store.link_changes(run_id=run["id"])
        rows = [link_row(link) for link in store.placed_links(site=site, target=target)]
    checked = int(run["stats"].get("linkspider/monitor/checked", 0))
    counts = {s: n for s in STATUSES if (n := sum(r["status"] == s for r in rows))}
    if as_json:
        click.echo(json.dumps({"db": db_path, "run": run["id"], "checked": checked, "links": counts,
                               "changes": changes}, ensure_ascii=False, indent=2))
        return
    click.echo(f"checked {checked} links; {_status_counts(rows)}")
    click.echo(_changes_text(changes, "since their previous check"))


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


def _rescore(store: Store, domains: list[str], only_if_weighted: str = "") -> None:
    """Score ``domains`` again with the project's SCORE_WEIGHTS (only if ``only_if_weighted`` has a weight)."""
    from linkspider.common.config import project_settings
    from linkspider.score.prospect import DEFAULT_WEIGHTS, parse_today

    settings = project_settings()
    weights = settings.getdict("SCORE_WEIGHTS")
    if only_if_weighted and not {**DEFAULT_WEIGHTS, **weights}.get(only_if_weighted):
        return
    store.rescore(domains, weights, parse_today(settings.get("LINKSPIDER_TODAY")))


@main.group("authority")
def authority() -> None:
    """Authority 0-100 per site from the open rankings: Tranco, Common Crawl, Open PageRank."""


@authority.command("import")
@_db_option
@click.argument("file", required=False)
@click.option("--opr", is_flag=True, help="Ask Open PageRank's API (key in OPR_API_KEY) about the database's "
                                          "sites instead of reading a file.")
@click.option("--measure", type=click.Choice(CC_MEASURES), default="harmonic", show_default=True,
              help="Common Crawl's ranking to use: harmonic centrality or PageRank.")
@click.option("--date", "list_date", help="The list's date, YYYY-MM-DD (default: the file's modification date).")
@click.option("--refresh", is_flag=True, help="With --opr: ask again about sites answered within OPR_CACHE_DAYS.")
def authority_import(db_path: str, file: str | None, opr: bool, measure: str, list_date: str | None,
                     refresh: bool) -> None:
    """Store each site's authority (0-100) from a ranking FILE or from Open PageRank (--opr).

    FILE is the Tranco list (rank,domain; .csv or the .zip as downloaded),
    Common Crawl's domain ranks (.txt or .txt.gz) or Open PageRank's CSV; the
    format is detected. Only sites already in the database get a figure: run it
    again after crawls that found new ones.
    """
    if opr == bool(file):
        raise click.UsageError("give a ranking FILE, or --opr to ask Open PageRank")
    with _open(db_path) as store:
        domains = store.all_domains()
    if opr:
        _authority_from_opr(db_path, domains, refresh)
        return
    assert file is not None
    day = _list_date(list_date, Path(file))
    reading = read_ranking(open_lines(file), set(domains), name=file, measure=measure)
    for problem in reading.problems:
        click.echo(f"skipped {problem}", err=True)
    if reading.bad_lines and reading.bad_lines == reading.lines:
        raise BadInput(f"{file}: no line of it could be read ({reading.bad_lines} skipped)")
    source = f"commoncrawl-{measure}" if reading.source == "commoncrawl" else reading.source
    with _open(db_path) as store:
        found = store.set_authority({"domain": f.domain, "authority": f.authority, "rank": f.rank,
                                     "source": source, "date": day} for f in reading.figures.values())
        _rescore(store, sorted(reading.figures), only_if_weighted="authority")
    skipped = f"; {reading.bad_lines} lines skipped" if reading.bad_lines else ""
    click.echo(f"authority for {found} of {len(domains)} sites from {source} ({day}){skipped}")


def _list_date(text: str | None, path: Path) -> str:
    if text:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise BadInput(f"--date {text!r} is not a date: use YYYY-MM-DD") from None
    check_file(path, "ranking")
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).date().isoformat()


def _authority_from_opr(db_path: str, domains: list[str], refresh: bool) -> None:
    """Open PageRank for the sites without a fresh answer, stored batch by batch."""
    from linkspider.common.config import project_settings
    from linkspider.score import open_pagerank

    settings = project_settings()
    today = datetime.now(timezone.utc).date()
    fresh_since = (today - timedelta(days=settings.getfloat("OPR_CACHE_DAYS"))).isoformat()
    key = os.environ.get("OPR_API_KEY") or settings.get("OPR_API_KEY") or ""
    stored = 0
    with _open(db_path) as store:
        cached = set() if refresh else store.authority_since("opr", fresh_since)
        todo = [d for d in domains if d not in cached]
        try:
            for figures in open_pagerank.fetch(todo, key, settings.get("OPR_API_URL"),
                                               batch=settings.getint("OPR_BATCH"),
                                               timeout=settings.getfloat("OPR_TIMEOUT")):
                stored += store.set_authority({"domain": f.domain, "authority": f.authority, "rank": f.rank,
                                               "source": "opr", "date": today.isoformat()} for f in figures)
        except open_pagerank.OpenPageRankError as exc:
            raise click.ClickException(f"{exc} ({stored} sites stored before)") from None
        finally:
            _rescore(store, todo, only_if_weighted="authority")
    click.echo(f"authority for {stored} of {len(domains)} sites from opr ({today}); "
               f"{len(cached)} answered within {settings.getfloat('OPR_CACHE_DAYS'):g} days not asked again")


@main.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine (127.0.0.1, localhost, ::1) needs --password.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--password", envvar="LINKSPIDER_UI_PASSWORD", show_envvar=True,
              help="Ask every visitor for this password (HTTP basic auth, any user name). Prefer the "
                   "environment variable: a command line shows in `ps`.")
@click.option("--read-only", is_flag=True, help="Browse only: no status, note or do-not-contact changes.")
def ui(db_path: str, host: str, port: int, password: str | None, read_only: bool) -> None:
    """Work the prospect list in the browser (Datasette with linkspider's pages), until Ctrl-C.

    Facets, search and a page per site with its contacts and evidence; set a
    site's status and note or put it on the do-not-contact list there, as
    `linkspider mark` and `dnc add` would, also while a crawl writes.
    """
    from linkspider.common.config import project_settings
    from linkspider.ui.server import build, is_loopback, listen, serve

    if not is_loopback(host) and not password:
        raise BadInput(f"--host {host} would show your prospects and outreach controls to other machines: "
                       "give --password (or set LINKSPIDER_UI_PASSWORD), or leave --host at 127.0.0.1")
    _open(db_path, reading=read_only).close()  # a missing, damaged or locked database: one line, before listening
    timeout = project_settings().getfloat("LINKSPIDER_UI_WRITE_TIMEOUT")
    ds = build(db_path, read_only=read_only, password=password or "", host=host, write_timeout=timeout)
    sock = listen(host, port)

    def announce(url: str) -> None:
        click.echo(f"linkspider ui: {url} (database {db_path}{', read-only' if read_only else ''}); Ctrl-C stops it")
        if password:
            click.echo("  password required (HTTP basic auth). The connection is not encrypted: "
                       "outside a trusted network, reach it through SSH (ssh -L) or a TLS proxy.")

    serve(ds, sock, announce)


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
