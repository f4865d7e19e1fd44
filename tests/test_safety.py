"""Safety: the SSRF guard, crawler traps, size/type limits and the per-site request cap.

Unit tests drive the middlewares directly; the end-to-end tests run real
`scrapy crawl` / `scrapy runspider` subprocesses against servers this module
starts on 127.0.0.1 and proves with a hit counter that a refused request never
reaches a listener, while LINKSPIDER_ALLOW_PRIVATE=True (or an allowed host)
does reach it.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Headers
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager

from fakeweb.crawl import PROXY_VARS, ROOT, run_crawl
from linkspider.crawl.middlewares.limits import (
    NonHtmlStopMiddleware,
    SiteRequestCapMiddleware,
    has_ignored_extension,
    non_html_type,
)
from linkspider.crawl.middlewares.ssrf import (
    RequestRefused,
    SSRFGuardMiddleware,
    parse_ip,
    refusal_for_addresses,
    static_refusal,
)
from linkspider.crawl.rendering import browser_abort_request
from linkspider.crawl.traps import TrapFilter, is_trap_url
from tests.crawler_support import project_settings
from tests.hostile import Canary, HostileWeb

DOWNLOADER_MWS = {
    "linkspider.crawl.middlewares.ssrf.SSRFGuardMiddleware": 60,
    "linkspider.crawl.middlewares.limits.SiteRequestCapMiddleware": 110,
    "linkspider.crawl.middlewares.limits.NonHtmlStopMiddleware": 120,
}
WIRED = {"DOWNLOADER_MIDDLEWARES": json.dumps(DOWNLOADER_MWS), "RENDER": "never", "URLLENGTH_LIMIT": "1024"}


# ====================================================================== unit: SSRF
@pytest.mark.parametrize(("url", "reason"), [
    ("http://10.0.0.5/x", "private"),
    ("http://172.16.3.4/", "private"),
    ("http://192.168.1.1./", "private"),
    ("http://127.0.0.1:8080/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://2130706433:6800/schedule.json", "loopback"),
    ("http://0x7f.1/", "loopback"),
    ("http://0x7f000001/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://[::1]:8000/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:a00:5]/", "private"),
    ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 wrapping 127.0.0.1
    ("http://[64:ff9b::a9fe:a9fe]/", "metadata"),  # NAT64 wrapping 169.254.169.254
    ("http://user@127.0.0.1/", "loopback"),
    ("http://www.example.com@10.1.1.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[fd00:ec2::254]/", "metadata"),
    ("http://100.100.100.200/latest/", "metadata"),
    ("http://168.63.129.16/", "metadata"),
    ("http://metadata.google.internal/computeMetadata/v1/", "metadata"),
    ("http://metadata/", "metadata"),
    ("http://169.254.1.1/", "link_local"),
    ("http://[fe80::1]/", "link_local"),
    ("http://[fc00::1]/", "unique_local"),
    ("http://[fd12:3456::1]/", "unique_local"),
    ("http://224.0.0.251/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://100.64.0.1/", "shared"),
    ("http://localhost:6800/", "local_name"),
    ("http://LOCALHOST./", "local_name"),
    ("http://admin.localhost/", "local_name"),
    ("http://printer.local/", "local_name"),
    ("http://db.corp.internal/", "local_name"),
    ("file:///etc/passwd", "scheme"),
    ("ftp://ftp.example.com/", "scheme"),
    ("s3://bucket/key", "scheme"),
    ("http://8.8.8.8/", None),
    ("http://1.2.3/", None),  # inet_aton: 1.2.0.3, a public address
    ("http://[2606:4700:4700::1111]/", None),
    ("https://www.ironpulse.com/contact/", None),
    ("http://fitness-blog.example/", None),
    ("data:text/html,hi", None),
])
def test_static_refusals(url: str, reason: str | None) -> None:
    refusal = static_refusal(url)
    assert (refusal.reason if refusal else None) == reason, refusal


def test_refusal_messages_name_the_address() -> None:
    assert static_refusal("http://10.0.0.5/x").detail == "10.0.0.5 is a private address"  # type: ignore[union-attr]
    assert static_refusal("http://2130706433/").detail == "2130706433 (127.0.0.1) is a loopback address"  # type: ignore[union-attr]
    assert str(parse_ip("0x7f.0.0.1")) == "127.0.0.1"
    assert parse_ip("www.example.com") is None and parse_ip("123abc") is None
    assert refusal_for_addresses("evil.test", ["93.184.216.34", "10.0.0.7"]).reason == "dns_private"  # type: ignore[union-attr]
    assert refusal_for_addresses("ok.test", ["93.184.216.34", "2606:2800:220:1::1"]) is None
    assert static_refusal("http://0.0.0.0/").detail == "0.0.0.0 is an unspecified address"  # type: ignore[union-attr]
    assert static_refusal("http://[fc00::1]/").detail == "fc00::1 is a unique-local address"  # type: ignore[union-attr]


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value


def fake_crawler(**settings: Any) -> Any:
    return SimpleNamespace(settings=Settings(project_settings(**settings)), stats=Stats(), signals=SignalManager())


def run(coro: Any) -> Any:
    """Drive a coroutine that must finish without waiting (no reactor in unit tests)."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    coro.close()
    raise AssertionError("the coroutine waited for something")


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS + ("SEARXNG_URL", "BRAVE_API_URL", "GOOGLE_CSE_URL", "DUCKDUCKGO_URL"):
        monkeypatch.delenv(name, raising=False)


