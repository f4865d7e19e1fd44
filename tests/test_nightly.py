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


@pytest.fixture(scope="module")
def night(fakeweb: Any, seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Night 1: a crawl killed with SIGKILL halfway, then `linkspider nightly` resumes it."""
    folder = tmp_path_factory.mktemp("night")
    db = folder / "ls.db"
    # Slow enough to be caught halfway: one request at a time per site, 50 ms apart.
    slow = {**SETTINGS, "DOWNLOAD_DELAY": "0.05", "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
            "CONCURRENT_REQUESTS": "4", "LINKSPIDER_JOB": "fitness-seeds", "LINKSPIDER_FLUSH_SECONDS": "0.5",
            "EXTRACT_WORKERS": "1"}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", "niche=fitness", "-a", f"seeds={seeds}"]
    for key, value in slow.items():
        cmd += ["-s", f"{key}={value}"]
    fakeweb.reset_hits()
    with (folder / "killed.log").open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=crawl_env(fakeweb.proxy_url, db), stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    stored = rows(db, "SELECT count(*) FROM pages")[0][0] if db.exists() else 0
                except sqlite3.OperationalError:  # the crawl is still creating its tables
                    stored = 0
                if stored >= 60:
                    break
                time.sleep(0.05)  # polling the database, bounded by the deadline
            assert proc.poll() is None, "the crawl ended before it could be killed"
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


def test_the_first_digest_lists_the_new_prospects(night: dict[str, Any]) -> None:
    out = night["result"].stdout
    assert "new prospects" in out and "fitness:" in out
    digests = list((night["folder"] / "digests").glob("*.md"))
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
    digest = next((folder / "3" / "digests").glob("*.csv"))
    table = list(csv.DictReader(digest.open()))
    assert [r["domain"] for r in table if r["change"] == "changed"] == [changed["domain"]]
    assert blocked["domain"] not in {r["domain"] for r in table}
    exported = runner.invoke(main, ["export", "--db", str(db), "--format", "csv"]).output
    assert blocked["domain"] not in {r["domain"] for r in csv.DictReader(io.StringIO(exported))}
    everything = runner.invoke(main, ["export", "--db", str(db), "--format", "csv", "--all"]).output
    assert blocked["domain"] in {r["domain"] for r in csv.DictReader(io.StringIO(everything))}


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
