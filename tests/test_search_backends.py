"""Search backends on the services' wire formats: requests built, SERPs parsed, failures named.

No network: each test builds a ``TextResponse``/``HtmlResponse`` from a sample in
``tests/fixtures/serp/`` (see its README) with the backend's own request attached.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.settings import Settings

from linkspider.discover.search import (
    DEFAULTS,
    BraveBackend,
    DuckDuckGoBackend,
    FileBackend,
    GoogleBackend,
    SearchBlocked,
    SearchConfigError,
    SearchError,
    SearchResponseError,
    SearXNGBackend,
    get_backend,
)
from linkspider.discover.search.duckduckgo import unwrap

SERP = Path(__file__).resolve().parent / "fixtures" / "serp"
GOOGLE_KEY = "AIzaSyTEST-secret-key-0123456789"
BRAVE_KEY = "BSAtest-brave-token-987654"
ENV = ("SEARCH_BACKEND", "SEARXNG_URL", "BRAVE_API_KEY", "BRAVE_API_URL", "GOOGLE_API_KEY", "GOOGLE_CSE_ID",
       "GOOGLE_CSE_URL", "DUCKDUCKGO_URL", "SEARCH_RESULTS_FILE", "SEARCH_MAX_PAGES", "SEARCH_OPERATORS")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's real keys in the environment must not leak into (or rescue) a test."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def sample(name: str) -> bytes:
    return (SERP / name).read_bytes()


def respond(request: Request, body: bytes | str, *, status: int = 200, headers: dict | None = None,
            html: bool = False) -> TextResponse:
    cls = HtmlResponse if html else TextResponse
    body = body.encode() if isinstance(body, str) else body
    return cls(url=request.url, status=status, body=body, headers=headers or {}, request=request, encoding="utf-8")


def sample_headers(name: str) -> dict[str, str]:
    headers = {}
    for line in (SERP / name).read_text().splitlines()[1:]:
        if ":" in line and not line.startswith("#"):
            key, value = line.split(":", 1)
            headers[key.strip()] = value.strip()
    return headers


def searxng() -> SearXNGBackend:
    return get_backend("searxng", Settings({"SEARXNG_URL": "http://127.0.0.1:8888/"}))  # type: ignore[return-value]


def brave() -> BraveBackend:
    return get_backend("brave", Settings({"BRAVE_API_KEY": BRAVE_KEY, "BRAVE_API_URL": "http://127.0.0.1:9001"}))  # type: ignore[return-value]


def google() -> GoogleBackend:
    return get_backend("google", Settings({"GOOGLE_API_KEY": GOOGLE_KEY, "GOOGLE_CSE_ID": "0123456789abcdef0",
                                           "GOOGLE_CSE_URL": "http://127.0.0.1:9002"}))  # type: ignore[return-value]


def ddg() -> DuckDuckGoBackend:
    return get_backend("duckduckgo", Settings({"DUCKDUCKGO_URL": "http://127.0.0.1:9003"}))  # type: ignore[return-value]


# ------------------------------------------------------------------ choosing


def test_get_backend_by_name_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(get_backend(None, Settings()), DuckDuckGoBackend)  # the keyless default
    assert isinstance(get_backend("DDG", Settings()), DuckDuckGoBackend)
    monkeypatch.setenv("SEARXNG_URL", "http://searx.local:8080")
    assert isinstance(get_backend(None, Settings({"SEARCH_BACKEND": "searxng"})), SearXNGBackend)
    with pytest.raises(SearchConfigError, match=r"'altavista' is not a search backend; choose one of searxng, brave"):
        get_backend("altavista", Settings())
    with pytest.raises(SearchConfigError, match="retired on 2025-08-11"):
        get_backend("bing", Settings())


@pytest.mark.parametrize("name, settings, missing", [
    ("searxng", {}, "SEARXNG_URL"),
    ("brave", {}, "BRAVE_API_KEY"),
    ("google", {"GOOGLE_CSE_ID": "x"}, "GOOGLE_API_KEY"),
    ("google", {"GOOGLE_API_KEY": GOOGLE_KEY}, "GOOGLE_CSE_ID"),
    ("file", {}, "SEARCH_RESULTS_FILE"),
])
def test_missing_setting_is_named(name: str, settings: dict, missing: str) -> None:
    with pytest.raises(SearchConfigError) as info:
        get_backend(name, Settings(settings))
    assert f"SEARCH_BACKEND={name} needs {missing} (setting or environment variable)" in str(info.value)
    assert GOOGLE_KEY not in str(info.value)


def test_keys_and_urls_come_from_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRAVE_API_KEY", BRAVE_KEY)
    backend = get_backend("brave", Settings())
    assert backend.download_slot == "api.search.brave.com"
    with pytest.raises(SearchConfigError, match=r"SEARXNG_URL='ftp://x' is not an http\(s\) URL"):
        get_backend("searxng", Settings({"SEARXNG_URL": "ftp://x"}))


def test_politeness_attributes_and_settings() -> None:
    for backend in (searxng(), brave(), google(), ddg()):
        assert backend.download_slot.startswith("127.0.0.1:")
        assert backend.concurrency == 1 and backend.download_delay >= 1.0
        slot = backend.slot_settings()[backend.download_slot]
        assert slot["concurrency"] == 1 and slot["delay"] == backend.download_delay
    assert ddg().download_delay >= 2.0 and ddg().obey_robotstxt
    assert DuckDuckGoBackend(delay=0.5).download_delay == 2.0  # never faster than 2 s
    for name in ("SEARCH_BACKEND", "SEARCH_MAX_PAGES", "SEARXNG_URL", "BRAVE_API_URL", "GOOGLE_CSE_URL",
                 "DUCKDUCKGO_URL", "SEARCH_RESULTS_FILE"):
        assert name in DEFAULTS
    assert not any("KEY" in name for name in DEFAULTS)  # keys live in the environment, not settings.py


def test_max_pages_and_operator_override() -> None:
    backend = get_backend("google", Settings({"GOOGLE_API_KEY": GOOGLE_KEY, "GOOGLE_CSE_ID": "cx",
                                              "SEARCH_MAX_PAGES": 50, "SEARCH_OPERATORS": "quotes, inurl"}))
    assert backend.max_pages == 10  # Google serves 100 results at most
    assert backend.operators == {"quotes", "inurl"}
    with pytest.raises(SearchConfigError, match="SEARCH_OPERATORS: unknown operator.*near"):
        get_backend("duckduckgo", Settings({"SEARCH_OPERATORS": "quotes,near"}))
    assert "inurl" in GoogleBackend.operators and "inurl" not in BraveBackend.operators
    assert "inurl" not in DuckDuckGoBackend.operators and "intitle" in SearXNGBackend.operators


# ------------------------------------------------------------------ searxng


def test_searxng_request() -> None:
    backend = searxng()
    request = backend.request('fitness "write for us"', 2)
    parts = urlsplit(request.url)
    assert parts.netloc == "127.0.0.1:8888" and parts.path == "/search"
    assert parse_qs(parts.query) == {"q": ['fitness "write for us"'], "format": ["json"], "pageno": ["2"],
                                     "categories": ["general"]}
    assert request.meta["search"] == {"backend": "searxng", "query": 'fitness "write for us"', "page": 2, "offset": 10}
    assert request.meta["download_slot"] == "127.0.0.1:8888" and request.dont_filter
    assert request.meta["dont_obey_robotstxt"] and request.meta["handle_httpstatus_all"]
    # a URL given with its /search path works the same
    assert SearXNGBackend("http://h:1/search").request("x").url.startswith("http://h:1/search?")


def test_searxng_parse_results_and_unresponsive_engines(caplog: pytest.LogCaptureFixture) -> None:
    backend = searxng()
    request = backend.request('fitness "write for us"')
    with caplog.at_level(logging.WARNING):
        page = backend.parse(respond(request, sample("searxng_search.json")))
    [result] = page.results
    assert result.url == "https://fitblog.example/write-for-us/"
    assert result.title == "Write for Us - FitBlog"
    assert result.snippet.startswith("We accept guest posts about fitness")
    assert (result.rank, result.backend, result.query) == (1, "searxng", 'fitness "write for us"')
    assert "google (CAPTCHA)" in caplog.text and "startpage (Suspended: too many requests)" in caplog.text
    assert page.warnings and "google (CAPTCHA)" in page.warnings[0]
    assert page.has_more and page.next_request is not None
    assert page.next_request.meta["search"]["page"] == 2
    page2 = backend.parse(respond(page.next_request, sample("searxng_search.json")))
    assert page2.results[0].rank == 2  # absolute across pages


def test_searxng_last_page_and_page_cap() -> None:
    backend = searxng()
    empty = json.dumps({"query": "x", "results": [], "unresponsive_engines": []})
    page = backend.parse(respond(backend.request("x", 2), empty))
    assert page.results == [] and not page.has_more and page.next_request is None
    last = backend.parse(respond(backend.request("x", backend.max_pages), sample("searxng_search.json")))
    assert not last.has_more


def test_searxng_403_means_json_is_disabled() -> None:
    backend = searxng()
    with pytest.raises(SearchBlocked) as info:
        backend.parse(respond(backend.request("x"), "<html>Forbidden</html>", status=403))
    message = str(info.value)
    assert message.startswith("searxng: 403") and "search: formats: [html, json]" in message
    assert "settings.yml" in message and info.value.status == 403
    with pytest.raises(SearchBlocked, match="limiter"):
        backend.parse(respond(backend.request("x"), "Too Many Requests", status=429))


@pytest.mark.parametrize("body, message", [
    ('{"results": [', "malformed JSON"),
    ("<!DOCTYPE html><html><body>SearXNG</body></html>", "an HTML page"),
    ('{"answers": []}', "without a 'results' list"),
])
def test_searxng_malformed_bodies(body: str, message: str) -> None:
    backend = searxng()
    with pytest.raises(SearchResponseError, match=message):
        backend.parse(respond(backend.request("x"), body))
    with pytest.raises(SearchResponseError, match="HTTP 502"):
        backend.parse(respond(backend.request("x"), "bad gateway", status=502))


# ------------------------------------------------------------------ brave


def test_brave_request_keeps_the_key_in_a_header() -> None:
    backend = brave()
    request = backend.request('intitle:"link roundup" cooking', 3)
    parts = urlsplit(request.url)
    assert parts.path == "/res/v1/web/search"
    query = parse_qs(parts.query)
    assert query["q"] == ['intitle:"link roundup" cooking'] and query["count"] == ["20"] and query["offset"] == ["2"]
    assert request.headers[b"X-Subscription-Token"] == BRAVE_KEY.encode()
    assert BRAVE_KEY not in request.url and BRAVE_KEY not in repr(request.meta)
    assert request.meta["search"]["offset"] == 40
    with pytest.raises(ValueError, match="at most 10 pages"):
        backend.request("x", 11)


def test_brave_parse_results_rate_limit_and_next_page() -> None:
    backend = brave()
    request = backend.request('intitle:"link roundup" cooking')
    page = backend.parse(respond(request, sample("brave_web_search.json"), headers=sample_headers("brave_headers.txt")))
    [result] = page.results
    assert result.url == "https://kitchen.example/link-roundup-42/"
    assert result.title == "Weekly Link Roundup: Cooking Edition"
    assert result.snippet == "Our favourite cooking links this week..."  # <strong> stripped
    assert result.rank == 1 and result.backend == "brave"
    # X-RateLimit-Remaining: 0 (per second) -> wait X-RateLimit-Reset: 1 s
    assert page.suggested_delay == 1.0 and backend.suggested_delay == 1.0
    assert page.has_more and page.next_request is not None
    assert parse_qs(urlsplit(page.next_request.url).query)["offset"] == ["1"]
    page2 = backend.parse(respond(page.next_request, sample("brave_web_search.json")))
    assert page2.results[0].rank == 21 and page2.suggested_delay is None


def test_brave_429_names_the_reset() -> None:
    backend = brave()
    headers = sample_headers("brave_headers.txt")
    body = json.dumps({"type": "ErrorResponse", "error": {"status": 429, "code": "RATE_LIMITED", "detail": "Too many"}})
    with pytest.raises(SearchBlocked) as info:
        backend.parse(respond(backend.request("x"), body, status=429, headers=headers))
    assert str(info.value).startswith("brave: 429 rate limit exceeded (X-RateLimit-Reset: 1s); stopping this backend")
    assert info.value.retry_after == 1.0 and info.value.status == 429
    headers["X-RateLimit-Remaining"] = "1, 0"
    headers["X-RateLimit-Reset"] = "1, 1419704"
    with pytest.raises(SearchBlocked, match=r"429 quota used up for this billing period.*16 days"):
        backend.parse(respond(backend.request("x"), body, status=429, headers=headers))


@pytest.mark.parametrize("status, code, message", [
    (401, "SUBSCRIPTION_TOKEN_INVALID", r"brave: 401 the subscription token was refused .*BRAVE_API_KEY"),
    (422, "SUBSCRIPTION_TOKEN_INVALID", r"brave: 422 the subscription token was refused .*BRAVE_API_KEY"),
    (403, "OPTION_NOT_IN_PLAN", r"brave: 403 access denied \(OPTION_NOT_IN_PLAN"),
])
def test_brave_bad_key_is_blocked(status: int, code: str, message: str) -> None:
    backend = brave()
    body = json.dumps({"type": "ErrorResponse", "error": {"status": status, "code": code, "detail": "nope"}})
    with pytest.raises(SearchBlocked, match=message) as info:
        backend.parse(respond(backend.request("x"), body, status=status))
    assert BRAVE_KEY not in str(info.value)


def test_brave_malformed_json() -> None:
    backend = brave()
    validation = json.dumps({"type": "ErrorResponse", "error": {"status": 422, "code": "VALIDATION", "detail": "bad"}})
    with pytest.raises(SearchResponseError, match=r"HTTP 422 for this query \(VALIDATION: bad\); skipping it"):
        backend.parse(respond(backend.request("x"), validation, status=422))
    with pytest.raises(SearchResponseError, match="expected JSON, got malformed JSON"):
        backend.parse(respond(backend.request("x"), b"\x00garbage{"))
    with pytest.raises(SearchResponseError, match="an HTML page"):
        backend.parse(respond(backend.request("x"), "<html><body>Service Unavailable</body></html>"))
    empty = backend.parse(respond(backend.request("x"), '{"type": "search", "query": {"original": "x"}}'))
    assert empty.results == [] and not empty.has_more


# ------------------------------------------------------------------ google


def test_google_request_parameters() -> None:
    backend = google()
    request = backend.request("inurl:guest-post", 3)
    parts = urlsplit(request.url)
    assert parts.path == "/customsearch/v1"
    assert parse_qs(parts.query) == {"key": [GOOGLE_KEY], "cx": ["0123456789abcdef0"], "q": ["inurl:guest-post"],
                                     "start": ["21"], "num": ["10"]}
    assert GOOGLE_KEY not in repr(request.meta)
    assert request.meta["search"] == {"backend": "google", "query": "inurl:guest-post", "page": 3, "offset": 20}


def test_google_parse_results_and_pagination() -> None:
    backend = google()
    page = backend.parse(respond(backend.request("inurl:guest-post"), sample("google_cse.json")))
    [result] = page.results
    assert result.url == "https://gardenhub.example/guest-post/"
    assert result.title == "Guest Post Guidelines | GardenHub"
    assert result.snippet == "We welcome guest posts on gardening topics..."
    assert result.rank == 1 and page.total == 1250
    assert page.has_more and page.next_request is not None
    assert parse_qs(urlsplit(page.next_request.url).query)["start"] == ["11"]
    page2 = backend.parse(respond(page.next_request, sample("google_cse.json")))
    assert page2.results[0].rank == 11
    no_results = backend.parse(respond(backend.request("x"), '{"kind": "customsearch#search", "queries": {}}'))
    assert no_results.results == [] and not no_results.has_more


def test_google_errors_are_classified_without_leaking_the_key(caplog: pytest.LogCaptureFixture) -> None:
    backend = google()
    texts = []
    cases = [
        (429, sample("google_cse_error_429.json"), SearchBlocked, "google: 429 query quota exceeded"),
        (400, json.dumps({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                                    "errors": [{"reason": "badRequest"}], "status": "INVALID_ARGUMENT",
                                    "details": [{"reason": "API_KEY_INVALID"}]}}),
         SearchBlocked, "google: 400 GOOGLE_API_KEY was refused"),
        (403, json.dumps({"error": {"code": 403, "message": "This project does not have the access to Custom "
                                    "Search JSON API.", "status": "PERMISSION_DENIED"}}),
         SearchBlocked, "closed to new customers"),
        (200, '{"items": [', SearchResponseError, "malformed JSON"),
        (500, "<html>oops</html>", SearchResponseError, "HTTP 500"),
    ]
    with caplog.at_level(logging.DEBUG):
        for status, body, error, message in cases:
            with pytest.raises(error, match=message) as info:
                backend.parse(respond(backend.request("inurl:guest-post"), body, status=status))
            texts += [str(info.value), repr(info.value), getattr(info.value, "url", ""), info.value.reason]
            logging.getLogger("linkspider.test").error("search failed: %s", info.value)
    assert any("customsearch/v1?key=REDACTED" in t for t in texts)  # the URL is shown, its key is not
    assert not any(GOOGLE_KEY in t for t in texts)
    assert GOOGLE_KEY not in caplog.text


def test_scrapy_log_lines_are_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    from linkspider.common.redact import install_log_redaction

    install_log_redaction()
    request = google().request("x")
    logger = logging.getLogger("scrapy.core.engine.test")
    with caplog.at_level(logging.DEBUG):
        logger.debug("Crawled (200) %(request)s", {"request": request})
    assert "key=REDACTED" in caplog.text and GOOGLE_KEY not in caplog.text


# ------------------------------------------------------------------ duckduckgo


def test_ddg_first_page_is_a_form_post() -> None:
    backend = ddg()
    request = backend.request('fitness "write for us"')
    assert request.method == "POST" and request.url == "http://127.0.0.1:9003/html/"
    assert parse_qs(request.body.decode()) == {"q": ['fitness "write for us"']}
    assert request.headers[b"Content-Type"] == b"application/x-www-form-urlencoded"
    assert request.meta["search"] == {"backend": "duckduckgo", "query": 'fitness "write for us"', "page": 1, "offset": 0}
    assert "dont_obey_robotstxt" not in request.meta and request.dont_filter
    with pytest.raises(ValueError, match="page 2\\+ needs the hidden fields"):
        backend.request("x", 2)


def test_ddg_parse_unwraps_links_skips_ads_and_builds_the_next_page() -> None:
    backend = ddg()
    request = backend.request('fitness "write for us"')
    page = backend.parse(respond(request, sample("ddg_html.html"), html=True))
    [result] = page.results  # the ad is gone
    assert result.url == "https://fitblog.example/write-for-us/"
    assert result.title == "Write for Us - FitBlog"
    assert result.snippet == "We accept guest posts about fitness..."
    assert result.rank == 1 and result.backend == "duckduckgo"
    assert page.has_more
    follow = page.next_request
    assert follow is not None and follow.method == "POST" and follow.url == "http://127.0.0.1:9003/html/"
    form = parse_qs(follow.body.decode(), keep_blank_values=True)
    assert form["q"] == ['fitness "write for us"'] and form["vqd"] == ["4-123456789012345678901234567890"]
    assert form["s"] == ["10"] and form["dc"] == ["11"] and form["nextParams"] == [""]
    assert follow.meta["search"] == {"backend": "duckduckgo", "query": 'fitness "write for us"', "page": 2, "offset": 1,
                                     "form": parse_qsl(follow.body.decode(), keep_blank_values=True)}
    again = backend.next_page_request(respond(request, sample("ddg_html.html"), html=True))
    assert again is not None and again.body == follow.body
    page2 = backend.parse(respond(follow, sample("ddg_html.html"), html=True))
    assert page2.results[0].rank == 2


PAGE_2 = """<html><body><div id="links" class="results">
<div class="result results_links web-result"><h2 class="result__title">
<a class="result__a" href="https://direct.example/guest/">Direct <b>guest</b>.</a></h2></div>
</div>
<div class="nav-link"><form action="/html/" method="post"><input type="submit" class="btn" value="Previous">
<input type="hidden" name="q" value="x"><input type="hidden" name="s" value="0"></form></div>
<div class="nav-link"><form action="/html/" method="post"><input type="submit" class="btn" value="Next">
<input type="hidden" name="q" value="x"><input type="hidden" name="s" value="40">
<input type="hidden" name="vqd" value="4-99"></form></div>
</body></html>"""


def test_ddg_picks_the_next_form_and_stops_on_the_last_page() -> None:
    backend = ddg()
    request = backend.request("x", 2, form={"q": "x", "s": "10", "vqd": "4-1"}, offset=10)
    page = backend.parse(respond(request, PAGE_2, html=True))
    assert page.results[0].url == "https://direct.example/guest/" and page.results[0].rank == 11
    assert page.results[0].title == "Direct guest."  # highlighted words keep their punctuation
    assert page.next_request is not None
    assert parse_qs(page.next_request.body.decode())["s"] == ["40"]
    last = PAGE_2.split('<div class="nav-link"><form action="/html/" method="post"><input type="submit" '
                        'class="btn" value="Next">')[0] + "</body></html>"
    page = backend.parse(respond(request, last, html=True))
    assert not page.has_more and page.next_request is None
    none = backend.parse(respond(backend.request("x"), '<div id="links"><div class="no-results">No results.</div>'
                                                       "</div>", html=True))
    assert none.results == [] and not none.has_more


def test_ddg_ads_are_skipped_even_with_an_unwrappable_link() -> None:
    backend = ddg()
    html = PAGE_2.replace('<div class="result results_links web-result">',
                          '<div class="result results_links result--ad"><h2><a class="result__a" '
                          'href="//duckduckgo.com/l/?uddg=https%3A%2F%2Fads.example%2F">Ad</a></h2></div>'
                          '<div class="result results_links web-result">')
    page = backend.parse(respond(backend.request("x"), html, html=True))
    assert [r.url for r in page.results] == ["https://direct.example/guest/"] and page.results[0].rank == 1


def test_ddg_captcha_and_refusals_block_the_backend() -> None:
    backend = ddg()
    with pytest.raises(SearchBlocked) as info:
        backend.parse(respond(backend.request("x"), sample("ddg_captcha.html"), html=True))
    assert str(info.value).startswith("duckduckgo: CAPTCHA page (HTTP 200)")
    assert "stopping this backend" in str(info.value) and "SEARCH_BACKEND=searxng" in str(info.value)
    with pytest.raises(SearchBlocked, match="duckduckgo: HTTP 403"):
        backend.parse(respond(backend.request("x"), "<html></html>", status=403, html=True))
    with pytest.raises(SearchBlocked, match="HTTP 202 with no results"):
        backend.parse(respond(backend.request("x"), "<html><body></body></html>", status=202, html=True))
    with pytest.raises(SearchResponseError, match="no result list on the page"):
        backend.parse(respond(backend.request("x"), "<html><body>new layout</body></html>", html=True))


@pytest.mark.parametrize("href, url", [
    ("//duckduckgo.com/l/?uddg=https%3A%2F%2Ffitblog.example%2Fwrite-for-us%2F&rut=5f2a",
     "https://fitblog.example/write-for-us/"),
    ("https://duckduckgo.com/l/?uddg=http%3A%2F%2Fa.example%2F%3Fx%3D1%26y%3D2", "http://a.example/?x=1&y=2"),
    ("https://direct.example/page", "https://direct.example/page"),
    ("https://duckduckgo.com/y.js?ad_domain=ads.example", ""),
    ("/html/?q=next", ""),
    ("", ""),
])
def test_ddg_unwrap(href: str, url: str) -> None:
    assert unwrap(href) == url


# ------------------------------------------------------------------ file


def test_file_backend_reads_a_url_list(tmp_path: Path) -> None:
    path = tmp_path / "results.txt"
    path.write_text("# pasted from a SERP\nhttps://fitblog.example/write-for-us/\n\n"
                    "1. https://ironpulse.com/guest-post/ (found on page 2)\nrunnersworld.co.uk\n"
                    "not a url at all\nhttps://fitblog.example/write-for-us/\n")
    backend = get_backend("file", Settings({"SEARCH_RESULTS_FILE": str(path)}))
    assert isinstance(backend, FileBackend) and not backend.needs_network
    urls = [r.url for r in backend.all_results()]
    assert urls == ["https://fitblog.example/write-for-us/", "https://ironpulse.com/guest-post/",
                    "https://runnersworld.co.uk/"]
    assert [r.rank for r in backend.all_results()] == [1, 2, 3]
    assert backend.all_results()[1].source == f"{path}:4"
    assert backend.results_for("anything") == backend.all_results()
    assert len(backend.errors) == 1 and backend.errors[0].startswith(f"{path}:6: ")
    with pytest.raises(SearchError, match="makes no requests"):
        backend.request("x")


def test_file_backend_reads_serp_exports(tmp_path: Path) -> None:
    frog = tmp_path / "crawl.csv"
    frog.write_text('"Address","Status Code","Title 1","Meta Description 1"\n'
                    '"https://a.example/write-for-us/","200","Write for us","Pitch us, please"\n'
                    '"https://b.example/resources/","200","Resources",""\n')
    rows = FileBackend(frog).all_results()
    assert [(r.url, r.title, r.snippet) for r in rows] == [
        ("https://a.example/write-for-us/", "Write for us", "Pitch us, please"),
        ("https://b.example/resources/", "Resources", "")]

    serp = tmp_path / "serp.csv"
    serp.write_text("Keyword,Position,URL,Title\n"
                    'fitness "write for us",1,https://a.example/w/,A\n'
                    'fitness "write for us",4,https://b.example/w/,B\n'
                    "yoga roundup,2,https://c.example/r/,C\n")
    backend = FileBackend(serp)
    assert [(r.url, r.rank) for r in backend.results_for('Fitness  "write for us"')] == [
        ("https://a.example/w/", 1), ("https://b.example/w/", 4)]
    assert backend.queries() == ['fitness "write for us"', "yoga roundup"]

    headless = tmp_path / "export.csv"
    headless.write_text("12;https://a.example/x;Title A\n7;https://b.example/y;Title B\n")
    assert [r.url for r in FileBackend(headless).all_results()] == ["https://a.example/x", "https://b.example/y"]

    ahrefs = tmp_path / "ahrefs.tsv"
    ahrefs.write_bytes("Referring page title\tReferring page URL\tDR\nRoundup\thttps://r.example/links/\t40\n"
                       .encode("utf-16"))
    [row] = FileBackend(ahrefs).all_results()
    assert row.url == "https://r.example/links/"


def test_file_backend_errors_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(SearchConfigError, match=r"SEARCH_RESULTS_FILE=.*nope\.txt: no such file"):
        FileBackend(tmp_path / "nope.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n")
    with pytest.raises(SearchConfigError, match=r"empty\.txt: no result URL found"):
        FileBackend(empty)
    no_urls = tmp_path / "words.csv"
    no_urls.write_text("name,score\nalpha,1\nbeta,2\n")
    with pytest.raises(SearchConfigError, match=r"words\.csv: no URL column"):
        FileBackend(no_urls)
