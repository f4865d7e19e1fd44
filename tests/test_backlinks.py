"""Backlink exports as the tools write them, and link verification on referring pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkspider.discover.backlinks import (
    FORMATS,
    BacklinkError,
    competitor_map,
    intersect,
    normalise_url,
    parse_date,
    read_backlinks,
)
from linkspider.extract.competitor_links import unwrap, verify_links

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "backlinks"
COMPETITORS = ["nerdfitness.com", "bodybuilding.com"]


def _read(name: str):
    return read_backlinks(FIXTURES / name)


# ------------------------------------------------------------------ import: detection


@pytest.mark.parametrize("name, fmt, encoding, delimiter, rows, errors", [
    ("ahrefs-backlinks-nerdfitness.csv", "ahrefs", "utf-16-le", "\t", 6, 2),
    ("ahrefs-legacy-bodybuilding.csv", "ahrefs", "utf-8", ",", 4, 1),
    ("semrush-backlinks.csv", "semrush", "utf-8", ",", 5, 1),
    ("moz-inbound-links-semicolon.csv", "moz", "cp1252", ";", 5, 1),
    ("majestic-backlinks.csv", "majestic", "utf-8-sig", ",", 5, 1),
    ("gsc-latest-links.csv", "gsc-links", "utf-8", ",", 4, 1),
    ("gsc-top-linking-sites.csv", "gsc-sites", "utf-8", ",", 4, 0),
    ("plain-urls.txt", "plain", "utf-8", None, 4, 1),
])
def test_format_encoding_and_delimiter_are_detected(name: str, fmt: str, encoding: str, delimiter: str | None,
                                                    rows: int, errors: int) -> None:
    result = _read(name)
    assert (result.format, result.encoding, result.delimiter) == (fmt, encoding, delimiter)
    assert (len(result.rows), len(result.errors)) == (rows, errors), result.errors


def test_fixture_is_really_utf16() -> None:
    assert (FIXTURES / "ahrefs-backlinks-nerdfitness.csv").read_bytes()[:4] == b"\xff\xfe\"\x00"


def test_detection_ignores_file_name_and_column_spelling(tmp_path: Path) -> None:
    # Majestic's raw download spells columns without spaces; the name says nothing.
    path = tmp_path / "export (3).txt"
    path.write_text("SourceURL,ACRank,AnchorText,Date,FlagRedirect,FlagFrame,FlagNoFollow,FlagImages,FlagDeleted,"
                    "TargetURL,FirstIndexedDate,LastSeenDate\n"
                    "http://www.homegymhero.com/links/,3,NF,2024-04-01,-,-,+,-,-,https://www.nerdfitness.com/,"
                    "2023-01-01,2024-04-01\n", encoding="utf-8")
    result = read_backlinks(path)
    assert result.format == "majestic"
    [row] = result.rows
    assert row.referring_url == "http://www.homegymhero.com/links/" and row.nofollow is True
    assert row.target_domain == "nerdfitness.com"


# ------------------------------------------------------------------ import: fields


def test_ahrefs_utf16_fields_and_flags() -> None:
    result = _read("ahrefs-backlinks-nerdfitness.csv")
    assert result.columns[:2] == ["Referring page title", "Referring page URL"]
    rows = {r.referring_url: r for r in result.rows}
    cafe = rows["https://www.homegymhero.com/cafe-workouts/"]
    assert cafe.title == "Café workouts — the 20-minute plan"  # decoded from UTF-16, not mojibake
    assert cafe.target_url and cafe.target_domain == "nerdfitness.com"
    assert cafe.anchor == "beginner bodyweight workout"
    assert (cafe.nofollow, cafe.sponsored, cafe.ugc, cafe.followed) == (False, False, False, True)
    assert (cafe.first_seen, cafe.last_seen, cafe.lost) == ("2023-11-02", "2024-05-01", False)
    assert cafe.metrics["domain_rating"] == 41 and cafe.metrics["url_rating"] == 12
    assert cafe.source == f"{FIXTURES / 'ahrefs-backlinks-nerdfitness.csv'}:2" and cafe.source_line == 2

    forum = rows["https://forum.kettlebellcircle.org/t/best-free-programs/1182"]
    assert (forum.nofollow, forum.ugc, forum.sponsored, forum.followed) == (True, True, False, False)
    assert rows["https://mealprepmonday.net/fitness-apps/"].sponsored is True
    assert rows["https://trailrunnerdigest.com/strength-for-runners"].nofollow is True
    gone = rows["http://strongertogether.blog/home-gym-budget/"]
    assert gone.lost is True and gone.anchor == ""  # an image link: no anchor text


def test_legacy_ahrefs_link_type_column() -> None:
    rows = {r.referring_url: r for r in _read("ahrefs-legacy-bodybuilding.csv").rows}
    assert rows["https://mealprepmonday.net/high-protein-snacks/"].nofollow is False
    shakes = rows["https://trailrunnerdigest.com/recovery-shakes"]
    assert shakes.nofollow is True and shakes.anchor == "protein powder"
    assert shakes.target_url == "https://shop.bodybuilding.com/collections/protein"
    assert rows["https://strongertogether.blog/supplements-guide/"].lost is True  # "Day Lost" has a date
    assert rows["https://yogadrift.co.uk/blog/protein-for-yogis"].lost is False  # bare domain got https://


def test_semrush_fields() -> None:
    rows = {r.referring_url: r for r in _read("semrush-backlinks.csv").rows}
    top = rows["https://www.homegymhero.com/best-bodybuilding-sites/"]
    assert (top.title, top.anchor, top.target_url) == ("The 12 best bodybuilding sites", "Bodybuilding.com",
                                                       "https://www.bodybuilding.com/")
    assert top.followed is True and top.metrics == {"page_ascore": 34.0}
    thread = rows["https://forum.kettlebellcircle.org/t/supplements/77"]
    assert (thread.nofollow, thread.ugc) == (True, True)
    assert rows["https://mealprepmonday.net/deals/protein"].sponsored is True
    assert rows["https://strongertogether.blog/nerdy-workouts/"].lost is True


def test_moz_semicolon_cp1252() -> None:
    result = _read("moz-inbound-links-semicolon.csv")
    rows = {r.referring_url: r for r in result.rows}
    powders = rows["https://www.homegymhero.com/best-protein-powders/"]
    assert powders.title == "Best protein powders – tested & ranked"  # cp1252 en dash
    assert powders.nofollow is False and powders.metrics["domain_authority"] == 38
    assert rows["https://trailrunnerdigest.com/gear/"].nofollow is True  # Link Type: nofollow
    athletes = rows["https://mealprepmonday.net/meal-prep-for-athletes/"]
    assert athletes.anchor == "bodybuilding.com; meal plans"  # quoted delimiter stays in the cell
    assert "https://yogadrift.co.uk/blog/café-stretch-routine" in rows
    assert result.errors == [f"{FIXTURES / 'moz-inbound-links-semicolon.csv'}:6: "
                             "not a URL or domain ('total' has no dot): 'Total'"]


def test_majestic_flags() -> None:
    rows = _read("majestic-backlinks.csv").rows
    by_line = {r.source_line: r for r in rows}
    assert by_line[2].nofollow is False and by_line[2].target_domain == "nerdfitness.com"
    assert by_line[3].target_domain == "bodybuilding.com"
    assert by_line[4].nofollow is True and by_line[4].anchor == "nerd fitness, the blog"
    assert by_line[5].lost is True and by_line[5].last_seen == "2023-12-30"
    assert by_line[2].metrics == {"trust_flow": 27.0, "citation_flow": 33.0}
    assert by_line[7].first_seen == "2023-10-10"


def test_search_console_exports() -> None:
    links = _read("gsc-latest-links.csv")
    assert links.rows[0].referring_url == "https://www.homegymhero.com/resources/"
    assert links.rows[0].last_seen == "2024-04-30" and links.rows[0].target_url is None
    assert links.rows[0].nofollow is None and links.rows[0].followed is None  # GSC does not say
    assert links.errors[0].endswith("gsc-latest-links.csv:5: not a URL or domain (spaces in the host name): "
                                    "'(not set)'")
    sites = _read("gsc-top-linking-sites.csv")
    assert [r.referring_url for r in sites.rows] == [
        "https://homegymhero.com/", "https://kettlebellcircle.org/", "https://yogadrift.co.uk/",
        "https://mealprepmonday.net/"]
    assert sites.rows[2].metrics["linking_pages"] == 1204  # "1,204"


def test_plain_list() -> None:
    result = _read("plain-urls.txt")
    assert result.referring_urls() == [
        "https://www.homegymhero.com/cafe-workouts/",
        "https://trailrunnerdigest.com/strength-for-runners",
        "https://forum.kettlebellcircle.org/t/best-free-programs/1182",
        "https://yogadrift.co.uk/blog/yoga-for-lifters/",  # fragment dropped
    ]
    assert [r.source_line for r in result.rows] == [2, 3, 4, 7]
    assert result.errors == [f"{FIXTURES / 'plain-urls.txt'}:6: unsupported scheme 'mailto' "
                             "(only http and https pages can be visited): 'mailto:editor@strongertogether.blog'"]


def test_plain_list_with_a_title_line(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("URL\nhomegymhero.com\nhttps://yogadrift.co.uk/a\n", encoding="utf-8")
    result = read_backlinks(path)
    assert result.format == "plain" and result.referring_urls() == ["https://homegymhero.com/",
                                                                    "https://yogadrift.co.uk/a"]


# ------------------------------------------------------------------ import: bad rows and files


def test_bad_rows_are_reported_with_path_and_line() -> None:
    ahrefs = _read("ahrefs-backlinks-nerdfitness.csv")
    path = FIXTURES / "ahrefs-backlinks-nerdfitness.csv"
    assert ahrefs.errors[0] == (f"{path}:7: unsupported scheme 'ftp' (only http and https pages can be visited): "
                                "'ftp://files.yogadrift.co.uk/links.txt'")
    assert ahrefs.errors[1].startswith(f"{path}:8: no referring URL: ")
    majestic = _read("majestic-backlinks.csv")
    assert majestic.errors == [f"{FIXTURES / 'majestic-backlinks.csv'}:6: unsupported scheme 'ftp' "
                               "(only http and https pages can be visited): "
                               "'ftp://mirror.yogadrift.co.uk/pub/links.html'"]
    semrush = _read("semrush-backlinks.csv")
    assert semrush.errors[0].startswith(f"{FIXTURES / 'semrush-backlinks.csv'}:6: unsupported scheme 'mailto'")


def test_line_numbers_count_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "semrush.csv"
    path.write_text('Source url,Target url,Anchor,Nofollow\n'
                    'https://a-blog.com/x,https://nerdfitness.com/,"two\nlines",false\n'
                    'javascript:void(0),https://nerdfitness.com/,x,false\n', encoding="utf-8")
    result = read_backlinks(path)
    assert result.rows[0].anchor == "two lines"
    assert result.errors == [f"{path}:4: unsupported scheme 'javascript' (only http and https pages can be "
                             "visited): 'javascript:void(0)'"]


def test_unknown_format_names_the_file_and_expected_columns() -> None:
    path = FIXTURES / "semrush-organic-positions.csv"
    with pytest.raises(BacklinkError) as info:
        read_backlinks(path)
    message = str(info.value)
    assert message.startswith(f"{path}: unknown backlink export format; columns found: 'Keyword', 'Position'")
    for column in ("'Referring page URL'", "'Source url'", "'Anchor Text'", "'Flag NoFollow'", "'Linking page'",
                   "one URL or domain per line"):
        assert column in message


def test_empty_missing_and_archived_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf\r\n")
    with pytest.raises(BacklinkError, match=r"empty\.csv: the backlink export is empty.*Referring page URL"):
        read_backlinks(empty)
    with pytest.raises(BacklinkError, match=r"backlink export .*nope\.csv not found"):
        read_backlinks(tmp_path / "nope.csv")
    xlsx = tmp_path / "export.xlsx"
    xlsx.write_bytes(b"PK\x03\x04rest-of-zip")
    with pytest.raises(BacklinkError, match=r"export\.xlsx: is a ZIP archive"):
        read_backlinks(xlsx)


def test_search_console_top_linked_pages_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "Top linked pages.csv"
    path.write_text("Target page,Incoming links,Linking sites\nhttps://mysite.com/,12,4\n", encoding="utf-8")
    with pytest.raises(BacklinkError, match=r"'Top linked pages' export lists your own pages"):
        read_backlinks(path)


@pytest.mark.parametrize("encoding, bom", [("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-8", b"")])
def test_other_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "links.csv"
    text = "Linking page\tLast crawled\r\nhttps://www.homegymhero.com/café/\t3/25/2024\r\n"
    path.write_bytes(bom + text.encode(encoding))
    result = read_backlinks(path)
    assert result.format == "gsc-links" and result.delimiter == "\t"
    assert result.rows[0].referring_url == "https://www.homegymhero.com/café/"
    assert result.rows[0].last_seen == "2024-03-25"


def test_excel_sep_line_and_forced_format(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    path.write_text("sep=;\nSource url;Target url;Anchor\nhttps://a-blog.com/;https://nerdfitness.com/;NF\n",
                    encoding="utf-8")
    result = read_backlinks(path, format="semrush")
    assert result.delimiter == ";" and result.rows[0].target_domain == "nerdfitness.com"
    with pytest.raises(BacklinkError, match="unknown backlink format 'ahref'"):
        read_backlinks(path, format="ahref")


@pytest.mark.parametrize("raw, url", [
    ("  homegymhero.com ", "https://homegymhero.com/"),
    ("HTTPS://WWW.HomeGymHero.com/Best%20Racks?x=1#top", "https://www.homegymhero.com/Best%20Racks?x=1"),
    ("https://homegymhero.com/best racks/", "https://homegymhero.com/best%20racks/"),
    ("//cdn.homegymhero.com/a", "https://cdn.homegymhero.com/a"),
    ("http://93.184.216.34/page", "http://93.184.216.34/page"),
    ("homegymhero.com:8080/x", "https://homegymhero.com:8080/x"),
])
def test_url_normalisation(raw: str, url: str) -> None:
    assert normalise_url(raw) == (url, "")


@pytest.mark.parametrize("raw", ["", "ftp://x.com/", "/relative/path", "localhost", "example.notatld", "n/a"])
def test_unusable_urls(raw: str) -> None:
    assert normalise_url(raw)[0] is None


@pytest.mark.parametrize("raw, iso", [
    ("2024-03-05", "2024-03-05"), ("2024-03-05 07:14:55", "2024-03-05"), ("2024-03-05T07:14:55Z", "2024-03-05"),
    ("Mar 5, 2024", "2024-03-05"), ("5 Mar 2024", "2024-03-05"), ("03/05/2024", "2024-03-05"),
    ("25/03/2024", "2024-03-25"), ("05.03.2024", "2024-03-05"), ("1709596800", "2024-03-05"),
    ("", None), ("yesterday", "yesterday"),
])
def test_dates(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_formats_table_names_the_tools() -> None:
    assert {"ahrefs", "semrush", "moz", "majestic", "gsc-links", "gsc-sites"} <= set(FORMATS)


# ------------------------------------------------------------------ verification

PAGE = "https://www.homegymhero.com/resources/"


def _check(body: str, competitors: list[str] = COMPETITORS, url: str = PAGE, head: str = "") -> dict:
    html = f"<html><head><title>Resources</title>{head}</head><body>{body}</body></html>"
    return {c.competitor: c for c in verify_links(html, url, competitors)}


def test_followed_link_is_present() -> None:
    checks = _check('<p>Start at <a href="https://www.nerdfitness.com/start-here/">Nerd Fitness</a>.</p>')
    nf = checks["nerdfitness.com"]
    assert (nf.status, nf.target_url, nf.anchor, nf.rel, nf.wrapped) == (
        "present", "https://www.nerdfitness.com/start-here/", "Nerd Fitness", [], False)
    assert nf.linked and nf.followed and nf.links == 1
    assert checks["bodybuilding.com"].status == "gone" and checks["bodybuilding.com"].target_url is None


@pytest.mark.parametrize("rel, status", [
    ("nofollow", "nofollow"), ("NoFollow Noopener", "nofollow"), ("sponsored", "sponsored"),
    ("nofollow sponsored", "sponsored"), ("ugc nofollow", "ugc"), ("UGC", "ugc"), ("noopener noreferrer", "present"),
    ("external", "present"), ("nofollow,noopener", "nofollow"),
])
def test_rel_values(rel: str, status: str) -> None:
    check = _check(f'<a rel="{rel}" href="https://bodybuilding.com/store">store</a>')["bodybuilding.com"]
    assert check.status == status
    assert check.rel == [t for t in rel.lower().replace(",", " ").split()]


def test_text_mentions_are_not_links() -> None:
    checks = _check("<p>We used to link to nerdfitness.com and https://www.bodybuilding.com/ here.</p>"
                    "<!-- <a href='https://nerdfitness.com/'>old</a> -->")
    assert [c.status for c in checks.values()] == ["gone", "gone"]


def test_subdomains_and_protocol_relative_links_count() -> None:
    checks = _check('<a href="//shop.bodybuilding.com/whey">whey</a>'
                    '<a href="http://forums.nerdfitness.com/t/1">forum</a>')
    assert checks["bodybuilding.com"].status == "present"
    assert checks["bodybuilding.com"].target_url == "https://shop.bodybuilding.com/whey"
    assert checks["nerdfitness.com"].target_url == "http://forums.nerdfitness.com/t/1"
    # a look-alike domain is not the competitor
    assert _check('<a href="https://nerdfitness.com.evil.net/">x</a>')["nerdfitness.com"].status == "gone"


def test_wrapped_redirect_links() -> None:
    checks = _check('<a href="/go?url=https%3A%2F%2Fwww.nerdfitness.com%2Facademy%2F">NF Academy</a>'
                    '<a rel="nofollow" href="https://out.homegymhero.com/r.php?u=https://bodybuilding.com/x">BB</a>')
    nf = checks["nerdfitness.com"]
    assert (nf.status, nf.wrapped, nf.target_url) == ("present", True, "https://www.nerdfitness.com/academy/")
    assert nf.href == "https://www.homegymhero.com/go?url=https%3A%2F%2Fwww.nerdfitness.com%2Facademy%2F"
    assert any("wrapped" in note for note in nf.notes)
    bb = checks["bodybuilding.com"]
    assert (bb.status, bb.wrapped) == ("nofollow", True)


def test_wrapped_variants() -> None:
    assert unwrap("https://blog.com/out/https://nerdfitness.com/x", "blog.com") == ["https://nerdfitness.com/x"]
    assert unwrap("https://blog.com/go/https:/nerdfitness.com/x", "blog.com") == ["https://nerdfitness.com/x"]
    assert unwrap("https://blog.com/r?to=aHR0cHM6Ly9uZXJkZml0bmVzcy5jb20v", "blog.com") == ["https://nerdfitness.com/"]
    assert unwrap("https://www.google.com/url?q=https://nerdfitness.com/&sa=D", "blog.com") == [
        "https://nerdfitness.com/"]
    # sharing a competitor's article is not linking to it
    assert unwrap("https://www.facebook.com/sharer/sharer.php?u=https://nerdfitness.com/", "blog.com") == []
    assert unwrap("https://twitter.com/intent/tweet?url=https%3A%2F%2Fnerdfitness.com%2F", "blog.com") == []
    assert unwrap("https://web.archive.org/web/2020/https://nerdfitness.com/", "blog.com") == []


def test_relative_links_resolve_against_page_and_base() -> None:
    # A relative link stays on the page's site: only wrapped ones can reach a competitor.
    checks = _check('<a href="../go.php?link=http%3A%2F%2Fbodybuilding.com%2F">bb</a><a href="/about">about</a>',
                    url="https://www.homegymhero.com/blog/post/")
    assert checks["bodybuilding.com"].status == "present" and checks["bodybuilding.com"].wrapped
    assert checks["bodybuilding.com"].href == "https://www.homegymhero.com/blog/go.php?link=http%3A%2F%2Fbodybuilding.com%2F"
    # <base href> on the competitor's site makes a relative href point there
    checks = _check('<a href="/store">store</a>', head='<base href="https://www.bodybuilding.com/">')
    assert checks["bodybuilding.com"].target_url == "https://www.bodybuilding.com/store"


def test_best_link_wins_and_all_anchors_are_listed() -> None:
    checks = _check('<a rel="nofollow" href="https://nerdfitness.com/a">first</a>'
                    '<a href="/go?url=https%3A%2F%2Fnerdfitness.com%2Fb">wrapped</a>'
                    '<a href="https://nerdfitness.com/c"><img alt="NF logo" src="x.png"></a>'
                    '<a rel="sponsored" href="https://nerdfitness.com/d">paid</a>')
    nf = checks["nerdfitness.com"]
    assert (nf.status, nf.target_url, nf.anchor, nf.wrapped) == ("present", "https://nerdfitness.com/c", "NF logo",
                                                                 False)
    assert nf.anchors == ["first", "wrapped", "NF logo", "paid"] and nf.links == 4


def test_meta_robots_nofollow_applies_to_every_link() -> None:
    check = _check('<a href="https://nerdfitness.com/">NF</a>',
                   head='<meta name="robots" content="index, nofollow">')["nerdfitness.com"]
    assert check.status == "nofollow" and check.rel == []
    assert any("meta robots" in note for note in check.notes)


def test_competitor_names_are_normalised_and_kept_as_given() -> None:
    checks = verify_links('<a href="https://www.bodybuilding.com/">bb</a>', PAGE,
                          ["https://www.BodyBuilding.com/", "NERDFITNESS.COM", "nerdfitness.com", ""])
    assert [(c.competitor, c.status) for c in checks] == [("https://www.BodyBuilding.com/", "present"),
                                                          ("NERDFITNESS.COM", "gone")]


def test_own_site_and_junk_pages() -> None:
    own = verify_links('<a href="/blog/">blog</a>', "https://www.nerdfitness.com/", ["nerdfitness.com"])
    assert own[0].status == "gone" and own[0].notes == ["the page is on the competitor's own site"]
    assert [c.status for c in verify_links("", PAGE, COMPETITORS)] == ["gone", "gone"]
    assert [c.status for c in verify_links("\x00\xff<<<a href=", PAGE, COMPETITORS)] == ["gone", "gone"]
    assert verify_links("<a href='https://nerdfitness.com/'>x</a>", PAGE, []) == []


# ------------------------------------------------------------------ link intersect


def test_competitor_map_and_intersect() -> None:
    rows = [*_read("majestic-backlinks.csv").rows, *_read("semrush-backlinks.csv").rows]
    linked = competitor_map(rows, COMPETITORS)
    assert linked["homegymhero.com"] == {"nerdfitness.com", "bodybuilding.com"}
    assert linked["trailrunnerdigest.com"] == {"nerdfitness.com"}
    hits = intersect(linked)
    assert list(hits) == ["homegymhero.com", "mealprepmonday.net"]  # trailrunnerdigest: NF only
    assert hits["homegymhero.com"] == ["bodybuilding.com", "nerdfitness.com"]


def test_intersect_thresholds() -> None:
    data = {"a.com": {"x.com", "y.com", "z.com"}, "b.com": {"x.com"}, "c.com": {"Y.com", "y.com", "x.com"},
            "d.com": set()}
    assert intersect(data) == {"a.com": ["x.com", "y.com", "z.com"], "c.com": ["x.com", "y.com"]}
    assert list(intersect(data, min_competitors=1)) == ["a.com", "c.com", "b.com"]
    assert intersect(data, min_competitors=4) == {}
    with pytest.raises(ValueError):
        intersect(data, min_competitors=0)


def test_unquoted_ahrefs_header_starting_with_hash(tmp_path: Path) -> None:
    path = tmp_path / "ahrefs.csv"
    path.write_text("#,Domain Rating,Referring Page URL,Link URL,Link Anchor,Type\n"
                    "1,40,https://homegymhero.com/a,https://nerdfitness.com/,NF,nofollow\n", encoding="utf-8")
    result = read_backlinks(path)
    assert result.format == "ahrefs" and result.rows[0].nofollow is True


def test_plain_list_whose_first_line_is_bad(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("# my list\nmailto:me@x.com\nhomegymhero.com\nyogadrift.co.uk\n", encoding="utf-8")
    result = read_backlinks(path)
    assert result.format == "plain" and len(result.rows) == 2
    assert result.errors[0].startswith(f"{path}:2: unsupported scheme 'mailto'")
    only_comments = tmp_path / "comments.txt"
    only_comments.write_text("# nothing yet\n\n", encoding="utf-8")
    with pytest.raises(BacklinkError, match="only comments"):
        read_backlinks(only_comments)


def test_backlinks_are_hashable_values() -> None:
    rows = _read("plain-urls.txt").rows
    assert len(set(rows)) == len(rows)
