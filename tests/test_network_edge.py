"""robots.txt as RFC 9309 says, Crawl-delay, and no SSRF through DNS rebinding: real crawls on 127.0.0.1.

Each test runs a real ``scrapy crawl seeds`` through ``tests.hostile.HostileWeb``
(a forward proxy on 127.0.0.1 that refuses CONNECT, so every https attempt
fails like on a site without TLS) and checks what the sites received and what
the database kept. The DNS test crawls with no proxy at all, against a
resolver that plays a hostile DNS server, and counts hits on a canary
listener.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakeweb.crawl import FAST, PROXY_VARS, ROOT, run_crawl
from tests.hostile import Canary, HostileWeb, html, raw, redirect, robots

GOOD = "www.robots-good.com"
R500 = "www.robots-500.com"
FLAKY = "www.robots-flaky.com"
STALL = "www.robots-stall.com"
MOVED = "robots-moved.com"  # bare domain: its robots.txt and pages redirect to www.
MOVED_WWW = "www.robots-moved.com"
R404 = "www.robots-404.com"
BINARY = "www.robots-binary.com"
HUGE = "www.robots-huge.com"
UA = "www.robots-useragent.com"
PLAIN = "plainhttp-robots.com"  # seeded as a bare domain, no scheme: https fails, http is the site
DELAY = "www.robots-delay.com"
GREEDY = "www.robots-greedy.com"

SETTINGS = {"ROBOTS_RETRY_DELAY": "0.5", "DOWNLOAD_TIMEOUT": "2", "RENDER": "never",
            "LINKSPIDER_TODAY": "2026-11-25"}


def walkable(host: str, email: str, extra_links: str = "", **pages: Any) -> dict[str, Any]:
    """A small site: a home page linking to a contact page (with ``email``) and ``extra_links``."""
    return {
        "/": html(f'<h1>{host}</h1><p>Strength training notes.</p><a href="/contact/">Contact</a>{extra_links}',
                  host),
        "/contact/": html(f"<h1>Contact</h1><p>Write to {email}</p>", "Contact"),
        **pages,
    }


class Flaky:
    """robots.txt that answers 503 the first time, then the rules (a server busy for a moment)."""

    def __init__(self, rules: str) -> None:
        self.rules, self.calls = rules, 0

    def __call__(self, handler: Any) -> None:
        self.calls += 1
        status, body = (503, b"busy") if self.calls == 1 else (200, self.rules.encode())
        handler.send_response(status)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(body)


def build(web: HostileWeb) -> None:
    private = '<a href="/private/">Private</a>'
    web.sites[GOOD] = walkable(GOOD, "editor@robots-good.com")
    web.sites[R500] = {**walkable(R500, "hidden@robots-500.com"), "/robots.txt": raw(b"oops", "text/html", 500)}
    web.sites[FLAKY] = {**walkable(FLAKY, "hello@robots-flaky.com", private,
                                   **{"/private/": html("<p>secret@robots-flaky.com</p>")}),
                        "/robots.txt": Flaky("User-agent: *\nDisallow: /private/\n")}
    web.sites[STALL] = {**walkable(STALL, "hidden@robots-stall.com"), "/robots.txt": web.stall(8)}
    web.sites[MOVED] = {"/robots.txt": redirect(f"http://{MOVED_WWW}/robots.txt", 301),
                        "/": redirect(f"http://{MOVED_WWW}/", 301)}
    web.sites[MOVED_WWW] = {**walkable(MOVED_WWW, "hello@robots-moved.com", private,
                                       **{"/private/": html("<p>secret@robots-moved.com</p>")}),
                            "/robots.txt": robots("User-agent: *\nDisallow: /private/\n")}
    web.sites[R404] = {**walkable(R404, "hello@robots-404.com", private,
                                  **{"/private/": html("<p>open@robots-404.com</p>")}),
                       "/robots.txt": raw(b"<h1>Not here</h1>", "text/html", 404)}
    web.sites[BINARY] = {**walkable(BINARY, "hello@robots-binary.com", private,
                                    **{"/private/": html("<p>open@robots-binary.com</p>")}),
                         "/robots.txt": raw(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8 + b"Disallow: /private/",
                                            "image/png")}
    filler = b"# " + b"x" * 1000 + b"\n"
    huge_rules = (b"User-agent: *\nDisallow: /early/\n" + filler * 600 + b"Disallow: /late/\n")
    web.sites[HUGE] = {**walkable(HUGE, "hello@robots-huge.com", '<a href="/early/">Early</a><a href="/late/">Late</a>',
                                  **{"/early/": html("<p>early@robots-huge.com</p>"),
                                     "/late/": html("<p>late@robots-huge.com</p>")}),
                       "/robots.txt": raw(huge_rules, "text/plain")}
    web.sites[UA] = {**walkable(UA, "hello@robots-useragent.com", '<a href="/not-for-linkspider/">X</a>',
                                **{"/not-for-linkspider/": html("<p>no@robots-useragent.com</p>")}),
                     "/robots.txt": robots("User-agent: *\nDisallow: /\n\n"
                                           "User-agent: LinkSpider\nDisallow: /not-for-linkspider/\n")}
    web.sites[PLAIN] = {**walkable(PLAIN, "hello@plainhttp-robots.com", private,
                                   **{"/private/": html("<p>secret@plainhttp-robots.com</p>")}),
                        "/robots.txt": robots("User-agent: *\nDisallow: /private/\n")}
    named = ("about", "write-for-us", "advertise", "resources")
    pages = "".join(f'<a href="/{name}/">{name.replace("-", " ").title()}</a>' for name in named)
    web.sites[DELAY] = {**walkable(DELAY, "hello@robots-delay.com", pages,
                                   **{f"/{name}/": html(f"<p>{name}</p>") for name in named}),
                        "/robots.txt": robots("User-agent: *\nCrawl-delay: 2\n")}
    web.sites[GREEDY] = {**walkable(GREEDY, "hello@robots-greedy.com", pages,
                                    **{f"/{name}/": html(f"<p>{name}</p>") for name in named}),
                         "/robots.txt": robots("User-agent: *\nRequest-rate: 1/60\n")}


@pytest.fixture(scope="module")
def web() -> Iterator[HostileWeb]:
    server = HostileWeb()
    build(server)
    try:
        yield server
    finally:
        server.stop()


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def emails(db: Path) -> set[str]:
    return {v for (v,) in rows(db, "SELECT value FROM contacts WHERE kind = 'email'")}


def seeds_crawl(web: HostileWeb, folder: Path, lines: list[str], **settings: str) -> tuple[str, Path]:
    seeds = folder / "seeds.txt"
    seeds.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "linkspider.db"
    result = run_crawl("seeds", web.url, db, "niche=fitness", f"seeds={seeds}",
                       settings={**SETTINGS, **settings}, timeout=120)
    assert result.returncode == 0, result.log[-4000:]
    assert "Traceback" not in result.log, result.log[-6000:]
    return result.log, db


@pytest.fixture(scope="module")
def outcomes(web: HostileWeb, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    hosts = [GOOD, R500, FLAKY, STALL, R404, BINARY, HUGE, UA]
    lines = [f"http://{h}/" for h in hosts] + [f"http://{MOVED}/", PLAIN]
    return seeds_crawl(web, tmp_path_factory.mktemp("robots"), lines)


def page_paths(web: HostileWeb, host: str) -> list[str]:
    return [p for p in web.paths(host) if p != "/robots.txt"]


def test_server_errors_disallow_the_whole_origin_after_one_retry(web: HostileWeb, outcomes: tuple[str, Path]) -> None:
    log, db = outcomes
    assert web.paths(R500) == ["/robots.txt", "/robots.txt"]  # asked, then once more after the pause
    assert "hidden@robots-500.com" not in emails(db)
    assert rows(db, "SELECT error FROM pages WHERE url = ?", f"http://{R500}/") == \
        [("robots.txt unreachable (HTTP 500)",)]
    assert "editor@robots-good.com" in emails(db)  # one closed site costs the others nothing


def test_a_robots_txt_that_times_out_disallows_the_origin(web: HostileWeb, outcomes: tuple[str, Path]) -> None:
    _, db = outcomes
    assert web.paths(STALL) == ["/robots.txt", "/robots.txt"]
    (error,), = rows(db, "SELECT error FROM pages WHERE url = ?", f"http://{STALL}/")
    assert error.startswith("robots.txt unreachable (") and "Timeout" in error, error
    assert "hidden@robots-stall.com" not in emails(db)


def test_a_server_busy_for_a_moment_is_walked_after_the_retry(web: HostileWeb, outcomes: tuple[str, Path]) -> None:
    log, db = outcomes
    assert web.paths(FLAKY).count("/robots.txt") == 2
    assert "hello@robots-flaky.com" in emails(db)
    assert "/private/" not in web.paths(FLAKY) and "secret@robots-flaky.com" not in emails(db)
    assert "'linkspider/robots/retried': 3" in log  # flaky, 500 and the stalled one


def test_robots_txt_of_the_origin_really_crawled_after_redirects_and_http_fallback(
        web: HostileWeb, outcomes: tuple[str, Path]) -> None:
    """A bare-domain seed without scheme: https fails (CONNECT refused), the http origin's robots.txt
    is fetched before any of its pages and obeyed; a bare domain redirecting to www. has www.'s rules."""
    _, db = outcomes
    assert "CONNECT" in web.paths(PLAIN)  # https was tried first
    plain = web.paths(PLAIN)
    assert plain.index("/robots.txt") < plain.index("/")
    assert "/private/" not in plain and "secret@plainhttp-robots.com" not in emails(db)
    assert "hello@plainhttp-robots.com" in emails(db)
    assert "/robots.txt" in web.paths(MOVED) and "/robots.txt" in web.paths(MOVED_WWW)
    assert "/private/" not in web.paths(MOVED_WWW) and "secret@robots-moved.com" not in emails(db)
    assert "hello@robots-moved.com" in emails(db)


