#!/usr/bin/env python3
"""Precision, recall and F1 of ``extract_page`` on the real-page corpus (dev and test halves) and the synthetic one.

The real corpus (``tests/fixtures/real/``: pages saved from public repositories,
labelled by reading them) is the measure that counts; its ``split.json`` holds
a dev half, on which the extractors may be tuned, and a test half, which is
only reported. The synthetic corpus (``tests/fixtures/pages/``) was written
together with the rules: it pins behaviour, it does not estimate accuracy.

Emails, social profiles and authors are scored over (page, item) pairs; an
extracted email that the labels call ambiguous counts neither way. Page kinds
and contact forms are scored over pages.

    python benchmarks/extraction_quality.py [--corpus real-dev,real-test,synthetic] [--limit N]
                                            [--verbose] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linkspider.extract import extract_page  # noqa: E402
from tests.fixtures.real import corpus as real  # noqa: E402

SYNTHETIC = ROOT / "tests" / "fixtures" / "pages"
#: report name -> facts key; the real labels use the facts' own names, the synthetic ones the short names.
KINDS = {
    "write_for_us": "is_write_for_us",
    "rejects_guest_posts": "rejects_guest_posts",
    "sponsored": "is_sponsored",
    "roundup": "is_roundup",
    "resources": "is_resources",
    "contact_page": "is_contact_page",
    "about_page": "is_about_page",
    "contact_form": "contact_form",
}
SETS = ("emails", "social", "authors")
CORPORA = ("real-dev", "real-test", "synthetic")


@dataclass
class Case:
    """One page to score: its HTML, URL and the labels in the real corpus's vocabulary."""

    name: str
    html: str
    url: str
    labels: dict[str, Any]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Score:
    pages: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in (*SETS, *KINDS)})
    problems: list[str] = field(default_factory=list)


def _norm_name(text: str) -> str:
    """Names compared as a reader would: case, spacing and a final full stop ("Tim B." = "Tim B") aside."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).rstrip(".")


def _norm_url(text: str) -> str:
    return text.strip().rstrip("/").casefold()


NORMALISE = {"emails": str.lower, "social": _norm_url, "authors": _norm_name}


def real_cases(half: str) -> list[Case]:
    ids = set(real.split()[half])
    return [Case(p.id, p.html(), p.url, p.labels) for p in real.load() if p.id in ids]


def synthetic_cases() -> list[Case]:
    labels = json.loads((SYNTHETIC / "labels.json").read_text(encoding="utf-8"))
    cases = []
    for name in sorted(labels):
        label = labels[name]
        mapped = {KINDS[k]: bool(label[k]) for k in KINDS}
        mapped.update(emails=label["emails"], social=label["social"], authors=label.get("authors", []),
                      ambiguous_emails=[])
        cases.append(Case(name, (SYNTHETIC / name).read_text(encoding="utf-8"), label["url"], mapped))
    return cases


def score(cases: Iterable[Case], with_authors: bool = True) -> Score:
    result = Score()
    for case in cases:
        result.pages += 1
        facts = extract_page(case.html, case.url)
        for key in SETS:
            if key == "authors" and not with_authors:
                continue
            norm = NORMALISE[key]
            got = {norm(x) for x in facts[key]}
            want = {norm(x) for x in case.labels.get(key, [])}
            ignore = {norm(x) for x in case.labels.get("ambiguous_emails", [])} if key == "emails" else set()
            tally = result.tallies[key]
            tally.tp += len(got & want)
            tally.fp += len(got - want - ignore)
            tally.fn += len(want - got)
            result.problems += [f"{case.name}: {key} false positive {x}" for x in sorted(got - want - ignore)]
            result.problems += [f"{case.name}: {key} missed {x}" for x in sorted(want - got)]
        for kind, key in KINDS.items():
            got, want = bool(facts[key]), bool(case.labels.get(key))
            tally = result.tallies[kind]
            if got and want:
                tally.tp += 1
            elif got:
                tally.fp += 1
                result.problems.append(f"{case.name}: {kind} false positive ({facts['evidence'].get(kind, '')})")
            elif want:
                tally.fn += 1
                result.problems.append(f"{case.name}: {kind} missed")
    return result


def evaluate(corpus: str, limit: int | None = None) -> Score:
    if corpus == "synthetic":
        cases = synthetic_cases()
        with_authors = False  # the synthetic labels predate author scoring: they list only some bylines
    else:
        cases = real_cases(corpus.split("-", 1)[1])
        with_authors = True
    return score(cases[:limit] if limit else cases, with_authors=with_authors)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=",".join(CORPORA),
                    help=f"comma-separated, among {', '.join(CORPORA)} (default: all three)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages of each (smoke test)")
    ap.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    chosen = [c.strip() for c in args.corpus.split(",") if c.strip()]
    if bad := [c for c in chosen if c not in CORPORA]:
        ap.error(f"unknown corpus {', '.join(bad)} (choose among {', '.join(CORPORA)})")
    results = {name: evaluate(name, args.limit) for name in chosen}
    if args.json:
        print(json.dumps({name: {"pages": r.pages, **{k: t.as_dict() for k, t in r.tallies.items()}}
                          for name, r in results.items()}, indent=1))
        return 0
    print(f"{'':<22}" + "".join(f"{name + f' ({r.pages} pages)':>30}" for name, r in results.items()))
    for key in (*SETS, *KINDS):
        cells = []
        for name, r in results.items():
            t = r.tallies[key]
            if name == "synthetic" and key == "authors":
                cells.append(f"{'-':>30}")
                continue
            figure = f"P {t.precision:.2f} R {t.recall:.2f}" + (f" F1 {t.f1:.2f}" if key in KINDS else "")
            cells.append(f"{figure + f' ({t.tp + t.fn})':>30}")
        print(f"{key:<22}" + "".join(cells))
    for name, r in results.items():
        if args.verbose:
            print(f"\n{name}:")
            for line in r.problems:
                print("  " + line)
        else:
            print(f"{name}: {len(r.problems)} problems (--verbose lists them)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
