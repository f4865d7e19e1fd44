"""`make demo`: the `make crawl` of the fitness niche against the offline demo web.

Starts the fake web (and its fake search engines) on 127.0.0.1, writes its
fitness seed list under output/demo/, runs the real `scrapy crawl roundups`,
`guestposts` (through the fake SearXNG) and `seeds` through it (as a proxy:
no request leaves this machine) and prints `linkspider report`. The database
is always output/demo.db, marked as the demo's (`meta.purpose = demo`): the
demo's crawls (LINKSPIDER_DEMO) write nothing else, and a real crawl refuses
it, so made-up sites never mix with real prospects. A demo.db that holds
another crawl's sites is refused, not written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from linkspider.store.database import Store, demo_conflict
from fakeweb import FakeWebServer, build_web
from fakeweb.crawl import ROOT, run_crawl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakeweb.demo", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "output",
                        help="folder of demo.db and the demo's seed list (default: output/)")
    output = parser.parse_args(argv).output.resolve()
    db = output / "demo.db"
    problem = demo_conflict(db, demo=True)
    if problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 1
    with Store(db) as store:
        store.set_meta("purpose", "demo")
    seeds = output / "demo" / "fitness-seeds.txt"
    seeds.parent.mkdir(parents=True, exist_ok=True)
    web = build_web()
    seeds.write_text(web.seed_list("fitness"), encoding="utf-8")
    print(f"demo web: {len(web.sites)} hosts on 127.0.0.1; crawling {seeds} into {db}", flush=True)
    with FakeWebServer(web) as server:
        settings = {"LOG_LEVEL": "WARNING", "SEARCH_BACKEND": "searxng", "SEARXNG_URL": server.search_base("searxng"),
                    "SEARXNG_DOWNLOAD_DELAY": "0", "LINKSPIDER_TODAY": "2026-11-20", "LINKSPIDER_DEMO": "True"}
        for spider, *args in (("roundups",), ("guestposts",), ("seeds", f"seeds={seeds}", "snowball=1")):
            result = run_crawl(spider, server.proxy_url, db, "niche=fitness", *args, settings=settings)
            if result.returncode != 0:
                print(result.log[-4000:], file=sys.stderr)
                print(f"demo crawl {spider} failed", file=sys.stderr)
                return result.returncode
            warnings = [line for line in result.log.splitlines() if "WARNING" in line or "ERROR" in line]
            print(f"scrapy crawl {spider}: done ({len(warnings)} warnings: malformed seed lines, dead sites...)",
                  flush=True)
    print()
    from linkspider.cli import main as cli

    cli.main(["report", "--db", str(db), "--niche", "fitness", "--top", "15"], standalone_mode=False)
    print(f"\nExport it: .venv/bin/linkspider export --db {db} --niche fitness --format csv -o output/fitness.csv")
    print(f"Browse it: .venv/bin/linkspider ui --db {db}   (then open http://127.0.0.1:8001/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
