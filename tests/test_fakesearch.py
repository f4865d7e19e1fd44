"""The fake search engines over the fake web: real wire formats, operators, pagination, failures.

Ground truth for operator semantics is recomputed here by brute force over
``FakeWeb.pages()`` (and the manifest), independently of the index's own matching.
"""

from __future__ import annotations

import html
import json
import re
import threading
import urllib.error
import urllib.request
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from parsel import Selector

from fakeweb import (
    BRAVE_API_KEY,
    GOOGLE_API_KEY,
    GOOGLE_CSE_ID,
    SEARCH_HOSTS,
    FakeWebServer,
    SearchIndex,
    build_web,
    parse_query,
)
from fakeweb.__main__ import main as fakeweb_main
from fakeweb.search import FAILURE_MODES, SearchService, snippet
from linkspider.common.domains import registrable_domain

# Field names of the wire-format samples (shared/wire-formats), written out so the test stands alone.
SEARXNG_TOP = {"query", "number_of_results", "results", "answers", "corrections", "infoboxes", "suggestions",
               "unresponsive_engines"}
SEARXNG_RESULT = {"url", "title", "content", "engine", "engines", "positions", "score", "category", "template",
                  "parsed_url", "publishedDate", "thumbnail", "img_src", "priority"}
BRAVE_RESULT = {"type", "title", "url", "description", "is_source_local", "is_source_both", "language",
                "family_friendly", "profile", "meta_url"}
GOOGLE_TOP = {"kind", "url", "queries", "context", "searchInformation", "items"}
GOOGLE_ITEM = {"kind", "title", "htmlTitle", "link", "displayLink", "snippet", "htmlSnippet", "formattedUrl",
               "htmlFormattedUrl", "pagemap"}
GOOGLE_QUERY = {"title", "totalResults", "searchTerms", "count", "startIndex", "inputEncoding", "outputEncoding",
                "safe", "cx"}
BRAVE_RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Policy", "X-RateLimit-Remaining", "X-RateLimit-Reset")
WFU = 'fitness "write for us"'


@pytest.fixture(scope="module")
def web():
    return build_web()


@pytest.fixture(scope="module")
def index(web):
    return SearchIndex.for_web(web)


@pytest.fixture(scope="module")
def server(web):
    with FakeWebServer(web) as srv:
        yield srv


@pytest.fixture(autouse=True)
def fresh(request):
    yield
    if "server" in request.fixturenames:
        request.getfixturevalue("server").search.reset()


def fetch(url: str, headers: dict | None = None, data: dict | None = None, proxy: str | None = None):
    """(status, headers, body) of one request; ``proxy``: go through it (absolute-URI requests)."""
    handlers = [urllib.request.ProxyHandler({"http": proxy} if proxy else {})]
    opener = urllib.request.build_opener(*handlers)
    body = urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with opener.open(request, timeout=5) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def searxng(server, q, via="direct", **params):
    params = {"q": q, "format": "json", **params}
    proxy = server.proxy_url if via == "proxy" else None
    return fetch(f"{server.search_endpoint('searxng', via)}?{urlencode(params)}", proxy=proxy)


def brave(server, q, token=BRAVE_API_KEY, via="direct", **params):
    headers = {"X-Subscription-Token": token} if token is not None else {}
    proxy = server.proxy_url if via == "proxy" else None
    return fetch(f"{server.search_endpoint('brave', via)}?{urlencode({'q': q, **params})}", headers, proxy=proxy)


def google(server, q, key=GOOGLE_API_KEY, cx=GOOGLE_CSE_ID, via="direct", **params):
    params = {k: v for k, v in {"key": key, "cx": cx, "q": q, **params}.items() if v is not None}
    proxy = server.proxy_url if via == "proxy" else None
    return fetch(f"{server.search_endpoint('google', via)}?{urlencode(params)}", proxy=proxy)


def ddg(server, q, via="direct", **fields):
    proxy = server.proxy_url if via == "proxy" else None
    return fetch(server.search_endpoint("duckduckgo", via), data={"q": q, **fields}, proxy=proxy)


