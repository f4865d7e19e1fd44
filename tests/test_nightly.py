"""Overnight crawls and the outreach loop, on the fake web.

The story: the nightly crawl is killed with SIGKILL halfway (a reboot); the
next `linkspider nightly` resumes it and the database ends up exactly as an
uninterrupted crawl would have left it. The night after, nothing changed on
the web and the digest says so. Then a site puts up a write-for-us page and
the digest reports it as changed; a site the link builder blocked never
shows up again.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fakeweb.crawl import FAST, ROOT, crawl_env
from linkspider.cli import main
from tests.conftest import CrawlResult, run_crawl

SETTINGS = {**FAST, "LINKSPIDER_TODAY": "2026-11-20", "RENDER": "never"}


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def plan(path: Path, seeds: Path, **settings: Any) -> Path:
    merged = {**SETTINGS, **settings}
    inline = ", ".join(f"{k} = {json.dumps(v)}" for k, v in merged.items())
    path.write_text(f'[[niche]]\nname = "fitness"\nspiders = ["seeds"]\nseeds = "{seeds}"\n'
                    f"settings = {{ {inline} }}\n")
    return path


def nightly(fakeweb: Any, db: Path, plan_path: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "linkspider.cli", "nightly", "--db", str(db), "--plan", str(plan_path),
           "--jobs-dir", str(folder / "jobs"), "--digests-dir", str(folder / "digests")]
    return subprocess.run(cmd, cwd=ROOT, env=crawl_env(fakeweb.proxy_url, db), capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def seeds(fakeweb: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("nightly-seeds") / "fitness.txt"
    path.write_text(fakeweb.web.seed_list("fitness"))
    return path


@pytest.fixture(scope="module")
def reference(fakeweb: Any, seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """The same crawl, uninterrupted: what a resumed crawl must end up with."""
    db = tmp_path_factory.mktemp("reference") / "ls.db"
    result = run_crawl("seeds", fakeweb.proxy_url, db, "niche=fitness", f"seeds={seeds}", settings=SETTINGS)
    assert result.returncode == 0, result.log[-3000:]
    return result


# Slow enough to be caught halfway: one request at a time per site, 50 ms apart.
SLOW = {**SETTINGS, "DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "1", "CONCURRENT_REQUESTS": "4",
        "LINKSPIDER_JOB": "fitness-seeds", "LINKSPIDER_FLUSH_SECONDS": "0.5", "EXTRACT_WORKERS": "1"}


def start_slow_crawl(fakeweb: Any, db: Path, seeds: Path, log: Any, **settings: str) -> subprocess.Popen[bytes]:
    """The job fitness-seeds, slowly, in the background (the caller waits for it)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", "niche=fitness", "-a", f"seeds={seeds}"]
    for key, value in {**SLOW, **settings}.items():
        cmd += ["-s", f"{key}={value}"]
    return subprocess.Popen(cmd, cwd=ROOT, env=crawl_env(fakeweb.proxy_url, db), stdout=log, stderr=log)


def wait_for_pages(db: Path, count: int, proc: subprocess.Popen[Any], deadline: float) -> None:
    """Until the database holds ``count`` pages (polled, bounded by the deadline); the process must still run."""
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            stored = rows(db, "SELECT count(*) FROM pages")[0][0] if db.exists() else 0
        except sqlite3.OperationalError:  # the crawl is still creating its tables
            stored = 0
        if stored >= count:
            break
        time.sleep(0.05)  # polling the database, bounded by the deadline
    assert proc.poll() is None, "the crawl ended before it could be caught halfway"


