"""Site plans: who the sites of the fake web are, before any HTML is written.

Planning comes first because sites link to each other (roundups, resource pages,
directories): every site's name, host and posts must exist before pages are
rendered. The hard cases the crawler must handle are planted here, mostly among
the fitness sites (the niche the end-to-end tests crawl); ``FITNESS_PLANTS`` is
the list to read to know what the test web contains.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from linkspider.domains import registrable_domain

from .vocab import FIRST_NAMES, GENERIC_TOPICS, LAST_NAMES, NAME_PARTS, NICHES, SITE_COUNTS, SUFFIXES, \
    TITLE_TEMPLATES, VOCAB

# One entry per planted fitness site (index = position among fitness sites; the
# first 30 are in the seed list). Keys: enc (email encoding, None = no email),
# tags (planted hard cases), wfu (write-for-us path), wfu_kind, form, roundups,
# language, charset (charset, where declared), email_spot.
FITNESS_PLANTS: list[dict] = [
    {"enc": "mailto", "tags": ["bare_domain_seed", "bare_domain_redirect"], "social": True},
    {"enc": "text", "form": "cf7", "tags": ["trailing_slash_redirect"]},
    {"enc": "footer", "form": "plain", "tags": ["spider_trap"]},
    {"enc": "mailto_multi", "tags": ["binary_html_link", "binary_lying_content_type"]},
    {"enc": "at_brackets", "tags": ["broken_links"]},
    {"enc": "at_parens", "tags": ["redirect_302_link"]},
    {"enc": "at_words", "form": "wpforms"},
    {"enc": "at_braces", "tags": ["img_alt_contact_link"]},
    {"enc": "entities", "key": 0x42, "tags": ["icon_contact_link"]},
    {"enc": "entities", "key": 0x43, "wfu": "/contribute/"},
    {"enc": "cfemail", "wfu": "/write-for-us/"},
    {"enc": "cdn_cgi", "roundups": 2},
    {"enc": "jsonld", "jsonld": "email", "authors_jsonld": True},
    {"enc": "jsonld", "jsonld": "contactPoint"},
    {"enc": "text", "tags": ["bait_all"], "form": "plain"},
    {"enc": "text", "tags": ["get_in_touch_link"], "form": "cf7"},
    {"enc": "text", "tags": ["robots_private"]},
    {"enc": None, "tags": ["home_500"]},
    {"enc": "text", "tags": ["slow_page"]},
    {"enc": "text", "charset": ("windows-1252", "meta")},
    {"enc": "text", "language": "de", "charset": ("iso-8859-1", "header"), "wfu": "/gastautor-werden/"},
    {"enc": "text", "wfu": "/write-for-us/", "wfu_kind": "link_seller", "advertise": True},
    {"enc": "mailto", "tags": ["rejects_guest_posts"]},
    {"enc": "text", "tags": ["write_for_us_in_passing"]},
    {"enc": "text", "email_spot": "deep_post"},
    {"enc": "text", "wfu": "/guest-post-guidelines/", "roundups": 1, "resources": True},
    {"enc": "mailto", "wfu": "/submit/"},
    {"enc": "text", "wfu": "/write-for-us/", "roundups": 2},
    {"enc": "text", "roundups": 1, "resources": True},
    {"enc": "footer", "resources": True, "roundups": 1},
]
FITNESS_SEEDS = 30

# Fixed foreign-language sites: (niche, index) -> (label, suffix, display name, language, wfu path).
FOREIGN_SITES = {
    ("fitness", 20): ("kraftpfad", "de", "Kraftpfad", "de", "/gastautor-werden/"),
    ("coffee", 0): ("lapetitetasse", "fr", "La Petite Tasse", "fr", "/devenir-contributeur/"),
    ("travel", 0): ("mochilaviajera", "es", "Mochila Viajera", "es", "/escribe-para-nosotros/"),
}

WFU_PATHS = ("/write-for-us/", "/write-for-us/", "/contribute/", "/guest-post-guidelines/", "/submit/")
KINDS = (("blog", 50), ("magazine", 20), ("shop", 12), ("forum", 8), ("directory", 10))
TODAY = date(2026, 11, 20)  # the fake web's "now": fixed so output never changes


@dataclass
class Post:
    """A blog post; ``kind``: post | roundup | deep (oldest, linked only from the last archive page)."""

    slug: str
    title: str
    day: date
    category: str
    author: str
    kind: str = "post"
    number: int = 0  # roundup issue number


@dataclass
class Plan:
    """Everything decided about a site before rendering."""

    niche: str
    index: int
    topic: str            # vocabulary key: the niche, or a generic sub-topic
    kind: str
    language: str
    name: str
    label: str
    domain: str
    host: str
    also_hosts: list[str]
    rng: random.Random
    enc: str | None
    contact_email: str | None
    authors: list[str]
    posts: list[Post]
    categories: list[str]
    seed: bool
    opts: dict = field(default_factory=dict)   # the plant entry / random features
    tags: list[str] = field(default_factory=list)
    active: bool = True

    @property
    def home_url(self) -> str:
        return f"http://{self.host}/"


def slugify(text: str) -> str:
    """URL slug of a title: lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def title_case(text: str) -> str:
    """Capitalise each word but keep acronyms (``HIIT workouts`` -> ``HIIT Workouts``)."""
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


