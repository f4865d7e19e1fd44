"""Hostile input never raises and gives the empty facts."""

from __future__ import annotations

import random

import pytest

from linkspider.extract import empty_facts, extract_page
from tests.extract_support import facts

CONTRACT_KEYS = {"title", "emails", "email_details", "contact_form", "is_contact_page", "is_about_page",
                 "is_write_for_us", "is_roundup", "is_resources", "is_sponsored", "rejects_guest_posts",
                 "social", "authors", "published", "outbound_links", "evidence", "terms", "words", "notes"}


def test_contract_keys_exactly() -> None:
    assert set(empty_facts()) == CONTRACT_KEYS
    assert set(extract_page("<title>x</title>", "https://a.com/")) == CONTRACT_KEYS


@pytest.mark.parametrize("html", [
    "", " ", "\x00\x00\x00", "<", "<html><body><p>unclosed <a href='", "<?xml version='1.0' encoding='latin-1'?><html/>",
    "\ufeff<html>", "<<<<>>>>" * 1000, "<a href='http://[::1'>x</a>", "<a href='http://exa mple.com/%zz'>x</a>",
    "<div>" * 5000, "<script>" + "x" * 10000,
])
def test_junk_never_raises(html: str) -> None:
    f = extract_page(html, "https://a.com/")
    assert set(f) == CONTRACT_KEYS


def test_random_binary_never_raises() -> None:
    rng = random.Random(7)
    for _ in range(20):
        junk = "".join(chr(rng.randint(0, 0xFFFF)) for _ in range(3000)).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        assert set(extract_page(junk, "https://a.com/")) == CONTRACT_KEYS


def test_non_string_input_gives_empty_facts() -> None:
    assert extract_page(None, None) == empty_facts()  # type: ignore[arg-type]
    assert extract_page(b"<p>bytes</p>", "https://a.com/") == empty_facts()  # type: ignore[arg-type]


def test_bad_urls() -> None:
    for url in ["", "not a url", "http://", "ftp://x", "http://[bad"]:
        assert set(extract_page("<p>mail me: a@gmail.com</p>", url)) == CONTRACT_KEYS


def test_huge_page_is_cut_not_fatal() -> None:
    html = "<html><body>" + "<p>filler text a@b</p>" * 200_000 + "<p>late@gmail.com</p></body></html>"
    f = extract_page(html, "https://a.com/")
    assert "late@gmail.com" not in f["emails"]  # beyond the cut


@pytest.mark.parametrize("page", ["hostile-truncated", "hostile-binary-junk", "hostile-script-only"])
def test_corpus_hostile_pages(page: str) -> None:
    f = facts(page)
    assert set(f) == CONTRACT_KEYS
    if page != "hostile-truncated":
        assert f["emails"] == [] and not f["is_write_for_us"]


# ---------------------------------------------------------------- decoding never corrupts an address
@pytest.mark.parametrize("text", ["Chef: m\ufffdller@cafe-beispiel.de", "Chef: müller@cafe-beispiel.de",
                                  "Chef: Ωmega@cafe-beispiel.de"])
def test_an_address_is_dropped_whole_never_cut_at_a_character_it_cannot_hold(text: str) -> None:
    facts = extract_page(f"<html><body><p>{text}</p></body></html>", "https://cafe-beispiel.de/")
    assert facts["emails"] == []


def test_control_characters_are_removed_so_an_address_stays_whole_and_the_row_says_so() -> None:
    facts = extract_page("<html><body>\x00<p>Write to jane\x00@site-beispiel.de or mül\x01ler@site-beispiel.de</p>"
                         "</body></html>", "https://site-beispiel.de/")
    assert facts["emails"] == ["jane@site-beispiel.de"]  # and never "ler@site-beispiel.de"
    assert facts["notes"] == ["3 control characters (NUL...) removed"]


def test_nesting_past_the_parsers_limit_loses_nothing_after_it() -> None:
    html = "<html><body>" + "<div>" * 3000 + "deep" + "</div>" * 3000 + "<p>Write to ed@deep-site.com</p></body></html>"
    facts = extract_page(html, "https://deep-site.com/")
    assert facts["emails"] == ["ed@deep-site.com"]
    assert any("flattened" in note for note in facts["notes"])


def test_a_page_over_the_size_limit_is_cut_and_says_so() -> None:
    html = "<html><body><p>Write to ed@big-site.com</p>" + "<p>filler text</p>" * 200_000 + "</body></html>"
    facts = extract_page(html, "https://big-site.com/")
    assert facts["emails"] == ["ed@big-site.com"]
    assert facts["notes"][0].startswith("cut at 2,000,000 of ")


def test_tokens_longer_than_any_word_are_neither_stemmed_nor_cached() -> None:
    from linkspider.extract import terms

    blob = "q" * 2_000_000
    before = len(terms._TOKEN_CACHE)
    assert terms.tokens(f"kettlebell {blob} swings") == ["kettlebel", "swing"]
    assert len(terms._TOKEN_CACHE) - before <= 2 and blob not in terms._TOKEN_CACHE
