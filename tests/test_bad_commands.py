"""Careless input to every command: bad files, encodings, values, paths and databases.

Each test does what a person would (a spreadsheet saved as UTF-16, a folder
given as a seed list, a typo in a filter, a database copied read-only from a
colleague) and checks what they would see: one line saying what is wrong,
no traceback, exit status 2 for what they gave and 1 for the environment, and
nothing lost. Crawl-level cases (seed lines, a full disk) are in
``test_bad_input.py``.
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from fakeweb.crawl import ROOT, crawl_env
from linkspider.cli import main
from linkspider.discover.backlinks import BacklinkError, read_backlinks
from linkspider.discover.niches import NicheError, parse_seed_line, read_seed_file
from linkspider.store.database import Store
from tests.test_store_export import crawl_once

CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
BINARY = b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 16  # what a file picked by mistake holds


# ---------------------------------------------------------------- helpers
@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """A database with two fitness sites: ironpulse.com (with emails) and quietcoffee.net."""
    path = tmp_path / "ls.db"
    with Store(path) as store:
        crawl_once(store)
    return path


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_clear_line(result: Result, code: int, *needles: str) -> None:
    """Exit status as promised, no traceback, and one 'Error:' line holding every needle."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert all(n in errors[0] for n in needles), result.output


def status_of(db: Path, domain: str) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status FROM sites WHERE domain = ?", [domain]).fetchone()[0]


