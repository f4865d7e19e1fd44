"""The browser's way out: a forward proxy inside the crawl, so Chromium's connections are checked too.

Chromium resolves host names itself, so the SSRF checks Scrapy's downloads get
(``linkspider.crawl.middlewares.ssrf``: the guard, and ``GuardedResolver`` at
connection time) would not see where a rendered page's own requests go: a
script on a prospect's page could fetch ``http://rebound-name/`` that resolves
to 127.0.0.1 or 169.254.169.254 when the browser connects. When the crawl has
no proxy of its own, the render add-on starts ``BrowserProxy`` on 127.0.0.1
and hands it to Chromium as its proxy. Chromium then resolves nothing itself:
every request it makes arrives here, its target is checked like a Scrapy
request (scheme, IP literal, local names; ``LINKSPIDER_ALLOWED_HOSTS``
exempt), and the connection is made with Twisted's ``connectTCP``, whose name
lookup is the crawl's ``GuardedResolver``. A refused target gets a 403; an
answer the resolver refuses, a 502.

Plain http requests arrive in absolute form and are sent on in origin form
with ``Connection: close`` (one request per connection keeps the proxy a
byte pipe); https arrives as ``CONNECT host:port`` and becomes a tunnel.
With a proxy configured (``http_proxy``), the browser uses that one instead:
it resolves the names, as it does for Scrapy.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from twisted.internet import protocol

from linkspider.crawl.middlewares.ssrf import HostRules, static_refusal

logger = logging.getLogger(__name__)

MAX_HEAD = 64 * 1024
CONNECT_TIMEOUT = 30


class _Upstream(protocol.Protocol):
    """The connection to the target: what comes back goes to the browser."""

    def __init__(self, browser: _BrowserSide, first: bytes, tunnel: bool) -> None:
        self.browser, self.first, self.tunnel = browser, first, tunnel

    def connectionMade(self) -> None:  # noqa: N802 - Twisted's name
        self.browser.upstream = self
        if self.tunnel:
            self.browser.transport.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        if self.first:
            self.transport.write(self.first)
        self.browser.flush()

    def dataReceived(self, data: bytes) -> None:  # noqa: N802
        self.browser.transport.write(data)

    def connectionLost(self, reason: Any = None) -> None:  # noqa: N802
        self.browser.transport.loseConnection()


class _UpstreamFactory(protocol.ClientFactory):
    def __init__(self, browser: _BrowserSide, first: bytes, tunnel: bool) -> None:
        self.browser, self.first, self.tunnel = browser, first, tunnel

    def buildProtocol(self, addr: Any) -> _Upstream:  # noqa: N802
        return _Upstream(self.browser, self.first, self.tunnel)

    def clientConnectionFailed(self, connector: Any, reason: Any) -> None:  # noqa: N802
        self.browser.fail(502, f"{connector.host}: {reason.getErrorMessage()}")


class _BrowserSide(protocol.Protocol):
    """One connection from Chromium: read its request head, check the target, connect, then pipe."""

    def __init__(self, proxy: BrowserProxy) -> None:
        self.proxy = proxy
        self.head = b""
        self.upstream: _Upstream | None = None
        self.pending: list[bytes] = []
        self.started = False

    def dataReceived(self, data: bytes) -> None:  # noqa: N802
        if self.upstream is not None:
            self.upstream.transport.write(data)
            return
        if self.started:
            self.pending.append(data)
            return
        self.head += data
        if b"\r\n\r\n" not in self.head:
            if len(self.head) > MAX_HEAD:
                self.fail(431, "request head too large")
            return
        self.started = True
        head, rest = self.head.split(b"\r\n\r\n", 1)
        self.head = b""
        self.open(head, rest)

    def flush(self) -> None:
        if self.upstream is not None:
            for chunk in self.pending:
                self.upstream.transport.write(chunk)
        self.pending = []

    def open(self, head: bytes, rest: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, version = lines[0].split(" ", 2)
        except ValueError:
            self.fail(400, "bad request line")
            return
        if method.upper() == "CONNECT":
            host, _, port_text = target.rpartition(":")
            url, tunnel, first = f"https://{host}:{port_text}/", True, rest
        else:
            url, tunnel = target, False
            parts = urlsplit(target)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            headers = [h for h in lines[1:] if h.split(":", 1)[0].strip().lower() not in
                       ("connection", "proxy-connection", "keep-alive", "proxy-authorization")]
            first = "\r\n".join([f"{method} {path} {version}", *headers, "Connection: close", "", ""]).encode(
                "latin-1") + rest
        try:
            parts = urlsplit(url)
            host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            self.fail(400, f"bad target {target[:80]!r}")
            return
        if parts.scheme not in ("http", "https"):
            self.fail(403, f"{parts.scheme}:// is not fetched")
            return
        if not self.proxy.allowed.match(host, port):
            refusal = static_refusal(url)
            if refusal is not None:
                self.proxy.refused(host, refusal.detail)
                self.fail(403, refusal.detail)
                return
        from twisted.internet import reactor

        reactor.connectTCP(host, port, _UpstreamFactory(self, first, tunnel), timeout=CONNECT_TIMEOUT)

    def fail(self, status: int, why: str) -> None:
        body = f"linkspider browser proxy: {why}\n".encode("utf-8", "replace")
        reason = {400: "Bad Request", 403: "Forbidden", 431: "Request Header Fields Too Large"}.get(
            status, "Bad Gateway")
        self.transport.write(f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: "
                             f"{len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        self.transport.loseConnection()

    def connectionLost(self, reason: Any = None) -> None:  # noqa: N802
        if self.upstream is not None and self.upstream.transport is not None:
            self.upstream.transport.loseConnection()


class BrowserProxy(protocol.Factory):
    """The proxy's listening side; ``start()`` binds 127.0.0.1 on a free port and returns it."""

    def __init__(self, allowed: HostRules | None = None) -> None:
        self.allowed = allowed or HostRules(())
        self.port: Any = None
        self.warned: set[str] = set()

    def buildProtocol(self, addr: Any) -> _BrowserSide:  # noqa: N802
        return _BrowserSide(self)

    def start(self) -> int:
        from twisted.internet import reactor

        self.port = reactor.listenTCP(0, self, interface="127.0.0.1")
        return int(self.port.getHost().port)

    def refused(self, host: str, why: str) -> None:
        if host not in self.warned:
            self.warned.add(host)
            logger.warning("browser: refused a request to %s: %s", host, why)
