"""The article web: a small "nutrition" corner of the fake web for the article spider's tests (issue 17).

``plant_article_web(web)`` adds, to a web of its own (the tests build one, as
the monitor's do, so no other crawl meets these sites):

- the user's site ``www.blendwell.com`` (brand "Blendwell") with three
  articles on three topics (``ARTICLES``: protein smoothies, overnight oats,
  fermented foods);
- nutrition blogs whose resources pages and roundups are about one of those
  topics (``would_include``: the article on that topic belongs on them), and
  blogs about another topic (same niche, other article);
- on those pages, links to dead pages (404, 410, a name that does not
  resolve, a parked domain, a redirect to another site's home page), to live
  ones (plain, a trailing-slash redirect, a server that refuses HEAD), to
  answers that are only unsure (a 503, a page slower than the check's
  timeout), to a site whose robots.txt keeps us out of part of it, to private
  addresses (never to be contacted), and a dozen links to one site;
- pages that name Blendwell without a link (unlinked mentions), with a link
  (existing links), and one that only says "Blendwellness".

Every planted case is in the returned ``ArticleWeb`` (ground truth); a
hostname not in the web answers as a proxy does when the name does not
resolve (``generate.FakeWeb.resolve``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .generate import FakeWeb
from .model import Page, Redirect, Site
from .render import Chrome, esc, layout
from .sites import plain_text

NICHE = "nutrition"
USER_HOST, USER_DOMAIN, BRAND = "www.blendwell.com", "blendwell.com", "Blendwell"
SLOW_SECONDS = 8.0  # the slow target's delay: tests set BROKEN_CHECK_TIMEOUT below it

TOPICS: dict[str, tuple[str, ...]] = {
    "smoothies": ("protein smoothies", "greek yogurt", "frozen banana", "peanut butter", "protein powder",
                  "almond milk", "smoothie recipes"),
    "oats": ("overnight oats", "rolled oats", "chia seeds", "mason jars", "meal prep", "maple syrup"),
    "fermented": ("fermented foods", "gut health", "homemade kefir", "sauerkraut", "kombucha", "kimchi"),
    "vitamins": ("vitamin d", "leafy greens", "iron levels", "daily multivitamin", "omega-3 fats", "sunlight"),
}
SENTENCES = (
    "{P} is easier than most people think.", "We make {p} every week, usually with {q}.",
    "If you are new to {p}, start with {q} and build from there.", "Readers keep asking how {p} compares with {q}.",
    "A good {p} habit saves money and time on busy mornings.", "The trick with {p} is to keep {q} on hand.",
    "Our nutrition editor tested {p} for a month and wrote down every result.",
    "Healthy eating gets simpler once {p} becomes a routine, and {q} helps.",
)
# The user's articles: path -> (title, topic, headings).
ARTICLES = {
    "smoothies": ("/blog/high-protein-smoothies/", "High-Protein Smoothies: 12 Recipes for Breakfast"),
    "oats": ("/blog/overnight-oats-meal-prep/", "Overnight Oats for Weekday Meal Prep"),
    "fermented": ("/blog/fermented-foods-gut-health/", "Fermented Foods for Gut Health at Home"),
}


@dataclass
class ArticleWeb:
    """Ground truth of the article web."""

    articles: dict[str, str]  # topic -> article URL
    seeds: list[str]  # home URLs of every nutrition blog (a seed list)
    would_include: dict[str, list[str]]  # topic -> sites whose roundup/resources page is on that topic
    curated_pages: dict[str, str]  # site -> its roundup/resources page
    dead: dict[str, str] = field(default_factory=dict)  # dead URL -> how it fails
    unsure: dict[str, str] = field(default_factory=dict)
    live: list[str] = field(default_factory=list)  # live pages of sites that are only link targets
    peers: list[str] = field(default_factory=list)  # home pages of the niche's blogs, linked from curated pages
    robots_hidden: list[str] = field(default_factory=list)  # disallowed by the target's robots.txt
    private: list[str] = field(default_factory=list)  # private addresses: never contacted
    crowded_site: str = ""  # a target linked a dozen times (the per-domain cap)
    crowded_urls: list[str] = field(default_factory=list)
    unlinked_mentions: list[str] = field(default_factory=list)  # page URLs naming the brand, no link
    linked_mentions: list[str] = field(default_factory=list)  # page URLs naming the brand and linking
    not_mentions: list[str] = field(default_factory=list)  # "Blendwellness": not the brand


def _paras(rng: random.Random, topic: str, count: int) -> str:
    words = TOPICS[topic]
    out = []
    for _ in range(count):
        parts = []
        for template in rng.sample(SENTENCES, 4):
            p, q = rng.sample(words, 2)
            parts.append(template.format(P=p[:1].upper() + p[1:], p=p, q=q))
        out.append(f"<p>{esc(' '.join(parts))}</p>")
    return "".join(out)


class _Builder:
    def __init__(self, web: FakeWeb, rng: random.Random) -> None:
        self.web, self.rng = web, rng

    def site(self, host: str, name: str, pages: dict[str, tuple[str, str]], *, robots: str | None = None,
             raw: dict[str, Page] | None = None, redirects: dict[str, tuple[int, str]] | None = None,
             nav: list[tuple[str, str]] | None = None) -> Site:
        """A site of HTML pages ``path -> (title, main HTML)`` in a plain blog theme."""
        domain = host.removeprefix("www.")
        chrome = Chrome(site_name=name, host=host, nav=[("/", "Home"), ("/blog/", "Blog"), *(nav or []),
                                                        ("/about/", "About"), ("/contact/", "Contact")],
                        footer_html=f'<footer class="site-footer"><p>© 2026 {esc(name)}</p></footer>')
        built = {path: Page(body=layout(chrome, title, main, path).encode(), title=title,
                            text=plain_text(f"<h1>{title}</h1>{main}")) for path, (title, main) in pages.items()}
        built.update(raw or {})
        site = Site(host=host, domain=domain, niche=NICHE, kind="blog", pages=built, redirects=redirects or {},
                    robots=robots, also_hosts=[domain],
                    not_found=Page(404, b"<html><body><h1>Not found</h1></body></html>", title="Not found"))
        for h in (host, domain):
            self.web.sites[h] = site
        return site

    def blog(self, host: str, name: str, topic: str, special: dict[str, tuple[str, str]] | None = None,
             posts: list[tuple[str, tuple[str, str]]] | None = None) -> list[str]:
        """A nutrition blog on ``topic``: home, about, contact with an email, three posts, its special pages."""
        rng = self.rng
        words = TOPICS[topic]
        titles = [f"{words[0].title()} for Beginners", f"What We Learned About {words[1].title()}",
                  f"{words[2].title()} Without the Fuss"]
        pages: dict[str, tuple[str, str]] = {}
        links = []
        for i, title in enumerate(titles):
            path = f"/blog/{'-'.join(title.lower().split())}/"
            pages[path] = (title, f"<article><h1>{esc(title)}</h1><p class=\"byline\">By the editors · "
                                  f'<time datetime="2026-11-{10 + i:02d}">November {10 + i}, 2026</time></p>'
                                  f"{_paras(rng, topic, 3)}<h2>{esc(words[3].title())}</h2>{_paras(rng, topic, 2)}"
                                  "</article>")
            links.append(f'<li><a href="{path}">{esc(title)}</a></li>')
        for path, (title, main) in (posts or []):
            pages[path] = (title, main)
            links.append(f'<li><a href="{path}">{esc(title)}</a></li>')
        nav = []
        for path, (title, main) in (special or {}).items():
            pages[path] = (title, main)
            nav.append((path, title.split(":")[0][:30]))
        pages["/"] = (f"{name}: healthy eating, {topic}", f"<h1>{esc(name)}</h1>{_paras(rng, topic, 1)}"
                                                          f"<h2>Latest posts</h2><ul>{''.join(links)}</ul>")
        pages["/blog/"] = ("Blog", f"<h1>Blog</h1><ul>{''.join(links)}</ul>")
        pages["/about/"] = (f"About {name}", f"<h1>About {esc(name)}</h1>{_paras(rng, topic, 2)}")
        pages["/contact/"] = ("Contact", f"<h1>Contact</h1><p>Email us at editor@{host.removeprefix('www.')} "
                                         "with questions, tips and pitches.</p>")
        self.site(host, name, pages, nav=nav)
        return [f"http://{host}/"]


def _curated(kind: str, topic: str, number: int, links: list[tuple[str, str]]) -> tuple[str, str]:
    """A resources page or a roundup on ``topic`` linking ``links`` (url, anchor), each link described with
    the topic's words, as a curator writes them."""
    words = TOPICS[topic]
    phrase = words[0]
    items = "".join(f'<li><a href="{url}">{esc(anchor)}</a> – {esc(words[i % len(words)])} done right, '
                    f"and a favourite of ours on {esc(phrase)}.</li>" for i, (url, anchor) in enumerate(links))
    if kind == "resources":
        title = f"{phrase.title()}: Useful Links and Resources"
        return title, (f"<h1>{esc(title)}</h1><p>Our favourite {esc(phrase)} resources: the useful links, tools "
                       f"and guides we recommend to readers.</p><ul>{items}</ul><p>Know a great {esc(phrase)} "
                       "guide we should add? Send it to us.</p>")
    title = f"Weekly Roundup #{number}: The Best {phrase.title()} Reads"
    return title, (f"<article><h1>{esc(title)}</h1><p class=\"byline\">"
                   f'<time datetime="2026-11-{number % 20 + 1:02d}">November {number % 20 + 1}, 2026</time></p>'
                   f"<p>Welcome to issue #{number} of our weekly link roundup: the best {esc(phrase)} articles we "
                   f"read this week.</p><ol class=\"roundup\">{items}</ol><p>Want to be featured in next week's "
                   "roundup? Send us your links.</p></article>")


