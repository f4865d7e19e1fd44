"""End to end: a site that already links to you is not a prospect.

The story: the link builder's site is reptheory.blog (the niche profile says
``domain = "reptheory.blog"``). A seeds crawl walks fitness blogs, some of
which link to it on the pages the crawl reads: none of those reaches the
prospect export (``--all`` shows them, saying where they link from). A site in
an imported export of their own backlinks, and a site with a placed link, are
left out too. And the competitors spider leaves out referring sites that
already link to them: the backlink gap.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkspider.cli import main
from tests.conftest import CrawlResult, run_crawl
from fakeweb.crawl import ROOT

YOURS = "reptheory.blog"
LINKS_TO_YOU = re.compile(rb'href="https?://(?:www\.)?reptheory\.blog[/"]')


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def seeds_dir(tmp: Path, seed_urls: list[str]) -> Path:
    """The shipped fitness profile with your domain added, and a short seed list."""
    folder = tmp / "seeds"
    folder.mkdir()
    shutil.copy(ROOT / "seeds" / "blocklist.txt", folder)
    profile = (ROOT / "seeds" / "fitness.toml").read_text().replace('seeds = "fitness-seeds.txt"',
                                                                     'seeds = "mine.txt"')
    (folder / "fitness.toml").write_text(profile + f'\ndomain = "{YOURS}"\n')
    (folder / "mine.txt").write_text("".join(url + "\n" for url in seed_urls))
    return folder


def export(db: Path, *args: str) -> dict[str, dict[str, Any]]:
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return {r["domain"]: r for r in map(json.loads, result.output.splitlines())}


@pytest.fixture(scope="module")
def crawl(fakeweb: Any, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    web = fakeweb.web
    fitness = [s for s in web.manifest["sites"] if s["niche"] == "fitness" and s["in_seed_list"] and s["reachable"]
               and not s["planted"]]
    linking = [s for s in fitness if any(LINKS_TO_YOU.search(p.body) for p in web.sites[s["host"]].pages.values())]
    chosen = linking[:5] + [s for s in fitness if s not in linking][:3]
    tmp = tmp_path_factory.mktemp("linking")
    folder = seeds_dir(tmp, [s["home_url"] for s in chosen])
    result = run_crawl("seeds", fakeweb.proxy_url, tmp / "linkspider.db", "niche=fitness",
                       settings={"LINKSPIDER_SEEDS_DIR": str(folder), "RENDER": "never"})
    assert result.returncode == 0, result.log[-3000:]
    return result


def linking_in_crawled_pages(fakeweb: Any, db: Path) -> set[str]:
    """Ground truth from the fake web: sites whose crawled pages link to you."""
    found = set()
    for domain, url in rows(db, "SELECT domain, url FROM pages WHERE status = 200"):
        host, path = url.split("/", 3)[2], "/" + url.split("/", 3)[3]
        page = fakeweb.web.resolve(host, path)
        if LINKS_TO_YOU.search(getattr(page, "body", b"")):
            found.add(domain)
    return found


def test_a_site_that_links_to_you_in_a_crawled_page_is_no_prospect(fakeweb: Any, crawl: CrawlResult) -> None:
    linking = linking_in_crawled_pages(fakeweb, crawl.db)
    assert len(linking) >= 3
    assert {d for (d,) in rows(crawl.db, "SELECT domain FROM own_backlinks WHERE lost = 0")} == linking
    prospects = export(crawl.db)
    assert prospects and not linking & set(prospects)
    everything = export(crawl.db, "--all")
    assert linking <= set(everything)
    for domain in linking:
        assert any("(crawl, live)" in where for where in everything[domain]["links_to_you"])
    report = CliRunner().invoke(main, ["report", "--db", str(crawl.db)])
    assert report.exit_code == 0 and not any(d in report.output for d in linking)


def test_your_own_backlink_export_and_placed_links_leave_their_sites_out(crawl: CrawlResult,
                                                                         tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(crawl.db, db)
    first, second = sorted(export(db))[:2]
    ahrefs = tmp_path / "ahrefs-reptheory.csv"
    ahrefs.write_text("Referring page URL\tTarget URL\tAnchor\tNofollow\n"
                      f"http://www.{first}/blog/some-post/\thttps://{YOURS}/\trep theory\tfalse\n",
                      encoding="utf-16")
    runner = CliRunner()
    result = runner.invoke(main, ["links", "import", "--own", str(ahrefs), "--db", str(db)])
    assert result.exit_code == 0 and "imported 1 links to your site" in result.output, result.output
    result = runner.invoke(main, ["links", "add", f"http://www.{second}/about/", f"https://{YOURS}/start/",
                                  "--db", str(db)])
    assert result.exit_code == 0, result.output
    left = set(export(db))
    assert first not in left and second not in left
    assert {first, second} <= set(export(db, "--all"))


@pytest.fixture(scope="module")
def gap(fakeweb: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    backlinks = fakeweb.web.manifest["competitor_backlinks"]
    by_site: dict[str, dict[str, Any]] = {}
    for row in backlinks:
        if row["status"] == "present":
            by_site.setdefault(row["referring_domain"], row)
    chosen = list(by_site.values())[:3]
    tmp = tmp_path_factory.mktemp("gap")
    db = tmp / "linkspider.db"
    export_file = tmp / "semrush.csv"
    export_file.write_text("Source url,Target url,Anchor\n"
                           + "".join(f"{r['referring_url']},{r['target_url']},x\n" for r in chosen))
    mine = tmp / "gsc-links.csv"  # Search Console "Latest links" of your site: no target column
    mine.write_text(f"Linking page,Last crawled\nhttp://www.{chosen[0]['referring_domain']}/,2026-11-01\n")
    result = CliRunner().invoke(main, ["links", "import", "--own", str(mine), "--target", YOURS, "--db", str(db)])
    assert result.exit_code == 0, result.output
    fakeweb.reset_hits()
    crawl = run_crawl("competitors", fakeweb.proxy_url, db, "niche=fitness", f"backlinks={export_file}",
                      settings={"RENDER": "never"})
    assert crawl.returncode == 0, crawl.log[-3000:]
    return {"chosen": chosen, "crawl": crawl, "hits": {r["referring_domain"]: fakeweb.hits_for(r["referring_domain"])
                                                       for r in chosen}}


def test_the_backlink_gap_leaves_out_sites_that_already_link_to_you(gap: dict[str, Any]) -> None:
    skipped, *walked = [r["referring_domain"] for r in gap["chosen"]]
    assert gap["hits"][skipped] == []  # not one request, robots.txt included
    assert all(gap["hits"][domain] for domain in walked)
    assert "1 referring pages left out: their sites already link to you" in gap["crawl"].log
    linked = {d for (d,) in rows(gap["crawl"].db, "SELECT domain FROM competitor_links")}
    assert skipped not in linked and set(walked) <= linked
