"""Footprint packs and the queries built from them, as a link builder meets them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linkspider.discover.footprints import (
    ALL_OPERATORS,
    KINDS,
    FootprintError,
    available_kinds,
    build_queries,
    check_template,
    fill_template,
    load_footprints,
    niche_footprints,
    rewrite_query,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
BASIC = {"quotes", "minus", "site"}  # what every backend understands


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the shipped footprint packs that a test may extend or break."""
    shutil.copytree(SEEDS / "footprints", tmp_path / "footprints")
    return tmp_path


def test_shipped_packs_are_big_enough_and_valid() -> None:
    assert set(KINDS) <= set(available_kinds(SEEDS))
    guest = load_footprints(SEEDS, "guestposts")
    roundups = load_footprints(SEEDS, "roundups")
    resources = load_footprints(SEEDS, "resources")
    assert len(guest) >= 25 and len(roundups) >= 15 and len(resources) >= 8
    assert all("{kw}" in t for t in guest + roundups + resources)
    joined = " ".join(guest).lower()
    for footprint in ('"write for us"', '"guest post guidelines"', '"submit a guest post"', '"become a contributor"',
                      '"accepting guest posts"', '"contribute to"', "inurl:write-for-us", 'intitle:"guest post"',
                      '"guest author"', '"contributor guidelines"', '"want to write for"', '"submit an article"',
                      '"this is a guest post by"'):
        assert footprint in joined, footprint
    joined = " ".join(roundups).lower()
    for footprint in ('"link roundup"', '"weekly roundup"', '"friday links"', '"link love"', '"link party"',
                      "intitle:roundup", '"monthly roundup"', '"best posts this week"', '"weekly links"'):
        assert footprint in joined, footprint
    assert "inurl:resources {kw}" in resources and '{kw} "useful links"' in resources


def test_queries_are_templates_times_keywords_heaviest_keyword_first() -> None:
    templates = len(load_footprints(SEEDS, "roundups"))
    queries = build_queries("roundups", {"yoga": 0.5, "fitness": 1.0, "strength training": 0.9}, seeds_dir=SEEDS)
    assert len(queries) == templates * 3
    assert queries[0] == 'fitness "link roundup"'
    assert '"strength training" "link roundup"' in queries  # multi-word keywords are quoted
    assert queries.index('fitness "weekly roundup"') < queries.index('yoga "weekly roundup"')


def test_list_keywords_keep_their_order_and_duplicates_go() -> None:
    queries = build_queries("guestposts", ["Running", "running", ' "trail running" '], seeds_dir=SEEDS)
    assert queries[0] == 'Running "write for us"'
    assert '"trail running" "write for us"' in queries
    assert not any(q.startswith("running ") for q in queries)  # same keyword, other case: once


def test_duplicates_are_sent_once_also_across_order_case_and_spacing(seeds: Path) -> None:
    (seeds / "footprints" / "mine.toml").write_text(
        '[footprints]\nroundups = [\'"Link   Roundup" {kw}\', \'{kw} "weekly roundup"\']\n')
    queries = build_queries("roundups", ["fitness"], seeds_dir=seeds)
    assert sum('"link roundup"' in q.lower() and "intitle" not in q for q in queries) == 1
    assert len({q.lower() for q in queries}) == len(queries)


def test_cap_keeps_variety_of_templates_and_keywords() -> None:
    keywords = {"fitness": 1.0, "workout": 0.9, "running": 0.8, "yoga": 0.7, "nutrition": 0.6}
    queries = build_queries("guestposts", keywords, max_queries=15, seeds_dir=SEEDS, operators=ALL_OPERATORS)
    assert len(queries) == 15
    assert queries[0] == 'fitness "write for us"'
    used_keywords = {kw for kw in keywords if any(q.startswith(kw + " ") for q in queries)}
    used_templates = {q.split(" ", 1)[1] for q in queries}
    assert used_keywords == set(keywords)  # every keyword searched...
    assert len(used_templates) == 5  # ...with the five best footprints, not one footprint or one keyword
    assert build_queries("guestposts", keywords, max_queries=0, seeds_dir=SEEDS) == []


def test_unsupported_operators_are_rewritten_or_dropped() -> None:
    assert rewrite_query('{kw} inurl:write-for-us', BASIC) == '{kw} "write for us"'
    assert rewrite_query('{kw} intitle:"guest post"', BASIC) == '{kw} "guest post"'
    assert rewrite_query("intitle:roundup {kw}", BASIC) == "roundup {kw}"
    assert rewrite_query("inurl:resources.html {kw}", BASIC) == "resources {kw}"
    assert rewrite_query('{kw} "guest post" -site:pinterest.com filetype:pdf', {"quotes"}) == '{kw} "guest post"'
    assert rewrite_query('{kw} "guest post" -inurl:tag', BASIC) == '{kw} "guest post"'
    assert rewrite_query('{kw} "write for us"', set()) == "{kw} write for us"
    assert rewrite_query('{kw} "write for us" -"paid"', {"quotes"}) == '{kw} "write for us"'
    assert rewrite_query("{kw} site:example.com", BASIC - {"site"}) is None  # nothing left but the keyword
    # supported operators are left alone
    assert rewrite_query('{kw} inurl:write-for-us intitle:"guest post"', ALL_OPERATORS) == \
        '{kw} inurl:write-for-us intitle:"guest post"'
    # an unknown prefix is a word, not an operator
    assert rewrite_query("{kw} https://x.example", BASIC) == "{kw} https://x.example"


