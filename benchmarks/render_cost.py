"""What on-demand rendering costs: the share of pages rendered and the time per rendered page.

Crawls the offline fake web's fitness seed list twice in one invocation — with
RENDER=never (the baseline) and RENDER=auto — and prints pages fetched, pages
rendered and their share, wall time of each run, and the cost of a rendered
page: (auto - never) / rendered. Needs a Chromium (Debian's `chromium`).

    .venv/bin/python benchmarks/render_cost.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fakeweb import FakeWebServer, build_web  # noqa: E402
from fakeweb.crawl import run_crawl  # noqa: E402
from linkspider.crawl.rendering import find_browser  # noqa: E402


def stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def crawl(server: FakeWebServer, seeds: Path, folder: Path, mode: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    result = run_crawl("seeds", server.proxy_url, folder / f"{mode}.db", "niche=fitness", f"seeds={seeds}",
                       settings={"RENDER": mode})
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"crawl with RENDER={mode} failed:\n{result.log[-2000:]}")
    return elapsed, stat(result.log, "linkspider/pages"), stat(result.log, "linkspider/render/requests")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each mode; the best time counts")
    args = parser.parse_args()
    browser = find_browser()
    if browser is None:
        sys.exit("no Chromium found: apt-get install chromium (or set LINKSPIDER_BROWSER)")
    web = build_web()
    with tempfile.TemporaryDirectory() as tmp, FakeWebServer(web) as server:
        folder = Path(tmp)
        seeds = folder / "fitness.txt"
        seeds.write_text(web.seed_list("fitness"))
        runs = {mode: min((crawl(server, seeds, folder, mode) for _ in range(args.repeat)), key=lambda r: r[0])
                for mode in ("never", "auto")}
    (t_never, pages, _), (t_auto, pages_auto, rendered) = runs["never"], runs["auto"]
    print(f"browser: {browser}")
    print(f"{'RENDER':<8} {'seconds':>8} {'pages':>6} {'rendered':>9}")
    print(f"{'never':<8} {t_never:>8.2f} {pages:>6} {0:>9}")
    print(f"{'auto':<8} {t_auto:>8.2f} {pages_auto:>6} {rendered:>9}")
    share = rendered / pages_auto if pages_auto else 0.0
    print(f"share of pages rendered: {share:.1%} ({rendered} of {pages_auto})")
    if rendered:
        print(f"cost per rendered page: {(t_auto - t_never) / rendered * 1000:.0f} ms "
              f"(browser start included); time ratio auto/never: {t_auto / t_never:.2f}")


if __name__ == "__main__":
    main()