def _title(rng: random.Random, topic: str) -> str:
    v = VOCAB[topic]
    kw, kw2 = rng.sample(v["kw"], 2)
    return rng.choice(TITLE_TEMPLATES).format(n=rng.randint(3, 15), Adj=title_case(rng.choice(v["adj"])),
                                               Kw=title_case(kw), Kw2=title_case(kw2))


def _posts(rng: random.Random, topic: str, categories: list[str], authors: list[str], active: bool,
           roundups: int) -> list[Post]:
    """Seven posts, newest first (the last is the deep one), plus roundup issues."""
    newest = TODAY - timedelta(days=rng.randint(1, 40)) if active else date(2021, rng.randint(1, 12), rng.randint(1, 28))
    posts: list[Post] = []
    seen: set[str] = set()
    day = newest
    for i in range(7):
        title = _title(rng, topic)
        while slugify(title) in seen:
            title = _title(rng, topic)
        seen.add(slugify(title))
        posts.append(Post(slugify(title), title, day, rng.choice(categories), rng.choice(authors),
                          kind="deep" if i == 6 else "post"))
        day -= timedelta(days=rng.randint(5, 60))
    issue = rng.randint(20, 80)
    for i in range(roundups):
        posts.insert(i, Post(f"weekly-roundup-{issue - i}", f"Weekly Roundup #{issue - i}: The Best Reads This Week",
                             newest - timedelta(days=7 * i), categories[0], authors[0], kind="roundup", number=issue - i))
    posts.sort(key=lambda p: p.day, reverse=True)
    return posts


def _random_opts(rng: random.Random, niche: str) -> dict:
    """Features of a site that plants nothing in particular."""
    opts: dict = {"enc": rng.choices(["text", "mailto", "footer", "cfemail", "at_brackets", "jsonld", "entities",
                                      "mailto_multi", None], weights=[34, 20, 9, 8, 6, 6, 5, 4, 8])[0]}
    roll = rng.random()
    if roll < 0.35:
        opts["wfu"] = rng.choice(WFU_PATHS)
    elif roll < 0.40 and niche != "generic":
        opts["wfu"], opts["wfu_kind"] = "/write-for-us/", "link_seller"
    elif roll < 0.44:
        opts["tags"] = ["rejects_guest_posts"]
    opts["roundups"] = rng.choice([1, 2]) if rng.random() < 0.3 else 0
    opts["resources"] = rng.random() < 0.35
    opts["advertise"] = rng.random() < 0.25
    opts["form"] = rng.choice(["plain", "cf7", "wpforms"]) if rng.random() < 0.5 else None
    opts["no_contact_page"] = rng.random() < 0.1
    opts["jsonld"] = "email"
    if opts["enc"] == "jsonld" and rng.random() < 0.5:
        opts["jsonld"] = "contactPoint"
    return opts


