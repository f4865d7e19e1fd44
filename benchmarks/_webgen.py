#!/usr/bin/env python3
"""A generated web for the crawl benchmarks, and a fast server for it on 127.0.0.1.

``BenchWeb(pages, sites)`` is a deterministic web of ``pages`` HTML pages spread
over ``sites`` sites (hosts under real public suffixes: ``site00042.com``,
``site00043.net``..., so ``tldextract`` gives each its registrable domain).
Every site has a home page, about, contact and blog pages (a third of them a
write-for-us page too) and blog posts; the home page and the blog index link to
every page of the site, so the whole site is one click deep. Pages are 30-100 KB
of realistic markup: an inline stylesheet, a navigation menu, an article of
paragraphs (fitness vocabulary), related posts, a sidebar, a footer, emails on
contact/about pages and on some posts, social and outbound links (to other sites
of the web, and now and then to a competitor that is *not* in the web).

Pages are assembled on request from pre-encoded paragraph blocks (a few tens of
microseconds per page), so a 100,000-page web costs no memory to hold.

The server (``serve()``, or ``python benchmarks/_webgen.py serve``) is an
asyncio protocol answering HTTP/1.1 with keep-alive, in forward-proxy form
(``GET http://site00042.com/about/ HTTP/1.1``, what a client sends through
``http_proxy``) or with a ``Host`` header. It answers ``/robots.txt`` of every
site (allow all but ``/wp-admin/``) and 404 for anything outside the web. Run it
in its own process: it then competes with the crawler only for the second core.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import socket
import sys
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

SUFFIXES = ("com", "com", "com", "net", "org", "co.uk", "blog", "io")

WORDS = (
    "strength training squat deadlift kettlebell bench press workout routine cardio running marathon "
    "mobility stretching yoga protein nutrition recovery sleep muscle endurance intervals hiit tempo "
    "reps sets progression coach gym home training beginner plan week program form technique core "
    "glutes hamstrings shoulders posture warm-up cooldown heart rate pace stride hydration meal prep "
    "calories weight loss fat habit consistency rest day split volume intensity barbell dumbbell band "
    "bodyweight pull-up push-up plank lunge sprint trail race recovery foam roller injury knee back"
).split()
FILLER = (
    "the a and of to in for with on your this that is it you we our at from by as be can will more "
    "most when what how why which about after before every each some many first best simple easy"
).split()
TOPICS = ("Squat", "Deadlift", "Kettlebell", "Running", "Yoga", "Mobility", "Protein", "Marathon",
          "Home Workout", "HIIT", "Stretching", "Recovery", "Meal Prep", "Bench Press", "Cardio")
TITLES = ("How to Master the {t}: A Complete Guide", "{t} for Beginners: 7 Mistakes to Avoid",
          "The Best {t} Routine for Busy People", "Why {t} Matters More Than You Think",
          "{t} Friday Links: This Week's Favourites", "Our 12-Week {t} Plan", "{t} Myths, Debunked",
          "What I Learned From a Year of {t}", "A Coach Answers Your {t} Questions")

_CSS = ("<style>" + "".join(
    f".c{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;color:#{(i * 2654435761) % 0xFFFFFF:06x};"
    f"font:{12 + i % 6}px/1.{i % 9} sans-serif}}" for i in range(160)) + "</style>").encode()
_SCRIPT = ("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
           "gtag('js',new Date());gtag('config','G-BENCH');" + "var t" + ";var t".join(
               f"{i}={i * 7919 % 10007}" for i in range(120)) + ";</script>").encode()


def _paragraphs(count: int, rng: random.Random) -> list[bytes]:
    out = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(5, 9)):
            words = [rng.choice(WORDS) if rng.random() < 0.45 else rng.choice(FILLER)
                     for _ in range(rng.randint(9, 18))]
            sentences.append(" ".join(words).capitalize() + ".")
        text = " ".join(sentences)
        if rng.random() < 0.25:
            text += f' See our <a href="/">training notes</a> and <strong>{rng.choice(WORDS)}</strong> tips.'
        out.append(f'<p class="c{rng.randint(0, 159)}">{text}</p>\n'.encode())
    return out


def _filler(count: int, rng: random.Random) -> list[bytes]:
    """Markup without much text (1-4 KB each): widget div soup, inline SVG icons, script configs."""
    out = []
    for i in range(count):
        kind = i % 3
        if kind == 0:
            items = "".join(
                f'<div class="wp-block-group widget c{rng.randint(0, 159)}"><div class="wp-block-group__inner">'
                f'<span class="icon icon-{rng.choice(WORDS)}" aria-hidden="true"></span>'
                f'<button type="button" class="btn btn-{rng.choice(FILLER)}" data-id="{rng.getrandbits(32):x}">'
                f'{rng.choice(WORDS).title()}</button></div></div>' for _ in range(rng.randint(8, 25)))
            out.append(f'<div class="widget-area">{items}</div>\n'.encode())
        elif kind == 1:
            path = " ".join(f"M{rng.randint(0, 512)} {rng.randint(0, 512)}l{rng.randint(-40, 40)} "
                            f"{rng.randint(-40, 40)}c{rng.randint(0, 9)}.{rng.randint(0, 99)} {rng.randint(0, 9)} "
                            f"{rng.randint(0, 99)} {rng.randint(0, 99)} {rng.randint(0, 99)} {rng.randint(0, 99)}z"
                            for _ in range(rng.randint(30, 90)))
            out.append(f'<svg class="icon" viewBox="0 0 512 512" aria-hidden="true"><path d="{path}"/></svg>\n'
                       .encode())
        else:
            conf = ",".join(f'"{rng.choice(WORDS)}_{k}":{{"v":{rng.randint(0, 99999)},"on":true,'
                            f'"u":"/wp-content/plugins/{rng.choice(WORDS)}/{k}.js?ver={rng.randint(1, 9)}.{k}"}}'
                            for k in range(rng.randint(15, 45)))
            out.append(f'<script id="cfg-{i}">var wpConfig{i}={{{conf}}};</script>\n'.encode())
    return out


@dataclass(frozen=True)
class Site:
    index: int
    host: str
    paths: tuple[str, ...]  # paths[0] == "/"


class BenchWeb:
    """``pages`` pages over ``sites`` sites, identical for every process given the same arguments."""

    def __init__(self, pages: int = 20_000, sites: int | None = None, seed: int = 1) -> None:
        if pages < 1:
            raise ValueError("pages must be at least 1")
        sites = sites or max(1, pages // 10)
        sites = min(sites, pages)
        self.pages, self.seed = pages, seed
        rng = random.Random(seed)
        self.paras = _paragraphs(600, rng)
        self.filler = _filler(200, rng)
        base, extra = divmod(pages, sites)
        self.sites: list[Site] = []
        self.by_host: dict[str, Site] = {}
        for i in range(sites):
            n = base + (1 if i < extra else 0)
            host = f"site{i:05d}.{SUFFIXES[i % len(SUFFIXES)]}"
            fixed = ["/", "/about/", "/contact/", "/blog/"] + (["/write-for-us/"] if i % 3 == 0 else [])
            paths = fixed[:n] + [f"/blog/{TOPICS[(i + k) % len(TOPICS)].lower().replace(' ', '-')}-{k}/"
                                 for k in range(max(0, n - len(fixed)))]
            site = Site(i, host, tuple(paths))
            self.sites.append(site)
            self.by_host[host] = site
        self.page_paths = {s.host: frozenset(s.paths) for s in self.sites}

    @property
    def max_pages_per_site(self) -> int:
        return max(len(s.paths) for s in self.sites)

    def seed_urls(self) -> list[str]:
        return [f"http://{s.host}/" for s in self.sites]

    def hosts(self) -> list[str]:
        return [s.host for s in self.sites]

    # ------------------------------------------------------------ pages
    def robots(self, host: str) -> bytes | None:
        if host not in self.by_host:
            return None
        return b"User-agent: *\nDisallow: /wp-admin/\n"

    def page(self, host: str, path: str) -> bytes | None:
        """The page's HTML, or None when it is not in the web."""
        site = self.by_host.get(host)
        if site is None or path not in self.page_paths[host]:
            return None
        k = site.paths.index(path)
        h = int.from_bytes(hashlib.blake2b(f"{self.seed}|{host}|{path}".encode(), digest_size=8).digest(), "big")
        rng = random.Random(h)
        name = f"{host.split('.')[0].title()} Fitness"
        topic = TOPICS[(site.index + k) % len(TOPICS)]
        kind = {"/": "home", "/about/": "about", "/contact/": "contact", "/blog/": "blog",
                "/write-for-us/": "wfu"}.get(path, "post")
        title = {"home": f"{name} - strength, running and home workouts", "about": f"About {name}",
                 "contact": f"Contact {name}", "blog": f"The {name} blog",
                 "wfu": f"Write for us - {name}"}.get(kind) or rng.choice(TITLES).format(t=topic)
        nav = [("/", "Home"), ("/about/", "About"), ("/blog/", "Blog"), ("/contact/", "Contact")]
        if "/write-for-us/" in site.paths:
            nav.append(("/write-for-us/", "Write for us"))
        nav = [(p, t) for p, t in nav if p in self.page_paths[host]]
        parts: list[bytes] = [
            b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            f"<title>{title}</title><meta name=\"description\" content=\"{title}. {topic} tips from {name}.\">"
            f"<meta property=\"og:title\" content=\"{title}\"><meta property=\"og:site_name\" content=\"{name}\">"
            f"<link rel=\"canonical\" href=\"http://{host}{path}\">".encode(),
            _CSS, b"</head><body>\n<header class=\"site-header\"><div class=\"masthead\">",
            f"<a class=\"logo\" href=\"/\">{name}</a></div><nav class=\"nav-menu\"><ul>".encode(),
            "".join(f"<li><a href=\"{p}\">{t}</a></li>" for p, t in nav).encode(),
            b"</ul></nav></header>\n<main><article>",
            f"<h1>{title}</h1><p class=\"byline\">By <span class=\"author\">Alex {host[4:9]}</span> on "
            f"<time datetime=\"2026-{1 + k % 12:02d}-{1 + k % 27:02d}\">2026-{1 + k % 12:02d}-{1 + k % 27:02d}</time></p>\n"
            .encode(),
        ]
        if kind == "post" and k % 4 == 0:
            parts.append(f"<script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\","
                         f"\"@type\":\"BlogPosting\",\"headline\":\"{title}\",\"author\":{{\"@type\":\"Person\","
                         f"\"name\":\"Alex {host[4:9]}\"}},\"datePublished\":\"2026-{1 + k % 12:02d}-01\"}}</script>"
                         .encode())
        if kind == "contact":
            parts.append(f"<p>Questions, partnerships or a guest post idea? Email us at "
                         f"<a href=\"mailto:hello@{host}\">hello@{host}</a> or write to editor@{host}.</p>"
                         f"<form class=\"contact-form\" method=\"post\" action=\"/contact/\"><input name=\"name\">"
                         f"<input type=\"email\" name=\"email\"><textarea name=\"message\"></textarea>"
                         f"<button>Send</button></form>".encode())
        elif kind == "about":
            parts.append(f"<p>{name} is written by Alex, a personal trainer and marathon runner. "
                         f"Reach Alex at alex@{host}.</p>".encode())
        elif kind == "wfu":
            parts.append(b"<h2>Guest post guidelines</h2><p>We accept guest posts about strength training, "
                         b"running and nutrition. Submit your pitch with a short outline; original articles "
                         b"of 1,200 words or more. Write for us and reach 50,000 readers a month.</p>")
        elif kind == "post" and rng.random() < 0.1:
            parts.append(f"<p>Got a question? Drop a line to coach{k}@{host}.</p>".encode())
        # Like a real blog page: the article is 300-2,500 words (a few KB to ~17 KB of
        # text); the rest of the 30-100 KB is markup - widgets, icons, scripts.
        size = rng.randint(30_000, 100_000)
        words, text_bytes = rng.randint(300, 2_500), 0
        while text_bytes < words * 6.6:
            para = self.paras[rng.randrange(len(self.paras))]
            parts.append(para)
            text_bytes += len(para)
        filler: list[bytes] = []
        have = sum(len(p) for p in parts) + len(_SCRIPT) + 1_500
        while have < size:
            chunk = self.filler[rng.randrange(len(self.filler))]
            filler.append(chunk)
            have += len(chunk)
        if kind in ("home", "blog"):
            parts.append(b"<h2>Recent posts</h2><ul class=\"post-list\">")
            parts.append("".join(f"<li><a href=\"{p}\">{p.strip('/').split('/')[-1].replace('-', ' ').title()}"
                                 f"</a></li>" for p in site.paths[1:]).encode())
            parts.append(b"</ul>")
        others = [p for p in site.paths if p.startswith("/blog/") and p != path and p != "/blog/"]
        parts.append(b"</article><section class=\"related\"><h3>Related posts</h3><ul>")
        for p in rng.sample(others, min(3, len(others))):
            parts.append(f"<li><a href=\"{p}\">{p.strip('/').split('/')[-1].replace('-', ' ')}</a></li>".encode())
        parts.append(b"</ul></section></main>\n<aside class=\"sidebar\"><h3>Friends of the blog</h3><ul>")
        for _ in range(3):
            other = self.sites[rng.randrange(len(self.sites))]
            target = other.paths[rng.randrange(len(other.paths))]
            parts.append(f"<li><a href=\"http://{other.host}{target}\">{other.host}</a></li>".encode())
        if rng.random() < 0.05:
            parts.append(b"<li><a href=\"https://www.nerdfitness.com/blog/\">Nerd Fitness</a></li>")
        half = len(filler) // 2
        parts.append(b"</ul>")
        parts.extend(filler[:half])  # sidebar widgets
        parts.append(b"</aside>\n<footer class=\"footer\"><p>")
        footer_links = " ".join(f"<a href=\"{p}\">{t}</a>" for p, t in nav if p in ("/contact/", "/about/"))
        parts.append(f"&copy; 2026 {name}. <a href=\"https://twitter.com/{host.split('.')[0]}\">Twitter</a> "
                     f"<a href=\"https://www.instagram.com/{host.split('.')[0]}/\">Instagram</a> "
                     f"{footer_links}</p></footer>".encode())
        parts.append(_SCRIPT)
        parts.extend(filler[half:])  # footer widgets, tracking and config scripts
        parts.append(b"</body></html>\n")
        return b"".join(parts)


