"""A run row always ends, and what a crawl could not write comes back: `linkspider recover` and the store.

The crawl-level stories (SIGKILL, SIGTERM, a locked database, two nightlies a day) are in
tests/test_nightly.py; these pin the cases a real crawl reaches rarely: unsaved files of an
older linkspider, a file that is not one, runs of another machine or still running.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkspider.cli import main
from linkspider.items import Discovery, DiscoveryItem, FrontierItem, PageItem
from linkspider.store.database import Store
from linkspider.store.digest import digest_name


def page(url: str, domain: str) -> PageItem:
    return PageItem(url=url, domain=domain, niche="fitness", status=200, is_home=True,
                    discovery=Discovery("seed", "seeds.txt:1"),
                    facts={"title": "Iron Pulse", "words": 400, "relevance": 4.0, "negative": 0.0,
                           "emails": ["jane@ironpulse.com"],
                           "email_details": [{"email": "jane@ironpulse.com", "own_domain": True, "role": False}]})


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_recover_imports_an_unsaved_file_of_an_older_linkspider(tmp_path: Path) -> None:
    """Older versions wrote unsaved-*.jsonl without a header or item types: `recover FILE` still reads
    it; a checkpoint line without its job is left out. A crawl only points at such a file."""
    db = tmp_path / "ls.db"
    Store(db).close()
    legacy = tmp_path / "unsaved-20261101-020000-123.jsonl"
    items = [page("http://www.ironpulse.com/", "ironpulse.com"),
             DiscoveryItem("ironpulse.com", "fitness", "http://www.ironpulse.com/", Discovery("search", "q")),
             FrontierItem(pending=[{"key": "k", "site": "ironpulse.com", "url": "http://x/", "request": "{}"}])]
    legacy.write_text("".join(json.dumps(asdict(item)) + "\n" for item in items) + "not json\n")
    runner = CliRunner()
    pointed = runner.invoke(main, ["recover", "--db", str(db)])
    assert pointed.exit_code == 0
    assert (f"{legacy} was written by an earlier linkspider: import it with `linkspider recover --db {db} "
            f"{legacy}`") in pointed.output
    result = runner.invoke(main, ["recover", "--db", str(db), str(legacy)])
    assert result.exit_code == 0, result.output
    assert f"imported {legacy} into {db}: 1 pages and 2 other records; skipped {legacy}:4: " in result.output
    assert rows(db, "SELECT domain, score > 0 FROM sites") == [("ironpulse.com", 1)]  # stored and scored
    assert rows(db, "SELECT count(*) FROM discoveries") == [(2,)] and rows(db, "SELECT count(*) FROM frontier") == [(0,)]
    assert not legacy.exists()


def test_an_unsaved_file_that_is_no_text_is_kept_and_named(tmp_path: Path) -> None:
    db = tmp_path / "ls.db"
    Store(db).close()
    broken = tmp_path / "unsaved-1.jsonl"
    broken.write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(main, ["recover", "--db", str(db), str(broken)])
    assert result.exit_code == 0
    assert f"{broken} kept, not imported: unsaved file {broken} is not a text file" in result.output
    assert broken.exists()


def test_only_runs_whose_process_is_gone_are_closed(tmp_path: Path) -> None:
    """A `running` row of a process that ended on this machine is closed as killed at its last write;
    one whose process still runs, and one of another machine, are left alone."""
    db = tmp_path / "ls.db"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    with Store(db) as store:
        killed = store.start_run("seeds", "fitness", {}, job="fitness-seeds")
        store.write_pages([page("http://www.ironpulse.com/", "ironpulse.com")])  # its heartbeat
        alive = store.start_run("roundups", "fitness", {})
        elsewhere = store.start_run("guestposts", "fitness", {})
        store.db.execute("UPDATE runs SET pid = ? WHERE id = ?", [int(gone), killed])
        store.db.execute("UPDATE runs SET host = ?, pid = ? WHERE id = ?",
                         [socket.gethostname() + "-other", int(gone), elsewhere])
        store.db.conn.commit()
    [(heartbeat,)] = rows(db, f"SELECT heartbeat FROM runs WHERE id = {killed}")
    result = CliRunner().invoke(main, ["recover", "--db", str(db)])
    assert result.exit_code == 0
    assert result.output == (f"previous run {killed} (seeds for fitness, job fitness-seeds) killed at {heartbeat}: "
                             "its row is closed as interrupted\n")
    assert rows(db, "SELECT id, outcome, finished, reason FROM runs ORDER BY id") == [
        (killed, "interrupted", heartbeat,
         f"killed: process {gone} ended without closing its run; its last write was at {heartbeat}"),
        (alive, "running", None, None), (elsewhere, "running", None, None)]
    assert CliRunner().invoke(main, ["recover", "--db", str(db)]).output == f"nothing to recover for {db}\n"


@pytest.mark.parametrize("reason, outcome, text", [
    ("finished", "finished", "finished"),
    ("shutdown", "interrupted", "shutdown: stopped by SIGINT or SIGTERM"),
    ("closespider_timeout", "interrupted", "closespider_timeout: CLOSESPIDER_TIMEOUT reached"),
    ("store_error", "failed", "store_error: the database could not be written"),
    ("start_error", "failed", "start_error"),
])
def test_a_run_ends_finished_interrupted_or_failed_with_its_reason(tmp_path: Path, reason: str, outcome: str,
                                                                   text: str) -> None:
    with Store(tmp_path / "ls.db") as store:
        run = store.start_run("seeds", "fitness", {})
        store.finish_run(run, reason, {})
        assert list(store.db.query("SELECT outcome, reason FROM runs")) == [{"outcome": outcome, "reason": text}]


def test_a_digest_name_is_never_reused(tmp_path: Path) -> None:
    from datetime import datetime

    night = datetime(2026, 11, 24, 2, 0)
    assert digest_name(tmp_path, night) == "2026-11-24-0200"
    (tmp_path / "2026-11-24-0200.md").write_text("first")
    assert digest_name(tmp_path, night) == "2026-11-24-0200-2"
    (tmp_path / "2026-11-24-0200-2.csv").write_text("second")
    assert digest_name(tmp_path, night) == "2026-11-24-0200-3"


def test_only_a_full_walk_counts_as_walked_and_older_databases_keep_theirs(tmp_path: Path) -> None:
    """RECRAWL_AFTER_DAYS reads the last *full* walk: a short walk (an unconfirmed search result) leaves
    the site to the next spider. A database from before the column counts its crawled sites as walked."""
    db = tmp_path / "ls.db"
    with Store(db) as store:
        short = page("http://short.com/", "short.com")
        short.short_walk = True
        store.write_pages([short, page("http://full.com/", "full.com")])
        assert store.recently_crawled(7) == {"full.com"}
        store.write_pages([page("http://short.com/about/", "short.com")])  # a later full walk counts
        assert store.recently_crawled(7) == {"full.com", "short.com"}
    with sqlite3.connect(db) as conn:  # as an older linkspider left it
        for trigger in ("sites_ai", "sites_ad", "sites_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE sites_fts")
        conn.execute("ALTER TABLE sites DROP COLUMN last_full_walk")
    with Store(db) as store:
        assert store.recently_crawled(7) == {"full.com", "short.com"}
