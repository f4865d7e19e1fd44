"""A small hostile web on 127.0.0.1 for the robustness tests, and a canary listener.

``HostileWeb`` is a forward proxy (plain http; ``CONNECT`` gets a 502, as on
the fake web) serving made-up hosts from a dict of answers: a tuple
``(status, headers, body)`` (``body`` bytes, or an iterable of chunks sent
without a ``Content-Length``) or a callable that answers on the handler itself
(to stall, trickle or hang up). Every request is logged with its time, so a
test can measure the gaps between one site's requests; ``hooks[host]`` is
called with each path asked of that host. With ``forward_loopback_to`` set,
requests for a loopback target (in any spelling the crawl might send) are
really forwarded to that port, as a real proxy would, so a canary there sees
what got through.

``Canary`` is a plain HTTP listener that answers 200 and counts what reaches
it: the thing that must stay at zero hits when an attack is refused.

``RebindingResolver`` plays a hostile DNS server for a crawl: installed as
``TWISTED_DNS_RESOLVER``, it answers ``127.0.0.1`` for the names in
``LINKSPIDER_TEST_REBIND`` (comma-separated) and refuses every other name, so
no lookup leaves the machine. It is linkspider's own ``GuardedResolver`` with
only the lookup replaced: the check under test is the real one.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from linkspider.crawl.middlewares.ssrf import GuardedResolver

Answer = Any  # (status, headers, body) or a callable(handler) that answers itself


@dataclass(frozen=True)
class Hit:
    host: str
    path: str
    at: float  # time.monotonic() when the request arrived
    headers: dict[str, str]


def html(body: str, title: str = "", charset: str = "utf-8") -> tuple[int, dict[str, str], bytes]:
    head = f"<head><title>{title}</title></head>" if title else ""
    return 200, {"Content-Type": f"text/html; charset={charset}"}, \
        f"<!DOCTYPE html><html>{head}<body>{body}</body></html>".encode(charset)


def raw(body: bytes, content_type: str = "text/html", status: int = 200,
        **headers: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": content_type, **{k.replace("_", "-"): v for k, v in headers.items()}}, body


def redirect(to: str, status: int = 302) -> tuple[int, dict[str, str], bytes]:
    return status, {"Location": to, "Content-Type": "text/html"}, b""


def robots(text: str, status: int = 200) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "text/plain"}, text.encode()


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-request (a size limit, a timeout) is normal here, not an error to print."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class HostileWeb:
    """A forward proxy on 127.0.0.1 serving made-up hosts (see the module docstring)."""

    def __init__(self, forward_loopback_to: int | None = None) -> None:
        self.sites: dict[str, dict[str, Answer]] = {}
        self.hooks: dict[str, Callable[[str], None]] = {}
        self.forward_loopback_to = forward_loopback_to
        self._hits: list[Hit] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):

            def log_message(self, *args: Any) -> None:
                pass

            def do_CONNECT(self) -> None:  # noqa: N802
                owner.record(self.path.rsplit(":", 1)[0].lower(), "CONNECT", dict(self.headers))
                self.send_error(502, "no TLS here")

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                host = (parts.hostname or "").lower()
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                owner.record(host, path, dict(self.headers))
                if (hook := owner.hooks.get(host)) is not None:
                    hook(path)
                if owner.forward_loopback_to and _is_loopback(host):
                    self.forward(path)
                    return
                site = owner.sites.get(host, {})
                answer = site.get(path, site.get(parts.path or "/"))
                if answer is None:
                    answer = (404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>")
                try:
                    if callable(answer):
                        answer(self)
                        return
                    status, headers, body = answer
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    if isinstance(body, bytes) and "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for chunk in [body] if isinstance(body, bytes) else body:
                        self.wfile.write(chunk)
                    self.close_connection = True
                except OSError:  # the crawler hung up (size limit, timeout): fine
                    pass

            def forward(self, path: str) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", owner.forward_loopback_to, timeout=5)
                conn.request("GET", path)
                reply = conn.getresponse()
                body = reply.read()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.getheader("Content-Type") or "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                conn.close()

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def record(self, host: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self._hits.append(Hit(host, path, time.monotonic(), headers))

    @property
    def hits(self) -> list[Hit]:
        with self._lock:
            return list(self._hits)

    def paths(self, host: str) -> list[str]:
        return [h.path for h in self.hits if h.host == host]

    def targets(self) -> list[tuple[str, str]]:
        """(host, path) of every request, in order."""
        return [(h.host, h.path) for h in self.hits]

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()

    def stall(self, seconds: float) -> Callable[[BaseHTTPRequestHandler], None]:
        """An answer that sends nothing for ``seconds`` (or until the web stops), then hangs up."""
        def answer(handler: BaseHTTPRequestHandler) -> None:
            self.stopping.wait(seconds)
        return answer

    def stop(self) -> None:
        self.stopping.set()  # ends the stalled answers
        self.server.shutdown()
        self.server.server_close()


def _is_loopback(host: str) -> bool:
    from linkspider.crawl.middlewares.ssrf import parse_ip

    ip = parse_ip(host)
    return host == "localhost" or (ip is not None and ip.is_loopback)


class Canary:
    """An HTTP listener on 127.0.0.1 that answers 200 to anything and counts the requests.

    ``pages`` maps a path to the HTML served there (also a way to serve one origin's own pages).
    """

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.pages: dict[str, str] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                owner.hits.append(self.path)
                body = owner.pages.get(self.path, "<html><body>canary: you should not be here "
                                                  "(canary@internal.example)</body></html>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class RebindingResolver(GuardedResolver):
    """A hostile DNS for one crawl: the names in LINKSPIDER_TEST_REBIND resolve to 127.0.0.1 (module docstring)."""

    def lookup(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        names = {n.strip().lower() for n in os.environ.get("LINKSPIDER_TEST_REBIND", "").split(",") if n.strip()}
        if name.lower() in names:
            return defer.succeed("127.0.0.1")
        if name in ("127.0.0.1", "localhost"):
            return defer.succeed("127.0.0.1")
        return defer.fail(DNSLookupError(f"{name}: not known to the test resolver"))
