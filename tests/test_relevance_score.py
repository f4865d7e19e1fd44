"""Relevance first: BM25 over content pages, and a score a link builder can read."""

from __future__ import annotations

from datetime import date

from linkspider.extract import extract_page
from linkspider.score.prospect import best_emails, score_site
from linkspider.score.relevance import (
    NicheQuery,
    PageRelevance,
    page_relevance,
    site_relevance,
)

FITNESS = NicheQuery.from_profile({"fitness": 1.0, "workout": 1.0, "strength training": 1.0, "gym": 0.8},
                                  ["casino", "payday loan"])
TODAY = date(2026, 11, 20)
FILLER = ("Our garden has tomatoes, basil and a small greenhouse. We water every morning, compost the "
          "kitchen scraps and keep notes on what grows well in clay soil. ") * 6


def page(body: str, title: str = "A post", footer: str = "") -> str:
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>{title}</h1><p>{body}</p></article><footer>{footer}</footer></body></html>")


def relevance_of(html: str) -> PageRelevance:
    facts = extract_page(html, "http://site.com/post/")
    return page_relevance(facts["terms"], facts["words"], FITNESS)


def test_a_footer_mention_does_not_make_a_page_about_the_niche() -> None:
    footer_only = relevance_of(page(FILLER, "Tomatoes in clay soil", footer="Fitness tips from our friends"))
    in_passing = relevance_of(page(FILLER + " I also go to the gym.", "Tomatoes in clay soil"))
    about = relevance_of(page("A strength training workout for the gym: " + FILLER +
                              " This fitness workout builds strength. Strength training twice a week.",
                              "Strength training: a beginner workout"))
    assert footer_only.score == 0
    assert not in_passing.on_niche
    assert about.on_niche and about.score > 3 * max(in_passing.score, 0.1)


def test_spam_words_are_scored_separately() -> None:
    spam = relevance_of(page("Best casino bonus. Casino slots and casino games, payday loan offers. " * 5,
                             "Casino bonus codes"))
    assert spam.negative > spam.score and not spam.on_niche


def test_site_relevance_is_the_share_of_content_pages_on_the_niche() -> None:
    strong = PageRelevance(score=5.0, negative=0.0, words=500)
    weak = PageRelevance(score=0.2, negative=0.0, words=500)
    tiny = PageRelevance(score=9.0, negative=0.0, words=10)  # a contact page says nothing about topic
    assert site_relevance([strong] * 6 + [weak] * 2 + [tiny]).niche_pages == 6
    assert site_relevance([strong] * 6 + [weak] * 2).value > 0.8
    assert site_relevance([weak] * 8 + [strong]).value < 0.2
    assert site_relevance([]).value == 0.0


def site(domain: str, *, rel: float = 4.0, signals: tuple[str, ...] = (), email: str | None = None,
         role: bool = False, published: str = "2026-11-01", competitors: tuple[str, ...] = (),
         negative: float = 0.0, outbound: int = 3, authors: tuple[str, ...] = ("Jane Doe",)) -> dict:
    pages = [{"url": f"http://{domain}/p{i}/", "status": 200, "kinds": "", "published": published,
              "words": 500, "relevance": rel, "negative": negative, "outbound_domains": outbound}
             for i in range(6)]
    contacts = [{"kind": "author", "value": a, "own_domain": 1, "role": 0} for a in authors]
    if email:
        contacts.append({"kind": "email", "value": email, "own_domain": 1, "role": int(role)})
    return {"domain": domain, "niche": "fitness", "pages": pages, "contacts": contacts,
            "signals": [{"kind": s, "url": f"http://{domain}/{s}/", "evidence": ""} for s in signals],
            "competitor_links": [{"competitor": c, "status": "present"} for c in competitors],
            "last_error": ""}


def score(s: dict, **kw) -> dict:
    return score_site(s, today=TODAY, **kw)


