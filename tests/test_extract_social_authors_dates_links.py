"""Social profiles, authors, dates and outbound links."""

from __future__ import annotations

import pytest

from linkspider.extract import extract_page
from linkspider.extract.dates import normalise_date, visible_date
from linkspider.extract.social import normalise_profile
from tests.extract_support import facts, label


@pytest.mark.parametrize("url, expected", [
    ("https://twitter.com/FitLife", "https://x.com/fitlife"),
    ("https://www.x.com/fitlife/", "https://x.com/fitlife"),
    ("https://twitter.com/intent/tweet?text=hi", None),
    ("https://twitter.com/share?url=x", None),
    ("https://twitter.com/fitlife/status/123", None),
    ("https://www.facebook.com/sharer/sharer.php?u=x", None),
    ("https://www.facebook.com/FitLife/", "https://facebook.com/fitlife"),
    ("https://www.facebook.com/profile.php?id=1000123", "https://facebook.com/profile.php?id=1000123"),
    ("https://www.linkedin.com/shareArticle?mini=true&url=x", None),
    ("https://uk.linkedin.com/in/Jane-Doe", "https://linkedin.com/in/jane-doe"),
    ("https://www.linkedin.com/company/acme/", "https://linkedin.com/company/acme"),
    ("https://www.instagram.com/fit.life/", "https://instagram.com/fit.life"),
    ("https://www.instagram.com/p/Cx12/", None),
    ("https://www.youtube.com/@FitLife", "https://youtube.com/@fitlife"),
    ("https://www.youtube.com/channel/UCx7Yb3kQ2", "https://youtube.com/channel/UCx7Yb3kQ2"),
    ("https://www.youtube.com/watch?v=abc", None),
    ("https://pinterest.com/pin/create/button/?url=x", None),
    ("https://www.pinterest.co.uk/fitlife/", "https://pinterest.com/fitlife"),
    ("https://www.tiktok.com/@fitlife", "https://tiktok.com/@fitlife"),
    ("https://www.tiktok.com/@fitlife/video/1", None),
    ("https://mastodon.social/@fitlife", "https://mastodon.social/@fitlife"),
    ("https://mastodon.social/share?text=x", None),
    ("https://bsky.app/profile/fitlife.bsky.social", "https://bsky.app/profile/fitlife.bsky.social"),
    ("https://www.reddit.com/submit?url=x", None),
])
def test_profile_vs_share(url: str, expected: str | None) -> None:
    assert normalise_profile(url) == expected


def test_corpus_social_profiles_not_share_buttons() -> None:
    for page in ["fitlifejournal-article-1", "cremalab-home", "payrollpulse-about", "spokeandchain-roundup"]:
        assert sorted(facts(page)["social"]) == label(page)["social"], page


def test_profiles_mentioned_in_article_text_are_not_the_sites() -> None:
    social = facts("bait-twitter-mentions")["social"]
    assert "https://x.com/someexpert" not in social
    assert "https://instagram.com/another.creator" not in social
    assert sorted(social) == label("bait-twitter-mentions")["social"]


def test_rel_me_fediverse_profile() -> None:
    f = extract_page('<p>Find me on <a rel="me" href="https://social.example-instance.org/@jane">the fediverse</a></p>',
                     "https://jane.blog/")
    assert f["social"] == ["https://social.example-instance.org/@jane"]


def test_jsonld_same_as() -> None:
    html = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization",'
            '"sameAs":["https://twitter.com/acme","https://www.linkedin.com/company/acme"]}</script>')
    assert extract_page(html, "https://acme.com/")["social"] == ["https://x.com/acme", "https://linkedin.com/company/acme"]


