"""``scrapy crawl seeds -a niche=fitness [-a seeds=path.txt]``: walk every seed site.

The seed list is the niche profile's (``seeds/<niche>.toml``), or the file
given with ``-a seeds=``. Malformed lines are reported with ``file:line`` and
skipped; blocklisted sites are skipped and counted.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from linkspider.crawl.spiders.sitewalk import SiteWalkSpider
from linkspider.discover.niches import (
    NicheError,
    SeedList,
    profile_seeds,
    read_seed_file,
)
from linkspider.items import Discovery

logger = logging.getLogger(__name__)


class SeedsSpider(SiteWalkSpider):
    name = "seeds"

    def __init__(self, niche: str | None = None, seeds: str | None = None, **kwargs: Any) -> None:
        super().__init__(niche=niche, **kwargs)
        self.seeds_path = seeds
        self.seed_list = SeedList()

    def setup(self) -> None:
        super().setup()
        assert self.profile is not None
        if self.seeds_path:
            self.seed_list = read_seed_file(self.seeds_path, self.blocklist)
        else:
            self.seed_list = profile_seeds(self.profile, self.blocklist)
        if not self.seed_list.entries:
            source = self.seeds_path or str(self.profile.seed_file or self.profile.path)
            raise NicheError(f"no usable seed in {source} "
                             f"({len(self.seed_list.errors)} malformed, {len(self.seed_list.blocked)} blocklisted)")

    async def fresh_start(self) -> AsyncIterator[Any]:
        for error in self.seed_list.errors:
            logger.warning("malformed seed line skipped: %s", error)
        for blocked in self.seed_list.blocked:
            logger.info("blocklisted seed skipped: %s", blocked)
        stats = self.crawler.stats
        stats.set_value("linkspider/seeds/valid", len(self.seed_list.entries))
        stats.set_value("linkspider/seeds/malformed", len(self.seed_list.errors))
        stats.set_value("linkspider/seeds/blocklisted", len(self.seed_list.blocked))
        for entry in self.seed_list.entries:
            await self.wait_for_backlog()
            for output in self.walk_site(entry.url, Discovery(source="seed", detail=entry.source)):
                yield output
