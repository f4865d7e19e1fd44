"""HTML for the fake web: page chrome (header, nav, cookie banner, footer) and the
many ways real sites write an email address.

Pages look like real CMS output on purpose: the extractors under test must find
the one email in a page full of navigation, scripts, share buttons and bait.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from urllib.parse import quote

ENCODINGS = ("mailto", "text", "footer", "mailto_multi", "at_brackets", "at_parens", "at_words", "at_braces",
             "entities", "cfemail", "cdn_cgi", "jsonld")

CDN_CGI = "/cdn-cgi/l/email-protection"

ICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">'
            '<path d="M2 4h20v16H2z M2 4l10 8 10-8" fill="none" stroke="currentColor"/></svg>')


def esc(text: str) -> str:
    """HTML-escape text for element content and attribute values."""
    return html.escape(text, quote=True)


def cf_encode(email: str, key: int) -> str:
    """Cloudflare's email obfuscation: hex of the key byte, then each byte XOR key."""
    return f"{key:02x}" + "".join(f"{ord(ch) ^ key:02x}" for ch in email)


def entity_encode(email: str, hex_form: bool) -> str:
    """Write ``@`` (and the dots) as numeric character references (``&#64;`` or ``&#x40;``)."""
    if hex_form:
        return email.replace("@", "&#x40;").replace(".", "&#x2e;")
    return email.replace("@", "&#64;")


def obfuscate(email: str, encoding: str, key: int = 0x5A, label: str = "Email us") -> str:
    """The HTML snippet that carries ``email`` in the given encoding (see ENCODINGS).

    ``jsonld`` and ``mailto_multi`` are placed by the caller (they need context);
    ``footer`` is plain text that the caller puts in the footer.
    """
    local, _, dom = email.partition("@")
    if encoding == "mailto":
        return f'<a href="mailto:{email}?subject=Hi" class="email-link">{esc(label)}</a>'
    if encoding in ("text", "footer"):
        return f"<strong>{email}</strong>" if encoding == "text" else email
    if encoding == "at_brackets":
        return f"{local} [at] {dom.replace('.', ' [dot] ')}"
    if encoding == "at_parens":
        return f"{local}(at){dom}"
    if encoding == "at_words":
        return f"{local} AT {dom.replace('.', ' DOT ')}"
    if encoding == "at_braces":
        return f"{local}{{at}}{dom}"
    if encoding == "entities":
        return entity_encode(email, hex_form=key % 2 == 1)
    if encoding == "cfemail":
        return (f'<a href="{CDN_CGI}" class="__cf_email__" data-cfemail="{cf_encode(email, key)}">'
                "[email&#160;protected]</a>")
    if encoding == "cdn_cgi":
        return f'<a href="{CDN_CGI}#{cf_encode(email, key)}">{esc(label)}</a>'
    raise ValueError(f"no inline form for encoding {encoding!r}")


