"""The offline fake web keeps its promises: deterministic, truthful manifest, a real proxy.

Checks of ground truth decode each email *independently* of the generator's own
encoder, so a bug in one cannot hide in the other.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from fakeweb import FakeWebServer, Page, build_web
from linkspider.common.domains import registrable_domain

ROOT = Path(__file__).resolve().parents[1]
REQUIRED_PLANTS = {
    "bare_domain_redirect", "trailing_slash_redirect", "redirect_302_link", "spider_trap", "binary_html_link",
    "binary_lying_content_type", "broken_links", "icon_contact_link", "img_alt_contact_link", "get_in_touch_link",
    "robots_private", "home_500", "slow_page", "bait_all", "rejects_guest_posts", "write_for_us_in_passing",
    "link_seller", "email_only_on_deep_post", "charset_windows-1252_in_meta", "charset_iso-8859-1_in_header",
    "language_de", "schemeless_seed", "robots_503", "robots_flaky", "crawl_delay",
}
ALL_ENCODINGS = {"mailto", "text", "footer", "mailto_multi", "at_brackets", "at_parens", "at_words", "at_braces",
                 "entities", "cfemail", "cdn_cgi", "jsonld", "js_dom", "js_obfuscated"}


@pytest.fixture(scope="module")
def web():
    return build_web()


@pytest.fixture(scope="module")
def server(web):
    with FakeWebServer(web) as srv:
        yield srv


def by_tag(web, tag: str) -> dict:
    return next(s for s in web.manifest["sites"] if tag in s["planted"])


def page_at(web, url: str) -> Page:
    parts = urlsplit(url)
    answer = web.resolve(parts.hostname, parts.path + (f"?{parts.query}" if parts.query else ""))
    assert isinstance(answer, Page), url
    return answer


def visible_text(doc: str) -> str:
    return html.unescape(re.sub(r"<(script|style)\b.*?</\1>|<[^>]+>", " ", doc, flags=re.S))


def cf_decode(hexstr: str) -> str:
    key = int(hexstr[:2], 16)
    return "".join(chr(int(hexstr[i:i + 2], 16) ^ key) for i in range(2, len(hexstr), 2))


def jsonld_emails(doc: str) -> set[str]:
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "email" and isinstance(v, str):
                    found.add(v.removeprefix("mailto:"))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', doc, re.S):
        walk(json.loads(block))
    return found


def carries(doc: str, email: str, encoding: str) -> bool:
    """Is ``email`` written in ``doc`` the way ``encoding`` says (decoded here, independently)?"""
    local, dom = email.split("@")
    if encoding == "mailto":
        return f'href="mailto:{email}?' in doc and email not in visible_text(doc)
    if encoding == "text":
        return email in visible_text(doc)
    if encoding == "footer":
        return email in doc[doc.index("<footer"):doc.index("</footer>")] and email not in doc[:doc.index("<footer")]
    if encoding == "mailto_multi":
        return any("," in m and email in m.split(",") for m in re.findall(r'href="mailto:([^"?]+)', doc))
    if encoding == "at_brackets":
        return f"{local} [at] {dom.replace('.', ' [dot] ')}" in doc
    if encoding == "at_parens":
        return f"{local}(at){dom}" in doc
    if encoding == "at_words":
        return f"{local} AT {dom.replace('.', ' DOT ')}" in doc
    if encoding == "at_braces":
        return f"{local}{{at}}{dom}" in doc
    if encoding == "entities":
        return email not in doc and email in html.unescape(doc) and ("&#64;" in doc or "&#x40;" in doc)
    if encoding == "cfemail":
        return email in {cf_decode(h) for h in re.findall(r'data-cfemail="([0-9a-f]+)"', doc)}
    if encoding == "cdn_cgi":
        return email in {cf_decode(h) for h in re.findall(r'/cdn-cgi/l/email-protection#([0-9a-f]+)', doc)}
    if encoding == "jsonld":
        return email in jsonld_emails(doc) and email not in visible_text(doc)
    if encoding == "js_dom":       # var parts = ["local", "domain"]; parts.join("@") written into #contact-root
        found = re.search(r'var parts = \["([^"]+)", "([^"]+)"\];', doc)
        return bool(found) and f"{found[1]}@{found[2]}" == email and email not in doc and 'id="contact-root"' in doc
    if encoding == "js_obfuscated":  # reversed domain + char codes of the local part, into span.email
        dom = re.search(r'var d = "([^"]+)"\.split\(""\)\.reverse\(\)', doc)
        codes = re.search(r"var u = String\.fromCharCode\(([\d,]+)\)", doc)
        return (bool(dom and codes) and email not in doc and 'class="email"' in doc
                and "".join(chr(int(c)) for c in codes[1].split(",")) + "@" + dom[1][::-1] == email)
    raise AssertionError(f"unknown encoding {encoding}")


def all_pages(web, domain: str):
    site = next(s for s in web.sites.values() if s.domain == domain)
    return [(site.base_url + path, page) for path, page in site.pages.items()]


# -- generation --------------------------------------------------------------

def test_generation_is_deterministic(web):
    again = build_web()
    assert again.manifest == web.manifest
    digest = lambda w: hashlib.sha256(b"".join(u.encode() + p.body for u, p in w.pages())).hexdigest()  # noqa: E731
    assert digest(again) == digest(web)
    assert all(again.seed_list(n) == web.seed_list(n) for n in web.manifest["niches"])
    assert build_web(seed=2).manifest != web.manifest


def test_web_has_hundreds_of_sites_under_real_suffixes(web):
    sites = web.manifest["sites"]
    assert 200 <= len(sites) <= 300
    counts = {n: sum(s["niche"] == n and not s["extra_site"] for s in sites) for n in (*web.manifest["niches"], "generic")}
    assert counts["fitness"] == 45 and min(counts.values()) >= 30
    assert len({s["domain"] for s in sites}) == len(sites)
    for host, site in web.sites.items():
        assert registrable_domain(host) == site.domain, host
    for platform in ("facebook.com", "twitter.com", "wikipedia.org", "amazon.com", "bit.ly"):
        assert platform in web.manifest["platforms"]
    assert json.loads(json.dumps(web.manifest)) == web.manifest


def test_pages_are_realistic_html(web):
    pages = list(web.pages())
    assert len(pages) > 2000
    sizes = sorted(len(p.body) for _, p in pages if "/cdn-cgi/" not in _)
    assert sizes[len(sizes) // 2] >= 5000 and sizes[-1] <= 45000
    assert all(p.status == 200 and p.title for _, p in pages)


def test_every_planted_case_is_present(web):
    planted = {tag for s in web.manifest["sites"] for tag in s["planted"]}
    assert REQUIRED_PLANTS <= planted
    encodings = {e["encoding"] for s in web.manifest["sites"] for e in s["emails"]}
    assert encodings == ALL_ENCODINGS
    languages = {s["language"] for s in web.manifest["sites"]}
    assert {"en", "de", "es", "fr"} <= languages


# -- the manifest agrees with the pages ----------------------------------------

def test_each_email_is_on_its_page_in_its_encoding(web):
    for site in web.manifest["sites"]:
        for entry in site["emails"]:
            page = page_at(web, entry["url"])
            doc = page.body.decode("utf-8", "replace")
            assert page.status == 200 and carries(doc, entry["email"], entry["encoding"]), entry


def test_no_email_on_any_page_is_missing_from_the_manifest(web):
    """Precision tests rely on it: anything email-shaped is a listed, hidden or bait address."""
    shaped = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    for site in web.manifest["sites"]:
        known = {e["email"] for e in site["emails"] + site["hidden_emails"]}
        for url, page in all_pages(web, site["domain"]):
            doc = page.body.decode("latin-1")
            for found in shaped.findall(html.unescape(doc) if "&#" in doc else doc):
                assert found in known or any(found in bait for bait in site["bait"]), (url, found)


def test_unwalkable_email_is_only_on_a_deep_post(web):
    site = by_tag(web, "email_only_on_deep_post")
    [entry] = site["emails"]
    assert entry["walkable"] is False and "/blog/" in entry["url"]
    holders = [u for u, p in all_pages(web, site["domain"]) if entry["email"].encode() in p.body]
    assert holders == [entry["url"]]
    archive = [u for u, p in all_pages(web, site["domain"])
               if u != entry["url"] and f'href="{urlsplit(entry["url"]).path}"'.encode() in p.body]
    assert archive and all("/blog/page/" in u for u in archive)   # linked only from a late archive page


def test_hidden_emails_only_on_robots_disallowed_pages(web):
    site = by_tag(web, "robots_private")
    assert site["hidden_emails"] and site["disallowed_urls"]
    robots = RobotFileParser()
    robots.parse(web.resolve(site["host"], "/robots.txt").body.decode().splitlines())
    for hidden in site["hidden_emails"]:
        holders = [u for u, p in web.pages() if hidden["email"].encode() in p.body]
        assert holders == [hidden["url"]]
        assert not robots.can_fetch("linkspider", hidden["url"])
        assert any(urlsplit(hidden["url"]).path.startswith(prefix) for prefix in site["robots_disallow"])
    home = page_at(web, site["home_url"]).body.decode()
    assert 'href="/private/team-contact/"' in home
    assert robots.can_fetch("linkspider", site["contact_page"])


def test_bait_strings_are_on_their_sites(web):
    site = by_tag(web, "bait_all")
    assert len(site["bait"]) == 5
    for bait in site["bait"]:
        assert any(bait.encode() in p.body for _, p in all_pages(web, site["domain"])), bait


def test_contact_links_styles(web):
    icon = page_at(web, by_tag(web, "icon_contact_link")["home_url"]).body.decode()
    assert re.search(r'<a [^>]*href="/reach-us/" aria-label="Contact"><svg', icon)
    assert ">Contact<" not in icon.replace("<title>", "")
    img = page_at(web, by_tag(web, "img_alt_contact_link")["home_url"]).body.decode()
    assert 'alt="contact"' in img
    hello = by_tag(web, "get_in_touch_link")
    doc = page_at(web, hello["home_url"]).body.decode()
    assert '<a href="/say-hello/">Get in touch</a>' in doc and hello["contact_page"].endswith("/say-hello/")
    forms = [s for s in web.manifest["sites"] if s["contact_form_url"]]
    bodies = [page_at(web, s["contact_form_url"]).body for s in forms]
    assert any(b"wpcf7-form" in b for b in bodies) and any(b"wpforms-form" in b for b in bodies)
    assert any(s["contact_page"] and not s["contact_form_url"] for s in web.manifest["sites"])


def test_guest_post_ground_truth(web):
    sites = web.manifest["sites"]
    genuine = [s for s in sites if s["write_for_us_kind"] == "genuine"]
    assert len(genuine) >= 20
    for s in genuine:
        assert page_at(web, s["write_for_us_url"]).status == 200
    seller = page_at(web, by_tag(web, "link_seller")["write_for_us_url"]).body.decode()
    assert "Sponsored post: $150" in seller and "CBD" in seller
    rejects = by_tag(web, "rejects_guest_posts")
    assert rejects["write_for_us_url"] is None
    assert b"do not accept guest posts" in page_at(web, rejects["rejects_guest_posts_url"]).body
    passing = by_tag(web, "write_for_us_in_passing")
    assert passing["write_for_us_url"] is None and b"write for us" in page_at(
        web, passing["mentions_write_for_us_in_passing"]).body
    german = by_tag(web, "language_de")
    assert b"Gastbeitrag" in page_at(web, german["write_for_us_url"]).body
    foreign = {s["language"]: s["write_for_us_url"] for s in sites if s["language"] != "en"}
    assert "escribe-para-nosotros" in foreign["es"] and "devenir-contributeur" in foreign["fr"]


def test_roundups_curate_other_sites_in_the_niche(web):
    roundups = [(s, u) for s in web.manifest["sites"] for u in s["roundup_urls"]]
    assert len(roundups) >= 15
    niche_of = {s["domain"]: s["niche"] for s in web.manifest["sites"]}
    for site, url in roundups:
        links = re.findall(r'<li><a href="(http://[^"]+/blog/[^"]+)"', page_at(web, url).body.decode())
        assert 10 <= len(links) <= 30
        assert {niche_of[registrable_domain(link)] for link in links} == {site["niche"]}
    unseeded = [s for s in web.manifest["sites"] if s["niche"] == "fitness" and not s["in_seed_list"]]
    assert unseeded and all(s["linked_from"] for s in unseeded)


def test_every_link_resolves_or_is_a_known_error(web):
    """Internal links never dangle by accident; external http links point at sites of this web."""
    expected = {url for s in web.manifest["sites"] for url in s["error_urls"]}
    down = {s["domain"] for s in web.manifest["sites"] if not s["reachable"]}
    for site_entry in web.manifest["sites"]:
        if not site_entry["reachable"]:
            continue
        for url, page in all_pages(web, site_entry["domain"]):
            if not page.content_type.startswith("text/html") or b"\x00" in page.body:
                continue
            for href in re.findall(r'href="([^"#]+)', page.body.decode("utf-8", "replace")):
                target = urljoin(url, html.unescape(href))
                if not target.startswith("http://") or "/wp-content/" in target:
                    continue
                host = urlsplit(target).hostname
                assert host in web.sites, (url, target)
                answer = web.resolve(host, target.split(host, 1)[1] or "/")
                if isinstance(answer, Page) and answer.status >= 400 and registrable_domain(host) not in down:
                    assert target in expected, (url, target, answer.status)


def test_trap_links_go_on_forever(web):
    site = by_tag(web, "spider_trap")
    url, seen = site["trap_url"], set()
    assert 'href="/events/calendar/?month=2026-11"' in page_at(web, site["home_url"]).body.decode()
    for _ in range(40):
        doc = page_at(web, url).body.decode()
        seen.add(url)
        assert re.search(r'href="/events/\d{4}/\d{2}/\d{2}/"', doc)
        nxt = re.search(r'href="(/events/calendar/\?month=[^"]+)">Next', doc)[1]
        url = urljoin(url, nxt)
    assert len(seen) == 40 and url not in seen
    day = re.search(r'href="(/events/\d{4}/\d{2}/\d{2}/)"', doc)[1]
    assert page_at(web, urljoin(url, day)).status == 200


def test_charsets(web):
    meta = by_tag(web, "charset_windows-1252_in_meta")
    page = page_at(web, meta["contact_page"])
    assert page.content_type == "text/html" and b'<meta charset="windows-1252">' in page.body
    with pytest.raises(UnicodeDecodeError):
        page.body.decode("utf-8")
    assert "café" in page.body.decode("cp1252") and meta["emails"][0]["email"].encode() in page.body
    header = by_tag(web, "charset_iso-8859-1_in_header")
    page = page_at(web, header["contact_page"])
    assert page.content_type == "text/html; charset=iso-8859-1" and b"<meta charset" not in page.body
    assert "Grüße" in page.body.decode("iso-8859-1")


def test_seed_lists(web):
    man = web.manifest
    for niche in man["niches"]:
        lines = web.seed_list(niche).splitlines()
        marks = man["seed_lines"][niche]
        assert marks["malformed"] and marks["blocklisted"] and marks["unknown_host"]
        for n in marks["malformed"]:
            parts = urlsplit(lines[n - 1].strip())
            assert parts.scheme != "http" or not parts.hostname
        for n in marks["blocklisted"]:
            assert registrable_domain(lines[n - 1]) in man["platforms"]
        for n in marks["unknown_host"]:
            assert urlsplit(lines[n - 1]).hostname not in web.sites
        odd = {n for ns in marks.values() for n in ns} - set(marks["unreachable"]) - set(marks["duplicate"])
        crawlable = [ln.strip() for i, ln in enumerate(lines, 1) if ln.strip() and not ln.startswith("#") and i not in odd]
        # Explicit http:// everywhere but the planted bare domain written with no scheme.
        assert all(urlsplit(ln if ln.startswith("http://") else "http://" + ln).hostname in web.sites
                   for ln in crawlable)
        assert [ln for ln in crawlable if not ln.startswith("http://")] == (
            [by_tag(web, "schemeless_seed")["domain"]] if niche == "fitness" else [])
        listed = {s["entry_url"] for s in man["sites"] if niche in s["seed_lists"]}
        assert listed <= set(crawlable)
    fitness = [s for s in man["sites"] if s["niche"] == "fitness"]
    assert sum(s["in_seed_list"] for s in fitness if not s["extra_site"]) == 33
    assert man["seed_lines"]["fitness"]["unreachable"] and man["seed_lines"]["fitness"]["duplicate"]
    bare = by_tag(web, "bare_domain_seed")
    assert bare["entry_url"] == f"http://{bare['domain']}/" != bare["home_url"]


# -- the server ------------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(server, url: str, follow: bool = True, ua: str = "linkspider-test/1.0"):
    handlers = [urllib.request.ProxyHandler({"http": server.proxy_url})] + ([] if follow else [NoRedirect()])
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": ua})
    try:
        with opener.open(request, timeout=5) as resp:
            return resp.status, resp.headers, resp.read(), resp.url
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read(), url


def test_serves_sites_by_host_through_the_proxy(web, server):
    site = web.manifest["sites"][5]
    server.reset_hits()
    status, headers, body, _ = fetch(server, site["home_url"])
    assert status == 200 and body == page_at(web, site["home_url"]).body
    assert headers["Content-Type"].startswith("text/html")
    [hit] = server.hits_for(site["domain"])
    assert hit.method == "GET" and hit.host == site["host"] and hit.path == "/" and hit.status == 200
    assert hit.user_agent == "linkspider-test/1.0"
    assert server.hits_for(site["host"]) == [hit]
    server.reset_hits()
    assert server.hits == []


def test_origin_form_request_with_host_header(web, server):
    site = web.manifest["sites"][1]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/about/", headers={"Host": site["host"]})
    resp = conn.getresponse()
    assert resp.status == 200 and b"<h1>About" in resp.read()
    conn.close()


def test_unknown_host_is_a_502(server, web):
    url = web.manifest["unknown_hosts"]["fitness"][0]
    status, _, body, _ = fetch(server, url)
    assert status == 502 and b"cannot resolve" in body


def test_connect_is_refused_at_once(server):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=3) as sock:
        sock.sendall(b"CONNECT www.google.com:443 HTTP/1.1\r\nHost: www.google.com:443\r\n\r\n")
        reply = sock.recv(1024)
    assert reply.startswith(b"HTTP/1.1 502") and time.monotonic() - started < 2


def test_robots_txt(web, server):
    private = by_tag(web, "robots_private")
    status, headers, body, _ = fetch(server, f"http://{private['host']}/robots.txt")
    assert status == 200 and b"Disallow: /private/" in body and headers["Content-Type"].startswith("text/plain")
    without = next(s for s in web.manifest["sites"] if web.sites[s["host"]].robots is None and s["reachable"])
    assert fetch(server, f"http://{without['host']}/robots.txt")[0] == 404


def test_redirects(web, server):
    bare = by_tag(web, "bare_domain_redirect")
    status, headers, _, _ = fetch(server, f"http://{bare['domain']}/contact/", follow=False)
    assert status == 301 and headers["Location"] == f"http://{bare['host']}/contact/"
    status, _, _, final = fetch(server, bare["entry_url"])
    assert status == 200 and final == bare["home_url"]
    slash = by_tag(web, "trailing_slash_redirect")
    status, headers, _, _ = fetch(server, f"http://{slash['host']}/contact", follow=False)
    assert status == 301 and headers["Location"] == slash["contact_page"]
    moved = by_tag(web, "redirect_302_link")
    status, headers, _, _ = fetch(server, f"http://{moved['host']}/get-in-touch", follow=False)
    assert status == 302 and headers["Location"] == moved["contact_page"]


def test_errors_binaries_and_unreachable_site(web, server):
    broken = by_tag(web, "broken_links")
    assert sorted(fetch(server, u)[0] for u in broken["error_urls"]) == [404, 500]
    down = by_tag(web, "home_500")
    assert down["reachable"] is False and fetch(server, down["entry_url"])[0] == 500
    binary = by_tag(web, "binary_html_link")
    types = [fetch(server, u)[1]["Content-Type"] for u in binary["binary_urls"]]
    assert types == ["application/octet-stream", "text/html"]
    assert all(b"\x00" in fetch(server, u)[2] for u in binary["binary_urls"])
    slow = by_tag(web, "slow_page")
    assert page_at(web, slow["slow_urls"][0]).delay >= 1.0      # not fetched here: no sleeping in tests


def test_platforms_answer_with_a_trivial_page(server):
    status, _, body, _ = fetch(server, "http://www.facebook.com/sharer/sharer.php?u=x")
    assert status == 200 and b"Log in" in body
    assert fetch(server, "http://bit.ly/abc")[0] == 200


def test_manifest_endpoint(web, server):
    with urllib.request.urlopen(f"{server.proxy_url}/manifest.json", timeout=5) as resp:
        assert json.loads(resp.read()) == web.manifest


def test_command_line_serve_writes_port_manifest_and_seeds(tmp_path):
    port_file = tmp_path / "port"
    proc = subprocess.Popen([sys.executable, "-m", "fakeweb", "serve", "--port-file", str(port_file),
                             "--manifest-out", str(tmp_path / "m.json"), "--seeds-dir", str(tmp_path / "seeds")],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 20
        while not port_file.exists():  # wait for readiness, not for a fixed time
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read().decode()
            time.sleep(0.05)
        port = int(port_file.read_text())
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        manifest = json.loads((tmp_path / "m.json").read_text())
        conn.request("GET", manifest["sites"][0]["home_url"])
        assert conn.getresponse().status == 200
        conn.close()
        assert sorted(p.name for p in (tmp_path / "seeds").iterdir()) == sorted(f"{n}.txt" for n in manifest["niches"])
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


# -- issues 5 and 6: relevance, competitors, JavaScript pages ---------------------

SITE_CLASSES = {"niche", "off_niche", "link_farm", "dormant", "link_seller", "unreachable"}
COMPETITORS = {"nerdfitness.com", "bodybuilding.com"}


def fitness_seed_domains(web) -> set[str]:
    return {s["domain"] for s in web.manifest["sites"] if "fitness" in s["seed_lists"]}


def newest_post_day(web, site) -> str:
    days = set()
    for url, page in all_pages(web, site["domain"]):
        if "/blog/" in url and page.status == 200:
            days |= set(re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})"', page.body.decode("utf-8", "replace")))
    return max(days)


def test_appended_seed_lines_keep_the_original_line_numbers(web):
    man = web.manifest
    lines = web.seed_list("fitness").splitlines()
    appended = man["appended_seed_lines"]["fitness"]
    original = [n for ns in man["seed_lines"]["fitness"].values() for n in ns]
    assert appended and min(appended) > max(original)
    extra_entries = {s["entry_url"] for s in man["sites"] if s["extra_site"] and s["in_seed_list"]}
    assert {lines[n - 1] for n in appended} == extra_entries
    assert all(not man["seed_lines"][n].get("appended") for n in man["niches"])


def test_site_class_and_want_first_ground_truth(web):
    sites = web.manifest["sites"]
    assert {s["site_class"] for s in sites} == SITE_CLASSES
    assert all(isinstance(s["want_first"], bool) for s in sites)
    fitness = [s for s in sites if s["niche"] == "fitness"]
    wanted = [s for s in fitness if s["want_first"]]
    seeds = fitness_seed_domains(web)
    in_seed = [s for s in wanted if s["domain"] in seeds]
    one_click = [s for s in wanted if s["domain"] not in seeds and
                 any(registrable_domain(u) in seeds for u in s["linked_from"])]
    assert len(wanted) >= 25 and len(in_seed) >= 12 and len(in_seed) + len(one_click) == len(wanted)
    for s in wanted:
        assert s["site_class"] == "niche" and s["reachable"] and (s["emails"] or s["contact_form_url"])
        assert s["write_for_us_kind"] == "genuine" or s["roundup_urls"] or s["resources_url"]
        assert (date.fromisoformat("2026-11-20") - date.fromisoformat(s["last_post"])).days <= 60
        assert not s["rejects_guest_posts_url"]
    for s in sites:
        if s["site_class"] != "niche" or s["rejects_guest_posts_url"]:
            assert not s["want_first"], s["domain"]
    assert any(not s["want_first"] for s in fitness if s["site_class"] == "niche")


def test_dormant_blogs_show_old_dates_everywhere(web):
    dormant = [s for s in web.manifest["sites"] if s["site_class"] == "dormant" and s["extra_site"]]
    assert len(dormant) >= 3 and any(s["in_seed_list"] for s in dormant)
    for s in dormant:
        assert s["write_for_us_kind"] == "genuine" and s["emails"] and not s["active"] and not s["want_first"]
        age = (date(2026, 11, 20) - date.fromisoformat(s["last_post"])).days
        assert 2 * 365 <= age <= 4 * 365, s["domain"]
        assert newest_post_day(web, s) == s["last_post"]
        newest = page_at(web, s["home_url"]).body.decode()
        post = re.search(r'<h2><a href="(/blog/[^"]+)"', newest)[1]
        doc = page_at(web, urljoin(s["home_url"], post)).body.decode()
        day = date.fromisoformat(s["last_post"])
        assert f'property="article:published_time" content="{s["last_post"]}' in doc
        assert f'<time datetime="{s["last_post"]}">' in doc and f"{day.strftime('%B')} {day.day}, {day.year}" in visible_text(doc)


def test_off_niche_sites_share_only_a_few_fitness_words(web):
    off = [s for s in web.manifest["sites"] if s["site_class"] == "off_niche" and s["extra_site"]]
    seeds = fitness_seed_domains(web)
    assert len(off) >= 3 and any(s["domain"] in seeds for s in off)
    linking = {s["domain"] for s in web.manifest["sites"] if s["domain"] in seeds for d in s["linked_extras"]
               if d in {o["domain"] for o in off}}
    assert linking                                                 # linked from fitness seed sites' pages too
    for s in off:
        assert s["niche"] == "generic" and not s["want_first"]
        mains = [visible_text(p.body.decode().split("<main", 1)[-1].split("</main>")[0])
                 for _, p in all_pages(web, s["domain"]) if p.status == 200]
        hits = [len(re.findall(r"\b(fitness|workouts?|gym|athleisure)\b", m, re.I)) for m in mains]
        assert 1 <= sum(bool(h) for h in hits) <= 3 and max(hits) <= 6, (s["domain"], hits)
        assert s["domain"] in seeds or any(s["domain"] in h["linked_extras"] for h in web.manifest["sites"])
    cooking = next(s for s in off if "weeknight" in s["domain"])
    assert '">Fitness</a>' in page_at(web, cooking["home_url"]).body.decode()


def test_link_farms_sell_posts_and_link_everywhere(web):
    farms = [s for s in web.manifest["sites"] if s["site_class"] == "link_farm"]
    seeds = fitness_seed_domains(web)
    assert len(farms) >= 3 and any(s["domain"] in seeds for s in farms)
    assert any("fitness" in page_at(web, s["home_url"]).title.lower() for s in farms)
    assert any(s["domain"] in h["linked_extras"] for s in farms for h in web.manifest["sites"]
               if h["domain"] in seeds)                           # a comment link on a fitness seed site
    for s in farms:
        assert not s["want_first"] and s["write_for_us_kind"] == "link_seller" and s["niche"] == "generic"
        wfu = visible_text(page_at(web, s["write_for_us_url"]).body.decode())
        assert "$80" in wfu and "dofollow" in wfu and "Casino / CBD / payday loans / crypto" in wfu
        for url, page in all_pages(web, s["domain"]):
            if page.status != 200 or not page.content_type.startswith("text/html") or "/privacy-policy/" in url:
                continue
            doc = page.body.decode()
            outbound = {registrable_domain(h) for h in re.findall(r'href="(https?://[^"]+)"', doc)} - {s["domain"]}
            assert len(outbound - set(web.manifest["platforms"])) >= 40, url
            if "/blog/" in url:
                assert len(visible_text(doc[doc.index("<article"):doc.index("</article>")]).split()) < 250


def test_competitor_backlinks_match_the_pages(web, server):
    man = web.manifest
    rows = man["competitor_backlinks"]
    assert len(rows) >= 15 and {r["competitor"] for r in rows} == COMPETITORS
    assert {"present", "nofollow", "sponsored", "ugc", "gone"} <= {r["status"] for r in rows}
    assert not any(c in web.sites or f"www.{c}" in web.sites for c in COMPETITORS)   # never served
    live: dict[str, set[str]] = {}
    for r in rows:
        assert registrable_domain(r["target_url"]) == r["competitor"] and r["target_url"].startswith("https://")
        assert registrable_domain(r["referring_url"]) == r["referring_domain"]
        answer = web.resolve(urlsplit(r["referring_url"]).hostname, urlsplit(r["referring_url"]).path)
        assert isinstance(answer, Page) and answer.status == r["page_status"]
        doc = answer.body.decode()
        hrefs = {html.unescape(h): attrs for attrs, h in
                 re.findall(r'<a ((?:[^>]*?)href="([^"]+)"[^>]*)>', doc)}
        if r["via_redirect"]:
            path = urlsplit(r["via_redirect"])
            assert fetch(server, r["via_redirect"], follow=False)[:2][0] == 302
            assert web.resolve(path.hostname, f"{path.path}?{path.query}").location == r["target_url"]
            assert f"{path.path}?{path.query}" in hrefs
        elif r["status"] == "gone":
            assert r["target_url"] not in hrefs
        else:
            assert r["target_url"] in hrefs, r
            rel = re.search(r'rel="([^"]+)"', hrefs[r["target_url"]])
            assert (rel[1] if rel else "") == r["rel"]
            expect = {"present": "", "nofollow": "nofollow", "sponsored": "sponsored", "ugc": "ugc"}[r["status"]]
            assert expect in (rel[1] if rel else "")
        if r["status"] != "gone":
            live.setdefault(r["referring_domain"], set()).add(r["competitor"])
    assert sum(r["page_status"] == 404 for r in rows) == 1
    assert sum(bool(r["via_redirect"]) for r in rows) == 1
    both = sorted(d for d, c in live.items() if c == COMPETITORS)
    assert both == man["intersect_domains"] and len(both) >= 4
    niches = {s["domain"]: s["niche"] for s in man["sites"]}
    assert {niches[r["referring_domain"]] for r in rows} == {"fitness", "generic"}
    seeds = fitness_seed_domains(web)
    assert sum(r["referring_domain"] in seeds for r in rows) >= 8


def test_javascript_only_contact_details(web, server):
    js = [s for s in web.manifest["sites"] if s["js_only"]]
    tags = {t for s in js for t in s["planted"]}
    assert {"js_contact", "js_email", "spa_home", "js_not_worth"} <= tags
    seeds = fitness_seed_domains(web)
    assert all(s["domain"] in seeds and s["niche"] == "fitness" for s in js)
    for s in js:
        j = s["js_only"]
        assert j["emails"]
        status, headers, body, _ = fetch(server, j["contact_url"])
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        for u in j["not_worth_rendering_urls"]:
            doc = page_at(web, u).body.decode()
            assert "<script>" in doc and len(visible_text(doc[doc.index("<body"):]).split()) < 120 or \
                'id="post-body" class="entry-content"></div>' in doc
            assert not any(e in doc for e in j["emails"])
    contact = next(s for s in js if "js_contact" in s["planted"])
    doc = page_at(web, contact["js_only"]["contact_url"]).body.decode()
    assert '<div id="contact-root"></div>' in doc and "document.getElementById" in doc
    assert contact["js_only"]["contact_form"] and not re.search(r"<form(?! class=\"newsletter)", doc.split("<script>\n(function")[0])
    assert not any(e in doc for e in contact["js_only"]["emails"])
    email = next(s for s in js if "js_email" in s["planted"])
    doc = page_at(web, email["js_only"]["contact_url"]).body.decode()
    assert '<span class="email"></span>' in doc and ".reverse()" in doc and "fromCharCode" in doc
    assert not email["js_only"]["contact_form"] and "contact-form" not in doc and "wpcf7" not in doc
    spa = next(s for s in js if "spa_home" in s["planted"])
    home = page_at(web, spa["home_url"]).body.decode()
    assert '<div id="app"></div>' in home and "<noscript>Please enable JavaScript" in home
    assert not re.findall(r'<a [^>]*href=', home)                 # no static links at all
    for path in ("/about/", "/contact/", "/write-for-us/"):
        assert f'"{path}"' in home and page_at(web, urljoin(spa["home_url"], path)).status == 200
    assert spa["js_only"]["spa_home"] and spa["js_only"]["contact_url"] == spa["contact_page"]
    assert all(not e["walkable"] for e in spa["emails"])
    assert all(e["needs_js"] and not e["walkable"] for s in js if not s["js_only"]["spa_home"] for e in s["emails"])
    assert sum(s["want_first"] for s in js) == len(js)
