"""Secrets never leave the machine and are never stored; stored requests never run code.

The link builder's story: a nightly plan holds a Google key and a Brave key,
the crawls go through a proxy that wants a password, a SearXNG sits behind
basic auth, a distributed crawl uses a Redis with a password. After a night of
crawling, none of those secrets is in any log line, the database file (WAL
included), an export, a digest, a job log, the command line `ps` shows, or a
header any prospect site received. And a database someone handed over, with a
crafted checkpoint in it, is only data: resuming from it runs no code.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import scrapy
from scrapy.utils.request import fingerprint

from fakeweb import SEARCH_HOSTS
from fakeweb.crawl import FAST, ROOT, crawl_env
from fakeweb.search import SearchService
from linkspider.common.redact import install_log_redaction, redact, register_secret
from linkspider.crawl.checkpoint import CheckpointError, request_record, restore
from linkspider.crawl.spiders.searching import GuestPostsSpider
from linkspider.crawl.spiders.seeds import SeedsSpider
from linkspider.items import Discovery
from linkspider.store.database import Store
from tests.conftest import run_crawl
from tests.crawler_support import project_crawler

GOOGLE_KEY = "AIzaFAKE-google-key-5d1e7c20"
BRAVE_KEY = "BSAfake-brave-token-90ab33f1"
SEARX_PASSWORD = "searx-pw-8c4d2e19"
PROXY_PASSWORD = "proxy-pw-77f0b6a4"
REDIS_PASSWORD = "redis-pw-3a9e51c8"
SECRETS = (GOOGLE_KEY, BRAVE_KEY, SEARX_PASSWORD, PROXY_PASSWORD)


def rows(db: Path, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def leaked(text: str | bytes, secrets: tuple[str, ...] = SECRETS) -> list[str]:
    data = text if isinstance(text, bytes) else text.encode("utf-8", "replace")
    return [s for s in secrets if s.encode() in data]


# ------------------------------------------------------------------ the redaction


@pytest.mark.parametrize("text, expected", [
    ("redis://:s3cret@10.0.0.5:6379/0", "redis://:REDACTED@10.0.0.5:6379/0"),
    ("proxy http://bob:hunter2@proxy.lan:3128 refused", "proxy http://bob:REDACTED@proxy.lan:3128 refused"),
    ("https://ghp_token@git.example/x", "https://REDACTED@git.example/x"),
    ("GET https://www.googleapis.com/customsearch/v1?key=AIza123&cx=017:abc&q=x",
     "GET https://www.googleapis.com/customsearch/v1?key=REDACTED&cx=017:abc&q=x"),  # cx is an id, kept
    ("/search?q=a&api_key=1&access_token=2&token=3&page=2",
     "/search?q=a&api_key=REDACTED&access_token=REDACTED&token=REDACTED&page=2"),
    ("{b'X-Subscription-Token': [b'BSA123'], b'Accept': [b'application/json']}",
     "{b'X-Subscription-Token': [b'REDACTED'], b'Accept': [b'application/json']}"),
    ("Authorization: Basic dXNlcjpwdw==", "Authorization: Basic REDACTED"),
    # Not secrets: emails, an '@' in a query, a port.
    ("write to editor@ironpulse.com or see http://ironpulse.com:8080/a?u=x@y",
     "write to editor@ironpulse.com or see http://ironpulse.com:8080/a?u=x@y"),
])
def test_redact_takes_out_passwords_keys_and_tokens_and_nothing_else(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_registered_and_environment_secrets_are_redacted_wherever_they_appear(
        monkeypatch: pytest.MonkeyPatch) -> None:
    register_secret("a-key-quoted-in-an-error-0001")
    assert redact("the service said: bad key a-key-quoted-in-an-error-0001") == "the service said: bad key REDACTED"
    monkeypatch.setenv("SOME_SERVICE_TOKEN", "env-token-value-0002")
    install_log_redaction()
    assert redact("token env-token-value-0002 refused") == "token REDACTED refused"
    register_secret("short")  # too short to replace everywhere: ordinary words would go
    assert redact("a short note") == "a short note"


def test_every_log_record_is_redacted_traceback_included(caplog: pytest.LogCaptureFixture) -> None:
    install_log_redaction()
    log = logging.getLogger("scrapy.core.scraper")
    with caplog.at_level(logging.DEBUG):
        log.debug("Crawled (200) <GET %s> (referer: None)", "http://x.test/customsearch/v1?key=AIza999&q=y")
        try:
            raise ConnectionError("cannot reach redis://:s3cret-pw@10.0.0.5:6379/0")
        except ConnectionError:
            log.exception("worker stopped")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "key=REDACTED" in text and "redis://:REDACTED@10.0.0.5" in text
    assert "AIza999" not in text and "s3cret-pw" not in text


def test_a_site_sees_at_most_an_origin_as_referer_and_a_search_result_none() -> None:
    from scrapy.http import HtmlResponse
    from scrapy.settings import Settings
    from scrapy.spidermiddlewares.referer import RefererMiddleware

    settings = Settings()
    settings.setmodule("linkspider.settings", priority="project")
    middleware = RefererMiddleware(settings)

    def referer(page: str, link: str, meta: dict[str, str] | None = None) -> str:
        response = HtmlResponse(page, body=b"<html></html>", request=scrapy.Request(page))
        request = middleware.get_processed_request(scrapy.Request(link, meta=meta or {}), response)
        assert request is not None
        return request.headers.get("Referer", b"").decode()

    assert referer("https://a.com/blog/post?id=1", "https://a.com/contact/") == "https://a.com/blog/post?id=1"
    assert referer("https://a.com/blog/post?id=1", "https://b.com/") == "https://a.com/"
    assert referer("https://a.com/blog/", "http://b.com/") == ""
    serp = f"https://www.googleapis.com/customsearch/v1?key={GOOGLE_KEY}&cx=c&q=x"
    assert referer(serp, "https://b.com/write-for-us/", {"referrer_policy": "no-referrer"}) == ""


def test_searxng_credentials_leave_the_url_for_a_header_and_a_refusal_says_so() -> None:
    from scrapy.http import TextResponse

    from linkspider.discover.search import (
        SearchBlocked,
        SearchConfigError,
        SearXNGBackend,
        get_backend,
    )

    backend = SearXNGBackend(f"https://searx:{SEARX_PASSWORD}@searx.example/search")
    request = backend.request("fitness")
    assert request.url.startswith("https://searx.example/search?") and not leaked(request.url)
    assert request.headers["Authorization"].startswith(b"Basic ")
    refused = TextResponse(request.url, status=401, body=b"401 Authorization Required", request=request)
    with pytest.raises(SearchBlocked, match="refused the user and password in SEARXNG_URL") as blocked:
        backend.parse(refused)
    assert not leaked(str(blocked.value))
    with pytest.raises(SearchConfigError) as bad:
        get_backend("searxng", {"SEARXNG_URL": f"ftp://searx:{SEARX_PASSWORD}@searx.example"})
    assert "is not an http(s) URL" in str(bad.value) and not leaked(str(bad.value))


# ------------------------------------------------------------------ checkpoint records


def search_spider(tmp_path: Path, **settings: str) -> GuestPostsSpider:
    crawler = project_crawler(GuestPostsSpider, LINKSPIDER_DB=str(tmp_path / "ls.db"), **settings)
    spider = GuestPostsSpider.from_crawler(crawler, niche="fitness")
    crawler.spider = spider
    return spider


BACKENDS = {
    "google": {"SEARCH_BACKEND": "google", "GOOGLE_API_KEY": GOOGLE_KEY, "GOOGLE_CSE_ID": "fake-cse-id",
               "GOOGLE_CSE_URL": "http://127.0.0.1:9/google"},
    "brave": {"SEARCH_BACKEND": "brave", "BRAVE_API_KEY": BRAVE_KEY, "BRAVE_API_URL": "http://127.0.0.1:9/brave"},
    "searxng": {"SEARCH_BACKEND": "searxng", "SEARXNG_URL": f"http://searx:{SEARX_PASSWORD}@127.0.0.1:9/searxng"},
    "duckduckgo": {"SEARCH_BACKEND": "duckduckgo", "DUCKDUCKGO_URL": "http://127.0.0.1:9/duckduckgo"},
}


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_a_checkpointed_search_holds_no_key_and_resumes_as_the_same_request(tmp_path: Path, backend: str) -> None:
    spider = search_spider(tmp_path, **BACKENDS[backend])
    assert spider.backend is not None
    if backend == "duckduckgo":  # page 2+ is a POST of the previous page's hidden form
        original = spider.backend.request("fitness \"write for us\"", 2, form=[("q", "fitness"), ("vqd", "4-1")],
                                          offset=10)
    else:
        original = spider.backend.request("fitness \"write for us\"", 2)
    original = original.replace(callback=spider.parse_serp, errback=spider.serp_failed)
    record = request_record(original)
    assert not leaked(record)
    json.loads(record)  # plain JSON
    resumed = restore(record, spider)
    # The same request again, key and password included: the checkpoint can mark it done.
    assert fingerprint(resumed) == fingerprint(original) and resumed.url == original.url
    assert resumed.headers == original.headers and resumed.body == original.body
    assert resumed.callback == spider.parse_serp and resumed.errback == spider.serp_failed


def test_a_checkpointed_page_request_resumes_with_its_meta(tmp_path: Path) -> None:
    spider = search_spider(tmp_path, **BACKENDS["searxng"])
    discovery = Discovery(source="search", detail='fitness "write for us"', backend="searxng", rank=3, snippet="x")
    original = spider.page_request("https://www.ironpulse.com/write-for-us/",
                                   {"site": "ironpulse.com", "site_depth": 0, "discovery": discovery,
                                    "candidate": "search", "referrer_policy": "no-referrer",
                                    "proxy": "http://elsewhere.test:8080", "download_slot": "x"},
                                   priority=50, callback=spider.parse_candidate)
    resumed = restore(request_record(original), spider)
    assert resumed.url == original.url and resumed.priority == 50 and resumed.callback == spider.parse_candidate
    assert resumed.meta == {"site": "ironpulse.com", "site_depth": 0, "discovery": discovery, "candidate": "search",
                            "referrer_policy": "no-referrer"}  # what linkspider needs, nothing else


def record(**changes: Any) -> str:
    base = {"v": 1, "url": "https://www.ironpulse.com/", "method": "GET", "callback": "parse_page",
            "errback": "page_failed", "priority": 0, "meta": {"site": "ironpulse.com", "site_depth": 0}}
    return json.dumps({**base, **changes})


class _RunsCode:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("echo this pickle ran",))


@pytest.mark.parametrize("data, says", ids=["pickle-running-code", "plain-pickle", "version", "callback", "proxy",
                                              "discovery-field", "meta-type", "url", "method", "search"], argvalues=[
    (pickle.dumps(_RunsCode(), protocol=4), "not a linkspider request record"),
    (pickle.dumps({"url": "https://x.test/"}, protocol=0), "not a linkspider request record"),
    (record(v=2), "not a request record of format 1"),
    (record(callback="close"), "callback 'close' is not one spider 'seeds' resumes"),
    (record(meta={"site": "x.com", "proxy": "http://evil.test:8080"}), "meta key 'proxy'"),
    (record(meta={"site": "x.com", "discovery": {"source": "seed", "exec": "x"}}), "unknown field 'exec'"),
    (record(meta={"site": 7}), "meta['site'] is not a str"),
    (record(url="file:///etc/passwd"), "not an http(s) URL"),
    (record(method="DELETE"), "method 'DELETE'"),
    (record(meta={"site": "x.com", "search": {"backend": "google", "query": "q", "page": 1}}),
     "a search request, but spider 'seeds' does not search"),
])
def test_restore_refuses_anything_but_a_request_record(tmp_path: Path, data: str | bytes, says: str) -> None:
    seeds = tmp_path / "s.txt"
    seeds.write_text("ironpulse.com\n")
    crawler = project_crawler(SeedsSpider, LINKSPIDER_DB=str(tmp_path / "ls.db"))
    spider = SeedsSpider.from_crawler(crawler, niche="fitness", seeds=str(seeds))
    with pytest.raises(CheckpointError, match=re.escape(says)):
        restore(data, spider)


def test_a_crafted_checkpoint_runs_no_code_and_the_crawl_goes_on(fakeweb: Any, tmp_path: Path) -> None:
    """A database handed over with a pickle in its frontier: resuming it refuses the row, runs nothing."""
    site = next(s for s in fakeweb.web.manifest["sites"]
                if s["niche"] == "fitness" and s["reachable"] and s["in_seed_list"])
    seeds = tmp_path / "seeds.txt"
    seeds.write_text(site["home_url"] + "\n")
    marker = tmp_path / "the-pickle-ran"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    db = tmp_path / "handed-over.db"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO frontier (key, job, site, url, state, request, added) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     ["fitness-seeds|abc", "fitness-seeds", site["domain"], site["home_url"] + "about/", "pending",
                      pickle.dumps(Payload(), protocol=4), "2026-11-20T00:00:00.000+00:00"])
    result = run_crawl("seeds", fakeweb.proxy_url, db, "niche=fitness", f"seeds={seeds}",
                       settings={"LINKSPIDER_JOB": "fitness-seeds", "RENDER": "never"})
    assert result.returncode == 0, result.log[-3000:]
    assert not marker.exists()
    refused = [line for line in result.log.splitlines() if "refused and not run" in line]
    assert len(refused) == 1 and "not a linkspider request record" in refused[0], result.log[-3000:]
    assert "'linkspider/resume_refused': 1" in result.log
    assert rows(db, "SELECT count(*) FROM pages WHERE domain = ? AND status = 200", site["domain"])[0][0] >= 3


# ------------------------------------------------------------------ a night of crawling, grepped


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        try:
            tasks = list(Path(f"/proc/{todo.pop()}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out += children
            todo += children
    return out


@pytest.fixture(scope="module")
def night(fakeweb: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`linkspider nightly` with keys in the plan (Google, Brave), a proxy with a password, DEBUG logs;
    then a crawl of a SearXNG behind basic auth. Everything written and sent is collected."""
    folder = tmp_path_factory.mktemp("secrets")
    db = folder / "ls.db"
    fakeweb.search.reset()
    fakeweb.reset_hits()
    fakeweb.search.keys.update(google=GOOGLE_KEY, brave=BRAVE_KEY, searxng=f"searx:{SEARX_PASSWORD}")
    proxy = fakeweb.proxy_url.replace("http://", f"http://linkbuilder:{PROXY_PASSWORD}@")
    common = {**FAST, "LOG_LEVEL": "DEBUG", "RENDER": "never", "LINKSPIDER_TODAY": "2026-11-20"}

    def toml(values: dict[str, Any]) -> str:
        return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in values.items()) + " }"

    plan = folder / "plan.toml"
    plan.write_text(
        f"[defaults]\nmax_queries = 2\nmax_pages = 1\nsettings = {toml(common)}\n\n"
        f'[[niche]]\nname = "fitness"\nspiders = ["guestposts"]\nsettings = ' + toml({
            "SEARCH_BACKEND": "google", "GOOGLE_API_KEY": GOOGLE_KEY, "GOOGLE_CSE_ID": "fake-cse-id",
            "GOOGLE_CSE_URL": fakeweb.search_base("google"), "GOOGLE_DOWNLOAD_DELAY": 0}) + "\n\n"
        '[[niche]]\nname = "fitness"\nspiders = ["roundups"]\nsettings = ' + toml({
            "SEARCH_BACKEND": "brave", "BRAVE_API_KEY": BRAVE_KEY, "BRAVE_API_URL": fakeweb.search_base("brave"),
            "BRAVE_DOWNLOAD_DELAY": 0}) + "\n")
    cmd = [sys.executable, "-m", "linkspider.cli", "nightly", "--db", str(db), "--plan", str(plan),
           "--jobs-dir", str(folder / "jobs"), "--digests-dir", str(folder / "digests")]
    cmdlines: set[str] = set()
    wal_reads, wal_leaks = 0, set()
    with (folder / "nightly.out").open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=crawl_env(proxy, db), stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 240
        next_wal = 0.0
        try:
            while proc.poll() is None and time.monotonic() < deadline:
                for pid in descendants(proc.pid):  # what `ps` shows every user of the machine
                    try:
                        cmdlines.add(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
                    except OSError:
                        pass
                if time.monotonic() >= next_wal:  # what the WAL holds while the crawls write
                    next_wal = time.monotonic() + 0.5
                    try:
                        wal_leaks.update(leaked(Path(f"{db}-wal").read_bytes()))
                        wal_reads += 1
                    except OSError:
                        pass
                time.sleep(0.02)  # sampling the process table, bounded by the deadline
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
    searx_db = folder / "searx.db"
    searx = run_crawl("guestposts", proxy, searx_db, "niche=fitness", "max_queries=2", "max_pages=1",
                      settings={**common, "SEARCH_BACKEND": "searxng", "SEARXNG_DOWNLOAD_DELAY": "0",
                                "SEARXNG_URL": fakeweb.search_base("searxng").replace(
                                    "http://", f"http://searx:{SEARX_PASSWORD}@"),
                                "LINKSPIDER_JOB": "searx-job"})
    exports = {}
    for fmt in ("csv", "jsonl"):
        for name, path in (("night", db), ("searx", searx_db)):
            done = subprocess.run([sys.executable, "-m", "linkspider.cli", "export", "--db", str(path), "--all",
                                   "--format", fmt], cwd=ROOT, capture_output=True, text=True, timeout=60)
            exports[f"{name}.{fmt}"] = done.stdout + done.stderr
    try:
        yield {"folder": folder, "db": db, "returncode": proc.returncode, "out": (folder / "nightly.out").read_text(),
               "cmdlines": cmdlines, "wal_reads": wal_reads, "wal_leaks": wal_leaks, "searx": searx, "searx_db": searx_db, "exports": exports,
               "hits": fakeweb.hits}
    finally:
        fakeweb.search.reset()


def test_the_night_worked_with_every_key(night: dict[str, Any]) -> None:
    """Not a vacuous pass: every backend accepted its key or password, and found sites."""
    assert night["returncode"] == 0, night["out"][-3000:]
    assert night["searx"].returncode == 0, night["searx"].log[-3000:]
    found = dict(rows(night["db"], "SELECT backend, count(DISTINCT domain) FROM discoveries GROUP BY backend"))
    assert found.get("google", 0) >= 3 and found.get("brave", 0) >= 3
    assert rows(night["searx_db"], "SELECT count(DISTINCT domain) FROM discoveries WHERE backend = 'searxng'")[0][0] >= 3
    log = night["searx"].log + "".join(p.read_text() for p in (night["folder"] / "jobs").glob("*/crawl.log"))
    assert "search backend stopped" not in log
    assert log.count("key=REDACTED") >= 2  # Scrapy's own DEBUG lines show the Google URLs, redacted


def test_no_log_line_and_no_job_log_holds_a_secret(night: dict[str, Any]) -> None:
    logs = {"nightly output": night["out"], "searxng crawl": night["searx"].log}
    logs |= {str(p): p.read_text() for p in (night["folder"] / "jobs").glob("*/crawl.log")}
    assert len(logs) == 4
    assert {name: leaked(text) for name, text in logs.items() if leaked(text)} == {}


def test_a_jobs_log_starts_with_the_plan_settings_redacted(night: dict[str, Any]) -> None:
    first = [line for line in (night["folder"] / "jobs" / "fitness-guestposts" / "crawl.log").read_text().splitlines()
             if line.startswith("===")][0]
    assert "GOOGLE_API_KEY=REDACTED" in first and "SEARCH_BACKEND=google" in first and "GOOGLE_CSE_ID=fake-cse-id" in first


def test_ps_never_shows_a_key(night: dict[str, Any]) -> None:
    crawls = [c for c in night["cmdlines"] if "scrapy crawl" in c]
    assert any("crawl guestposts" in c for c in crawls) and any("crawl roundups" in c for c in crawls)
    assert [c for c in night["cmdlines"] if leaked(c)] == []


def test_the_database_file_and_its_wal_hold_no_secret(night: dict[str, Any]) -> None:
    assert night["wal_reads"] >= 3, "the WAL was hardly seen while the crawls wrote"
    assert night["wal_leaks"] == set()
    for db in (night["db"], night["searx_db"]):
        for path in [db, *db.parent.glob(db.name + "-*")]:  # deleted checkpoint rows leave their bytes behind
            assert leaked(path.read_bytes()) == [], path


def test_exports_and_digests_hold_no_secret(night: dict[str, Any]) -> None:
    assert all(len(text.splitlines()) >= 3 for text in night["exports"].values())
    assert {name: leaked(text) for name, text in night["exports"].items() if leaked(text)} == {}
    digests = list((night["folder"] / "digests").iterdir())
    assert digests and [p for p in digests if leaked(p.read_bytes())] == []


def test_prospect_sites_never_learn_a_secret_or_where_we_searched(night: dict[str, Any]) -> None:
    sites = [h for h in night["hits"] if h.method != "CONNECT" and SearchService.route(h.host, h.path) is None]
    assert len(sites) >= 50
    assert [h for h in sites if leaked(repr(h.headers))] == []
    search_hosts = set(SEARCH_HOSTS.values()) | {"127.0.0.1", "localhost"}
    for hit in sites:
        if not hit.referer:
            continue
        origin = urlsplit(hit.referer)
        assert origin.hostname not in search_hosts, hit  # a page found by a search gets no Referer
        if origin.hostname != hit.host:
            assert origin.path in ("", "/") and not origin.query, hit  # another site sees an origin at most


# ------------------------------------------------------------------ Redis with a password


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A redis-server on 127.0.0.1 that wants REDIS_PASSWORD, stopped at the end."""
    redis = pytest.importorskip("redis")
    pytest.importorskip("scrapy_redis")
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not installed (Debian: apt-get install -y redis-server)")
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--requirepass", REDIS_PASSWORD, "--dir", str(tmp_path_factory.mktemp("redis"))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"redis-server on port {port} did not answer PING (exit {proc.poll()})")
        yield url
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linkspider.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={k: v for k, v in os.environ.items() if k != "REDIS_URL"})


def test_the_redis_password_is_in_no_log_line_and_no_message(fakeweb: Any, redis_url: str, tmp_path: Path) -> None:
    import redis

    sites = [s["home_url"] for s in fakeweb.web.manifest["sites"]
             if s["niche"] == "fitness" and s["reachable"] and s["in_seed_list"]][:3]
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("\n".join(sites) + "\n")
    worker = run_crawl("seeds", fakeweb.proxy_url, tmp_path / "worker.db", "niche=fitness", f"seeds={seeds}",
                       settings={"REDIS_URL": redis_url, "LOG_LEVEL": "DEBUG", "RENDER": "never"}, timeout=120)
    assert worker.returncode == 0, worker.log[-3000:]
    assert "distributed worker" in worker.log and "redis://:REDACTED@127.0.0.1" in worker.log
    db = tmp_path / "ls.db"
    ingested = cli("ingest", "--redis", redis_url, "--db", str(db), "--until-idle", "0")
    assert ingested.returncode == 0, ingested.stderr
    assert rows(db, "SELECT count(DISTINCT domain) FROM pages")[0][0] == 3
    client = redis.Redis.from_url(redis_url)
    client.set("linkspider:ingest:lock", "someone-else", ex=60)
    try:
        busy = cli("ingest", "--redis", redis_url, "--db", str(db), "--until-idle", "0")
    finally:
        client.delete("linkspider:ingest:lock")
        client.close()
    assert busy.returncode == 1 and "another ingest is draining" in busy.stderr
    assert "redis://:REDACTED@127.0.0.1" in busy.stderr
    typo = redis_url.replace(REDIS_PASSWORD, REDIS_PASSWORD + "-typo")
    wrong = cli("ingest", "--redis", typo, "--db", str(db), "--until-idle", "0")
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    refused = run_crawl("seeds", fakeweb.proxy_url, tmp_path / "x.db", "niche=fitness", f"seeds={seeds}",
                        settings={"REDIS_URL": typo}, timeout=60)
    assert refused.returncode == 1 and "Traceback" not in refused.log
    assert len([line for line in refused.log.splitlines() if "REDIS_URL=redis://:REDACTED@" in line]) == 1
    outputs = [worker.log, ingested.stdout + ingested.stderr, busy.stdout + busy.stderr, wrong.stdout + wrong.stderr,
               refused.log]
    assert [o for o in outputs if REDIS_PASSWORD in o] == []
    assert REDIS_PASSWORD.encode() not in db.read_bytes()


def test_an_unreachable_redis_ends_the_crawl_with_one_line(fakeweb: Any, tmp_path: Path) -> None:
    url = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{free_port()}/0"  # nothing listens there
    result = run_crawl("seeds", fakeweb.proxy_url, tmp_path / "x.db", "niche=fitness",
                       settings={"REDIS_URL": url}, timeout=60)
    assert result.returncode == 1
    errors = [line for line in result.log.splitlines() if "] ERROR:" in line or "Error" in line]
    assert len(errors) == 1 and "REDIS_URL=redis://:REDACTED@127.0.0.1" in errors[0], result.log[-3000:]
    assert "Traceback" not in result.log and REDIS_PASSWORD not in result.log


def test_settings_from_the_environment_must_be_a_json_object(fakeweb: Any, tmp_path: Path) -> None:
    env = {**crawl_env(fakeweb.proxy_url, tmp_path / "x.db"), "LINKSPIDER_CRAWL_SETTINGS": "SITE_PAGE_BUDGET=3"}
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "seeds", "-a", "niche=fitness"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "LINKSPIDER_CRAWL_SETTINGS is not JSON" in done.stderr
    assert "Traceback" not in done.stderr
