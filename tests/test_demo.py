"""`make demo` keeps its made-up sites apart: output/demo.db only, and no real crawl writes into it.

`make demo` is `python -m fakeweb.demo`; the test runs it with `--output` in a temporary
folder (the default is the checkout's output/), then real `scrapy crawl` runs beside it.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CrawlResult, run_crawl
from fakeweb.crawl import ROOT

REFUSED = "is the database of `make demo` (made-up sites of the offline demo web); a real crawl does not write into it"


def count(db: Path, sql: str = "SELECT count(*) FROM sites") -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def demo(output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fakeweb.demo", "--output", str(output)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    output = tmp_path_factory.mktemp("demo") / "output"
    return output, demo(output)


def real_crawl(fakeweb: Any, db: Path, folder: Path) -> CrawlResult:
    seeds = folder / "mine.txt"
    seeds.write_text("".join(f"{s['home_url']}\n" for s in fakeweb.web.manifest["sites"][:3]))
    return run_crawl("seeds", fakeweb.proxy_url, db, "niche=fitness", f"seeds={seeds}", settings={"RENDER": "never"})


def test_the_demo_writes_demo_db_only(demo_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    output, result = demo_run
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert sorted(p.name for p in output.glob("*.db")) == ["demo.db"]
    assert count(output / "demo.db") >= 40
    assert count(output / "demo.db", "SELECT value FROM meta WHERE key = 'purpose'") == "demo"


def test_a_real_crawl_refuses_the_demo_database_and_keeps_its_own_apart(
        demo_run: tuple[Path, subprocess.CompletedProcess[str]], fakeweb: Any, tmp_path: Path) -> None:
    output, _ = demo_run
    demo_db = output / "demo.db"
    before = count(demo_db)
    refused = real_crawl(fakeweb, demo_db, tmp_path)
    assert refused.returncode == 1
    assert f"{demo_db} {REFUSED}. Start clean: delete {demo_db}" in refused.log
    assert "Spider opened" not in refused.log and count(demo_db) == before
    mine = output / "linkspider.db"
    result = real_crawl(fakeweb, mine, tmp_path)
    assert result.returncode == 0, result.log[-3000:]
    assert count(mine) == 3 and count(demo_db) == before


def test_a_database_an_older_demo_wrote_is_refused_too(demo_run: tuple[Path, subprocess.CompletedProcess[str]],
                                                       fakeweb: Any, tmp_path: Path) -> None:
    """Older demos wrote output/linkspider.db and left output/.demo-database beside it."""
    old = tmp_path / "output" / "linkspider.db"
    old.parent.mkdir()
    shutil.copyfile(demo_run[0] / "demo.db", old)
    with sqlite3.connect(old) as conn:
        conn.execute("DELETE FROM meta")
    (old.parent / ".demo-database").write_text("output/linkspider.db was written by `make demo`\n")
    refused = real_crawl(fakeweb, old, tmp_path)
    assert refused.returncode == 1 and f"{old} {REFUSED}" in refused.log


def test_the_demo_refuses_a_demo_db_holding_real_rows(fakeweb: Any, tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    assert real_crawl(fakeweb, output / "demo.db", tmp_path).returncode == 0  # someone's real crawl, by that name
    result = demo(output)
    assert result.returncode == 1
    assert (f"Error: {output / 'demo.db'} holds 3 sites that are not the demo's; the demo writes only a database "
            "of its own") in result.stderr
    assert count(output / "demo.db") == 3
