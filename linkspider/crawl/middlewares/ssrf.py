"""SSRF guard: prospect URLs never reach private, loopback or cloud-metadata addresses.

linkspider fetches URLs written by strangers: links on their pages, search
results, seed lists, backlink exports, and wherever their servers redirect.
Any of them can point at ``http://127.0.0.1:6800/`` (a local scrapyd),
``http://169.254.169.254/latest/meta-data/`` (cloud credentials) or a router
on the LAN. ``SSRFGuardMiddleware`` refuses such requests before anything is
sent, including redirect targets (a redirect is a new request that passes the
downloader middlewares again) and robots.txt requests.

What is refused (unless ``LINKSPIDER_ALLOW_PRIVATE = True``):

- IP literals in the URL that are not global unicast: private, loopback,
  link-local, unique-local, multicast, reserved, unspecified, shared (CGNAT)
  and cloud-metadata addresses, in every spelling the resolver would accept
  (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``, ``[::ffff:127.0.0.1]``,
  6to4 / NAT64 / IPv4-compatible IPv6 wrapping a private IPv4 address);
- local and metadata host names (``localhost``, ``*.localhost``, ``*.local``,
  ``*.internal``, ``metadata.google.internal``...);
- host names that resolve to any such address (resolved in a thread with a
  timeout, cached). A name that does not resolve is let through, so the
  usual DNS error is recorded. When the request goes through a proxy
  (``http_proxy``/``https_proxy`` or ``meta["proxy"]``) the target name is not
  resolved locally: the proxy resolves it. IP literals are still refused;
- schemes other than http, https and data (``file://``, ``ftp://``, ``s3://``).

What is always allowed: hosts in ``LINKSPIDER_ALLOWED_HOSTS`` (``host``,
``host:port`` or a network such as ``10.1.0.0/16``), and the endpoints the user
configured on purpose: the host:port of ``SEARXNG_URL``, ``BRAVE_API_URL``,
``GOOGLE_CSE_URL`` and ``DUCKDUCKGO_URL`` (setting or environment variable),
for requests that are not prospect pages (a prospect page, ``meta["site"]``,
that redirects to your SearXNG is still refused). The proxy itself is never
checked: what is checked is the target.

A refused request raises ``RequestRefused`` (an ``IgnoreRequest``), is logged at
WARNING once per host and counted in ``linkspider/ssrf/refused`` and
``linkspider/ssrf/refused/<reason>``.

The address a connection really uses is checked too: ``GuardedResolver``
(installed as ``TWISTED_DNS_RESOLVER``) resolves every name Scrapy connects to
and refuses a non-global answer with ``AddressRefused`` (a DNS lookup error),
so a DNS server that answers a public address to the guard's lookup and
``127.0.0.1`` to the connection's (DNS rebinding) gets nowhere. The guard
hands the address it checked to the connection (Scrapy's DNS cache), so a
name is normally looked up once. Names of the configured proxy, the search
endpoints and ``LINKSPIDER_ALLOWED_HOSTS`` are exempt; IP literals pass (the
guard has judged them). The browser's requests go through
``linkspider.crawl.browser_proxy`` when no proxy is configured, which connects
through the same resolver.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import socket
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit
from urllib.request import getproxies, proxy_bypass  # type: ignore[attr-defined]

from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver, dnscache
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Settings holding endpoints the user configured on purpose (their host:port is allowed).
ENDPOINT_SETTINGS = ("SEARXNG_URL", "BRAVE_API_URL", "GOOGLE_CSE_URL", "DUCKDUCKGO_URL")

#: Cloud metadata services (instance credentials live there).
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
    "169.254.170.2",  # AWS ECS task metadata
    "fd00:ec2::254",  # AWS IMDS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "168.63.129.16",  # Azure WireServer (a public address, but the host's own service)
    "192.0.0.192",  # Oracle Cloud (classic)
))
METADATA_NAMES = frozenset({
    "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
})
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "broadcasthost"})
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain")
ALLOWED_SCHEMES = frozenset({"http", "https", "data"})

_SHARED = ipaddress.ip_network("100.64.0.0/10")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPAT = ipaddress.ip_network("::/96")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.I)

_NAMES = {
    "metadata": "cloud metadata", "unspecified": "unspecified", "loopback": "loopback",
    "link_local": "link-local", "multicast": "multicast", "unique_local": "unique-local",
    "private": "private", "reserved": "reserved", "shared": "shared (carrier-grade NAT)",
    "non_global": "non-global",
}


class RequestRefused(IgnoreRequest):
    """A request the SSRF guard (or another safety limit) refused to send."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Refusal:
    """Why a URL is refused: a stat key (``loopback``, ``dns_private``...) and a sentence."""

    reason: str
    detail: str  # "10.0.0.5 is a private address"