def test_relevance_outranks_a_perfect_off_niche_contact() -> None:
    on = score(site("liftblog.com", signals=("write_for_us",), email="editor@liftblog.com", role=True))
    off = score(site("cookingtips.com", rel=0.1, signals=("write_for_us", "roundup"), email="jane@cookingtips.com"))
    assert on["score"] > off["score"] + 25
    assert on["score_why"].startswith("write-for-us page; 6/6 pages about fitness")


def test_each_factor_moves_the_score_the_right_way() -> None:
    base = score(site("a.com", signals=("write_for_us",), email="jane@a.com"))
    assert "last post 19 days ago" in base["score_why"] and "personal email jane@a.com" in base["score_why"]
    assert score(site("a.com", signals=("write_for_us",), email="editor@a.com", role=True))["score"] < base["score"]
    assert score(site("a.com", signals=("write_for_us",)))["score"] < base["score"]
    dormant = score(site("a.com", signals=("write_for_us",), email="jane@a.com", published="2021-03-01"))
    assert dormant["score"] < base["score"] - 25 and "dormant" in dormant["score_why"]
    seller = score(site("a.com", signals=("write_for_us", "sponsored"), email="jane@a.com"))
    assert seller["score"] < base["score"] - 30 and "sells sponsored posts" in seller["score_why"]
    farm = score(site("a.com", signals=("write_for_us",), email="jane@a.com", outbound=80))
    assert farm["score"] < base["score"] - 20
    spam = score(site("a.com", signals=("write_for_us",), email="jane@a.com", negative=5.0))
    assert spam["score"] < base["score"] - 40
    refuses = score(site("a.com", signals=("rejects_guest_posts",), email="jane@a.com"))
    assert refuses["score_guestpost"] == 0 and "rejects guest posts" in refuses["score_why"]
    assert refuses["score"] < base["score"] - 30


def test_links_to_competitors_and_link_intersect() -> None:
    base = score(site("a.com", email="jane@a.com"))
    one = score(site("a.com", email="jane@a.com", competitors=("rival.com",)))
    two = score(site("a.com", email="jane@a.com", competitors=("rival.com", "other.com")))
    assert base["score"] < one["score"] < two["score"]
    assert "link intersect" in two["score_why"] and two["competitors_linked"] == "other.com,rival.com"


def test_per_kind_scores_and_weights_from_settings() -> None:
    s = site("a.com", signals=("roundup",), email="jane@a.com")
    result = score(s)
    assert result["score_roundup"] > result["score_guestpost"]
    heavier = score(s, weights={"roundup": 45})
    assert heavier["score_roundup"] > result["score_roundup"]


def test_unreachable_sites_score_zero_with_the_reason() -> None:
    s = site("dead.com")
    s["pages"], s["last_error"] = [], "HTTP 500"
    assert score(s)["score"] == 0 and score(s)["score_why"] == "not reachable (HTTP 500)"


def test_the_best_email_is_chosen_by_address_not_by_the_order_pages_were_fetched() -> None:
    def email(value: str, own: bool = True, role: bool = True) -> dict[str, object]:
        return {"kind": "email", "value": value, "own_domain": own, "role": role, "source_url": "", "detail": ""}

    found = [email("support@a.com"), email("hi@a.com"), email("jane@gmail.com", own=False, role=False),
             email("editor@a.com"), email("submissions@a.com"), email("tom@a.com", role=False)]
    best = ["tom@a.com", "editor@a.com", "submissions@a.com", "hi@a.com", "support@a.com", "jane@gmail.com"]
    assert best_emails(found) == best
    assert best_emails(found[::-1]) == best  # the crawl order does not matter
    roles = [c for c in found if c["role"] and c["own_domain"]]
    for contacts in (roles, roles[::-1]):
        why = score(site("a.com", signals=("write_for_us",)) | {"contacts": contacts})["score_why"]
        assert "role email editor@a.com" in why