# ---------------------------------------------------------------- server
_NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"


class _Protocol(asyncio.Protocol):
    def __init__(self, web: BenchWeb, counter: list[int]) -> None:
        self.web, self.counter = web, counter
        self.buf = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > 65536:
                    self.transport.close()  # type: ignore[union-attr]
                return
            head, self.buf = self.buf[:end].decode("latin-1"), self.buf[end + 4:]
            self.respond(head)

    def respond(self, head: str) -> None:
        lines = head.split("\r\n")
        try:
            method, target, _version = lines[0].split(" ", 2)
        except ValueError:
            self.transport.close()  # type: ignore[union-attr]
            return
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "://" in target:
            parts = urlsplit(target)
            host, path = (parts.hostname or ""), parts.path or "/"
        else:
            host, path = headers.get("host", "").rsplit(":", 1)[0].lower(), target.split("?", 1)[0]
        self.counter[0] += 1
        if method == "CONNECT":
            body, status, ctype = b"no TLS here\n", "502 Bad Gateway", "text/plain"
        else:
            ctype = "text/html; charset=utf-8"
            if path == "/robots.txt":
                body, ctype = self.web.robots(host), "text/plain"
            else:
                body = self.web.page(host, path)
            status = "200 OK"
            if body is None:
                body, status, ctype = _NOT_FOUND, "404 Not Found", "text/html; charset=utf-8"
        close = headers.get("connection", "").lower() == "close" or method == "CONNECT"
        out = (f"HTTP/1.1 {status}\r\nServer: benchweb\r\nContent-Type: {ctype}\r\n"
               f"Content-Length: {len(body)}\r\n" + ("Connection: close\r\n" if close else "") + "\r\n").encode()
        self.transport.write(out if method == "HEAD" else out + body)  # type: ignore[union-attr]
        if close:
            self.transport.close()  # type: ignore[union-attr]


