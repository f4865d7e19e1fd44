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


# -- real pages' ways (issue 12) -------------------------------------------------------------------------

def _page(title: str, body: str, h1: str = "", head: str = "") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><nav><a href='/'>Home</a></nav>"
            f"<article>{f'<h1>{h1}</h1>' if h1 else ''}{body}</article>"
            "<footer><a href='/write-for-us/'>Write for us</a> · <a href='/advertise/'>Advertise</a></footer></body></html>")


GUIDELINES = ("<p>We publish practical articles about trail running. Guidelines: 1,200 words or more, original and "
              "not published elsewhere, one link back to your site in your author bio.</p>")


@pytest.mark.parametrize("refusal", [
    "We do not publish sponsored posts or casino, CBD or loan content.",
    "No paid links, no link insertions.",
    "We do not accept guest posts about gambling, crypto or adult topics.",
    "We don’t accept guest posts that are AI-generated.",
    "We do not accept guest posts from SEO agencies.",
])
def test_write_for_us_page_that_refuses_some_posts_stays_one(refusal: str) -> None:
    f = extract_page(_page("Write for Us – Trail Notes", GUIDELINES + f"<p>{refusal}</p>", h1="Write for Us"),
                     "https://trailnotes.com/write-for-us/")
    assert f["rejects_guest_posts"] is False
    assert f["is_write_for_us"] is True


@pytest.mark.parametrize("text", [
    "We have stopped accepting guest posts.", "I’m not interested in posting guest posts, so please don’t ask.",
    "We don’t do guest posts.", "We no longer accept guest posts on this blog.",
])
def test_whole_refusals_are_still_refusals(text: str) -> None:
    assert rejects_guest_posts(text) != ""


def test_invitation_name_needs_guideline_cues_not_a_we() -> None:
    # A short page in the second person only (a real static site's "Guest Post With Us — $10"): no "we accept".
    html = _page("Guest Post With Us — $10 | Coatings Co", "<p>For suppliers and contractors. Get featured on "
                 "Coatings Co with a dofollow link back to your site. Ideal for manufacturers and installers of "
                 "industrial coatings.</p>", h1="Guest Post With Us — $10")
    f = extract_page(html, "https://coatings.example.com/guest-post.html")
    assert f["is_write_for_us"] is True
    assert f["is_sponsored"] is True and "$10" in f["evidence"]["sponsored"]   # a guest post sold for a price


@pytest.mark.parametrize("title, body, url", [
    # a post BY a guest, titled "Guest Post": topics, submit and original, but nobody invites anyone
    ("Guest Post: Ten Projects That Do Good With Data", "<p>Our guest author writes about open data. Submit your "
     "project to the original marathon; topics that matter, guidelines for reuse and 2,000 words of notes.</p>" * 2,
     "https://okf.example/blog/guest-post-ten-projects/"),
    # an open-source project's contributing guide
    ("Contribute | fastlib", "<p>Read the contribution guidelines, fork the repository and submit a pull request "
     "with tests. Original code only; topics that need help are labelled.</p>" * 2, "https://fastlib.dev/contribute/"),
])
def test_ambiguous_name_without_the_sites_voice_is_not_write_for_us(title: str, body: str, url: str) -> None:
    assert extract_page(_page(title, body, h1=title.split(" | ")[0]), url)["is_write_for_us"] is False


def test_ambiguous_name_with_the_sites_voice_is_write_for_us() -> None:
    body = ("<p>Stats Blog welcomes guest posts about statistics. If you want to contribute, please submit your "
            "article through the form. I will review it and reply within two weeks. Guidelines: original posts only, "
            "never published anywhere else, with a couple of links back to your site within reason.</p>")
    assert extract_page(_page("Contribute - Stats Blog", body, h1="Contribute"),
                        "https://statsblog.example/contribute/")["is_write_for_us"] is True


LINKS = "".join(f"<li><a href='https://site{i}.example/posts/{i}'>An article elsewhere {i}</a> – why it is good</li>"
                for i in range(8))


@pytest.mark.parametrize("title, url", [
    ("Links for Wed 7 May 2008 – Joseph's blog", "https://blog.example.org/2008/05/08/links-for-wed-7-may-2008/"),
    ("Link Dump – Joseph's blog", "https://blog.example.org/2004/07/08/link-dump-3/"),
    ("Issue #12 | Maybe News", "https://maybe.example/issues/12"),
    ("Python Newsletter February 22, 2023", "https://codeblog.example/python-newsletter-february-22-2023/"),
    ("A Fistful of Links - April 06, 2020", "https://fistful.example/posts/2020-04-06/"),
    ("Links 20160216", "https://libertarian.example/2016/02/16/links-20160216/"),
])
def test_real_link_roundups(title: str, url: str) -> None:
    f = extract_page(_page(title, f"<ul>{LINKS}</ul>", h1=title.split(" | ")[0].split(" – ")[0]), url)
    assert f["is_roundup"] is True and f["is_resources"] is False
    own = LINKS.replace("https://site", "https://blog.example.org/site")
    assert extract_page(_page(title, f"<ul>{own}</ul>"), url)["is_roundup"] is False   # its own posts only


def test_resources_page_may_send_readers_to_a_shop_too() -> None:
    books = "".join(f"<li><a href='https://www.amazon.com/dp/{i}'>Book {i}</a></li>" for i in range(10))
    f = extract_page(_page("Cognitive Science Resources", f"<ul>{LINKS}{books}</ul>", h1="Cognitive Science Resources"),
                     "https://codeblog.example/cognitive_science/resources/")
    assert f["is_resources"] is True


def test_media_kit_that_asks_to_reach_out_is_sponsored() -> None:
    body = ("<p>If you are interested in partnering on a collaboration, this is my media kit: brands I have worked "
            "with and my audience. If you think we would be a good fit, please reach out!</p>")
    f = extract_page(_page("Media Kit - Kyle's Corner", body, h1="Media Kit"), "https://kyle.example/media-kit/")
    assert f["is_sponsored"] is True


@pytest.mark.parametrize("title, url, expected", [
    ("Our Staff", "https://wheelchair.example/about-us/staff/", True),
    ("Conócenos – Instituto", "https://instituto.example/conocenos/", True),
    ("De mí :: Alitux", "https://alitux.example/acerca-de/", True),
    ("Verein – CoderDojo", "https://coderdojo.example/verein/", True),
    ("booyaa's links", "https://booyaa.example/", False),   # a home page whose one heading says "about me"
])
def test_about_pages_of_real_sites(title: str, url: str, expected: bool) -> None:
    h1 = "about me" if not expected else title.split(" – ")[0].split(" :: ")[0]
    f = extract_page(_page(title, "<p>Who we are and what we do, since 1967.</p>", h1=h1), url)
    assert f["is_about_page"] is expected
