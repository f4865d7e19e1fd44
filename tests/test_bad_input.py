"""Bad input, tried on purpose: hostile sites and a broken database, end to end.

Each test runs a real ``scrapy crawl seeds -a niche=fitness -a seeds=<file>``
(``fakeweb.crawl.run_crawl``) through a small hostile forward proxy this
module starts on 127.0.0.1: made-up hosts under real suffixes serve a redirect
loop, a body that never ends, a gzip bomb, broken robots.txt files, junk links,
broken encodings. Every seed list also holds a normal site with an email
(``www.hostile-good.com``), and every test checks that its pages and email
reached the database: one bad site must not cost the good ones. A seed list
with a BOM, a password and an impossible port checks that a bad line costs that
line only. The database tests make the store read-only, lock it or fill its
disk (a small tmpfs, as root) and check the crawl stops with a clear message,
a non-zero exit code and the unwritten pages in ``unsaved-*.jsonl``.

The crawls are independent subprocesses, so the module starts the ones the
selected tests need at once (a few at a time) and each test waits for its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from fakeweb.crawl import ROOT
from linkspider.store.database import Store
from tests.hostile import Answer, HostileWeb, html, raw, redirect

GOOD = "www.hostile-good.com"
GOOD_EMAIL = "editor@hostile-good.com"
LOOP = "www.hostile-redirects.com"
LOOP_HOME = "www.hostile-loophome.net"
SLOW = "www.hostile-slow.com"
SILENT = "www.hostile-silent.org"
BOMB = "www.hostile-gzipbomb.com"
ROBOTS_BINARY = "www.hostile-robots-binary.com"
ROBOTS_HTML = "www.hostile-robots-html.net"
ROBOTS_500 = "www.hostile-robots-500.org"
ROBOTS_HUGE = "www.hostile-robots-huge.co.uk"
ROBOTS_VALID = "www.hostile-robots-valid.com"
LINKS = "www.hostile-links.com"
ENC = "www.hostile-encoding.com"
DB_READONLY = "www.hostile-readonly.com"
DB_PRELOCKED = "www.hostile-prelocked.com"
DB_LOCKED = "www.hostile-locked.net"
CREDS = "www.hostile-creds.com"
DISK_FULL = "www.hostile-diskfull.com"

BOMB_SIZE = 120 * 1024 * 1024  # decompressed; DOWNLOAD_MAXSIZE is 5 MB
HUGE_ROBOTS = 6 * 1024 * 1024



# ====================================================================== the hostile web (tests/hostile.py)
def good_site() -> dict[str, Answer]:
    return {
        "/": html('<h1>Good Fitness</h1><p>Strength training and running for beginners.</p>'
                  '<a href="/contact">Contact</a> <a href="/about">About us</a>', "Good Fitness"),
        "/contact": html(f'<h1>Contact</h1><p>Email <a href="mailto:{GOOD_EMAIL}">{GOOD_EMAIL}</a></p>',
                         "Contact Good Fitness"),
        "/about": html("<h1>About</h1><p>We write about workouts.</p>", "About Good Fitness"),
    }


def simple_site(host: str, email: str, extra: str = "") -> dict[str, Answer]:
    return {
        "/": html(f'<h1>{host}</h1><p>Home workouts and running.</p><a href="/contact">Contact</a>{extra}',
                  host),
        "/contact": html(f"<h1>Contact</h1><p>Write to {email}</p>", f"Contact {host}"),
    }


def gzip_bomb(size: int = BOMB_SIZE) -> bytes:
    """gzip of `size` zero bytes, built in 1 MB steps (~120 KB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    chunk = bytes(1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(size // len(chunk))]
    parts.append(packer.flush())
    return b"".join(parts)


def build_web(web: HostileWeb) -> None:
    stopping = web.stopping
    web.sites[GOOD] = good_site()

    # 1. Redirect loops: a link that loops (A -> B -> A) and a seed whose home page loops.
    web.sites[LOOP] = {
        "/": html('<h1>Loops</h1><p>Fitness tips.</p><a href="/contact">Contact</a> '
                  '<a href="/about">About</a>', "Loops"),
        "/contact": redirect(f"http://{LOOP}/contact-b"),
        "/contact-b": redirect(f"http://{LOOP}/contact"),
        "/about": html("<h1>About</h1><p>Mail about@hostile-redirects.com</p>", "About Loops"),
    }
    web.sites[LOOP_HOME] = {"/": redirect(f"http://{LOOP_HOME}/home"), "/home": redirect(f"http://{LOOP_HOME}/")}

    # 2. A body that never ends, and a server that never answers.
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(b"<html><body><p>Loading")
        while not stopping.wait(0.1):
            handler.wfile.write(b".")

    def silent(handler: BaseHTTPRequestHandler) -> None:
        sock = handler.connection
        while not stopping.is_set():
            readable, _, _ = select.select([sock], [], [], 0.1)
            if readable and not sock.recv(1024):
                return  # the crawler gave up

    web.sites[SLOW] = {"/": trickle}
    web.sites[SILENT] = {"/": silent}

    # 3. A gzip bomb behind a write-for-us link.
    bomb = gzip_bomb()
    web.sites[BOMB] = {
        **simple_site(BOMB, "contact@hostile-gzipbomb.com", ' <a href="/write-for-us">Write for us</a>'),
        "/write-for-us": raw(bomb, "text/html; charset=utf-8", Content_Encoding="gzip"),
    }

    # 4. Broken robots.txt files (and one valid one: robots.txt is still obeyed where readable).
    web.sites[ROBOTS_BINARY] = {**simple_site(ROBOTS_BINARY, "contact@hostile-robots-binary.com"),
                                "/robots.txt": raw(bytes(range(256)) * 64 + b"\x00\xff\xfe",
                                                   "application/octet-stream")}
    web.sites[ROBOTS_HTML] = {**simple_site(ROBOTS_HTML, "contact@hostile-robots-html.net"),
                              "/robots.txt": html("<h1>Oops! Page not found</h1><p>Try the <a href='/'>home "
                                                  "page</a>.</p>", "Page not found")}
    web.sites[ROBOTS_500] = {**simple_site(ROBOTS_500, "contact@hostile-robots-500.org"),
                             "/robots.txt": raw(b"<html><body><h1>500 Internal Server Error</h1></body></html>",
                                                status=500)}
    huge = b"User-agent: *\nDisallow: /private/\n" + b"# " + b"x" * 78 + b"\n"
    web.sites[ROBOTS_HUGE] = {**simple_site(ROBOTS_HUGE, "contact@hostile-robots-huge.co.uk"),
                              "/robots.txt": raw(huge * (HUGE_ROBOTS // len(huge) + 1), "text/plain")}
    web.sites[ROBOTS_VALID] = {
        "/": html('<h1>Valid robots</h1><p>Mail home@hostile-robots-valid.com</p><a href="/contact">Contact</a>',
                  "Valid robots"),
        "/contact": html("<p>hidden@hostile-robots-valid.com</p>"),
        "/robots.txt": raw(b"User-agent: *\nDisallow: /contact\n", "text/plain"),
    }

    # 5. Junk links around one valid contact link.
    junk = ["http://[::1", "http://exa mple.com/", "javascript:alert(1)", "mailto:", "http://%%%/",
            f"http://{LINKS}/{'a' * 3000}", "data:text/html,<script>alert(1)</script>", "//",
            f"http://{LINKS}:99999/about", "http://[www.hostile-links.com]/x", "ht!tp://x/", "https://", "http:",
            f"http://{LINKS}/%zz%", f"http://{LINKS}/\tteam\n", "tel:", "about:blank", "?",
            f"http://user:pass@{LINKS}/resources", "\\\\evil\\share", "http://0x7f.1/",
            f"http://{LINKS}/" + "é" * 40]
    anchors = " ".join(f'<a href="{h.replace(chr(34), "&quot;")}">Contact</a>' for h in junk)
    web.sites[LINKS] = {
        "/": html(f"<h1>Junk links</h1><p>Running blog.</p>{anchors} <a href=\"/contact-us\">Contact us</a> "
                  '<a href="/write-for-us">Write for us</a>',
                  "Junk links"),
        "/contact-us": html("<h1>Contact</h1><p>hello@hostile-links.com</p>", "Contact junk"),
        "/write-for-us": html("<h1>Write for us</h1><p>Pitch pitch@hostile-links.com</p>", "Write for us"),
    }

    # 6. Malformed HTML and broken encodings.
    latin1_in_utf8 = ("<!DOCTYPE html><html><head><title>Café Müller</title></head><body><h1>Café für Fitness</h1>"
                      "<p>Schreiben Sie an redaktion@hostile-encoding.com · Grüße</p>"
                      '<a href="/contact">Kontakt</a> <a href="/about">About</a> <a href="/write-for-us">Write for '
                      'us</a> <a href="/team">Our team</a> <a href="/advertise">Advertise</a> '
                      '<a href="/resources">Resources</a> <a href="/about-us">Our crew</a> '
                      '<a href="/deep">Press</a></body></html>').encode("latin-1")
    bom_utf8 = b"\xef\xbb\xbf" + ("<html><head><title>Kontakt – Zoë Ångström</title></head><body>"
                                   "<p>Zoë: zoe@hostile-encoding.com</p></body></html>").encode("utf-8")
    bom_utf16 = ("<html><head><title>About us</title></head><body><p>Über uns: "
                 "about@hostile-encoding.com</p></body></html>").encode("utf-16")  # with its BOM
    malformed = (b"<html><body><div><p>Guest posts welcome! Pitch <b>pitches@hostile-encoding.com<i></div></p></b>"
                 b"<table><tr><td>unclosed <p <p> <<<>>> &bogus; &#xD800; &#99999999; </html> after the end"
                 b"<a href=/contact>contact<a href=\"/adv")
    mixed = ("<html><head><meta charset=\"utf-8\"><title>Resources</title></head><body><p>Zoë's list "
             .encode("utf-8") + "“smart quotes” links@hostile-encoding.com".encode("cp1252")
             + b"</p></body></html>")

    def truncated(handler: BaseHTTPRequestHandler) -> None:
        body = b"<html><body><p>Our team: team@hostile-encoding.com</p>" + b"<p>more</p>" * 40
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body) * 4))
        handler.end_headers()
        handler.wfile.write(body)  # then hang up: a quarter of what was promised

    web.sites[ENC] = {
        "/": raw(latin1_in_utf8, "text/html; charset=utf-8"),
        "/contact": raw(bom_utf8, "text/html; charset=iso-8859-1"),
        "/about": raw(bom_utf16, "text/html; charset=utf-8"),
        "/write-for-us": raw(malformed, "text/html"),
        "/team": truncated,
        "/advertise": raw(b"<html><body><p>Advertising: ads@hostile-encoding.com</p></body></html>",
                          "text/html; charset=bogus-8"),
        "/resources": raw(mixed, "text/html"),
        # One NUL byte early in a real page, an address with Latin-1 bytes on a page declared UTF-8
        # (never to be cut to "ller@..."), and nesting past the parser's limit with the address after it.
        "/about-us": raw(b"<html><head><title>About us</title></head><body>\x00<p>Team: crew@hostile-encoding.com</p>"
                         b"<p>Chef: m\xfcller@hostile-encoding.com</p></body></html>", "text/html; charset=utf-8"),
        "/deep": raw(b"<html><body>" + b"<div>" * 3000 + b"deep" + b"</div>" * 3000
                     + b"<p>Write to deep@hostile-encoding.com</p></body></html>", "text/html"),
    }

    # 7/8/10. Plain sites for the seed-line and database tests, one per test (their hits tell what
    # that crawl fetched).
    for host in (DB_READONLY, DB_PRELOCKED, DB_LOCKED, CREDS, DISK_FULL):
        web.sites[host] = {**simple_site(host, f"contact@{host[4:]}", ' <a href="/about">About</a>'),
                           "/about": html("<h1>About</h1><p>We run.</p>", f"About {host}")}


# ====================================================================== crawls
# Runs run_crawl in a small wrapper process, so that RUSAGE_CHILDREN there is the
# crawl's own peak RSS, and (for the read-only test) so that the crawl can run
# without root's power to write read-only files.
WRAPPER = r"""
import ctypes, json, os, resource, sys
from pathlib import Path
spec = json.loads(sys.argv[1])
os.environ.update(spec["env"])
libc = ctypes.CDLL(None, use_errno=True)
for cap in spec["drop_caps"]:
    if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: the exec'd crawl never gets it
        print(json.dumps({"error": "prctl(PR_CAPBSET_DROP) failed: errno %d" % ctypes.get_errno()}))
        sys.exit(0)
from fakeweb.crawl import run_crawl
result = run_crawl("seeds", spec["proxy"], Path(spec["db"]), "niche=fitness", "seeds=" + spec["seeds"],
                   settings=spec["settings"], timeout=spec["timeout"])
print(json.dumps({"returncode": result.returncode, "log": result.log,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
BASE_SETTINGS = {"RENDER": "never", "LINKSPIDER_TODAY": "2026-11-25", "ROBOTS_RETRY_DELAY": "0.5"}


@dataclass
class Crawl:
    returncode: int
    log: str
    db: Path
    maxrss_mb: float
    seconds: float
    spare: Path | None = None  # the crawl's TMPDIR, when the test gave it one
    leftovers: list[str] = field(default_factory=list)  # unsaved-* files left on a full disk

    def rows(self, sql: str, *args: Any) -> list[tuple]:
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def emails(self, domain: str) -> set[str]:
        return {v for (v,) in self.rows("SELECT value FROM contacts WHERE kind = 'email' AND domain = ?", domain)}

    def page(self, url: str) -> tuple[Any, Any] | None:
        found = self.rows("SELECT status, error FROM pages WHERE url = ?", url)
        return found[0] if found else None

    def stat(self, name: str) -> int:
        match = re.search(rf"'{re.escape(name)}': (\d+)", self.log)
        return int(match.group(1)) if match else 0


def crawl(web: HostileWeb, folder: Path, hosts: list[str], *, settings: dict[str, str] | None = None,
          drop_caps: tuple[int, ...] = (), db: Path | None = None, timeout: float = 90,
          seed_bytes: bytes | None = None, env: dict[str, str] | None = None) -> Crawl:
    """Crawl the hosts (or the seed list ``seed_bytes``, as written to disk) into ``db``."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = folder / "seeds.txt"
    seeds.write_bytes(seed_bytes or "".join(f"http://{h}/\n" for h in hosts).encode("utf-8"))
    db = db or folder / "linkspider.db"
    spec = {"proxy": web.url, "db": str(db), "seeds": str(seeds), "settings": {**BASE_SETTINGS, **(settings or {})},
            "drop_caps": list(drop_caps), "timeout": timeout, "env": env or {}}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(spec)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout + 30, env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.monotonic() - started
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise AssertionError(f"crawl wrapper failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}") from None
    if "error" in out:
        pytest.skip(out["error"])
    result = Crawl(out["returncode"], out["log"], db, out["maxrss_kb"] / 1024, seconds)
    dump = os.environ.get("BAD_INPUT_LOGS")
    if dump:
        Path(dump).mkdir(parents=True, exist_ok=True)
        (Path(dump) / f"{folder.name}.log").write_text(result.log)
    return result


def assert_clean(result: Crawl, exit_code: int = 0) -> None:
    """Exit code as documented, no traceback, and the good site complete with its email."""
    assert result.returncode == exit_code, result.log[-4000:]
    assert "Traceback" not in result.log, result.log[-6000:]
    assert GOOD_EMAIL in result.emails("hostile-good.com"), result.log[-4000:]
    status, error = result.page(f"http://{GOOD}/contact") or (None, "missing")
    assert status == 200 and not error


# ---------------------------------------------------------------- scenarios
def scenario_redirects(web: HostileWeb, folder: Path) -> Crawl:
    return crawl(web, folder, [GOOD, LOOP, LOOP_HOME])


def scenario_slow(web: HostileWeb, folder: Path) -> Crawl:
    return crawl(web, folder, [GOOD, SLOW, SILENT], settings={"DOWNLOAD_TIMEOUT": "2"})


def scenario_gzip(web: HostileWeb, folder: Path) -> Crawl:
    return crawl(web, folder, [GOOD, BOMB])


def scenario_robots(web: HostileWeb, folder: Path) -> Crawl:
    return crawl(web, folder, [GOOD, ROBOTS_BINARY, ROBOTS_HTML, ROBOTS_500, ROBOTS_VALID])


def scenario_links(web: HostileWeb, folder: Path) -> Crawl:
    return crawl(web, folder, [GOOD, LINKS])


def scenario_encodings(web: HostileWeb, folder: Path) -> Crawl:
    return crawl(web, folder, [GOOD, ENC])


class HeldLock:
    """Another process's write lock on the database (BEGIN EXCLUSIVE), taken and released on demand."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.conn: sqlite3.Connection | None = None
        self.taken = False
        self.mutex = threading.Lock()

    def take(self) -> None:
        """Once: a request arriving after the release does not lock again."""
        with self.mutex:
            if not self.taken:
                self.taken = True
                conn = sqlite3.connect(self.db, timeout=10, isolation_level=None, check_same_thread=False)
                conn.execute("BEGIN EXCLUSIVE")
                self.conn = conn

    def release(self) -> None:
        with self.mutex:
            if self.conn is not None:
                self.conn.execute("ROLLBACK")
                self.conn.close()
                self.conn = None


def fresh_db(folder: Path) -> Path:
    """An existing linkspider database (schema in place, WAL mode), closed."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "linkspider.db"
    Store(db).close()
    return db


def scenario_readonly(web: HostileWeb, folder: Path) -> Crawl:
    db = fresh_db(folder)
    for extra in (folder / "linkspider.db-wal", folder / "linkspider.db-shm"):
        extra.unlink(missing_ok=True)
    db.chmod(0o444)  # read-only; its folder stays writable (the unsaved file goes there)
    # Root writes read-only files anyway: as root, the crawl runs without CAP_DAC_OVERRIDE & co
    # (dropped from the bounding set before exec), so permissions bind it as they bind any user.
    caps = (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) if os.geteuid() == 0 else ()
    return crawl(web, folder, [GOOD, DB_READONLY], db=db, drop_caps=caps)


def scenario_prelocked(web: HostileWeb, folder: Path) -> Crawl:
    db = fresh_db(folder)
    lock = HeldLock(db)
    lock.take()  # before the crawl starts, until it ends
    try:
        return crawl(web, folder, [GOOD, DB_PRELOCKED], db=db)
    finally:
        lock.release()


def scenario_locked(web: HostileWeb, folder: Path) -> Crawl:
    """The lock is taken once the crawl runs (its first request to DB_LOCKED) and held until the
    crawl has given up and saved its pages; only the final flush writes (a short crawl)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "linkspider.db"
    lock = HeldLock(db)
    web.hooks[DB_LOCKED] = lambda path: lock.take()
    done = threading.Event()

    def release_after_spill() -> None:
        deadline = time.monotonic() + 120
        while not done.wait(0.1) and time.monotonic() < deadline:
            if list(folder.glob("unsaved-*.jsonl")):
                break
        lock.release()

    watcher = threading.Thread(target=release_after_spill, daemon=True)
    watcher.start()
    try:
        return crawl(web, folder, [GOOD, DB_LOCKED], db=db, settings={"LINKSPIDER_FLUSH_SECONDS": "600"})
    finally:
        done.set()
        watcher.join()
        lock.release()


def scenario_robots_huge(web: HostileWeb, folder: Path) -> Crawl:
    return crawl(web, folder, [GOOD, ROBOTS_HUGE])


def scenario_seed_lines(web: HostileWeb, folder: Path) -> Crawl:
    """A seed list saved with a BOM, whose first line carries a password and whose second has an
    impossible port; the good site comes after both."""
    text = f"\ufeffhttp://editor:hunter2@{CREDS}/\nhttp://www.hostile-port.com:99999/\nhttp://{GOOD}/\n"
    return crawl(web, folder, [], seed_bytes=text.encode("utf-8"))


def scenario_disk_full(web: HostileWeb, folder: Path) -> Crawl:
    """The database lives on a 1 MB tmpfs that fills up once the crawl runs (its first request to
    DISK_FULL); no job is set. The crawl's temporary folder is elsewhere, with room."""
    disk, spare, kept = folder / "disk", folder / "tmp", folder / "kept"
    for path in (disk, spare, kept):
        path.mkdir(parents=True)
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True).returncode == 0
    if not mounted:
        pytest.skip("a full disk needs a small tmpfs: mount(8) as root")
    try:
        db = fresh_db(disk)
        filled = threading.Event()

        def fill(path: str) -> None:
            if filled.is_set():
                return
            filled.set()
            with contextlib.suppress(OSError), (disk / "filler").open("wb", buffering=0) as fh:
                for _ in range(1024):  # 64 MB at most; the disk holds 1 MB
                    fh.write(bytes(65536))

        web.hooks[DISK_FULL] = fill
        result = crawl(web, folder, [GOOD, DISK_FULL], db=db, env={"TMPDIR": str(spare)},
                       settings={"LINKSPIDER_FLUSH_SECONDS": "600"})
        result.leftovers = sorted(p.name for p in disk.iterdir() if p.name.startswith("unsaved-"))
        for path in disk.glob("linkspider.db*"):  # the disk goes away: keep the database for the tests
            shutil.copyfile(path, kept / path.name)
        result.db = kept / "linkspider.db"
        result.spare = spare
        return result
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


SCENARIOS: dict[str, Callable[[HostileWeb, Path], Crawl]] = {
    "redirects": scenario_redirects, "slow": scenario_slow, "gzip": scenario_gzip, "robots": scenario_robots,
    "robots_huge": scenario_robots_huge, "links": scenario_links, "encodings": scenario_encodings,
    "readonly": scenario_readonly, "prelocked": scenario_prelocked, "locked": scenario_locked,
    "seed_lines": scenario_seed_lines, "disk_full": scenario_disk_full,
}
# Started first: the two lock tests wait out linkspider's fixed 30 s SQLite busy timeout.
SLOW_FIRST = ("locked", "prelocked", "slow")


def uses(name: str) -> Callable[[Any], Any]:
    def mark(fn: Any) -> Any:
        fn.scenario = name
        return fn
    return mark


@pytest.fixture(scope="module")
def web() -> Iterator[HostileWeb]:
    server = HostileWeb()
    build_web(server)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def crawls(web: HostileWeb, request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[Crawl]]]:
    """Start every crawl the selected tests need, in parallel; tests wait for theirs."""
    wanted = {getattr(getattr(item, "function", None), "scenario", None) for item in request.session.items
              if item.module is request.module}
    wanted.discard(None)
    names = sorted(wanted, key=lambda n: (n not in SLOW_FIRST, n))
    pool = ThreadPoolExecutor(max_workers=4)
    base = tmp_path_factory.mktemp("bad_input")
    futures = {name: pool.submit(SCENARIOS[name], web, base / name) for name in names}
    try:
        yield futures
    finally:
        pool.shutdown(wait=True)


def result_of(crawls: dict[str, Future[Crawl]], name: str) -> Crawl:
    return crawls[name].result()


# ====================================================================== tests
def loglines(log: str, *needles: str, levels: tuple[str, ...] = ("INFO", "WARNING", "ERROR")) -> list[str]:
    """Log lines at one of `levels` holding every needle."""
    return [line for line in log.splitlines()
            if any(f"] {level}: " in line for level in levels) and all(n in line for n in needles)]


def spilled(folder: Path) -> list[dict[str, Any]]:
    """The items saved in unsaved-*.jsonl (not the file's header or its run line)."""
    items = []
    for path in sorted(folder.glob("unsaved-*.jsonl")):
        items += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [item for item in items if item.get("type") not in ("unsaved", "run")]


def fetched_pages(web: HostileWeb, host: str) -> set[str]:
    return {f"http://{host}{p}" for p in web.paths(host) if p != "/robots.txt"}


# ---------------------------------------------------------------- 1. redirect loops
@uses("redirects")
def test_redirect_loop_gives_up_and_the_crawl_goes_on(crawls: dict[str, Future[Crawl]], web: HostileWeb) -> None:
    """A -> B -> A: Scrapy gives up after REDIRECT_MAX_TIMES (5) hops; the rest of the site and the
    other seeds are walked as usual."""
    result = result_of(crawls, "redirects")
    assert_clean(result)
    # The looping home page was asked for exactly 1 + REDIRECT_MAX_TIMES times, the looping link less
    # (its second hop back to /contact is a duplicate request).
    assert len([p for p in web.paths(LOOP_HOME) if p != "/robots.txt"]) == 1 + 5
    assert 1 <= web.paths(LOOP).count("/contact") + web.paths(LOOP).count("/contact-b") <= 1 + 5
    # The same site's other pages are stored, with the email on them.
    assert "about@hostile-redirects.com" in result.emails("hostile-redirects.com")
    assert (result.page(f"http://{LOOP}/") or (0,))[0] == 200


@uses("redirects")
def test_redirect_loop_is_recorded_or_logged(crawls: dict[str, Future[Crawl]]) -> None:
    """A seed whose home page loops must not vanish: a row saying why, or at least a log line a user sees."""
    result = result_of(crawls, "redirects")
    home = f"http://{LOOP_HOME}/"
    row = result.rows("SELECT error FROM pages WHERE url = ?", home)
    recorded = bool(row) and "redirect" in (row[0][0] or "").lower()
    logged = bool(loglines(result.log, home, "redirect", levels=("WARNING", "ERROR")))
    assert recorded or logged, loglines(result.log, LOOP_HOME, levels=("DEBUG", "INFO", "WARNING", "ERROR"))
    # A looping link inside an otherwise fine site ends when its loop meets Scrapy's duplicate
    # filter (the walk keeps dont_filter off for followed links, which distributed workers rely
    # on): no row for it, a known limit. The site itself is stored (see the test above).


# ---------------------------------------------------------------- 2. endless responses
@uses("slow")
def test_endless_and_silent_responses_time_out_into_error_rows(crawls: dict[str, Future[Crawl]]) -> None:
    """A body that trickles forever and a server that never answers: with DOWNLOAD_TIMEOUT=2 each
    is tried twice (RETRY_TIMES=1) and stored as a DownloadTimeoutError row; the crawl ends."""
    result = result_of(crawls, "slow")
    assert_clean(result)
    assert result.seconds < 45, result.seconds  # 2 x 2 s per slow site, plus Scrapy's start-up
    for host in (SLOW, SILENT):
        url = f"http://{host}/"
        status, error = result.page(url) or (None, "")
        assert status is None and "took longer than 2.0 seconds" in error, (url, error)
        assert loglines(result.log, f"could not fetch {url}: Getting {url} took longer than 2.0 seconds",
                        levels=("WARNING",))
        domain = host.split(".", 1)[1]
        assert "took longer than 2.0 seconds" in result.rows("SELECT last_error FROM sites WHERE domain = ?",
                                                             domain)[0][0]


# ---------------------------------------------------------------- 3. gzip bomb
@uses("gzip")
def test_gzip_bomb_is_cut_at_download_maxsize(crawls: dict[str, Future[Crawl]]) -> None:
    """~120 KB of gzip that inflates to 120 MB: Scrapy 2.19's HttpCompressionMiddleware inflates in
    64 KB steps and stops past DOWNLOAD_MAXSIZE (5 MB), so memory stays flat; the page is dropped
    with Scrapy's warning, the rest of the site is walked."""
    result = result_of(crawls, "gzip")
    assert_clean(result)
    url = f"http://{BOMB}/write-for-us"
    assert loglines(result.log, f"Ignored response <200 {url}>", "exceeded DOWNLOAD_MAXSIZE (5242880 B) "
                    "during decompression", levels=("WARNING",)), result.log[-3000:]
    assert result.maxrss_mb < 500, result.maxrss_mb  # ~110 MB: a plain crawl's size
    assert "contact@hostile-gzipbomb.com" in result.emails("hostile-gzipbomb.com")


@uses("gzip")
def test_gzip_bomb_page_is_recorded_as_an_error_row(crawls: dict[str, Future[Crawl]]) -> None:
    """Like a plain page over 5 MB (test_safety), the bomb should leave a row saying why."""
    result = result_of(crawls, "gzip")
    status, error = result.page(f"http://{BOMB}/write-for-us") or (None, "")
    assert status is None and "DOWNLOAD_MAXSIZE" in error, error


# ---------------------------------------------------------------- 4. broken robots.txt
@uses("robots")
def test_unusable_robots_txt_means_no_rules_but_a_server_error_means_stay_out(
        crawls: dict[str, Future[Crawl]], web: HostileWeb) -> None:
    """Binary junk and an HTML "not found" page served with 200 hold no rules: those sites are walked as
    if they had no robots.txt. A 500 is RFC 9309's "unreachable": asked once more, then nothing of the
    site is fetched and its row says why. A readable robots.txt in the same crawl is still obeyed."""
    result = result_of(crawls, "robots")
    assert_clean(result)
    for host in (ROBOTS_BINARY, ROBOTS_HTML):
        domain = host.split(".", 1)[1]
        assert "/robots.txt" in web.paths(host)
        assert f"contact@{domain}" in result.emails(domain), host
        assert (result.page(f"http://{host}/contact") or (0,))[0] == 200
    assert web.paths(ROBOTS_500) == ["/robots.txt", "/robots.txt"]  # the retry after ROBOTS_RETRY_DELAY
    assert not result.emails("hostile-robots-500.org")
    assert result.page(f"http://{ROBOTS_500}/") == (None, "robots.txt unreachable (HTTP 500)")
    # The control: a valid robots.txt forbids /contact, and it is neither fetched nor stored.
    assert "/contact" not in web.paths(ROBOTS_VALID)
    assert result.emails("hostile-robots-valid.com") == {"home@hostile-robots-valid.com"}
    assert result.stat("robotstxt/forbidden") == 1


@uses("robots_huge")
def test_huge_robots_txt_is_read_up_to_500_kib(crawls: dict[str, Future[Crawl]], web: HostileWeb) -> None:
    """A 6 MB robots.txt is cut at ROBOTS_MAX_BYTES and its beginning read (RFC 9309): no traceback."""
    result = result_of(crawls, "robots_huge")
    assert "contact@hostile-robots-huge.co.uk" in result.emails("hostile-robots-huge.co.uk")
    assert_clean(result)


# ---------------------------------------------------------------- 5. junk links
@uses("links")
def test_junk_links_are_skipped_and_the_contact_link_followed(crawls: dict[str, Future[Crawl]],
                                                               web: HostileWeb) -> None:
    """Unparseable, non-http, space-filled, over-long and port-out-of-range links: none is fetched
    from anywhere odd, none raises, and the valid contact and write-for-us links are followed."""
    result = result_of(crawls, "links")
    assert not {h for h, _ in web.targets()} - set(web.sites)  # no junk host was ever asked for
    assert not any(len(p) > 1024 for p in web.paths(LINKS))  # URLLENGTH_LIMIT
    assert "hello@hostile-links.com" in result.emails("hostile-links.com")
    assert "pitch@hostile-links.com" in result.emails("hostile-links.com")
    assert not loglines(result.log, "Spider error processing", levels=("ERROR",))
    assert_clean(result)


# ---------------------------------------------------------------- 6. broken HTML and encodings
@uses("encodings")
def test_broken_html_and_encodings_still_give_their_emails(crawls: dict[str, Future[Crawl]]) -> None:
    """What happens, page by page:
    - declared utf-8, written in latin-1: the stray bytes become U+FFFD, the (ASCII) email is found;
    - a UTF-8 BOM under a `charset=iso-8859-1` header: the BOM wins (as in browsers), text is right;
    - malformed and cut-off HTML (unclosed tags, `<<<>>>`, bad entities, a tag cut mid-attribute): parsed;
    - a `charset=bogus-8` header: ignored, decoded anyway;
    - utf-8 and cp1252 mixed in one page: the email is found;
    - a body cut short of its Content-Length: Scrapy's DOWNLOAD_FAIL_ON_DATALOSS (default True) fails
      it after one retry; it is stored as a ResponseDataLossError row (its email is lost, as documented).
    The log says nothing alarming about the decodable pages."""
    result = result_of(crawls, "encodings")
    assert_clean(result)
    emails = result.emails("hostile-encoding.com")
    for email in ("redaktion@", "zoe@", "pitches@", "ads@", "links@", "crew@", "deep@"):
        assert email + "hostile-encoding.com" in emails, (email, emails)
    # m\xfcller@ on a UTF-8 page: dropped whole, never stored as the wrong address "ller@".
    assert not {e for e in emails if e.startswith(("ller@", "m\ufffdller@"))}, emails
    notes = dict(result.rows("SELECT url, notes FROM pages WHERE url LIKE ?", f"http://{ENC}/%"))
    assert notes[f"http://{ENC}/about-us"] == "1 control character (NUL...) removed"
    assert "container tags flattened" in notes[f"http://{ENC}/deep"]
    base = f"http://{ENC}"
    title = "SELECT title FROM pages WHERE url = ?"
    assert result.rows(title, f"{base}/contact")[0][0] == "Kontakt – Zoë Ångström"
    assert result.rows(title, f"{base}/")[0][0] == "Caf\ufffd M\ufffdller"
    for path in ("/", "/contact", "/write-for-us", "/advertise", "/resources", "/about-us", "/deep"):
        status, error = result.page(base + path) or (None, "missing")
        assert status == 200 and not error, (path, error)
    alarming = [line for line in loglines(result.log, ENC, levels=("WARNING", "ERROR")) if "/team" not in line]
    assert not alarming, alarming
    status, error = result.page(f"{base}/team") or (None, "")
    assert status is None and error.startswith("ResponseDataLossError"), error
    assert loglines(result.log, f"Got data loss in {base}/team", levels=("WARNING",))


@uses("encodings")
def test_utf16_page_with_a_bom_contradicting_the_header_is_read(crawls: dict[str, Future[Crawl]]) -> None:
    """Header says utf-8, the body starts with a UTF-16 BOM: browsers and Scrapy follow the BOM."""
    result = result_of(crawls, "encodings")
    status, error = result.page(f"http://{ENC}/about") or (None, "missing")
    assert status == 200 and not error, error
    assert "about@hostile-encoding.com" in result.emails("hostile-encoding.com")


# ---------------------------------------------------------------- 7. read-only database
@uses("readonly")
def test_read_only_database_stops_the_crawl_with_a_clear_message(crawls: dict[str, Future[Crawl]],
                                                                 web: HostileWeb) -> None:
    """The database file is read-only (0444, the crawl running without root's override). The crawl
    cannot even record its run, so it should stop at once: one message naming the database and
    the cause, exit code 1, and no page fetched that is not saved in unsaved-*.jsonl."""
    result = result_of(crawls, "readonly")
    assert result.returncode == 1, result.log[-3000:]
    assert loglines(result.log, f"database {result.db} is read-only", levels=("ERROR",)), result.log[-5000:]
    assert "Traceback" not in result.log, result.log[-5000:]
    saved = {item["url"] for item in spilled(result.db.parent)}
    assert fetched_pages(web, DB_READONLY) <= saved


# ---------------------------------------------------------------- 8. locked database
@uses("prelocked")
def test_database_locked_before_the_crawl_stops_it_with_a_clear_message(crawls: dict[str, Future[Crawl]],
                                                                        web: HostileWeb) -> None:
    """Another process holds a write lock (BEGIN EXCLUSIVE) from before the crawl to its end. After
    the store's SQLite busy timeout (30 s, fixed: no setting) the crawl should stop with the
    'locked by another process' message and exit 1, losing nothing it fetched."""
    result = result_of(crawls, "prelocked")
    assert result.returncode == 1, result.log[-3000:]
    assert loglines(result.log, f"database {result.db} is locked by another process", levels=("ERROR",)), \
        result.log[-5000:]
    assert "Traceback" not in result.log, result.log[-5000:]
    saved = {item["url"] for item in spilled(result.db.parent)}
    assert fetched_pages(web, DB_PRELOCKED) <= saved


@uses("locked")
def test_database_locked_during_the_crawl_spills_pages_to_unsaved_jsonl(crawls: dict[str, Future[Crawl]],
                                                                        web: HostileWeb) -> None:
    """The lock is taken while the crawl runs and held until it gave up: after the 30 s busy timeout
    the store says the database is locked, and every page is saved next to the database in
    unsaved-*.jsonl, with its URL and the emails found on it."""
    result = result_of(crawls, "locked")
    assert "Traceback" not in result.log, result.log[-5000:]
    assert loglines(result.log, "could not write", f"database {result.db} is locked by another process",
                    levels=("ERROR",)), result.log[-5000:]
    files = list(result.db.parent.glob("unsaved-*.jsonl"))
    assert len(files) == 1
    assert loglines(result.log, f"could not be written to {result.db}; they are saved in {files[0]}",
                    levels=("ERROR",))
    items = spilled(result.db.parent)
    saved = {item["url"] for item in items if "url" in item}
    assert fetched_pages(web, DB_LOCKED) <= saved
    assert {f"http://{GOOD}/", f"http://{GOOD}/contact", f"http://{DB_LOCKED}/contact"} <= saved
    contact = next(item for item in items if item.get("url") == f"http://{GOOD}/contact")
    assert GOOD_EMAIL in json.dumps(contact["facts"])
    # Nothing reached the database (the run row was written before the lock).
    assert result.rows("SELECT count(*) FROM pages") == [(0,)]


@uses("locked")
def test_database_locked_during_the_crawl_exits_non_zero(crawls: dict[str, Future[Crawl]]) -> None:
    result = result_of(crawls, "locked")
    assert result.returncode == 1
    [(outcome, reason)] = result.rows("SELECT outcome, reason FROM runs")
    assert outcome == "failed" and reason.startswith("store_error: ") and "is locked by another process" in reason


# ---------------------------------------------------------------- 9. seed lines
@uses("seed_lines")
def test_a_bad_seed_line_is_reported_and_the_rest_go_on(crawls: dict[str, Future[Crawl]]) -> None:
    """An impossible port on line 2 costs that line only: the sites before and after it are
    crawled, the line is named with file:line, and the crawl ends normally."""
    result = result_of(crawls, "seed_lines")
    assert_clean(result)
    seeds = result.db.parent / "seeds.txt"
    assert loglines(result.log, f"malformed seed line skipped: {seeds}:2: impossible port '99999'",
                    levels=("WARNING",)), result.log[-4000:]
    assert result.stat("linkspider/seeds/malformed") == 1 and result.stat("linkspider/seeds/valid") == 2


@uses("seed_lines")
def test_a_seed_list_with_a_bom_keeps_its_first_line_without_the_password(crawls: dict[str, Future[Crawl]],
                                                                          web: HostileWeb) -> None:
    """Line 1 (after the BOM) is crawled, as the URL without its user name and password: the
    password appears in no row of the database and no log line."""
    result = result_of(crawls, "seed_lines")
    assert result.page(f"http://{CREDS}/contact") == (200, "")
    assert "contact@hostile-creds.com" in result.emails("hostile-creds.com")
    conn = sqlite3.connect(result.db)
    try:
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert "hunter2" not in dump and "editor:" not in dump
    assert "hunter2" not in result.log


# ---------------------------------------------------------------- 10. a full disk
@uses("disk_full")
def test_full_disk_keeps_every_page_in_a_non_empty_unsaved_file(crawls: dict[str, Future[Crawl]],
                                                                 web: HostileWeb) -> None:
    """The disk holding the database fills up during the crawl: the crawl stops with exit status 1
    and one message; the pages it could not write are in unsaved-*.jsonl in the temporary folder
    (the database's own folder has no room), and no empty file is left on the full disk."""
    result = result_of(crawls, "disk_full")
    assert result.returncode == 1, result.log[-3000:]
    assert "Traceback" not in result.log, result.log[-5000:]
    full_db = result.db.parent.parent / "disk" / "linkspider.db"
    assert loglines(result.log, "could not write", f"disk full while writing {full_db}; free space and run again",
                    levels=("ERROR",)), result.log[-5000:]
    assert result.leftovers == []
    assert result.spare is not None
    files = list(result.spare.glob("unsaved-*.jsonl"))
    assert len(files) == 1 and files[0].stat().st_size > 0
    assert loglines(result.log, f"they are saved in {files[0]}", levels=("ERROR",))
    saved = {item["url"] for item in spilled(result.spare) if "url" in item}
    stored = {url for (url,) in result.rows("SELECT url FROM pages")}
    assert fetched_pages(web, DISK_FULL) | fetched_pages(web, GOOD) <= saved | stored
    assert fetched_pages(web, DISK_FULL) <= saved


@uses("disk_full")
def test_full_disk_without_a_job_does_not_promise_a_resume(crawls: dict[str, Future[Crawl]]) -> None:
    result = result_of(crawls, "disk_full")
    assert loglines(result.log, "disk full")
    assert loglines(result.log, "resume", levels=("WARNING", "ERROR")) == []