def guard(**settings: Any) -> SSRFGuardMiddleware:
    return SSRFGuardMiddleware(fake_crawler(**settings))


def test_guard_refuses_with_ignore_request_logs_once_per_host_and_counts(
        no_proxy_env: None, caplog: pytest.LogCaptureFixture) -> None:
    mw = guard()
    with caplog.at_level("DEBUG", logger="linkspider.crawl.middlewares.ssrf"):
        for path in ("/a", "/b"):
            with pytest.raises(IgnoreRequest) as info:
                run(mw.process_request(Request(f"http://10.0.0.5{path}")))
            assert isinstance(info.value, RequestRefused) and info.value.reason == "private"
        with pytest.raises(RequestRefused):
            run(mw.process_request(Request("http://169.254.169.254/latest/meta-data/")))
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        "refusing http://10.0.0.5/a: 10.0.0.5 is a private address (set LINKSPIDER_ALLOW_PRIVATE=True to allow)",
        "refusing http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a cloud metadata address "
        "(set LINKSPIDER_ALLOW_PRIVATE=True to allow)",
    ]
    assert mw.stats.values == {"linkspider/ssrf/refused": 3, "linkspider/ssrf/refused/private": 2,
                               "linkspider/ssrf/refused/metadata": 1}


def test_guard_lets_public_literals_and_allowed_hosts_through(no_proxy_env: None) -> None:
    mw = guard(LINKSPIDER_ALLOWED_HOSTS=["127.0.0.1:8888", "nas.local", "10.20.0.0/16"])
    for url in ("http://8.8.8.8/", "http://127.0.0.1:8888/x", "http://2130706433:8888/", "http://nas.local/",
                "http://10.20.3.4/", "data:text/plain,x"):
        assert run(mw.process_request(Request(url))) is None, url
    for url in ("http://127.0.0.1:8889/", "http://10.21.0.1/"):
        with pytest.raises(RequestRefused):
            run(mw.process_request(Request(url)))
    # robots.txt requests pass the downloader middlewares too.
    with pytest.raises(RequestRefused):
        run(mw.process_request(Request("http://10.0.0.5/robots.txt", meta={"dont_obey_robotstxt": True})))
    # Everything is allowed with LINKSPIDER_ALLOW_PRIVATE.
    assert run(guard(LINKSPIDER_ALLOW_PRIVATE=True).process_request(Request("http://127.0.0.1/"))) is None