def test_no_rules_when_robots_txt_is_missing_or_not_text(web: HostileWeb, outcomes: tuple[str, Path]) -> None:
    _, db = outcomes
    for host, email in ((R404, "open@robots-404.com"), (BINARY, "open@robots-binary.com")):
        assert "/private/" in web.paths(host), host
        assert email in emails(db)


def test_only_the_first_500_kib_of_robots_txt_are_read(web: HostileWeb, outcomes: tuple[str, Path]) -> None:
    _, db = outcomes
    assert "/early/" not in web.paths(HUGE) and "early@robots-huge.com" not in emails(db)
    assert "/late/" in web.paths(HUGE) and "late@robots-huge.com" in emails(db)


def test_our_own_user_agent_group_is_the_one_obeyed(web: HostileWeb, outcomes: tuple[str, Path]) -> None:
    _, db = outcomes
    assert "/" in web.paths(UA) and "hello@robots-useragent.com" in emails(db)
    assert "/not-for-linkspider/" not in web.paths(UA)


def test_robots_txt_is_fetched_once_per_origin(web: HostileWeb, outcomes: tuple[str, Path]) -> None:
    for host in (GOOD, R404, BINARY, HUGE, UA, MOVED_WWW, PLAIN):
        assert web.paths(host).count("/robots.txt") == 1, host