def ddg_results(body: bytes) -> list[str]:
    """Target URLs of the organic results (ads skipped), decoded from ``uddg=``."""
    sel = Selector(text=body.decode())
    out = []
    for href in sel.css("div#links > div.web-result h2 a.result__a::attr(href)").getall():
        assert href.startswith("//duckduckgo.com/l/?")
        out.append(parse_qs(urlsplit(href).query)["uddg"][0])
    return out


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def has_phrase(text: str, phrase: str) -> bool:
    return f" {' '.join(words(phrase))} " in f" {' '.join(words(text))} "


def display_title(page) -> str:
    found = re.search(rb"<title>(.*?)</title>", page.body, re.S)
    return html.unescape(found[1].decode("utf-8", "replace")) if found else page.title


def brute(web, pred) -> set[str]:
    """URLs of the fake web's pages (robots-disallowed ones aside) for which ``pred(url, title, text)`` holds."""
    hidden = {e["url"] for s in web.manifest["sites"] for e in s["hidden_emails"]}
    hidden |= {u for s in web.manifest["sites"] for u in s["disallowed_urls"]}
    return {url for url, page in web.pages() if url not in hidden and pred(url, display_title(page), page.text)}


def fitness(kind: str, web) -> set[str]:
    sites = [s for s in web.manifest["sites"] if s["niche"] == "fitness"]
    if kind == "roundups":  # real-layout sites name theirs as real ones are ("Link Dump #32"): not "weekly roundup"
        return {u for s in sites for u in s["roundup_urls"] if not s["layout"]}
    if kind == "resources":
        return {s["resources_url"] for s in sites if s["resources_url"]}
    return {s["write_for_us_url"] for s in sites if s["write_for_us_kind"] == "genuine" and s["language"] == "en"}


# -- the index and its operators -------------------------------------------------

def test_parse_query():
    q = parse_query('fitness "write for us" intitle:"weekly roundup" inurl:Resources -site:x.com -"paid post" -cbd '
                    '+ +nutrition intext:squat a OR b')
    conds = [(c.kind, c.value, c.negated) for clause in q.clauses for c in clause]
    assert conds == [("word", "fitness", False), ("phrase", "write for us", False),
                     ("intitle", "weekly roundup", False), ("inurl", "resources", False), ("site", "x.com", True),
                     ("phrase", "paid post", True), ("word", "cbd", True), ("word", "nutrition", False),
                     ("intext", "squat", False), ("word", "a", False), ("word", "b", False)]
    assert len(q.clauses[-1]) == 2                          # a OR b: one clause, two alternatives
    assert [c.kind for c in parse_query("write-for-us").clauses[0]] == ["phrase"]
    assert parse_query("site:http://www.Example.com/blog/").clauses[0][0].value == "www.example.com/blog"
    assert parse_query("foo:bar").clauses[0][0] == parse_query('"foo bar"').clauses[0][0]   # unknown operator: text
    assert parse_query("  + - ").clauses == []


def test_index_covers_the_web_but_not_robots_disallowed_pages(web, index):
    urls = {d.url for d in index.docs}
    hidden = {e["url"] for s in web.manifest["sites"] for e in s["hidden_emails"]}
    assert hidden and not hidden & urls
    assert len(urls) == len(index.docs) > 4000
    assert all(url in urls for s in web.manifest["sites"] if s["reachable"] for url in [s["home_url"]])


def test_footprint_queries_find_the_planted_fitness_pages(web, index):
    wfu = index.query(WFU)
    assert set(wfu) == brute(web, lambda u, t, x: has_phrase(t + " " + x, "write for us")
                             and "fitness" in words(t + " " + x + " " + u))
    # the genuine English write-for-us pages are found, the German one is not (it says "Gastbeitrag")
    assert fitness("wfu", web) <= set(wfu)
    assert not [u for u in wfu if "kraftpfad" in u]
    assert set(index.query('intitle:"weekly roundup" fitness')) == fitness("roundups", web)
    assert set(index.query("inurl:resources fitness")) == fitness("resources", web)
    titled = index.query('intitle:"write for us" fitness')
    assert titled and set(titled) < set(wfu)
    assert all("write for us" in r.title.lower() for r in index.results('intitle:"write for us" fitness'))