# -- authors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("html, expected", [
    ('<script type="application/ld+json">{"@type":"BlogPosting","author":{"@type":"Person","name":"Jane Doe"}}</script>', ["Jane Doe"]),
    ('<script type="application/ld+json">{"@type":"Article","author":[{"@type":"Person","name":"A B"},"C D"]}</script>', ["A B", "C D"]),
    ('<meta name="author" content="Megan Brooks">', ["Megan Brooks"]),
    ('<a rel="author" href="/author/t">Tomás Reyes</a>', ["Tomás Reyes"]),
    ('<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Ana Ruiz</span></span>', ["Ana Ruiz"]),
    ('<div class="byline">By Sam Whitaker on March 3, 2024</div>', ["Sam Whitaker"]),
    ('<meta name="author" content="admin">', []),
])
def test_author_sources(html: str, expected: list[str]) -> None:
    assert extract_page(f"<html><head>{html}</head><body>{html}<p>x</p></body></html>", "https://b.com/p/")["authors"] == expected


def test_corpus_article_authors() -> None:
    for page in ["fitlifejournal-article-1", "cremalab-article-1", "kraftwerk-training-article-1", "lepetitvelo-article-1"]:
        assert label(page)["authors"][0] in facts(page)["authors"], page


# -- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Posted March 3, 2024 by Jane", "2024-03-03"), ("3 March 2024", "2024-03-03"), ("2024-03-03", "2024-03-03"),
    ("3. März 2024", "2024-03-03"), ("3 de marzo de 2024", "2024-03-03"), ("3 mars 2024", "2024-03-03"),
    ("no date here", None), ("February 30, 2024", None),
])
def test_visible_dates(text: str, expected: str | None) -> None:
    assert visible_date(text) == expected


def test_machine_dates() -> None:
    assert normalise_date("2024-03-03T08:30:00Z") == "2024-03-03T08:30:00+00:00"
    assert normalise_date("2024-03-03") == "2024-03-03"
    assert normalise_date("1870-01-01") is None


def test_published_sources() -> None:
    base = "https://b.com/p/"
    assert extract_page('<meta property="article:published_time" content="2024-05-01T10:00:00+02:00"><p>x</p>', base)["published"] == "2024-05-01T10:00:00+02:00"
    assert extract_page('<article><time datetime="2023-11-02">Nov 2</time><p>x</p></article>', base)["published"] == "2023-11-02"
    assert extract_page("<article><p>Updated on 7 June 2025. Hello.</p></article>", base)["published"] == "2025-06-07"
    only_modified = '<script type="application/ld+json">{"@type":"WebPage","dateModified":"2022-01-09"}</script><p>x</p>'
    assert extract_page(only_modified, base)["published"] == "2022-01-09"


def test_corpus_published_dates() -> None:
    for page in ["fitlifejournal-article-1", "cremalab-roundup", "kraftwerk-training-roundup", "bait-about-article"]:
        assert (facts(page)["published"] or "")[:10] == label(page)["published"], page


# -- outbound links ---------------------------------------------------------------------------------

def test_outbound_links_with_rel_and_text() -> None:
    html = ('<a href="/internal">in</a><a href="https://blog.site.com/x">same site</a>'
            '<a href="https://other.org/a#frag" rel="nofollow sponsored">Other A</a>'
            '<a href="https://other.org/a">dup</a><a href="https://third.net/b" rel="UGC"><img alt="Third"></a>'
            '<a href="mailto:x@y.com">m</a><a href="javascript:void(0)">j</a>')
    links = extract_page(html, "https://www.site.com/page/")["outbound_links"]
    assert links == [
        {"url": "https://other.org/a", "text": "Other A", "rel": ["nofollow", "sponsored"]},
        {"url": "https://third.net/b", "text": "Third", "rel": ["ugc"]},
    ]


def test_corpus_roundup_outbound_links() -> None:
    f = facts("cremalab-roundup")
    assert len({link["url"].split("/")[2] for link in f["outbound_links"]}) >= 7
    assert not any(link["url"].split("/")[2].endswith("cremalab.coffee") for link in f["outbound_links"])