def jsonld(data: dict) -> str:
    """A JSON-LD script block (``</`` escaped so the JSON cannot close the script)."""
    text = json.dumps(data, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def share_buttons(url: str, title: str) -> str:
    """Share links every blog has: they point at platforms that are never prospects."""
    u = quote(url, safe="")
    return ('<div class="share"><span>Share:</span>'
            f'<a href="https://www.facebook.com/sharer/sharer.php?u={u}" rel="nofollow noopener" target="_blank">Facebook</a>'
            f'<a href="https://twitter.com/intent/tweet?url={u}&amp;text={quote(title)}" rel="nofollow noopener">Tweet</a>'
            f'<a href="https://www.pinterest.com/pin/create/button/?url={u}" rel="nofollow">Pin it</a>'
            f'<a href="https://www.linkedin.com/sharing/share-offsite/?url={u}" rel="nofollow">LinkedIn</a></div>')


def contact_form(style: str, action: str, placeholder_bait: bool) -> str:
    """A contact form: plain HTML, WordPress Contact Form 7 or WPForms markup."""
    ph = "user@example.com" if placeholder_bait else "Your email"
    if style == "cf7":
        return ('<div class="wpcf7 js" id="wpcf7-f12-p34-o1" lang="en-US" dir="ltr">'
                f'<form action="{action}#wpcf7-f12-p34-o1" method="post" class="wpcf7-form init" novalidate="novalidate">'
                '<div style="display: none;"><input type="hidden" name="_wpcf7" value="12">'
                '<input type="hidden" name="_wpcf7_version" value="5.9.3"></div>'
                '<p><label>Your name<br><span class="wpcf7-form-control-wrap" data-name="your-name">'
                '<input size="40" class="wpcf7-form-control wpcf7-text" type="text" name="your-name"></span></label></p>'
                '<p><label>Your email<br><span class="wpcf7-form-control-wrap" data-name="your-email">'
                f'<input size="40" class="wpcf7-form-control wpcf7-email" type="email" name="your-email" placeholder="{ph}"></span></label></p>'
                '<p><label>Your message<br><span class="wpcf7-form-control-wrap" data-name="your-message">'
                '<textarea cols="40" rows="10" class="wpcf7-form-control wpcf7-textarea" name="your-message"></textarea></span></label></p>'
                '<p><input class="wpcf7-form-control wpcf7-submit" type="submit" value="Send"></p></form></div>')
    if style == "wpforms":
        return ('<div class="wpforms-container wpforms-container-full" id="wpforms-123">'
                f'<form id="wpforms-form-123" class="wpforms-validate wpforms-form" data-formid="123" method="post" action="{action}">'
                '<div class="wpforms-field-container"><div class="wpforms-field wpforms-field-name">'
                '<label class="wpforms-field-label" for="wpforms-123-field_0">Name</label>'
                '<input type="text" id="wpforms-123-field_0" name="wpforms[fields][0]"></div>'
                '<div class="wpforms-field wpforms-field-email"><label class="wpforms-field-label">Email</label>'
                f'<input type="email" id="wpforms-123-field_1" name="wpforms[fields][1]" placeholder="{ph}"></div>'
                '<div class="wpforms-field wpforms-field-textarea"><label class="wpforms-field-label">Message</label>'
                '<textarea id="wpforms-123-field_2" name="wpforms[fields][2]"></textarea></div></div>'
                '<div class="wpforms-submit-container"><input type="hidden" name="wpforms[id]" value="123">'
                '<button type="submit" name="wpforms[submit]" class="wpforms-submit">Submit</button></div></form></div>')
    return (f'<form class="contact-form" method="post" action="{action}">'
            '<label for="cf-name">Name</label><input id="cf-name" type="text" name="name" required>'
            f'<label for="cf-email">Email</label><input id="cf-email" type="email" name="email" placeholder="{ph}" required>'
            '<label for="cf-msg">Message</label><textarea id="cf-msg" name="message" rows="6"></textarea>'
            '<button type="submit">Send message</button></form>')


BASE_CSS = """
*{box-sizing:border-box}body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;line-height:1.6;color:#222}
.site-header{display:flex;justify-content:space-between;align-items:center;padding:1rem 2rem;border-bottom:1px solid #eee}
.site-header .logo img{height:42px}.main-nav ul{list-style:none;display:flex;gap:1.2rem;margin:0;padding:0}
.main-nav a{text-decoration:none;color:inherit;font-weight:600}.main-nav a:hover{color:var(--accent)}
.container{max-width:1100px;margin:0 auto;padding:2rem;display:grid;grid-template-columns:3fr 1fr;gap:2rem}
article h1{font-size:2.2rem;line-height:1.2}article p{margin:0 0 1.2rem}.byline{color:#666;font-size:.9rem}
.share{display:flex;gap:.6rem;margin:2rem 0}.share a{padding:.3rem .7rem;border-radius:4px;background:#f2f2f2}
.sidebar h3{font-size:1rem;text-transform:uppercase;letter-spacing:.05em}.sidebar ul{padding-left:1rem}
.cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#111;color:#fff;padding:1rem;display:flex;gap:1rem}
.cookie-banner button{background:var(--accent);border:0;color:#fff;padding:.4rem 1rem}
.site-footer{background:#fafafa;border-top:1px solid #eee;padding:2rem;font-size:.9rem}
.site-footer .cols{display:grid;grid-template-columns:repeat(3,1fr);gap:1rem}.social a{margin-right:.6rem}
.post-card{border-bottom:1px solid #eee;padding:1rem 0}.post-card h2{margin:.2rem 0}.tag{font-size:.75rem}
form label{display:block;margin-top:.8rem}form input,form textarea{width:100%;padding:.5rem;border:1px solid #ccc}
.price-table td,.price-table th{padding:.4rem .8rem;border:1px solid #ddd}.pagination a{margin-right:.5rem}
@media (max-width:800px){.container{grid-template-columns:1fr}.main-nav ul{flex-direction:column}}
"""

@dataclass
class Chrome:
    """Everything around a page's main content, fixed for one site."""

    site_name: str
    host: str
    lang: str = "en"
    charset: str = "utf-8"  # for <meta charset>; "" when only the HTTP header declares it
    nav: list[tuple[str, str]] = field(default_factory=list)  # (href, anchor text)
    header_extra: str = ""   # e.g. an icon-only contact link
    footer_html: str = ""
    sidebar_html: str = ""
    head_extra: str = ""     # site-wide scripts / JSON-LD
    body_end: str = ""       # scripts at the end of <body>
    accent: str = "#0a7"
    cookie_text: str = ""
    logo_2x: bool = False


def layout(ch: Chrome, title: str, main: str, path: str, *, head: str = "", description: str = "",
           sidebar: bool = True) -> str:
    """A full HTML document in the site's theme."""
    logo = (f'<img src="/img/logo.png" srcset="/img/logo.png 1x, /img/logo@2x.png 2x" alt="{esc(ch.site_name)}">'
            if ch.logo_2x else f'<img src="/img/logo.svg" alt="{esc(ch.site_name)}">')
    nav = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in ch.nav)
    cookie = (f'<div class="cookie-banner" id="cookie-consent" role="dialog"><p>{esc(ch.cookie_text)} '
              '<a href="/privacy-policy/">Privacy policy</a></p><button type="button">Accept all</button></div>'
              if ch.cookie_text else "")
    aside = f'<aside class="sidebar">{ch.sidebar_html}</aside>' if sidebar else ""
    desc = esc(description or title)
    meta_charset = f'<meta charset="{ch.charset}">\n' if ch.charset else ""
    return (f'<!DOCTYPE html>\n<html lang="{ch.lang}">\n<head>\n{meta_charset}'
            f"<title>{esc(title)} | {esc(ch.site_name)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="description" content="{desc}">\n'
            f'<link rel="canonical" href="http://{ch.host}{path}">\n'
            f'<meta property="og:title" content="{esc(title)}">\n<meta property="og:site_name" content="{esc(ch.site_name)}">\n'
            '<link rel="stylesheet" href="/wp-content/themes/flavor/style.css?ver=6.4.2">\n'
            f"<style>:root{{--accent:{ch.accent}}}{BASE_CSS}</style>\n{ch.head_extra}{head}</head>\n"
            f'<body class="page">\n{cookie}\n<header class="site-header"><a class="logo" href="/">{logo}</a>'
            f'<nav class="main-nav" aria-label="Main"><ul>{nav}</ul></nav>{ch.header_extra}</header>\n'
            f'<div class="container"><main id="content">\n{main}\n</main>\n{aside}</div>\n'
            f"{ch.footer_html}\n{ch.body_end}</body>\n</html>\n")


