"""End to end: `scrapy crawl guestposts|roundups -a niche=fitness` through the fake search engines.

The link builder's story: footprint queries go to a search backend, the
results are visited and classified, confirmed sites are walked for contacts,
roundups snowball to the sites they link to — and when the backend says 429
or shows a CAPTCHA, the crawl says so once and keeps what it found.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakeweb import BRAVE_API_KEY, GOOGLE_API_KEY, GOOGLE_CSE_ID
from tests.conftest import CrawlResult, run_crawl


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def search_settings(fakeweb: Any, backend: str, via: str = "direct") -> dict[str, str]:
    return {
        "SEARCH_BACKEND": backend, "LINKSPIDER_TODAY": "2026-11-20",
        "SEARXNG_URL": fakeweb.search_base("searxng", via), "BRAVE_API_URL": fakeweb.search_base("brave", via),
        "GOOGLE_CSE_URL": fakeweb.search_base("google", via),
        "DUCKDUCKGO_URL": fakeweb.search_base("duckduckgo", via),
        "BRAVE_API_KEY": BRAVE_API_KEY, "GOOGLE_API_KEY": GOOGLE_API_KEY, "GOOGLE_CSE_ID": GOOGLE_CSE_ID,
        "SEARXNG_DOWNLOAD_DELAY": "0", "BRAVE_DOWNLOAD_DELAY": "0", "GOOGLE_DOWNLOAD_DELAY": "0",
        "DUCKDUCKGO_DOWNLOAD_DELAY": "0",
    }


@pytest.fixture(autouse=True)
def clean_search(fakeweb: Any) -> Iterator[None]:
    fakeweb.search.reset()
    yield
    fakeweb.search.reset()


@pytest.fixture(scope="module")
def fitness(fakeweb: Any) -> list[dict[str, Any]]:
    return [s for s in fakeweb.web.manifest["sites"] if s["niche"] == "fitness" and s["reachable"]]


@pytest.fixture(scope="module")
def guestposts(fakeweb: Any, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    fakeweb.search.reset()
    db = tmp_path_factory.mktemp("gp") / "linkspider.db"
    result = run_crawl("guestposts", fakeweb.proxy_url, db, "niche=fitness", "max_queries=150",
                       settings=search_settings(fakeweb, "searxng"))
    assert result.returncode == 0, result.log[-3000:]
    return result


@pytest.fixture(scope="module")
def roundups(fakeweb: Any, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    fakeweb.search.reset()
    db = tmp_path_factory.mktemp("ru") / "linkspider.db"
    result = run_crawl("roundups", fakeweb.proxy_url, db, "niche=fitness",
                       settings=search_settings(fakeweb, "searxng"))
    assert result.returncode == 0, result.log[-3000:]
    return result


def test_guestposts_finds_the_write_for_us_sites_with_their_contacts(
        guestposts: CrawlResult, fitness: list[dict[str, Any]]) -> None:
    db = guestposts.db
    marked = {d for (d,) in rows(db, "SELECT DISTINCT domain FROM signals WHERE kind = 'write_for_us'")}
    # The fitness profile and its footprints are English (German sites: see the next test).
    genuine = [s for s in fitness if s["write_for_us_kind"] == "genuine" and s["language"] == "en"]
    assert len(genuine) >= 8
    found = [s for s in genuine if s["domain"] in marked]
    assert len(found) >= 0.95 * len(genuine), sorted({s["domain"] for s in genuine} - marked)
    for site in found:
        emails = {e for (e,) in rows(db, "SELECT value FROM contacts WHERE domain = ? AND kind = 'email'",
                                     site["domain"])}
        planted = {e["email"] for e in site["emails"] if e["walkable"]}
        assert emails & planted or not planted, site["domain"]  # someone to write to (JS-only: rendering)
        (how,) = rows(db, "SELECT source, detail, backend, rank FROM discoveries WHERE domain = ? "
                          "AND source = 'search' ORDER BY rank LIMIT 1", site["domain"])
        assert how[2] == "searxng" and how[3] >= 1 and how[1]  # query, backend and rank are kept


def test_a_german_niche_profile_finds_the_german_guest_post_page(fakeweb: Any, fitness: list[dict[str, Any]],
                                                                 tmp_path: Path) -> None:
    """Footprints cross with the profile's keywords: German keywords reach "Gastbeitrag" pages."""
    german = [s for s in fitness if s["write_for_us_kind"] == "genuine" and s["language"] == "de"]
    assert german
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "blocklist.txt").write_text("facebook.com\n")
    (seeds / "fitness-de.toml").write_text(
        'name = "fitness-de"\nkeywords = { krafttraining = 1.0, fitness = 0.8 }\n'
        '[footprints]\nguestposts = ["{kw} Gastbeitrag", "{kw} \\"Gastautor werden\\""]\n')
    (seeds / "footprints").symlink_to(Path(__file__).resolve().parents[1] / "seeds" / "footprints")
    db = tmp_path / "ls.db"
    result = run_crawl("guestposts", fakeweb.proxy_url, db, "niche=fitness-de", "max_queries=4",
                       settings={**search_settings(fakeweb, "searxng"), "LINKSPIDER_SEEDS_DIR": str(seeds)})
    assert result.returncode == 0, result.log[-3000:]
    marked = {d for (d,) in rows(db, "SELECT domain FROM signals WHERE kind = 'write_for_us'")}
    assert {s["domain"] for s in german} <= marked