def test_configured_search_endpoints_are_allowed_but_not_for_prospect_pages(
        no_proxy_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    mw = guard(SEARXNG_URL="http://127.0.0.1:8888/", DUCKDUCKGO_URL="http://localhost:9003",
               BRAVE_API_URL="http://127.0.0.1:9001")
    for url in ("http://127.0.0.1:8888/search?q=x&format=json", "http://127.0.0.1:8888/robots.txt",
                "http://127.0.0.1:9001/res/v1/web/search?q=x", "http://localhost:9003/html/"):
        assert run(mw.process_request(Request(url))) is None, url
    with pytest.raises(RequestRefused):  # another port of the same host
        run(mw.process_request(Request("http://127.0.0.1:6800/")))
    with pytest.raises(RequestRefused):  # a prospect page redirected to the SearXNG instance
        run(mw.process_request(Request("http://127.0.0.1:8888/x", meta={"site": "evil.com", "redirect_times": 1})))


def test_through_a_proxy_names_are_not_resolved_but_literals_are_refused(
        no_proxy_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_resolve(host: str) -> list[str]:
        raise AssertionError(f"resolved {host}")

    monkeypatch.setenv("http_proxy", "http://127.0.0.1:3128")
    mw = SSRFGuardMiddleware(fake_crawler(), resolver=must_not_resolve)
    # The proxy itself is on 127.0.0.1; the target is what is checked.
    assert run(mw.process_request(Request("http://www.ironpulse.com/"))) is None
    for url in ("http://127.0.0.1:8000/", "http://[::1]/", "http://2130706433/", "http://localhost/"):
        with pytest.raises(RequestRefused):
            run(mw.process_request(Request(url)))
    # meta["proxy"] counts too, and meta["proxy"] = None means a direct connection (names get resolved).
    monkeypatch.delenv("http_proxy")
    mw = SSRFGuardMiddleware(fake_crawler(), resolver=must_not_resolve)
    assert run(mw.process_request(Request("https://www.ironpulse.com/", meta={"proxy": "http://10.0.0.1:8080"}))) is None
    assert mw.check_static(Request("https://www.ironpulse.com/", meta={"proxy": None}))[1] == "www.ironpulse.com"


def test_names_resolving_to_private_addresses_are_refused(no_proxy_env: None) -> None:
    mw = guard()
    mw.cache.put("rebind.example.com", ["10.9.8.7"])
    mw.cache.put("mixed.example.com", ["93.184.216.34", "::1"])
    mw.cache.put("public.example.com", ["93.184.216.34"])
    mw.cache.put("nxdomain.example.com", None)
    with pytest.raises(RequestRefused) as info:
        run(mw.process_request(Request("http://rebind.example.com/")))
    assert info.value.reason == "dns_private" and "rebind.example.com resolves to 10.9.8.7" in str(info.value)
    with pytest.raises(RequestRefused):
        run(mw.process_request(Request("https://mixed.example.com/")))
    assert run(mw.process_request(Request("http://public.example.com/"))) is None
    assert run(mw.process_request(Request("http://nxdomain.example.com/"))) is None  # the DNS error happens later
    assert mw.stats.values["linkspider/ssrf/refused/dns_loopback"] == 1


def test_browser_sub_requests_to_private_addresses_are_aborted() -> None:
    def req(url: str, kind: str = "xhr") -> Any:
        return SimpleNamespace(url=url, resource_type=kind)

    assert browser_abort_request(req("http://169.254.169.254/latest/meta-data/"))
    assert browser_abort_request(req("http://127.0.0.1:6800/schedule.json", "document"))
    assert browser_abort_request(req("https://cdn.example.com/a.png", "image"))  # rendering's own rule
    assert not browser_abort_request(req("https://cdn.example.com/app.js", "script"))
    assert not browser_abort_request(req("data:text/css,body{}", "stylesheet"))


# ====================================================================== unit: traps
@pytest.mark.parametrize(("url", "kind"), [
    ("https://blog.com/", None),
    ("https://blog.com/contact/", None),
    ("https://blog.com/2026/11/25/my-post/", None),  # a dated permalink is a page
    ("https://blog.com/2026/11/", None),  # month archives are finite
    ("https://blog.com/page/2/", None),
    ("https://blog.com/?s=fitness", None),
    ("https://blog.com/contact/?lang=en&ref=nav", None),
    ("https://blog.com/x?a=1&b=2&c=3&d=4", None),
    ("https://blog.com/events/strength-summit-2026/", None),
    ("https://blog.com/a/b/c/d/e/f/g/h", None),
    ("https://blog.com/x?a=1&b=2&c=3&d=4&e=5", "query_params"),
    ("https://shop.com/c?color=red&size=m&sort=price&page=3&view=grid&brand=x", "query_params"),
    ("https://blog.com/a/b/a/b/a/b/", "repeated_path"),
    ("https://blog.com/blog/blog/blog/post", "repeated_path"),
    ("https://blog.com/x/y/z/x/y/z/x/y/z", "deep_path"),
    ("https://blog.com/1/2/3/4/5/6/7/8/9", "deep_path"),
    ("https://blog.com/2026/11/25/", "calendar"),
    ("https://blog.com/calendar/", "calendar"),
    ("https://blog.com/calendar/2026/12/", "calendar"),
    ("https://blog.com/events/day/2026-11-25/", "calendar"),
    ("https://blog.com/events/month/", "calendar"),
    ("https://blog.com/events/2026-11-25/", "calendar"),
    ("https://blog.com/events/list/?tribe-bar-date=2026-11-01", "calendar"),
    ("https://blog.com/?month=2026-11", "calendar"),
    ("https://blog.com/agenda?date=2026-11-25", "calendar"),
    ("https://blog.com/archive?year=2031", "calendar"),
    ("https://blog.com/?ical=1", "calendar"),
    ("https://blog.com/2099/01/", "calendar"),
    ("https://blog.com/1970/", "calendar"),
    ("https://blog.com/shop;jsessionid=0A1B2C3D", "session_id"),
    ("https://blog.com/?sid=8f9a", "session_id"),
    ("https://blog.com/index.php?PHPSESSID=abc&x=1", "session_id"),
    ("https://blog.com/(S(x1y2z3abc))/default.aspx", "session_id"),
    ("https://blog.com/post/?replytocom=42", "duplicate"),
    ("https://blog.com/post/?share=facebook", "duplicate"),
])
def test_trap_urls(url: str, kind: str | None) -> None:
    reason = is_trap_url(url, max_params=4, max_depth=8, this_year=2026)
    assert (reason.split(":", 1)[0] if reason else None) == kind, reason


def test_the_trap_filter_drops_traps_and_files_by_extension() -> None:
    traps = TrapFilter(max_params=4, max_depth=8)
    assert traps.reason("https://blog.com/contact/") is None
    assert traps.reason("https://blog.com/calendar/2026/12/").startswith("calendar:")
    assert traps.reason("https://blog.com/media-kit.pdf") == "extension: .pdf"
    assert traps.reason("https://blog.com/a?b=1&c=2&d=3&e=4&f=5").startswith("query_params:")


def test_scrapy_url_length_middleware_is_still_there() -> None:
    from scrapy.settings.default_settings import SPIDER_MIDDLEWARES_BASE
    from scrapy.spidermiddlewares.urllength import UrlLengthMiddleware

    assert SPIDER_MIDDLEWARES_BASE["scrapy.spidermiddlewares.urllength.UrlLengthMiddleware"] == 800
    crawler = fake_crawler(URLLENGTH_LIMIT=1024)
    crawler.spider = None
    mw = UrlLengthMiddleware.from_crawler(crawler)
    assert mw.get_processed_request(Request("https://a.com/" + "x" * 1100), None) is None
    assert mw.get_processed_request(Request("https://a.com/ok"), None) is not None
    assert crawler.stats.values == {"urllength/request_ignored_count": 1}


# ====================================================================== unit: limits
@pytest.mark.parametrize(("ctype", "url", "stopped"), [
    ("text/html; charset=utf-8", "https://a.com/", None),
    ("application/xhtml+xml", "https://a.com/", None),
    ("", "https://a.com/x.pdf", None),  # no header: let Scrapy sniff
    ("application/json", "https://api.a.com/", None),
    ("text/plain", "https://a.com/robots.txt", None),
    ("application/rss+xml", "https://a.com/feed/", None),
    ("application/octet-stream", "https://a.com/page", None),  # HTML served badly: sniffed
    ("application/octet-stream", "https://a.com/archive.zip", "application/octet-stream"),
    ("application/pdf", "https://a.com/media-kit", "application/pdf"),
    ("image/png", "https://a.com/", "image/png"),
    ("video/mp4; codecs=x", "https://a.com/v", "video/mp4"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "https://a.com/d", 
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_non_html_types(ctype: str, url: str, stopped: str | None) -> None:
    assert non_html_type(ctype, url) == stopped
    assert has_ignored_extension("https://a.com/x.PDF?y=1") and not has_ignored_extension("https://a.com/x.html")


def test_non_html_stop_handler(no_proxy_env: None) -> None:
    crawler = fake_crawler(SEARXNG_URL="http://127.0.0.1:8888")
    mw = NonHtmlStopMiddleware(crawler)
    pdf = Headers({"Content-Type": "application/pdf"})
    with pytest.raises(StopDownload) as info:
        mw.headers_received(pdf, 3_000_000, Request("https://a.com/media-kit"))
    assert info.value.fail is False
    for request in (Request("https://a.com/media-kit", meta={"playwright": True}),
                    Request("https://a.com/robots.txt"), Request("http://127.0.0.1:8888/search?q=x")):
        assert mw.headers_received(pdf, 3_000_000, request) is None
    assert mw.headers_received(Headers({"Content-Type": "text/html"}), 10, Request("https://a.com/")) is None
    assert crawler.stats.values == {"linkspider/limits/non_html_stopped": 1,
                                    "linkspider/limits/non_html_stopped/application": 1}


def test_site_request_cap(no_proxy_env: None, caplog: pytest.LogCaptureFixture) -> None:
    crawler = fake_crawler(SITE_PAGE_BUDGET=3, LINKSPIDER_SITE_REQUEST_MARGIN=2, SEARXNG_URL="https://searx.example.org")
    mw = SiteRequestCapMiddleware(crawler)
    assert mw.cap == 5
    for i in range(5):
        mw.process_request(Request(f"https://www.blog.com/p{i}"))
    # Not counted: robots.txt, redirect hops and retries of counted requests, the search endpoint, other sites.
    mw.process_request(Request("https://www.blog.com/robots.txt"))
    mw.process_request(Request("https://blog.com/p1", meta={"redirect_times": 1}))
    mw.process_request(Request("https://blog.com/p2", meta={"retry_times": 1}))
    for _ in range(10):
        mw.process_request(Request("https://searx.example.org/search?q=x"))
    mw.process_request(Request("https://other.co.uk/"))
    with caplog.at_level("WARNING", logger="linkspider.crawl.middlewares.limits"):
        for host in ("shop.blog.com", "blog.com"):
            with pytest.raises(RequestRefused) as info:
                mw.process_request(Request(f"https://{host}/more"))
            assert info.value.reason == "site_cap"
    assert len(caplog.records) == 1 and "blog.com already got 5 requests" in caplog.records[0].getMessage()
    assert crawler.stats.values == {"linkspider/limits/site_cap_refused": 2}


# ====================================================================== end to end
def page(body: str) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "text/html; charset=utf-8"}, f"<html><body>{body}</body></html>".encode()


BIG = 6 * 1024 * 1024


REDIRECTS = "www.safety-redirects.com"
FILES = "www.safety-bigfiles.com"


def build_sites(proxy: HostileWeb, port: int) -> None:
    def redirect(to: str, status: int = 302) -> tuple[int, dict[str, str], bytes]:
        return status, {"Location": to, "Content-Length": "0"}, b""

    proxy.sites[REDIRECTS] = {
        "/": page('<h1>Redirect Lab</h1><a href="/contact">Contact us</a> <a href="/about">About us</a> '
                  '<a href="/write-for-us">Write for us</a> <a href="/team">Our team</a> '
                  '<a href="/advertise">Advertise</a> <a href="/events/day/2026-11-25/">Resources</a>'),
        "/entry": redirect(f"http://127.0.0.1:{port}/entry"),
        "/contact": redirect(f"http://127.0.0.1:{port}/contact"),
        "/about": redirect(f"http://[::1]:{port}/about", 301),
        "/write-for-us": redirect(f"http://2130706433:{port}/write-for-us"),
        "/advertise": redirect(f"http://0x7f.1:{port}/advertise"),
        "/team": page(f'<meta http-equiv="refresh" content="0; url=http://localhost:{port}/team">Moved'),
        "/events/day/2026-11-25/": page("a calendar trap: must not be fetched"),
    }

    def streamed(handler: Any, chunks: Iterator[bytes]) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        for chunk in chunks:
            handler.wfile.write(chunk)

    def stream(size: int) -> Iterator[bytes]:
        yield b"<html><body>" + b"x" * 1024
        sent = 1024
        while sent < size:
            yield b"<p>" + b"y" * 65536 + b"</p>"
            sent += 65543

    big = b"<html><body>" + b"z" * BIG + b"</body></html>"
    proxy.sites[FILES] = {
        "/": page('<h1>Big Files</h1><a href="/contact">Contact</a> <a href="/write-for-us">Write for us</a> '
                  '<a href="/guest-post-guidelines">Guest post guidelines</a> '
                  '<a href="/media-kit">Advertise (media kit)</a> <a href="/about">About</a>'),
        "/contact": page('<h1>Contact</h1><p>Write to <a href="mailto:jo@safety-bigfiles.com">jo@safety-bigfiles.com</a></p>'),
        "/about": page("<h1>About</h1><p>We lift things.</p>"),
        "/write-for-us": (200, {"Content-Type": "text/html", "Content-Length": str(len(big))}, big),
        # No Content-Length: the size limit must trip while streaming.
        "/guest-post-guidelines": lambda handler: streamed(handler, stream(BIG)),
        "/media-kit": (200, {"Content-Type": "application/pdf", "Content-Length": str(3 * 1024 * 1024)},
                       b"%PDF-1.4\n" + b"\x00" * (3 * 1024 * 1024 - 9)),
    }


@pytest.fixture(scope="module")
def lab() -> Iterator[SimpleNamespace]:
    counter = Canary()
    proxy = HostileWeb(forward_loopback_to=counter.port)
    build_sites(proxy, counter.port)
    try:
        yield SimpleNamespace(counter=counter, proxy=proxy, port=counter.port)
    finally:
        proxy.stop()
        counter.stop()


def seeds_crawl(lab: SimpleNamespace, tmp: Path, **settings: str) -> tuple[str, Path]:
    seeds = tmp / "seeds.txt"
    seeds.write_text(f"http://{REDIRECTS}/\nhttp://{REDIRECTS}/entry\nhttp://{FILES}/\n")
    db = tmp / "linkspider.db"
    result = run_crawl("seeds", lab.proxy.url, db, "niche=fitness", f"seeds={seeds}",
                       settings={**WIRED, **settings}, timeout=60)
    assert result.returncode == 0, result.log[-3000:]
    return result.log, db


def stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


@pytest.fixture(scope="module")
def guarded(lab: SimpleNamespace, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    lab.counter.hits.clear()
    lab.proxy.clear()
    log, db = seeds_crawl(lab, tmp_path_factory.mktemp("guarded"))
    return log, db


def test_redirects_to_private_addresses_never_reach_the_listener(
        lab: SimpleNamespace, guarded: tuple[str, Path]) -> None:
    log, _ = guarded
    assert lab.counter.hits == []
    # Not even the proxy was asked for them: refused before anything was sent.
    loopback = {h for h, _ in lab.proxy.targets() if h == "localhost" or (parse_ip(h) and parse_ip(h).is_loopback)}  # type: ignore[union-attr]
    assert loopback == set()
    # The site itself was crawled through the proxy on 127.0.0.1 (names not resolved locally).
    assert (REDIRECTS, "/") in lab.proxy.targets() and (REDIRECTS, "/contact") in lab.proxy.targets()
    port = lab.port
    assert (f"refusing http://127.0.0.1:{port}/contact: 127.0.0.1 is a loopback address "
            "(set LINKSPIDER_ALLOW_PRIVATE=True to allow)") in log or \
           (f"refusing http://127.0.0.1:{port}/entry: 127.0.0.1 is a loopback address "
            "(set LINKSPIDER_ALLOW_PRIVATE=True to allow)") in log
    # Once per host from the guard (the site walk's errback adds its own "could not fetch" line).
    assert len(re.findall(r"\[linkspider\.crawl\.middlewares\.ssrf\] WARNING: refusing http://127\.0\.0\.1:", log)) == 1
    assert f"refusing http://2130706433:{port}/write-for-us: 2130706433 (127.0.0.1) is a loopback address" in log
    assert f"refusing http://localhost:{port}/team: localhost is a local host name" in log
    assert stat(log, "linkspider/ssrf/refused") == 6, log[-2500:]
    assert stat(log, "linkspider/ssrf/refused/loopback") == 5
    assert stat(log, "linkspider/ssrf/refused/local_name") == 1
    # The calendar link was never requested.
    assert (REDIRECTS, "/events/day/2026-11-25/") not in lab.proxy.targets()
    assert stat(log, "linkspider/skipped/trap/calendar") == 1


def test_oversized_and_non_html_pages_are_dropped_without_crashing(
        lab: SimpleNamespace, guarded: tuple[str, Path]) -> None:
    log, db = guarded
    with sqlite3.connect(db) as conn:
        pages = {url: (status, error) for url, status, error in
                 conn.execute("SELECT url, status, error FROM pages WHERE domain = 'safety-bigfiles.com'")}
    base = f"http://{FILES}"
    assert pages[f"{base}/contact"] == (200, None) or pages[f"{base}/contact"][1] in (None, "")
    assert pages[f"{base}/about"][0] == 200
    status, error = pages[f"{base}/write-for-us"]
    assert status is None and "larger than download max size (5242880)" in error, error
    status, error = pages[f"{base}/guest-post-guidelines"]  # no Content-Length: cut while streaming
    assert status is None and error.startswith("DownloadCancelledError"), error
    assert re.search(r"Received \d+ bytes which is larger than download max size \(5242880\) in request "
                     r"<GET http://www\.safety-bigfiles\.com/guest-post-guidelines>", log)
    status, error = pages[f"{base}/media-kit"]
    assert error == "not an HTML page (Content-Type: application/pdf)", (status, error)
    # Stopped at the headers: the 3 MB body never tripped the 1 MB warning size.
    assert stat(log, "linkspider/limits/non_html_stopped") == 1
    assert not re.search(r"warn size .*media-kit", log)
    assert re.search(r"Expected to receive \d+ bytes which is larger than download max size", log)
    assert "Traceback" not in log


def test_allow_private_lets_the_same_crawl_reach_the_listener(
        lab: SimpleNamespace, guarded: tuple[str, Path], tmp_path: Path) -> None:
    lab.counter.hits.clear()
    log, _ = seeds_crawl(lab, tmp_path, LINKSPIDER_ALLOW_PRIVATE="True")
    assert stat(log, "linkspider/ssrf/refused") == 0
    assert {"/entry", "/contact", "/write-for-us"} <= set(lab.counter.hits), lab.counter.hits


SPIDER = '''
import scrapy

class Probe(scrapy.Spider):
    name = "probe"
    custom_settings = {"ITEM_PIPELINES": {}}

    async def start(self):
        for url in URLS:
            yield scrapy.Request(url, callback=self.ok, errback=self.err, dont_filter=True)

    def ok(self, response):
        self.logger.info("PROBE ok %s", response.url)

    def err(self, failure):
        self.logger.info("PROBE err %s %s", failure.request.url, type(failure.value).__name__)
'''


def test_direct_connections_refused_by_literal_and_by_resolution(tmp_path: Path) -> None:
    """No proxy: the guard also resolves names (this machine's own name resolves to loopback)."""
    refused, allowed = Canary(), Canary()
    try:
        own = socket.gethostname()
        try:
            own_is_local = refusal_for_addresses(own, [a[4][0] for a in socket.getaddrinfo(own, None)]) is not None
        except OSError:
            own_is_local = False
        urls = [f"http://127.0.0.1:{refused.port}/a", f"http://[::1]:{refused.port}/b",
                f"http://2130706433:{refused.port}/c", f"http://localhost:{refused.port}/d",
                f"http://127.0.0.1:{allowed.port}/ok"]
        if own_is_local:
            urls.append(f"http://{own}:{refused.port}/e")
        spider = tmp_path / "probe.py"
        spider.write_text(f"URLS = {urls!r}\n" + SPIDER)
        env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
        env.update(PYTHONPATH=str(ROOT), LINKSPIDER_DB=str(tmp_path / "x.db"))
        settings = {**WIRED, "LINKSPIDER_ALLOWED_HOSTS": f"127.0.0.1:{allowed.port}", "LOG_LEVEL": "INFO",
                    "DOWNLOAD_TIMEOUT": "5", "RETRY_ENABLED": "False"}
        cmd = [sys.executable, "-m", "scrapy", "runspider", str(spider)]
        for name, value in settings.items():
            cmd += ["-s", f"{name}={value}"]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        log = proc.stderr + proc.stdout
        assert proc.returncode == 0, log[-3000:]
        assert refused.hits == [], log[-3000:]
        assert "/ok" in allowed.hits, log[-3000:]  # the positive control: same machinery, allowed host
        assert stat(log, "linkspider/ssrf/refused") == 4 + own_is_local
        if own_is_local:
            assert stat(log, "linkspider/ssrf/refused/dns_loopback") + stat(log, "linkspider/ssrf/refused/dns_private") == 1
        assert len(re.findall(r"PROBE err .* RequestRefused", log)) == 4 + own_is_local
    finally:
        refused.stop()
        allowed.stop()
