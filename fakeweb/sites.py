"""Render one planned site into pages, and write its ground truth as it goes.

Every email, form, guideline page and trap is recorded in the site's manifest
entry by the same call that writes it into the HTML, so the manifest cannot
drift from the pages.
"""

from __future__ import annotations

import html
import json
import random
import re
from datetime import date
from urllib.parse import parse_qs, quote

from .layouts import real_layout
from .model import Page, Site
from .plan import ACTIVE_DAYS, BB, COMPETITORS, FITNESS_PLANTS, NF, TODAY, Plan, Post
from .render import (
    CDN_CGI,
    ICON_SVG,
    Chrome,
    contact_form,
    esc,
    js_contact_script,
    js_email_script,
    jsonld,
    layout,
    obfuscate,
    share_buttons,
    spa_document,
)
from .vocab import (
    COOKIE_TEXT,
    FOREIGN,
    NAV_ABOUT,
    NAV_CONTACT,
    NAV_WFU,
    OFFNICHE_PASSAGES,
    SENTENCES,
    SPAM_DOMAINS,
    SPAM_SENTENCES,
    VOCAB,
)

UI = {
    "en": {"home": "Home", "about": None, "about_path": "/about/", "contact": None, "contact_path": None,
           "intro": "Have a question, a story tip or a partnership idea? We read every message."},
    "de": {"home": "Startseite", "about": "Über uns", "about_path": "/ueber-uns/", "contact": "Kontakt",
           "contact_path": "/kontakt/", "intro": "Fragen, Anregungen oder Ideen? Schreib uns – wir lesen jede Nachricht.",
           "wfu_title": "Gastautor werden: Gastbeitrag einreichen",
           "wfu": "Du möchtest einen Gastbeitrag bei uns veröffentlichen? Wir suchen regelmäßig Gastautoren. "
                  "Der Text sollte einzigartig sein und mindestens 1.000 Wörter haben. Schick deinen Themenvorschlag an"},
    "es": {"home": "Inicio", "about": "Sobre nosotros", "about_path": "/sobre-nosotros/", "contact": "Contacto",
           "contact_path": "/contacto/", "intro": "¿Tienes una pregunta o una idea? Escríbenos, leemos todos los mensajes.",
           "wfu_title": "Escribe para nosotros",
           "wfu": "¿Quieres escribir para nosotros? Aceptamos artículos de invitados originales sobre viajes. "
                  "Envía tu propuesta de artículo a"},
    "fr": {"home": "Accueil", "about": "À propos", "about_path": "/a-propos/", "contact": "Contact",
           "contact_path": "/contact/", "intro": "Une question ou une idée ? Écrivez-nous, nous lisons tous les messages.",
           "wfu_title": "Devenir contributeur",
           "wfu": "Vous souhaitez devenir contributeur ? Nous publions des articles invités originaux sur le café. "
                  "Envoyez votre proposition à"},
}
WFU_TITLES = {"/write-for-us/": "Write for Us", "/contribute/": "Contribute: Write for Us",
              "/guest-post-guidelines/": "Guest Post Guidelines", "/submit/": "Submit a Guest Post"}
INLINE_ENCODINGS = {"text", "mailto", "at_brackets", "at_parens", "at_words", "at_braces", "entities", "cfemail", "cdn_cgi"}
BINARY = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\x00\x00\x01\x00binary\x00\xff\xfe" * 64
CP1252_TEXT = ("“Don’t skip leg day,” says our café-loving coach. Membership costs 49 € a month – "
               "naïve beginners welcome.")
TAG_RE = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment (for the search index)."""
    return " ".join(html.unescape(TAG_RE.sub(" ", fragment)).split())


def paragraph_pool(rng: random.Random, topic: str, language: str, size: int = 200) -> list[str]:
    """Paragraphs about one topic: template sentences filled with the topic's words."""
    if language != "en":
        words, sentences = FOREIGN[language]["kw"], FOREIGN[language]["sentences"]
        adj: tuple[str, ...] = ("",)
    else:
        words, sentences, adj = VOCAB[topic]["kw"], SPAM_SENTENCES if topic == "spam" else SENTENCES, VOCAB[topic]["adj"]
    pool = []
    for _ in range(size):
        parts = []
        for tpl in rng.sample(sentences, rng.randint(3, min(6, len(sentences)))):
            kw, kw2 = rng.sample(words, 2)
            text = tpl.format(kw=kw, kw2=kw2, adj=rng.choice(adj), n=rng.randint(2, 12))
            parts.append(text[0].upper() + text[1:])
        pool.append(" ".join(parts))
    return pool


def fmt_day(day: date) -> str:
    return f'<time datetime="{day.isoformat()}">{day.strftime("%B")} {day.day}, {day.year}</time>'


