"""Domains, niche profiles, seed lists and the blocklist, as a user meets them."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkspider.common.domains import registrable_domain, same_site
from linkspider.discover.niches import (
    Blocklist,
    NicheError,
    available_niches,
    load_niche,
    parse_seed_line,
    profile_seeds,
    read_seed_file,
)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.parametrize("url, domain", [
    ("https://blog.example.co.uk/post", "example.co.uk"),
    ("http://WWW.IronPulse.com:8080/a?b", "ironpulse.com"),
    ("ironpulse.com", "ironpulse.com"),
    ("https://someone.blogspot.com/", "someone.blogspot.com"),  # hosted blogs are sites of their own
    ("http://127.0.0.1:8000/", ""),
    ("http://localhost/", ""),
    ("not a url", ""),
])
def test_sites_are_keyed_by_registrable_domain(url: str, domain: str) -> None:
    assert registrable_domain(url) == domain


def test_same_site_ignores_subdomains() -> None:
    assert same_site("http://www.ironpulse.com/", "https://shop.ironpulse.com/x")
    assert not same_site("http://ironpulse.com/", "http://ironpulse.net/")


def test_shipped_niches_load() -> None:
    assert {"fitness", "webdev"} <= set(available_niches(SEEDS))
    fitness = load_niche("fitness", SEEDS)
    assert fitness.keywords["fitness"] == 1.0 and "casino" in fitness.negative_keywords
    seeds = profile_seeds(fitness, Blocklist.from_file(SEEDS / "blocklist.txt"))
    assert seeds.entries and not seeds.errors
    webdev = profile_seeds(load_niche("webdev", SEEDS))
    assert len(webdev.entries) >= 20 and not webdev.errors


@pytest.mark.parametrize("niche", ["fitness", "webdev"])
def test_bundled_seed_lists_are_worth_crawling(niche: str) -> None:
    """At least 40 sites, each a line that parses, none blocklisted, none of the niche's own competitors,
    and a header that names the public lists they come from."""
    profile = load_niche(niche, SEEDS)
    seeds = profile_seeds(profile, Blocklist.from_file(SEEDS / "blocklist.txt"))
    domains = [entry.domain for entry in seeds.entries]
    assert len(set(domains)) == len(domains) >= 40
    assert seeds.errors == [] and seeds.blocked == [] and not set(profile.competitors) & set(domains)
    assert profile.seed_file is not None
    header = profile.seed_file.read_text().split("\n\n")[0]
    assert header.count("github.com/") >= 2


def test_unknown_niche_names_the_available_ones() -> None:
    with pytest.raises(NicheError, match=r"unknown niche 'fitnes'.*Available niches: .*fitness.*webdev"):
        load_niche("fitnes", SEEDS)


def test_broken_profile_is_reported_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("keywords = [unclosed\n")
    with pytest.raises(NicheError, match=r"bad\.toml: not a valid niche profile"):
        load_niche("bad", tmp_path)


@pytest.mark.parametrize("line, expected", [
    ("example.com", ("https://example.com/", "example.com")),
    ("http://www.example.co.uk", ("http://www.example.co.uk/", "example.co.uk")),
    ("https://blog.example.org/write-for-us/\tWrite for us", ("https://blog.example.org/write-for-us/", "example.org")),
    ("example.com:8080/x", ("https://example.com:8080/x", "example.com")),
])
def test_good_seed_lines(line: str, expected: tuple[str, str]) -> None:
    assert parse_seed_line(line) == expected


@pytest.mark.parametrize("line, why", [
    ("htp:/broken", "unsupported scheme"),
    ("ftp://files.example.com/", "unsupported scheme"),
    ("not a url at all", "contains spaces"),
    ("http://", "no host"),
    ("intranet", "not under a known public suffix"),
    ("http://site.invalidtld/", "not under a known public suffix"),
])
def test_bad_seed_lines_say_why(line: str, why: str) -> None:
    result = parse_seed_line(line)
    assert isinstance(result, str) and why in result


def test_seed_file_reports_file_and_line_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "seeds.txt"
    path.write_bytes(
        b"# my list\n\nironpulse.com\nhtp:/broken  # typo\nhttps://www.facebook.com/somepage\n"
        b"http://www.ironpulse.com/\nhttp://kettlebell-kings.co.uk/ # good\n\xff\xfe garbage\nironpulse.com\n"
    )
    seeds = read_seed_file(path, Blocklist(["facebook.com"]))
    assert [e.url for e in seeds.entries] == [
        "https://ironpulse.com/", "http://www.ironpulse.com/", "http://kettlebell-kings.co.uk/"]
    assert seeds.entries[0].source == f"{path}:3"
    assert len(seeds.errors) == 2
    assert seeds.errors[0].startswith(f"{path}:4: unsupported scheme")
    assert seeds.errors[1].startswith(f"{path}:8: ")
    assert seeds.blocked == [f"{path}:5: facebook.com"]


def test_blocklist_matches_subdomains_and_any_suffix() -> None:
    block = Blocklist.from_file(SEEDS / "blocklist.txt")
    for url in ["https://m.facebook.com/x", "https://www.amazon.co.uk/dp/1", "https://en.wikipedia.org/wiki/X",
                "https://bit.ly/abc", "https://www.pinterest.de/pin/1"]:
        assert block.blocks(url), url
    for url in ["http://www.ironpulse.com/", "http://amazonfitnessblog.com/"]:
        assert not block.blocks(url), url