def gaps(web: HostileWeb, host: str) -> list[float]:
    """Seconds between one site's page requests (robots.txt and what a browser asks by itself left out)."""
    times = [h.at for h in web.hits if h.host == host and h.path in web.sites[host] and h.path != "/robots.txt"]
    return [b - a for a, b in zip(times, times[1:])]


def test_crawl_delay_spaces_a_sites_requests_and_a_greedy_one_gets_few_pages(
        web: HostileWeb, tmp_path: Path) -> None:
    log, db = seeds_crawl(web, tmp_path, [f"http://{DELAY}/", f"http://{GREEDY}/"],
                          ROBOTS_MAX_CRAWL_DELAY="2.5", ROBOTS_SLOW_SITE_PAGES="2")
    delay_gaps = gaps(web, DELAY)
    assert len(delay_gaps) >= 4, web.paths(DELAY)  # home, contact and posts: a handful of requests
    assert min(delay_gaps) >= 1.9, delay_gaps  # Crawl-delay: 2 (server-side clocks: a little slack)
    # Request-rate 1/60 is more than ROBOTS_MAX_CRAWL_DELAY (2.5 s here): two pages, 2.5 s apart, and it says so.
    assert len(page_paths(web, GREEDY)) == 2 and min(gaps(web, GREEDY)) >= 2.4
    assert f"robots.txt of http://{GREEDY} asks for 60 s between requests" in log
    assert "hello@robots-delay.com" in emails(db)