class SiteBuilder:
    """Turns a Plan into a Site plus its manifest entry.

    ``index`` gives access to the other sites (for roundups, resources and
    directories); ``queue`` holds not-yet-linked non-seed sites of each niche so
    that the seed sites' roundups make them discoverable.
    """

    def __init__(self, plan: Plan, pool: list[str], index: dict[str, list[Plan]], queue: dict[str, list[Plan]],
                 inbound: dict[str, list[str]]):
        self.p, self.rng, self.pool, self.index, self.queue = plan, plan.rng, pool, index, queue
        self.inbound = inbound  # domain -> URLs of roundups/resources/directories linking to it
        self.o = plan.opts
        self.base = f"http://{plan.host}"
        self.pages: dict[str, Page] = {}
        self.redirects: dict[str, tuple[int, str]] = {}
        self.ui = dict(UI[plan.language])
        self.key = self.o.get("key") or self.rng.randint(1, 255)
        self.charset, self.declared = self.o.get("charset", ("utf-8", "header"))
        self.content_type = "text/html; charset=utf-8"
        if self.declared == "meta":
            self.content_type = "text/html"
        elif self.charset != "utf-8":
            self.content_type = f"text/html; charset={self.charset}"
        self.m: dict = {
            "domain": plan.domain, "host": plan.host, "hosts": [plan.host, *plan.also_hosts],
            "home_url": plan.home_url, "entry_url": plan.home_url, "niche": plan.niche, "topic": plan.topic,
            "kind": plan.kind, "language": plan.language, "in_seed_list": False, "seed_lists": [],
            "reachable": True, "active": plan.active, "last_post": plan.posts[0].day.isoformat(),
            "charset": self.charset, "charset_declared": self.declared if self.charset != "utf-8" else "both",
            "emails": [], "hidden_emails": [], "bait": [], "contact_page": None, "contact_form_url": None,
            "write_for_us_url": None, "write_for_us_kind": None, "mentions_write_for_us_in_passing": None,
            "rejects_guest_posts_url": None, "roundup_urls": [], "resources_url": None, "advertise_url": None,
            "social_profiles": [], "authors": list(plan.authors), "author_markup": [], "robots_disallow": [],
            "disallowed_urls": [], "trap": False, "trap_url": None, "error_urls": {}, "binary_urls": [],
            "slow_urls": [], "redirects": {}, "planted": list(plan.tags),
            # issues 5 and 6: what kind of prospect this is, and pages that need JavaScript
            "site_class": None, "want_first": False, "competitor_links": [], "js_only": None,
            "linked_extras": [], "extra_site": bool(plan.opts.get("extra")),
            # issue 12: the real theme whose structure every page of the site has (None: the fake web's own)
            "layout": plan.opts.get("layout"),
        }
        self.planted_site = plan.niche == "fitness" and plan.index < len(FITNESS_PLANTS)
        if self.planted_site:  # name the planted email case too
            if plan.enc not in (None, "text"):
                self.m["planted"].append(f"email_{plan.enc}")
            if self.o.get("email_spot") == "deep_post":
                self.m["planted"].append("email_only_on_deep_post")
            if "charset" in self.o:
                self.m["planted"].append(f"charset_{self.charset}_in_{self.declared}")
            if plan.language != "en":
                self.m["planted"].append(f"language_{plan.language}")
            if self.o.get("wfu_kind") == "link_seller":
                self.m["planted"].append("link_seller")
        self.tags = set(plan.tags)
        self.js_not_worth: list[str] = []

    # -- ground truth helpers ------------------------------------------------

    def url(self, path: str) -> str:
        return self.base + path

    def email(self, email: str, enc: str, path: str, walkable: bool = True, label: str = "Email us") -> str:
        """HTML for an email in ``enc``, recorded as found on ``path``."""
        self.m["emails"].append({"email": email, "url": self.url(path), "encoding": enc, "walkable": walkable,
                                 "needs_js": False})
        return obfuscate(email, enc, key=self.key, label=label)

    def document(self, title: str, main: str, path: str, *, head: str = "", sidebar: bool = True,
                 tags: tuple[str, ...] = ()) -> str:
        """A full page in the site's theme: the fake web's own, or a real one (``opts["layout"]``)."""
        theme = self.o.get("layout")
        if theme:
            return real_layout(theme, self.chrome, title, main, path, head=head, sidebar=sidebar, tags=tags,
                               page_id=40 + len(self.pages))
        return layout(self.chrome, title, main, path, head=head, sidebar=sidebar)

    def add(self, path: str, title: str, main: str, *, head: str = "", status: int = 200, delay: float = 0.0,
            sidebar: bool = True, tags: tuple[str, ...] = ()) -> Page:
        """Render a page in the site's chrome and store it under ``path``."""
        doc = self.document(title, main, path, head=head, sidebar=sidebar, tags=tags)
        page = Page(status=status, body=doc.encode(self.charset, "xmlcharrefreplace"), content_type=self.content_type,
                    delay=delay, title=title, text=plain_text(f"<h1>{title}</h1>{main}"))
        self.pages[path] = page
        return page

    def paras(self, count: int) -> str:
        return "".join(f"<p>{esc(t)}</p>" for t in self.rng.sample(self.pool, count))

    # -- site-wide decisions -------------------------------------------------

    def build(self) -> tuple[Site, dict]:
        p = self.p
        self.decide_links()
        self.chrome = self.make_chrome()
        if "home_500" in self.tags:
            return self.unreachable()
        self.ordinary = [x for x in p.posts if x.kind == "post"]
        self.home()
        self.about()
        if self.contact_path:
            self.contact()
        self.blog()
        self.extras()
        self.planted_pages()
        self.add("/privacy-policy/", "Privacy Policy", self.paras(2) + "<p>We use cookies for analytics.</p>",
                 sidebar=False)
        not_found = Page(404, self.document("Page not found", "<h1>Oops! That page can’t be found.</h1>"
                                            '<p>Try the <a href="/blog/">blog archive</a>.</p>', "/404/").encode(
            self.charset, "xmlcharrefreplace"), self.content_type, title="Page not found")
        site = Site(host=p.host, domain=p.domain, niche=p.niche, kind=p.kind, pages=self.pages,
                    redirects=self.redirects, robots=self.robots(), also_hosts=list(p.also_hosts), not_found=not_found,
                    dynamic=self.calendar if self.m["trap"] else None,
                    robots_status=503 if "robots_503" in self.tags else 200,
                    robots_flaky="robots_flaky" in self.tags)
        if "robots_503" in self.tags:  # RFC 9309: a robots.txt that answers 5xx keeps the crawler out
            self.m["reachable"] = False
            self.m["robots_unreachable"] = "HTTP 503"
        self.missing_referrers()
        self.js_truth()
        self.m["redirects"] = {self.url(k): list(v) for k, v in self.redirects.items()}
        self.classify()
        return site, self.m

    def decide_links(self) -> None:
        """Where the contact page lives and how the nav points at it (the planted link styles)."""
        o, rng, t = self.o, self.rng, self.tags
        self.contact_href: str | None = None
        self.contact_text = self.ui["contact"] or rng.choice(NAV_CONTACT)
        self.header_extra = ""
        self.contact_path: str | None = self.ui["contact_path"] or rng.choice(["/contact/", "/contact-us/", "/contact/"])
        if o.get("no_contact_page"):
            self.contact_path = None
        elif "icon_contact_link" in t:
            self.contact_path = "/reach-us/"
            self.header_extra = f'<a class="header-icon" href="/reach-us/" aria-label="Contact">{ICON_SVG}</a>'
        elif "img_alt_contact_link" in t:
            self.contact_path = "/hello/"
            self.header_extra = '<a class="header-icon" href="/hello/"><img src="/img/envelope.png" alt="contact" width="20"></a>'
        elif "get_in_touch_link" in t:
            self.contact_path, self.contact_href, self.contact_text = "/say-hello/", "/say-hello/", "Get in touch"
        elif "redirect_302_link" in t:
            self.contact_path, self.contact_href = "/contact-us/", "/get-in-touch"
            self.redirects["/get-in-touch"] = (302, self.url("/contact-us/"))
        elif "trailing_slash_redirect" in t:
            self.contact_path, self.contact_href = "/contact/", "/contact"
            self.redirects["/contact"] = (301, self.url("/contact/"))
        else:
            self.contact_href = self.contact_path
        if o.get("js") == "contact":
            self.header_extra = '<a class="header-login" href="/app/">Member login</a>'
        self.contact_title = self.ui["contact"] or ("Get in touch" if "get_in_touch_link" in t else "Contact")
        self.wfu_path: str | None = o.get("wfu")
        # Nav anchor text for the guidelines page: NAV_WFU = (Write for us, Write for Us, Contribute, ...).
        by_path = {"/contribute/": NAV_WFU[2], "/guest-post-guidelines/": NAV_WFU[3], "/submit/": NAV_WFU[4]}
        self.wfu_text = self.ui.get("wfu_title") or by_path.get(self.wfu_path or "", rng.choice(NAV_WFU[:2]))

    def make_chrome(self) -> Chrome:
        """Nav, footer, sidebar and site-wide scripts (where the bait lives)."""
        p, rng = self.p, self.rng
        nav = [("/", self.ui["home"]), ("/blog/", "Blog"), (f"/category/{self.cat_slug(p.categories[0])}/", p.categories[0]),
               (self.ui["about_path"], self.ui["about"] or rng.choice(NAV_ABOUT))]
        extra_nav = {"shop": ("/shop/", "Shop"), "forum": ("/forum/", "Forum"), "directory": ("/listings/", "Directory")}
        if p.kind in extra_nav:
            nav.append(extra_nav[p.kind])
        if self.contact_href:
            nav.append((self.contact_href, self.contact_text))
        wfu_in_nav = bool(self.wfu_path) and rng.random() < 0.6
        if wfu_in_nav:
            nav.append((self.wfu_path, self.wfu_text))
        bait = self.bait_flags()
        self.m["bait"] = bait
        ch = Chrome(site_name=p.name, host=p.host, lang=p.language, charset="" if self.declared == "header" and
                    self.charset != "utf-8" else self.charset, nav=nav, header_extra=self.header_extra,
                    accent=rng.choice(["#0a7", "#c33", "#36c", "#e80", "#639"]),
                    cookie_text=rng.choice(COOKIE_TEXT) if rng.random() < 0.7 else "",
                    logo_2x="logo@2x.png" in bait)
        ch.footer_html = self.footer(wfu_in_nav)
        ch.sidebar_html = self.sidebar()
        ch.head_extra = f"<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-FAKE{p.index}\"></script>\n"
        end = []
        if "jquery@3.6.0" in bait:
            end.append('<script src="https://cdn.jsdelivr.net/npm/jquery@3.6.0/dist/jquery.min.js"></script>')
        if any(b.startswith("https://abc123@") for b in bait):
            end.append('<script>Sentry.init({dsn:"https://abc123@o1234.ingest.sentry.io/567",tracesSampleRate:0.1});</script>')
        end.append(f"<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}"
                   f"gtag('js',new Date());gtag('config','G-FAKE{p.index}');</script>")
        if p.kind == "magazine":  # ad-tech config: what makes magazine pages 30+ KB
            slots = ",".join(f'{{"id":"div-gpt-ad-{i}","sizes":[[300,250],[728,90]],"targeting":{{"pos":"{i}"}}}}'
                             for i in range(260))
            end.append(f"<script>window.adSlots=[{slots}];</script>")
        ch.body_end = "\n".join(end) + "\n"
        return ch

    def bait_flags(self) -> list[str]:
        """False-positive email look-alikes this site carries (recorded as ``bait``)."""
        rng, all_bait = self.rng, "bait_all" in self.tags
        bait = []
        if all_bait or rng.random() < 0.3:
            bait.append("logo@2x.png")
        if all_bait or rng.random() < 0.3:
            bait.append("jquery@3.6.0")
        if all_bait or rng.random() < 0.15:
            bait.append("https://abc123@o1234.ingest.sentry.io/567")
        if self.o.get("form") and (all_bait or rng.random() < 0.3):
            bait.append("user@example.com")
        if all_bait and self.p.contact_email:
            bait.append("u003e" + self.p.contact_email)
        return bait

    def social(self) -> list[str]:
        p = self.p
        if not (self.o.get("social") or self.rng.random() < 0.7):
            return []
        h = p.label
        options = [f"https://twitter.com/{h}", f"https://www.instagram.com/{h}/", f"https://www.facebook.com/{h}",
                   f"https://www.youtube.com/@{h}"]
        if p.niche == "payroll":
            options.append(f"https://www.linkedin.com/company/{h}/")
        if p.niche in ("gardening", "travel", "coffee"):
            options.append(f"https://www.pinterest.com/{h}/")
        links = options if self.o.get("social") else self.rng.sample(options, self.rng.randint(1, len(options)))
        self.m["social_profiles"] = links
        return links

    def footer(self, wfu_in_nav: bool) -> str:
        p, links = self.p, [(self.ui["about_path"], self.ui["about"] or "About")]
        if self.contact_href:
            links.append((self.contact_href, self.contact_text))
        links.append(("/privacy-policy/", "Privacy policy"))
        if self.wfu_path and not wfu_in_nav:
            links.append((self.wfu_path, self.wfu_text))
        if "rejects_guest_posts" in self.tags:
            links.append(("/guest-posts/", "Guest posts"))
        if self.o.get("resources"):
            links.append(("/resources/", "Resources"))
        if self.o.get("advertise"):
            links.append(("/advertise/", "Advertise"))
        if self.o.get("offniche") == "cooking":  # the one "fitness" link of a cooking blog
            links.append((self.index["fitness"][7].home_url, "Fitness"))
        mail = ""
        if p.enc == "footer":
            self.m["emails"].append({"email": p.contact_email, "url": p.home_url, "encoding": "footer", "walkable": True,
                                     "needs_js": False})
            mail = f'<p class="footer-contact">Say hi: {p.contact_email}</p>'
        social = "".join(f'<a href="{u}" rel="me noopener" target="_blank">{u.split("/")[2].split(".")[-2].title()}</a>'
                         for u in self.social())
        items = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for h, t in links)
        return (f'<footer class="site-footer"><div class="cols"><div><h4>{esc(p.name)}</h4><p>Independent writing about '
                f'{esc(p.topic)} since {2012 + p.index % 10}.</p>{mail}</div><div><ul>{items}</ul></div>'
                f'<div class="social">{social}</div></div><p class="copyright">&copy; 2026 {esc(p.name)}. '
                "All rights reserved.</p></footer>")

    def sidebar(self) -> str:
        if self.o.get("farm"):
            return self.farm_sidebar()
        recent = [x for x in self.p.posts if x.kind != "deep"][:3]
        items = "".join(f'<li><a href="/blog/{x.slug}/">{esc(x.title)}</a></li>' for x in recent)
        cats = "".join(f'<li><a href="/category/{self.cat_slug(c)}/">{esc(c)}</a></li>' for c in self.p.categories)
        return (f"<h3>Recent posts</h3><ul>{items}</ul><h3>Categories</h3><ul>{cats}</ul>"
                '<h3>Newsletter</h3><form class="newsletter" action="/subscribe/" method="post">'
                '<input type="email" name="EMAIL" placeholder="Your email address"><button>Subscribe</button></form>')

    @staticmethod
    def cat_slug(name: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")

    # -- pages -----------------------------------------------------------------

    def unreachable(self) -> tuple[Site, dict]:
        """A seed whose server is broken: every path answers 500."""
        self.m["reachable"] = False
        broken = Page(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", title="Error")
        site = Site(host=self.p.host, domain=self.p.domain, niche=self.p.niche, kind=self.p.kind, pages={},
                    also_hosts=list(self.p.also_hosts), catch_all=broken)
        self.m["error_urls"][self.p.home_url] = 500
        self.classify()
        return site, self.m

    def card(self, post: Post) -> str:
        return (f'<article class="post-card"><span class="tag">{esc(post.category)}</span>'
                f'<h2><a href="/blog/{post.slug}/">{esc(post.title)}</a></h2><p class="byline">{fmt_day(post.day)}</p>'
                f"<p>{esc(self.rng.choice(self.pool)[:160])}…</p></article>")

    def home(self) -> None:
        p, t = self.p, self.tags
        cards = "".join(self.card(x) for x in [x for x in p.posts if x.kind != "deep"][:3])
        links = ['<a href="/blog/">All articles</a>', f'<a href="{self.ui["about_path"]}">Start here</a>']
        if "spider_trap" in t:
            self.m["trap"], self.m["trap_url"] = True, self.url("/events/calendar/?month=2026-11")
            links.append('<a href="/events/calendar/?month=2026-11">Events calendar</a>')
        if "robots_private" in t:
            links.append('<a href="/private/team-contact/">Team directory</a>')
        if "binary_html_link" in t:
            links += ['<a href="/media/brochure.html">Download our brochure</a>',
                      '<a href="/downloads/training-plan.html">Free training plan</a>']
        if "broken_links" in t:
            links += ['<a href="/blog/old-beginner-guide/">Our old beginner guide</a>',
                      '<a href="/blog/behind-the-scenes/">Behind the scenes</a>']
        head = jsonld({"@context": "https://schema.org", "@type": "WebSite", "name": p.name, "url": p.home_url})
        if "u003e" + str(p.contact_email) in self.m["bait"]:
            head += ('<script>window.__PRELOADED_STATE__={"footer":"\\u003cp\\u003e' + str(p.contact_email) +
                     '\\u003c/p\\u003e","lang":"en"};</script>\n')
        main = (f'<section class="hero"><h1>{esc(p.name)}</h1><p>{esc(self.rng.choice(self.pool))}</p></section>'
                f'<section class="latest"><h2>Latest posts</h2>{cards}</section><p>{" · ".join(links)}</p>')
        main += self.competitor_html("home", "/")
        if self.o.get("js") == "spa":
            self.spa_home()
            return
        tagline = {"en": f"{p.topic.title()} tips, guides and honest reviews"}.get(p.language, p.name)
        if self.o.get("farm"):
            tagline = f"{p.name} – Health, Fitness, Money, Casino & Lifestyle Tips"
        self.add("/", tagline, main, head=head)

    def about(self) -> None:
        p, o = self.p, self.o
        team = "".join(f"<li><strong>{esc(a)}</strong> – {esc(self.rng.choice(self.pool)[:120])}</li>" for a in p.authors)
        extra = ""
        if p.contact_email and self.contact_path is None and p.enc in INLINE_ENCODINGS:
            extra = f"<p>Get in touch: {self.email(p.contact_email, p.enc, self.ui['about_path'])}</p>"
        elif not self.planted_site and p.enc in ("text", "mailto") and not o.get("form") and self.rng.random() < 0.3:
            first = p.authors[0].split()[0].lower()
            extra = f"<p>You can reach {esc(p.authors[0])} directly at {self.email(f'{first}.writes@{p.domain}', 'text', self.ui['about_path'])}.</p>"
        if o.get("charset", ("",))[0] == "windows-1252":
            extra += f"<p>{esc(CP1252_TEXT)}</p>"
        self.add(self.ui["about_path"], self.ui["about"] or f"About {p.name}",
                 f"<h1>About {esc(p.name)}</h1>{self.paras(3)}<h2>The team</h2><ul>{team}</ul>{extra}")

    def contact(self) -> None:
        p, o, path = self.p, self.o, self.contact_path
        assert path
        self.m["contact_page"] = self.url(path)
        parts, head = [f"<h1>{esc(self.contact_title)}</h1>"
                       f"<p>{esc(self.ui['intro'])}</p>"], ""
        enc, email = p.enc, p.contact_email
        if email and o.get("email_spot") != "deep_post":
            if enc in INLINE_ENCODINGS:
                label = "Email me" if enc == "mailto" else "Email us"
                parts.append(f"<p>Email: {self.email(email, enc, path, label=label)}</p>")
            elif enc == "mailto_multi":
                second = f"ads@{p.domain}"
                for e in (email, second):
                    self.m["emails"].append({"email": e, "url": self.url(path), "encoding": enc, "walkable": True,
                                             "needs_js": False})
                parts.append(f'<p><a href="mailto:{email},{second}?subject=Hello">Email the editors</a></p>')
            elif enc in ("js_dom", "js_obfuscated"):
                self.m["emails"].append({"email": email, "url": self.url(path), "encoding": enc, "walkable": False,
                                         "needs_js": True})
                if enc == "js_dom":  # the whole contact block (email link and form) is written by a script
                    parts.append('<div id="contact-root"></div>' + js_contact_script(email, contact_form("plain", path, False)))
                else:               # the address is assembled from a reversed string and char codes
                    parts.append('<p>Email: <span class="email"></span></p>' + js_email_script(email))
            elif enc == "jsonld":
                self.m["emails"].append({"email": email, "url": self.url(path), "encoding": "jsonld", "walkable": True,
                                         "needs_js": False})
                org = {"@context": "https://schema.org", "@type": "Organization", "name": p.name, "url": p.home_url}
                if o.get("jsonld") == "contactPoint":
                    org["contactPoint"] = {"@type": "ContactPoint", "contactType": "editorial", "email": email}
                else:
                    org["email"] = email
                head = jsonld(org)
        if self.charset != "utf-8":
            local = CP1252_TEXT if self.charset == "windows-1252" else "Grüße aus München – schreib uns gerne: Größe, Übung, Maß."
            parts.append(f"<p>{esc(local)}</p>")
        form = o.get("form") or ("plain" if enc in ("footer", None, "jsonld") or o.get("email_spot") else None)
        if enc == "js_dom":
            self.m["contact_form_url"] = self.url(path)
        if form:
            self.m["contact_form_url"] = self.url(path)
            parts.append(contact_form(form, path, "user@example.com" in self.m["bait"]))
        parts.append(f"<p>We usually answer within {self.rng.randint(2, 5)} business days.</p>")
        delay = 1.5 if "slow_page" in self.tags else 0.0
        if delay:
            self.m["slow_urls"].append(self.url(path))
        self.add(path, self.contact_title, "".join(parts), head=head,
                 delay=delay)

    def post_head(self, post: Post) -> str:
        """Author markup: meta name=author, JSON-LD Person (recorded in ``author_markup``)."""
        head = ""
        if self.o.get("extra"):
            head += f'<meta property="article:published_time" content="{post.day.isoformat()}T08:00:00+00:00">\n'
        if self.use_meta_author:
            head += f'<meta name="author" content="{esc(post.author)}">\n'
        if self.use_jsonld_author:
            person = {"@type": "Person", "name": post.author}
            if self.use_rel_author:  # author archive pages exist only on sites with rel=author bylines
                person["url"] = self.url(f"/author/{self.cat_slug(post.author)}/")
            head += jsonld({"@context": "https://schema.org", "@type": "BlogPosting", "headline": post.title,
                            "datePublished": post.day.isoformat(), "author": person})
        return head

    def blog(self) -> None:
        p, rng = self.p, self.rng
        self.use_meta_author = rng.random() < 0.5
        self.use_jsonld_author = bool(self.o.get("authors_jsonld")) or rng.random() < 0.4
        self.use_rel_author = rng.random() < 0.5
        self.m["author_markup"] = [k for k, on in (("meta", self.use_meta_author), ("jsonld", self.use_jsonld_author),
                                                   ("rel", self.use_rel_author)) if on]
        for i, post in enumerate(p.posts):
            self.roundup(post) if post.kind == "roundup" else self.post(post, i)
        chunks = [p.posts[i:i + 3] for i in range(0, len(p.posts), 3)]
        for n, chunk in enumerate(chunks, start=1):
            path = "/blog/" if n == 1 else f"/blog/page/{n}/"
            nxt = f'<a href="/blog/page/{n + 1}/">Older posts →</a>' if n < len(chunks) else ""
            self.add(path, "Blog" if n == 1 else f"Blog – Page {n}",
                     "<h1>Blog</h1>" + "".join(self.card(x) for x in chunk) + f'<nav class="pagination">{nxt}</nav>')
        for cat in p.categories:
            listed = [x for x in p.posts if x.category == cat and x.kind != "deep"]
            self.add(f"/category/{self.cat_slug(cat)}/", cat, f"<h1>Category: {esc(cat)}</h1>" +
                     "".join(self.card(x) for x in listed))
        if self.use_rel_author:
            for a in p.authors:
                mine = "".join(self.card(x) for x in p.posts if x.author == a and x.kind != "deep")
                self.add(f"/author/{self.cat_slug(a)}/", a, f"<h1>{esc(a)}</h1><p>{esc(self.rng.choice(self.pool)[:200])}</p>{mine}")

    def byline(self, post: Post) -> str:
        who = (f'<a rel="author" href="/author/{self.cat_slug(post.author)}/">{esc(post.author)}</a>'
               if self.use_rel_author else f'<span class="author">{esc(post.author)}</span>')
        return f'<p class="byline">By {who} · {fmt_day(post.day)}</p>'

    def post(self, post: Post, i: int) -> None:
        p, rng, o = self.p, self.rng, self.o
        if o.get("farm"):
            return self.farm_post(post)
        if o.get("js") == "email" and post.kind == "deep":
            return self.js_post(post)
        body = [f"<h1>{esc(post.title)}</h1>", self.byline(post), self.paras(2)]
        for heading in rng.sample(VOCAB[p.topic]["kw"], 2):
            body.append(f"<h2>{esc(heading.title())}</h2>{self.paras(rng.randint(1, 3))}")
        if rng.random() < 0.5:
            wiki = rng.choice(VOCAB[p.topic]["wiki"])
            body.append(f'<p>Background reading: <a href="http://en.wikipedia.org/wiki/{wiki}">Wikipedia</a>, and the '
                        f'<a href="http://www.amazon.com/dp/B0{rng.randint(10**7, 10**8 - 1)}?tag={p.label}-20" '
                        'rel="sponsored nofollow">gear we use</a>.</p>')
        others = [q for q in self.index[p.niche] if q is not p]
        if others and rng.random() < 0.3:
            q = rng.choice(others)
            body.append(f'<p>Our friends at <a href="{q.home_url}">{esc(q.name)}</a> cover this too.</p>')
        walk_email = post.kind == "deep" and o.get("email_spot") == "deep_post" and p.contact_email
        if walk_email:
            body.append(f"<p>Questions about this programme? Write to the author at "
                        f"{self.email(p.contact_email, 'text', f'/blog/{post.slug}/', walkable=False)}.</p>")
        if i == 1 and "write_for_us_in_passing" in self.tags:
            self.m["mentions_write_for_us_in_passing"] = self.url(f"/blog/{post.slug}/")
            body.append("<p>Back in 2019 we briefly asked readers to write for us, and the pitches taught us a lot – "
                        "mostly about what not to do. These days every article here is written by our own team.</p>")
        if o.get("extra") and post in self.ordinary:
            k = self.ordinary.index(post)
            if k == 0 and o.get("offniche"):
                heading, passage = OFFNICHE_PASSAGES[o["offniche"]]
                body.append(f"<h2>{esc(heading)}</h2>{passage}")
            body.append(self.competitor_html(f"post{k}", f"/blog/{post.slug}/"))
            body.append(self.comments(k, f"/blog/{post.slug}/"))
        body.append(share_buttons(self.url(f"/blog/{post.slug}/"), post.title))
        self.add(f"/blog/{post.slug}/", post.title, "<article>" + "".join(body) + "</article>", head=self.post_head(post))

    def pick_targets(self, count: int, homes: bool, path: str) -> list[tuple[Plan, Post | None]]:
        """Other same-niche sites to link to; seed sites first link the not-yet-linked non-seed ones."""
        p, rng = self.p, self.rng
        chosen: list[Plan] = []
        if p.seed and p.niche != "generic":
            waiting = self.queue[p.niche]
            while waiting and len(chosen) < 4:
                chosen.append(waiting.pop(0))
        others = [q for q in self.index[p.niche] if q is not p and q not in chosen]
        chosen += rng.sample(others, min(len(others), count - len(chosen)))
        out: list[tuple[Plan, Post | None]] = []
        for q in chosen:
            self.inbound.setdefault(q.domain, []).append(self.url(path))
            linkable = [x for x in q.posts if x.kind == "post"]
            out.append((q, None if homes else rng.choice(linkable)))
        return out

    def roundup(self, post: Post) -> None:
        p, rng = self.p, self.rng
        items = []
        for q, target in self.pick_targets(rng.randint(10, 30), homes=False, path=f"/blog/{post.slug}/"):
            assert target
            items.append(f'<li><a href="{q.home_url}blog/{target.slug}/">{esc(target.title)}</a> – '
                         f'{esc(rng.choice(self.pool)[:90])} <em>({esc(q.name)})</em></li>')
        if rng.random() < 0.3:
            q = rng.choice([x for x in self.index["generic"]])
            items.append(f'<li>Off-topic: <a href="{q.home_url}">{esc(q.name)}</a> is worth a look.</li>')
        if rng.random() < 0.3:
            items.append(f'<li>Short link we loved: <a href="http://bit.ly/{p.label[:4]}{post.number}">bit.ly</a></li>')
        path = f"/blog/{post.slug}/"
        if post is next(x for x in p.posts if x.kind == "roundup"):  # the newest issue links the extra sites
            items += self.injected("roundup", path) + self.injected("offtopic", path)
            assert sum(i.startswith('<li><a href="http://') for i in items) <= 30, path
        self.m["roundup_urls"].append(self.url(path))
        main = (f"<article><h1>{esc(post.title)}</h1>{self.byline(post)}<p>Welcome to issue #{post.number} of our "
                f"weekly link roundup: the best {esc(p.topic)} articles we read this week, published "
                f"{post.day.strftime('%B')} {post.day.day}, {post.day.year}.</p><ol class=\"roundup\">{''.join(items)}</ol>"
                f"<p>Want to be featured in next week's roundup? Send us your links.</p>"
                f"{share_buttons(self.url(path), post.title)}</article>")
        self.add(path, post.title, main, head=self.post_head(post), tags=("newsletter", "links"))

    def extras(self) -> None:
        """Write-for-us / guest-post policy / resources / advertise pages and the kind's own pages."""
        p, o = self.p, self.o
        if self.wfu_path:
            self.write_for_us()
        if "rejects_guest_posts" in self.tags:
            self.m["rejects_guest_posts_url"] = self.url("/guest-posts/")
            self.add("/guest-posts/", "Guest Posts", "<h1>Guest posts</h1><p>We do not accept guest posts. Please do not "
                     "email us about sponsored posts, link insertions or \u201cwrite for us\u201d opportunities; we will "
                     "not reply. Everything on this site is written by our own team.</p>")
        if o.get("resources"):
            self.m["resources_url"] = self.url("/resources/")
            links = "".join(f'<li><a href="{q.home_url}">{esc(q.name)}</a> – {esc(self.rng.choice(self.pool)[:80])}</li>'
                            for q, _ in self.pick_targets(self.rng.randint(8, 15), homes=True, path="/resources/"))
            links += "".join(self.injected("resources", "/resources/"))
            links += self.competitor_html("resources", "/resources/", item=True)
            wiki = VOCAB[p.topic]["wiki"][0]
            self.add("/resources/", f"{p.topic.title()} Resources", f"<h1>Resources</h1><p>Our favourite {esc(p.topic)} "
                     f"sites, tools and reading.</p><ul>{links}<li><a href=\"http://en.wikipedia.org/wiki/{wiki}\">"
                     "Wikipedia</a></li></ul>")
        if o.get("advertise"):
            self.m["advertise_url"] = self.url("/advertise/")
            self.add("/advertise/", "Advertise", f"<h1>Advertise with {esc(p.name)}</h1><p>Reach {self.rng.randint(20, 300)}k "
                     "monthly readers.</p><table class=\"price-table\"><tr><th>Placement</th><th>Price</th></tr>"
                     "<tr><td>Sidebar banner</td><td>$300/month</td></tr><tr><td>Sponsored post</td><td>$250</td></tr>"
                     "<tr><td>Newsletter mention</td><td>$120</td></tr></table><p>Ask for our media kit via the contact page.</p>")
        if o.get("js") == "contact":
            self.dashboard()
        kind_pages = {"shop": self.shop, "forum": self.forum, "directory": self.directory}
        if p.kind in kind_pages:
            kind_pages[p.kind]()

    def write_for_us(self) -> None:
        p, o, path = self.p, self.o, self.wfu_path
        assert path
        seller = o.get("wfu_kind") == "link_seller"
        self.m["write_for_us_url"], self.m["write_for_us_kind"] = self.url(path), "link_seller" if seller else "genuine"
        local = {"de": "redaktion", "es": "redaccion", "fr": "redaction"}.get(p.language, "orders" if seller else "editor")
        email = f"{local}@{p.domain}"
        how = (f"{self.email(email, p.enc, path, label='Pitch us')}" if p.enc in INLINE_ENCODINGS
               else f'our <a href="{self.contact_href or self.ui["about_path"]}">contact page</a>')
        if o.get("farm"):
            return self.farm_write_for_us(path, how)
        if o.get("layout"):
            title, main = self.real_write_for_us(how)
            self.add(path, title, main)
            return
        if p.language != "en":
            self.add(path, self.ui["wfu_title"], f"<h1>{esc(self.ui['wfu_title'])}</h1><p>{esc(self.ui['wfu'])} {how}.</p>"
                     + self.paras(2))
            return
        if seller:
            main = ("<h1>Write for Us – Sponsored Posts &amp; Link Insertions</h1><p>Boost your SEO with a do-follow link "
                    "on a high-DA site. Write for us or let our team write for you.</p><table class=\"price-table\">"
                    "<tr><td>Sponsored post: $150</td></tr><tr><td>Link insertion: $80</td></tr>"
                    "<tr><td>Casino / CBD / crypto: +$100</td></tr><tr><td>Homepage link: $300/month</td></tr></table>"
                    f"<p>Payment via PayPal upfront. Permanent do-follow links. Order by email: {how}.</p>")
        else:
            kws = "".join(f"<li>{esc(k)}</li>" for k in self.rng.sample(VOCAB[p.topic]["kw"], 4))
            main = (f"<h1>{esc(WFU_TITLES.get(path, 'Write for Us'))}</h1><p>We are always looking for fresh voices in "
                    f"{esc(p.topic)}. Write for us and reach our readers! Submit a guest post by following the "
                    "guidelines below.</p><h2>Guidelines</h2><ul><li>Original, unpublished content only.</li>"
                    f"<li>At least {self.rng.choice([800, 1000, 1200, 1500])} words.</li><li>No promotional links; one "
                    f"link in your author bio.</li></ul><h2>Topics we love</h2><ul>{kws}</ul><h2>How to pitch</h2>"
                    f"<p>Send your idea and two writing samples to {how}.</p>")
        self.add(path, "Write for Us" if seller else WFU_TITLES.get(path, "Write for Us"), main)

    def real_write_for_us(self, how: str) -> tuple[str, str]:
        """(title, main) of a real-layout site's guidelines page, written the way real ones are (issue 12):
        to the reader rather than "we accept", in the first person singular, and saying what it will not
        take ("we do not publish sponsored posts", "no casino, CBD or loan content", "I don't accept guest
        posts about...") while it invites guest posts."""
        p, theme = self.p, self.o["layout"]
        kws = "".join(f"<li>{esc(k)}</li>" for k in self.rng.sample(VOCAB[p.topic]["kw"], 4))
        words = self.rng.choice([800, 1000, 1200])
        if theme == "wordpress":
            return "Write For Us", (
                f"<h1>Write For Us</h1><p>Do you have a {esc(p.topic)} story, a training plan that worked or a lesson "
                f"learned the hard way? {esc(p.name)} is open to contributors.</p><h2>What to pitch</h2><ul>{kws}</ul>"
                f"<h2>Guidelines</h2><ul><li>{words:,}–2,000 words, original and not published anywhere else.</li>"
                "<li>One link to your own site in your author bio.</li><li>We do not publish sponsored posts or "
                "casino, CBD or loan content.</li><li>No paid links, no link insertions.</li></ul><h2>How to pitch</h2>"
                f"<p>Send a short outline and two writing samples to {how}.</p>")
        if theme == "ghost":
            return "Write for us", (
                f"<h1>Write for us</h1><p>Every issue of {esc(p.name)} features a reader’s {esc(p.topic)} story. If "
                "you’d like to write one, here’s how it works.</p><h2>What works here</h2><ul>" + kws + "</ul>"
                f"<p>Pieces run {words:,} to 1,500 words and must be your own, unpublished work. You keep the rights; "
                "you get a byline and an author page.</p><p>No sponsored content, please.</p>"
                f"<p>Pitch your idea to {how}.</p>")
        return "Guest Post With Us", (
            f"<h1>Guest Post With Us</h1><p class=\"kicker\">Write for us · guidelines</p><p>I run {esc(p.name)} on my "
            f"own and I love hearing from other {esc(p.topic)} coaches.</p><h2>The rules</h2><ul><li>Original articles only, {words:,} words or more.</li>"
            "<li>One dofollow link back to your site.</li><li>I don’t accept guest posts about supplements I can’t "
            f"check, crypto or gambling.</li></ul><h2>Topics</h2><ul>{kws}</ul><p>Email your draft to {how} – I read "
            "everything and answer within a week.</p>")

    def shop(self) -> None:
        rng, kws = self.rng, VOCAB[self.p.topic]["kw"]
        names = rng.sample(kws, 2)
        cards = "".join(f'<li><a href="/product/{self.cat_slug(n)}-kit/">{esc(n.title())} Kit</a> – '
                        f"${rng.randint(15, 300)}</li>" for n in names)
        self.add("/shop/", "Shop", f"<h1>Shop</h1><ul>{cards}</ul>")
        for n in names:
            self.add(f"/product/{self.cat_slug(n)}-kit/", f"{n.title()} Kit", f"<h1>{esc(n.title())} Kit</h1>{self.paras(2)}"
                     f'<p class="price">${rng.randint(15, 300)}.00</p><button>Add to cart</button>')

    def forum(self) -> None:
        rng = self.rng
        threads = [(i, rng.choice(self.pool)[:60].rstrip(" .")) for i in range(rng.randint(100, 900), 2000, 700)][:2]
        self.add("/forum/", "Forum", "<h1>Community forum</h1><ul>" + "".join(
            f'<li><a href="/forum/t/{i}/">{esc(t)}?</a></li>' for i, t in threads) + "</ul>")
        for i, t in threads:
            replies = "".join(f'<div class="reply"><strong>member{rng.randint(1, 999)}</strong><p>{esc(x)}</p></div>'
                              for x in rng.sample(self.pool, 3))
            self.add(f"/forum/t/{i}/", t, f"<h1>{esc(t)}?</h1>{replies}")

    def directory(self) -> None:
        links = "".join(f'<li><a href="{q.home_url}">{esc(q.name)}</a></li>'
                        for q, _ in self.pick_targets(self.rng.randint(20, 40), homes=True, path="/listings/"))
        self.add("/listings/", "Directory", f"<h1>{esc(self.p.topic.title())} directory</h1><ul>{links}</ul>"
                 "<p>Want your site listed? Add it through our contact page.</p>")

    def planted_pages(self) -> None:
        p, t = self.p, self.tags
        if "robots_private" in t:
            hidden = f"coach.private{self.rng.randint(100, 999)}@{p.domain}"
            url = self.url("/private/team-contact/")
            self.m["hidden_emails"].append({"email": hidden, "url": url})
            self.m["disallowed_urls"].append(url)
            self.add("/private/team-contact/", "Team contacts", f"<h1>Team contacts</h1><p>Internal: {hidden}</p>")
        if "binary_html_link" in t:
            self.pages["/media/brochure.html"] = Page(body=BINARY, content_type="application/octet-stream")
            self.pages["/downloads/training-plan.html"] = Page(body=BINARY[::-1], content_type="text/html")
            self.m["binary_urls"] += [self.url("/media/brochure.html"), self.url("/downloads/training-plan.html")]
        if "broken_links" in t:
            self.pages["/blog/behind-the-scenes/"] = Page(500, b"<html><body><h1>Internal Server Error</h1></body></html>")
            self.m["error_urls"].update({self.url("/blog/old-beginner-guide/"): 404,
                                         self.url("/blog/behind-the-scenes/"): 500})
        if p.enc in ("cfemail", "cdn_cgi"):
            self.pages[CDN_CGI] = Page(body=b"<html><head><title>Email Protection | Cloudflare</title></head><body>"
                                       b"<h1>Please enable cookies.</h1><p>You are unable to access this email address.</p>"
                                       b"</body></html>", title="Email Protection")

    def robots(self) -> str | None:
        if "crawl_delay" in self.tags:  # a group for our own user agent, with a Crawl-delay
            self.m["robots_disallow"] = ["/wp-admin/"]
            self.m["crawl_delay"] = 0.5
            return "User-agent: *\nDisallow: /wp-admin/\n\nUser-agent: linkspider\nCrawl-delay: 0.5\nDisallow: /wp-admin/\n"
        if "robots_private" in self.tags:
            self.m["robots_disallow"] = ["/private/", "/wp-admin/"]
            return "User-agent: *\nDisallow: /private/\nDisallow: /wp-admin/\n"
        if self.rng.random() < 0.3:
            return None
        self.m["robots_disallow"] = ["/wp-admin/"]
        return (f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
                f"Sitemap: {self.url('/sitemap.xml')}\n")

    def calendar(self, path: str, query: str) -> Page | None:
        """The spider trap: month pages link to the next and previous month, forever."""
        if path == "/events/calendar/":
            month = parse_qs(query).get("month", ["2026-11"])[0]
            m = re.fullmatch(r"(\d{4})-(\d{2})", month)
            if not m or not 1 <= int(m[2]) <= 12:
                return None
            y, mo = int(m[1]), int(m[2])
            prev_m = f"{y - (mo == 1):04d}-{(mo - 2) % 12 + 1:02d}"
            next_m = f"{y + (mo == 12):04d}-{mo % 12 + 1:02d}"
            days = "".join(f'<li><a href="/events/{y:04d}/{mo:02d}/{d:02d}/">{d} {month}</a></li>'
                           for d in (3, 11, 19, 27))
            main = (f"<h1>Events – {month}</h1><ul>{days}</ul><p><a href=\"/events/calendar/?month={prev_m}\">« Previous "
                    f"month</a> · <a href=\"/events/calendar/?month={next_m}\">Next month »</a></p>")
        else:
            m = re.fullmatch(r"/events/(\d{4})/(\d{2})/(\d{2})/", path)
            if not m:
                return None
            main = (f"<h1>Events on {m[1]}-{m[2]}-{m[3]}</h1><p>Group training session, 7 am.</p>"
                    f'<p><a href="/events/calendar/?month={m[1]}-{m[2]}">Back to the calendar</a></p>')
        doc = layout(self.chrome, "Events", main, path)
        return Page(body=doc.encode(self.charset, "xmlcharrefreplace"), content_type=self.content_type,
                    title="Events", text=plain_text(main))

    # -- issues 5 and 6: prospects that are not what they seem, competitors, JavaScript

    def injected(self, where: str, path: str) -> list[str]:
        """``<li>`` items linking the extra sites this page links to (``opts["links_in"]``); no random draws."""
        items = []
        for kind, q in self.o.get("links_in", []):
            if kind != where:
                continue
            self.m["linked_extras"].append(q.domain)
            if where == "offtopic":
                items.append(f'<li>Off-topic: <a href="{q.home_url}">{esc(q.name)}</a> is worth a look.</li>')
                continue
            self.inbound.setdefault(q.domain, []).append(self.url(path))
            if where == "roundup":
                target = next(x for x in q.posts if x.kind == "post")
                items.append(f'<li><a href="{q.home_url}blog/{target.slug}/">{esc(target.title)}</a> – a reader favourite '
                             f'this week. <em>({esc(q.name)})</em></li>')
            else:
                about = {"fitness": "training advice we keep coming back to"}.get(q.niche, f"not about training, but "
                                                                                         f"good on {q.topic}")
                items.append(f'<li><a href="{q.home_url}">{esc(q.name)}</a> – {esc(about)}</li>')
        return items

    def competitor_html(self, where: str, path: str, item: bool = False) -> str:
        """Links to the competitors planted at ``where`` (recorded in ``competitor_links``)."""
        out = []
        for spec in self.o.get("comp", []):
            if spec["where"] != where:
                continue
            html_ = self.competitor_row(spec, path)
            if html_:
                out.append(f"<li>{html_}</li>" if item else f"<p>{html_}</p>")
        return "".join(out)

    def competitor_row(self, spec: dict, path: str, page_status: int = 200) -> str:
        """Record one referring link; return its HTML ('' when the link is gone or sits in a comment)."""
        base = NF if spec["c"] == "nerdfitness" else BB
        target = base + spec["path"]
        rel = {"nofollow": "nofollow", "sponsored": "sponsored", "ugc": "ugc nofollow"}.get(spec["status"], "")
        href, via = target, None
        if spec.get("wrapped"):
            wrapped = "/go?url=" + quote(target, safe="")
            self.redirects[wrapped] = (302, target)
            href = via = wrapped
        self.m["competitor_links"].append({
            "referring_url": self.url(path), "referring_domain": self.p.domain, "competitor": COMPETITORS[spec["c"]],
            "target_url": target, "anchor": spec["anchor"], "status": spec["status"], "page_status": page_status,
            "rel": rel, "via_redirect": self.url(via) if via else None})
        if spec["status"] == "gone" or spec["where"].startswith("comment"):
            return ""
        a = f'<a href="{esc(href)}"{f" rel={chr(34)}{rel}{chr(34)}" if rel else ""}>{esc(spec["anchor"])}</a>'
        if spec["status"] == "sponsored":
            return f"This post is sponsored: thanks to {a} for supporting the blog."
        return f"If you want a second opinion, {a} covers this well."

    def comments(self, k: int, path: str) -> str:
        """A comment section under the k-th post: reader comments with ugc links, and comment spam."""
        rows = []
        for spec in self.o.get("comp", []):
            if spec["where"] == f"comment{k}":
                self.competitor_row(spec, path)
                base = NF if spec["c"] == "nerdfitness" else BB
                rows.append(("Dave K.", f'Great post. For a full routine I used <a href="{base}{spec["path"]}" rel="ugc nofollow">'
                                        f'{esc(spec["anchor"])}</a> when I started.'))
        for kind, q in self.o.get("links_in", []):
            if kind == f"comment{k}":
                self.m["linked_extras"].append(q.domain)
                rows.append(("Rahul SEO", f'Nice article very informative. Also visit <a href="{q.home_url}" rel="ugc nofollow">'
                                          "best fitness and money tips</a> for more.</p><p>Thanks for sharing"))
        if not rows:
            return ""
        items = "".join(f'<li class="comment"><strong>{esc(who)}</strong><p>{text}</p></li>' for who, text in rows)
        return f'<section class="comments"><h2>{len(rows)} Comments</h2><ol>{items}</ol></section>'

    def missing_referrers(self) -> None:
        """Backlink-export rows whose referring page is gone altogether (the URL now answers 404)."""
        for spec in self.o.get("comp", []):
            if spec["where"] == "missing":
                path = f"/blog/{spec['c']}-alternatives-we-tried/"
                assert path not in self.pages
                self.competitor_row(spec, path, page_status=404)

    def farm_sidebar(self) -> str:
        """A link farm's blogroll: 45 unrelated domains on every page."""
        if not hasattr(self, "_farm_sidebar"):
            others = [q for n in ("coffee", "payroll", "gardening", "travel", "generic") for q in self.index[n]]
            homes = [q.home_url for q in self.rng.sample(others, 30)] + [f"https://www.{d}/" for d in SPAM_DOMAINS]
            self.rng.shuffle(homes)
            words = VOCAB["spam"]["kw"]
            links = "".join(f'<li><a href="{u}">{esc(words[i % len(words)])}</a></li>' for i, u in enumerate(homes))
            self._farm_sidebar = f"<h3>Partner sites</h3><ul class=\"partners\">{links}</ul>"
        return self._farm_sidebar

    def farm_post(self, post: Post) -> None:
        """Thin, spun posts mixing casino, loans, CBD, crypto and fitness."""
        kw = self.rng.choice(VOCAB["spam"]["kw"])
        spam = self.rng.choice(SPAM_DOMAINS)
        main = (f"<article><h1>{esc(post.title)}</h1>{self.byline(post)}<p>{esc(post.title)}? "
                f"{esc(self.rng.choice(self.pool))}</p>"
                f'<p>{esc(self.rng.choice(self.pool)[:200])} Read more about <a href="https://www.{spam}/">{esc(kw)}</a>.</p>'
                "</article>")
        self.add(f"/blog/{post.slug}/", post.title, main, head=self.post_head(post))

    def farm_write_for_us(self, path: str, how: str) -> None:
        self.m["write_for_us_url"], self.m["write_for_us_kind"] = self.url(path), "link_seller"
        main = ("<h1>Write for Us – Guest Post Service</h1><p>We accept guest posts in all niches: health, fitness, "
                "finance, casino, crypto, tech, travel and more. Fast publishing within 24 hours!</p>"
                '<table class="price-table"><tr><td>Guest post (dofollow link): $80</td></tr>'
                "<tr><td>Casino / CBD / payday loans / crypto accepted: +$40</td></tr>"
                "<tr><td>Link insertion in old post: $50</td></tr><tr><td>Homepage link: $200/month</td></tr></table>"
                "<p>All links are dofollow and permanent. No \u201csponsored\u201d tag. Payment via PayPal or USDT "
                f"before publishing. Send your article or order to {how}.</p>")
        self.add(path, "Write for Us – Guest Post $80 – Dofollow Links", main)

    def js_post(self, post: Post) -> None:
        """A deep post whose body is loaded by a script: empty in static HTML, not worth rendering."""
        body = "".join(f"<p>{esc(t)}</p>" for t in self.rng.sample(self.pool, 3))
        script = ("<script>\ndocument.getElementById('post-body').innerHTML = "
                  + json.dumps(body).replace("</", "<\\/") + ";\n</script>")
        path = f"/blog/{post.slug}/"
        self.js_not_worth.append(self.url(path))
        self.add(path, post.title, f'<article><h1>{esc(post.title)}</h1>{self.byline(post)}'
                 f'<div id="post-body" class="entry-content"></div>{script}</article>', head=self.post_head(post))

    def dashboard(self) -> None:
        """An empty member dashboard filled by a script: not worth rendering."""
        doc = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
               f"<title>Dashboard | {esc(self.p.name)}</title>\n</head>\n<body>\n"
               '<div id="dashboard-root"></div>\n<script>\ndocument.getElementById("dashboard-root").innerHTML = '
               "'<p>Loading your classes\u2026<\\/p>';\n</script>\n</body>\n</html>\n")
        self.pages["/app/"] = Page(body=doc.encode(), content_type=self.content_type, title="Dashboard", text="")
        self.js_not_worth.append(self.url("/app/"))

    def spa_home(self) -> None:
        """The home page is a single-page-app shell: nav and posts exist only after the script runs."""
        p = self.p
        routes = [("/blog/", "Blog"), (self.ui["about_path"], "About"), (self.contact_path or "/", "Contact"),
                  (self.wfu_path or "/", "Write for us")]
        cards = [(f"/blog/{x.slug}/", x.title) for x in p.posts if x.kind != "deep"][:3]
        title = f"{p.name} – {p.topic.title()} Coaching and Training Plans"
        doc = spa_document(p.name, p.host, title, routes, cards, self.rng.choice(self.pool))
        self.pages["/"] = Page(body=doc.encode(), content_type=self.content_type, title=title,
                               text="Please enable JavaScript to use this site.")

    js_not_worth: list[str]

    def js_truth(self) -> None:
        """The manifest's ``js_only`` block: what only a JavaScript-running browser can see."""
        js = self.o.get("js")
        if not js:
            return
        m = self.m
        if js == "spa":  # nothing beyond the home page is linked in static HTML
            for e in m["emails"]:
                e["walkable"] = False
            emails = [e["email"] for e in m["emails"]]
        else:
            emails = [e["email"] for e in m["emails"] if e["needs_js"]]
        m["js_only"] = {"contact_url": m["contact_page"], "emails": list(dict.fromkeys(emails)),
                        "contact_form": js == "contact", "spa_home": js == "spa",
                        "not_worth_rendering_urls": list(self.js_not_worth)}

    def classify(self) -> None:
        """``site_class`` and ``want_first`` (relative to the site's own niche)."""
        p, m, o = self.p, self.m, self.o
        if o.get("cls"):
            cls = o["cls"]
        elif p.niche == "generic":
            cls = "off_niche"
        elif not m["reachable"]:
            cls = "unreachable"
        elif m["write_for_us_kind"] == "link_seller":
            cls = "link_seller"
        elif not p.active:
            cls = "dormant"
        else:
            cls = "niche"
        m["site_class"] = cls
        recent = (TODAY - p.posts[0].day).days <= ACTIVE_DAYS
        contributes = m["write_for_us_kind"] == "genuine" or bool(m["roundup_urls"]) or bool(m["resources_url"])
        reachable_contact = bool(m["emails"]) or bool(m["contact_form_url"])
        m["want_first"] = bool(cls == "niche" and recent and p.language == "en" and not m["rejects_guest_posts_url"]
                               and contributes and reachable_contact)


def competitor_summary(entries: list[dict]) -> dict:
    """Top-level manifest fields: every backlink-export row, and the domains linking to both competitors now."""
    rows = [row for e in entries for row in e["competitor_links"]]
    live: dict[str, set[str]] = {}
    for row in rows:
        if row["status"] != "gone" and row["page_status"] == 200:
            live.setdefault(row["referring_domain"], set()).add(row["competitor"])
    both = sorted(d for d, comps in live.items() if len(comps) >= 2)
    return {"competitor_backlinks": rows, "intersect_domains": both}
