"""Your links without a crawl: the page check, the judge, the store's history and the commands.

The monitor's end-to-end story is tests/test_monitor.py; here each rule is
pinned on its own, with the inputs a link builder really hands over (an
Ahrefs export of their site, a Search Console list, a two-column sheet, a
typo in a URL).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linkspider.cli import main
from linkspider.discover.niches import NicheError, load_niche
from linkspider.extract.link_check import check_page
from linkspider.items import PageItem
from linkspider.outreach.nightly import PlanError, load_plan
from linkspider.score.link_changes import CHANGE_KINDS, judge
from linkspider.store.database import ProspectFilter, Store, own_backlink_row, placed_link_row

TARGET = "https://www.mysite.com/guides/squat/"
PAGE = "http://www.blog.example.com/post/"


def html(link: str = f'<a href="{TARGET}">squat guide</a>', head: str = "") -> str:
    return f"<html><head>{head}</head><body><main><p>Read the {link} today.</p></main></body></html>"


# ------------------------------------------------------------------ the page check

def test_the_placed_link_is_found_with_its_rel_and_anchor() -> None:
    found = check_page(html(), PAGE, [TARGET]).links[0]
    assert (found.found, found.rel, found.anchor, found.exact) == (True, "follow", "squat guide", True)
    for rel, expected in (("nofollow", "nofollow"), ("sponsored nofollow", "sponsored"), ("ugc", "ugc")):
        link = check_page(html(f'<a rel="{rel}" href="{TARGET}">x</a>'), PAGE, [TARGET]).links[0]
        assert link.rel == expected
    assert not check_page(html("mysite.com"), PAGE, [TARGET]).links[0].found  # a mention is no link


def test_the_placed_link_wins_over_a_followed_link_elsewhere_on_your_site() -> None:
    page = html(f'<a rel="nofollow" href="{TARGET}">squat guide</a> and <a href="https://mysite.com/">home</a>')
    found = check_page(page, PAGE, [TARGET]).links[0]
    assert (found.rel, found.anchor, found.exact) == ("nofollow", "squat guide", True)
    other = check_page(html('<a href="https://mysite.com/">home</a>'), PAGE, [TARGET]).links[0]
    assert other.found and not other.exact and other.link_url == "https://mysite.com/"


def test_a_link_through_a_redirect_script_counts() -> None:
    wrapped = html('<a href="/go?url=https%3A%2F%2Fwww.mysite.com%2Fguides%2Fsquat%2F">guide</a>')
    found = check_page(wrapped, PAGE, [TARGET]).links[0]
    assert found.found and found.wrapped and found.exact


def test_noindex_and_canonical_are_read_from_head_and_header() -> None:
    assert check_page(html(head='<meta name="robots" content="noindex,follow">'), PAGE, [TARGET]).noindex == \
        "meta robots"
    assert check_page(html(), PAGE, [TARGET], x_robots_tag="googlebot: noindex").noindex == "X-Robots-Tag"
    assert check_page(html(), PAGE, [TARGET], x_robots_tag="noarchive").noindex == ""
    nofollowed = check_page(html(), PAGE, [TARGET], x_robots_tag="nofollow").links[0]
    assert nofollowed.rel == "nofollow"
    moved = check_page(html(head='<link rel="canonical" href="https://blog.example.com/other/">'), PAGE, [TARGET])
    assert moved.canonical == "https://blog.example.com/other/"
    itself = check_page(html(head='<link rel="canonical" href="https://blog.example.com/post">'), PAGE, [TARGET])
    assert itself.canonical == ""  # the same page (scheme, www. and trailing slash aside)


# ------------------------------------------------------------------ the judge

def ok(**facts: Any) -> dict[str, Any]:
    return {"outcome": "ok", "page_url": PAGE, "final_url": PAGE, "found": True, "rel": "follow",
            "anchor": "squat guide", "link_url": TARGET, "noindex": "", "canonical": "", "js_only": False, **facts}


def failed(error: str = "TimeoutError: took too long") -> dict[str, Any]:
    return {"outcome": "failed", "page_url": PAGE, "error": error}


def run(*checks: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Judge checks one after another as the monitor does: (status, change kinds) of each."""
    history: list[dict[str, Any]] = []
    out = []
    for check in checks:
        status, changes = judge(history, check)
        history.append({**check, "status": status})
        out.append((status, [c["kind"] for c in changes]))
    return out