async def _serve(web: BenchWeb, host: str, port: int, ready: "threading.Event | None" = None,
                 box: list | None = None) -> None:
    loop = asyncio.get_running_loop()
    counter = [0]
    server = await loop.create_server(lambda: _Protocol(web, counter), host, port, backlog=1024,
                                      reuse_address=True)
    if box is not None:
        box.append(server.sockets[0].getsockname()[1])
    else:
        print(server.sockets[0].getsockname()[1], flush=True)
    if ready is not None:
        ready.set()
    async with server:
        await server.serve_forever()


def serve_main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="serve the benchmark web on 127.0.0.1 (prints the port)")
    ap.add_argument("--pages", type=int, default=20_000)
    ap.add_argument("--sites", type=int, default=None)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    web = BenchWeb(args.pages, args.sites)
    try:
        import uvloop  # type: ignore[import-not-found]  # noqa: F401 - used when present, not required
        uvloop.install()
    except ImportError:
        pass
    try:
        asyncio.run(_serve(web, "127.0.0.1", args.port))
    except KeyboardInterrupt:
        pass
    return 0


# ---------------------------------------------------------------- server in its own process
class ServerProcess:
    """``python benchmarks/_webgen.py serve`` in a subprocess; ``proxy_url``, ``cpu_seconds()``."""

    def __init__(self, pages: int, sites: int | None) -> None:
        import subprocess

        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "serve", "--pages", str(pages),
             *(["--sites", str(sites)] if sites else [])],
            stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if not line.strip().isdigit():
            self.proc.kill()
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        self.port = int(line)
        self.proxy_url = f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        return proc_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of a live process, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