def test_phrase_words_and_case(web, index):
    phrase = set(index.query('"write for us"'))
    loose = set(index.query("write for us"))
    assert phrase < loose                                    # words anywhere match more than the phrase
    assert set(index.query('FITNESS "Write For Us"')) == set(index.query(WFU))
    assert phrase == brute(web, lambda u, t, x: has_phrase(t, "write for us") or has_phrase(x, "write for us"))


def test_site_inurl_and_exclusions(web, index):
    all_fitness = set(index.query("fitness"))
    site = index.query("fitness site:musclecoach.com")
    assert site and {registrable_domain(u) for u in site} == {"musclecoach.com"}
    sub = index.query("site:plank-notes.net")                  # the domain matches its blog. subdomain
    assert sub and all(urlsplit(u).hostname == "blog.plank-notes.net" for u in sub)
    assert index.query("site:blog.plank-notes.net") == sub and not index.query("site:www.plank-notes.net")
    assert set(index.query("site:plank-notes.net/resources")) == {"http://blog.plank-notes.net/resources/"}
    assert set(index.query("fitness -site:musclecoach.com")) == all_fitness - set(site)
    assert set(index.query('fitness -"write for us"')) == all_fitness - set(index.query(WFU))
    assert set(index.query("fitness -roundup")) == all_fitness - set(index.query("fitness roundup"))
    assert set(index.query("fitness inurl:write-for-us")) == {u for u in index.query(WFU) if "write-for-us" in u}
    assert set(index.query("fitness -inurl:blog")) == {u for u in all_fitness if "blog" not in u}
    either = set(index.query('fitness "weekly roundup" OR inurl:resources'))
    assert either == set(index.query('fitness "weekly roundup"')) | set(index.query("fitness inurl:resources"))
    assert index.query("zzzznotaword") == [] and index.query("") == []


def test_ranking_is_deterministic_title_first(index):
    ranked = index.results("fitness roundup")
    in_title = ["roundup" in r.title.lower() for r in ranked]
    assert in_title[0] and in_title == sorted(in_title, reverse=True)   # title hits rank above body-only hits
    assert index.query("fitness roundup") == index.query("fitness roundup")
    ties = index.query('intitle:"weekly roundup" fitness')
    assert ties == sorted(ties)                               # equal scores: by URL


def test_snippets_are_a_window_around_the_first_match(index):
    for r in index.results("squat depth fitness", 0, 20):
        assert 20 < len(r.snippet) <= 170 and r.title and r.url.startswith("http://")
    text = "x " * 200 + "the WRITE for us page " + "y " * 200
    cut = snippet(text, ["write for us"])
    assert "WRITE for us" in cut and cut.startswith("...") and cut.endswith("...") and len(cut) <= 166


def test_ground_truth_helpers(web, index):
    domains = index.domains(WFU)
    assert domains == list(dict.fromkeys(registrable_domain(u) for u in index.query(WFU)))
    reach = index.reachable([WFU, 'intitle:"weekly roundup" fitness', "inurl:resources fitness"])
    assert {registrable_domain(u) for u in fitness("wfu", web) | fitness("roundups", web)} <= reach
    assert index.query(WFU, limit=3) == index.query(WFU)[:3] and index.count(WFU) == len(index.query(WFU))
    assert SearchIndex.for_web(web) is index


# -- SearXNG ----------------------------------------------------------------------