# -- pages that need JavaScript (issue 6) ----------------------------------------
# Plain inline scripts that only write the DOM: no external resources, so they run
# the same in a headless browser with every outside request blocked. No email
# address is ever written literally in the static HTML.

def _js_string(text: str) -> str:
    """A JavaScript string literal that cannot close the surrounding <script>."""
    return json.dumps(text).replace("</", "<\\/")


def js_contact_script(email: str, form_html: str) -> str:
    """Fills ``#contact-root`` with a mailto link and a contact form at load."""
    local, _, dom = email.partition("@")
    return ("<script>\n(function () {\n"
            f"  var parts = [{_js_string(local)}, {_js_string(dom)}];\n"
            '  var address = parts.join("@");\n'
            '  document.getElementById("contact-root").innerHTML =\n'
            "    '<p>Email: <a class=\"email-link\" href=\"mailto:' + address + '\">' + address + '<\\/a><\\/p>' +\n"
            f"    {_js_string(form_html)};\n"
            "})();\n</script>")


def js_email_script(email: str) -> str:
    """Writes ``email`` into ``span.email``: the domain reversed, the local part as char codes."""
    local, _, dom = email.partition("@")
    codes = ",".join(str(ord(c)) for c in local)
    return ("<script>\n(function () {\n"
            f"  var d = {_js_string(dom[::-1])}.split(\"\").reverse().join(\"\");\n"
            f"  var u = String.fromCharCode({codes});\n"
            "  var a = u + String.fromCharCode(64) + d;\n"
            '  var el = document.querySelector("span.email");\n'
            "  el.innerHTML = '<a href=\"mailto:' + a + '\">' + a + '<\\/a>';\n"
            "})();\n</script>")


def spa_document(site_name: str, host: str, title: str, routes: list[tuple[str, str]],
                 cards: list[tuple[str, str]], lead: str) -> str:
    """A single-page-app shell: ``#app`` stays empty until the inline script renders nav and content."""
    data = json.dumps({"name": site_name, "routes": routes, "posts": cards, "lead": lead}).replace("</", "<\\/")
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(title)}</title>\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<link rel="canonical" href="http://{host}/">\n'
            '<link rel="preconnect" href="https://fonts.gstatic.com">\n'
            '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter:wght@400;700&amp;display=swap">\n'
            '<link rel="icon" href="https://cdn.trainwave-static.net/favicon.png">\n'
            "</head>\n<body>\n"
            '<div id="app"></div>\n'
            "<noscript>Please enable JavaScript to use this site.</noscript>\n"
            "<script>\n(function () {\n"
            f"  var state = {data};\n"
            "  function esc(s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;'); }\n"
            "  function link(r) { var a = document.createElement('a'); a.setAttribute('href', r[0]); a.textContent = r[1];\n"
            "    return '<li>' + a.outerHTML + '<\\/li>'; }\n"
            "  var nav = state.routes.map(link);\n"
            "  var posts = state.posts.map(link);\n"
            "  document.getElementById('app').innerHTML =\n"
            "    '<header class=\"site-header\">' + link(['/', state.name]).slice(4, -5) +\n"
            "    '<nav class=\"main-nav\"><ul>' + nav.join('') + '<\\/ul><\\/nav><\\/header>' +\n"
            "    '<main><h1>' + esc(state.name) + '<\\/h1><p>' + esc(state.lead) + '<\\/p>' +\n"
            "    '<h2>Latest posts<\\/h2><ul>' + posts.join('') + '<\\/ul><\\/main>';\n"
            "})();\n</script>\n</body>\n</html>\n")
