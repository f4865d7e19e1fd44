"""Pages that need JavaScript are rendered in Debian's Chromium — and only those.

The story: a handful of fitness sites fill in their contact page with
JavaScript, hide the editor's address behind a decoding script, or are a
single-page app whose menu appears only in a browser. linkspider finds those
contacts, renders nothing it does not need to, and without a browser it says
so once and carries on.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from linkspider.crawl.rendering import find_browser, needs_render, worth_rendering
from tests.conftest import CrawlResult, run_crawl

pytestmark = pytest.mark.skipif(find_browser() is None, reason="needs a Chromium (.ci/run installs Debian's)")


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


@pytest.fixture(scope="module")
def js_sites(fakeweb: Any) -> list[dict[str, Any]]:
    sites = [s for s in fakeweb.web.manifest["sites"] if s.get("js_only")]
    assert len(sites) >= 3
    return sites


@pytest.fixture(scope="module")
def seeds(js_sites: list[dict[str, Any]], fakeweb: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    plain = [s for s in fakeweb.web.manifest["sites"]
             if s["niche"] == "fitness" and s["in_seed_list"] and s["reachable"] and not s.get("js_only")][:6]
    path = tmp_path_factory.mktemp("render") / "seeds.txt"
    path.write_text("".join(s["home_url"] + "\n" for s in js_sites + plain))
    return path


def crawl(fakeweb: Any, seeds: Path, db: Path, **settings: str) -> CrawlResult:
    result = run_crawl("seeds", fakeweb.proxy_url, db, "niche=fitness", f"seeds={seeds}", settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    return result


@pytest.fixture(scope="module")
def rendered(fakeweb: Any, seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    return crawl(fakeweb, seeds, tmp_path_factory.mktemp("r") / "ls.db")


def rendered_urls(result: CrawlResult) -> set[str]:
    return set(re.findall(r"rendering (\S+) in the browser", result.log))


def test_javascript_only_contacts_are_found(rendered: CrawlResult, js_sites: list[dict[str, Any]]) -> None:
    for site in js_sites:
        found = {e for (e,) in rows(rendered.db, "SELECT value FROM contacts WHERE domain = ? AND kind = 'email'",
                                    site["domain"])}
        assert set(site["js_only"]["emails"]) <= found, site["domain"]
        if site["js_only"]["contact_form"]:
            assert rows(rendered.db, "SELECT 1 FROM contacts WHERE domain = ? AND kind = 'contact_form'",
                        site["domain"]), site["domain"]


def test_a_single_page_app_home_is_rendered_and_its_links_followed(rendered: CrawlResult,
                                                                   js_sites: list[dict[str, Any]]) -> None:
    spa = [s for s in js_sites if s["js_only"]["spa_home"]]
    assert spa
    for site in spa:
        assert site["home_url"] in rendered_urls(rendered)
        fetched = {u for (u,) in rows(rendered.db, "SELECT url FROM pages WHERE domain = ?", site["domain"])}
        assert site["js_only"]["contact_url"] in fetched


def test_only_pages_that_need_it_are_rendered(rendered: CrawlResult, js_sites: list[dict[str, Any]]) -> None:
    urls = rendered_urls(rendered)
    not_worth = {u for s in js_sites for u in s["js_only"]["not_worth_rendering_urls"]}
    assert not_worth and not urls & not_worth
    # Every render was of a planted JavaScript site; the plain sites were never rendered.
    js_domains = {s["domain"] for s in js_sites}
    assert urls and all(any(d in u for d in js_domains) for u in urls)
    assert f"'linkspider/render/requests': {len(urls)}" in rendered.log
    pages = rows(rendered.db, "SELECT count(*) FROM pages")[0][0]
    assert len(urls) <= 0.15 * pages


def test_render_never_finds_no_javascript_contacts(fakeweb: Any, seeds: Path, tmp_path: Path,
                                                   js_sites: list[dict[str, Any]]) -> None:
    result = crawl(fakeweb, seeds, tmp_path / "ls.db", RENDER="never")
    assert not rendered_urls(result) and "playwright" not in result.log.lower().replace("playwright_", "")
    spa = next(s for s in js_sites if s["js_only"]["spa_home"])
    assert spa["js_only"]["contact_url"] not in {
        u for (u,) in rows(result.db, "SELECT url FROM pages WHERE domain = ?", spa["domain"])}


def test_no_browser_means_one_warning_and_the_crawl_goes_on(fakeweb: Any, seeds: Path, tmp_path: Path) -> None:
    result = crawl(fakeweb, seeds, tmp_path / "ls.db", LINKSPIDER_BROWSER="/nonexistent/chromium")
    warnings = [line for line in result.log.splitlines() if "rendering of JavaScript pages is off" in line]
    assert len(warnings) == 1 and "no browser at /nonexistent/chromium" in warnings[0]
    assert rows(result.db, "SELECT count(DISTINCT domain) FROM pages WHERE status = 200")[0][0] >= 8


@pytest.mark.parametrize("html, facts, reason", [
    ('<div id="app"></div><script>render()</script>', {}, "empty_app_root"),
    ('<noscript>Please enable JavaScript to use this site.</noscript><script src="/a.js"></script>', {}, "noscript"),
    ("<span class=e></span><script>var a='moc.liam@enaj'.split('').reverse().join('');"
     "document.querySelector('.e').innerHTML='<a href=\"mailto:'+a+'\">'+a+'</a>'</script>", {}, "email_script"),
    ('<h1>Contact</h1><div id=c></div><script>document.getElementById("c").innerHTML = "x"</script>',
     {"is_contact_page": True}, "contact_without_contact"),
    ('<h1>Contact</h1><p>jane@site.com</p><script>document.write("x")</script>',
     {"is_contact_page": True, "emails": ["jane@site.com"]}, None),
    ('<h1>About</h1><script async src="https://www.googletagmanager.com/gtag/js"></script><script>gtag("js")</script>',
     {"is_contact_page": True}, None),  # an analytics tag is no reason
    ("<p>No scripts at all</p>", {"is_contact_page": True}, None),
])
def test_what_needs_rendering(html: str, facts: dict[str, Any], reason: str | None) -> None:
    assert needs_render(html, facts) == reason


def test_what_is_worth_rendering() -> None:
    assert worth_rendering(is_home=False, link_kind="contact", facts=None, internal_links=20)
    assert worth_rendering(is_home=True, link_kind="", facts=None, internal_links=0)
    assert not worth_rendering(is_home=True, link_kind="", facts=None, internal_links=25)
    assert not worth_rendering(is_home=False, link_kind="blog", facts={}, internal_links=0)


def test_render_cost_benchmark_prints_its_figures() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(root / "benchmarks" / "render_cost.py")], cwd=root,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert re.search(r"share of pages rendered: \d+\.\d%", proc.stdout)
    assert re.search(r"cost per rendered page: -?\d+ ms", proc.stdout)