def test_a_first_check_of_a_good_link_reports_nothing_and_of_a_bad_one_what_is_wrong() -> None:
    assert run(ok()) == [("live", [])]
    assert run(ok(found=False)) == [("lost", ["lost"])]
    assert run(ok(rel="sponsored", noindex="meta robots")) == [("live", ["noindexed", "sponsored"])]


def test_one_failed_check_is_unsure_and_the_next_good_one_reports_nothing() -> None:
    assert run(ok(), failed(), ok()) == [("live", []), ("unsure", ["unsure"]), ("live", [])]


def test_two_failed_checks_in_a_row_make_a_link_lost_and_a_later_find_recovers_it() -> None:
    assert run(ok(), failed(), failed("HTTP 503"), failed(), ok()) == [
        ("live", []), ("unsure", ["unsure"]), ("lost", ["lost"]), ("lost", []), ("live", ["recovered"])]


def test_a_definite_loss_needs_no_second_check_and_recovery_is_reported() -> None:
    gone = {"outcome": "gone", "page_url": PAGE, "http_status": 410}
    assert run(ok(), gone, gone, ok()) == [("live", []), ("lost", ["gone"]), ("lost", []), ("live", ["recovered"])]
    assert run(ok(), ok(found=False), ok(found=False)) == [("live", []), ("lost", ["lost"]), ("lost", [])]


def test_changes_carry_before_and_after() -> None:
    history = [{**ok(), "status": "live"}]
    status, changes = judge(history, ok(rel="nofollow", anchor="A Squat Guide!", final_url=PAGE + "v2/",
                                        canonical="http://www.blog.example.com/elsewhere/"))
    assert status == "live"
    by_kind = {c["kind"]: (c["before"], c["after"]) for c in changes}
    assert by_kind == {"redirected": (PAGE, PAGE + "v2/"), "canonical": ("", "http://www.blog.example.com/elsewhere/"),
                       "nofollow": ("follow", "nofollow"), "anchor": ("squat guide", "A Squat Guide!")}
    assert judge(history, ok(anchor="  Squat   GUIDE "))[1] == []  # spacing and case are no change
    assert {c["kind"] for c in judge([{**ok(rel="ugc"), "status": "live"}], ok())[1]} == {"followed"}


def test_unchecked_says_so_once_and_does_not_break_the_two_in_a_row_rule() -> None:
    robots = {"outcome": "unchecked", "page_url": PAGE, "error": "Forbidden by robots.txt"}
    assert run(ok(), robots, robots, failed(), robots, failed()) == [
        ("live", []), ("unchecked", ["unchecked"]), ("unchecked", []), ("unsure", ["unsure"]),
        ("unchecked", ["unchecked"]), ("lost", ["lost"])]


def test_every_change_kind_is_explained() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Keeping your links", 1)[1].split("\n## ", 1)[0]
    for kind in CHANGE_KINDS:
        assert f"`{kind}`" in section, kind


# ------------------------------------------------------------------ the store

