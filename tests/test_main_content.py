"""Main-content detection on real layouts: what a page is about survives, its chrome does not.

Each case is a real theme's structure (WordPress, Genesis, Neve, Elementor, a
hand-made static page) reduced to the elements that decide it. Before issue 12,
a body class such as ``has-sidebar`` or a wrapper named ``masthead`` made the
whole page "boilerplate": ``words`` was 0 and no body cue could be seen.
"""

from __future__ import annotations

import pytest

from linkspider.extract import extract_page
from linkspider.extract.html import parse

ARTICLE = ("<h1>Write for Us</h1><p>We accept guest posts on trail running. Guidelines: 1,200 words, original, "
           "one link to your site. Send us your pitch and our editors will reply within a week.</p>")
SIDEBAR = "<h3>Popular</h3><p>Sidebar text about shoes that is not the article.</p>"
FOOTER = "<p>Footer: Write for us · Advertise · Privacy · Impressum</p>"


def page(body: str, body_attrs: str = "") -> str:
    return f"<html><head><title>Write for Us | Trail Blog</title></head><body {body_attrs}>{body}</body></html>"


@pytest.mark.parametrize("html", [
    # WordPress/Genesis body classes that name states, not regions
    page(f"<div class='site-inner'><article>{ARTICLE}</article></div><aside class='sidebar'>{SIDEBAR}</aside>"
         f"<footer>{FOOTER}</footer>",
         "class='page has-sidebar genesis-footer-widgets-visible no-widgets hide-blog-sidebar'"),
    # a layout wrapper with "sidebar" in its class around the content and the sidebar (Gridlove, Genesis)
    page(f"<div class='site-content gridlove-sidebar-right content-sidebar-wrap'><article>{ARTICLE}</article>"
         f"<aside class='widget-area'>{SIDEBAR}</aside></div><footer>{FOOTER}</footer>"),
    # a theme's whole-page wrapper named like a header
    page(f"<div id='masthead'><div class='entry'>{ARTICLE}</div><div class='widget'>{SIDEBAR}</div></div>"),
    # a <header> holding the page (Bootstrap's "row" layout)
    page(f"<header class='row'><nav><a href='/'>Home</a></nav><article>{ARTICLE}</article></header>"),
    # Elementor builds the content of widgets
    page(f"<div class='elementor-element elementor-widget elementor-widget-text-editor'>{ARTICLE}</div>"
         f"<div class='widget widget_text'>{SIDEBAR}</div>"),
    # a static page whose content is a hero <header> with the h1
    page(f"<nav><a href='/'>Home</a></nav><header class='phero'>{ARTICLE}</header><footer>{FOOTER}</footer>"),
    # the page's section named after its title ("...-newsletter-...")
    page(f"<section id='python-newsletter-february-22-2023'>{ARTICLE}</section>"),
    # an ASP.NET form around the whole page
    page(f"<form id='aspnetForm' action='/default.aspx'><div>{ARTICLE}</div></form>"),
])
def test_main_content_found_on_real_layouts(html: str) -> None:
    p = parse(html, "https://trail-blog.com/write-for-us/")
    assert "our editors will reply" in p.main_text
    assert "Sidebar text" not in p.main_text
    assert "Footer:" not in p.main_text
    facts = extract_page(html, "https://trail-blog.com/write-for-us/")
    assert facts["words"] > 10
    assert facts["is_write_for_us"] is True


def test_chrome_is_still_left_out() -> None:
    html = page(f"<header class='site-header'><h1>Trail Blog</h1><nav><a href='/'>Home</a></nav></header>"
                f"<main><article>{ARTICLE}</article></main>"
                f"<div id='comments' class='comments-area'><p>Great post! Write for us too?</p></div>"
                f"<div class='sharedaddy sd-sharing-enabled'><a href='https://x.com/share'>Share</a></div>"
                f"<div class='jp-relatedposts'><p>Related: ten shoes</p></div>"
                f"<div class='ad-slot ad-leaderboard'><p>Buy shoes</p></div>"
                f"<aside>{SIDEBAR}</aside><footer class='site-footer'>{FOOTER}</footer>")
    text = parse(html, "https://trail-blog.com/").main_text
    assert "our editors will reply" in text
    for chrome in ("Great post", "Share", "Related: ten shoes", "Buy shoes", "Sidebar text", "Footer:"):
        assert chrome not in text


def test_boilerplate_regions_agree_with_main_text() -> None:
    html = page(f"<article>{ARTICLE}</article><footer><a href='https://x.com/trailblog'>X</a></footer>",
                "class='has-sidebar'")
    p = parse(html, "https://trail-blog.com/")
    footer_link = next(link for link in p.links if "x.com" in link.url)
    article_h1 = p.root.find(".//h1")
    assert p.is_boilerplate(footer_link.element) is True
    assert p.is_boilerplate(article_h1) is False
    assert "data-linkspider" not in str(p.root.find(".//footer").attrib)  # the tree is left as parsed


def test_double_escaped_title_is_read_as_shown() -> None:
    p = parse("<title>Links &amp;raquo; MMA Blogs</title><p>x</p>", "https://site.com/links/")
    assert p.title == "Links » MMA Blogs"
