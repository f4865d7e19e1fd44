"""Page kinds with evidence — and the phrases in passing that must not decide them."""

from __future__ import annotations

import pytest

from linkspider.extract import extract_page
from linkspider.extract.kinds import rejects_guest_posts
from tests.extract_support import facts, labels

KEYS = {"write_for_us": "is_write_for_us", "rejects_guest_posts": "rejects_guest_posts", "sponsored": "is_sponsored",
        "roundup": "is_roundup", "resources": "is_resources", "contact_page": "is_contact_page", "about_page": "is_about_page"}


def pages_where(kind: str) -> list[str]:
    return sorted(n[:-5] for n, lab in labels().items() if lab[kind])


@pytest.mark.parametrize("page", [
    "fitlifejournal-write-for-us", "payrollpulse-write-for-us", "frugalcompass-write-for-us",
    "kraftwerk-training-write-for-us", "kraftwerk-training-write-for-us-2",   # German
    "cafeymas-write-for-us", "cafeymas-write-for-us-2",                      # Spanish
    "lepetitvelo-write-for-us", "lepetitvelo-write-for-us-2",                # French
])
def test_write_for_us_pages(page: str) -> None:
    f = facts(page)
    assert f["is_write_for_us"] is True
    assert f["rejects_guest_posts"] is False
    assert "cues" in f["evidence"]["write_for_us"]


@pytest.mark.parametrize("page", [
    "bait-article-guest-posting-guidelines",   # an article ABOUT guest posting
    "bait-article-pitch-howto",
    "bait-passing-write-for-us",               # one sentence in passing
    "bait-h2-write-for-us-section",            # a small h2 section in a post
    "bait-commenter-asks",                     # a commenter asks
    "bait-forum-thread",
    "bait-gastbeitrag-byline",                 # a published guest post, German
    "bait-spanish-passing", "bait-french-passing",
    "fitlifejournal-home", "fitlifejournal-article-1",   # footer + sidebar "Write for us" on every page
])
def test_write_for_us_not_from_phrases_in_passing(page: str) -> None:
    assert facts(page)["is_write_for_us"] is False


@pytest.mark.parametrize("page", ["grainandlight-no-guest-posts", "ironhearthfitness-no-guest-posts",
                                  "gartenglueck-no-guest-posts", "viajarligero-no-guest-posts",
                                  "carnetsdevoyage-no-guest-posts", "grainandlight-contact"])
def test_rejects_guest_posts_is_a_negative_signal(page: str) -> None:
    f = facts(page)
    assert f["rejects_guest_posts"] is True
    assert f["is_write_for_us"] is False
    assert f["evidence"]["rejects_guest_posts"].startswith("phrase:")


def test_reported_speech_is_not_a_rejection() -> None:
    assert facts("bait-quoted-rejection")["rejects_guest_posts"] is False
    assert rejects_guest_posts("Sorry, we don't accept guest posts.") != ""
    assert rejects_guest_posts('Many blogs say "we do not accept guest posts" nowadays.') == ""


@pytest.mark.parametrize("page", pages_where("sponsored"))
def test_sponsored_pages(page: str) -> None:
    f = facts(page)
    assert f["is_sponsored"] is True
    assert f["evidence"]["sponsored"]


@pytest.mark.parametrize("page", ["bait-advertising-news", "bait-sponsored-disclosure", "bait-work-with-me"])
def test_not_sponsored(page: str) -> None:
    assert facts(page)["is_sponsored"] is False


@pytest.mark.parametrize("page", pages_where("roundup"))
def test_roundups(page: str) -> None:
    f = facts(page)
    assert f["is_roundup"] is True and f["is_resources"] is False
    assert "other sites" in f["evidence"]["roundup"]
    assert f["published"]


@pytest.mark.parametrize("page", ["bait-product-roundup", "bait-internal-roundup"])
def test_not_roundups(page: str) -> None:
    assert facts(page)["is_roundup"] is False


@pytest.mark.parametrize("page", pages_where("resources"))
def test_resources_pages(page: str) -> None:
    assert facts(page)["is_resources"] is True


@pytest.mark.parametrize("page", ["bait-resources-internal", "bait-hr-article", "bait-resources-mention"])
def test_not_resources(page: str) -> None:
    assert facts(page)["is_resources"] is False


@pytest.mark.parametrize("page", pages_where("about_page"))
def test_about_pages(page: str) -> None:
    assert facts(page)["is_about_page"] is True


def test_about_article_is_not_about_page() -> None:
    assert facts("bait-about-article")["is_about_page"] is False


def test_every_decision_has_evidence() -> None:
    for name in sorted(labels())[:80]:
        f = facts(name[:-5])
        for key, field in KEYS.items():
            if f[field]:
                assert f["evidence"].get(key), (name, key)


@pytest.mark.parametrize("title, h1, path, body, expected", [
    ("Write for Us | Site", "Write for Us", "/write-for-us/",
     "We accept guest posts. Guidelines: 1,000 words minimum, original, send us your pitch.", True),
    ("Write for Us | Site", "Write for Us", "/write-for-us/", "Short page.", False),   # no body cues
    ("My trip", "My trip", "/trip/", "Want to write for us? We accept guest posts, guidelines, 1000 words, pitch.", False),
])
def test_write_for_us_inline(title: str, h1: str, path: str, body: str, expected: bool) -> None:
    filler = " ".join(["Lorem ipsum dolor sit amet."] * 12)
    html = f"<title>{title}</title><h1>{h1}</h1><p>{body}</p><p>{filler}</p>"
    assert extract_page(html, "https://site.com" + path)["is_write_for_us"] is expected
