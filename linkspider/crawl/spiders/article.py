"""``scrapy crawl article -a url=URL -a niche=NAME``: prospects for one article of yours.

1. Each article (``-a url=``, repeatable; ``-a file=PATH`` for a draft in HTML,
   Markdown or plain text; else the niche profile's ``articles = [...]``) is
   fetched as an ordinary request (robots.txt, SSRF guard) and read
   (``linkspider/extract/article.py``); what it is about - its distinctive
   terms and phrases, against the niche's pages in the database or general
   English (``linkspider/score/article.py``) - is logged and stored.
2. Its phrases go into the ``resources``, ``roundups`` and ``articles``
   footprint packs (best X, X tools, X guide), and with a brand (``-a brand=``,
   or the profile's ``brand``) its name and the articles' titles go out as
   queries of their own, minus your own site (``-a domain=`` or the profile's
   ``domain``). They are sent through the configured search backend one after
   another, 429-aware, exactly as the other search spiders send theirs.
3. A result page that is a roundup, a resources page or an unlinked mention of
   the brand confirms its site (a full walk for contacts); others get the short
   walk. Every site is scored with its *article fit* (the store, on each batch),
   and shown in ``why``; ``linkspider export --for-article URL`` ranks by it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from itertools import zip_longest
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import HtmlResponse

from linkspider.common.domains import registrable_domain
from linkspider.common.inputs import InputError, read_text
from linkspider.crawl.spiders.searching import SearchSpider
from linkspider.discover.footprints import rewrite_query
from linkspider.discover.niches import NicheError, parse_seed_line
from linkspider.extract.article import ArticleText, read_article, read_draft
from linkspider.items import ArticleItem
from linkspider.score.article import ArticleProfile, NicheBackground, profile_article
from linkspider.store.database import Store, StoreError

logger = logging.getLogger(__name__)

PACKS = ("resources", "roundups", "articles")
# Phrases of each article that go into the footprint packs.
PHRASES_SEARCHED = 3


class ArticleSpider(SearchSpider):
    name = "article"
    kind = "article"

    def __init__(self, niche: str | None = None, url: str | None = None, file: str | None = None,
                 brand: str | None = None, domain: str | None = None, **kwargs: Any) -> None:
        super().__init__(niche=niche, **kwargs)
        self.url_arg, self.file_arg, self.brand_arg, self.domain_arg = url, file, brand, domain
        self.article_urls: list[str] = []
        self.drafts: list[tuple[str, str]] = []  # (path, text)
        self.profiles: list[ArticleProfile] = []

    def setup(self) -> None:
        super().setup()
        profile = self.profile
        assert profile is not None
        for text in (self.url_arg or "").split():
            parsed = parse_seed_line(text)
            if isinstance(parsed, str) or not text.lower().startswith(("http://", "https://")):
                why = parsed if isinstance(parsed, str) else "give the full URL, with http:// or https://"
                raise NicheError(f"-a url={text[:200]!r} is not an article URL: {why}")
            self.article_urls.append(parsed[0])
        for path in filter(None, (p.strip() for p in (self.file_arg or "").splitlines())):
            try:
                self.drafts.append((path, read_text(path, "article draft")))
            except InputError as exc:
                raise NicheError(str(exc)) from exc
        if not self.article_urls and not self.drafts:
            self.article_urls = list(profile.articles)
        if not self.article_urls and not self.drafts:
            raise NicheError(f"spider 'article' needs an article: -a url=URL or -a file=PATH, or "
                             f"articles = [\"https://...\"] in {profile.path}")
        if self.brand_arg is not None:
            profile.brand = " ".join(self.brand_arg.split())
        for text in (self.domain_arg or "").replace(",", " ").split():
            parsed = parse_seed_line(text)
            if isinstance(parsed, str):
                raise NicheError(f"-a domain={text[:200]!r}: {parsed}")
            profile.domains = list(dict.fromkeys([*profile.domains, parsed[1]]))
        # Your own sites are never prospects: not searched, walked, snowballed to or link-checked.
        for site in [*profile.domains, *filter(None, map(registrable_domain, self.article_urls))]:
            self.blocklist.add(site)

    def plan_queries(self) -> list[str]:
        return []  # made from the articles once they are read (fresh_start)

    def confirms(self, facts: dict[str, Any]) -> bool:
        return bool(facts.get("is_roundup") or facts.get("is_resources") or facts.get("is_unlinked_mention"))

    # ------------------------------------------------------------ the articles
    async def fresh_start(self) -> AsyncIterator[Any]:
        background = self.background()
        for url in self.article_urls:
            article = await self.fetch_article(url)
            if article is not None:
                yield self.analysed(article, background, "url" if self.url_arg else "profile")
        for path, text in self.drafts:
            article = read_draft(text, Path(path).stem)
            article.url = f"file:{Path(path).resolve()}"
            yield self.analysed(article, background, "file")
        if not self.profiles:
            logger.error("no article could be read: nothing to search for")
            self.crawler.stats.set_value("linkspider/article/none_read", True)
            return
        self.queries = self.article_queries()
        async for output in super().fresh_start():
            yield output

    async def fetch_article(self, url: str) -> ArticleText | None:
        """The article page, fetched through the downloader (robots.txt, SSRF guard, limits)."""
        request = scrapy.Request(url, dont_filter=True, meta={"referrer_policy": "no-referrer"})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # noqa: BLE001 - each failure is named, the other articles go on
            logger.error("could not fetch the article %s: %s", url, str(exc).splitlines()[0][:200] if str(exc)
                         else type(exc).__name__)
            self.crawler.stats.inc_value("linkspider/article/fetch_errors")
            return None
        if response.status >= 400 or not isinstance(response, HtmlResponse):
            why = f"HTTP {response.status}" if response.status >= 400 else "not an HTML page"
            logger.error("could not read the article %s: %s", url, why)
            self.crawler.stats.inc_value("linkspider/article/fetch_errors")
            return None
        return read_article(response.text, response.url)

    def background(self) -> NicheBackground | None:
        """The niche's pages in the database, when it holds enough of them (else general English alone)."""
        pages: list[list[str]] = []
        if self.db_exists():
            try:
                with Store(self.db_path, reading=True) as store:
                    pages = store.niche_page_terms(self.niche)
            except StoreError as exc:
                logger.warning("cannot read the niche's pages (%s): weighing against general English", exc)
        if len(pages) >= self.crawler.settings.getint("ARTICLE_MIN_BACKGROUND_PAGES"):
            return NicheBackground(pages)
        return None

    def analysed(self, article: ArticleText, background: NicheBackground | None, source: str) -> ArticleItem:
        profile = profile_article(article, background)
        self.profiles.append(profile)
        stats = self.crawler.stats
        stats.inc_value("linkspider/article/read")
        logger.info("article %s %r (%d words) is about: %s; distinctive terms: %s (against %s)", article.url,
                    article.title, profile.words, ", ".join(f"'{p}'" for p in profile.phrases) or "-",
                    ", ".join(list(profile.terms)[:12]), profile.background)
        return ArticleItem(niche=self.niche, url=article.url, title=article.title, profile=profile.as_row(),
                           source=source)

    def article_queries(self) -> list[str]:
        """Brand and title queries first (few, exact), then each pack x the articles' best phrases,
        interleaved so a cap still covers every pack and article; at most ``max_queries``."""
        assert self.profile is not None and self.backend is not None
        cap = self.max_queries
        lists = [self.brand_queries()]
        for pack in PACKS:
            for profile in self.profiles:
                phrases = profile.phrases[:PHRASES_SEARCHED]
                if phrases:
                    lists.append(self.footprint_queries(pack, phrases, cap))
        queries: list[str] = []
        for row in zip_longest(*lists):
            queries.extend(q for q in row if q and q not in queries)
        return queries[:cap] if cap else queries

    def brand_queries(self) -> list[str]:
        """``"Brand" -site:yours`` and each article's ``"Title" -site:yours``: pages that name you."""
        assert self.profile is not None and self.backend is not None
        if not self.profile.brand:
            return []
        exclude = " ".join(f"-site:{d}" for d in self.profile.domains)
        texts = [self.profile.brand, *(p.title for p in self.profiles if p.title)]
        out = []
        for text in texts:
            clean = " ".join(text.replace('"', " ").split())
            query = rewrite_query(f'"{clean}" {exclude}'.strip(), self.backend.operators)
            if query and query not in out:
                out.append(query)
        return out