def test_phrase_in_passing_and_link_sellers_are_not_write_for_us_sites(
        guestposts: CrawlResult, fitness: list[dict[str, Any]], fakeweb: Any) -> None:
    marked = {d for (d,) in rows(guestposts.db, "SELECT DISTINCT domain FROM signals WHERE kind = 'write_for_us'")}
    in_passing = [s for s in fitness if s["mentions_write_for_us_in_passing"] and not s["write_for_us_url"]]
    assert in_passing
    assert not {s["domain"] for s in in_passing} & marked
    everything = {d for (d,) in rows(guestposts.db, "SELECT domain FROM sites")}
    assert not everything & set(fakeweb.web.manifest["platforms"])


def test_roundups_finds_roundup_sites_and_snowballs(roundups: CrawlResult, fitness: list[dict[str, Any]],
                                                   fakeweb: Any) -> None:
    db = roundups.db
    marked = {d for (d,) in rows(db, "SELECT DISTINCT domain FROM signals WHERE kind = 'roundup'")}
    with_roundups = [s for s in fitness if s["roundup_urls"]]
    assert len(with_roundups) >= 5
    found = [s for s in with_roundups if s["domain"] in marked]
    assert len(found) >= 0.95 * len(with_roundups), sorted({s["domain"] for s in with_roundups} - marked)
    snowballed = rows(db, "SELECT domain, detail FROM discoveries WHERE source = 'snowball'")
    assert len({d for d, _ in snowballed}) >= 10
    curated = {u for s in fitness for u in s["roundup_urls"]} | {s["resources_url"] for s in fitness}
    assert all(detail in curated for _, detail in snowballed)  # found *via that roundup* (or resources page)
    # Sites no query surfaces are reached by the snowball step, and walked for contacts.
    by_search = {d for (d,) in rows(db, "SELECT domain FROM discoveries WHERE source = 'search'")}
    only_snowball = {d for d, _ in snowballed} - by_search
    assert only_snowball
    with_email = {d for (d,) in rows(db, "SELECT DISTINCT domain FROM contacts WHERE kind = 'email'")}
    assert len(only_snowball & with_email) >= 0.8 * len(only_snowball)


@pytest.mark.parametrize("backend, via", [("brave", "direct"), ("google", "direct"), ("duckduckgo", "proxy")])
def test_every_backend_drives_a_crawl(fakeweb: Any, tmp_path: Path, backend: str, via: str) -> None:
    db = tmp_path / "ls.db"
    before = fakeweb.search_counts()[backend]
    result = run_crawl("guestposts", fakeweb.proxy_url, db, "niche=fitness", "max_queries=4", "max_pages=2",
                       settings=search_settings(fakeweb, backend, via))
    assert result.returncode == 0, result.log[-3000:]
    assert fakeweb.search_counts()[backend] - before >= 4
    found = rows(db, "SELECT DISTINCT d.domain FROM discoveries d JOIN signals s ON s.domain = d.domain "
                     "AND s.kind = 'write_for_us' WHERE d.backend = ?", backend)
    assert len(found) >= 3
    assert "Traceback" not in result.log
    for secret in (BRAVE_API_KEY, GOOGLE_API_KEY):
        assert secret not in result.log
        assert secret.encode() not in db.read_bytes()


def test_file_backend_needs_no_search_at_all(fakeweb: Any, fitness: list[dict[str, Any]], tmp_path: Path) -> None:
    results = tmp_path / "serp.csv"
    genuine = [s for s in fitness if s["write_for_us_kind"] == "genuine"][:4]
    results.write_text("Keyword,Position,URL,Title\n" + "".join(
        f'fitness "write for us",{i},{s["write_for_us_url"]},Write for us\n' for i, s in enumerate(genuine, 1))
        + "junk,9,not a url,x\n")
    db = tmp_path / "ls.db"
    before = sum(fakeweb.search_counts().values())
    result = run_crawl("guestposts", fakeweb.proxy_url, db, "niche=fitness",
                       settings={**search_settings(fakeweb, "file"), "SEARCH_RESULTS_FILE": str(results)})
    assert result.returncode == 0, result.log[-3000:]
    assert sum(fakeweb.search_counts().values()) == before
    marked = {d for (d,) in rows(db, "SELECT domain FROM signals WHERE kind = 'write_for_us'")}
    assert {s["domain"] for s in genuine} <= marked
    assert rows(db, "SELECT DISTINCT backend FROM discoveries") == [("file",)]


