"""The benchmark scripts run as smoke tests (figures printed, exit 0; no timing asserted)."""

from __future__ import annotations

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
    assert "pages: 20" in out
    for key in ("emails", "social", "write_for_us", "roundup", "contact_form"):
        assert key in out
    assert "precision" in out and "recall" in out and "F1" in out


def test_speed_benchmark_smoke() -> None:
    out = run("benchmarks/extraction_speed.py", "--quick")
    assert "extract_page median:" in out and "p95" in out