def _name(rng: random.Random, niche: str, taken: set[str]) -> str:
    prefixes, suffixes = NAME_PARTS[niche]
    while True:
        pre, suf = rng.choice(prefixes), rng.choice(suffixes)
        label = pre + suf if rng.random() < 0.8 else f"{pre}-{suf}"
        if label.replace("-", "") not in taken and not label.startswith(suf):
            taken.add(label.replace("-", ""))
            return label


def _display(label: str, niche: str) -> str:
    prefixes, _ = NAME_PARTS[niche]
    plain = label.replace("-", "")
    for pre in prefixes:
        if plain.startswith(pre):
            return f"{pre.title()} {plain[len(pre):].title()}"
    return plain.title()


def _hosts(rng: random.Random, label: str, suffix: str, kind: str) -> tuple[str, str, list[str]]:
    """(domain, canonical host, other hosts): mostly www with the bare domain redirecting."""
    domain = f"{label}.{suffix}"
    roll = rng.random()
    if roll < 0.7:
        return domain, f"www.{domain}", [domain]
    if roll < 0.9 or kind != "blog":
        return domain, domain, [f"www.{domain}"]
    return domain, f"blog.{domain}", []


def plan_site(rng: random.Random, niche: str, index: int, taken: set[str], seed: bool) -> Plan:
    """Decide one site: name, host, features, posts."""
    opts = dict(FITNESS_PLANTS[index]) if niche == "fitness" and index < len(FITNESS_PLANTS) else _random_opts(rng, niche)
    topic = rng.choice(GENERIC_TOPICS) if niche == "generic" else niche
    kind = _weighted(rng, KINDS)
    foreign = FOREIGN_SITES.get((niche, index))
    if foreign:
        label, suffix, name, language, opts["wfu"] = foreign
        opts.pop("wfu_kind", None)
        opts["tags"] = [t for t in opts.get("tags", []) if t != "rejects_guest_posts"]
        taken.add(label)
    else:
        label = _name(rng, niche, taken)
        suffix, name, language = _weighted(rng, SUFFIXES), _display(label, niche), "en"
    if "bare_domain_redirect" in opts.get("tags", []) or "robots_private" in opts.get("tags", []):
        suffix = "com"
    domain, host, also = _hosts(rng, label, suffix, kind)
    if foreign or opts.get("tags") and "bare_domain_redirect" in opts["tags"]:
        host, also = f"www.{domain}", [domain]
    assert registrable_domain(host) == domain, (host, domain)
    authors = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(rng.randint(1, 3))]
    authors = list(dict.fromkeys(authors))
    local = "jane" if index == 0 and niche == "fitness" else rng.choice(
        ["hello", "info", "contact", "team", "editor", "hi", "office", authors[0].split()[0].lower()])
    categories = rng.sample(VOCAB[topic]["topics"], 2)
    active = rng.random() < 0.85 or niche == "fitness" and index < len(FITNESS_PLANTS)
    posts = _posts(rng, topic, categories, authors, active, opts.get("roundups", 0))
    tags = list(opts.get("tags", []))
    enc = opts.get("enc")
    return Plan(niche=niche, index=index, topic=topic, kind=kind, language=language, name=name, label=label.replace("-", ""),
                domain=domain, host=host, also_hosts=also, rng=rng, enc=enc,
                contact_email=f"{local}@{domain}" if enc else None, authors=authors, posts=posts,
                categories=categories, seed=seed, opts=opts, tags=tags, active=active)


def plan_web(seed: int) -> list[Plan]:
    """All non-platform sites, in a stable order: niche by niche."""
    taken: set[str] = set()
    plans: list[Plan] = []
    for niche in (*NICHES, "generic"):
        count = SITE_COUNTS[niche]
        order = random.Random(f"{seed}:{niche}:seeds")
        seeded = set(range(FITNESS_SEEDS)) if niche == "fitness" else set(order.sample(range(count), count * 2 // 3))
        for i in range(count):
            rng = random.Random(f"{seed}:{niche}:{i}")
            plans.append(plan_site(rng, niche, i, taken, seed=i in seeded and niche != "generic"))
    return plans
