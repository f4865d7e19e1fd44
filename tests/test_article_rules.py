"""The rules behind issue 17, one by one: reading an article, what it is about, its fit, mentions of the
brand, and how a link check is judged. The crawls themselves are in ``tests/test_article.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.internet.error import DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from fakeweb.crawl import ROOT
from linkspider.crawl.checkpoint import CheckpointError, request_record, restore
from linkspider.crawl.commands.crawl import repeated_arguments
from linkspider.crawl.middlewares.robots import PROXY_DNS_FAILURE, RobotsUnreachable, proxy_dns_failure
from linkspider.crawl.middlewares.ssrf import AddressRefused, RequestRefused
from linkspider.crawl.outbound import failure_result, judge
from linkspider.discover.niches import NicheError, load_niche
from linkspider.extract.article import phrase_counts, read_draft
from linkspider.extract.html import parse
from linkspider.extract.mentions import mention_sentence
from linkspider.extract.parked import parked_reason
from linkspider.items import OutboundCheckItem, PageItem
from linkspider.score.article import ENGLISH_TERMS, NicheBackground, page_fit, profile_article, site_fit
from linkspider.score.page import NicheContext, mark_mention
from linkspider.store.database import Store

DRAFT = """# High-Protein Smoothies: 12 Recipes for Breakfast

A protein smoothie is the fastest breakfast we know. These protein smoothies use greek yogurt, frozen banana
and protein powder; nothing else.

## Why protein smoothies work
Greek yogurt adds protein. Frozen banana makes protein smoothies thick, and protein smoothies keep.

