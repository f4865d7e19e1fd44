"""Emails: every way sites write them, and every false positive they tempt."""

from __future__ import annotations

import pytest

from linkspider.extract import extract_page
from linkspider.extract.emails import decode_cfemail, is_role, parse_mailto, validate
from tests.extract_support import facts, label, sources

URL = "https://www.fitblog.com/contact/"


def emails_of(body: str, url: str = URL) -> list[str]:
    return extract_page(f"<html><head><title>t</title></head><body>{body}</body></html>", url)["emails"]


def test_mailto_with_subject_and_several_addresses() -> None:
    got = emails_of('<a href="mailto:Press@FitBlog.com,ads@fitblog.com?subject=Guest%20post&amp;cc=tips@fitblog.com">mail</a>')
    assert got == ["press@fitblog.com", "ads@fitblog.com", "tips@fitblog.com"]
    assert parse_mailto("mailto:a@x.com;b@x.com?bcc=c@x.com") == ["a@x.com", "b@x.com", "c@x.com"]


def test_mailto_without_address_is_nothing() -> None:
    assert emails_of('<a href="mailto:?subject=Read%20this&amp;body=https://x.com/a@b">share by email</a>') == []


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Write to editor@fitblog.com today.", "editor@fitblog.com"),
        ("editor&#64;fitblog.com", "editor@fitblog.com"),
        ("editor&#x40;fitblog.com", "editor@fitblog.com"),
        ("jane [at] fitblog [dot] com", "jane@fitblog.com"),
        ("jane(at)fitblog.com", "jane@fitblog.com"),
        ("jane AT fitblog DOT com", "jane@fitblog.com"),
        ("jane {at} fitblog {dot} com", "jane@fitblog.com"),
        ("jane @ fitblog.com", "jane@fitblog.com"),
        ('<span>jane</span>@<span>fitblog.com</span>', "jane@fitblog.com"),
        ("jane [at] mail [dot] fitblog [dot] co [dot] uk", "jane@mail.fitblog.co.uk"),
    ],
)
def test_text_and_obfuscations(body: str, expected: str) -> None:
    assert emails_of(f"<p>Contact: {body}</p>") == [expected]


def test_cloudflare_protection() -> None:
    encoded = "0a" + "".join(f"{ord(c) ^ 0x0A:02x}" for c in "sam@fitblog.com")
    assert decode_cfemail(encoded) == "sam@fitblog.com"
    assert emails_of(f'<a class="__cf_email__" data-cfemail="{encoded}">[email&#160;protected]</a>') == ["sam@fitblog.com"]
    assert emails_of(f'<a href="/cdn-cgi/l/email-protection#{encoded}">Email us</a>') == ["sam@fitblog.com"]
    assert decode_cfemail("zz") is None


def test_jsonld_email_and_contact_point() -> None:
    html = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"Organization",'
            '"email":"mailto:Info@FitBlog.com","contactPoint":[{"@type":"ContactPoint","email":"press@fitblog.com"}]}</script>')
    assert emails_of(html) == ["info@fitblog.com", "press@fitblog.com"]


@pytest.mark.parametrize(
    "bait",
    [
        "logo@2x.png", "hero@3x.webp", "icon@2x",
        "https://9f8e7d6c5b4a39281716a5b4c3d2e1f0@o448123.ingest.sentry.io/5512345",
        "user@example.com", "you@example.org", "name@yourdomain.com", "jane@domain.com",
        "lodash@4.17.21", "react@18.2.0", "python@3.11",
        "git@github.com:someone/repo.git",
        "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d@deploy.other.net",
        "admin@intranet.corp", "test@brand.notarealtld", "webmaster@localhost",
        "\\u003e\\u003c", "a@b",
    ],
)
def test_false_positive_bait_is_ignored(bait: str) -> None:
    assert emails_of(f"<p>{bait}</p><pre>{bait}</pre>") == []


def test_escape_debris_is_stripped_not_kept() -> None:
    assert emails_of(r"<pre>\u003emarketing@fitblog.com\u003c/a\u003e</pre>") == ["marketing@fitblog.com"]


def test_emails_in_scripts_and_styles_are_not_read() -> None:
    html = ('<style>.logo{background:url(logo@2x.png)}</style><script>var cfg={"support":"help@vendor.com",'
            '"dsn":"https://abc@o1.ingest.sentry.io/1"};</script><p>hello</p>')
    assert emails_of(html) == []


def test_lower_cased_deduplicated_with_url_own_domain_and_role() -> None:
    f = extract_page('<p>Editor@FitBlog.com editor@fitblog.com jane.doe@gmail.com '
                     '<a href="mailto:EDITOR@fitblog.com">x</a></p>', URL)
    assert f["emails"] == ["editor@fitblog.com", "jane.doe@gmail.com"]
    by = {d["email"]: d for d in f["email_details"]}
    assert by["editor@fitblog.com"] == {"email": "editor@fitblog.com", "source": "mailto", "own_domain": True,
                                        "role": True, "url": URL}
    assert by["jane.doe@gmail.com"]["own_domain"] is False
    assert by["jane.doe@gmail.com"]["role"] is False


def test_own_domain_uses_registrable_domain() -> None:
    f = extract_page("<p>news@mail.blog.example.co.uk</p>", "https://www.example.co.uk/")
    assert f["email_details"][0]["own_domain"] is True


@pytest.mark.parametrize("addr", ["info@x.com", "editor@x.com", "press@x.com", "guest.posts@x.com", "no-reply@x.com",
                                  "advertising@x.com", "submissions@x.com", "hello@x.com", "webmaster@x.com",
                                  "partnerships@x.com", "redaktion@x.de"])
def test_role_addresses(addr: str) -> None:
    assert is_role(addr)


@pytest.mark.parametrize("addr", ["jane.doe@x.com", "megan@x.com", "tomas.reyes@x.com", "j.smith@x.com"])
def test_personal_addresses(addr: str) -> None:
    assert not is_role(addr)


def test_unknown_suffix_allowed_only_on_the_pages_own_site() -> None:
    assert validate("editor@fitness-blog.example", "fitness-blog.example")
    assert not validate("editor@other.example", "fitness-blog.example")


# -- named corpus fixtures --------------------------------------------------------------

@pytest.mark.parametrize(
    "page, source",
    [
        ("epargnesereine-contact", "cfemail"),        # data-cfemail span and /cdn-cgi/ link
        ("dividendgarden-contact", "obfuscated"),     # AT/DOT words and {at}
        ("gartenglueck-contact", "text"),            # &#64; entity
        ("beanscene-contact", "text"),               # &#x40; entity
        ("fitlifejournal-write-for-us", "mailto"),   # mailto with ?subject=
        ("cafeymas-contact", "obfuscated"),          # <span>user</span>@<span>domain</span>
    ],
)
def test_corpus_pages_emails_exact(page: str, source: str) -> None:
    assert sorted(facts(page)["emails"]) == label(page)["emails"]
    assert source in sources(page).values()


def test_corpus_false_positive_page() -> None:
    got = facts("bait-email-false-positives")["emails"]
    assert sorted(got) == label("bait-email-false-positives")["emails"]
    assert "hello@grainandlight.net" in got and "jonah.ellery@gmail.com" in got


def test_corpus_mailto_multi_and_jsonld() -> None:
    f = facts("edge-mailto-multi-jsonld")
    assert sorted(f["emails"]) == label("edge-mailto-multi-jsonld")["emails"]
    assert sources("edge-mailto-multi-jsonld")["garden.club@thegreenpatch.co.uk"] == "jsonld"
