"""`linkspider authority import`: Tranco, Common Crawl's web-graph ranks and Open PageRank, as a link builder uses them.

They download a ranking (or have an Open PageRank key), import it, and from
then on see each site's authority in exports, the report and the UI, can
filter on it and, if they choose, let it weigh in the score. The Open
PageRank API is a fake on 127.0.0.1: no test reaches the real one.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner, Result

from linkspider.cli import main
from linkspider.items import PageItem
from linkspider.score.authority import authority_from_pagerank, authority_from_rank
from linkspider.score.prospect import score_site
from linkspider.store.database import Store
from tests.test_store_export import crawl_once

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "authority"
KEY = "opr-test-key-0123456789"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def authority_of(db: Path, domain: str) -> tuple[Any, ...]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT authority, authority_source, authority_date, authority_rank FROM sites "
                            "WHERE domain = ?", [domain]).fetchone()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """ironpulse.com and quietcoffee.net, as a crawl stores them."""
    path = tmp_path / "ls.db"
    with Store(path) as store:
        crawl_once(store)
    return path


def test_rank_to_authority_is_one_log_scale() -> None:
    assert [authority_from_rank(r) for r in (1, 10, 100, 10_000, 1_000_000, 10**8, 10**9)] == \
        [100, 88, 75, 50, 25, 0, 0]
    assert authority_from_pagerank(4.61) == 46 and authority_from_pagerank(10) == 100


def test_tranco_list_as_csv_or_as_the_downloaded_zip(db: Path, tmp_path: Path) -> None:
    result = cli("authority", "import", str(FIXTURES / "tranco.csv"), "--db", str(db), "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert "authority for 2 of 2 sites from tranco (2026-11-20)" in result.output
    # The one line that is no `rank,domain` is named with its line number; the rest is read.
    assert f"skipped {FIXTURES / 'tranco.csv'}:7: not 'rank,domain'" in result.output
    assert authority_of(db, "ironpulse.com") == (authority_from_rank(812), "tranco", "2026-11-20", 812)
    assert authority_of(db, "quietcoffee.net")[0] == authority_from_rank(99731)  # listed as www.

    archive = tmp_path / "tranco-top-1m.csv.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("top-1m.csv", "1,google.com\n5000,ironpulse.com\n")
    assert cli("authority", "import", str(archive), "--db", str(db)).exit_code == 0
    assert authority_of(db, "ironpulse.com")[0] == authority_from_rank(5000)


@pytest.mark.parametrize("measure, rank", [("harmonic", 15044), ("pagerank", 48210)])
def test_common_crawl_domain_ranks_gzipped_with_reversed_host_names(db: Path, tmp_path: Path, measure: str,
                                                                    rank: int) -> None:
    gz = tmp_path / "cc-main-2026-domain-ranks.txt.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "cc-main-2026-domain-ranks.txt").read_bytes()))
    result = cli("authority", "import", str(gz), "--db", str(db), "--measure", measure, "--date", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert f"from commoncrawl-{measure} (2026-10-01); 1 lines skipped" in result.output
    assert f"{gz}:6: expected 5 or 6 tab-separated columns" in result.output
    assert authority_of(db, "ironpulse.com") == (authority_from_rank(rank), f"commoncrawl-{measure}",
                                                 "2026-10-01", rank)


def test_open_pagerank_csv_and_what_exports_and_report_show(db: Path) -> None:
    assert cli("authority", "import", str(FIXTURES / "opr-top10m.csv"), "--db", str(db)).exit_code == 0
    assert authority_of(db, "ironpulse.com")[:2] == (46, "opr")
    # --all: the coffee site is off-niche, so a default export (prospects only) leaves it out.
    rows = [json.loads(line) for line in cli("export", "--db", str(db), "--format", "jsonl", "--all").output.splitlines()]
    by_domain = {r["domain"]: r for r in rows}
    assert "quietcoffee.net" not in cli("export", "--db", str(db), "--format", "jsonl").output
    assert by_domain["ironpulse.com"]["authority"] == 46
    assert by_domain["ironpulse.com"]["authority_source"].startswith("opr ")
    assert by_domain["quietcoffee.net"]["authority"] == 23
    header = cli("export", "--db", str(db)).output.splitlines()[0].split(",")
    assert header[:5] == ["domain", "niche", "score", "authority", "authority_source"]
    only_big = cli("export", "--db", str(db), "--min-authority", "30", "--format", "jsonl").output.splitlines()
    assert [json.loads(line)["domain"] for line in only_big] == ["ironpulse.com"]
    report = cli("report", "--db", str(db)).output
    assert "auth" in report and any(" 46  ironpulse.com" in line for line in report.splitlines())


def test_sites_without_a_figure_are_left_out_by_min_authority(db: Path) -> None:
    result = cli("export", "--db", str(db), "--min-authority", "0", "--format", "jsonl")
    assert result.exit_code == 0 and result.output == ""


def test_authority_weighs_in_the_score_only_when_given_a_weight(db: Path) -> None:
    with Store(db) as store:
        store.set_authority([{"domain": "ironpulse.com", "authority": 80, "source": "tranco", "date": "2026-11-20"}])
        site = next(store.site_facts(["ironpulse.com"]))
    plain, weighted = score_site(site), score_site(site, {"authority": 10, "write_for_us": 0})
    assert "authority" not in plain["score_why"]
    assert "authority 80" in weighted["score_why"]
    assert weighted["score"] == score_site(site, {"write_for_us": 0})["score"] + 8  # 10 x 0.8, fully relevant


def test_a_file_in_no_known_format_or_binary_is_one_clear_line(db: Path, tmp_path: Path) -> None:
    odd = tmp_path / "ranks.csv"
    odd.write_text("Keyword,Position\nfitness,3\n")
    result = cli("authority", "import", str(odd), "--db", str(db))
    assert result.exit_code == 2 and "not a ranking linkspider knows" in result.output
    assert "Tranco ('1,google.com')" in result.output and "Traceback" not in result.output
    binary = tmp_path / "ranks.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result = cli("authority", "import", str(binary), "--db", str(db))
    assert result.exit_code == 2 and "is not a text file" in result.output
    result = cli("authority", "import", str(tmp_path), "--db", str(db))
    assert result.exit_code == 2 and "is a directory" in result.output
    assert cli("authority", "import", "--db", str(db)).exit_code == 2  # neither FILE nor --opr
    assert authority_of(db, "ironpulse.com")[0] is None


# ------------------------------------------------------------ Open PageRank's API, faked on 127.0.0.1


class FakeOpenPageRank:
    """Answers /api/v1.0/getPageRank like Open PageRank; ``refuse`` makes it answer that HTTP status."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, list[str]]] = []  # (API-OPR header, domains asked)
        self.refuse: int | None = None
        self.refuse_after: int = 0  # answer this many requests before refusing
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                domains = [v for k, v in parse_qsl(parts.query) if k.startswith("domains[")]
                owner.requests.append((self.headers.get("API-OPR", ""), domains))
                if owner.refuse and len(owner.requests) > owner.refuse_after:
                    self.send_response(owner.refuse)
                    self.end_headers()
                    return
                response = [{"status_code": 200, "error": "", "page_rank_integer": 5, "page_rank_decimal": 4.61,
                             "rank": "58123", "domain": d} if d == "ironpulse.com" else
                            {"status_code": 404, "error": "Domain not found", "page_rank_integer": 0,
                             "page_rank_decimal": 0, "rank": None, "domain": d} for d in domains]
                body = json.dumps({"status_code": 200, "response": response,
                                   "last_updated": "20th Nov 2026"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def opr() -> Iterator[FakeOpenPageRank]:
    server = FakeOpenPageRank()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def big_db(tmp_path: Path) -> Path:
    """ironpulse.com, quietcoffee.net and 148 more sites: two batches of Open PageRank's 100."""
    path = tmp_path / "ls.db"
    with Store(path) as store:
        crawl_once(store)
        store.write_pages([PageItem(url=f"http://site{i:03}.com/", domain=f"site{i:03}.com", niche="fitness",
                                    status=200, is_home=True, facts={"title": "x"}) for i in range(148)])
    return path


def opr_cli(opr: FakeOpenPageRank, *args: str, key: str = KEY) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update(PYTHONPATH=str(ROOT), OPR_API_URL=opr.url, OPR_API_KEY=key)
    return subprocess.run([sys.executable, "-m", "linkspider.cli", "authority", "import", "--opr", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_open_pagerank_api_is_asked_in_batches_and_its_answers_cached(opr: FakeOpenPageRank, big_db: Path) -> None:
    first = opr_cli(opr, "--db", str(big_db))
    assert first.returncode == 0, first.stderr
    assert [len(domains) for _, domains in opr.requests] == [100, 50]
    assert {key for key, _ in opr.requests} == {KEY}
    assert authority_of(big_db, "ironpulse.com")[:2] == (46, "opr")
    assert authority_of(big_db, "site000.com")[:2] == (0, "opr")  # not ranked: 0, and not asked again
    assert "authority for 150 of 150 sites from opr" in first.stdout

    again = opr_cli(opr, "--db", str(big_db))
    assert again.returncode == 0 and len(opr.requests) == 2
    assert "150 answered within 30 days not asked again" in again.stdout
    assert opr_cli(opr, "--db", str(big_db), "--refresh").returncode == 0 and len(opr.requests) == 4
    with sqlite3.connect(big_db) as conn:
        dump = "\n".join(conn.iterdump())
    assert KEY not in dump + first.stdout + first.stderr


def test_open_pagerank_refusals_are_one_line_and_keep_what_was_answered(opr: FakeOpenPageRank,
                                                                         big_db: Path) -> None:
    opr.refuse = 401
    refused = opr_cli(opr, "--db", str(big_db))
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        "Error: Open PageRank refused the key (HTTP 401): check OPR_API_KEY (0 sites stored before)"]
    assert authority_of(big_db, "ironpulse.com")[0] is None

    opr.refuse, opr.refuse_after = 429, len(opr.requests) + 1  # the first batch answered, then the limit
    limited = opr_cli(opr, "--db", str(big_db))
    assert limited.returncode == 1 and "too many requests (HTTP 429)" in limited.stderr
    assert "(100 sites stored before)" in limited.stderr
    assert authority_of(big_db, "ironpulse.com")[:2] == (46, "opr")
    opr.refuse = None
    rest = opr_cli(opr, "--db", str(big_db))
    assert rest.returncode == 0 and opr.requests[-1][1] == [f"site{i:03}.com" for i in range(98, 148)]


def test_open_pagerank_without_a_key_says_where_to_get_one(opr: FakeOpenPageRank, db: Path) -> None:
    result = opr_cli(opr, "--db", str(db), key="")
    assert result.returncode == 1 and "needs an API key: export OPR_API_KEY=" in result.stderr
    assert opr.requests == []


def test_a_gzipped_file_cut_short_is_named(db: Path, tmp_path: Path) -> None:
    gz = tmp_path / "ranks.txt.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "cc-main-2026-domain-ranks.txt").read_bytes())[:-12])
    result = cli("authority", "import", str(gz), "--db", str(db))
    assert result.exit_code == 2 and f"cannot read ranking {gz}" in result.output


def test_an_import_rescores_the_sites_it_touched_when_authority_has_a_weight(db: Path, tmp_path: Path) -> None:
    """The README's tuning: SCORE_WEIGHTS = {"authority": 10} in the settings, then import."""
    (tmp_path / "weighted_settings.py").write_text('from linkspider.settings import *  # noqa\n'
                                                   'SCORE_WEIGHTS = {"authority": 10}\n')
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}", "SCRAPY_SETTINGS_MODULE": "weighted_settings"}
    with sqlite3.connect(db) as conn:
        before, = conn.execute("SELECT score FROM sites WHERE domain = 'ironpulse.com'").fetchone()
    proc = subprocess.run([sys.executable, "-m", "linkspider.cli", "authority", "import", str(FIXTURES / "tranco.csv"),
                           "--db", str(db)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(db) as conn:
        score, why = conn.execute("SELECT score, score_why FROM sites WHERE domain = 'ironpulse.com'").fetchone()
    assert f"authority {authority_from_rank(812)}" in why and score > before
