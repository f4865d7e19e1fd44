"""The site walk spends its page budget on the links most likely to hold a contact."""

from __future__ import annotations

from linkspider.crawl.linkrank import rank_link, rank_links


def test_contact_and_write_for_us_links_come_first() -> None:
    ranked = rank_links([
        ("http://s.com/blog/ten-squat-tips/", "Ten squat tips"),
        ("http://s.com/shop/", "Shop"),
        ("http://s.com/about/", "About"),
        ("http://s.com/say-hello/", "Get in touch"),
        ("http://s.com/write-for-us/", "Write for us"),
        ("http://s.com/events/calendar/?month=2026-11", "November"),
    ])
    assert [r.kind for r in ranked[:3]] == ["contact", "write_for_us", "about"]
    assert ranked[-1].kind == "other"


def test_icon_links_count_by_aria_label_title_and_alt() -> None:
    assert rank_link("http://s.com/reach/", "Contact").kind == "contact"
    assert rank_link("http://s.com/x1/", "contact us icon").kind == "contact"
    assert rank_link("http://s.com/x2/", "").kind == "other"


def test_foreign_language_pages_are_recognised() -> None:
    assert rank_link("http://s.de/gastbeitrag/", "").kind == "write_for_us"
    assert rank_link("http://s.es/escribe-para-nosotros/", "").kind == "write_for_us"
    assert rank_link("http://s.de/impressum/", "").kind == "contact"
    assert rank_link("http://s.fr/a-propos/", "").kind == "about"


def test_worthless_links_are_never_fetched() -> None:
    for url in ["http://s.com/wp-login.php", "http://s.com/cart/", "http://s.com/feed/",
                "http://s.com/logo.png", "http://s.com/guide.pdf", "http://s.com/post/?replytocom=5",
                "http://s.com/tag/squats/", "http://s.com/blog/page/7/", "http://s.com/?s=write+for+us"]:
        assert rank_link(url, "") is None, url


def test_one_entry_per_url_with_its_best_cue() -> None:
    ranked = rank_links([("http://s.com/x/", "Home"), ("http://s.com/x/", "Contact")])
    assert len(ranked) == 1 and ranked[0].kind == "contact"