@pytest.fixture(scope="module")
def night(fakeweb: Any, seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Night 1: a crawl killed with SIGKILL halfway, then `linkspider nightly` resumes it."""
    folder = tmp_path_factory.mktemp("night")
    db = folder / "ls.db"
    fakeweb.reset_hits()
    with (folder / "killed.log").open("w") as log:
        proc = start_slow_crawl(fakeweb, db, seeds, log)
        deadline = time.monotonic() + 60
        try:
            wait_for_pages(db, 60, proc, deadline)
            workers = children(proc.pid)  # the extraction worker (EXTRACT_WORKERS)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=10)
        orphans = wait_until_gone(workers, deadline=time.monotonic() + 30)
    killed_pages = rows(db, "SELECT count(*) FROM pages")[0][0]
    pending = rows(db, "SELECT count(*) FROM frontier WHERE job = 'fitness-seeds' AND state = 'pending'")[0][0]
    result = nightly(fakeweb, db, plan(folder / "plan.toml", seeds), folder)
    return {"db": db, "folder": folder, "killed_pages": killed_pages, "pending": pending, "result": result,
            "workers": workers, "orphans": orphans}


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def wait_until_gone(pids: list[int], deadline: float) -> list[int]:
    """The PIDs still running at the deadline (polled)."""
    left = list(pids)
    while left and time.monotonic() < deadline:
        left = [p for p in left if Path(f"/proc/{p}").exists() and "Z" not in _state(p)]
        time.sleep(0.05)  # polling /proc, bounded by the deadline
    return left


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


def test_a_killed_crawl_leaves_no_extraction_worker_behind(night: dict[str, Any]) -> None:
    assert len(night["workers"]) == 1  # the one worker it was given...
    assert night["orphans"] == []  # ...which read end-of-file and exited when its crawl was killed


def test_a_killed_crawl_resumes_and_loses_nothing(night: dict[str, Any], reference: CrawlResult) -> None:
    result, db = night["result"], night["db"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert night["pending"] > 0 and night["killed_pages"] >= 60
    log = (night["folder"] / "jobs" / "fitness-seeds" / "crawl.log").read_text()
    assert "resuming job fitness-seeds:" in log
    ref = reference.db
    assert {d for (d,) in rows(db, "SELECT domain FROM sites")} == {d for (d,) in rows(ref, "SELECT domain FROM sites")}
    contacts = "SELECT domain, kind, value FROM contacts ORDER BY 1, 2, 3"
    assert rows(db, contacts) == rows(ref, contacts)
    assert rows(db, "SELECT count(*) FROM pages WHERE status = 200") == rows(ref, "SELECT count(*) FROM pages "
                                                                                "WHERE status = 200")
    # The finished job cleared its checkpoint: tomorrow starts afresh.
    assert rows(db, "SELECT count(*) FROM frontier") == [(0,)]


def test_the_killed_runs_row_is_closed_by_the_next_run(night: dict[str, Any]) -> None:
    """SIGKILL leaves the run row `running`; the next run on this machine finds its process gone and
    closes it as interrupted, killed at its last write, and says so."""
    runs = rows(night["db"], "SELECT id, spider, outcome, reason, finished, heartbeat FROM runs ORDER BY id")
    killed_id, spider, outcome, reason, finished, heartbeat = runs[0]
    assert (spider, outcome) == ("seeds", "interrupted")
    assert reason.startswith("killed: process ") and "ended without closing its run" in reason
    assert heartbeat and finished == heartbeat
    assert (f"previous run {killed_id} (seeds for fitness, job fitness-seeds) killed at {heartbeat}: "
            "its row is closed as interrupted") in night["result"].stderr
    assert [(r[1], r[2], r[3]) for r in runs[1:]] == [("nightly", "finished", "finished"),
                                                    ("seeds", "finished", "finished")]


def test_the_first_digest_lists_the_new_prospects(night: dict[str, Any]) -> None:
    out = night["result"].stdout
    assert "new prospects" in out and "fitness:" in out
    digests = [p for p in (night["folder"] / "digests").glob("*.md") if p.name != "latest.md"]
    assert len(digests) == 1
    table = list(csv.DictReader(digests[0].with_suffix(".csv").open()))
    assert len(table) >= 25 and {r["change"] for r in table} == {"new"}


def test_an_unchanged_web_gives_zero_new_prospects(night: dict[str, Any], fakeweb: Any, seeds: Path) -> None:
    folder = night["folder"]
    result = nightly(fakeweb, night["db"], plan(folder / "plan2.toml", seeds, RECRAWL_AFTER_DAYS=0), folder / "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 new prospects, 0 changed" in result.stdout


def test_a_new_write_for_us_page_is_reported_as_changed_and_blocked_sites_never_return(
        night: dict[str, Any], fakeweb: Any, seeds: Path) -> None:
    db, folder = night["db"], night["folder"]
    manifest = fakeweb.web.manifest
    candidates = [s for s in manifest["sites"] if s["niche"] == "fitness" and s["in_seed_list"] and s["reachable"]
                  and not s["write_for_us_url"] and not s["rejects_guest_posts_url"] and s["contact_page"]
                  and s["site_class"] == "niche"]
    changed, blocked = candidates[0], candidates[1]
    add_write_for_us_page(fakeweb, changed)
    runner = CliRunner()
    assert runner.invoke(main, ["mark", "--db", str(db), blocked["domain"], "--status", "blocked"]).exit_code == 0
    add_write_for_us_page(fakeweb, blocked)
    try:
        result = nightly(fakeweb, db, plan(folder / "plan3.toml", seeds, RECRAWL_AFTER_DAYS=0), folder / "3")
    finally:
        fakeweb.web.sites.clear()
        fakeweb.web.sites.update(__import__("fakeweb", fromlist=["build_web"]).build_web().sites)
    assert result.returncode == 0, result.stdout + result.stderr
    digest = folder / "3" / "digests" / "latest.csv"
    table = list(csv.DictReader(digest.open()))
    assert [r["domain"] for r in table if r["change"] == "changed"] == [changed["domain"]]
    assert blocked["domain"] not in {r["domain"] for r in table}
    exported = runner.invoke(main, ["export", "--db", str(db), "--format", "csv"]).output
    assert blocked["domain"] not in {r["domain"] for r in csv.DictReader(io.StringIO(exported))}
    everything = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "--all"]).output
    assert blocked["domain"] in {r["domain"] for r in csv.DictReader(io.StringIO(everything))}


def test_a_short_walk_does_not_count_as_walked(reference: CrawlResult, fakeweb: Any, seeds: Path,
                                               tmp_path: Path) -> None:
    """A plan roundups -> guestposts -> seeds: seed sites the search spiders met first (and, for results
    that were not what the query promised, walked only 4 pages of) still get their full walk from seeds.
    Before, the short walk counted for RECRAWL_AFTER_DAYS and seeds left 6 of 11 such sites at 4 pages."""
    db = tmp_path / "ls.db"
    search = {"SEARCH_BACKEND": "searxng", "SEARXNG_URL": fakeweb.search_base("searxng"),
              "SEARXNG_DOWNLOAD_DELAY": 0, "SEARCH_MAX_QUERIES": 12}
    path = plan(tmp_path / "plan.toml", seeds, **search)
    path.write_text(path.read_text().replace('spiders = ["seeds"]', 'spiders = ["roundups", "guestposts", "seeds"]'))
    result = nightly(fakeweb, db, path, tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    seed_sites = {d for (d,) in rows(reference.db, "SELECT domain FROM sites")}
    met_by_search = {d for (d,) in rows(db, "SELECT DISTINCT domain FROM discoveries WHERE source = 'search'")}
    assert seed_sites & met_by_search, "the search spiders met no seed site: the test would prove nothing"
    walked: dict[str, set[str]] = {}
    for domain, url in rows(db, "SELECT domain, url FROM pages"):
        walked.setdefault(domain, set()).add(url)
    # A full walk from another entry page (a search result) may pick other pages: as many, not the same.
    short = {domain: (len(walked.get(domain, ())), alone) for domain, alone in
             rows(reference.db, "SELECT domain, count(*) FROM pages GROUP BY domain")
             if len(walked.get(domain, ())) < alone}
    assert not short, short


def test_two_nightlies_in_one_day_keep_both_digests(reference: CrawlResult, fakeweb: Any, seeds: Path,
                                                     tmp_path: Path) -> None:
    """The second night of a day writes a digest of its own; latest.md and latest.csv are the newest."""
    db = tmp_path / "ls.db"
    db.write_bytes(reference.db.read_bytes())
    plan_path = plan(tmp_path / "plan.toml", seeds)  # every site walked today: nothing to walk again
    first = nightly(fakeweb, db, plan_path, tmp_path)
    second = nightly(fakeweb, db, plan_path, tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    folder = tmp_path / "digests"
    names = [n for (n,) in rows(db, "SELECT json_extract(stats, '$.digest') FROM runs WHERE spider = 'nightly' "
                                    "ORDER BY id")]
    assert sorted(p.stem for p in folder.glob("*.md")) == sorted([*names, "latest"])
    minute = r"\d{4}-\d\d-\d\d-\d{4}"  # <date>-<HHMM>; "-2" when the second night began in the same minute
    assert re.fullmatch(minute, names[0])
    assert names[1] == f"{names[0]}-2" or (re.fullmatch(minute, names[1]) and names[1] > names[0])
    old, new = folder / f"{names[0]}.csv", folder / f"{names[1]}.csv"
    assert len(list(csv.DictReader(old.open()))) >= 25  # the first night's new prospects are still there
    assert list(csv.DictReader(new.open())) == []  # nothing new since the first night
    assert (folder / "latest.md").read_text() == (folder / f"{names[1]}.md").read_text()
    assert (folder / "latest.csv").read_text() == new.read_text()
    assert f"digest: {folder / names[1]}.md" in second.stdout


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_night_and_its_crawl_as_interrupted(fakeweb: Any, seeds: Path, tmp_path: Path,
                                                               signum: signal.Signals) -> None:
    """SIGTERM (systemctl stop) or SIGINT (Ctrl-C) to `linkspider nightly` reaches its running crawl once:
    the crawl stores what it has and closes its run as interrupted, keeping its checkpoint; the night's
    row says where it stopped."""
    db = tmp_path / "ls.db"
    plan_path = plan(tmp_path / "plan.toml", seeds, **{k: v for k, v in SLOW.items() if k != "LINKSPIDER_JOB"})
    cmd = [sys.executable, "-m", "linkspider.cli", "nightly", "--db", str(db), "--plan", str(plan_path),
           "--jobs-dir", str(tmp_path / "jobs"), "--digests-dir", str(tmp_path / "digests")]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=crawl_env(fakeweb.proxy_url, db), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for_pages(db, 20, proc, time.monotonic() + 60)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    name = signal.Signals(signum).name
    assert proc.returncode == 1
    assert f"Error: interrupted by {name} during job fitness-seeds" in err, err
    runs = rows(db, "SELECT spider, outcome, reason FROM runs ORDER BY id")
    assert runs == [("nightly", "interrupted", f"shutdown: {name} during job fitness-seeds; no digest written"),
                    ("seeds", "interrupted", "shutdown: stopped by SIGINT or SIGTERM")]
    assert rows(db, "SELECT count(*) FROM frontier WHERE state = 'pending'")[0][0] > 0  # kept for the next night
    log = (tmp_path / "jobs" / "fitness-seeds" / "crawl.log").read_text()
    assert log.count(f"Received {name}, shutting down gracefully") == 1 and "forcing unclean" not in log
    assert not (tmp_path / "digests").exists()


def test_a_database_locked_during_a_crawl_loses_no_page(fakeweb: Any, seeds: Path, reference: CrawlResult,
                                                        tmp_path: Path) -> None:
    """The database is locked halfway through a job: the crawl stops (exit 1) with its pages in
    unsaved-*.jsonl; once the lock is gone, `linkspider recover` imports them - and so does the next run
    of the job by itself, which then resumes: the database ends up as an uninterrupted crawl's."""
    db = tmp_path / "ls.db"
    with (tmp_path / "locked.log").open("w") as log:
        proc = start_slow_crawl(fakeweb, db, seeds, log, LINKSPIDER_DB_TIMEOUT="1")
        try:
            wait_for_pages(db, 20, proc, time.monotonic() + 60)
            blocker = sqlite3.connect(db, isolation_level=None)
            blocker.execute("BEGIN EXCLUSIVE")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not list(tmp_path.glob("unsaved-*.jsonl")):
                time.sleep(0.05)  # polling the folder, bounded by the deadline
            blocker.rollback()
            blocker.close()
            assert proc.wait(timeout=60) == 1
        finally:
            if proc.poll() is None:
                proc.kill()
    log_text = (tmp_path / "locked.log").read_text()
    [unsaved] = list(tmp_path.glob("unsaved-*.jsonl"))
    assert (f"could not be written to {db}; they are saved in {unsaved}: the next crawl into that database "
            f"imports them, or run `linkspider recover --db {db}`") in log_text
    saved = [json.loads(line) for line in unsaved.read_text().splitlines()]
    saved_pages = {item["url"] for item in saved if item["type"] == "page"}
    assert saved_pages - {url for (url,) in rows(db, "SELECT url FROM pages")}  # pages the database lacks

    # `linkspider recover` on a copy of the folder
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in [db, db.with_name("ls.db-wal"), unsaved]:
        if path.exists():
            (copy / path.name).write_bytes(path.read_bytes())
    recovered = CliRunner().invoke(main, ["recover", "--db", str(copy / "ls.db")])
    assert recovered.exit_code == 0, recovered.output
    assert f"imported {copy / unsaved.name} into {copy / 'ls.db'}: {len(saved_pages)} pages" in recovered.output
    assert saved_pages <= {url for (url,) in rows(copy / "ls.db", "SELECT url FROM pages")}
    assert list(copy.glob("unsaved-*")) == []
    [(outcome, reason)] = rows(copy / "ls.db", "SELECT outcome, reason FROM runs")
    assert outcome == "failed" and reason.startswith(f"store_error: database {db} is locked by another process")

    # the next run of the job imports them itself, then resumes
    result = nightly(fakeweb, db, plan(tmp_path / "plan.toml", seeds), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"imported {unsaved} into {db}: {len(saved_pages)} pages" in result.stderr
    assert list(tmp_path.glob("unsaved-*")) == []
    contacts = "SELECT domain, kind, value FROM contacts ORDER BY 1, 2, 3"
    assert rows(db, contacts) == rows(reference.db, contacts)
    ok_pages = "SELECT count(*) FROM pages WHERE status = 200"
    assert rows(db, ok_pages) == rows(reference.db, ok_pages)


def test_do_not_contact_is_absolute(reference: CrawlResult, fakeweb: Any, seeds: Path, tmp_path: Path) -> None:
    """A niche's entry drops its site from every export (with or without --niche), the report and the
    digest; a blocked email appears in no output, not even in a `why`, and earns no points."""
    db = tmp_path / "ls.db"
    db.write_bytes(reference.db.read_bytes())
    ranked = rows(db, "SELECT domain, score, score_why, (SELECT count(*) FROM contacts c WHERE c.domain = s.domain "
                      "AND c.kind = 'email') FROM sites s WHERE pages_crawled > 0 ORDER BY score DESC")
    site = ranked[0][0]
    # A site whose one address is a role address (editor@...), below the score's cap of 100
    domain, score_before, why_before, _ = next(r for r in ranked[1:] if "role email " in r[2] and r[3] == 1
                                                and r[1] < 100)
    email = why_before.split("role email ")[1].split(";")[0]
    runner = CliRunner()
    assert runner.invoke(main, ["dnc", "add", "--db", str(db), "--niche", "fitness", site]).exit_code == 0
    assert runner.invoke(main, ["dnc", "add", "--db", str(db), email]).exit_code == 0
    [(score_after, why_after)] = rows(db, "SELECT score, score_why FROM sites WHERE domain = ?", domain)
    assert email not in why_after and score_after < score_before  # rescored without the address

    night = nightly(fakeweb, db, plan(tmp_path / "plan.toml", seeds), tmp_path)
    assert night.returncode == 0, night.stderr
    outputs = {
        "export": runner.invoke(main, ["export", "--db", str(db)]).output,
        "export --niche": runner.invoke(main, ["export", "--db", str(db), "--niche", "fitness", "--format",
                                               "jsonl"]).output,
        "report": runner.invoke(main, ["report", "--db", str(db), "--top", "100"]).output,
        "nightly": night.stdout,
        **{p.name: p.read_text() for p in (tmp_path / "digests").iterdir()},
    }
    assert len(outputs) == 8 and domain in outputs["export"]  # the site stays, without the address
    for name, text in outputs.items():
        assert site not in text and email not in text, name
    everything = runner.invoke(main, ["export", "--db", str(db), "--all"]).output
    assert site in everything and email in everything


def test_exports_hold_prospects_only(reference: CrawlResult, fakeweb: Any, tmp_path: Path) -> None:
    """By default no site that never answered, none below the niche's relevance threshold and none of the
    niche's competitors (here a fitness site made one in a copy of the profiles); --all has them all,
    and the report counts them."""
    profiles = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", profiles)
    manifest = fakeweb.web.manifest["sites"]
    rival = next(s["domain"] for s in manifest if s["in_seed_list"] and s["site_class"] == "niche"
                 and s["reachable"] and s["niche"] == "fitness")
    profile = profiles / "fitness.toml"
    profile.write_text(profile.read_text().replace('competitors = ["nerdfitness.com", "bodybuilding.com"]',
                                                   f'competitors = ["nerdfitness.com", "{rival}"]'))
    def linkspider(*args: str) -> str:
        env = {**os.environ, "LINKSPIDER_SEEDS_DIR": str(profiles)}
        proc = subprocess.run([sys.executable, "-m", "linkspider.cli", *args, "--db", str(reference.db)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    exported = {r["domain"]: r for r in csv.DictReader(io.StringIO(linkspider("export")))}
    everything = {r["domain"] for r in csv.DictReader(io.StringIO(linkspider("export", "--all")))}
    dead = {d for (d,) in rows(reference.db, "SELECT domain FROM sites WHERE pages_crawled = 0")}
    off_niche = {s["domain"] for s in manifest if s["site_class"] == "off_niche"} & everything
    assert dead and off_niche and rival in everything
    assert not (dead | off_niche | {rival}) & set(exported)
    assert all(float(rel) >= 0.2 for (rel,) in rows(reference.db, "SELECT relevance FROM sites WHERE domain IN "
                                                  f"({','.join('?' * len(exported))})", *exported))
    assert len(exported) >= 40 and set(exported) < everything
    below = rows(reference.db, "SELECT count(*) FROM sites WHERE pages_crawled > 0 AND relevance < 0.2 "
                               "AND domain != ?", rival)[0][0]
    report = linkspider("report")
    assert ("Left out of exports as no prospects (linkspider export --all includes them): never answered "
            f"{len(dead)}, below the relevance threshold {below}, competitors of the niche 1") in report


def test_a_snowball_crawl_grows_the_seed_list(fakeweb: Any, seeds: Path, tmp_path: Path) -> None:
    """README: `-a snowball=1`, then `export --format domains` is a seed list that holds the sites the
    list's roundups and resources pages led to."""
    from linkspider.discover.niches import read_seed_file

    db = tmp_path / "ls.db"
    result = run_crawl("seeds", fakeweb.proxy_url, db, "niche=fitness", f"seeds={seeds}", "snowball=1",
                       settings=SETTINGS)
    assert result.returncode == 0, result.log[-3000:]
    grown = tmp_path / "grown.txt"
    exported = CliRunner().invoke(main, ["export", "--db", str(db), "--niche", "fitness", "--format", "domains",
                                         "-o", str(grown)])
    assert exported.exit_code == 0, exported.output
    listed = read_seed_file(grown)
    assert listed.errors == [] and listed.blocked == []
    before = {e.domain for e in read_seed_file(seeds).entries}
    snowballed = {d for (d,) in rows(db, "SELECT DISTINCT domain FROM discoveries WHERE source = 'snowball'")}
    added = {e.domain for e in listed.entries} - before
    assert added and added <= snowballed


def add_write_for_us_page(fakeweb: Any, site: dict[str, Any]) -> None:
    """The site's owner puts up guest-post guidelines and links them from the home page."""
    from fakeweb.model import Page

    host = site["home_url"].split("/")[2]
    target = fakeweb.web.sites[host]
    email = f"editor@{site['domain']}"
    body = ("<html><head><title>Write for us | Guest post guidelines</title></head><body><main>"
            "<h1>Write for us</h1><p>We accept guest posts from coaches and athletes. Guidelines: original "
            "articles of 1,000+ words about training, with practical advice and sources. Pitch your idea "
            f"to {email} with a short outline and two writing samples. We reply within a week.</p>"
            "<h2>What we publish</h2><p>Strength training, running, mobility. No promotional posts.</p>"
            "</main></body></html>")
    target.pages["/write-for-us/"] = Page(body=body.encode(), title="Write for us", text=body)
    home = target.pages["/"]
    target.pages["/"] = Page(status=home.status, content_type=home.content_type, headers=home.headers,
                             body=home.body.replace(b"</body>", b'<a href="/write-for-us/">Write for us</a></body>'),
                             title=home.title, text=home.text)


def test_mark_many_sites_from_a_spreadsheet_and_the_do_not_contact_list(reference: CrawlResult,
                                                                        tmp_path: Path) -> None:
    db = tmp_path / "ls.db"
    db.write_bytes(reference.db.read_bytes())
    sheet = tmp_path / "outreach.csv"
    domains = [d for (d,) in rows(db, "SELECT domain FROM sites WHERE pages_crawled > 0 ORDER BY score DESC")]
    sheet.write_text("Domain;Status;Note\n"
                     f"{domains[0]};contacted;sent pitch 1\n{domains[1]};WON;guest post live\n"
                     f"{domains[2]};maybe;?\nnot-in-db.com;contacted;\n")
    runner = CliRunner()
    result = runner.invoke(main, ["mark", "--db", str(db), "--csv", str(sheet)])
    assert result.exit_code == 0 and "marked 2 sites (2 rows skipped)" in result.output
    assert rows(db, "SELECT status, notes FROM sites WHERE domain = ?", domains[1]) == [("won", "guest post live")]
    assert "unknown status 'maybe'" in result.output and "not-in-db.com is not in" in result.output
    result = runner.invoke(main, ["dnc", "add", "--db", str(db), domains[3], "--note", "asked us not to"])
    assert result.exit_code == 0
    exported = {r["domain"] for r in csv.DictReader(io.StringIO(
        runner.invoke(main, ["export", "--db", str(db)]).output))}
    assert domains[0] not in exported and domains[3] not in exported and domains[1] in exported
    assert domains[3] in runner.invoke(main, ["dnc", "list", "--db", str(db)]).output


def test_a_broken_plan_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "plan.toml"
    bad.write_text('[[niche]]\nname = "fitness"\nspiders = ["seedz"]\n')
    result = CliRunner().invoke(main, ["nightly", "--db", str(tmp_path / "x.db"), "--plan", str(bad)])
    assert result.exit_code == 2 and "unknown spider(s) ['seedz']" in result.output
    result = CliRunner().invoke(main, ["nightly", "--db", str(tmp_path / "x.db"), "--plan", str(tmp_path / "no")])
    assert result.exit_code == 2 and "no nightly plan at" in result.output