# ---------------------------------------------------------------- capacity
async def _load(port: int, urls: list[str], seconds: float, connections: int) -> tuple[int, int]:
    done, nbytes = 0, 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal done, nbytes
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = offset
        while time.perf_counter() < deadline:
            url = urls[i % len(urls)]
            i += connections
            writer.write(f"GET {url} HTTP/1.1\r\nHost: {urlsplit(url).hostname}\r\n"
                         f"Accept-Encoding: identity\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            done += 1
            nbytes += length
        writer.close()

    await asyncio.gather(*(worker(k) for k in range(connections)))
    return done, nbytes


def measure_capacity(web: BenchWeb, port: int, seconds: float = 3.0, connections: int = 32) -> dict[str, float]:
    """Requests/s the server answers for pages of the web (one asyncio client process, keep-alive).

    The client runs in this process and competes for the same two cores, so the
    figure is a lower bound of what the server alone can do.
    """
    rng = random.Random(7)
    urls = [f"http://{s.host}{p}" for s in web.sites for p in s.paths]
    rng.shuffle(urls)
    urls = urls[:20_000]
    t0 = time.perf_counter()
    done, nbytes = asyncio.run(_load(port, urls, seconds, connections))
    elapsed = time.perf_counter() - t0
    return {"requests": done, "seconds": elapsed, "req_per_s": done / elapsed,
            "mb_per_s": nbytes / elapsed / 1e6, "avg_kb": nbytes / max(1, done) / 1024}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        raise SystemExit(serve_main(sys.argv[2:]))
    print("usage: python benchmarks/_webgen.py serve [--pages N] [--sites N] [--port P]", file=sys.stderr)
    raise SystemExit(2)
