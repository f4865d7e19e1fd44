"""Real themes' page structure for the fake web's real-layout sites (issue 12).

The fake web's own theme (``render.layout``) was written together with the
extractors. Real sites are built by themes that were not: a WordPress theme on
the Genesis framework, Ghost's default theme Casper, a hand-made static site
(Hugo, Eleventy). Each template below keeps the element structure, class
names and ids of such a theme, reduced to what decides where a page's main
content is, and fills it with the made-up site's text:

* ``wordpress`` (Genesis): ``<body class="... content-sidebar has-sidebar
  genesis-footer-widgets-visible">``, content and sidebar inside
  ``div.content-sidebar-wrap``, sidebar widgets, footer widgets;
* ``ghost`` (Casper): ``<body class="post-template tag-newsletter">`` (Ghost
  names a post's tags on ``<body>``), ``header.gh-head``,
  ``main#site-main > article > section.gh-content``, the members' subscribe
  call and the "read more" cards;
* ``static``: a theme wrapping the whole page in ``<div id="masthead">``, the
  page's name and lead in a hero ``<header>``, no sidebar.

Links to theme assets are https:// (another host, never fetched by a crawl
that stays on the site); every http:// link resolves on this web.
"""

from __future__ import annotations

import re

from .render import Chrome, esc

THEMES = ("wordpress", "ghost", "static")
_LEADING_ARTICLE = re.compile(r"^\s*<article>(.*)</article>\s*$", re.S)
_H1 = re.compile(r"^\s*(<h1>.*?</h1>)(.*)$", re.S)


def page_kind(path: str) -> str:
    """home | post | page, as a CMS names the template of ``path``."""
    if path == "/":
        return "home"
    if re.fullmatch(r"/blog/[^/]+/", path) and not path.startswith("/blog/page/"):
        return "post"
    return "page"


def real_layout(theme: str, ch: Chrome, title: str, main: str, path: str, *, head: str = "",
                sidebar: bool = True, tags: tuple[str, ...] = (), page_id: int = 0) -> str:
    """A full HTML document for ``main`` in one of ``THEMES``."""
    body = _BODIES[theme](ch, title, main, path, sidebar, tags, page_id)
    site = esc(ch.site_name)
    full_title = {"wordpress": f"{esc(title)} &#8211; {site}", "ghost": esc(title), "static": f"{esc(title)} | {site}"}
    kind = page_kind(path)
    meta_charset = f'<meta charset="{ch.charset}">\n' if ch.charset else ""
    generator = {"wordpress": "WordPress 6.4.2", "ghost": "Ghost 5.74", "static": "Hugo 0.121.1"}[theme]
    styles = {"wordpress": "https://s0.wp.com/wp-content/themes/genesis-sample/style.css?ver=3.4.1",
              "ghost": "https://cdn.jsdelivr.net/gh/TryGhost/Casper/assets/built/screen.css",
              "static": "https://cdn.jsdelivr.net/npm/water.css/out/water.min.css"}[theme]
    return (f'<!DOCTYPE html>\n<html lang="{ch.lang}{"-US" if theme == "wordpress" and ch.lang == "en" else ""}">\n'
            f"<head>\n{meta_charset}<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{full_title[theme]}</title>\n"
            f'<link rel="canonical" href="http://{ch.host}{path}">\n'
            f'<meta property="og:type" content="{"article" if kind == "post" else "website"}">\n'
            f'<meta property="og:title" content="{esc(title)}">\n<meta property="og:site_name" content="{site}">\n'
            f'<meta name="generator" content="{generator}">\n<link rel="stylesheet" href="{styles}">\n'
            f"{ch.head_extra}{head}</head>\n{body}\n{ch.body_end}</body>\n</html>\n")


def _cookie(ch: Chrome) -> str:
    return (f'<div class="cookie-banner" id="cookie-consent" role="dialog"><p>{esc(ch.cookie_text)} '
            '<a href="/privacy-policy/">Privacy policy</a></p><button type="button">Accept all</button></div>'
            if ch.cookie_text else "")


