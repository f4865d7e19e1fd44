"""End to end: `linkspider monitor` keeps an eye on the links a link builder won, on the fake web.

The story: twenty links placed on ten fitness blogs, sixteen imported from a
two-column spreadsheet and four typed in. The first check finds them all live.
On the web's second day their pages change — links removed, made nofollow or
sponsored, anchors rewritten, pages redirected, deleted, set noindex, one page
timing out for a whole check — and `linkspider monitor` reports exactly those
changes, calling nothing lost for the timeout; the check after that finds the
slow page fine again and reports nothing at all. Every check stays in the
history, the export filters by status and rel, and a nightly plan's
[monitor] step puts the changes in the morning digest.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkspider.cli import main
from linkspider.crawl.commands.crawl import SETTINGS_ENV
from linkspider.crawl.rendering import find_browser
from fakeweb import FakeWebServer, build_web
from fakeweb.crawl import FAST, ROOT, crawl_env
from fakeweb.model import Page
from fakeweb.placed import SLOW_REQUESTS, USER_SITE, PlacedLink, ordinary_sites, plant_placed_links

# The slow page (8 s) outlasts the timeout; every other page answers in milliseconds.
MONITOR_SETTINGS = {**FAST, "DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "1", "RENDER": "never"}


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def cli(server: FakeWebServer, db: Path, *args: str, timeout: float = 180,
        settings: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`linkspider ...` as a user runs it, its crawls going to the fake web through http_proxy."""
    env = {**crawl_env(server.proxy_url, db), SETTINGS_ENV: json.dumps({**MONITOR_SETTINGS, **(settings or {})})}
    return subprocess.run([sys.executable, "-m", "linkspider.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def page_requests(server: FakeWebServer, link: PlacedLink) -> int:
    path = link.page_url.split("/", 3)[3]
    return sum(1 for h in server.hits if h.path == "/" + path)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("monitor")
    db = tmp / "linkspider.db"
    web = build_web()
    planted = plant_placed_links(web)
    out: dict[str, Any] = {"db": db, "planted": planted, "tmp": tmp}
    with FakeWebServer(web) as server:
        sheet = tmp / "won-links.csv"
        sheet.write_text("page,target\n" + "".join(f"{p.page_url},{p.target_url}\n" for p in planted[:16]))
        out["import"] = cli(server, db, "links", "import", str(sheet), "--db", str(db))
        out["add"] = [cli(server, db, "links", "add", p.page_url, p.target_url, "--note", "paid 50 EUR",
                          "--db", str(db)) for p in planted[16:]]
        out["day1"] = cli(server, db, "monitor", "--json", "--db", str(db))
        out["day1_hits"] = {p.page_url: page_requests(server, p) for p in planted}
        server.reset_hits()
        web.day = 2
        out["day2"] = cli(server, db, "monitor", "--json", "--db", str(db))
        out["day2_hits"] = {p.page_url: page_requests(server, p) for p in planted}
        out["day2_robots"] = [h for h in server.hits if h.path == "/robots.txt"]
        out["day2_agents"] = {h.user_agent for h in server.hits}
        out["changes"] = cli(server, db, "links", "--changes", "--json", "--db", str(db))
        out["text"] = cli(server, db, "links", "--changes", "--db", str(db))
        out["day2_again"] = cli(server, db, "monitor", "--json", "--db", str(db))
        plan = tmp / "plan.toml"
        plan.write_text("[monitor]\nrecheck_days = 0\n")
        out["nightly"] = cli(server, db, "nightly", "--plan", str(plan), "--db", str(db), "--jobs-dir",
                             str(tmp / "jobs"), "--digests-dir", str(tmp / "digests"))
        out["export"] = {flt: cli(server, db, "links", "export", "--format", "jsonl", *flt.split(), "--db", str(db))
                         for flt in ("--status lost", "--rel nofollow", "--rel sponsored", "--status live", "")}
    return out


def changes_of(result: subprocess.CompletedProcess[str]) -> dict[tuple[str, str], dict[str, str]]:
    assert result.returncode == 0, result.stderr[-3000:]
    return {(c["page_url"], c["kind"]): c for c in json.loads(result.stdout)["changes"]}


def test_links_are_imported_and_added(story: dict[str, Any]) -> None:
    assert story["import"].returncode == 0, story["import"].stderr
    assert "imported 16 placed links" in story["import"].stdout and "16 new" in story["import"].stdout
    assert all(r.returncode == 0 and "added:" in r.stdout for r in story["add"])
    notes = rows(story["db"], "SELECT count(*) FROM placed_links WHERE note = 'paid 50 EUR'")
    assert notes == [(4,)]


def test_the_first_check_finds_every_link_live_and_reports_nothing(story: dict[str, Any]) -> None:
    report = json.loads(story["day1"].stdout)
    assert story["day1"].returncode == 0, story["day1"].stderr[-3000:]
    assert report["checked"] == 20 and report["links"] == {"live": 20} and report["changes"] == []
    assert set(story["day1_hits"].values()) == {1}  # each linking page fetched once


def test_the_second_day_reports_exactly_the_planted_changes(story: dict[str, Any]) -> None:
    found = changes_of(story["day2"])
    planted: list[PlacedLink] = story["planted"]
    assert set(found) == {(p.page_url, kind) for p in planted for kind in p.day2}
    by_case = {p.case: found[(p.page_url, next(iter(p.day2)))] for p in planted if p.day2}
    assert (by_case["nofollow"]["before"], by_case["nofollow"]["after"]) == ("follow", "nofollow")
    assert by_case["sponsored"]["after"] == "sponsored"
    anchor = by_case["anchor"]
    assert anchor["after"] == "a free training log" and anchor["before"] in ("the Lifting Log app", "this workout log")
    for link in (p for p in planted if p.case == "redirect"):
        moved = found[(link.page_url, "redirected")]
        assert (moved["before"], moved["after"]) == (link.page_url, link.page_url.rstrip("/") + "-updated/")
    assert by_case["404"]["after"] == "HTTP 404"
    noindex = {found[(p.page_url, "noindexed")]["after"] for p in planted if p.case.startswith("noindex")}
    assert noindex == {"meta robots", "X-Robots-Tag"}
    unsure = by_case["timeout_once"]
    assert unsure["after"] == "unsure" and "TimeoutError" in unsure["detail"]
    # Lost links are what the monitor is for, not a failure to run.
    assert json.loads(story["day2"].stdout)["links"] == {"live": 15, "lost": 4, "unsure": 1}


def test_links_changes_lists_what_the_last_run_found(story: dict[str, Any]) -> None:
    listed = {(c["page_url"], c["kind"]) for c in json.loads(story["changes"].stdout)}
    assert listed == set(changes_of(story["day2"]))
    text = story["text"].stdout
    assert story["text"].returncode == 0 and text.startswith(f"{len(listed)} changes by the monitor run of ")
    assert "lost" in text and "not on the page" in text


def test_the_one_off_timeout_is_never_called_lost(story: dict[str, Any]) -> None:
    report = json.loads(story["day2_again"].stdout)
    assert story["day2_again"].returncode == 0 and report["changes"] == []
    assert report["links"] == {"live": 16, "lost": 4}
    slow = next(p for p in story["planted"] if p.case == "timeout_once")
    history = rows(story["db"], "SELECT c.outcome, c.status FROM link_checks c JOIN placed_links l ON "
                                "l.id = c.link_id WHERE l.page_url = ? ORDER BY c.id", slow.page_url)
    assert history[:3] == [("ok", "live"), ("failed", "unsure"), ("ok", "live")]


def test_history_holds_every_check(story: dict[str, Any]) -> None:
    per_link = rows(story["db"], "SELECT link_id, count(*) FROM link_checks GROUP BY link_id")
    assert len(per_link) == 20 and {n for _, n in per_link} == {4}  # day 1, day 2 twice, the nightly
    assert rows(story["db"], "SELECT count(DISTINCT run_id) FROM link_checks") == [(4,)]


def test_the_monitor_is_polite(story: dict[str, Any]) -> None:
    slow = next(p.page_url for p in story["planted"] if p.case == "timeout_once")
    hits = story["day2_hits"]
    assert hits[slow] == SLOW_REQUESTS  # the request and Scrapy's one retry
    assert {n for url, n in hits.items() if url != slow} == {1}
    assert {h.host for h in story["day2_robots"]} == {p.page_url.split("/")[2] for p in story["planted"]}
    assert all(agent.startswith("linkspider/") for agent in story["day2_agents"])


def test_the_export_filters_by_status_and_rel(story: dict[str, Any]) -> None:
    def exported(flt: str) -> dict[str, dict[str, Any]]:
        result = story["export"][flt]
        assert result.returncode == 0, result.stderr
        return {r["page_url"]: r for r in map(json.loads, result.stdout.splitlines())}

    planted = {p.page_url: p.case for p in story["planted"]}
    assert sorted(planted[u] for u in exported("--status lost")) == ["404", "404", "removed", "removed"]
    assert sorted(planted[u] for u in exported("--rel nofollow")) == ["nofollow", "nofollow"]
    assert sorted(planted[u] for u in exported("--rel sponsored")) == ["sponsored", "sponsored"]
    everything = exported("")
    assert len(everything) == 20 and all(r["checks"] == 4 for r in everything.values())
    noindexed = {planted[u] for u, r in everything.items() if r["noindex"]}
    assert noindexed == {"noindex_meta", "noindex_header"}
    moved = [(u, r) for u, r in everything.items() if planted[u] == "redirect"]
    assert all(r["redirects"] == [u] and r["final_url"] == u.rstrip("/") + "-updated/" and r["status"] == "live"
               for u, r in moved)
    slow = next(r for u, r in everything.items() if planted[u] == "timeout_once")
    assert (slow["status"], slow["rel"]) == ("live", "follow")


def test_a_nightly_monitor_step_puts_the_changes_in_the_digest(story: dict[str, Any]) -> None:
    result = story["nightly"]
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "monitor of your placed links (job monitor)" in result.stdout
    assert "20 links checked, 0 changes" in result.stdout
    # The first digest reports every change not reported yet: the fifteen of the second day.
    digest = next((story["tmp"] / "digests").glob("*.md")).read_text()
    assert "## Your links: changes (15)" in digest
    assert "| lost |" in digest and "| gone |" in digest and "| noindexed |" in digest
    assert "your links: 15 changes" in result.stdout


@pytest.mark.skipif(find_browser() is None, reason="needs a Chromium (.ci/run installs Debian's)")
def test_a_link_only_a_script_writes_is_found_in_the_browser(tmp_path: Path) -> None:
    web = build_web()
    site = web.sites[ordinary_sites(web, 1)[0]["host"]]
    target = f"https://www.{USER_SITE}/guides/squat-log/"
    script = ("<div id='picks'></div><script>var a = document.createElement('a'); a.href = '" + target + "';"
              "a.textContent = 'the Lifting Log app'; document.getElementById('picks').appendChild(a);</script>")
    site.pages["/blog/scripted-picks/"] = Page(body=f"<html><body><main>{script}</main></body></html>".encode())
    site.pages["/blog/plain-picks/"] = Page(body=b"<html><body><main><p>No links here.</p></main></body></html>")
    db = tmp_path / "linkspider.db"
    with FakeWebServer(web) as server:
        for path in ("/blog/scripted-picks/", "/blog/plain-picks/"):
            assert cli(server, db, "links", "add", f"{site.base_url}{path}", target, "--db", str(db)).returncode == 0
        result = cli(server, db, "monitor", "--json", "--db", str(db), settings={"RENDER": "auto"})
        browser_hits = [h for h in server.hits if h.path == "/blog/scripted-picks/"]
    assert result.returncode == 0, result.stderr[-3000:]
    links = {r[0]: r[1:] for r in rows(db, "SELECT l.page_url, c.found, c.js_only, c.anchor FROM placed_links l "
                                           "JOIN link_checks c ON c.link_id = l.id")}
    assert links[f"{site.base_url}/blog/scripted-picks/"] == (1, 1, "the Lifting Log app")
    assert links[f"{site.base_url}/blog/plain-picks/"] == (0, 0, "")  # no script: no reason for a browser
    assert len(browser_hits) == 2  # the static fetch, then the browser's
    assert {c["kind"] for c in json.loads(result.stdout)["changes"]} == {"lost"}


def test_what_the_monitor_may_not_or_need_not_fetch(tmp_path: Path) -> None:
    """One fetch for two links on a page; a per-site cap; robots.txt and private addresses say `unchecked`."""
    web = build_web()
    one, two = (web.sites[s["host"]] for s in ordinary_sites(web, 2))
    target = f"https://www.{USER_SITE}/"
    both = (f'<html><body><main><a href="{target}guides/a/">a</a> and <a href="{target}guides/b/">b</a>'
            "</main></body></html>").encode()
    one.pages["/blog/two-links/"] = Page(body=both)
    for path in ("/blog/first/", "/blog/second/"):
        two.pages[path] = Page(body=f'<html><body><a href="{target}">log</a></body></html>'.encode())
    forbidden = next(s for s in web.manifest["sites"] if "robots_private" in s["planted"])["disallowed_urls"][0]
    links = [(f"{one.base_url}/blog/two-links/", f"{target}guides/a/"),
             (f"{one.base_url}/blog/two-links/", f"{target}guides/b/"),
             (f"{two.base_url}/blog/first/", target), (f"{two.base_url}/blog/second/", target),
             (forbidden, target), ("http://127.0.0.1:9/ours/", target),
             ("http://169.254.169.254/latest/meta-data/", target)]
    db = tmp_path / "linkspider.db"
    with FakeWebServer(web) as server:
        for page, linked in links:
            assert CliRunner().invoke(main, ["links", "add", page, linked, "--db", str(db)]).exit_code == 0
        result = cli(server, db, "monitor", "--json", "--db", str(db), settings={"MONITOR_PAGES_PER_SITE": "1"})
        hits = server.hits
    assert result.returncode == 0, result.stderr[-3000:]
    status = dict(rows(db, "SELECT page_url || ' ' || target_url, status FROM placed_links"))
    assert status[f"{one.base_url}/blog/two-links/ {target}guides/a/"] == "live"
    assert status[f"{one.base_url}/blog/two-links/ {target}guides/b/"] == "live"
    assert sum(1 for h in hits if h.path == "/blog/two-links/") == 1
    # One page of the second site this run; the other waits, and the log says so.
    assert sorted(status[f"{two.base_url}{p} {target}"] for p in ("/blog/first/", "/blog/second/")) == ["live", "new"]
    assert "placed links wait for the next run" in result.stderr
    for page in (forbidden, "http://127.0.0.1:9/ours/", "http://169.254.169.254/latest/meta-data/"):
        assert status[f"{page} {target}"] == "unchecked"
    assert not any(h.path.startswith("/private/") or h.host in ("127.0.0.1", "169.254.169.254") for h in hits)
    unchecked = [c for c in json.loads(result.stdout)["changes"] if c["kind"] == "unchecked"]
    assert len(unchecked) == 3 and any("robots.txt" in c["detail"] for c in unchecked)
