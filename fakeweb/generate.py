"""Build the whole fake web: sites, platforms, seed lists and the manifest.

``build_web(seed)`` is deterministic: the same seed gives byte-identical pages and
an identical manifest (every random choice comes from a ``random.Random`` seeded
with a string naming what it decides; nothing reads the clock).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator

from .model import Page, Redirect, Site
from .plan import FITNESS_PLANTS, Plan, plan_web
from .sites import SiteBuilder, competitor_summary, paragraph_pool
from .vocab import NAME_PARTS, NICHES

# Platforms: never prospects, but every site links to them (share buttons, profiles).
PLATFORMS: dict[str, list[str]] = {
    "www.facebook.com": ["facebook.com"], "twitter.com": ["www.twitter.com"], "en.wikipedia.org": [],
    "www.amazon.com": ["amazon.com"], "bit.ly": [], "www.instagram.com": ["instagram.com"],
    "www.youtube.com": ["youtube.com"], "www.linkedin.com": ["linkedin.com"], "www.pinterest.com": ["pinterest.com"],
}
MALFORMED = ("htp:/broken", "not a url at all", "http://")


class FakeWeb:
    """The generated web: sites by every host that answers, plus ground truth."""

    def __init__(self, seed: int, sites: dict[str, Site], manifest: dict, seed_texts: dict[str, str]):
        self.seed = seed
        self.sites = sites
        self.manifest = manifest
        self._seed_texts = seed_texts
        self._robots_asked: dict[str, float] = {}  # host -> when its robots.txt was last asked for (flaky sites)
        self._robots_lock = threading.Lock()
        # The web on a later day (the link monitor's tests): with `day` >= 2, these answers replace
        # the pages at (host, path); a callable answers anew each time (a page that times out once).
        self.day = 1
        self.second_day: dict[tuple[str, str], Page | Redirect | Callable[[], Page | Redirect]] = {}

    def robots_busy(self, host: str, quiet: float = 30.0) -> bool:
        """A flaky robots.txt is busy when nobody asked for it in the last ``quiet`` seconds."""
        with self._robots_lock:
            now = time.monotonic()
            last = self._robots_asked.get(host)
            self._robots_asked[host] = now
            return last is None or now - last > quiet

    def resolve(self, host: str, path_with_query: str) -> Page | Redirect:
        """What the web answers for ``http://host/path?query``; unknown hosts give a proxy's 502."""
        host = host.lower().split(":")[0].rstrip(".")
        site = self.sites.get(host)
        if site is None:
            # As Squid says a name does not resolve (linkspider reads the header as a DNS failure).
            return Page(502, f"502 Bad Gateway: cannot resolve host {host!r}\n".encode(), "text/plain; charset=utf-8",
                        headers={"X-Squid-Error": "ERR_DNS_FAIL 0"})
        path, _, query = path_with_query.partition("?")
        path = path if path.startswith("/") else "/" + path
        if host != site.host:  # bare domain (or www) alias: permanent redirect to the canonical host
            return Redirect(301, f"{site.base_url}{path_with_query if path_with_query.startswith('/') else path}")
        if path == "/robots.txt":
            if site.robots_status != 200 or (site.robots_flaky and self.robots_busy(host)):
                status = site.robots_status if site.robots_status != 200 else 503
                return Page(status, b"Service Unavailable: try again later\n", "text/plain; charset=utf-8")
            if site.robots is None:
                return Page(404, b"Not Found\n", "text/plain; charset=utf-8")
            return Page(200, site.robots.encode(), "text/plain; charset=utf-8")
        if self.day >= 2 and (later := self.second_day.get((site.host, path))) is not None:
            return later() if callable(later) else later
        if site.catch_all is not None:
            return site.catch_all
        for key in (path_with_query, path):
            if key in site.redirects:
                return Redirect(*site.redirects[key])
        if site.dynamic is not None and (page := site.dynamic(path, query)) is not None:
            return page
        if path in site.pages:
            return site.pages[path]
        if not path.endswith("/") and path + "/" in site.pages:  # WordPress-style trailing-slash redirect
            return Redirect(301, f"{site.base_url}{path}/" + (f"?{query}" if query else ""))
        return site.not_found or Page(404, b"Not Found\n", "text/plain; charset=utf-8")

    def seed_list(self, niche: str) -> str:
        """Content of a seed file for ``niche`` (comments, malformed and blocklisted lines included)."""
        return self._seed_texts[niche]

    def pages(self) -> Iterator[tuple[str, Page]]:
        """``(url, page)`` for every 200 HTML page of every site (for fake search indexes)."""
        for host, site in self.sites.items():
            if host != site.host:
                continue
            for path, page in site.pages.items():
                if page.status == 200 and page.content_type.startswith("text/html") and b"\x00" not in page.body:
                    yield f"{site.base_url}{path}", page

    def site_entry(self, domain: str) -> dict | None:
        """The manifest entry of a registrable domain."""
        return next((s for s in self.manifest["sites"] if s["domain"] == domain), None)