def find_browser() -> str | None:
    from linkspider.crawl.rendering import find_browser as find

    return find()


@pytest.mark.skipif(find_browser() is None, reason="no Chromium on this machine (.ci/run installs it)")
def test_pages_rendered_in_the_browser_obey_the_same_verdict_and_delay(web: HostileWeb, tmp_path: Path) -> None:
    host = "www.robots-rendered.com"
    web.sites[host] = {**walkable(host, "hello@robots-rendered.com", '<a href="/private/">P</a><a href="/about/">About</a>',
                                  **{"/private/": html("<p>secret@robots-rendered.com</p>"),
                                     "/about/": html("<p>About us</p>")}),
                       "/robots.txt": robots("User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n")}
    log, db = seeds_crawl(web, tmp_path, [f"http://{host}/"], RENDER="always")
    assert "'linkspider/render/rendered'" in log, log[-3000:]
    assert "/private/" not in web.paths(host) and "secret@robots-rendered.com" not in emails(db)
    assert "hello@robots-rendered.com" in emails(db)
    # Scrapy spaces the requests it hands to the browser; the first one's gap as the server sees it also
    # holds the browser's start-up, so the pacing is judged on the ones after it.
    assert len(gaps(web, host)) >= 2 and min(gaps(web, host)[1:]) >= 0.9, gaps(web, host)


