"""The benchmark scripts run as smoke tests (figures printed, exit 0; no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> str:
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_quality_benchmark_smoke() -> None:
    out = run("benchmarks/extraction_quality.py", "--limit", "20")
    assert "real-dev (20 pages)" in out and "real-test (20 pages)" in out and "synthetic (20 pages)" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for key in ("emails", "social", "authors", "write_for_us", "roundup", "resources", "contact_page", "contact_form"):
        assert re.search(r"P \d\.\d\d R \d\.\d\d", rows[key]), rows.get(key)
    for key in ("write_for_us", "contact_form"):
        assert re.search(r"F1 \d\.\d\d", rows[key])


def test_speed_benchmark_smoke() -> None:
    out = run("benchmarks/extraction_speed.py", "--quick")
    assert "page stage median:" in out and "p95" in out


def test_main_content_benchmark_smoke() -> None:
    out = run("benchmarks/main_content.py", "--limit", "5")
    assert "real-dev: 5 pages" in out and "linkspider" in out
    assert re.search(r"is_write_for_us\s+P \d\.\d\d R \d\.\d\d F1 \d\.\d\d", out)
    assert "ms/page median" in out