def plant_article_web(web: FakeWeb) -> ArticleWeb:
    """Add the article web to ``web`` (see the module docstring); returns its ground truth."""
    rng = random.Random("article-web")
    b = _Builder(web, rng)
    truth = ArticleWeb(articles={}, seeds=[], would_include={t: [] for t in ARTICLES}, curated_pages={})

    # -- the user's own site and articles
    user_pages = {}
    for topic, (path, title) in ARTICLES.items():
        words = TOPICS[topic]
        user_pages[path] = (title, f"<article><h1>{esc(title)}</h1>{_paras(rng, topic, 3)}"
                                   f"<h2>Why {esc(words[0])} work</h2>{_paras(rng, topic, 3)}"
                                   f"<h2>{esc(words[1].title())} and {esc(words[2])}</h2>{_paras(rng, topic, 3)}"
                                   "</article>")
        truth.articles[topic] = f"http://{USER_HOST}{path}"
    user_pages["/"] = ("Blendwell", "<h1>Blendwell</h1><p>Simple, healthy recipes.</p>")
    b.site(USER_HOST, BRAND, user_pages)

    # -- link targets that are only targets
    s = "http://www.smoothielab.com"
    b.site("www.smoothielab.com", "Smoothie Lab", {
        "/recipes/green-smoothie/": ("Green Smoothie", "<h1>Green smoothie</h1>" + _paras(rng, "smoothies", 2)),
        "/recipes/mango/": ("Mango Smoothie", "<h1>Mango smoothie</h1>" + _paras(rng, "smoothies", 2)),
        "/": ("Smoothie Lab", "<h1>Smoothie Lab</h1>" + _paras(rng, "smoothies", 1))})
    truth.dead[f"{s}/recipes/old-berry-blast/"] = "404"
    truth.live += [f"{s}/recipes/green-smoothie/", f"{s}/recipes/mango"]  # the second: a trailing-slash redirect
    b.site("www.juicejournal.com", "Juice Journal", {
        "/": ("Juice Journal", "<h1>Juice Journal</h1>" + _paras(rng, "smoothies", 1))},
        raw={"/archive/kale-shake/": Page(410, b"<html><body><h1>Gone</h1></body></html>", title="Gone")})
    truth.dead["http://www.juicejournal.com/archive/kale-shake/"] = "410"
    truth.dead["http://www.smoothiestation.com/recipes/vanilla-shake/"] = "DNS lookup failed"
    truth.dead["http://www.pickleparty.com/blog/quick-pickles/"] = "DNS lookup failed"
    lander = Page(body=b"<html><head><title>blenderbuzz.com is for sale</title></head><body><h1>The domain "
                  b"blenderbuzz.com is for sale!</h1><p>Buy this domain today. Make an offer.</p></body></html>",
                  title="blenderbuzz.com is for sale")
    parked = b.site("www.blenderbuzz.com", "", {}, raw={"/lander": lander})
    parked.dynamic = lambda path, query: Redirect(302, "http://www.blenderbuzz.com/lander") if path != "/lander" \
        else None
    truth.dead["http://www.blenderbuzz.com/reviews/best-blenders/"] = "parked domain (for sale)"
    b.site("www.oldshakeblog.com", "", {}, redirects={"/recipes/chocolate-shake/": (301, "http://www.bigfoodbrands.com/")})
    b.site("www.bigfoodbrands.com", "Big Food Brands", {"/": ("Big Food Brands", "<h1>Big Food Brands</h1>"
                                                              "<p>Snacks for every occasion.</p>")})
    truth.dead["http://www.oldshakeblog.com/recipes/chocolate-shake/"] = "redirects to the home page of bigfoodbrands.com"
    headless = b.site("www.blendtecfans.com", "Blender Fans", {
        "/reviews/": ("Blender Reviews", "<h1>Blender reviews</h1>" + _paras(rng, "smoothies", 2))})
    headless.pages["/reviews/"].head_status = 405
    truth.live.append("http://www.blendtecfans.com/reviews/")
    b.site("www.proteinplanet.com", "Protein Planet", {},
           raw={"/guide/": Page(503, b"<html><body>Service unavailable</body></html>", title="Unavailable")})
    truth.unsure["http://www.proteinplanet.com/guide/"] = "503"
    b.site("www.slowsmoothies.com", "Slow Smoothies", {
        "/recipes/": ("Slow recipes", "<h1>Slow</h1>" + _paras(rng, "smoothies", 1))})
    web.sites["www.slowsmoothies.com"].pages["/recipes/"].delay = SLOW_SECONDS
    truth.unsure["http://www.slowsmoothies.com/recipes/"] = "timeout"
    crowd = {f"/recipes/r{i}/": (f"Recipe {i}", f"<h1>Recipe {i}</h1>" + _paras(rng, "smoothies", 1))
             for i in range(1, 11)}
    b.site("www.recipevault.com", "Recipe Vault", crowd, robots="User-agent: *\nDisallow: /members/\n")
    truth.crowded_site = "recipevault.com"
    truth.crowded_urls = [f"http://www.recipevault.com/recipes/r{i}/" for i in range(1, 11)]
    truth.robots_hidden = ["http://www.recipevault.com/members/smoothie-club/"]
    truth.private = ["http://10.0.0.7/smoothies/", "http://127.0.0.1:9/smoothies/"]

    def other(host: str, path: str) -> str:
        return f"http://{host}{path}"

    # -- nutrition blogs: curated pages on one topic, with their links
    smoothie_links = [(f"{s}/recipes/green-smoothie/", "Green smoothie basics"),
                      (f"{s}/recipes/old-berry-blast/", "Berry blast protein smoothie"),
                      ("http://www.smoothiestation.com/recipes/vanilla-shake/", "Vanilla protein shake"),
                      ("http://www.blenderbuzz.com/reviews/best-blenders/", "Best blenders for smoothies"),
                      ("http://www.blendtecfans.com/reviews/", "Blender reviews"),
                      ("http://www.proteinplanet.com/guide/", "The protein powder guide"),
                      *[(u, "Members' smoothie club") for u in truth.robots_hidden],
                      *[(u, "Smoothies on our intranet") for u in truth.private],
                      *[(u, f"Vault recipe {i + 1}") for i, u in enumerate(truth.crowded_urls[:6])]]
    roundup_links = [("http://www.juicejournal.com/archive/kale-shake/", "Kale shake, the classic"),
                     ("http://www.oldshakeblog.com/recipes/chocolate-shake/", "Chocolate protein shake"),
                     ("http://www.slowsmoothies.com/recipes/", "Slow-blended smoothie recipes"),
                     (f"{s}/recipes/mango", "Mango smoothie"),
                     ("http://www.smoothiestation.com/recipes/berry-shake/", "Berry shake"),
                     *[(u, f"Vault pick {i + 1}") for i, u in enumerate(truth.crowded_urls[4:])]]
    truth.dead["http://www.smoothiestation.com/recipes/berry-shake/"] = "DNS lookup failed"
    plan = [  # host, name, topic, kind, links
        ("www.greenblendkitchen.com", "Green Blend Kitchen", "smoothies", "resources", smoothie_links),
        ("www.morningshakes.com", "Morning Shakes", "smoothies", "resources", roundup_links[:5] + smoothie_links[:1]),
        ("www.fuelfoodnotes.com", "Fuel Food Notes", "smoothies", "roundup", roundup_links),
        ("www.blendersociety.org", "Blender Society", "smoothies", "roundup", smoothie_links[:6]),
        ("www.nourishlist.com", "Nourish List", "smoothies", "resources", smoothie_links[4:]),
        ("www.culturedcrock.com", "Cultured Crock", "fermented", "resources",
         [("http://www.pickleparty.com/blog/quick-pickles/", "Quick pickles")]),
        ("www.kefircorner.com", "Kefir Corner", "fermented", "roundup", []),
        ("www.oatmealmornings.com", "Oatmeal Mornings", "oats", "resources", []),
        ("www.jarbreakfast.com", "Jar Breakfast", "oats", "roundup", []),
        ("www.oatsandjars.com", "Oats and Jars", "oats", "resources", []),
        ("www.vitaminvault.net", "Vitamin Vault", "vitamins", "resources", []),
    ]
    hosts = [p[0] for p in plan]
    for n, (host, name, topic, kind, links) in enumerate(plan):
        # Every curated page also links live posts of the other blogs (at least five other sites).
        peers = (hosts[n + 1:] + hosts[:n])[:6]
        peer_links = [(other(h, "/"), f"{h.split('.')[1].title()} on healthy eating") for h in peers]
        path = "/resources/" if kind == "resources" else f"/blog/weekly-roundup-{20 + n}/"
        title, main = _curated(kind, topic, 20 + n, [*links, *peer_links])
        truth.seeds += b.blog(host, name, topic, special={path: (title, main)})
        truth.curated_pages[host.removeprefix("www.")] = f"http://{host}{path}"
        if topic in truth.would_include:
            truth.would_include[topic].append(host.removeprefix("www."))
        truth.peers += [u for u, _ in peer_links]

    # -- the brand, named with and without a link
    mention = ("<article><h1>{title}</h1>{paras}<p>{sentence}</p>{paras2}</article>")
    cases = [
        ("www.healthyhabitsblog.com", "Healthy Habits Blog", "unlinked",
         f"For breakfast ideas we keep going back to the {BRAND} smoothie guide, which is the best we know."),
        ("www.snackscience.net", "Snack Science", "unlinked",
         f"Our readers love the recipes from {BRAND.upper()}, especially the peanut butter one."),
        ("www.wholefoodweekly.com", "Whole Food Weekly", "linked",
         f'The <a href="https://{USER_HOST}/blog/high-protein-smoothies/">{BRAND} protein smoothie recipes</a> '
         "are our favourite."),
        ("www.mealprepmama.com", "Meal Prep Mama", "linked",
         f'We learned overnight oats from <a href="http://{USER_DOMAIN}/">{BRAND}</a>.'),
        ("www.spadaysweekly.com", "Spa Days Weekly", "not",
         "The Blendwellness Spa opened a juice bar last month."),
    ]
    for host, name, case, sentence in cases:
        path = "/blog/our-favourite-recipe-sites/"
        title = "Our Favourite Recipe Sites"
        main = mention.format(title=esc(title), paras=_paras(rng, "smoothies", 2), sentence=sentence,
                              paras2=_paras(rng, "smoothies", 1))
        truth.seeds += b.blog(host, name, "smoothies", posts=[(path, (title, main))])
        url = f"http://{host}{path}"
        {"unlinked": truth.unlinked_mentions, "linked": truth.linked_mentions, "not": truth.not_mentions}[case] \
            .append(url)
    return truth