def _platform(host: str, aliases: list[str]) -> Site:
    name = host.split(".")[-2].title()
    body = (f"<!DOCTYPE html><html><head><title>{name}</title></head><body><h1>{name}</h1>"
            "<p>Log in or sign up to continue.</p></body></html>").encode()
    domain = ".".join(host.split(".")[-2:])
    return Site(host=host, domain=domain, niche="platform", kind="platform", pages={}, also_hosts=aliases,
                catch_all=Page(body=body, title=name, text=f"{name} Log in or sign up to continue."))


def _entry_url(rng: random.Random, plan: Plan, entry: dict) -> str:
    """How a person would have written this site in a seed file (explicit http://, but for one planted
    site written as a bare domain with no scheme at all, which the crawl tries as https:// first)."""
    if "schemeless_seed" in entry["planted"]:
        return plan.domain
    if "bare_domain_seed" in entry["planted"] and plan.domain in plan.also_hosts:
        return f"http://{plan.domain}/"
    roll = rng.random()
    if roll < 0.2 and plan.domain in plan.also_hosts:
        return f"http://{plan.domain}/"
    if roll < 0.3:
        return f"http://{plan.host}"
    return plan.home_url


def _unknown_host(rng: random.Random, niche: str, taken: set[str]) -> str:
    prefixes, suffixes = NAME_PARTS[niche]
    while True:
        domain = f"{rng.choice(prefixes)}{rng.choice(suffixes)}hq.com"
        if domain not in taken:
            return f"www.{domain}"


def _seed_text(seed: int, niche: str, plans: list[Plan], entries: dict[str, dict], extras: list[Plan],
               taken: set[str]) -> tuple[str, dict, str]:
    """One seed file; returns (text, {category: [line numbers]}, unknown host URL)."""
    rng = random.Random(f"{seed}:seedlist:{niche}")
    lines: list[str] = []
    marks: dict[str, list[int]] = {"malformed": [], "blocklisted": [], "duplicate": [], "unknown_host": [],
                                   "unreachable": []}

    def put(line: str, mark: str | None = None) -> None:
        lines.append(line)
        if mark:
            marks[mark].append(len(lines))

    put(f"# {niche.title()} seed list – sites we already know, collected by hand (Nov 2026)")
    put("# one site per line; blank lines and lines starting with # are ignored")
    put("")
    chosen = [p for p in plans if p.seed] + extras
    rng.shuffle(chosen)
    odd = {len(chosen) // 4: ("malformed", MALFORMED), len(chosen) // 2: ("blocklisted", (
        "https://www.facebook.com/somepage", "http://en.wikipedia.org/wiki/Special:Random"))}
    unknown = _unknown_host(rng, niche, taken)
    for i, plan in enumerate(chosen):
        if i in odd:
            mark, bad = odd[i]
            put(f"# {'typos from the old spreadsheet' if mark == 'malformed' else 'not prospects, pasted by mistake'}")
            for line in bad if niche == "fitness" else bad[:1]:
                put(line, mark)
            put("")
        entry = entries[plan.domain]
        url = _entry_url(rng, plan, entry)
        entry["entry_url"], entry["in_seed_list"] = url, True
        entry["seed_lists"].append(niche)
        put(url, None if entry["reachable"] else "unreachable")
        if "bare_domain_seed" in entry["planted"]:
            put(plan.home_url, "duplicate")
    put("")
    put("# this one closed down last year")
    put(f"http://{unknown}/", "unknown_host")
    return "\n".join(lines) + "\n", marks, f"http://{unknown}/"