def parse_ip(host: str) -> IPAddress | None:
    """The address a host string denotes, in any form the system resolver accepts as a literal.

    ``"2130706433"``, ``"0x7f.1"``, ``"0177.0.0.1"`` and ``"127.1"`` are all 127.0.0.1
    for ``inet_aton``/``gethostbyname``, which is what Twisted connects to.
    """
    host = host.strip().strip("[]").rstrip(".").lower()
    if not host:
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if "%" in host:  # fe80::1%eth0
        try:
            return ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            return None
    labels = host.split(".")
    if 1 <= len(labels) <= 4 and all(_NUMERIC_LABEL.match(label) for label in labels):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or (ip in _IPV4_COMPAT and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def classify_ip(ip: IPAddress) -> str | None:
    """The reason key why ``ip`` must not be fetched, or None for a global unicast address."""
    if ip in METADATA_ADDRESSES:
        return "metadata"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return classify_ip(inner)
        if ip.scope_id:
            return "link_local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv6Address) and ip in _UNIQUE_LOCAL:
        return "unique_local"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared"
    if not ip.is_global:
        return "non_global"
    return None


def _a(reason: str) -> str:
    """``"a loopback"``, ``"an unspecified"``: the reason key as words with its article."""
    name = _NAMES.get(reason, reason)
    return f"{'an' if name[0] in 'aeiou' and not name.startswith('uni') else 'a'} {name}"


def describe(ip: IPAddress, reason: str) -> str:
    return f"{ip} is {_a(reason)} address"


def classify_name(host: str) -> Refusal | None:
    """Local and metadata host names, refused without resolving them."""
    name = host.strip().rstrip(".").lower()
    if name in METADATA_NAMES:
        return Refusal("metadata", f"{name} is a cloud metadata host")
    if name in LOCAL_NAMES or name.endswith(LOCAL_SUFFIXES):
        return Refusal("local_name", f"{name} is a local host name")
    return None


def static_refusal(url: str) -> Refusal | None:
    """The refusal decided from the URL alone (scheme, IP literal, local name), or None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return Refusal("invalid", f"{url[:80]!r} is not a valid URL")
    return _static(parts, host)


def _static(parts: SplitResult, host: str) -> Refusal | None:
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return Refusal("scheme", f"{scheme}:// URLs are not fetched")
    if scheme == "data":
        return None
    if not host:
        return Refusal("invalid", "the URL has no host")
    ip = parse_ip(host)
    if ip is not None:
        reason = classify_ip(ip)
        if reason is None:
            return None
        shown = host if str(ip) == host.strip("[]").lower() else f"{host} ({ip})"
        return Refusal(reason, describe(ip, reason).replace(str(ip), shown, 1))
    return classify_name(host)


def refusal_for_addresses(host: str, addresses: Iterable[str]) -> Refusal | None:
    """A refusal when any address ``host`` resolves to is not global (the connection may use any)."""
    for address in addresses:
        ip = parse_ip(address)
        if ip is None:
            continue
        reason = classify_ip(ip)
        if reason is not None:
            return Refusal(f"dns_{reason}", f"{host} resolves to {ip}, {_a(reason)} address")
    return None


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


class HostRules:
    """``LINKSPIDER_ALLOWED_HOSTS`` entries: ``host``, ``host:port``, ``[v6]:port`` or a network."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.hosts: set[tuple[str, int | None]] = set()
        self.networks: list[IPNetwork] = []
        for raw in entries:
            entry = str(raw).strip().lower()
            if not entry:
                continue
            if "://" in entry:
                parts = urlsplit(entry)
                if parts.hostname:
                    self.add(parts.hostname, parts.port or _default_port(parts.scheme))
                continue
            if "/" in entry:
                try:
                    self.networks.append(ipaddress.ip_network(entry, strict=False))
                    continue
                except ValueError:
                    pass
            parts = urlsplit("//" + entry)
            try:
                port = parts.port
            except ValueError:
                port = None
            if parts.hostname:
                self.add(parts.hostname, port)

    def add(self, host: str, port: int | None) -> None:
        ip = parse_ip(host)
        self.hosts.add((str(ip) if ip is not None else host.rstrip(".").lower(), port))

    def match(self, host: str, port: int) -> bool:
        ip = parse_ip(host)
        key = str(ip) if ip is not None else host.rstrip(".").lower()
        if (key, port) in self.hosts or (key, None) in self.hosts:
            return True
        return ip is not None and any(ip in net for net in self.networks if net.version == ip.version)

    def names(self, host: str) -> bool:
        """True when ``host`` is listed, on any port."""
        key = host.rstrip(".").lower()
        return any(name == key for name, _ in self.hosts)

    def __bool__(self) -> bool:
        return bool(self.hosts or self.networks)


def configured_endpoints(settings: Any, names: Iterable[str] = ENDPOINT_SETTINGS) -> HostRules:
    """host:port of every backend URL the user set (setting, else environment variable)."""
    urls = []
    for name in names:
        value = settings.get(name) if settings is not None else None
        if not value:
            value = os.environ.get(name)
        if value:
            urls.append(str(value).strip())
    return HostRules(u for u in urls if "://" in u)


class _LRU:
    def __init__(self, size: int, ttl: float) -> None:
        self.size, self.ttl = size, ttl
        self.data: OrderedDict[str, tuple[float, list[str] | None]] = OrderedDict()

    def get(self, key: str) -> tuple[bool, list[str] | None]:
        hit = self.data.get(key)
        if hit is None or time.monotonic() - hit[0] > self.ttl:
            return False, None
        self.data.move_to_end(key)
        return True, hit[1]

    def put(self, key: str, value: list[str] | None) -> None:
        self.data[key] = (time.monotonic(), value)
        self.data.move_to_end(key)
        while len(self.data) > self.size:
            self.data.popitem(last=False)


class SSRFGuardMiddleware:
    """Downloader middleware refusing requests to non-public addresses (see the module docstring).

    Place it before RobotsTxtMiddleware (100), so a refused URL does not even
    get its robots.txt fetched; redirects and retries pass it again.
    """

    def __init__(self, crawler: Any, *, resolver: Callable[[str], list[str] | None] | None = None) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.allow_private = settings.getbool("LINKSPIDER_ALLOW_PRIVATE")
        self.allowed = HostRules(settings.getlist("LINKSPIDER_ALLOWED_HOSTS"))
        self.endpoints = configured_endpoints(settings)
        self.dns_timeout = settings.getfloat("LINKSPIDER_SSRF_DNS_TIMEOUT")
        self.cache = _LRU(settings.getint("LINKSPIDER_SSRF_DNS_CACHE"), ttl=600.0)
        self.resolver = resolver
        mws = settings.getwithbase("DOWNLOADER_MIDDLEWARES")
        proxy_mw = "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware"
        self.env_proxies = (getproxies() if settings.getbool("HTTPPROXY_ENABLED")
                            and mws.get(proxy_mw, 750) is not None else {})
        self.warned: set[str] = set()
        if self.allow_private:
            logger.warning("LINKSPIDER_ALLOW_PRIVATE is on: prospect URLs may reach private and "
                           "loopback addresses")

    @classmethod
    def from_crawler(cls, crawler: Any) -> SSRFGuardMiddleware:
        return cls(crawler)

    # ------------------------------------------------------------ decisions
    def proxied(self, request: Any, parts: SplitResult) -> bool:
        """True when the request will go through a forward proxy (mirrors HttpProxyMiddleware)."""
        if "proxy" in request.meta:
            return bool(request.meta["proxy"])
        scheme = parts.scheme
        if scheme not in self.env_proxies:
            return False
        host = parts.hostname
        return scheme not in ("http", "https") or bool(host and not proxy_bypass(host))

    def exempt(self, request: Any, parts: SplitResult, host: str) -> bool:
        try:
            port = parts.port or _default_port(parts.scheme)
        except ValueError:
            return False
        if self.allowed and self.allowed.match(host, port):
            return True
        # Search endpoints the user configured (a local SearXNG...), but not for prospect pages
        # (a prospect that redirects to them is still refused).
        return "site" not in request.meta and bool(self.endpoints) and self.endpoints.match(host, port)

    def check_static(self, request: Any) -> tuple[Refusal | None, str | None]:
        """(refusal, host_to_resolve): a decision from the URL alone, or a name to resolve."""
        try:
            parts = urlsplit(request.url)
            host = parts.hostname or ""
        except ValueError:
            return Refusal("invalid", "the URL cannot be parsed"), None
        if host and self.exempt(request, parts, host):
            return None, None
        refusal = _static(parts, host)
        if refusal is not None or parts.scheme == "data" or parse_ip(host) is not None:
            return refusal, None
        if self.proxied(request, parts):
            return None, None  # the proxy resolves the name; offline, names do not resolve here at all
        return None, host

    # ------------------------------------------------------------ middleware
    async def process_request(self, request: Any) -> None:
        if self.allow_private:
            return None
        refusal, host = self.check_static(request)
        if refusal is None and host:
            found, addresses = self.cache.get(host)
            if not found:
                addresses = await self._resolve(host)
            if addresses:
                refusal = refusal_for_addresses(host, addresses)
        if refusal is not None:
            self.refuse(request, refusal)
        return None

    async def _resolve(self, host: str) -> list[str] | None:
        """Where ``host`` points. By default through the crawl's own resolver (``GuardedResolver``):
        the answer it caches is the address the connection then uses, so one lookup serves both."""
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThread

        if self.resolver is None:
            d = reactor.resolve(host, timeout=(self.dns_timeout,))
            d.addCallback(lambda address: [address])
        else:
            d = deferToThread(self.resolver, host)
        d.addTimeout(self.dns_timeout, reactor)
        try:
            addresses = await maybe_deferred_to_future(d)
        except AddressRefused as exc:  # the resolver refused it: say why, here, with the guard's stats
            addresses = [exc.address]
        except DNSLookupError:  # does not resolve: the download reports its own DNS error
            addresses = None
        except Exception:  # a timeout: let the download report its own DNS error
            self.stats.inc_value("linkspider/ssrf/dns_timeout")
            return None
        self.cache.put(host, addresses)
        return addresses

    def refuse(self, request: Any, refusal: Refusal) -> None:
        try:
            host = urlsplit(request.url).hostname or request.url[:60]
        except ValueError:
            host = request.url[:60]
        shown = request.url if len(request.url) <= 120 else request.url[:117] + "..."
        message = f"refusing {shown}: {refusal.detail} (set LINKSPIDER_ALLOW_PRIVATE=True to allow)"
        self.stats.inc_value("linkspider/ssrf/refused")
        self.stats.inc_value(f"linkspider/ssrf/refused/{refusal.reason}")
        if host not in self.warned:
            self.warned.add(host)
            logger.warning(message)
        else:
            logger.debug(message)
        raise RequestRefused(message, refusal.reason)



class AddressRefused(DNSLookupError):
    """A name resolved, at connection time, to an address the SSRF guard refuses."""

    def __init__(self, message: str, address: str) -> None:
        super().__init__(message)
        self.address = address


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing answers that are not global unicast (see the module docstring).

    Built by Scrapy from the crawl's settings (``TWISTED_DNS_RESOLVER``); with
    ``LINKSPIDER_ALLOW_PRIVATE`` it checks nothing.
    """

    def __init__(self, reactor: Any, cache_size: int, timeout: float, *, exempt: HostRules | None = None,
                 allowed: HostRules | None = None, check: bool = True) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.exempt_hosts = exempt or HostRules(())
        self.allowed = allowed or HostRules(())
        self.check = check
        self.warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        proxies = [u for u in getproxies().values() if "://" in u]
        exempt = HostRules([*proxies, *(str(u) for u in (settings.get(n) or os.environ.get(n) or ""
                                                              for n in ENDPOINT_SETTINGS) if "://" in u)])
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), exempt=exempt,
                   allowed=HostRules(settings.getlist("LINKSPIDER_ALLOWED_HOSTS")),
                   check=not settings.getbool("LINKSPIDER_ALLOW_PRIVATE"))

    def lookup(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        """The address of ``name`` from the system resolver (tests replace this to play a hostile DNS)."""
        return super().getHostByName(name, timeout)

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:  # noqa: N802 - Twisted's name
        d = self.lookup(name, timeout)
        if self.check and parse_ip(name) is None:
            d.addCallback(self._checked, name)
        return d

    def _checked(self, address: str, name: str) -> str:
        host = name.rstrip(".").lower()
        if self.exempt_hosts.names(host) or self.allowed.names(host) or self.allowed.match(address, 0):
            return address
        refusal = refusal_for_addresses(host, [address])
        if refusal is None:
            return address
        dnscache.pop(name, None)
        message = f"refusing to connect to {host}: {refusal.detail} (set LINKSPIDER_ALLOW_PRIVATE=True to allow)"
        if host not in self.warned:
            self.warned.add(host)
            logger.warning(message)
        raise AddressRefused(message, address)