def test_history_is_kept_and_only_linking_sites_are_left_out(tmp_path: Path) -> None:
    with Store(tmp_path / "ls.db") as store:
        store.write_pages([PageItem(url=f"http://{d}/", domain=d, niche="fitness", status=200, is_home=True)
                           for d in ("a.com", "b.com", "c.com", "d.com")])
        store.add_placed_links([placed_link_row(f"http://{d}/p/", TARGET, site=d, target_domain="mysite.com")
                                for d in ("a.com", "b.com")])
        store.write_own_backlinks([own_backlink_row("c.com", "http://c.com/x/", "mysite.com", lost=True),
                                   own_backlink_row("d.com", "http://d.com/x/", "mysite.com")])
        link = f"http://b.com/p/|{TARGET}"
        for n, status in enumerate(("live", "lost")):
            store.record_link_check({"link_id": link, "run_id": n, "checked_at": f"2026-11-2{n}", "outcome": "ok",
                                     "status": status, "rel": "follow", "changes": "[]"})
        assert [c["status"] for c in store.link_history(link)] == ["live", "lost"]
        store.record_link_check({"link_id": f"http://a.com/p/|{TARGET}", "run_id": 1, "checked_at": "2026-11-21",
                                 "outcome": "ok", "status": "live", "rel": "nofollow", "changes": "[]"})
        store.record_link_check({"link_id": f"http://a.com/p/|{TARGET}", "run_id": 2, "checked_at": "2026-11-22",
                                 "outcome": "failed", "status": "unsure", "rel": "", "changes": "[]"})
        assert [link["site"] for link in store.placed_links(rels=["nofollow"])] == ["a.com"]  # as last read
        assert store.linking_domains() == {"a.com", "d.com"}  # b's link is lost, c's export row too
        assert [s["domain"] for s in store.prospects()] == ["b.com", "c.com"]
        assert len(store.prospects(ProspectFilter(exclude_linking=False))) == 4
        assert store.own_domains() == {"mysite.com"}


def test_a_recrawl_that_no_longer_sees_your_link_marks_it_lost(tmp_path: Path) -> None:
    def crawled(links: list[dict[str, Any]]) -> PageItem:
        return PageItem(url="http://a.com/p/", domain="a.com", niche="fitness", status=200,
                        facts={"own_links": links})

    with Store(tmp_path / "ls.db") as store:
        store.write_pages([crawled([{"url": TARGET, "anchor": "x", "rel": [], "target_domain": "mysite.com"}])])
        assert store.linking_domains() == {"a.com"}
        store.write_pages([crawled([])])
        assert store.linking_domains() == set()


# ------------------------------------------------------------------ the commands

def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ls.db"
    with Store(path) as store:
        store.write_pages([PageItem(url="http://www.ironpulse.com/", domain="ironpulse.com", niche="fitness",
                                    status=200, is_home=True)])
    return path


def test_links_add_checks_both_urls_and_keeps_a_link_once(db: Path) -> None:
    first = cli("links", "add", "ironpulse.com/guest-post/", "mysite.com", "--db", str(db))
    assert first.exit_code == 0 and first.output == ("added: https://ironpulse.com/guest-post/ -> "
                                                     "https://mysite.com/ (ironpulse.com)\n")
    again = cli("links", "add", "https://ironpulse.com/guest-post/", "https://mysite.com/", "--db", str(db))
    assert again.exit_code == 0 and "already watched" in again.output
    bad = cli("links", "add", "ftp://ironpulse.com/x", "mysite.com", "--db", str(db))
    assert bad.exit_code == 2 and "PAGE_URL 'ftp://ironpulse.com/x': unsupported scheme 'ftp'" in bad.output
    same = cli("links", "add", "https://www.mysite.com/a/", "mysite.com", "--db", str(db))
    assert same.exit_code == 2 and "on the same site" in same.output
    listed = cli("links", "--db", str(db))
    assert listed.exit_code == 0 and listed.output.startswith("1 placed links: 1 new")


def test_mark_won_with_a_link_watches_it(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = "http://www.ironpulse.com/blog/my-guest-post/"
    no_target = cli("mark", "ironpulse.com", "--status", "won", "--link", page, "--db", str(db))
    assert no_target.exit_code == 2 and "--link needs --target URL" in no_target.output
    with Store(db) as store:
        assert store.prospects()[0]["status"] == "new"  # nothing was marked
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "fitness.toml").write_text('name = "fitness"\nkeywords = ["fitness"]\ndomain = "mysite.com"\n')
    monkeypatch.setenv("LINKSPIDER_SEEDS_DIR", str(seeds))
    import linkspider.settings as settings_module

    monkeypatch.setattr(settings_module, "LINKSPIDER_SEEDS_DIR", str(seeds))
    result = cli("mark", "ironpulse.com", "--status", "won", "--link", page, "--note", "won in May", "--db", str(db))
    assert result.exit_code == 0 and "ironpulse.com: won; watching 1 link(s)" in result.output, result.output
    wrong = cli("mark", "ironpulse.com", "--status", "contacted", "--link", page, "--db", str(db))
    assert wrong.exit_code == 2 and "--link goes with DOMAIN --status won" in wrong.output
    links = json.loads(cli("links", "--json", "--db", str(db)).output)
    assert [(r["page_url"], r["target_url"], r["site"], r["note"]) for r in links] == [
        (page, "https://mysite.com/", "ironpulse.com", "won in May")]
    with Store(db) as store:
        assert store.prospects() == []  # a site you won a link on is not pitched again


