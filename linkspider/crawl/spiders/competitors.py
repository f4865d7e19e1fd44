"""``scrapy crawl competitors -a niche=fitness -a backlinks=ahrefs.csv[,semrush.csv...]``

Who links to my competitors? Imports backlink exports (Ahrefs, Semrush, Moz,
Majestic, Google Search Console, or one URL per line; the format is detected
from the header), fetches each referring page, checks that the link to the
competitor is still there (present / nofollow / sponsored / ugc / gone), then
walks the referring site for contacts. Sites linking to two or more of the
niche's competitors (a *link intersect*) score higher. Competitors are the
niche profile's ``competitors`` unless ``-a competitors=a.com,b.com`` says
otherwise. Sites that already link to you (a placed link, an imported export
of your own backlinks, a page a crawl saw linking to your ``domain``) are left
out: the backlink gap is the sites linking to competitors but not to you.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from linkspider.common.domains import registrable_domain
from linkspider.crawl.spiders.sitewalk import SiteWalkSpider
from linkspider.discover.backlinks import BacklinkError, BacklinkImport, read_backlinks
from linkspider.discover.niches import NicheError
from linkspider.items import Discovery
from linkspider.store.database import Store, StoreError

logger = logging.getLogger(__name__)


class CompetitorsSpider(SiteWalkSpider):
    name = "competitors"

    def __init__(self, niche: str | None = None, backlinks: str | None = None,
                 competitors: str | None = None, **kwargs: Any) -> None:
        super().__init__(niche=niche, **kwargs)
        self.backlinks_arg = backlinks
        self.competitors_arg = competitors
        self.competitors: list[str] = []
        self.imports: list[BacklinkImport] = []

    def setup(self) -> None:
        super().setup()
        assert self.profile is not None
        if self.competitors_arg:
            self.competitors = [registrable_domain(c) or c.strip().lower()
                                for c in self.competitors_arg.split(",") if c.strip()]
        else:
            self.competitors = list(self.profile.competitors)
        if not self.competitors:
            raise NicheError(f"no competitors: add competitors = [...] to {self.profile.path} "
                             f"or pass -a competitors=a.com,b.com")
        if not self.backlinks_arg:
            raise NicheError("spider 'competitors' needs backlink exports: -a backlinks=FILE[,FILE...] "
                             "(Ahrefs, Semrush, Moz, Majestic, Search Console, or one URL per line)")
        self.imports = []
        for name in filter(None, (p.strip() for p in self.backlinks_arg.split(","))):
            try:
                self.imports.append(read_backlinks(Path(name)))
            except BacklinkError as exc:
                raise NicheError(str(exc)) from exc

    async def fresh_start(self) -> AsyncIterator[Any]:
        stats = self.crawler.stats
        # referring URL -> competitors it should link to (an export named the target), or
        # may link to (an export without a target column), and the export line it came from
        expected: dict[str, set[str]] = defaultdict(set)
        possible: dict[str, set[str]] = defaultdict(set)
        source: dict[str, str] = {}
        for imported in self.imports:
            logger.info("%s: %d backlinks (%s format)", imported.path, len(imported.rows), imported.format)
            for error in imported.errors:
                logger.warning("malformed backlink row skipped: %s", error)
            stats.inc_value("linkspider/backlinks/rows", len(imported.rows))
            stats.inc_value("linkspider/backlinks/malformed", len(imported.errors))
            for row in imported.rows:
                target = registrable_domain(row.target_url) if row.target_url else ""
                if not target:  # Search Console, plain lists: check against every competitor
                    possible[row.referring_url] |= set(self.competitors)
                elif target in self.competitors:
                    expected[row.referring_url].add(target)
                else:
                    stats.inc_value("linkspider/backlinks/not_a_competitor")
                    continue
                source.setdefault(row.referring_url, row.source)
        stats.set_value("linkspider/backlinks/referring_pages", len(source))
        linking = self.linking_to_you()
        for url in source:
            if registrable_domain(url) in self.competitors:
                continue  # a competitor's own page is no prospect
            if registrable_domain(url) in linking:
                stats.inc_value("linkspider/backlinks/already_linking")
                logger.debug("skipping %s: its site already links to you", url)
                continue
            wanted = expected.get(url, set()) | possible.get(url, set())
            optional = sorted(possible.get(url, set()) - expected.get(url, set()))
            discovery = Discovery(source="backlinks", detail=f"{source[url]} -> {','.join(sorted(wanted))}")
            meta = {"verify_competitors": sorted(wanted), "verify_optional": optional}
            await self.wait_for_backlog()
            for output in self.walk_site(url, discovery, meta):
                yield output
        if linking and stats.get_value("linkspider/backlinks/already_linking"):
            logger.info("%d referring pages left out: their sites already link to you",
                        stats.get_value("linkspider/backlinks/already_linking"))

    def linking_to_you(self) -> set[str]:
        """Your own sites and the sites that already link to them, as the database knows them."""
        assert self.profile is not None
        known = set(self.profile.domains)
        if self.db_exists():
            try:
                with Store(self.db_path, reading=True) as store:
                    known |= store.own_domains() | store.linking_domains()
            except StoreError as exc:
                logger.warning("cannot tell which sites already link to you (%s); checking all", exc)
        return known
