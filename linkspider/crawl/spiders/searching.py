"""Search-operator discovery, shared by the ``guestposts`` and ``roundups`` spiders.

query -> results -> drop blocklisted, duplicate and recently crawled sites ->
fetch the result page and classify it (is it really a write-for-us page / a
roundup?) -> walk confirmed sites for contacts. A result page that is not what
the query promised is kept (the site may still be in the niche), and its site
gets only a short walk (``SEARCH_UNCONFIRMED_BUDGET`` pages, best links first),
so a nav link "Write for us" is still found without spending a full budget
on junk. Roundups in the niche snowball: the sites they link to become
candidates (depth 1, capped per roundup and per run), recorded as discovered
via that roundup.

Spider arguments: ``-a niche=NAME`` (required), ``-a max_queries=N``,
``-a max_pages=N``, ``-a snowball=0|1``. The backend is the ``SEARCH_BACKEND``
setting (see ``linkspider/search``).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure

from linkspider.common.domains import registrable_domain
from linkspider.crawl.checkpoint import CheckpointError, errback_checkpoint
from linkspider.crawl.page_stage import PageResult
from linkspider.crawl.spiders.sitewalk import SiteWalkSpider
from linkspider.discover.footprints import build_queries, niche_footprints
from linkspider.discover.niches import NicheError
from linkspider.discover.search import (
    SearchBackend,
    SearchBlocked,
    SearchError,
    SearchResponseError,
    SearchResult,
    get_backend,
)
from linkspider.items import Discovery, PageItem, QueryItem
from linkspider.store.database import Store, StoreError

logger = logging.getLogger(__name__)


def _positive_int(name: str, value: Any, default: int | None) -> int | None:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NicheError(f"-a {name}= must be a whole number, not {value!r}") from None
    if number < 1:
        raise NicheError(f"-a {name}= must be at least 1, not {number}")
    return number


class SearchSpider(SiteWalkSpider):
    """Base of the search spiders; subclasses set ``kind`` and what confirms a result."""

    kind = ""  # footprint pack: "guestposts" or "roundups"
    confirm_fact = ""  # the extractor's fact that confirms a result page
    resumable_callbacks = SiteWalkSpider.resumable_callbacks | {"parse_candidate", "parse_serp", "serp_failed"}

    def __init__(self, niche: str | None = None, max_queries: str | None = None, max_pages: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(niche=niche, **kwargs)
        self.args = {"max_queries": max_queries, "max_pages": max_pages}
        self.backend: SearchBackend | None = None
        self.queries: list[str] = []
        self.blocked = False
        self.pending: deque[str] = deque()

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Give the search service its own download slot, delay and concurrency."""
        super().update_settings(settings)
        try:
            backend = get_backend(None, settings)
        except SearchError:
            return  # configure() reports it with the setting's name
        slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
        slots.update(backend.slot_settings())
        settings.set("DOWNLOAD_SLOTS", slots, priority="spider")

    def configure(self, settings: Any) -> None:
        super().configure(settings)
        assert self.profile is not None
        try:
            self.backend = get_backend(None, settings)
        except SearchError as exc:
            raise NicheError(str(exc)) from exc
        max_queries = _positive_int("max_queries", self.args["max_queries"],
                                    settings.getint("SEARCH_MAX_QUERIES"))
        max_pages = _positive_int("max_pages", self.args["max_pages"], None)
        if max_pages is not None:
            self.backend.max_pages = min(max_pages, self.backend.page_limit or max_pages)
        self.unconfirmed_budget = settings.getint("SEARCH_UNCONFIRMED_BUDGET")
        self._short_walks: set[str] = set()  # sites whose candidate page was not confirmed
        self.requery_days = settings.getfloat("REQUERY_AFTER_DAYS")
        self.max_queries = max_queries
        self.queries = self.plan_queries()

    def plan_queries(self) -> list[str]:
        """The footprint queries for the niche's keywords (NicheError when there are none)."""
        assert self.profile is not None and self.backend is not None
        queries = self.footprint_queries(self.kind, self.profile.keywords, self.max_queries)
        if not queries:
            raise NicheError(f"no {self.kind} queries for niche {self.niche_name!r}: add keywords to "
                             f"{self.profile.path}")
        return queries

    def footprint_queries(self, kind: str, keywords: Any, max_queries: int | None) -> list[str]:
        """``kind``'s footprints (the niche profile's own first) x ``keywords``, as the backend can send them."""
        assert self.profile is not None and self.backend is not None
        try:
            extra = niche_footprints(self.profile.path, kind)
            return build_queries(kind, keywords, max_queries=max_queries, operators=self.backend.operators,
                                 extra_templates=extra, seeds_dir=self.seeds_dir)
        except ValueError as exc:
            raise NicheError(str(exc)) from exc

    # ------------------------------------------------------------ searching
    async def fresh_start(self) -> AsyncIterator[Any]:
        assert self.backend is not None
        stats = self.crawler.stats
        stats.set_value("linkspider/search/backend", self.backend.name)
        stats.set_value("linkspider/search/queries_planned", len(self.queries))
        logger.info("%d %s queries for %s via %s", len(self.queries), self.kind, self.niche, self.backend.name)
        if not self.backend.needs_network:
            # The `file` backend: the file is the results; its rows keep their own queries.
            results = self.backend.all_results()
            for error in getattr(self.backend, "errors", []):
                logger.warning("search results line skipped: %s", error)
            stats.set_value("linkspider/search/results", len(results))
            for item in self.handle_results(results):
                yield item
            return
        sent = self.sent_queries()
        if sent:
            logger.info("%d of the queries were sent less than %g days ago (REQUERY_AFTER_DAYS): not again",
                        len(set(self.queries) & sent), self.requery_days)
            stats.set_value("linkspider/search/queries_skipped_recent", len(set(self.queries) & sent))
        self.pending = deque(q for q in self.queries if q not in sent)
        request = self.next_query()
        if request is not None:
            yield request

    def next_query(self) -> scrapy.Request | None:
        """The next query's first page. Queries go one after another, so that when the
        service says 429 or shows a CAPTCHA nothing more is already on its way."""
        assert self.backend is not None
        if self.blocked or not self.pending:
            return None
        query = self.pending.popleft()
        return self.backend.request(query, 1).replace(callback=self.parse_serp, errback=self.serp_failed)

    def resumed_request(self, request: scrapy.Request) -> scrapy.Request:
        """A checkpointed search is rebuilt by the backend: the record holds its query and page, never the key."""
        search = request.meta.get("search")
        if search is None:
            return super().resumed_request(request)
        assert self.backend is not None
        if search.get("backend") != self.backend.name:
            raise CheckpointError(f"a {search.get('backend')!r} search, but this crawl searches with "
                                  f"{self.backend.name!r}")
        try:
            rebuilt = self.backend.rebuild(search)
        except (KeyError, TypeError, ValueError) as exc:
            raise CheckpointError(f"a search that cannot be made again ({exc})") from None
        return rebuilt.replace(callback=request.callback, errback=request.errback, priority=request.priority)

    def sent_queries(self) -> set[str]:
        assert self.backend is not None
        if not self.db_exists():
            return set()
        try:
            with Store(self.db_path) as store:
                return store.sent_queries(self.niche, self.backend.name, self.requery_days)
        except StoreError as exc:
            logger.warning("cannot tell which queries were sent recently (%s); sending all", exc)
            return set()

    def parse_serp(self, response: Response) -> Iterator[Any]:
        assert self.backend is not None
        stats = self.crawler.stats
        search = response.meta.get("search", {})
        if self.blocked:
            return
        stats.inc_value("linkspider/search/queries" if search.get("page", 1) == 1 else "linkspider/search/pages")
        try:
            page = self.backend.parse(response)
        except SearchBlocked as exc:
            self._stop_backend(exc)
            return
        except SearchResponseError as exc:
            stats.inc_value("linkspider/search/bad_responses")
            logger.warning("search response skipped: %s (query %r)", exc, search.get("query"))
            yield from filter(None, [self.next_query()])
            return
        for warning in page.warnings:
            logger.info("%s: %s", self.backend.name, warning)
        stats.inc_value("linkspider/search/results", len(page.results))
        if search.get("page", 1) == 1:
            yield QueryItem(niche=self.niche, backend=self.backend.name, query=search.get("query", ""),
                            kind=self.kind, results=len(page.results))
        yield from self.handle_results(page.results)
        if page.next_request is not None:
            yield page.next_request.replace(callback=self.parse_serp, errback=self.serp_failed)
        elif page.has_more:
            yield self.backend.request(search["query"], search.get("page", 1) + 1).replace(
                callback=self.parse_serp, errback=self.serp_failed)
        else:
            yield from filter(None, [self.next_query()])

    def _stop_backend(self, exc: SearchBlocked) -> None:
        if not self.blocked:
            self.blocked = True
            logger.error("search backend stopped: %s. Sites already found are kept and walked.", exc)
        self.crawler.stats.set_value("linkspider/search/blocked", f"{exc.status or ''} {exc.reason}".strip())
        self.crawler.stats.inc_value(f"linkspider/search/blocked/{exc.status or 'captcha'}")

    def serp_failed(self, failure: Failure) -> Iterator[Any]:
        self.crawler.stats.inc_value("linkspider/search/fetch_errors")
        logger.warning("search request failed: %s", failure.getErrorMessage())
        yield from errback_checkpoint(self, failure.request, list(filter(None, [self.next_query()])))

    # ------------------------------------------------------------ candidates
    def handle_results(self, results: list[SearchResult]) -> Iterator[Any]:
        stats = self.crawler.stats
        for result in results:
            site = registrable_domain(result.url)
            if not site or self.blocklist.blocks(site):
                stats.inc_value("linkspider/search/skipped_blocklisted")
                continue
            discovery = Discovery(source="search", detail=result.query, backend=result.backend or
                                  (self.backend.name if self.backend else ""), rank=result.rank,
                                  snippet=result.snippet[:300])
            if self.budget.knows(site) or site in self.recent:
                # Known already (this run, or walked within RECRAWL_AFTER_DAYS): keep how it was found.
                stats.inc_value("linkspider/search/known_sites")
                yield from self.known_site(result.url, site, discovery)
                continue
            yield from self.candidate(result.url, site, discovery)

    def known_site(self, url: str, site: str, discovery: Discovery) -> Iterator[Any]:
        """A result (or snowball link) to a site this run knows: provenance - or a second look.

        A site first reached through a page that was not what we search for (a
        roundup linking to one of its blog posts) got a short walk, which may
        well miss its own roundups. When a *search result* points at a page of
        it not fetched yet, that page is classified too, and confirming it gives
        the site its full walk. Without this, which way the crawl happened to
        reach a site first decided whether it was found. (Snowball links point
        at articles, rarely at what we search for: they stay provenance.)
        """
        if (discovery.source != "search" or site not in self._short_walks
                or not self.budget.claim_past_limit(site, url)):
            yield from super().known_site(url, site, discovery)
            return
        self.crawler.stats.inc_value("linkspider/candidates/second_look")
        yield self.page_request(url, {"site": site, "site_depth": 0, "discovery": discovery,
                                      "candidate": discovery.source, "referrer_policy": "no-referrer"},
                                priority=50, callback=self.parse_candidate)

    def candidate(self, url: str, site: str, discovery: Discovery, *, source: str = "search") -> Iterator[Any]:
        """Fetch a result (or snowballed) page to classify it before walking its site.

        With no ``Referer``: the result page's URL is the search service's (Google's holds the key).
        """
        self.budget.start(site, url)
        self.crawler.stats.inc_value(f"linkspider/candidates/{source}")
        yield self.page_request(url, {"site": site, "site_depth": 0, "discovery": discovery, "candidate": source,
                                      "referrer_policy": "no-referrer"},
                                priority=50, callback=self.parse_candidate)

    async def parse_candidate(self, response: Response) -> AsyncIterator[Any]:
        """A result page: read and kept; ``after_page`` walks its site if it is what we searched for."""
        async for entry in self.parse_page(response, follow=False):
            yield entry

    def after_page(self, response: Response, item: PageItem, result: PageResult, follow: bool) -> Iterator[Any]:
        yield from super().after_page(response, item, result, follow)
        if not response.meta.get("candidate") or not item.facts or not isinstance(response, HtmlResponse):
            return
        site = item.domain
        confirmed = self.confirms(item.facts)
        stats = self.crawler.stats
        stats.inc_value(f"linkspider/candidates/{'confirmed' if confirmed else 'unconfirmed'}")
        if not confirmed:
            # Not what the query promised: a short walk (home page and the best links) only.
            self.budget.limit(site, self.unconfirmed_budget)
            self._short_walks.add(site)
        elif site in self._short_walks:
            # A second look found it: the rest of the full budget, counted by the pages asked for so far.
            self._short_walks.discard(site)
            self.budget.unlimit(site)
            stats.inc_value("linkspider/candidates/upgraded")
        if response.meta.get("candidate") == "snowball":
            self.snowball_origin.add(site)  # one step deep: its own roundups do not snowball
        yield from self.snowball_from(item)
        yield from self.expand_site(response, site, result)

    def walks_short(self, site: str) -> bool:
        return site in self._short_walks

    def confirms(self, facts: dict[str, Any]) -> bool:
        """Is a result page what the queries look for (its site then gets the full walk)?"""
        return bool(facts.get(self.confirm_fact))

    def expand_site(self, response: HtmlResponse, site: str, result: PageResult) -> Iterator[scrapy.Request]:
        """Walk on from a candidate page: its site's home page, then the best links."""
        parts = urlsplit(response.url)
        home = f"{parts.scheme}://{parts.netloc}/"
        if self.budget.claim(site, home):
            yield self.page_request(home, {"site": site, "site_depth": 0, "is_home": True})
        yield from self.follow_links(result.links, site, 0)

    def snowball_site(self, url: str, site: str, discovery: Discovery) -> Iterator[Any]:
        """A snowballed site is a candidate like a search result: classified, then walked."""
        yield from self.candidate(url, site, discovery, source="snowball")


class GuestPostsSpider(SearchSpider):
    """``scrapy crawl guestposts -a niche=fitness``: sites that publish guest posts."""

    name = "guestposts"
    kind = "guestposts"
    confirm_fact = "is_write_for_us"


class RoundupsSpider(SearchSpider):
    """``scrapy crawl roundups -a niche=fitness``: link roundups, snowballed one step."""

    name = "roundups"
    kind = "roundups"
    confirm_fact = "is_roundup"
    snowball_default = True