def test_links_import_reads_exports_and_says_what_it_skipped(db: Path, tmp_path: Path) -> None:
    ahrefs = tmp_path / "ahrefs.csv"
    ahrefs.write_text("Referring page URL\tTarget URL\tAnchor\tNofollow\n"
                      f"http://a.com/p/\t{TARGET}\tguide\tfalse\n"
                      "http://b.com/p/\thttps://competitor.com/\tx\tfalse\n"
                      "ftp://c.com/p/\thttps://mysite.com/\tx\tfalse\n", encoding="utf-16")
    result = cli("links", "import", str(ahrefs), "--target", "mysite.com", "--db", str(db))
    assert result.exit_code == 0 and "imported 1 placed links" in result.output and "2 rows skipped" in result.output
    assert f"{ahrefs}:3: links to competitor.com, not to mysite.com" in result.output
    assert f"{ahrefs}:4: unsupported scheme 'ftp'" in result.output
    gsc = tmp_path / "gsc.csv"
    gsc.write_text("Linking page,Last crawled\nhttp://d.com/x/,2026-11-01\n")
    no_target = cli("links", "import", str(gsc), "--db", str(db))
    assert no_target.exit_code == 2 and "names no page linked to: pass --target" in no_target.output
    assert cli("links", "import", str(gsc), "--target", "https://mysite.com/", "--db", str(db)).exit_code == 0
    plain = tmp_path / "mine.txt"
    plain.write_text(f"# links I bought\nhttp://e.com/post/  {TARGET}\nhttp://f.com/post/\t{TARGET}\n")
    result = cli("links", "import", str(plain), "--db", str(db))
    assert result.exit_code == 0 and "imported 2 placed links" in result.output
    binary = tmp_path / "export.xlsx"
    binary.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    refused = cli("links", "import", str(binary), "--db", str(db))
    assert refused.exit_code == 2 and "is a ZIP archive" in refused.output
    assert "Traceback" not in refused.output


