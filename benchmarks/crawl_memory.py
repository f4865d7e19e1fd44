#!/usr/bin/env python3
"""Peak RSS and database size of a large linkspider crawl (default 100,000 pages).

Serves the generated web of ``benchmarks/_webgen.py`` (``--pages`` pages over
``--sites`` sites, default pages/10) from its own process on 127.0.0.1 and runs
the real ``scrapy crawl seeds -a niche=fitness`` over all of it, with the same
settings as ``crawl_throughput.py`` (no delays, ``--concurrency`` requests,
robots.txt obeyed, ``RENDER=never``, a page budget above the pages per site).
Prints the crawler's peak RSS (``ru_maxrss``), the peak of crawler and
extraction workers together (sampled twice a second), its RSS as the crawl
goes on (so growth with pages shows), the database size (with its WAL) and
pages/s.

    python benchmarks/crawl_memory.py [--pages 100000] [--sites N] [--keep]

Target: peak RSS <= 300 MB, for the crawler and its workers together.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _crawlrun import print_machine, setting  # noqa: E402
from _webgen import BenchWeb, ServerProcess  # noqa: E402
from crawl_throughput import check, db_size_mb, print_table, run_linkspider, write_seeds  # noqa: E402

TARGET_MB = 300


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100_000, help="pages in the web (default 100000)")
    ap.add_argument("--sites", type=int, default=None, help="sites in the web (default pages/10)")
    ap.add_argument("--concurrency", type=int, default=32, help="CONCURRENT_REQUESTS (and per domain)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (database, log)")
    ap.add_argument("--workdir", type=Path, default=None, help="work directory (default: a temporary one)")
    ap.add_argument("--timeout", type=float, default=4 * 3600, help="kill the crawl after this many seconds")
    ap.add_argument("--set", action="append", default=[], type=setting, metavar="NAME=VALUE",
                    help="extra Scrapy setting for the crawl (repeatable), e.g. --set LINKSPIDER_BATCH_SIZE=500")
    args = ap.parse_args(argv)

    web = BenchWeb(args.pages, args.sites)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="crawlmem-"))
    work.mkdir(parents=True, exist_ok=True)
    seeds, db = work / "seeds.txt", work / "linkspider.db"
    if db.exists():
        for p in db.parent.glob(db.name + "*"):
            p.unlink()
    write_seeds(web, seeds)
    budget = 2 * web.max_pages_per_site + 10
    extra = dict(args.set)
    print_machine()
    print("load average before: %.2f %.2f %.2f (other work on the machine skews the figures)" % os.getloadavg())
    print(f"web: {web.pages} pages on {len(web.sites)} sites (up to {web.max_pages_per_site} per site), "
          f"30-100 KB each; concurrency {args.concurrency}; robots.txt obeyed"
          + (f"; extra settings {extra}" if extra else ""))
    ok = True
    try:
        with ServerProcess(args.pages, args.sites) as server:
            run = run_linkspider(server, seeds, work, db, args.concurrency, budget, args.timeout, extra=extra)
        ok = check(run, web.pages)
        print()
        print_table([run])
        progress = [(t, n) for t, n in run.progress if n > 0]
        if progress:
            print("\nRSS as the crawl goes on:")
            print(f"{'seconds':>9}{'responses':>11}{'RSS MB':>9}   (responses include robots.txt)")
            step = max(1, len(progress) // 10)
            shown = progress[::step]
            if shown and shown[-1] != progress[-1]:
                shown.append(progress[-1])
            for t, responses in shown:
                print(f"{t:>9.0f}{responses:>11}{run.rss_at(t):>9.1f}")
        rows = {}
        if db.exists():
            con = sqlite3.connect(db)
            for table in ("sites", "pages", "contacts", "signals"):
                rows[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            con.close()
        size = db_size_mb(db)
        total = run.peak_tree_rss_mb
        print(f"\npeak RSS: {total:.1f} MB, crawl process and extraction workers together (target <= "
              f"{TARGET_MB} MB: {'met' if total <= TARGET_MB else 'MISSED'}); the crawl process alone "
              f"{run.peak_rss_mb:.1f} MB, a worker {run.stats.get('linkspider/extract/worker_peak_rss_mb', 0):.1f} MB")
        print(f"database: {size:.1f} MB ({size * 1e6 / max(1, run.pages) / 1024:.2f} KB/page); rows: "
              + ", ".join(f"{k} {v}" for k, v in rows.items()))
        if args.keep:
            print(f"kept: {work}")
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
