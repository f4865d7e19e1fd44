#!/usr/bin/env python3
"""Milliseconds per page of the crawl's page stage, on real pages and on the synthetic corpus, stage by stage.

For each corpus — the real-page corpus's dev and test halves
(``tests/fixtures/real``, pages of 30–150 KB by default) and the synthetic
corpus (``tests/fixtures/pages``, 50–150 KB) — every page is read as a crawl
worker reads it (parse, the facts of ``extract_page``, the walk's links, the
niche scores), ``--rounds`` times after a warm-up, and the best round counts.
Printed: median and p95 ms per page, median ms per KB, and where the time
goes, stage by stage (the page's shared views — main content, links, text —
are their own stage, so the stages after them show their own work).
Timed with the process's CPU clock (steadier than the wall clock on a busy machine). Single process, single thread. Figures, not assertions: a slow change shows
here, and where.

    python benchmarks/extraction_speed.py [--corpus real-dev,real-test,synthetic] [--rounds R] [--quick]

Targets (issue 21): median <= 3.5 ms and p95 <= 10 ms on the real 30-150 KB pages.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linkspider.discover.niches import load_niche  # noqa: E402
from linkspider.extract import facts_of  # noqa: E402
from linkspider.extract.html import parse  # noqa: E402
from linkspider.extract.page import walk_links  # noqa: E402
from linkspider.score.page import NicheContext, score_page  # noqa: E402
from linkspider.score.relevance import NicheQuery  # noqa: E402
from tests.fixtures.real import corpus as real  # noqa: E402

SYNTHETIC = ROOT / "tests" / "fixtures" / "pages"
CORPORA = ("real-dev", "real-test", "synthetic")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def pages_of(name: str, min_kb: float | None, max_kb: float) -> list[tuple[str, str]]:
    if name == "synthetic":
        labels = json.loads((SYNTHETIC / "labels.json").read_text(encoding="utf-8"))
        found = [((SYNTHETIC / f).read_text(encoding="utf-8"), labels[f]["url"]) for f in sorted(labels)]
        low = 50 if min_kb is None else min_kb
    else:
        ids = set(real.split()[name.split("-", 1)[1]])
        found = [(p.html(), p.url) for p in real.load() if p.id in ids]
        low = 30 if min_kb is None else min_kb
    return [(h, u) for h, u in found if low * 1024 <= len(h.encode("utf-8")) <= max_kb * 1024]


def read_once(html: str, url: str, context: NicheContext, stages: dict[str, float] | None) -> float:
    """One page through the page stage, as a worker runs it; the stages' times added to ``stages``."""
    marks = [time.process_time()]
    names: list[str] = []

    def clock(stage: str) -> None:
        marks.append(time.process_time())
        names.append(stage)

    page = parse(html, url)
    clock("parse")
    page.links, page.text, page.main_root, page.main_text, page.headings, page.main_links  # noqa: B018
    clock("shared views")
    facts = facts_of(page, clock)
    walk_links(page)
    clock("walk links")
    score_page(facts, context)
    clock("niche scores")
    if stages is not None:
        for stage, start, end in zip(names, marks, marks[1:]):
            stages[stage] += (end - start) * 1000
    return (marks[-1] - marks[0]) * 1000


def measure(pages: list[tuple[str, str]], rounds: int, context: NicheContext) -> dict[str, object]:
    for html, url in pages:  # warm-up: imports, regex and XPath compilation, tldextract, stem caches
        read_once(html, url, context, None)
    per_page, per_kb, stages = [], [], defaultdict(float)
    for html, url in pages:
        best, best_stages = float("inf"), None
        for _ in range(rounds):
            these: dict[str, float] = defaultdict(float)
            took = read_once(html, url, context, these)
            if took < best:
                best, best_stages = took, these
        per_page.append(best)
        per_kb.append(best / (len(html.encode("utf-8")) / 1024))
        for stage, ms in (best_stages or {}).items():
            stages[stage] += ms
    sizes = sorted(len(h.encode("utf-8")) / 1024 for h, _ in pages)
    return {"pages": len(pages), "kb_min": round(sizes[0]), "kb_median": round(statistics.median(sizes)),
            "kb_max": round(sizes[-1]), "median_ms": round(statistics.median(per_page), 2),
            "p95_ms": round(percentile(per_page, 0.95), 2), "ms_per_kb": round(statistics.median(per_kb), 4),
            "stages_ms_per_page": {k: round(v / len(pages), 3) for k, v in stages.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=",".join(CORPORA), help=f"comma-separated, among {', '.join(CORPORA)}")
    ap.add_argument("--min-kb", type=float, default=None, help="smallest page (default 30 real, 50 synthetic)")
    ap.add_argument("--max-kb", type=float, default=150)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=None, help="at most N pages per corpus")
    ap.add_argument("--quick", action="store_true", help="smoke test: 5 pages a corpus, 1 round")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.limit, args.rounds = 5, 1
    profile = load_niche("fitness", ROOT / "seeds")
    context = NicheContext(NicheQuery.from_profile(profile.keywords, profile.negative_keywords, profile.about),
                           frozenset(profile.competitors))
    results = {}
    for name in [c.strip() for c in args.corpus.split(",") if c.strip()]:
        if name not in CORPORA:
            ap.error(f"unknown corpus {name!r} (choose among {', '.join(CORPORA)})")
        pages = pages_of(name, args.min_kb, args.max_kb)[: args.limit or None]
        if pages:
            results[name] = measure(pages, args.rounds, context)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for name, r in results.items():
        print(f"{name}: {r['pages']} pages of {r['kb_min']}-{r['kb_max']} KB (median {r['kb_median']} KB), "
              f"best of {args.rounds}")
        print(f"  page stage median: {r['median_ms']:.2f} ms   p95: {r['p95_ms']:.2f} ms   "
              f"per KB: {r['ms_per_kb']:.4f} ms")
        total = sum(r["stages_ms_per_page"].values()) or 1.0
        for stage, ms in sorted(r["stages_ms_per_page"].items(), key=lambda kv: -kv[1]):
            print(f"    {stage:<24} {ms:6.2f} ms  {100 * ms / total:4.0f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