def test_missing_key_names_the_setting(fakeweb: Any, tmp_path: Path) -> None:
    settings = {**search_settings(fakeweb, "brave"), "BRAVE_API_KEY": ""}
    result = run_crawl("guestposts", fakeweb.proxy_url, tmp_path / "x.db", "niche=fitness", settings=settings)
    assert result.returncode == 2
    assert "SEARCH_BACKEND=brave needs BRAVE_API_KEY" in result.log and "Traceback" not in result.log
    assert not (tmp_path / "x.db").exists()


def test_rate_limit_stops_the_backend_and_keeps_what_was_found(fakeweb: Any, tmp_path: Path) -> None:
    fakeweb.search.brave_quota = 3  # the 4th request is answered 429
    before = fakeweb.search_counts()["brave"]
    db = tmp_path / "ls.db"
    result = run_crawl("guestposts", fakeweb.proxy_url, db, "niche=fitness", "max_queries=12", "max_pages=1",
                       settings=search_settings(fakeweb, "brave"))
    assert result.returncode == 0, result.log[-3000:]
    stopped = [line for line in result.log.splitlines() if "search backend stopped" in line]
    assert len(stopped) == 1 and "brave" in stopped[0] and "429" in stopped[0]
    assert "'linkspider/search/blocked/429': 1" in result.log
    assert rows(db, "SELECT count(DISTINCT domain) FROM discoveries WHERE backend = 'brave'")[0][0] >= 2
    assert fakeweb.search_counts()["brave"] - before <= 4 + 1  # stopped asking (one retry at most)


def test_captcha_and_garbage_are_named_not_crashed_on(fakeweb: Any, tmp_path: Path) -> None:
    fakeweb.search_failures["duckduckgo"] = "captcha"
    result = run_crawl("guestposts", fakeweb.proxy_url, tmp_path / "a.db", "niche=fitness", "max_queries=5",
                       settings=search_settings(fakeweb, "duckduckgo", "proxy"))
    assert result.returncode == 0 and "Traceback" not in result.log
    assert len([line for line in result.log.splitlines() if "search backend stopped" in line]) == 1
    assert "CAPTCHA" in result.log or "captcha" in result.log
    fakeweb.search_failures["searxng"] = "malformed"
    result = run_crawl("guestposts", fakeweb.proxy_url, tmp_path / "b.db", "niche=fitness", "max_queries=3",
                       settings=search_settings(fakeweb, "searxng"))
    assert result.returncode == 0 and "Traceback" not in result.log
    assert result.log.count("search response skipped") == 3


def test_a_site_first_met_through_one_of_its_articles_gets_a_second_look_from_a_search_result(
        tmp_path: Path) -> None:
    """The order the crawl meets a site in must not decide whether it is found.

    A roundup links to an article of fitlifejournal.com: classified, not a
    roundup, so the site gets a short walk. A search result then points at the
    site's own roundup: that page is fetched and classified too, and the site
    gets the rest of its full budget.
    """
    import scrapy
    from scrapy.http import HtmlResponse

    from linkspider.crawl.page_stage import process_page
    from linkspider.crawl.spiders.searching import RoundupsSpider
    from linkspider.discover.search.base import SearchResult
    from linkspider.items import Discovery, DiscoveryItem, PageItem
    from tests.crawler_support import project_crawler
    from tests.extract_support import PAGES, labels

    crawler = project_crawler(RoundupsSpider, SEARCH_BACKEND="searxng", SEARXNG_URL="http://127.0.0.1:9/search",
                              LINKSPIDER_DB=str(tmp_path / "ls.db"), SITE_PAGE_BUDGET=12, SEARCH_UNCONFIRMED_BUDGET=4)
    spider = RoundupsSpider.from_crawler(crawler, niche="fitness")
    crawler.spider = spider
    crawler.stats.open_spider()
    site = "fitlifejournal.com"

    def fetched(request: scrapy.Request, html: str) -> list[Any]:
        """The spider's decisions once the page is fetched and read by the page stage."""
        response = HtmlResponse(request.url, body=html.encode(), encoding="utf-8", request=request)
        result = process_page(html, request.url, context=spider.pages.context)
        item = PageItem(url=request.url, domain=site, niche="fitness", status=200, html=html, facts=result.facts)
        return list(spider.after_page(response, item, result, follow=False))

    article = "https://www.fitlifejournal.com/blog/own-1/"
    [first] = spider.candidate(article, site, Discovery(source="snowball", detail="https://gritlab.com/roundup/"))
    article_html = ("<html><head><title>Squats</title></head><body><main><h1>How to squat</h1>"
                    "<p>Strength training starts with the squat. Keep your back straight and go slow.</p>"
                    '<a href="/about/">About</a></main></body></html>')
    fetched(first, article_html)
    assert site in spider._short_walks and spider.budget.left(site) < 4  # a short walk only

    roundup_name = "fitlifejournal-roundup.html"
    roundup = labels()[roundup_name]["url"]
    results = [SearchResult(url=roundup, rank=1, backend="searxng", query='fitness "weekly roundup"'),
               SearchResult(url=article, rank=2, backend="searxng", query='fitness "weekly roundup"')]
    second, known = spider.handle_results(results)
    assert isinstance(second, scrapy.Request) and second.url == roundup and second.meta["candidate"] == "search"
    assert isinstance(known, DiscoveryItem)  # the article was fetched already: provenance only

    walk = fetched(second, (PAGES / roundup_name).read_text(encoding="utf-8"))
    assert site not in spider._short_walks
    assert crawler.stats.get_value("linkspider/candidates/upgraded") == 1
    followed = [r.url for r in walk if isinstance(r, scrapy.Request)]
    assert "https://www.fitlifejournal.com/contact/" in followed  # the full walk goes on from the roundup
    assert len(followed) >= 5


