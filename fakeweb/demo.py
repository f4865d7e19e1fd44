"""`make demo`: the `make crawl` of the fitness niche against the offline demo web.

Starts the fake web (and its fake search engines) on 127.0.0.1, writes its
fitness seed list under output/demo/, runs the real `scrapy crawl roundups`,
`guestposts` (through the fake SearXNG) and `seeds` through it (as a proxy:
no request leaves this machine) and prints `linkspider report`. The database is
output/linkspider.db, unless a real (non-demo) database is already there: then
output/demo.db, so demo sites never mix with real prospects.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from fakeweb import FakeWebServer, build_web
from fakeweb.crawl import ROOT, run_crawl

MARKER = ".demo-database"


def demo_db() -> Path:
    if os.environ.get("LINKSPIDER_DB"):
        return Path(os.environ["LINKSPIDER_DB"])
    output = ROOT / "output"
    default = output / "linkspider.db"
    if default.exists() and not (output / MARKER).exists():
        return output / "demo.db"
    return default


def main() -> int:
    db = demo_db()
    seeds = ROOT / "output" / "demo" / "fitness-seeds.txt"
    seeds.parent.mkdir(parents=True, exist_ok=True)
    web = build_web()
    seeds.write_text(web.seed_list("fitness"), encoding="utf-8")
    if db == ROOT / "output" / "linkspider.db":
        (ROOT / "output" / MARKER).write_text("output/linkspider.db was written by `make demo`\n")
    print(f"demo web: {len(web.sites)} hosts on 127.0.0.1; crawling {seeds.relative_to(ROOT)} into {db}",
          flush=True)
    with FakeWebServer(web) as server:
        settings = {"LOG_LEVEL": "WARNING", "SEARCH_BACKEND": "searxng", "SEARXNG_URL": server.search_base("searxng"),
                    "SEARXNG_DOWNLOAD_DELAY": "0", "LINKSPIDER_TODAY": "2026-11-20"}
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
