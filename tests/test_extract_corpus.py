"""The whole labelled corpus meets the quality targets of issue 4."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.extraction_quality import KINDS, evaluate

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


def test_corpus_is_big_varied_and_labelled() -> None:
    labels = json.loads((PAGES / "labels.json").read_text(encoding="utf-8"))
    files = sorted(p.name for p in PAGES.glob("*.html"))
    assert len(files) >= 150 and sorted(labels) == files
    sizes = [(PAGES / f).stat().st_size for f in files]
    assert sum(30_000 <= s <= 150_000 for s in sizes) >= 30
    assert {lab["lang"] for lab in labels.values()} >= {"en", "de", "es", "fr"}
    assert len({lab["theme"] for lab in labels.values()}) >= 6
    assert sum(f.startswith("bait-") for f in files) >= 20


def test_quality_targets() -> None:
    res = evaluate()
    assert res["emails"]["precision"] >= 0.99, res["problems"]
    assert res["emails"]["recall"] >= 0.97, res["problems"]
    for kind in KINDS:
        assert res[kind]["f1"] >= 0.95, (kind, res["problems"])
    assert res["social"]["precision"] >= 0.95 and res["social"]["recall"] >= 0.95, res["problems"]
