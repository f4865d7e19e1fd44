"""The crawl benchmarks run as smoke tests: a 300-page web, figures printed, exit 0 (no timing asserted)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def run(*args: str) -> str:
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_generated_web_is_complete_and_realistic() -> None:
    from _webgen import BenchWeb

    web = BenchWeb(300, 30)
    assert sum(len(s.paths) for s in web.sites) == 300
    assert len({s.host for s in web.sites}) == 30
    site = web.sites[0]
    home = web.page(site.host, "/").decode()
    for path in site.paths[1:]:  # one click from home: within the site walk's depth
        assert f'href="{path}"' in home
    sizes = [len(web.page(s.host, p)) for s in web.sites for p in s.paths]
    assert 25_000 < min(sizes) and max(sizes) < 110_000
    assert f"hello@{site.host}" in web.page(site.host, "/contact/").decode()
    assert web.page(site.host, "/nope/") is None and web.page("elsewhere.com", "/") is None
    assert web.page(site.host, "/about/") == BenchWeb(300, 30).page(site.host, "/about/")  # deterministic


def test_sites_have_a_registrable_domain() -> None:
    from _webgen import BenchWeb

    from linkspider.common.domains import registrable_domain

    for site in BenchWeb(300, 30).sites:
        assert registrable_domain(f"http://{site.host}/") == site.host


def test_throughput_benchmark_smoke() -> None:
    out = run("benchmarks/crawl_throughput.py", "--pages", "300", "--capacity-seconds", "0.5", "--inline")
    assert "server capacity:" in out and "req/s" in out
    rows = {}
    for crawl in ("bare", "linkspider", "inline"):
        # pages, seconds, pages/s, peak RSS MB, +workers MB, CPU %, CPU ms/page, worker ms/page
        row = re.search(rf"^{crawl}\s+(\d+)" + r"\s+([\d.]+)" * 7, out, re.M)
        assert row, out
        assert int(row.group(1)) == 300  # every page fetched, robots.txt not counted
        assert float(row.group(4)) > 0  # peak RSS
        rows[crawl] = [float(g) for g in row.groups()]
    if (os.cpu_count() or 1) > 1:  # EXTRACT_WORKERS' default: a worker when there is a second core
        # The default crawl extracted in a worker process, whose memory and CPU time are counted...
        assert rows["linkspider"][4] > rows["linkspider"][3] and rows["linkspider"][7] > 0
    # ...and neither the bare spider nor the EXTRACT_WORKERS=0 crawl has one.
    assert rows["bare"][7] == 0 and rows["inline"][7] == 0
    assert re.search(r"ratio linkspider/bare: [\d.]+", out)
    assert re.search(r"ratio with EXTRACT_WORKERS=0 .*: [\d.]+", out)
    assert "database:" in out


def test_memory_benchmark_smoke() -> None:
    out = run("benchmarks/crawl_memory.py", "--pages", "300")
    assert re.search(r"peak RSS: [\d.]+ MB, crawl process and extraction workers together", out)
    assert re.search(r"database: [\d.]+ MB", out)
    assert "pages 300" in out  # rows in the pages table