## Nutrition facts
- Peanut butter protein smoothies with frozen banana.
- Berry protein smoothies with greek yogurt.
"""


def test_a_draft_is_read_as_title_headings_and_blocks() -> None:
    article = read_draft(DRAFT, "draft")
    assert article.title == "High-Protein Smoothies: 12 Recipes for Breakfast"
    assert article.headings == ["Why protein smoothies work", "Nutrition facts"]
    assert len(article.blocks) == 3 and article.blocks[2].startswith("Peanut butter protein smoothies")
    assert read_draft("Just a title line\n\nAnd a paragraph.").title == "Just a title line"


def test_phrases_never_run_across_headings_punctuation_or_stop_words() -> None:
    phrases = phrase_counts(read_draft(DRAFT))
    assert "protein smoothi" in phrases and phrases["protein smoothi"]["protein smoothies"] >= 5
    assert "work nutrit" not in phrases  # two headings
    assert "powder noth" not in phrases  # a semicolon between
    assert "smoothi use greek" in phrases and "breakfast know" not in phrases  # "breakfast we know": a stop word


def test_an_article_is_about_its_distinctive_phrases_against_general_english() -> None:
    profile = profile_article(read_draft(DRAFT))
    assert profile.phrases[0] == "protein smoothies" and "greek yogurt" in profile.phrases[:4]
    assert profile.background == "general English"
    assert max(profile.terms.values()) == 1.0 and "protein smoothi" in profile.terms
    assert "make" not in profile.terms  # everyday English says nothing
    assert ENGLISH_TERMS.read_text().startswith("# General-English frequencies") and "CC BY-SA 4.0" in \
        ENGLISH_TERMS.read_text()[:2000]


def test_a_term_common_across_the_niche_counts_half_not_nothing() -> None:
    alone = profile_article(read_draft(DRAFT))
    niche = NicheBackground([["yogurt", "greek", "greek yogurt"]] * 10 + [["kefir"]] * 10)
    against = profile_article(read_draft(DRAFT), niche)
    assert niche.factor("greek yogurt") == 0.75 and niche.factor("smoothi") == 1.0
    assert against.terms["greek yogurt"] < alone.terms["greek yogurt"]
    assert "protein smoothies" == against.phrases[0]
    assert against.background == "general English and 20 of the niche's pages in the database"


def test_fit_is_one_for_the_article_and_about_nothing_for_another_topic() -> None:
    article = read_draft(DRAFT)
    profile = profile_article(article)
    assert page_fit(dict(article.term_counts()), article.words, profile) == 1.0
    assert page_fit({"sauerkraut": 5, "kefir": 4, "ferment": 6}, 300, profile) == 0.0
    near = {"protein": 3, "smoothi": 4, "protein smoothi": 3, "yogurt": 1}
    pages = [{"url": "http://a.com/post/", "terms": {"protein": 9, "smoothi": 9, "protein smoothi": 8}, "words": 500,
              "kinds": "", "title": "Post"},
             {"url": "http://a.com/resources/", "terms": near, "words": 120, "kinds": "resources", "title": "Res"},
             {"url": "http://a.com/contact/", "terms": near, "words": 12, "kinds": "", "title": "Contact"}]
    fit = site_fit(pages, profile)
    assert fit is not None and fit.page_url == "http://a.com/resources/"  # where a link would go
    assert fit.why == f"resources page on 'protein smoothies' (fit {fit.fit:.2f})" and 0 < fit.fit < 1


def _page(html: str, url: str = "http://www.fan.com/post/") -> object:
    return parse(f"<html><body><main>{html}</main><footer>Powered by Blendwell</footer></body></html>", url)


def test_a_mention_is_the_brand_as_a_word_in_the_main_content() -> None:
    assert mention_sentence(_page("<p>We tried it. I love the BLENDWELL guide! More soon.</p>"),
                            "Blendwell") == "I love the BLENDWELL guide!"
    assert mention_sentence(_page("<p>The Blendwellness Spa opened.</p>"), "Blendwell") == ""
    assert mention_sentence(_page("<p>Nothing here.</p>"), "Blendwell") == ""  # the footer's does not count
    assert mention_sentence(_page("<p>Thanks to blend\n  WELL Co for this.</p>"), "Blend Well") == \
        "Thanks to blend WELL Co for this."


def test_an_unlinked_mention_is_a_page_of_another_site_without_a_link_to_yours() -> None:
    context = NicheContext(brand="Blendwell", own_domains=frozenset({"blendwell.com"}))
    unlinked = {"brand_mention": "I love Blendwell.", "outbound_links": [{"url": "http://other.com/"}]}
    mark_mention(unlinked, "http://www.fan.com/post/", context)
    assert unlinked["is_unlinked_mention"] and unlinked["evidence"]["unlinked_mention"] == "I love Blendwell."
    linked = {"brand_mention": "I love Blendwell.", "outbound_links": [{"url": "https://www.blendwell.com/x/"}]}
    own = {"brand_mention": "Welcome to Blendwell.", "outbound_links": []}
    mark_mention(linked, "http://www.fan.com/post/", context)
    mark_mention(own, "http://blog.blendwell.com/", context)
    assert "is_unlinked_mention" not in linked and "is_unlinked_mention" not in own


@pytest.mark.parametrize("answer, outcome, reason", [
    ((404, "http://a.com/x", False, None), "dead", "404"),
    ((410, "http://a.com/x", False, None), "dead", "410"),
    ((503, "http://a.com/x", False, None), "unsure", "503"),
    ((429, "http://a.com/x", False, None), "unsure", "429"),
    ((403, "http://a.com/x", False, None), "unsure", "403"),
    ((200, "http://a.com/x", False, None), "ok", "200"),
    ((200, "https://www.a.com/x/", True, None), "ok", "200"),  # scheme, www. and slash: the same page
    ((200, "http://big.com/", True, None), "dead", "redirects to the home page of big.com"),
    ((200, "https://sedo.com/search/details/?domain=a.com", True, None), "dead", "parked domain (for sale)"),
    ((200, "http://a.com/lander", True, "<h1>The domain a.com is for sale!</h1>"), "dead", "parked domain (for sale)"),
    ((200, "http://a.com/new-place/", True, "<h1>Moved here</h1>"), "ok", "200"),
])
def test_how_an_answer_to_a_link_check_is_judged(answer: tuple, outcome: str, reason: str) -> None:
    result = judge("http://a.com/x", *answer)
    assert result is not None and (result.outcome, result.reason) == (outcome, reason)


def test_a_redirect_elsewhere_is_read_before_it_is_judged() -> None:
    assert judge("http://a.com/x", 200, "http://a.com/lander", True, None) is None  # GET it first
    assert parked_reason("<p>We wrote about this domain of cooking.</p>") == ""


def _failure(exc: Exception) -> Failure:
    return Failure(exc)


def test_a_check_without_an_answer_is_dead_only_when_the_name_does_not_resolve() -> None:
    origin = ("http", "www.gone.com", 80)
    assert failure_result(_failure(DNSLookupError("www.gone.com"))).outcome == "dead"
    assert failure_result(_failure(RobotsUnreachable(origin, PROXY_DNS_FAILURE, True))).outcome == "dead"
    assert failure_result(_failure(RobotsUnreachable(origin, "HTTP 503", False))).outcome == "unsure"
    assert failure_result(_failure(TimeoutError())).outcome == "unsure"
    # Not checked at all: robots.txt forbids it, the SSRF guard or the per-site cap refused it.
    assert failure_result(_failure(IgnoreRequest("Forbidden by robots.txt"))) is None
    assert failure_result(_failure(RequestRefused("private address", "private"))) is None
    assert failure_result(_failure(AddressRefused("resolves to 10.0.0.1", "10.0.0.1"))) is None


def test_a_proxy_that_cannot_resolve_a_name_is_read_as_a_dns_failure() -> None:
    request = scrapy.Request("http://www.gone.com/robots.txt")
    squid = Response(request.url, status=503, headers={"X-Squid-Error": "ERR_DNS_FAIL 0"}, request=request)
    busy = Response(request.url, status=503, request=request)
    assert proxy_dns_failure(squid) and not proxy_dns_failure(busy)


class _Spider:
    name = "seeds"
    resumable_callbacks = frozenset({"outbound_checked", "outbound_failed"})

    def outbound_checked(self, response: object) -> None: ...

    def outbound_failed(self, failure: object) -> None: ...

    def resumed_request(self, request: scrapy.Request) -> scrapy.Request:
        return request


def test_a_checkpointed_head_check_resumes_and_no_other_head_does() -> None:
    spider = _Spider()
    meta = {"outbound": {"url": "http://a.com/x", "page": "http://r.com/res/", "site": "r.com", "anchor": "X",
                         "get": False}}
    check = scrapy.Request("http://a.com/x", method="HEAD", meta=meta, callback=spider.outbound_checked,
                           errback=spider.outbound_failed)
    restored = restore(request_record(check), spider)
    assert restored.method == "HEAD" and restored.meta["outbound"] == meta["outbound"]
    other = scrapy.Request("http://a.com/x", method="HEAD", callback=spider.outbound_checked)
    with pytest.raises(CheckpointError, match="only link checks as HEAD"):
        restore(request_record(other), spider)


def test_url_and_file_arguments_may_be_repeated() -> None:
    assert repeated_arguments(["niche=n", "url=http://a/", "url=http://b/", "file=d.md"]) == \
        ["niche=n", "url=http://a/\nhttp://b/", "file=d.md"]
    assert repeated_arguments(["niche=a", "niche=b"]) == ["niche=a", "niche=b"]  # Scrapy's rule: last wins


def test_a_profile_names_brand_and_articles_and_a_bad_article_url_is_named(tmp_path: Path) -> None:
    (tmp_path / "n.toml").write_text('keywords = ["x"]\nbrand = "  Blend   Well "\ndomain = "blendwell.com"\n'
                                     'articles = ["https://blendwell.com/a/", "blendwell.com/b/"]\n')
    profile = load_niche("n", tmp_path)
    assert profile.brand == "Blend Well" and profile.domains == ["blendwell.com"]
    assert profile.articles == ["https://blendwell.com/a/", "https://blendwell.com/b/"]
    (tmp_path / "bad.toml").write_text('keywords = ["x"]\narticles = ["jane@blendwell.com"]\n')
    with pytest.raises(NicheError, match="bad.toml: article 'jane@blendwell.com'"):
        load_niche("bad", tmp_path)


def _crawl_args(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "article", "-s", "SEARCH_BACKEND=file",
           "-s", f"SEARCH_RESULTS_FILE={ROOT / 'seeds' / 'blocklist.txt'}"]
    for arg in args:
        cmd += ["-a", arg]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_article_spider_says_what_is_missing_or_wrong_before_it_starts(tmp_path: Path) -> None:
    none = _crawl_args("niche=fitness")
    assert none.returncode == 2 and "spider 'article' needs an article: -a url=URL or -a file=PATH" in none.stderr
    bad = _crawl_args("niche=fitness", "url=blendwell")
    assert bad.returncode == 2 and "-a url='blendwell' is not an article URL" in bad.stderr
    missing = _crawl_args("niche=fitness", f"file={tmp_path / 'nope.md'}")
    assert missing.returncode == 2 and "nope.md" in missing.stderr and "Traceback" not in missing.stderr


def test_the_store_keeps_a_pages_dead_links_and_its_signal_in_step(tmp_path: Path) -> None:
    page = "http://www.r.com/resources/"
    with Store(tmp_path / "db.sqlite") as store:
        store.write_pages([PageItem(url=page, domain="r.com", niche="n", status=200)])

        def check(target: str, outcome: str, reason: str, anchor: str = "") -> OutboundCheckItem:
            return OutboundCheckItem(domain="r.com", niche="n", page_url=page, target_url=target, anchor=anchor,
                                     outcome=outcome, reason=reason)

        store.write_pages([check("http://a.com/1", "dead", "404", "Old guide"), check("http://b.com/", "dead",
                           "DNS lookup failed"), check("http://c.com/", "unsure", "503")])
        evidence = store.db.execute("SELECT evidence FROM signals WHERE kind = 'broken_link'").fetchall()
        assert evidence == [("2 dead pages (e.g. 'Old guide' -> 404)",)]
        assert set(store.outbound_known(30)) == {"http://a.com/1", "http://b.com/"}  # unsure: asked again
        store.write_pages([check("http://a.com/1", "ok", "200"), check("http://b.com/", "ok", "200")])
        assert not store.db.execute("SELECT 1 FROM signals WHERE kind = 'broken_link'").fetchall()
