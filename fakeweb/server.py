"""Serve the fake web on 127.0.0.1 as an HTTP forward proxy.

Crawls reach it through ``http_proxy=http://127.0.0.1:PORT``, so requests arrive
in absolute-URI form (``GET http://www.site.com/x HTTP/1.1``); origin-form with a
``Host`` header works too. ``CONNECT`` (https through the proxy) is refused at
once: the fake web has no TLS, and a hanging CONNECT stalls browsers and tests.
Every request is logged as a ``Hit`` so tests can assert what was (not) fetched.

It also serves the fake search engines of ``search.py`` (SearXNG, Brave, Google
CSE, DuckDuckGo HTML) on their own hostnames through the proxy and under
``/searxng``, ``/brave``, ``/google``, ``/duckduckgo`` on 127.0.0.1:PORT directly:
see ``search_base()``, ``search_endpoint()``, ``search_failures``, ``search_log``.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from linkspider.common.domains import registrable_domain

from .generate import FakeWeb, build_web
from .model import Page, Redirect
from .search import (
    DIRECT_PREFIXES,
    ENDPOINTS,
    SEARCH_HOSTS,
    SearchFailures,
    SearchIndex,
    SearchRequest,
    SearchService,
)

# Addressed to the proxy itself: a real site never sees them.
_PROXY_HEADERS = {"proxy-authorization", "proxy-connection"}


@dataclass(frozen=True)
class Hit:
    """One request the server answered, with the headers the site received."""

    method: str
    host: str
    path: str
    user_agent: str
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    at: float = 0.0  # time.monotonic() when it was answered

    @property
    def referer(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "referer"), "")


class _Handler(BaseHTTPRequestHandler):
    """Turns FakeWeb answers into HTTP; one connection per request (``Connection: close``)."""

    server_version = "FakeWeb/1.0"
    protocol_version = "HTTP/1.1"
    owner: FakeWebServer  # set on the subclass made by FakeWebServer.start()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the hit log is the record."""

    def _target(self) -> tuple[str, str]:
        """(host, path?query) from an absolute URI or from the Host header."""
        if "://" in self.path:
            parts = urlsplit(self.path)
            return (parts.hostname or ""), (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0] if self.headers.get("Host") else ""
        return host.strip("[]").lower(), self.path

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
              head_only: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(body)
        self.close_connection = True

    def _site_headers(self) -> tuple[tuple[str, str], ...]:
        return tuple((k, v) for k, v in self.headers.items() if k.lower() not in _PROXY_HEADERS)

    def _serve(self, head_only: bool = False, body: bytes = b"") -> None:
        arrived = time.monotonic()  # before any work: the hit log's times are when requests came in
        host, path = self._target()
        answer = self.owner.search.handle(self.command, host, path, self.headers, body)
        if answer is None:
            answer = self.owner.answer(host, path)
        if isinstance(answer, Redirect):
            status = answer.status
            body = f'<html><body>Moved: <a href="{answer.location}">{answer.location}</a></body></html>'.encode()
            self.owner.record(self.command, host, path, self.headers.get("User-Agent", ""), status,
                              self._site_headers(), arrived)
            self._send(status, body, "text/html; charset=utf-8", {"Location": answer.location}, head_only)
            return
        self.owner.record(self.command, host, path, self.headers.get("User-Agent", ""),
                          answer.head_status if self.command == "HEAD" and answer.head_status else answer.status,
                          self._site_headers(), arrived)
        if answer.delay:
            time.sleep(answer.delay)  # the fake slow page (only this handler thread waits)
        status = answer.head_status if head_only and answer.head_status else answer.status
        self._send(status, answer.body, answer.content_type, answer.headers, head_only)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve()

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head_only=True)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._serve(body=body)

    def do_CONNECT(self) -> None:  # noqa: N802
        host = self.path.rsplit(":", 1)[0].lower()
        self.owner.record("CONNECT", host, self.path, self.headers.get("User-Agent", ""), 502)
        self._send(502, b"502 Bad Gateway: the fake web has no TLS (CONNECT refused)\n", "text/plain; charset=utf-8")


