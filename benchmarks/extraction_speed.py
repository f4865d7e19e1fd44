#!/usr/bin/env python3
"""Milliseconds per page for the whole of ``extract_page`` on 50–150 KB pages.

Takes the corpus pages in the size window (``--min-kb``/``--max-kb``), runs
``extract_page`` on each ``--rounds`` times after a warm-up, and prints the
median and p95 per page, plus the cost of the parse alone for comparison.
Single process, single thread: the figure a Scrapy callback pays per page.

    python benchmarks/extraction_speed.py [--corpus synthetic|real] [--limit N] [--rounds R] [--quick]

``--corpus real`` times the real-page corpus (tests/fixtures/real, both halves:
timing tunes nothing) instead of the synthetic one; ``--min-kb 30`` gives the
30-150 KB window issue 12 names.

Target (issue 4): median <= 5 ms on the 2-core development machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linkspider.extract import extract_page  # noqa: E402
from linkspider.extract.html import parse  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "pages"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def corpus_pages(corpus: str) -> list[tuple[str, str, str]]:
    """(name, html, url) of every page of the chosen corpus."""
    if corpus == "real":
        from tests.fixtures.real import corpus as real

        return [(p.id, p.html(), p.url) for p in real.load()]
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    return [(name, (CORPUS / name).read_text(encoding="utf-8"), labels[name]["url"]) for name in sorted(labels)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=("synthetic", "real"), default="synthetic")
    ap.add_argument("--min-kb", type=float, default=50)
    ap.add_argument("--max-kb", type=float, default=150)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=None, help="at most N pages")
    ap.add_argument("--quick", action="store_true", help="smoke test: 5 pages, 1 round")
    args = ap.parse_args(argv)
    if args.quick:
        args.limit, args.rounds = 5, 1
    pages = []
    for name, html, url in corpus_pages(args.corpus):
        if args.min_kb * 1024 <= len(html.encode("utf-8")) <= args.max_kb * 1024:
            pages.append((name, html, url))
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        print("no pages in the size window")
        return 1
    for _, html, url in pages:  # warm-up: imports, regex and XPath compilation, tldextract
        extract_page(html, url)
    per_page: list[float] = []
    parse_only: list[float] = []
    for _, html, url in pages:
        runs, pruns = [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            extract_page(html, url)
            runs.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            parse(html, url)
            pruns.append((time.perf_counter() - t0) * 1000)
        per_page.append(min(runs) if args.rounds > 2 else statistics.median(runs))
        parse_only.append(statistics.median(pruns))
    sizes = [len(h.encode("utf-8")) / 1024 for _, h, _ in pages]
    print(f"pages: {len(pages)} ({min(sizes):.0f}-{max(sizes):.0f} KB, median {statistics.median(sizes):.0f} KB), rounds: {args.rounds}")
    print(f"extract_page median: {statistics.median(per_page):.2f} ms")
    print(f"extract_page p95:    {percentile(per_page, 0.95):.2f} ms")
    print(f"parse only median:   {statistics.median(parse_only):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