# -- real layouts (issue 12) ------------------------------------------------------------------------------
# Three fitness sites of the fake web are built with real themes' structure (fakeweb/layouts.py: WordPress on
# Genesis, Ghost's Casper, a static site with a hero header), write their guidelines the way real pages do
# ("We do not publish sponsored posts or casino, CBD or loan content", "I don't accept guest posts about
# crypto") and name their roundups the way real ones are ("Link Dump #32", "Issue #59", "Links for Sunday
# 11 October 2026"). Before issue 12 none of those pages was recognised: the main content came out empty.

@pytest.fixture(scope="module")
def real_layouts(fakeweb: Any) -> list[dict[str, Any]]:
    sites = [s for s in fakeweb.web.manifest["sites"] if s["layout"]]
    assert sorted(s["layout"] for s in sites) == ["ghost", "static", "wordpress"]
    return sites


def test_real_layout_write_for_us_pages_confirm_their_sites_and_get_the_full_walk(
        guestposts: CrawlResult, real_layouts: list[dict[str, Any]]) -> None:
    from linkspider import settings

    db = guestposts.db
    # The walk a confirmed site of the fake web's own theme gets (its budget, less what the walk does not store).
    own_theme = [d for (d,) in rows(db, "SELECT DISTINCT domain FROM signals WHERE kind = 'write_for_us'")
                 if d not in {s["domain"] for s in real_layouts}]
    full = min(n for (n,) in rows(db, f"SELECT pages_crawled FROM sites WHERE domain IN ({', '.join('?' * len(own_theme))})",
                                   *own_theme))
    assert full > settings.SEARCH_UNCONFIRMED_BUDGET
    for site in real_layouts:
        signals = {u for (u,) in rows(db, "SELECT url FROM signals WHERE domain = ? AND kind = 'write_for_us'",
                                      site["domain"])}
        assert site["write_for_us_url"] in signals, site["domain"]
        assert not rows(db, "SELECT 1 FROM signals WHERE domain = ? AND kind = 'rejects_guest_posts'", site["domain"])
        (walked,) = rows(db, "SELECT pages_crawled FROM sites WHERE domain = ?", site["domain"])[0]
        assert walked >= full, site["domain"]  # the full walk, not the short one of an unconfirmed result
        emails = {e for (e,) in rows(db, "SELECT value FROM contacts WHERE domain = ? AND kind = 'email'",
                                     site["domain"])}
        assert emails & {e["email"] for e in site["emails"]}, site["domain"]  # someone to write to


def test_real_layout_roundups_are_found(roundups: CrawlResult, real_layouts: list[dict[str, Any]]) -> None:
    db = roundups.db
    for site in real_layouts:
        found = {u for (u,) in rows(db, "SELECT url FROM signals WHERE domain = ? AND kind = 'roundup'",
                                    site["domain"])}
        assert found & set(site["roundup_urls"]), site["domain"]
        snowballed = {d for (d,) in rows(db, "SELECT domain FROM discoveries WHERE source = 'snowball' AND detail IN "
                                             f"({', '.join('?' * len(site['roundup_urls']))})", *site["roundup_urls"])}
        assert snowballed, site["domain"]  # and the sites they link to become candidates