def _wordpress(ch: Chrome, title: str, main: str, path: str, sidebar: bool, tags: tuple[str, ...],
               page_id: int) -> str:
    kind = page_kind(path)
    template = {"home": "home blog", "post": f"post-template-default single single-post postid-{page_id} "
                f"single-format-standard", "page": f"page-template-default page page-id-{page_id}"}[kind]
    layout = "content-sidebar has-sidebar" if sidebar else "full-width-content no-sidebar"
    items = "".join(f'<li id="menu-item-{100 + i}" class="menu-item menu-item-type-post_type menu-item-object-page '
                    f'menu-item-{100 + i}"><a href="{href}" itemprop="url"><span itemprop="name">{esc(text)}</span>'
                    "</a></li>" for i, (href, text) in enumerate(ch.nav))
    inner = _LEADING_ARTICLE.match(main)
    entry_class = ("post" if kind == "post" else "page") + f"-{page_id} {'post type-post' if kind == 'post' else 'page type-page'}"
    article = (f'<article class="{entry_class} status-publish entry" aria-label="{esc(title)}" itemscope '
               f'itemtype="https://schema.org/CreativeWork"><div class="entry-content" itemprop="text">'
               f"{inner.group(1) if inner else main}</div></article>")
    aside = (f'<aside class="sidebar sidebar-primary widget-area" role="complementary" aria-label="Primary Sidebar" '
             'id="genesis-sidebar-primary"><h2 class="genesis-sidebar-title screen-reader-text">Primary Sidebar</h2>'
             f'<section id="text-3" class="widget widget_text"><div class="widget-wrap">{ch.sidebar_html}</div></section>'
             "</aside>") if sidebar else ""
    return (f'<body class="{template} wp-custom-logo wp-embed-responsive header-full-width {layout} '
            'genesis-breadcrumbs-hidden genesis-footer-widgets-visible" itemscope itemtype="https://schema.org/WebPage">\n'
            f'{_cookie(ch)}<div class="site-container"><ul class="genesis-skip-link"><li><a href="#genesis-content" '
            'class="screen-reader-shortcut"> Skip to main content</a></li></ul>\n'
            '<header class="site-header" itemscope itemtype="https://schema.org/WPHeader"><div class="wrap">'
            f'<div class="title-area"><p class="site-title" itemprop="headline"><a href="/">{esc(ch.site_name)}</a></p></div>'
            '<nav class="nav-primary" aria-label="Main" id="genesis-nav-primary"><div class="wrap">'
            f'<ul id="menu-header-menu" class="menu genesis-nav-menu menu-primary js-superfish">{items}</ul></div></nav>'
            f"{ch.header_extra}</div></header>\n"
            f'<div class="site-inner"><div class="content-sidebar-wrap"><main class="content" id="genesis-content">'
            f"{article}</main>{aside}</div></div>\n"
            '<div class="footer-widgets" id="genesis-footer-widgets"><h2 class="genesis-sidebar-title screen-reader-text">'
            'Footer</h2><div class="wrap"><div class="widget-area footer-widgets-1 footer-widget-area">'
            f'<section class="widget widget_text"><div class="widget-wrap"><p>{esc(ch.site_name)}: independent, '
            "reader-supported.</p></div></section></div></div></div>\n"
            f"{ch.footer_html}</div>\n"
            '<script id="genesis-sample-responsive-menu-js-extra">var genesis_responsive_menu = {"mainMenu":"Menu",'
            '"subMenu":"Submenu","menuClasses":{"others":[".nav-primary"]}};</script>\n')


def _ghost(ch: Chrome, title: str, main: str, path: str, sidebar: bool, tags: tuple[str, ...], page_id: int) -> str:
    kind = page_kind(path)
    slug = path.strip("/").split("/")[-1] or "home"
    tag_classes = " ".join(f"tag-{t}" for t in tags)
    template = {"home": "home-template", "post": f"post-template {tag_classes}".strip(),
                "page": f"page-template page-{slug}"}[kind]
    items = "".join(f'<li class="nav-{re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")}"><a href="{href}">'
                    f"{esc(text)}</a></li>" for href, text in ch.nav)
    inner = _LEADING_ARTICLE.match(main)
    content = inner.group(1) if inner else main
    h1 = _H1.match(content)
    header, rest = (h1.group(1).replace("<h1>", '<h1 class="article-title">'), h1.group(2)) if h1 else ("", content)
    cta = ('<section class="footer-cta outer"><div class="inner"><h2 class="footer-cta-title">Sign up for more like '
           'this.</h2><a class="footer-cta-button" href="#/portal" data-portal><div class="footer-cta-input">Enter '
           "your email</div><span>Subscribe</span></a></div></section>") if kind == "post" else ""
    more = (f'<aside class="read-more-wrap outer"><div class="read-more inner">{ch.sidebar_html}</div></aside>'
            if kind == "post" and sidebar else "")
    return (f'<body class="{template} is-head-left-logo has-cover">\n{_cookie(ch)}<div class="viewport">\n'
            '<header id="gh-head" class="gh-head outer"><div class="gh-head-inner inner"><div class="gh-head-brand">'
            f'<a class="gh-head-logo no-image" href="/">{esc(ch.site_name)}</a></div>'
            f'<nav class="gh-head-menu"><ul class="nav">{items}</ul></nav><div class="gh-head-actions">'
            f'{ch.header_extra}<a class="gh-head-link" href="#/portal/signin" data-portal="signin">Sign in</a>'
            '<a class="gh-head-button" href="#/portal/signup" data-portal="signup">Subscribe</a></div></div></header>\n'
            '<div class="site-content"><main id="site-main" class="site-main">'
            f'<article class="article {kind} {tag_classes} no-image"><header class="article-header gh-canvas">{header}'
            f'</header><section class="gh-content gh-canvas">{rest}</section></article>{cta}{more}</main></div>\n'
            f"{ch.footer_html}\n</div>\n")


def _static(ch: Chrome, title: str, main: str, path: str, sidebar: bool, tags: tuple[str, ...], page_id: int) -> str:
    inner = _LEADING_ARTICLE.match(main)
    content = inner.group(1) if inner else main
    h1 = _H1.match(content)
    hero, rest = (h1.group(1), h1.group(2)) if h1 else ("", content)
    items = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in ch.nav)
    return (f'<body class="no-sidebar">\n<div id="masthead" class="site">\n'
            f'<nav class="topnav"><a class="brand" href="/">{esc(ch.site_name)}</a><ul>{items}</ul>{ch.header_extra}</nav>\n'
            f'<header class="hero"><div class="hero-inner">{hero}</div></header>\n'
            f'<section class="page-body"><div class="prose">{rest}</div></section>\n'
            f"{ch.footer_html}\n</div>\n{_cookie(ch)}\n")


_BODIES = {"wordpress": _wordpress, "ghost": _ghost, "static": _static}
