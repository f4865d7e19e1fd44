#!/usr/bin/env python3
"""Precision and recall of ``extract_page`` on the labelled corpus.

Reads ``tests/fixtures/pages/*.html`` and ``labels.json`` beside them and
prints, for emails and social profiles, micro-averaged precision and recall
(over every (page, item) pair), and for each page kind and for contact forms,
precision / recall / F1 over pages. ``--verbose`` lists every miss and every
false positive, which is how the extractors are debugged.

    python benchmarks/extraction_quality.py [--limit N] [--verbose] [--json]

Targets (issue 4): email precision >= 0.99, recall >= 0.97; each page kind F1 >= 0.95.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linkspider.extract import extract_page  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "pages"
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


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(limit: int | None = None, verbose: bool = False) -> dict:
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    names = sorted(labels)
    if limit:
        names = names[:limit]
    sets = {"emails": [0, 0, 0], "social": [0, 0, 0]}  # tp, fp, fn
    kinds = {k: [0, 0, 0] for k in KINDS}
    problems: list[str] = []
    for name in names:
        label = labels[name]
        html = (CORPUS / name).read_text(encoding="utf-8")
        facts = extract_page(html, label["url"])
        for key in sets:
            got, want = set(facts[key]), set(label[key])
            sets[key][0] += len(got & want)
            sets[key][1] += len(got - want)
            sets[key][2] += len(want - got)
            for x in sorted(got - want):
                problems.append(f"{name}: {key} false positive {x}")
            for x in sorted(want - got):
                problems.append(f"{name}: {key} missed {x}")
        for kind, field in KINDS.items():
            got, want = bool(facts[field]), bool(label[kind])
            if got and want:
                kinds[kind][0] += 1
            elif got:
                kinds[kind][1] += 1
                problems.append(f"{name}: {kind} false positive ({facts['evidence'].get(kind, '')})")
            elif want:
                kinds[kind][2] += 1
                problems.append(f"{name}: {kind} missed")
    result: dict = {"pages": len(names)}
    for key, (tp, fp, fn) in sets.items():
        result[key] = {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn), "tp": tp, "fp": fp, "fn": fn}
    for kind, (tp, fp, fn) in kinds.items():
        p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
        result[kind] = {"precision": p, "recall": r, "f1": (2 * p * r / (p + r)) if (p + r) else 0.0,
                        "tp": tp, "fp": fp, "fn": fn}
    result["problems"] = problems
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages (smoke test)")
    ap.add_argument("--verbose", action="store_true", help="list every miss and false positive")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    res = evaluate(args.limit, args.verbose)
    if args.json:
        print(json.dumps({k: v for k, v in res.items() if k != "problems"}, indent=1))
        return 0
    print(f"pages: {res['pages']}")
    for key in ("emails", "social"):
        r = res[key]
        print(f"{key:<20} precision {r['precision']:.3f}  recall {r['recall']:.3f}   (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
    for kind in KINDS:
        r = res[kind]
        print(f"{kind:<20} precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}   (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
    if args.verbose:
        for line in res["problems"]:
            print("  " + line)
    else:
        print(f"problems: {len(res['problems'])} (use --verbose to list)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