def direct_crawl(folder: Path, seed: str, **settings: str) -> str:
    """A crawl with no proxy at all: names are resolved here, by tests.hostile.RebindingResolver."""
    folder.mkdir(exist_ok=True)
    seeds = folder / "seeds.txt"
    seeds.write_text(seed + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(PYTHONPATH=str(ROOT), LINKSPIDER_DB=str(folder / "x.db"),
               LINKSPIDER_TEST_REBIND="www.rebind-canary.com,www.page-host.com")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", "niche=fitness", "-a", f"seeds={seeds}"]
    for name, value in {**FAST, **SETTINGS, "TWISTED_DNS_RESOLVER": "tests.hostile.RebindingResolver",
                        "RETRY_ENABLED": "False", **settings}.items():
        cmd += ["-s", f"{name}={value}"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stderr + proc.stdout


def test_a_name_that_resolves_to_loopback_at_connection_time_is_never_reached(tmp_path: Path) -> None:
    """DNS rebinding: the name is unknown to the guard's first look and answers 127.0.0.1 when the
    crawl connects. The connection's own lookup is checked: the canary listener gets nothing."""
    canary = Canary()
    try:
        seed = f"http://www.rebind-canary.com:{canary.port}/"
        log = direct_crawl(tmp_path / "guarded", seed)
        assert canary.hits == [], log[-3000:]
        assert "www.rebind-canary.com resolves to 127.0.0.1, a loopback address" in log
        # The control: the same crawl allowed to reach private addresses does reach the listener.
        direct_crawl(tmp_path / "open", seed, LINKSPIDER_ALLOW_PRIVATE="True")
        assert "/robots.txt" in canary.hits and "/" in canary.hits
    finally:
        canary.stop()


@pytest.mark.skipif(find_browser() is None, reason="no Chromium on this machine (.ci/run installs it)")
def test_the_browser_cannot_be_rebound_to_loopback_either(tmp_path: Path) -> None:
    """A rendered page asks for a script on a name that, for the browser's DNS, is 127.0.0.1 (the
    host-resolver rule plays that DNS server). With no proxy configured, Chromium's requests go through
    the crawl's own checked path: the page renders, the canary gets nothing. The control, with
    LINKSPIDER_ALLOW_PRIVATE, shows the browser would have reached it."""
    from linkspider.crawl.rendering import CHROMIUM_ARGS

    canary, site = Canary(), Canary()
    try:
        page = (f'<html><head><title>Team</title><script src="http://www.rebind-canary.com:{canary.port}/x.js">'
                f'</script></head><body><h1>Our team</h1><p>Write to team@page-host.com</p></body></html>')
        site.pages["/"] = page
        seed = f"http://www.page-host.com:{site.port}/"
        launch = {"args": [*CHROMIUM_ARGS, "--host-resolver-rules=MAP www.rebind-canary.com 127.0.0.1, MAP www.page-host.com 127.0.0.1"]}
        common = {"RENDER": "always", "LINKSPIDER_ALLOWED_HOSTS": f"www.page-host.com:{site.port}",
                  "PLAYWRIGHT_LAUNCH_OPTIONS": json.dumps(launch)}
        log = direct_crawl(tmp_path / "guarded", seed, **common)
        assert "'linkspider/render/rendered'" in log and "/" in site.hits, log[-3000:]
        assert canary.hits == [], log[-3000:]
        direct_crawl(tmp_path / "open", seed, **common, LINKSPIDER_ALLOW_PRIVATE="True")
        assert "/x.js" in canary.hits
    finally:
        canary.stop()
        site.stop()


def test_extract_url_started_outside_the_project_has_every_guard(web: HostileWeb, tmp_path: Path) -> None:
    """`linkspider extract URL` from another folder (no scrapy.cfg there): linkspider's User-Agent,
    robots.txt first, and the SSRF guard for literals, local names and redirects into loopback."""
    canary = Canary()
    try:
        web.sites["www.extract-good.com"] = {"/": html("<p>Write to hello@extract-good.com</p>", "Good"),
                                             "/robots.txt": robots("User-agent: *\nDisallow: /private/\n")}
        web.sites["www.extract-redirect.com"] = {"/": redirect(f"http://127.0.0.1:{canary.port}/")}
        env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != "SCRAPY_SETTINGS_MODULE"}
        env.update(PYTHONPATH=str(ROOT), http_proxy=web.url)

        def extract(url: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "linkspider.cli", "extract", url], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=60)

        good = extract("http://www.extract-good.com/")
        assert good.returncode == 0, good.stderr[-2000:]
        assert "hello@extract-good.com" in json.loads(good.stdout)["emails"]
        hits = [h for h in web.hits if h.host == "www.extract-good.com"]
        assert [h.path for h in hits] == ["/robots.txt", "/"]
        assert hits[1].headers["User-Agent"].startswith("linkspider/")
        assert extract("http://www.extract-good.com/private/").returncode != 0  # robots.txt obeyed
        for url in (f"http://127.0.0.1:{canary.port}/", f"http://localhost:{canary.port}/",
                    "http://www.extract-redirect.com/"):
            refused = extract(url)
            assert refused.returncode != 0 and "Traceback" not in refused.stderr, refused.stderr[-2000:]
        assert canary.hits == []
    finally:
        canary.stop()
