"""`linkspider ui` in a real browser, on the database `make demo` makes (a real crawl of the fake web).

A link builder's story: they run `make demo`, start `linkspider ui`, filter
the prospects to write-for-us sites, open one, mark it contacted with a note,
reload and find it kept — and `linkspider export` says the same. Around it:
a form posted without its CSRF token (or from another site) changes nothing,
a page title carrying a <script> is shown as text, --read-only changes
nothing, a busy database keeps what was typed, another address needs a
password. Chromium is the system's, driven by Playwright; every server is on
127.0.0.1 and stopped by its process.
"""

from __future__ import annotations

import base64
import json
import os
import re
import selectors
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest

from fakeweb.crawl import PROXY_VARS, ROOT, run_crawl
from linkspider.store.database import Store
from linkspider.ui import charts
from tests.hostile import HostileWeb, html

CHROMIUM = Path("/usr/bin/chromium")
SCRIPTED = "scripted-title.com"
PLANTED = "<script>window.pwned = 1</script> Lift heavy things"
NOTE = "pitched the kettlebell piece, follow up Friday"


def env(**extra: str) -> dict[str, str]:
    """The test's environment without proxies (the UI is reached directly on 127.0.0.1)."""
    clean = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != "LINKSPIDER_UI_PASSWORD"}
    return {**clean, "PYTHONPATH": str(ROOT), **extra}


class UiServer:
    """`linkspider ui --port 0` in a subprocess; ``url`` from the line it prints when listening."""

    def __init__(self, db: Path, *args: str, **extra_env: str) -> None:
        self.password = "LINKSPIDER_UI_PASSWORD" in extra_env
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "linkspider.cli", "ui", "--db", str(db), "--port", "0", *args],
            cwd=ROOT, env=env(LINKSPIDER_UI_WRITE_TIMEOUT="0.5", **extra_env), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        self.banner = self._read_banner(deadline=time.monotonic() + 60)
        self.url = re.search(r"http://127\.0\.0\.1:\d+/", self.banner)[0]  # type: ignore[index]

    def _read_banner(self, deadline: float) -> str:
        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if sel.select(timeout=0.5):
                    line = self.proc.stdout.readline()
                    if line.startswith("linkspider ui: "):
                        return line + (self.proc.stdout.readline() if self.password else "")
                    if not line and self.proc.poll() is not None:
                        break
        self.stop()
        raise AssertionError(f"linkspider ui did not start: {self.proc.stderr.read() if self.proc.stderr else ''}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


class Client:
    """A browser-less visitor with its own cookies (no proxy, redirects followed)."""

    def __init__(self, base: str, auth: str = "") -> None:
        self.base, self.auth = base, auth
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                                  urllib.request.HTTPCookieProcessor(CookieJar()))

    def request(self, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base.rstrip("/") + path, data=data, headers=headers or {})
        if self.auth:
            req.add_header("Authorization", "Basic " + base64.b64encode(self.auth.encode()).decode())
        try:
            with self.opener.open(req, timeout=30) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def token(self, path: str) -> str:
        status, page = self.request(path)
        assert status == 200, page[:500]
        return re.search(r'name="csrftoken" value="([^"]+)"', page)[1]  # type: ignore[index]


def site_row(db: Path, domain: str) -> tuple[str, str]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT status, notes FROM sites WHERE domain = ?", [domain]).fetchone()


