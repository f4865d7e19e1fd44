"""The real-page corpus is whole: every page has its source and its labels, and the split is the rule's.

A label file and its pages must agree (a missing page, bad JSON or an unknown
field fails here, with the line that is wrong); the corpus is big and varied
enough to mean something; the dev/test split is exactly what
``tests/fixtures/real/split.py`` computes, so no page was moved to suit a figure.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.fixtures.real import corpus, split

PAGES = corpus.load()


def test_pages_manifest_and_labels_agree() -> None:
    assert corpus.problems(corpus.HERE, corpus.reserved_hashes()) == []


def test_the_checker_catches_a_page_without_labels_and_a_bad_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "manifest.jsonl").write_text((corpus.HERE / "manifest.jsonl").read_text().splitlines()[0] + "\n")
    (tmp_path / "labels.jsonl").write_text('{"id": "nope", "emails": "not a list"}\nnot json\n')
    found = corpus.problems(tmp_path)
    assert any("not JSON" in p for p in found) and any("no labels for" in p for p in found)
    assert any("'emails' must be a list" in p for p in found)


def test_the_corpus_is_big_and_covers_what_a_link_builder_meets() -> None:
    assert len(PAGES) >= 220
    kinds = Counter(k for p in PAGES for k in corpus.BOOL_LABELS if p.labels[k])
    assert kinds["is_write_for_us"] >= 30 and kinds["is_roundup"] >= 25 and kinds["is_resources"] >= 20
    assert kinds["is_contact_page"] >= 50 and kinds["rejects_guest_posts"] >= 2
    negatives = [p for p in PAGES if not any(p.labels[k] for k in corpus.BOOL_LABELS)]
    assert len(negatives) >= 80
    assert sum(1 for p in PAGES if p.labels["not_emails"]) >= 30  # Fediverse handles, tutorial addresses...
    assert {p.source["lang"] for p in PAGES} >= {"en", "de", "es", "fr"}
    assert len({p.source["repo"] for p in PAGES}) >= 100 and len({p.source["layout"] for p in PAGES}) >= 8
    assert max(Counter(p.source["repo"] for p in PAGES).values()) <= 6


def test_the_split_is_the_rules_and_covers_every_page_once() -> None:
    stored = json.loads((corpus.HERE / "split.json").read_text(encoding="utf-8"))
    assert stored == split.compute(stored)
    dev, test = set(stored["dev"]), set(stored["test"])
    assert not dev & test and dev | test == {p.id for p in PAGES}


@pytest.mark.parametrize("kind", ["is_write_for_us", "is_roundup", "is_resources", "is_contact_page",
                                  "contact_form"])
def test_both_halves_hold_about_half_of_each_kind(kind: str) -> None:
    halves = corpus.split()
    labels = {p.id: p.labels for p in PAGES}
    counts = [sum(labels[i][kind] for i in halves[h]) for h in ("dev", "test")]
    assert min(counts) >= max(counts) * 0.75, counts
