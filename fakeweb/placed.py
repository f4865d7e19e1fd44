"""Placed links on the fake web, and the second day that changes them (the link monitor's tests).

``plant_placed_links(web)`` puts 20 articles on ten ordinary fitness sites,
two each, every one carrying a link to the user's own site (``USER_SITE``),
and registers what each page looks like on the *second day* of the web
(``web.day = 2``): the link removed, made nofollow or sponsored, its anchor
rewritten, the page redirected (the link kept) or deleted (404), set
``noindex`` by a meta tag or the ``X-Robots-Tag`` header, a page that times
out during one check and answers as before afterwards, and pages that stay
the same. Each planted link says which changes a monitor run on the second
day must report (``day2``), so a test compares exactly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .generate import FakeWeb
from .model import Page, Redirect

USER_SITE = "myliftinglog.com"
# What happens to each of the 20 links on day two, and the changes a monitor run must then report.
CASES: list[tuple[str, set[str]]] = [
    ("same", set()), ("same", set()), ("same", set()), ("same", set()), ("same", set()),
    ("removed", {"lost"}), ("removed", {"lost"}),
    ("nofollow", {"nofollow"}), ("nofollow", {"nofollow"}),
    ("sponsored", {"sponsored"}), ("sponsored", {"sponsored"}),
    ("anchor", {"anchor"}), ("anchor", {"anchor"}),
    ("redirect", {"redirected"}), ("redirect", {"redirected"}),
    ("404", {"gone"}), ("404", {"gone"}),
    ("noindex_meta", {"noindexed"}), ("noindex_header", {"noindexed"}),
    ("timeout_once", {"unsure"}),
]
# A check is one request and Scrapy's one retry (RETRY_TIMES = 1): the page is slow for both.
SLOW_REQUESTS = 2
SLOW_SECONDS = 8.0


@dataclass
class PlacedLink:
    case: str
    page_url: str
    target_url: str
    anchor: str
    day2: set[str]  # the changes the first monitor run of the second day reports

    @property
    def site(self) -> str:
        return self.page_url.split("/")[2].removeprefix("www.")


def _article(title: str, body: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>{head}</head>"
            f"<body><main><article><h1>{title}</h1>{body}</article></main></body></html>").encode()


def _paragraph(link: str) -> str:
    return (f"<p>We tested six programmes this spring. For tracking sets and reps, {link} is the "
            "simplest log we found, and it works offline in the gym.</p><p>Rest days matter as much.</p>")


def _anchor_html(target: str, anchor: str, rel: str = "") -> str:
    rel_attr = f' rel="{rel}"' if rel else ""
    return f'<a href="{target}"{rel_attr}>{anchor}</a>'


class _SlowOnce:
    """Slow (longer than the test's DOWNLOAD_TIMEOUT) for the first SLOW_REQUESTS requests, then normal."""

    def __init__(self, page: Page) -> None:
        self.page, self.asked, self.lock = page, 0, threading.Lock()

    def __call__(self) -> Page:
        with self.lock:
            self.asked += 1
            slow = self.asked <= SLOW_REQUESTS
        if slow:
            return Page(status=self.page.status, body=self.page.body, headers=self.page.headers, delay=SLOW_SECONDS)
        return self.page


def ordinary_sites(web: FakeWeb, count: int) -> list[dict]:
    """Seed fitness sites with nothing odd about fetching them (robots.txt, delays, errors)."""
    sites = [s for s in web.manifest["sites"]
             if s["niche"] == "fitness" and s["in_seed_list"] and s["reachable"]
             and not any("/blog/".startswith(rule) for rule in s["robots_disallow"])
             and all(tag.startswith("email_") for tag in s["planted"])]
    return sites[:count]


def plant_placed_links(web: FakeWeb) -> list[PlacedLink]:
    """Add the 20 articles (day one) and their second-day answers to ``web``; returns them in CASES order."""
    sites = ordinary_sites(web, len(CASES) // 2)
    assert len(sites) == len(CASES) // 2, "the fake web has too few ordinary fitness sites"
    planted = []
    for number, (case, day2) in enumerate(CASES):
        entry = sites[number % len(sites)]
        site = web.sites[entry["host"]]
        path = f"/blog/tools-we-use-{number + 1}/"
        target = f"https://www.{USER_SITE}/guides/{'squat' if number % 2 else 'deadlift'}-log/"
        anchor = "the Lifting Log app" if number % 3 else "this workout log"
        title = f"Tools we use, part {number + 1}"
        site.pages[path] = Page(body=_article(title, _paragraph(_anchor_html(target, anchor))), title=title)
        later: Page | Redirect | _SlowOnce
        if case == "same":
            later = site.pages[path]
        elif case == "removed":
            later = Page(body=_article(title, _paragraph("a notebook")))
        elif case in ("nofollow", "sponsored"):
            rel = "nofollow" if case == "nofollow" else "sponsored noopener"
            later = Page(body=_article(title, _paragraph(_anchor_html(target, anchor, rel))))
        elif case == "anchor":
            later = Page(body=_article(title, _paragraph(_anchor_html(target, "a free training log"))))
        elif case == "redirect":
            moved = path.rstrip("/") + "-updated/"
            site.pages[moved] = site.pages[path]
            later = Redirect(301, f"{site.base_url}{moved}")
        elif case == "404":
            later = Page(404, b"<html><body><h1>Not found</h1></body></html>")
        elif case == "noindex_meta":
            later = Page(body=_article(title, _paragraph(_anchor_html(target, anchor)),
                                       head='<meta name="robots" content="noindex, follow">'))
        elif case == "noindex_header":
            later = Page(body=site.pages[path].body, headers={"X-Robots-Tag": "noindex"})
        elif case == "timeout_once":
            later = _SlowOnce(site.pages[path])
        else:
            raise ValueError(case)
        web.second_day[(site.host, path)] = later
        planted.append(PlacedLink(case, f"{site.base_url}{path}", target, anchor, day2))
    return planted