def _drop_root_overrides() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: the exec'd command never has it
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def cli_as_a_user(*args: str) -> subprocess.CompletedProcess[str]:
    """`linkspider ...` in a subprocess that file permissions bind (root without its override)."""
    return subprocess.run([sys.executable, "-m", "linkspider.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          preexec_fn=_drop_root_overrides if os.geteuid() == 0 else None)


def damaged(db: Path) -> Path:
    """The database with the first page of its `sites` table overwritten (a bad sector, a cut copy)."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root, = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sites'").fetchone()
        size, = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * size + 8:(root - 1) * size + 300] = b"\xee" * 292
    db.write_bytes(bytes(data))
    return db


# ---------------------------------------------------------------- mark --csv
@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-8"])
def test_mark_csv_in_any_encoding_a_spreadsheet_writes(db: Path, tmp_path: Path, encoding: str) -> None:
    sheet = tmp_path / "marks.csv"
    sheet.write_bytes("domain\tstatus\tnote\nironpulse.com\twon\tlive\n".encode(encoding))
    result = cli("mark", "--db", str(db), "--csv", str(sheet))
    assert result.exit_code == 0, result.output
    assert "marked 1 sites (0 rows skipped)" in result.output
    assert status_of(db, "ironpulse.com") == "won"


def test_mark_csv_that_is_empty_or_has_one_column_says_what_it_needs(db: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    one_clear_line(cli("mark", "--db", str(db), "--csv", str(empty)), 2, f"{empty} is empty", "domain, status")
    one = tmp_path / "one.csv"
    one.write_text("domain\nironpulse.com\n")
    one_clear_line(cli("mark", "--db", str(db), "--csv", str(one)), 2, "needs the columns domain and status",
                   "found 'domain'")
    assert status_of(db, "ironpulse.com") == "new"


def test_mark_csv_that_is_binary_or_a_device_is_named(db: Path, tmp_path: Path) -> None:
    binary = tmp_path / "marks.xls"
    binary.write_bytes(BINARY)
    one_clear_line(cli("mark", "--db", str(db), "--csv", str(binary)), 2, "is not a text file")
    one_clear_line(cli("mark", "--db", str(db), "--csv", os.devnull), 2, "/dev/null is a character device")


def test_mark_csv_row_without_a_domain_is_counted_and_reported(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "marks.csv"
    sheet.write_text("domain,status\n,won\n\nironpulse.com,won\n")
    result = cli("mark", "--db", str(db), "--csv", str(sheet))
    assert result.exit_code == 0, result.output
    assert f"skipped {sheet}:2: no domain" in result.output
    assert "marked 1 sites (1 rows skipped)" in result.output


# ---------------------------------------------------------------- do not contact
def test_dnc_add_from_a_missing_or_binary_file_is_one_line(db: Path, tmp_path: Path) -> None:
    one_clear_line(cli("dnc", "add", "--db", str(db), f"@{tmp_path / 'nope.txt'}"), 2,
                   f"do-not-contact list {tmp_path / 'nope.txt'} not found")
    binary = tmp_path / "list.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    one_clear_line(cli("dnc", "add", "--db", str(db), f"@{binary}"), 2, "is not a text file")
    assert cli("dnc", "list", "--db", str(db)).output == ""


def test_dnc_add_checks_each_value_and_reports_duplicates(db: Path, tmp_path: Path) -> None:
    listed = tmp_path / "dnc.txt"
    listed.write_bytes("\ufeffquietcoffee.net  # asked us\nnot a domain!!\n=evil.com\n".encode("utf-8"))
    result = cli("dnc", "add", "--db", str(db), "https://www.IronPulse.com/contact/", "ironpulse.com",
                 "Jane@IronPulse.com", f"@{listed}")
    assert result.exit_code == 0, result.output
    assert "3 added to the do-not-contact list" in result.output
    assert "skipped 'ironpulse.com': ironpulse.com is given twice" in result.output
    assert f"skipped {listed}:2: 'not a domain!!': not a URL or domain" in result.output
    assert f"skipped {listed}:3: '=evil.com': invalid host name" in result.output
    listed_now = [line.split()[0] for line in cli("dnc", "list", "--db", str(db)).output.splitlines()]
    assert sorted(listed_now) == ["ironpulse.com", "jane@ironpulse.com", "quietcoffee.net"]
    again = cli("dnc", "add", "--db", str(db), "www.quietcoffee.net")
    assert again.exit_code == 0 and "0 added to the do-not-contact list; 1 already on it: quietcoffee.net" \
        in again.output


def test_dnc_add_with_nothing_usable_changes_nothing(db: Path) -> None:
    result = cli("dnc", "add", "--db", str(db), "not a domain!!")
    assert result.exit_code == 2 and "no domain, email address or URL to use" in result.output
    assert cli("dnc", "list", "--db", str(db)).output == ""


# ---------------------------------------------------------------- filters
def test_export_filters_refuse_what_matches_nothing_and_list_valid_values(db: Path) -> None:
    result = cli("export", "--db", str(db), "--signal", "bogus")
    assert result.exit_code == 2 and "'bogus' is not one of 'write_for_us', 'roundup'" in result.output
    result = cli("export", "--db", str(db), "--status", "nosuch")
    assert result.exit_code == 2 and "'nosuch' is not one of 'new', 'contacted'" in result.output
    one_clear_line(cli("export", "--db", str(db), "--niche", "nosuch"), 2, "--niche 'nosuch'",
                   "niches in the database: fitness")
    one_clear_line(cli("report", "--db", str(db), "--niche", "nosuch"), 2, "--niche 'nosuch'",
                   "niches in the database: fitness")
    result = cli("export", "--db", str(db), "--new-since", "last tuesday")
    assert result.exit_code == 2 and "'last tuesday' is not a date" in result.output


def _first_seen(db: Path, domain: str, days_ago: float) -> None:
    when = (datetime.now(timezone.utc) - timedelta(days=days_ago)).isoformat(timespec="milliseconds")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sites SET first_seen = ? WHERE domain = ?", [when, domain])
    conn.close()


@pytest.mark.parametrize("since, expected", [
    ("today", ["ironpulse.com"]), ("yesterday", ["ironpulse.com"]), ("7d", ["ironpulse.com"]),
    ("12h", ["ironpulse.com"]), ("2w", ["ironpulse.com", "quietcoffee.net"]),
    ("30d", ["ironpulse.com", "quietcoffee.net"]), ("2000-01-01", ["ironpulse.com", "quietcoffee.net"]),
    ("2000-01-01T00:00:00+02:00", ["ironpulse.com", "quietcoffee.net"]), ("2999-01-01", []),
])
def test_new_since_takes_dates_yesterday_and_ages(db: Path, since: str, expected: list[str]) -> None:
    _first_seen(db, "quietcoffee.net", days_ago=10)  # ironpulse.com: first seen just now
    result = cli("export", "--db", str(db), "--format", "jsonl", "--all", "--new-since", since)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["domain"] for line in result.output.splitlines()] == expected


def test_unknown_search_backend_is_named_as_given() -> None:
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "guestposts", "-a", "niche=fitness",
                           "-s", "SEARCH_BACKEND=bogus"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=crawl_env("http://127.0.0.1:9", ROOT / "output" / "never-written.db"))
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "SEARCH_BACKEND='bogus' is not a search backend; choose one of searxng" in proc.stderr
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- output paths
def test_export_into_a_folder_it_cannot_write_is_one_line(db: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = cli_as_a_user("export", "--db", str(db), "-o", str(locked / "fitness.csv"))
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip() == (f"Error: could not write {locked / 'fitness.csv'}: Permission denied; "
                                   "nothing in the database was changed")
    assert list(locked.iterdir()) == []


def test_export_below_a_file_is_one_line(db: Path) -> None:
    one_clear_line(cli("export", "--db", str(db), "-o", str(db / "fitness.csv")), 1,
                   f"could not write {db / 'fitness.csv'}: {db} is not a folder")


# ---------------------------------------------------------------- databases
@pytest.mark.parametrize("command", [["report"], ["rescore"], ["export"], ["mark", "ironpulse.com", "--status", "won"]])
def test_damaged_database_is_named_without_a_traceback(db: Path, command: list[str]) -> None:
    damaged(db)
    one_clear_line(cli(command[0], "--db", str(db), *command[1:]), 1,
                   f"{db} is not a linkspider SQLite database (database disk image is malformed)")


def test_a_folder_or_device_given_as_database_is_named(tmp_path: Path) -> None:
    one_clear_line(cli("report", "--db", str(tmp_path)), 2, f"database {tmp_path} is a directory")
    one_clear_line(cli("dnc", "add", "--db", os.devnull, "x.com"), 2, "database /dev/null is a character device")


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_read_only_database_can_still_be_read(db: Path, tmp_path: Path, journal: str) -> None:
    """A database copied read-only (file and folder): export, report and dnc list work;
    commands that write say it is read-only."""
    folder = tmp_path / "from-a-colleague"
    folder.mkdir()
    copy = folder / "ls.db"
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA journal_mode={journal}")
        conn.execute("VACUUM INTO ?", [str(copy)])
    conn.close()
    copy.chmod(0o444)
    folder.chmod(0o555)
    try:
        export = cli_as_a_user("export", "--db", str(copy), "--format", "jsonl", "--all")
        report = cli_as_a_user("report", "--db", str(copy))
        listed = cli_as_a_user("dnc", "list", "--db", str(copy))
        rescore = cli_as_a_user("rescore", "--db", str(copy))
    finally:
        folder.chmod(0o755)
    assert export.returncode == 0, export.stderr
    assert [json.loads(line)["domain"] for line in export.stdout.splitlines()] == ["ironpulse.com", "quietcoffee.net"]
    assert report.returncode == 0 and "2 sites, 4 pages, 2 email addresses" in report.stdout, report.stderr
    assert listed.returncode == 0, listed.stderr
    assert rescore.returncode == 1
    assert rescore.stderr.strip() == (f"Error: database {copy} is read-only; check its permissions "
                                      "or choose another path")
    assert sorted(p.name for p in folder.iterdir()) == ["ls.db"]


def _open_and_record(path: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        with Store(path) as store:
            store.start_run("seeds", "fitness", {})
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(f"{type(exc).__name__}: {exc}")


def test_two_crawls_starting_on_a_new_database_take_turns(tmp_path: Path) -> None:
    """Two processes create the same new database at the same moment, ten times over: the
    second waits for the first (SQLite's busy timeout) instead of failing with 'locked'."""
    ctx = multiprocessing.get_context("fork")
    outcomes = []
    for attempt in range(10):
        path = str(tmp_path / f"new-{attempt}.db")
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=_open_and_record, args=(path, barrier, results)) for _ in range(2)]
        for proc in procs:
            proc.start()
        outcomes += [results.get(timeout=60) for _ in procs]
        for proc in procs:
            proc.join(timeout=60)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT count(*) FROM runs").fetchone() == (outcomes.count("ok") - 2 * attempt,)
        conn.close()
    assert outcomes == ["ok"] * 20


# ---------------------------------------------------------------- nightly plans
def test_nightly_niche_name_cannot_leave_the_jobs_folder(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[[niche]]\nname = "../../etc"\nspiders = ["seeds"]\n')
    jobs = tmp_path / "a" / "b" / "jobs"
    result = cli("nightly", "--db", str(tmp_path / "ls.db"), "--plan", str(plan), "--jobs-dir", str(jobs),
                 "--digests-dir", str(tmp_path / "digests"))
    one_clear_line(result, 2, f"{plan}: [[niche]] number 1: invalid niche name '../../etc'")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["plan.toml"]


def test_nightly_plan_saved_with_a_bom_is_read(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_bytes('\ufeff[[niche]]\nname = "fitness"\nspiders = ["seedz"]\n'.encode("utf-8"))
    one_clear_line(cli("nightly", "--db", str(tmp_path / "ls.db"), "--plan", str(plan)), 2,
                   "unknown spider(s) ['seedz']")


# ---------------------------------------------------------------- seed lists
@pytest.mark.parametrize("line, why", [
    ("http://host.com:99999/", "impossible port '99999'"),
    ("host.com:0", "impossible port '0'"),
    ("@host.com", "an email address or @handle"),
    ("jane@host.com", "an email address or @handle"),
    ("=host.com", "invalid host name '=host.com'"),
    ("http://-host.com/", "invalid host name '-host.com'"),
])
def test_seed_lines_that_name_no_site(line: str, why: str) -> None:
    problem = parse_seed_line(line)
    assert isinstance(problem, str) and problem.startswith(why)


def test_seed_credentials_are_dropped() -> None:
    assert parse_seed_line("http://user:secret@Blog.Host.com:8080/a?b=1") == ("http://blog.host.com:8080/a?b=1",
                                                                             "host.com")


def test_seed_file_in_any_encoding_keeps_its_first_line(tmp_path: Path) -> None:
    for encoding in ("utf-8-sig", "utf-16", "utf-16-le", "cp1252"):
        path = tmp_path / f"seeds-{encoding}.txt"
        path.write_bytes("ironpulse.com\nhttp://user:secret@quietcoffee.net/\n".encode(encoding))
        seeds = read_seed_file(path)
        assert [e.url for e in seeds.entries] == ["https://ironpulse.com/", "http://quietcoffee.net/"], encoding
        assert seeds.errors == []


def test_seed_error_lines_never_echo_a_password(tmp_path: Path) -> None:
    path = tmp_path / "seeds.txt"
    path.write_text("http://user:secret@host.com:99999/\n")
    assert read_seed_file(path).errors == [f"{path}:1: impossible port '99999': 'http://***@host.com:99999/'"]


@pytest.mark.parametrize("what", ["folder", "device", "binary"])
def test_seed_file_that_is_no_text_file_is_named(tmp_path: Path, what: str) -> None:
    path = {"folder": tmp_path, "device": Path(os.devnull), "binary": tmp_path / "seeds.txt"}[what]
    if what == "binary":
        path.write_bytes(BINARY)
    expected = {"folder": "is a directory, not a file", "device": "is a character device, not a file",
                "binary": "is not a text file"}[what]
    with pytest.raises(NicheError, match=f"seed list {path} {expected}"):
        read_seed_file(path)


def test_crawl_with_a_folder_as_seed_list_is_a_usage_error(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", "niche=fitness",
                           "-a", f"seeds={tmp_path}"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=crawl_env("http://127.0.0.1:9", tmp_path / "ls.db"))
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert f"error: seed list {tmp_path} is a directory, not a file" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "ls.db").exists()


# ---------------------------------------------------------------- backlink exports
def test_semrush_detected_by_source_and_target_url(tmp_path: Path) -> None:
    path = tmp_path / "trimmed.csv"
    path.write_text("Source url,Target url,Anchor\nhttps://a-blog.com/post,https://nerdfitness.com/,NF\n")
    result = read_backlinks(path)
    assert result.format == "semrush" and result.errors == []
    assert (result.rows[0].referring_url, result.rows[0].target_domain, result.rows[0].anchor) == \
        ("https://a-blog.com/post", "nerdfitness.com", "NF")


def test_plain_backlink_list_refuses_what_is_no_site(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("https://user:pw@good-blog.com/links/\n=host.com\n@host.com\nhttp://good-blog.com:99999/\n"
                    "other-blog.com\n")
    result = read_backlinks(path)
    assert [r.referring_url for r in result.rows] == ["https://good-blog.com/links/", "https://other-blog.com/"]
    assert [e.split(": ", 2)[1] for e in result.errors] == [
        "invalid host name '=host.com'", "an email address or @handle, not a URL or domain", "impossible port '99999'"]


def test_binary_backlink_export_is_named(tmp_path: Path) -> None:
    path = tmp_path / "backlinks.csv"
    path.write_bytes(BINARY)
    with pytest.raises(BacklinkError, match=f"{path}: is not a text file"):
        read_backlinks(path)


def test_extract_on_a_folder_is_named(tmp_path: Path) -> None:
    one_clear_line(cli("extract", str(tmp_path)), 2, f"page {tmp_path} is a directory")
