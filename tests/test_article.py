"""End to end: prospects for one article, broken-link opportunities and unlinked mentions (issue 17).

The story: the link builder runs Blendwell (blendwell.com), a nutrition site
with three articles. A seeds crawl walks the niche's blogs; every roundup and
resources page it meets has its outbound links checked - the dead ones (404,
410, a name that does not resolve, a parked domain, a redirect to another
site's home page) found, the live ones left alive, the unsure ones (a 503, a
page slower than the check's timeout) never called dead and asked again on
the next run, robots.txt and private addresses respected, a crowded target
asked at most BROKEN_CHECK_PER_DOMAIN times. Pages naming Blendwell without a
link become prospects; pages that link are existing links. Then
`scrapy crawl article` reads the smoothie article against the niche's pages
and `export --for-article` ranks the blogs whose roundups and resources pages
are about smoothies above the niche's blogs about oats, fermenting and
vitamins. On an empty database, the oats article (weighed against general
English) finds its own roundups and resources pages through the search
backend, and the brand's mentions through brand queries.

Everything runs on a fake web of its own (``fakeweb/articles.py``).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fakeweb import FakeWebServer, build_web
from fakeweb.articles import BRAND, USER_DOMAIN, ArticleWeb, plant_article_web
from fakeweb.crawl import ROOT, CrawlResult, run_crawl
from linkspider.cli import main

PER_DOMAIN = 5  # BROKEN_CHECK_PER_DOMAIN's default


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def export(db: Path, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def profile_dir(tmp: Path, truth: ArticleWeb) -> Path:
    """The shipped seeds folder (blocklist, footprints) with a nutrition profile for Blendwell."""
    folder = tmp / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    (folder / "nutrition-seeds.txt").write_text("".join(url + "\n" for url in truth.seeds))
    (folder / "nutrition.toml").write_text(
        'name = "nutrition"\n'
        'keywords = { nutrition = 1.0, "healthy eating" = 1.0, recipes = 0.8, smoothies = 0.8, '
        '"overnight oats" = 0.8, "fermented foods" = 0.8, protein = 0.6, breakfast = 0.6, "meal prep" = 0.6 }\n'
        f'domain = "{USER_DOMAIN}"\nbrand = "{BRAND}"\n'
        f'articles = ["{truth.articles["smoothies"]}"]\n'
        'seeds = "nutrition-seeds.txt"\n')
    return folder


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("article")
    web = build_web()
    truth = plant_article_web(web)
    seeds = profile_dir(tmp, truth)
    out: dict[str, Any] = {"truth": truth, "db": tmp / "linkspider.db", "fresh": tmp / "fresh.db"}
    with FakeWebServer(web) as server:
        settings = {"LINKSPIDER_SEEDS_DIR": str(seeds), "RENDER": "never", "BROKEN_CHECK_TIMEOUT": "3",
                    "LINKSPIDER_TODAY": "2026-11-20", "SEARCH_BACKEND": "searxng",
                    "SEARXNG_URL": server.search_base("searxng"), "SEARXNG_DOWNLOAD_DELAY": "0"}

        def crawl(spider: str, db: Path, *args: str, **extra: str) -> CrawlResult:
            result = run_crawl(spider, server.proxy_url, db, *args, settings={**settings, **extra})
            assert result.returncode == 0, result.log[-3000:]
            return result

        out["seeds"] = crawl("seeds", out["db"], "niche=nutrition")
        out["seeds_hits"] = server.hits
        server.reset_hits()
        out["article"] = crawl("article", out["db"], "niche=nutrition")
        server.reset_hits()
        out["again"] = crawl("seeds", out["db"], "niche=nutrition", RECRAWL_AFTER_DAYS="0")
        out["again_hits"] = server.hits
        out["fresh_crawl"] = crawl("article", out["fresh"], "niche=nutrition", f"url={truth.articles['oats']}",
                                   f"brand={BRAND}")
    return out


def checks(db: Path) -> dict[str, set[str]]:
    """Target URL -> the outcomes its checks got."""
    out: dict[str, set[str]] = {}
    for target, outcome in rows(db, "SELECT target_url, outcome FROM outbound_checks"):
        out.setdefault(target, set()).add(outcome)
    return out


def test_every_planted_dead_link_is_found_and_no_live_one_called_dead(story: dict[str, Any]) -> None:
    truth, db = story["truth"], story["db"]
    found = checks(db)
    reasons = dict(rows(db, "SELECT target_url, reason FROM outbound_checks WHERE outcome = 'dead'"))
    for url, how in truth.dead.items():
        assert found.get(url) == {"dead"}, url
        assert reasons[url] == how, url
    dead = {u for u, outcomes in found.items() if "dead" in outcomes}
    assert dead == set(truth.dead)  # the live ones, the unsure ones and every peer blog: never dead
    for url in truth.live:
        assert found.get(url) == {"ok"}, url
    assert not set(truth.peers) & set(found)  # the crawl walks those blogs itself: no check on top
    # The server that refuses HEAD was asked again with GET.
    assert "'linkspider/broken/get_fallback': 1" in story["seeds"].log


def test_unsure_stays_unsure_and_is_asked_again_next_run(story: dict[str, Any]) -> None:
    truth = story["truth"]
    found = checks(story["db"])
    for url, how in truth.unsure.items():
        assert found.get(url) == {"unsure"}, url
    reasons = dict(rows(story["db"], "SELECT target_url, reason FROM outbound_checks WHERE outcome = 'unsure'"))
    assert reasons["http://www.proteinplanet.com/guide/"] == "503"
    assert reasons["http://www.slowsmoothies.com/recipes/"] == "timeout"
    # The next run asks the unsure ones again, not the dead ones nor the live ones (BROKEN_RECHECK_DAYS).
    asked = {f"http://{h.host}{h.path}" for h in story["again_hits"] if h.method in ("HEAD", "GET")}
    assert set(truth.unsure) <= asked
    assert not (set(truth.dead) | set(truth.live)) & asked


def test_checks_obey_robots_txt_private_addresses_and_the_per_domain_cap(story: dict[str, Any]) -> None:
    truth, hits = story["truth"], story["seeds_hits"]
    crowded = [h for h in hits if h.host.endswith(truth.crowded_site)]
    per_path = Counter(h.path for h in crowded)
    assert per_path["/robots.txt"] == 1
    checked = [h for h in crowded if h.path != "/robots.txt"]
    assert len(checked) <= PER_DOMAIN and len(set(per_path) - {"/robots.txt"}) == len(checked)  # each URL once
    assert all(h.method == "HEAD" for h in checked)
    assert not [h for h in hits if h.path.startswith("/members/")]  # Disallow: /members/
    assert not [u for u in truth.private if any(u.endswith(h.path) and h.host in u for h in hits)]
    stored = checks(story["db"])
    assert not (set(truth.private) | set(truth.robots_hidden)) & set(stored)
    # A name that does not resolve answers for every URL of its site: one robots.txt ask, nothing else.
    station = [h for h in hits if h.host == "www.smoothiestation.com"]
    assert [h.path for h in station] == ["/robots.txt"]


def test_broken_link_signal_why_and_export(story: dict[str, Any]) -> None:
    db = story["db"]
    holders = {d for (d,) in rows(db, "SELECT DISTINCT domain FROM outbound_checks WHERE outcome = 'dead'")}
    signalled = {d for (d,) in rows(db, "SELECT domain FROM signals WHERE kind = 'broken_link'")}
    assert holders == signalled and "greenblendkitchen.com" in holders
    (why,) = rows(db, "SELECT score_why FROM sites WHERE domain = 'greenblendkitchen.com'")[0]
    assert "resources page links to 3 dead pages (e.g. '" in why, why
    dead_rows = export(db, "--broken-links")
    assert {(r["page_url"], r["dead_url"]) for r in dead_rows} == set(rows(
        db, "SELECT page_url, target_url FROM outbound_checks WHERE outcome = 'dead'"))
    row = next(r for r in dead_rows if r["dead_url"] == "http://www.juicejournal.com/archive/kale-shake/")
    assert row["failure"] == "410" and row["http_status"] == 410 and row["anchor"] == "Kale shake, the classic"
    assert row["page_kind"] in ("resources", "roundup") and row["emails"] and row["checked"]
    assert {r["domain"] for r in export(db, "--signal", "broken_link")} == holders


def test_unlinked_mentions_are_prospects_and_linking_pages_existing_links(story: dict[str, Any]) -> None:
    truth = story["truth"]
    for db in (story["db"], story["fresh"]):  # any spider with a brand: the seeds crawl, and brand queries
        mentions = dict(rows(db, "SELECT url, evidence FROM signals WHERE kind = 'unlinked_mention'"))
        assert set(mentions) == set(truth.unlinked_mentions), db
        assert all(BRAND.lower() in sentence.lower() and sentence.endswith(".") for sentence in mentions.values())
        linked = {u for (u,) in rows(db, "SELECT page_url FROM own_backlinks")}
        assert set(truth.linked_mentions) <= linked
        assert not set(truth.not_mentions) & set(mentions)
        exported = {r["domain"]: r for r in export(db, "--signal", "unlinked_mention")}
        assert set(exported) == {u.split("/")[2].removeprefix("www.") for u in truth.unlinked_mentions}
        assert all("names your brand without linking to you" in r["why"] for r in exported.values())
    assert "linkspider/candidates/confirmed" in story["fresh_crawl"].log


def test_article_fit_ranks_the_pages_that_would_include_it_first(story: dict[str, Any]) -> None:
    truth, db = story["truth"], story["db"]
    article = truth.articles["smoothies"]
    log = story["article"].log
    assert f"article {article} 'High-Protein Smoothies: 12 Recipes for Breakfast'" in log
    assert "'protein smoothies'" in log and "of the niche's pages in the database" in log
    ranked = [r["domain"] for r in export(db, "--for-article", article)]
    wanted = truth.would_include["smoothies"]
    other_topics = [d for t, sites in truth.would_include.items() if t != "smoothies" for d in sites]
    other_topics.append("vitaminvault.net")
    found = [d for d in wanted if d in ranked]
    assert len(found) >= 0.9 * len(wanted)
    assert set(other_topics) <= set(ranked)  # in the database, with a (small) fit of their own
    assert max(ranked.index(d) for d in found) < min(ranked.index(d) for d in other_topics)
    rows_ = {r["domain"]: r for r in export(db, "--for-article", article)}
    best = rows_["greenblendkitchen.com"]
    assert best["fit_page"] == truth.curated_pages["greenblendkitchen.com"]
    assert best["fit_topic"].startswith("resources page on '") and best["article_fit"] > 0.3
    assert f"(fit {best['article_fit']:.2f})" in best["why"]


def test_an_article_on_an_empty_database_finds_its_roundups_through_search(story: dict[str, Any]) -> None:
    truth, db = story["truth"], story["fresh"]
    log = story["fresh_crawl"].log
    assert "(against general English)" in log and "'overnight oats'" in log
    assert "article queries for nutrition via searxng" in log
    confirmed = {d for (d,) in rows(db, "SELECT DISTINCT domain FROM signals WHERE kind IN ('roundup', 'resources')")}
    wanted = truth.would_include["oats"]
    assert len(set(wanted) & confirmed) >= 0.9 * len(wanted)
    ranked = [r["domain"] for r in export(db, "--for-article", truth.articles["oats"])]
    assert set(ranked[:len(wanted)]) == set(wanted)
    (stored,) = rows(db, "SELECT profile FROM articles WHERE url = ?", truth.articles["oats"])[0]
    assert json.loads(stored)["phrases"][0] == "overnight oats"


def test_export_for_an_article_never_read_names_the_ones_that_were(story: dict[str, Any]) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(story["db"]), "--for-article", "http://nope.example/"])
    assert result.exit_code == 2
    assert "no such article" in result.output and story["truth"].articles["smoothies"] in result.output
