"""Relevance first: the fitness crawl ranked by score, and who links to the competitors.

The story: a link builder runs the night's fitness crawls (roundups,
guestposts, then the seed list with snowballing) and opens the top 20. They
are the sites the manifest says a link builder wants first — no link farm
with "fitness" in its name, no cooking blog with a fitness footer link.
Then they feed backlink exports of two competitors, in every tool's format,
and get each link verified (still there, nofollow, sponsored, ugc, gone) and
the sites that link to both.
"""

from __future__ import annotations

import codecs
import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkspider.cli import main
from tests.conftest import CrawlResult, run_crawl
from tests.test_search_crawl import search_settings


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


@pytest.fixture(scope="module")
def manifest(fakeweb: Any) -> dict[str, Any]:
    return fakeweb.web.manifest


@pytest.fixture(scope="module")
def by_domain(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["domain"]: s for s in manifest["sites"]}


@pytest.fixture(scope="module")
def fitness_db(fakeweb: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database, the way `make crawl` fills it: roundups, guestposts, then the seed list."""
    tmp = tmp_path_factory.mktemp("rank")
    db, seeds = tmp / "linkspider.db", tmp / "fitness.txt"
    seeds.write_text(fakeweb.web.seed_list("fitness"))
    fakeweb.search.reset()
    settings = search_settings(fakeweb, "searxng")
    for spider, *args in (("roundups",), ("guestposts",), ("seeds", f"seeds={seeds}", "snowball=1")):
        result = run_crawl(spider, fakeweb.proxy_url, db, "niche=fitness", *args, settings=settings)
        assert result.returncode == 0, result.log[-3000:]
    return db


def top(db: Path, n: int) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--niche", "fitness", "--format", "csv",
                                       "--limit", str(n)])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def test_the_top_20_are_the_sites_a_link_builder_wants_first(fitness_db: Path,
                                                               by_domain: dict[str, dict[str, Any]]) -> None:
    best = top(fitness_db, 20)
    assert len(best) == 20
    wanted = [r for r in best if by_domain.get(r["domain"], {}).get("want_first")]
    assert len(wanted) / 20 >= 0.9, [(r["domain"], r["why"]) for r in best if r not in wanted]
    classes = {by_domain[r["domain"]]["site_class"] for r in best if r["domain"] in by_domain}
    assert not classes & {"link_farm", "off_niche"}
    for row in best:
        assert row["why"] and "pages about fitness" in row["why"] and int(row["score"]) >= 50


def test_link_farms_dormant_and_off_niche_sites_sink(fitness_db: Path, by_domain: dict[str, dict[str, Any]]) -> None:
    scores = dict(rows(fitness_db, "SELECT domain, score FROM sites"))
    wanted = [scores[d] for d, s in by_domain.items() if s.get("want_first") and d in scores
              and s["niche"] == "fitness"]
    floor = sorted(wanted)[len(wanted) // 2]  # the median want-first site
    for cls in ("link_farm", "off_niche", "dormant"):
        planted = [d for d, s in by_domain.items() if s.get("site_class") == cls and d in scores
                   and (s["niche"] == "fitness" or s.get("extra_site"))]
        assert planted, cls
        for domain in planted:
            assert scores[domain] < floor, (cls, domain, scores[domain])
    why = dict(rows(fitness_db, "SELECT domain, score_why FROM sites"))
    farms = [d for d, s in by_domain.items() if s.get("site_class") == "link_farm" and d in why]
    assert any("sells sponsored posts" in why[d] or "spam topics" in why[d] for d in farms)


# ---------------------------------------------------------------- competitors

def export_files(manifest: dict[str, Any], folder: Path) -> dict[str, Path]:
    """The manifest's backlink rows, dealt round-robin into each tool's export format."""
    backlinks = manifest["competitor_backlinks"]
    formats = ["ahrefs", "semrush", "moz", "majestic", "gsc", "plain"]
    dealt: dict[str, list[dict[str, Any]]] = {f: backlinks[i::len(formats)] for i, f in enumerate(formats)}
    nofollow = lambda r: r["status"] in ("nofollow", "sponsored", "ugc")  # noqa: E731
    files = {}
    for fmt, chunk in dealt.items():
        path = folder / f"{fmt}.csv"
        if fmt == "ahrefs":  # UTF-16 with BOM, tab-separated, as Ahrefs writes it
            lines = ["Referring page URL\tReferring page title\tTarget URL\tAnchor\tNofollow\tFirst seen"]
            lines += [f"{r['referring_url']}\tA post\t{r['target_url']}\t{r['anchor']}\t{str(nofollow(r)).lower()}\t"
                      "2026-01-05" for r in chunk]
            path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join(lines).encode("utf-16-le"))
        elif fmt == "semrush":
            lines = ["Page ascore,Source title,Source url,Target url,Anchor,Nofollow,Sponsored,Ugc,First seen,Last seen"]
            lines += [f"12,A post,{r['referring_url']},{r['target_url']},\"{r['anchor']}\",{str(nofollow(r)).lower()},"
                      "false,false,2026-02-01,2026-10-01" for r in chunk]
            path.write_text("\n".join(lines) + "\n")
        elif fmt == "moz":
            lines = ["URL;Title;Target URL;Anchor Text;Link Type;Domain Authority;Spam Score"]
            lines += [f"{r['referring_url']};A post;{r['target_url']};{r['anchor']};"
                      f"{'nofollow' if nofollow(r) else 'follow'};21;1%" for r in chunk]
            path.write_text("\n".join(lines) + "\n", encoding="cp1252")
        elif fmt == "majestic":
            lines = ["Source URL,Target URL,Anchor Text,Flag NoFollow,Source Trust Flow,Source Citation Flow"]
            lines += [f"{r['referring_url']},{r['target_url']},\"{r['anchor']}\",{'+' if nofollow(r) else '-'},14,22"
                      for r in chunk]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
        elif fmt == "gsc":  # Search Console "Latest links": no target column
            lines = ["Linking page,Last crawled"] + [f"{r['referring_url']},2026-11-01" for r in chunk]
            path.write_text("\n".join(lines) + "\n")
        else:
            path = folder / "plain.txt"
            path.write_text("# pasted from a competitor audit\n" + "".join(r["referring_url"] + "\n" for r in chunk))
        files[fmt] = path
    return files


@pytest.fixture(scope="module")
def competitors(fakeweb: Any, manifest: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    tmp = tmp_path_factory.mktemp("comp")
    files = export_files(manifest, tmp)
    result = run_crawl("competitors", fakeweb.proxy_url, tmp / "linkspider.db", "niche=fitness",
                       "backlinks=" + ",".join(str(p) for p in files.values()),
                       settings={"LINKSPIDER_TODAY": "2026-11-20"})
    assert result.returncode == 0, result.log[-3000:]
    return result


def test_each_format_is_detected(competitors: CrawlResult) -> None:
    for fmt in ("ahrefs", "semrush", "moz", "majestic", "gsc-links", "plain"):
        assert f"({fmt} format)" in competitors.log, fmt


def test_every_backlink_is_verified(competitors: CrawlResult, manifest: dict[str, Any]) -> None:
    found = {(page, comp): status for page, comp, status in rows(
        competitors.db, "SELECT page_url, competitor, status FROM competitor_links")}
    backlinks = manifest["competitor_backlinks"]
    targeted = {(r["referring_url"], r["competitor"]) for i, r in enumerate(backlinks) if i % 6 < 4}
    for row in backlinks:
        key = (row["referring_url"], row["competitor"])
        if row["status"] == "gone" and key not in targeted:
            # Only an export without a target column (Search Console, a plain list) named
            # the page: linkspider cannot know which competitor it linked to, so it says nothing.
            assert key not in found
            continue
        assert found.get(key) == row["status"], (key, found.get(key), row["status"])
    statuses = set(found.values())
    assert {"present", "nofollow", "sponsored", "ugc", "gone"} <= statuses


def test_link_intersect_sites_are_found_and_walked(competitors: CrawlResult, manifest: dict[str, Any]) -> None:
    linked = dict(rows(competitors.db, "SELECT domain, competitors_linked FROM sites"))
    intersect = {d for d, comps in linked.items() if comps and len(comps.split(",")) >= 2}
    assert set(manifest["intersect_domains"]) <= intersect
    why = dict(rows(competitors.db, "SELECT domain, score_why FROM sites"))
    for domain in manifest["intersect_domains"]:
        assert "link intersect" in why[domain]
    # The referring sites were walked for contacts, not just checked.
    walked = dict(rows(competitors.db, "SELECT domain, pages_crawled FROM sites"))
    assert all(walked[d] >= 3 for d in manifest["intersect_domains"])
    how = rows(competitors.db, "SELECT DISTINCT source FROM discoveries")
    assert how == [("backlinks",)]


def test_competitors_needs_exports_and_competitors(fakeweb: Any, tmp_path: Path) -> None:
    result = run_crawl("competitors", fakeweb.proxy_url, tmp_path / "x.db", "niche=fitness")
    assert result.returncode == 2 and "needs backlink exports: -a backlinks=FILE" in result.log
    bad = tmp_path / "positions.csv"
    bad.write_text("Keyword,Position,Search Volume\nfitness,3,1000\n")
    result = run_crawl("competitors", fakeweb.proxy_url, tmp_path / "x.db", "niche=fitness", f"backlinks={bad}")
    assert result.returncode == 2 and "positions.csv" in result.log and "Traceback" not in result.log