def test_built_queries_carry_no_operator_the_backend_lacks() -> None:
    queries = build_queries("guestposts", ["fitness", "strength training"], seeds_dir=SEEDS, operators=BASIC)
    assert queries and not any("inurl:" in q or "intitle:" in q for q in queries)
    assert 'fitness "write for us"' in queries
    # inurl:write-for-us became "write for us", a duplicate of the first template: sent once
    assert sum(q == 'fitness "write for us"' for q in queries) == 1
    google = build_queries("guestposts", ["fitness"], seeds_dir=SEEDS, operators=ALL_OPERATORS)
    assert "fitness inurl:write-for-us" in google and 'fitness intitle:"guest post"' in google


def test_keyword_placement() -> None:
    assert fill_template('"{kw} blog" "write for us"', "strength training") == '"strength training blog" "write for us"'
    assert fill_template("intitle:{kw} roundup", "home gym") == 'intitle:"home gym" roundup'
    assert fill_template("{kw} roundup", "home gym", quotes=False) == "home gym roundup"
    assert check_template('intitle:"link roundup"') == 'intitle:"link roundup" {kw}'  # keyword appended


def test_extra_templates_come_first(seeds: Path) -> None:
    queries = build_queries("guestposts", ["fitness"], seeds_dir=seeds, extra_templates=['{kw} "pitch your story"'],
                            max_queries=2)
    assert queries == ['fitness "pitch your story"', 'fitness "write for us"']


def test_users_extend_packs_with_their_own_files(seeds: Path) -> None:
    (seeds / "footprints" / "my-ideas.toml").write_text(
        'kind = "roundups"\ntemplates = [\'{kw} "five things friday"\']\n'
        '[footprints]\nguestposts = [\'{kw} "guest feature"\']\n')
    (seeds / "footprints" / "interviews.toml").write_text('templates = [\'{kw} "interview series"\']\n')
    assert load_footprints(seeds, "roundups")[0] == '{kw} "five things friday"'
    assert '{kw} "guest feature"' in load_footprints(seeds, "guestposts")
    assert load_footprints(seeds, "interviews") == ['{kw} "interview series"']
    assert "interviews" in available_kinds(seeds)


def test_niche_profile_footprints_section(tmp_path: Path) -> None:
    profile = tmp_path / "espresso.toml"
    profile.write_text('name = "espresso"\nkeywords = ["espresso"]\n[footprints]\nroundups = [\'{kw} "bean roundup"\']\n')
    assert niche_footprints(profile, "roundups") == ['{kw} "bean roundup"']
    assert niche_footprints(profile, "guestposts") == []


@pytest.mark.parametrize("content, message", [
    ("templates = [\n  '{kw} \"write for us\"',\n  unquoted\n]\n", r"guestposts\.toml: not valid TOML: .*line 3"),
    ("templates = '{kw} write for us'\n", r"guestposts\.toml: 'templates' must be a list of strings, not str"),
    ("templates = ['{kw} \"ok\"', 42]\n", r"guestposts\.toml: templates item 2: must be a string, not int"),
    ("templates = ['{keyword} \"write for us\"']\n", r"templates item 1 .*unknown placeholder \{keyword\}"),
    ("templates = ['{kw} \"write for us']\n", r"templates item 1 .*unbalanced double quote"),
    ("templates = ['   ']\n", r"templates item 1: empty template"),
    ("templates = ['{kw}']\n", r"nothing to search for besides \{kw\}"),
    ("kind = 'roundups'\ntemplates = ['{kw} x']\n", r"says kind = 'roundups' but is named after 'guestposts'"),
    ("title = 'no templates here'\n", r"guestposts\.toml: no 'templates' list"),
])
def test_bad_files_are_reported_with_file_and_problem(seeds: Path, content: str, message: str) -> None:
    (seeds / "footprints" / "guestposts.toml").write_text(content)
    with pytest.raises(FootprintError, match=message):
        load_footprints(seeds, "guestposts")


def test_unknown_kind_names_the_available_ones(seeds: Path) -> None:
    with pytest.raises(FootprintError, match=r"no footprints for kind 'guestpost'.*available kinds: articles, "
                                             r"guestposts, resources, roundups"):
        load_footprints(seeds, "guestpost")
    with pytest.raises(FootprintError, match="no footprint folder"):
        load_footprints(seeds / "nowhere", "guestposts")
    with pytest.raises(FootprintError, match="no keywords"):
        build_queries("guestposts", {}, seeds_dir=seeds)
