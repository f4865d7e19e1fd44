"""Contact pages and contact forms (and the forms that are neither)."""

from __future__ import annotations

import pytest

from linkspider.extract import extract_page
from tests.extract_support import facts, labels


@pytest.mark.parametrize(
    "page, plugin",
    [
        ("fitlifejournal-contact", "wpcf7"),
        ("cremalab-contact", "wpforms"),
        ("payrollpulse-contact", "gform"),
        ("nomadnotebook-contact", "nf-form-cont"),     # Ninja Forms: fields rendered by JavaScript
        ("grainandlight-contact", "elementor"),
        ("spokeandchain-contact", "fluentform"),
        ("velodaily-contact", "docs.google.com/forms"),
        ("wanderledger-contact", "contact"),           # hand-written form
    ],
)
def test_contact_form_plugins(page: str, plugin: str) -> None:
    f = facts(page)
    assert f["contact_form"] is True
    assert f["is_contact_page"] is True
    assert plugin in f["evidence"]["contact_form"] or plugin in f["evidence"]["contact_form"].lower()


def test_contact_page_without_form() -> None:
    name = next(n[:-5] for n, lab in sorted(labels().items()) if lab["contact_page"] and not lab["contact_form"])
    f = facts(name)
    assert f["is_contact_page"] and not f["contact_form"]


@pytest.mark.parametrize("page", ["bait-commenter-asks", "bait-newsletter-only", "fitlifejournal-article-1"])
def test_comment_newsletter_and_search_forms_are_not_contact_forms(page: str) -> None:
    assert facts(page)["contact_form"] is False


def test_article_about_contacting_is_not_a_contact_page() -> None:
    assert facts("bait-contact-article")["is_contact_page"] is False


@pytest.mark.parametrize("page", ["kraftwerk-training-contact", "cafeymas-contact", "lepetitvelo-contact"])
def test_non_english_contact_pages(page: str) -> None:
    assert facts(page)["is_contact_page"] is True


def test_inline_forms() -> None:
    url = "https://a-site.com/x/"
    msg_form = '<form><input name="name"><input type="email" name="email"><textarea name="message"></textarea></form>'
    assert extract_page(msg_form, url)["contact_form"] is True
    comment = ('<form id="commentform" action="/wp-comments-post.php"><textarea name="comment"></textarea>'
               '<input name="author"><input name="email" type="email"></form>')
    assert extract_page(comment, url)["contact_form"] is False
    login = '<form><input name="email"><input type="password" name="pw"><textarea name="message"></textarea></form>'
    assert extract_page(login, url)["contact_form"] is False


@pytest.mark.parametrize("title, path, expected", [
    ("Contact Us | Site", "/page/", True), ("Get in Touch – Site", "/x/", True), ("Kontakt", "/x/", True),
    ("Contáctanos", "/x/", True), ("Nous contacter", "/x/", True), ("Blog", "/contact/", True),
    ("How to contact support at big companies", "/blog/how-to-contact/", False),
])
def test_contact_page_names(title: str, path: str, expected: bool) -> None:
    f = extract_page(f"<title>{title}</title><p>text</p>", "https://site.com" + path)
    assert f["is_contact_page"] is expected
