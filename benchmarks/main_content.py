#!/usr/bin/env python3
"""linkspider's main-content detection against trafilatura's, on the real-page corpus: accuracy and ms/page.

Every page-kind rule reads the page's *main content* (``Page.main_root``: the
tree without navigation, header, footer, sidebars, comments): its text for
body cues, its links for roundups and resources. This script measures, per
detector,

* **found**: the share of pages with at least 100 words of visible text whose
  main content has at least 30 words (a layout where nothing is found gives
  no body cue at all: the failure issue 12 names);
* **page kinds**: precision / recall / F1 of write-for-us, sponsored, roundup,
  resources, contact and about pages when the kind rules read that detector's
  main content (everything else the same);
* **ms/page**: the main-content step alone (linkspider: the boilerplate pass,
  copy, text and links of a page already parsed; trafilatura:
  ``bare_extraction`` from the HTML string, with links).

trafilatura is not a dependency of linkspider: install it to compare
(``.venv/bin/pip install trafilatura``); without it only linkspider's figures
are printed.

    python benchmarks/main_content.py [--corpus real-dev|real-test|real] [--limit N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linkspider.extract import facts_of  # noqa: E402
from linkspider.extract.html import Page, clean_text, parse  # noqa: E402
from tests.fixtures.real import corpus as real  # noqa: E402

KINDS = ("is_write_for_us", "is_sponsored", "is_roundup", "is_resources", "is_contact_page", "is_about_page")

try:
    import trafilatura
    from lxml import etree
except ImportError:  # the comparison is optional
    trafilatura = None


class TrafilaturaPage(Page):
    """A Page whose main content is trafilatura's (its TEI-like body turned back into HTML tags)."""

    @cached_property
    def main_root(self) -> Any:
        doc = trafilatura.bare_extraction(self.html, url=self.url or None, include_links=True,
                                          include_tables=True, favor_recall=True)
        body = etree.Element("body")
        if doc is not None and doc.body is not None:
            for el in doc.body.iter():
                if el.tag == "ref":
                    el.tag = "a"
                    el.set("href", el.get("target", ""))
                elif el.tag == "head":
                    el.tag = {"h1": "h1", "h2": "h2", "h3": "h3"}.get(el.get("rend", ""), "h2")
            body.extend(list(doc.body))
        html = etree.Element("html")
        html.append(body)
        return html


def traf_main(html: str, url: str) -> tuple[str, int]:
    page = TrafilaturaPage(html, url)
    return page.main_text, len(page.main_links)


def ours_main(page: Page) -> tuple[str, int]:
    return page.main_text, len(page.main_links)


def evaluate(pages: list[real.RealPage], detector: str) -> dict[str, Any]:
    tallies = {k: [0, 0, 0] for k in KINDS}  # tp, fp, fn
    times: list[float] = []
    eligible = found = 0
    for p in pages:
        html, url = p.html(), p.url
        page = parse(html, url)
        visible = len(page.text.split())
        if detector == "linkspider":
            fresh = parse(html, url)
            t0 = time.perf_counter()
            text, _ = ours_main(fresh)
            times.append((time.perf_counter() - t0) * 1000)
            facts = facts_of(page)
        else:
            t0 = time.perf_counter()
            text, _ = traf_main(html, url)
            times.append((time.perf_counter() - t0) * 1000)
            facts = facts_of(TrafilaturaPage(html, url))
        if visible >= 100:
            eligible += 1
            found += len(clean_text(text).split()) >= 30
        for k in KINDS:
            got, want = bool(facts[k]), bool(p.labels[k])
            t = tallies[k]
            t[0] += got and want
            t[1] += got and not want
            t[2] += want and not got
    return {"found": (found, eligible), "kinds": tallies, "ms": statistics.median(times),
            "p95": sorted(times)[int(0.95 * (len(times) - 1))]}


def f1(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"P {p:.2f} R {r:.2f} F1 {2 * p * r / (p + r) if p + r else 0.0:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="real-dev", choices=("real-dev", "real-test", "real"))
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages (smoke test)")
    args = ap.parse_args(argv)
    pages = real.load()
    if args.corpus != "real":
        ids = set(real.split()[args.corpus.split("-", 1)[1]])
        pages = [p for p in pages if p.id in ids]
    pages = pages[: args.limit] if args.limit else pages
    detectors = ["linkspider"] + (["trafilatura"] if trafilatura is not None else [])
    results = {d: evaluate(pages, d) for d in detectors}
    print(f"{args.corpus}: {len(pages)} pages" + ("" if trafilatura else " (trafilatura not installed)"))
    print(f"{'':<18}" + "".join(f"{d:>28}" for d in detectors))
    print(f"{'found':<18}" + "".join(f"{'%d/%d' % r['found']:>28}" for r in results.values()))
    for k in KINDS:
        print(f"{k:<18}" + "".join(f"{f1(*r['kinds'][k]):>28}" for r in results.values()))
    print(f"{'ms/page median':<18}" + "".join(f"{r['ms']:>28.2f}" for r in results.values()))
    print(f"{'ms/page p95':<18}" + "".join(f"{r['p95']:>28.2f}" for r in results.values()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