def _append_seed_lines(text: str, plans: list[Plan], entries: dict[str, dict], numbers: list[int]) -> str:
    """Seeds added later (issues 5 and 6), appended after every original line so line numbers stay."""
    lines = text.splitlines()
    lines += ["", "# added Nov 2026: more blogs from the team's bookmarks"]
    for plan in sorted((p for p in plans if p.opts.get("seed_order")), key=lambda p: p.opts["seed_order"]):
        entry = entries[plan.domain]
        entry["entry_url"], entry["in_seed_list"] = plan.home_url, True
        entry["seed_lists"].append("fitness")
        lines.append(plan.home_url)
        numbers.append(len(lines))
    return "\n".join(lines) + "\n"


def build_web(seed: int = 1) -> FakeWeb:
    """Generate every site, the platforms, the seed lists and the manifest."""
    plans = plan_web(seed)
    index: dict[str, list[Plan]] = {}
    for plan in plans:
        if not plan.opts.get("extra"):  # extra sites are linked only where plan.EXTRA_LINKS says
            index.setdefault(plan.niche, []).append(plan)
    queue = {n: [p for p in index[n] if not p.seed] for n in NICHES}
    inbound: dict[str, list[str]] = {}
    pools: dict[tuple[str, str], list[str]] = {}
    sites: dict[str, Site] = {}
    entries: dict[str, dict] = {}
    for plan in plans:
        key = (plan.topic, plan.language)
        if key not in pools:
            pools[key] = paragraph_pool(random.Random(f"{seed}:pool:{key}"), *key)
        site, entry = SiteBuilder(plan, pools[key], index, queue, inbound).build()
        entries[plan.domain] = entry
        for host in (site.host, *site.also_hosts):
            sites[host] = site
    for host, aliases in PLATFORMS.items():
        site = _platform(host, aliases)
        for h in (host, *aliases):
            sites[h] = site
    for domain, entry in entries.items():
        entry["linked_from"] = sorted(set(inbound.get(domain, [])))
    taken = set(entries)
    texts, seed_lines, unknown = {}, {}, {}
    generic = index["generic"]
    for i, niche in enumerate(NICHES):
        extras = generic[2 * i: 2 * i + (2 if niche == "fitness" else 1)]  # off-topic sites people paste in too
        texts[niche], seed_lines[niche], url = _seed_text(seed, niche, index[niche], entries, extras, taken)
        unknown[niche] = [url]
    appended = {"fitness": []}
    texts["fitness"] = _append_seed_lines(texts["fitness"], plans, entries, appended["fitness"])
    manifest = {
        "seed": seed, "niches": list(NICHES), "platforms": sorted({s.domain for s in sites.values() if s.niche == "platform"}),
        "fitness_plants": len(FITNESS_PLANTS), "seed_lines": seed_lines, "unknown_hosts": unknown,
        "sites": [entries[p.domain] for p in plans],
        "appended_seed_lines": appended, **competitor_summary([entries[p.domain] for p in plans]),
    }
    return FakeWeb(seed, sites, manifest, texts)