def test_searxng_json_and_pagination(server, index):
    status, headers, body = searxng(server, "fitness")
    doc = json.loads(body)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert set(doc) == SEARXNG_TOP and doc["query"] == "fitness" and doc["unresponsive_engines"] == []
    assert all(set(r) == SEARXNG_RESULT for r in doc["results"]) and len(doc["results"]) == 10
    first = doc["results"][0]
    assert first["parsed_url"][:3] == ["http", urlsplit(first["url"]).netloc, urlsplit(first["url"]).path]
    assert "fitness" in first["content"].lower()
    seen, page = [], 1
    while True:
        results = json.loads(searxng(server, "fitness", pageno=page)[2])["results"]
        if not results:
            break
        seen += [r["url"] for r in results]
        page += 1
    assert seen == index.query("fitness") and page == -(-len(seen) // 10) + 1
    assert [r.page for r in server.search_log if r.engine == "searxng"] == [1, *range(1, page + 1)]


def test_searxng_errors(server):
    assert searxng(server, "fitness", format="html")[0] == 403
    status, _, body = fetch(f"{server.search_endpoint('searxng')}?q=fitness")
    assert status == 403 and b"Forbidden" in body
    status, _, body = searxng(server, "")
    assert status == 400 and json.loads(body) == {"error": "No query"}
    assert searxng(server, "fitness", pageno="zero")[0] == 400
    status, _, body = fetch(server.search_endpoint("searxng"), data={"q": "fitness", "format": "json"})   # POST
    assert status == 200 and json.loads(body)["results"]


# -- Brave ----------------------------------------------------------------------------

def test_brave_wire_format_and_pagination(server, index):
    total = len(index.query(WFU))
    per = -(-total // 3)  # three pages, the last one short or full
    assert 2 <= per <= 20
    status, headers, body = brave(server, WFU, count=per)
    doc = json.loads(body)
    assert status == 200 and all(h in headers for h in BRAVE_RATE_HEADERS)
    assert headers["X-RateLimit-Limit"] == f"{server.search.brave_rate_limit}, {server.search.brave_quota}"
    assert doc["type"] == "search" and doc["query"]["original"] == WFU and doc["query"]["more_results_available"]
    results = doc["web"]["results"]
    assert len(results) == per and all(set(r) == BRAVE_RESULT for r in results)
    assert "<strong>fitness</strong>" in results[0]["description"]
    assert [r["url"] for r in results] == index.query(WFU)[:per]
    second = json.loads(brave(server, WFU, count=per, offset=1)[2])          # offset = page index
    assert [r["url"] for r in second["web"]["results"]] == index.query(WFU)[per:2 * per]
    last = json.loads(brave(server, WFU, count=per, offset=2)[2])
    assert len(last["web"]["results"]) == total - 2 * per and not last["query"]["more_results_available"]
    default = json.loads(brave(server, "fitness")[2])
    assert len(default["web"]["results"]) == 20                              # count defaults to 20
    none = json.loads(brave(server, "zzzznotaword")[2])
    assert "web" not in none and none["query"]["more_results_available"] is False


def test_brave_auth_and_validation_errors(server):
    status, _, body = brave(server, WFU, token=None)
    err = json.loads(body)
    assert status == 422 and err["type"] == "ErrorResponse" and err["error"]["code"] == "VALIDATION"
    assert err["error"]["meta"]["errors"][0]["loc"] == ["header", "x-subscription-token"]
    status, _, body = brave(server, WFU, token="wrong")
    assert status == 422 and json.loads(body)["error"]["code"] == "SUBSCRIPTION_TOKEN_INVALID"
    for params in ({"count": 21}, {"offset": 10}, {"count": 0}, {"offset": "x"}):
        status, _, body = brave(server, WFU, **params)
        assert status == 422 and json.loads(body)["error"]["code"] == "VALIDATION", params
    assert brave(server, "")[0] == 422


def test_brave_rate_limit_and_quota(server):
    service = server.search
    service.brave_quota = 2
    statuses = [brave(server, WFU)[0] for _ in range(3)]
    status, headers, body = brave(server, WFU)
    assert statuses == [200, 200, 429] and status == 429
    assert headers["X-RateLimit-Remaining"].endswith(", 0")
    err = json.loads(body)["error"]
    assert err["code"] == "RATE_LIMITED" and err["meta"]["component"] == "rate_limiter"
    service.reset()
    service.brave_rate_limit = 0                              # per-second limit (Free plan: 1) already spent
    assert brave(server, WFU)[0] == 429
    service.reset()
    assert service.brave_rate_limit > 0 and service.brave_quota == 15000 and not service.log


# -- Google Custom Search ---------------------------------------------------------------------

def test_google_wire_format_and_pagination(server, index):
    status, _, body = google(server, "fitness")
    doc = json.loads(body)
    assert status == 200 and set(doc) == GOOGLE_TOP and doc["kind"] == "customsearch#search"
    assert all(set(i) == GOOGLE_ITEM for i in doc["items"]) and len(doc["items"]) == 10
    assert set(doc["queries"]["request"][0]) == GOOGLE_QUERY and doc["queries"]["request"][0]["startIndex"] == 1
    assert doc["queries"]["nextPage"][0]["startIndex"] == 11 and "previousPage" not in doc["queries"]
    total = index.count("fitness")
    assert doc["searchInformation"]["totalResults"] == str(total)
    links, start = [], 1
    while True:
        page = json.loads(google(server, "fitness", start=start, num=10)[2])
        links += [i["link"] for i in page.get("items", [])]
        if "nextPage" not in page["queries"]:
            break
        start = page["queries"]["nextPage"][0]["startIndex"]
    assert links == index.query("fitness")[:100]
    item = doc["items"][0]
    assert item["displayLink"] == urlsplit(item["link"]).hostname and "<b>" in item["htmlSnippet"]
    two = json.loads(google(server, WFU, start=3, num=2)[2])
    assert [i["link"] for i in two["items"]] == index.query(WFU)[2:4]
    assert two["queries"]["previousPage"][0]["startIndex"] == 1
    empty = json.loads(google(server, "zzzznotaword")[2])
    assert "items" not in empty and empty["searchInformation"]["totalResults"] == "0"
    assert "nextPage" not in empty["queries"]


def test_google_hundred_result_cap_and_params(server, index):
    assert google(server, "fitness", start=91, num=10)[0] == 200
    status, _, body = google(server, "fitness", start=92, num=10)
    err = json.loads(body)["error"]
    assert status == 400 and err["code"] == 400 and err["status"] == "INVALID_ARGUMENT"
    assert err["errors"][0]["reason"] == "badRequest"
    status, _, body = google(server, "fitness", num=11)
    assert status == 400 and json.loads(body)["error"]["errors"][0]["reason"] == "invalid"
    assert google(server, "fitness", start=0)[0] == 400
    only = json.loads(google(server, "fitness", siteSearch="musclecoach.com")[2])
    assert {registrable_domain(i["link"]) for i in only["items"]} == {"musclecoach.com"}
    exact = json.loads(google(server, "fitness", exactTerms="write for us", excludeTerms="guidelines")[2])
    assert [i["link"] for i in exact.get("items", [])] == index.query(f"{WFU} -guidelines")[:10]


def test_google_auth_errors_and_quota(server):
    status, _, body = google(server, WFU, key=None)
    assert status == 403 and json.loads(body)["error"]["status"] == "PERMISSION_DENIED"
    status, _, body = google(server, WFU, key="wrong")
    err = json.loads(body)["error"]
    assert status == 400 and err["details"][0]["reason"] == "API_KEY_INVALID" and "API key not valid" in err["message"]
    status, _, body = google(server, WFU, cx="wrong")
    assert status == 400 and json.loads(body)["error"]["message"] == "Request contains an invalid argument."
    server.search.google_quota = 1
    assert google(server, WFU)[0] == 200
    status, _, body = google(server, WFU)
    err = json.loads(body)["error"]
    assert status == 429 and err["status"] == "RESOURCE_EXHAUSTED" and err["errors"][0]["reason"] == "rateLimitExceeded"


# -- DuckDuckGo HTML -----------------------------------------------------------------------

def test_duckduckgo_html_results_ad_and_next_page(server, index, web):
    status, headers, body = ddg(server, "fitness")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    sel = Selector(text=body.decode())
    blocks = sel.css("div#links > div.result")
    assert "result--ad" in blocks[0].attrib["class"] and "web-result" not in blocks[0].attrib["class"]
    assert len(sel.css("div.result--ad")) == 1
    ad_href = blocks[0].css("a.result__a::attr(href)").get()
    ad_target = parse_qs(urlsplit(ad_href).query)["u3"][0]
    assert urlsplit(ad_target).hostname not in web.sites
    assert ddg_results(body) == index.query("fitness")[:10]
    assert all(sel.css("div.web-result a.result__snippet"))
    assert sel.css("div.web-result a.result__a b::text").getall()        # matches are bold
    form = sel.xpath('//form[.//input[@value="Next"]]')
    assert form.attrib["action"] == "/duckduckgo/html/"
    fields = {i.attrib["name"]: i.attrib.get("value", "") for i in form.css("input[type=hidden]")}
    assert set(fields) == {"q", "s", "nextParams", "v", "o", "dc", "api", "vqd"}
    assert fields["q"] == "fitness" and fields["s"] == "10" and fields["dc"] == "11"
    status, _, page2 = ddg(server, **{**fields, "q": fields["q"]})
    assert status == 200 and ddg_results(page2) == index.query("fitness")[10:20]
    assert not Selector(text=page2.decode()).css("div.result--ad")           # the ad is on page 1 only
    assert Selector(text=page2.decode()).xpath('//form[.//input[@value="< Previous"]]')
    assert [(r.query, r.page) for r in server.search_log] == [("fitness", 1), ("fitness", 2)]


def test_duckduckgo_no_results_and_last_page(server, index):
    body = ddg(server, "zzzznotaword")[2]
    sel = Selector(text=body.decode())
    assert sel.css("div#links > div.web-result div.no-results") and not ddg_results(body)
    assert not sel.xpath('//input[@value="Next"]') and not sel.css("div.result--ad")
    few = 'kettlebell "write for us"'  # fewer than one page of results
    n = index.count(few)
    body = ddg(server, few)[2]
    assert ddg_results(body) == index.query(few) and 1 <= n <= 10
    assert not Selector(text=body.decode()).xpath('//input[@value="Next"]')
    form = ddg(server, "")[2]
    assert b'name="q"' in form and b"div id=\"links\"" not in form


def test_duckduckgo_page_two_without_vqd_is_a_captcha(server):
    status, _, body = ddg(server, "fitness", s="10", dc="11")
    assert status == 202 and Selector(text=body.decode()).css("form#challenge-form")
    status, _, body = ddg(server, "fitness", s="10", dc="11", vqd="4-000")
    assert status == 202 and b"challenge-form" in body
    assert ddg(server, "fitness", s="10", vqd=SearchService.vqd("fitness"))[0] == 200


# -- failure switches --------------------------------------------------------------------------

CALLS = {"searxng": lambda s, q: searxng(s, q), "brave": lambda s, q: brave(s, q),
         "google": lambda s, q: google(s, q), "duckduckgo": lambda s, q: ddg(s, q)}
EXPECT = {
    ("searxng", "429"): 429, ("searxng", "403"): 403, ("searxng", "500"): 500,
    ("brave", "429"): 429, ("brave", "401"): 422, ("brave", "403"): 403, ("brave", "500"): 500,
    ("google", "429"): 429, ("google", "401"): 400, ("google", "403"): 403, ("google", "500"): 500,
    ("duckduckgo", "captcha"): 202, ("duckduckgo", "403"): 403, ("duckduckgo", "429"): 429,
    ("duckduckgo", "500"): 500,
}


def check_failure(engine: str, mode: str, status: int, headers, body: bytes) -> None:
    if (engine, mode) in EXPECT:
        assert status == EXPECT[engine, mode], (engine, mode, status)
        if engine in ("brave", "google"):
            assert "error" in json.loads(body)
        if engine == "brave" and mode == "429":
            assert all(h in headers for h in BRAVE_RATE_HEADERS) and headers["X-RateLimit-Remaining"].startswith("0, ")
        if mode == "captcha":
            assert Selector(text=body.decode()).css("form#challenge-form")
    elif mode == "malformed":
        assert status == 200
        if engine == "duckduckgo":
            assert b"</html>" not in body
        else:
            with pytest.raises(json.JSONDecodeError):
                json.loads(body)
    elif mode == "garbage":
        assert status == 200 and headers["Content-Type"].startswith("text/html") and b"links" not in body
    elif mode in ("empty", "unresponsive"):
        assert status == 200
        if engine == "duckduckgo":
            assert ddg_results(body) == [] and b"No results." in body
        elif engine == "brave":
            assert "web" not in json.loads(body)
        elif engine == "google":
            assert "items" not in json.loads(body)
        else:
            doc = json.loads(body)
            assert doc["results"] == [] and bool(doc["unresponsive_engines"]) == (mode == "unresponsive")
    else:
        raise AssertionError(f"untested mode {engine}/{mode}")


@pytest.mark.parametrize("engine,mode", [(e, m) for e, modes in FAILURE_MODES.items() for m in modes])
def test_every_failure_switch(server, engine, mode):
    server.search_failures[engine] = mode
    assert server.search_failures[engine] == mode
    check_failure(engine, mode, *CALLS[engine](server, "fitness"))
    check_failure(engine, mode, *CALLS[engine](server, "fitness"))       # stays on until removed
    del server.search_failures[engine]
    status, _, body = CALLS[engine](server, "fitness")
    assert status == 200 and (ddg_results(body) if engine == "duckduckgo" else b"fitness" in body)


@pytest.mark.parametrize("engine,mode", [("brave", "429"), ("google", "403"), ("searxng", "unresponsive"),
                                         ("duckduckgo", "captcha"), ("google", "malformed")])
def test_magic_query_words(server, engine, mode):
    check_failure(engine, mode, *CALLS[engine](server, f"fitness __fail{mode}__"))
    assert CALLS[engine](server, "fitness")[0] == 200


def test_failures_for_the_next_n_requests_only(server):
    server.search_failures.set("brave", "429", times=2)
    assert [brave(server, WFU)[0] for _ in range(3)] == [429, 429, 200]
    assert "brave" not in server.search_failures
    with pytest.raises(ValueError):
        server.search_failures["brave"] = "captcha"
    with pytest.raises(KeyError):
        server.search_failures["bing"] = "429"


def test_switches_are_thread_safe(server):
    def flip():
        for _ in range(200):
            server.search_failures["google"] = "429"
            server.search_failures.pop("google")
    threads = [threading.Thread(target=flip) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "google" not in server.search_failures
    server.search_failures.set("google", "500", times=1)
    assert [google(server, WFU)[0] for _ in range(2)] == [500, 200]


# -- routes: through the proxy and direct --------------------------------------------------

def test_proxy_route_answers_like_the_direct_route(server):
    assert server.search_base("brave") == f"http://127.0.0.1:{server.port}/brave"
    assert server.search_base("brave", "proxy") == "http://api.search.brave.test"
    assert server.search_endpoint("google", "proxy") == "http://www.googleapis.test/customsearch/v1"
    server.reset_hits()
    for engine, call in (("searxng", searxng), ("brave", brave), ("google", google)):
        direct, proxied = call(server, WFU), call(server, WFU, via="proxy")
        assert direct[0] == proxied[0] == 200 and direct[2] == proxied[2], engine
    direct, proxied = ddg(server, "fitness"), ddg(server, "fitness", via="proxy")
    assert ddg_results(direct[2]) == ddg_results(proxied[2])
    form = Selector(text=proxied[2].decode()).xpath('//form[.//input[@value="Next"]]')
    assert form.attrib["action"] == "/html/"                 # as on html.duckduckgo.com
    for engine in SEARCH_HOSTS:
        hits = server.search_hits(engine)
        assert len(hits) == 2 and {h.host for h in hits} == {"127.0.0.1", SEARCH_HOSTS[engine]}
    assert [h.method for h in server.search_hits("duckduckgo")] == ["POST", "POST"]
    assert server.search_counts() == dict.fromkeys(SEARCH_HOSTS, 2)
    assert len(server.search_log) == 8


def test_search_hosts_do_not_disturb_the_web(server, web):
    site = web.manifest["sites"][0]
    status, _, body = fetch(site["home_url"], proxy=server.proxy_url)
    assert status == 200 and body == web.resolve(site["host"], "/").body
    assert fetch(f"{server.proxy_url}/manifest.json")[0] == 200
    assert fetch(f"{server.proxy_url}/nothing")[0] == 404
    assert fetch("http://api.search.brave.test/other", proxy=server.proxy_url)[0] == 404
    assert fetch(f"{server.search_base('google')}/other")[0] == 404
    assert server.search_log == []                                 # none of these were searches


def test_command_line_search(capsys, index):
    assert fakeweb_main(["search", "inurl:resources fitness", "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{index.count('inurl:resources fitness')} results for inurl:resources fitness"
    assert len(out) == 4 and out[1].split()[1] == index.query("inurl:resources fitness")[0]


def test_quoted_url_in_query_string(server, index):
    raw = f"{server.search_endpoint('searxng')}?q={quote(WFU)}&format=json&pageno=1"
    assert [r["url"] for r in json.loads(fetch(raw)[2])["results"]] == index.query(WFU)[:10]