def test_links_export_writes_the_newest_check_and_defuses_formulas(db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        store.add_placed_links([placed_link_row("http://a.com/p/", TARGET, site="a.com", target_domain="mysite.com")])
        store.record_link_check({"link_id": f"http://a.com/p/|{TARGET}", "run_id": 1, "checked_at": "2026-11-20",
                                 "outcome": "ok", "found": 1, "rel": "nofollow", "anchor": "=HYPERLINK(1)",
                                 "status": "live", "changes": json.dumps([{"kind": "nofollow", "before": "follow",
                                                                           "after": "nofollow", "detail": ""}])})
    out = tmp_path / "links.csv"
    result = cli("links", "export", "--rel", "nofollow", "-o", str(out), "--db", str(db))
    assert result.exit_code == 0 and "wrote 1 links" in result.output
    text = out.read_text()
    assert text.splitlines()[0].startswith("site,page_url,target_url,status,rel,anchor")
    assert "'=HYPERLINK(1)" in text and "nofollow: follow -> nofollow" in text
    empty = cli("links", "export", "--status", "lost", "--format", "json", "--db", str(db))
    assert empty.exit_code == 0 and json.loads(empty.output) == []
    bad = cli("links", "export", "--status", "gone", "--db", str(db))
    assert bad.exit_code == 2 and "'gone' is not one of" in bad.output


def test_monitor_without_links_or_database(tmp_path: Path, db: Path) -> None:
    missing = cli("monitor", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 1 and "run a crawl first" in missing.output
    empty = cli("monitor", "--json", "--db", str(db))
    assert empty.exit_code == 0 and json.loads(empty.output)["checked"] == 0
    bad = cli("monitor", "--site", "not a site", "--db", str(db))
    assert bad.exit_code == 2 and "--site 'not a site' is not a site" in bad.output
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    broken = cli("monitor", "--db", str(damaged))
    assert broken.exit_code == 1 and "is not a linkspider SQLite database" in broken.output


def test_a_monitor_crawl_that_cannot_run_is_exit_status_1(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("links", "add", "http://a.com/p/", TARGET, "--db", str(db)).exit_code == 0
    monkeypatch.setenv("LINKSPIDER_CRAWL_SETTINGS", "{not json")  # the crawl refuses to start
    result = cli("monitor", "--db", str(db))
    assert result.exit_code == 1 and "the monitor could not run (scrapy crawl monitor exited 2)" in result.output


def test_the_niche_profile_names_your_domain(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text('keywords = ["fitness"]\n'
                                     'domain = ["https://www.MySite.com/", "blog.mysite.org"]\n')
    assert load_niche("x", tmp_path).domains == ["mysite.com", "mysite.org"]
    (tmp_path / "y.toml").write_text('keywords = ["fitness"]\ndomain = "me@mysite.com"\n')
    with pytest.raises(NicheError, match="domain 'me@mysite.com': an email address"):
        load_niche("y", tmp_path)


def test_a_plan_can_monitor_links(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[[niche]]\nname = "fitness"\nspiders = ["seeds"]\n\n[monitor]\nrecheck_days = 30\n')
    steps = load_plan(plan)
    assert [(s.spider, s.job) for s in steps] == [("seeds", "fitness-seeds"), ("monitor", "monitor")]
    assert steps[1].settings == {"MONITOR_RECHECK_DAYS": 30}
    plan.write_text("[monitor]\nrecheck_days = \"monthly\"\n")
    with pytest.raises(PlanError, match="recheck_days must be a number of days"):
        load_plan(plan)


def test_recheck_days_leaves_recent_links_but_never_an_unsure_one(tmp_path: Path) -> None:
    with Store(tmp_path / "ls.db") as store:
        store.add_placed_links([placed_link_row(f"http://{d}.com/p/", TARGET, site=f"{d}.com",
                                                target_domain="mysite.com")
                                for d in ("new", "old", "recent", "unsure")])
        for name, when, status in (("old", "2026-10-01", "live"), ("recent", "2026-11-19", "live"),
                                   ("unsure", "2026-11-19", "unsure")):
            store.record_link_check({"link_id": f"http://{name}.com/p/|{TARGET}", "run_id": 1, "checked_at": when,
                                     "outcome": "ok", "status": status, "rel": "follow", "changes": "[]"})
        due = store.placed_links(checked_before="2026-11-01")
        assert [link["site"] for link in due] == ["new.com", "old.com", "unsure.com"]  # least recently checked first


def test_links_changes_since_a_date_lists_every_change_from_then(db: Path) -> None:
    link = f"http://a.com/p/|{TARGET}"
    with Store(db) as store:
        store.add_placed_links([placed_link_row("http://a.com/p/", TARGET, site="a.com", target_domain="mysite.com")])
        for run, when, kind in ((1, "2026-10-01T02:00:00.000+00:00", "nofollow"),
                                (2, "2026-11-21T02:00:00.000+00:00", "lost")):
            store.record_link_check({"link_id": link, "run_id": run, "checked_at": when, "outcome": "ok",
                                     "status": "live", "rel": "follow", "changes": json.dumps(
                                         [{"kind": kind, "before": "a", "after": "b", "detail": ""}])})
    since = cli("links", "--changes", "--since", "2026-11-01", "--json", "--db", str(db))
    assert since.exit_code == 0 and [c["kind"] for c in json.loads(since.output)] == ["lost"]
    everything = cli("links", "--since", "2026-09-01", "--db", str(db))
    assert everything.exit_code == 0 and everything.output.startswith("2 changes since ")
    assert cli("links", "--changes", "--since", "last tuesday", "--db", str(db)).exit_code == 2