def export(db: Path, *args: str) -> list[dict[str, Any]]:
    proc = subprocess.run([sys.executable, "-m", "linkspider.cli", "export", "--db", str(db), "--format", "jsonl",
                           *args], cwd=ROOT, env=env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `make demo` writes, plus one site whose title carries a <script>, crawled like any other."""
    folder = tmp_path_factory.mktemp("ui")
    db = folder / "demo.db"
    demo = subprocess.run([sys.executable, "-m", "fakeweb.demo", "--output", str(folder)], cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    web = HostileWeb()
    try:
        web.sites[SCRIPTED] = {"/": html("<h1>Lifting</h1><p>Strength training and fitness for beginners: "
                                         "workouts, running, kettlebells.</p>", title=PLANTED)}
        seeds = db.parent / "scripted.txt"
        seeds.write_text(f"http://{SCRIPTED}/\n")
        # The demo's database takes only the demo's crawls (LINKSPIDER_DEMO): this one joins them.
        crawl = run_crawl("seeds", web.url, db, "niche=fitness", f"seeds={seeds}", settings={"LINKSPIDER_DEMO": "True"})
        assert crawl.returncode == 0, crawl.log[-3000:]
    finally:
        web.stop()
    # Authority for every demo site from a Tranco-style list (rank,domain), as `authority import` reads it.
    with sqlite3.connect(db) as conn:
        domains = [d for (d,) in conn.execute("SELECT domain FROM sites ORDER BY domain")]
    tranco = db.parent / "tranco.csv"
    tranco.write_text("".join(f"{(i + 1) ** 3 * 97},{d}\n" for i, d in enumerate(domains)))
    imported = subprocess.run([sys.executable, "-m", "linkspider.cli", "authority", "import", str(tranco), "--db",
                               str(db), "--date", "2026-11-20"], cwd=ROOT, env=env(), capture_output=True, text=True,
                              timeout=60)
    assert imported.returncode == 0, imported.stderr
    return db


@pytest.fixture(scope="module")
def ui(demo_db: Path) -> Iterator[UiServer]:
    server = UiServer(demo_db)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (installed by .ci/run)")
def test_work_the_list_in_the_browser(ui: UiServer, demo_db: Path) -> None:
    from playwright.sync_api import sync_playwright

    from linkspider.crawl.rendering import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.set_default_timeout(20_000)
            page.goto(ui.url)
            assert page.locator("svg.linkspider-chart").count() == 3  # funnel, per crawl, score spread
            page.get_by_role("link", name="All prospects").click()

            # Filter by signal: the write_for_us facet.
            page.locator(".facet-info a", has_text="write_for_us").first.click()
            page.wait_for_url(re.compile(r"signals__arraycontains=write_for_us"))
            with sqlite3.connect(demo_db) as conn:
                expected = conn.execute("SELECT count(DISTINCT domain) FROM signals WHERE kind = 'write_for_us'"
                                        ).fetchone()[0]
            assert expected >= 5
            assert page.locator("table.rows-and-columns tbody tr").count() == min(expected, 50)
            assert page.locator("th", has_text="rowid").count() == 0
            assert page.locator("td.col-authority").first.inner_text().strip().isdigit()
            page.screenshot(path=str(ROOT / "docs" / "ui.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": 1280, "height": 1250})

            # Open the best one, mark it contacted with a note.
            first = page.locator("table.rows-and-columns tbody tr td.col-domain a").first
            domain = first.inner_text()
            first.click()
            page.wait_for_url(re.compile(rf"/-/site/{re.escape(domain)}$"))
            assert page.locator(".ls-contacts").count() == 1 and "write_for_us" in page.content()
            with sqlite3.connect(demo_db) as conn:
                authority, rank = conn.execute("SELECT authority, authority_rank FROM sites WHERE domain = ?",
                                               [domain]).fetchone()
            assert f"authority {authority} (tranco, 2026-11-20, rank {rank:,})" in \
                " ".join(page.locator(".ls-figures").inner_text().split())
            page.select_option("select[name=status]", "contacted")
            page.fill("textarea[name=note]", NOTE)
            page.get_by_role("button", name="Save").click()
            page.wait_for_url(re.compile(rf"/-/site/{re.escape(domain)}$"))
            assert f"{domain}: contacted" in page.locator(".message-info").inner_text()
            page.reload()
            assert page.locator("select[name=status]").input_value() == "contacted"
            assert page.locator("textarea[name=note]").input_value() == NOTE

            # The database and `linkspider export` agree.
            assert site_row(demo_db, domain) == ("contacted", NOTE)
            exported = {r["domain"]: r for r in export(demo_db, "--status", "contacted")}
            assert exported[domain]["status"] == "contacted" and exported[domain]["notes"] == NOTE
            assert domain not in {r["domain"] for r in export(demo_db)}  # contacted: out of the default list

            # A POST without the form's CSRF token, with the browser's cookies: refused, nothing changed.
            forged = page.request.post(f"{ui.url}-/site/{domain}/outreach", form={"status": "won", "note": "x"})
            assert forged.status == 403
            assert site_row(demo_db, domain) == ("contacted", NOTE)

            # A page title with a <script> is shown as text and never runs.
            page.goto(f"{ui.url}-/site/{SCRIPTED}")
            assert PLANTED in page.locator("td.ls-page-title").first.inner_text()
            page.goto(f"{ui.url}linkspider/prospects?_search=lift")
            assert page.locator("td.col-title", has_text="<script>").count() == 1
            assert page.evaluate("window.pwned") is None
        finally:
            browser.close()


def test_a_form_posted_from_another_site_changes_nothing(ui: UiServer, demo_db: Path) -> None:
    """Cross-site forms arrive without cookies (SameSite) or with a foreign Origin: both refused."""
    before = site_row(demo_db, "ironandoats.com")
    status, body = Client(ui.url).request("/-/site/ironandoats.com/outreach", {"status": "won", "note": "forged"})
    assert status == 403 and "no CSRF token" in body
    visitor = Client(ui.url)
    token = visitor.token("/-/site/ironandoats.com")
    status, body = visitor.request("/-/site/ironandoats.com/outreach",
                                   {"csrftoken": token, "status": "won", "note": "forged"},
                                   headers={"Origin": "http://evil.example"})
    assert status == 403 and "another site" in body
    assert site_row(demo_db, "ironandoats.com") == before


def test_do_not_contact_from_the_site_page_is_the_store_list(ui: UiServer, demo_db: Path) -> None:
    visitor = Client(ui.url)
    token = visitor.token("/-/site/musclecoach.com")
    status, page = visitor.request("/-/site/musclecoach.com/dnc", {"csrftoken": token, "value": "musclecoach.com",
                                                                  "action": "add", "dnc_note": "asked us not to"})
    assert status == 200 and "musclecoach.com added to the do-not-contact list" in page
    with Store(demo_db, reading=True) as store:
        assert {"value": "musclecoach.com", "niche": "", "note": "asked us not to"}.items() <= \
            next(r for r in store.do_not_contact() if r["value"] == "musclecoach.com").items()
    assert "musclecoach.com" not in {r["domain"] for r in export(demo_db)}
    status, page = visitor.request("/-/site/musclecoach.com/dnc", {"csrftoken": token, "value": "someone@else.com"})
    assert status == 400 and "neither musclecoach.com nor one of its email addresses" in page
    visitor.request("/-/site/musclecoach.com/dnc", {"csrftoken": token, "value": "musclecoach.com",
                                                    "action": "remove"})
    assert "musclecoach.com" in {r["domain"] for r in export(demo_db)}


def test_a_busy_database_keeps_what_was_typed_and_says_so(ui: UiServer, demo_db: Path) -> None:
    visitor = Client(ui.url)
    token = visitor.token("/-/site/repclub.com.au")
    before = site_row(demo_db, "repclub.com.au")
    crawl = sqlite3.connect(demo_db, timeout=1)
    try:
        crawl.execute("BEGIN IMMEDIATE")  # a crawl's write transaction, held
        status, page = visitor.request("/-/site/repclub.com.au/outreach",
                                       {"csrftoken": token, "status": "replied", "note": "they answered!"})
    finally:
        crawl.rollback()
        crawl.close()
    assert status == 503 and "The database is busy" in page
    assert "they answered!</textarea>" in page and '<option value="replied" selected>' in page
    assert site_row(demo_db, "repclub.com.au") == before
    status, page = visitor.request("/-/site/repclub.com.au/outreach",
                                   {"csrftoken": token, "status": "replied", "note": "they answered!"})
    assert status == 200 and site_row(demo_db, "repclub.com.au") == ("replied", "they answered!")


def test_full_text_search_finds_emails_and_stays_in_sync(ui: UiServer, demo_db: Path) -> None:
    visitor = Client(ui.url)
    status, body = visitor.request("/linkspider/prospects.json?_search=editor%40ironandoats.com&_shape=objects")
    assert status == 200 and [r["domain"] for r in json.loads(body)["rows"]] == ["ironandoats.com"]
    with Store(demo_db) as store:  # a later crawl finds a new address: search finds it at once
        from linkspider.items import PageItem

        store.write_pages([PageItem(url="http://www.kettleclub.com/team/", domain="kettleclub.com", niche="fitness",
                                    status=200, facts={"title": "Team", "emails": ["zoe.quill@kettleclub.com"],
                                                       "email_details": []})])
    status, body = visitor.request("/linkspider/prospects.json?_search=quill&_shape=objects")
    assert [r["domain"] for r in json.loads(body)["rows"]] == ["kettleclub.com"]


def test_only_this_machines_names_are_answered(ui: UiServer) -> None:
    status, body = Client(ui.url).request("/", headers={"Host": "rebound.evil.example"})
    assert status == 421 and "only answers to this machine's own names" in body


def test_read_only_shows_everything_and_changes_nothing(demo_db: Path) -> None:
    server = UiServer(demo_db, "--read-only")
    try:
        assert "read-only" in server.banner
        visitor = Client(server.url)
        status, page = visitor.request("/-/site/ironandoats.com")
        assert status == 200 and 'name="status"' not in page and "read-only" in page
        before = site_row(demo_db, "ironandoats.com")
        status, body = visitor.request("/-/site/ironandoats.com/outreach", {"status": "won"})
        assert status == 403 and "--read-only" in body
        assert site_row(demo_db, "ironandoats.com") == before
    finally:
        server.stop()


def test_another_address_needs_a_password(demo_db: Path) -> None:
    refused = subprocess.run([sys.executable, "-m", "linkspider.cli", "ui", "--db", str(demo_db), "--host", "0.0.0.0",
                              "--port", "0"], cwd=ROOT, env=env(), capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2
    assert "--host 0.0.0.0 would show your prospects and outreach controls to other machines: give --password" \
        in refused.stderr

    server = UiServer(demo_db, LINKSPIDER_UI_PASSWORD="correct horse battery")  # not on the command line: ps
    try:
        assert "password required (HTTP basic auth)" in server.banner and "not encrypted" in server.banner
        assert Client(server.url).request("/")[0] == 401
        assert Client(server.url, auth="anyone:wrong").request("/")[0] == 401
        assert Client(server.url, auth="me:correct horse battery").request("/")[0] == 200
        status, meta = Client(server.url, auth="me:correct horse battery").request("/-/metadata.json")
        assert "correct horse battery" not in meta
    finally:
        server.stop()


def test_charts_are_svg_with_every_label_escaped() -> None:
    svg = charts.funnel([{"niche": "<b>fit</b>", "status": "new", "sites": 7},
                         {"niche": "<b>fit</b>", "status": "won", "sites": 2}])
    assert svg.startswith("<svg") and "&lt;b&gt;fit&lt;/b&gt;" in svg and "<b>" not in svg
    assert "<title>&lt;b&gt;fit&lt;/b&gt;: 7 new</title>" in svg and ">9</text>" in svg
    histogram = charts.score_histogram([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert histogram.count("<rect") == 10 and "90-100" in histogram
    runs = charts.found_per_run([{"id": 1, "spider": "<seeds>", "niche": "fitness",
                                  "started": "2026-11-20T02:00:00", "new_sites": 12}])
    assert "11-20 &lt;seeds&gt;" in runs and ">12</text>" in runs