class FakeWebServer:
    """The fake web behind a forward proxy on 127.0.0.1 (port 0: the OS picks).

    Use as a context manager or call ``start()``/``stop()``; point clients at
    ``proxy_url``. ``hits`` is a snapshot of the request log.
    """

    def __init__(self, web: FakeWeb | None = None, port: int = 0, host: str = "127.0.0.1"):
        self.web = web or build_web()
        self._bind = (host, port)
        self._lock = threading.Lock()
        self._hits: list[Hit] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._manifest_json = json.dumps(self.web.manifest, indent=1).encode()
        self.search = SearchService(self.web)

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FakeWebServer:
        handler = type("FakeWebHandler", (_Handler,), {"owner": self})
        self._httpd = ThreadingHTTPServer(self._bind, handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fakeweb", daemon=True)
        self._thread.start()
        # Build the search index now, off the request path (shared by every server of this web).
        threading.Thread(target=lambda: self.search.index, name="fakeweb-search-index", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeWebServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeWebServer is not running")
        return self._httpd.server_address[1]

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- fake search engines (see search.py) -------------------------------

    def search_base(self, engine: str, via: str = "direct") -> str:
        """Base URL of a fake engine: ``http://127.0.0.1:PORT/<engine>`` (direct) or ``http://<its host>`` (proxy)."""
        if engine not in SEARCH_HOSTS:
            raise KeyError(f"unknown search engine {engine!r} (one of {', '.join(SEARCH_HOSTS)})")
        if via == "direct":
            return f"{self.proxy_url}{DIRECT_PREFIXES[engine]}"
        if via == "proxy":
            return f"http://{SEARCH_HOSTS[engine]}"
        raise ValueError("via must be 'direct' or 'proxy'")

    def search_endpoint(self, engine: str, via: str = "direct") -> str:
        """Full endpoint URL, e.g. ``http://127.0.0.1:PORT/brave/res/v1/web/search``."""
        return self.search_base(engine, via) + ENDPOINTS[engine]

    @property
    def search_failures(self) -> SearchFailures:
        """Failure switches: ``server.search_failures["brave"] = "429"`` (thread-safe)."""
        return self.search.failures

    @property
    def search_index(self) -> SearchIndex:
        """The in-process index behind the fake engines (ground truth for recall tests)."""
        return self.search.index

    @property
    def search_log(self) -> list[SearchRequest]:
        """Every search request answered so far (engine, method, query, page, status)."""
        return self.search.log

    def search_hits(self, engine: str) -> list[Hit]:
        """Hit-log entries of one engine (through the proxy or direct)."""
        if engine not in SEARCH_HOSTS:
            raise KeyError(f"unknown search engine {engine!r}")
        return [h for h in self.hits if (r := SearchService.route(h.host, h.path)) is not None and r[0] == engine]

    def search_counts(self) -> dict[str, int]:
        """Requests per engine in the hit log (every engine listed, 0 when unused)."""
        counts = dict.fromkeys(SEARCH_HOSTS, 0)
        for hit in self.hits:
            if (routed := SearchService.route(hit.host, hit.path)) is not None:
                counts[routed[0]] += 1
        return counts

    # -- answers and the hit log -------------------------------------------

    def answer(self, host: str, path: str) -> Page | Redirect:
        """The web's answer, plus the proxy's own pages when addressed directly (``/manifest.json``)."""
        if host in ("127.0.0.1", "localhost", ""):
            if path.split("?")[0] == "/manifest.json":
                return Page(body=self._manifest_json, content_type="application/json")
            return Page(404, b"fake web proxy: ask for http://<site>/... through me\n", "text/plain; charset=utf-8")
        return self.web.resolve(host, path)

    def record(self, method: str, host: str, path: str, user_agent: str, status: int,
               headers: tuple[tuple[str, str], ...] = (), at: float | None = None) -> None:
        with self._lock:
            self._hits.append(Hit(method, host, path, user_agent, status, headers, at or time.monotonic()))

    @property
    def hits(self) -> list[Hit]:
        with self._lock:
            return list(self._hits)

    def hits_for(self, host_or_domain: str) -> list[Hit]:
        """Hits on a host, or on any host of a registrable domain (``ironpulse.com`` matches ``www.``)."""
        key = host_or_domain.lower()
        return [h for h in self.hits if h.host == key or registrable_domain(h.host) == key]

    def reset_hits(self) -> None:
        with self._lock:
            self._hits.clear()
