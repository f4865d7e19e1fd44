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

from linkspider.common.domains import registrable_domain

from .vocab import (
    FIRST_NAMES,
    GENERIC_TOPICS,
    LAST_NAMES,
    NAME_PARTS,
    NICHES,
    SITE_COUNTS,
    SPAM_TITLES,
    SUFFIXES,
    TITLE_TEMPLATES,
    VOCAB,
)

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
    {"enc": "text", "tags": ["robots_private", "schemeless_seed"]},
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
    # robots.txt as RFC 9309 says: always 503 (the whole site stays unvisited), busy only at the
    # first request (walked after the retry), a Crawl-delay for our user agent.
    {"enc": "text", "tags": ["robots_503"]},
    {"enc": "mailto", "tags": ["robots_flaky"]},
    {"enc": "text", "tags": ["crawl_delay"]},
]
FITNESS_SEEDS = 33

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
    return rng.choice(SPAM_TITLES if topic == "spam" else TITLE_TEMPLATES).format(n=rng.randint(3, 15), Adj=title_case(rng.choice(v["adj"])),
                                               Kw=title_case(kw), Kw2=title_case(kw2))


def _posts(rng: random.Random, topic: str, categories: list[str], authors: list[str], active: bool,
           roundups: int, newest: date | None = None) -> list[Post]:
    """Seven posts, newest first (the last is the deep one), plus roundup issues."""
    if newest is None:
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
    """All non-platform sites, in a stable order: niche by niche, then the extra sites (``opts["extra"]``)."""
    taken: set[str] = set()
    plans: list[Plan] = []
    for niche in (*NICHES, "generic"):
        count = SITE_COUNTS[niche]
        order = random.Random(f"{seed}:{niche}:seeds")
        seeded = set(range(FITNESS_SEEDS)) if niche == "fitness" else set(order.sample(range(count), count * 2 // 3))
        for i in range(count):
            rng = random.Random(f"{seed}:{niche}:{i}")
            plans.append(plan_site(rng, niche, i, taken, seed=i in seeded and niche != "generic"))
    extras = plan_extras(seed, taken)
    link_extras(plans, extras)
    return plans + extras


# -- extra sites (issues 5 and 6) ------------------------------------------------
#
# Hand-named sites planned *after* the random web, with their own random streams,
# so nothing above changes. They are kept out of generate's per-niche index (no
# random roundup or "our friends" link picks them); they are linked only where
# ``EXTRA_LINKS`` says, and the fitness ones that are seeds are appended at the end
# of the fitness seed list (``seed_order``).
#
# cls (manifest ``site_class``): niche | dormant | off_niche | link_farm.
# comp: competitor links on the site's pages. ``where``: post0/post1/... (the n-th
# ordinary post, newest first), resources, home, comment0 (a reader comment on post0),
# missing (a post URL that now answers 404). ``status``: present | nofollow |
# sponsored | ugc | gone (the page no longer carries the link); ``wrapped``: the link
# goes through the site's own /go?url= redirect.
NF, BB = "https://www.nerdfitness.com", "https://www.bodybuilding.com"
COMPETITORS = {"nerdfitness": "nerdfitness.com", "bodybuilding": "bodybuilding.com"}
DORMANT_DAYS = (730, 1460)  # dormant blogs: newest post 2-4 years before TODAY
ACTIVE_DAYS = 60            # want_first: newest post within this many days of TODAY

EXTRA_SITES: list[dict] = [
    # ---- active on-niche fitness sites: guest posts, roundups, resources, competitor links
    {"label": "ironandoats", "suffix": "com", "name": "Iron & Oats", "cls": "niche", "seed": 1,
     "opts": {"enc": "mailto", "wfu": "/write-for-us/", "form": "cf7"},
     "comp": [{"c": "nerdfitness", "where": "post0", "status": "present", "anchor": "Nerd Fitness's beginner bodyweight workout",
               "path": "/blog/beginner-body-weight-workout-burn-fat-build-muscle/"},
              {"c": "bodybuilding", "where": "post1", "status": "present", "anchor": "Bodybuilding.com exercise database",
               "path": "/exercises/"}]},
    {"label": "barbellbrunch", "suffix": "com", "name": "Barbell Brunch", "cls": "niche", "seed": 2,
     "opts": {"enc": "text", "roundups": 2, "resources": True},
     "comp": [{"c": "nerdfitness", "where": "post0", "status": "present", "anchor": "Nerd Fitness",
               "path": "/blog/strength-training-101-everything-you-need-to-know/"},
              {"c": "bodybuilding", "where": "resources", "status": "nofollow", "anchor": "bodybuilding.com",
               "path": "/"}]},
    {"label": "coachmarlaruns", "suffix": "com", "name": "Coach Marla Runs", "cls": "niche", "seed": 3,
     "opts": {"enc": "at_brackets", "wfu": "/contribute/", "form": "plain"},
     "comp": [{"c": "bodybuilding", "where": "post0", "status": "sponsored", "anchor": "our partners at Bodybuilding.com",
               "path": "/store/opt/whey.html"}]},
    {"label": "liftwithlena", "suffix": "co.uk", "name": "Lift with Lena", "cls": "niche", "seed": 4,
     "opts": {"enc": "text", "resources": True, "wfu": "/write-for-us/"},
     "comp": [{"c": "nerdfitness", "where": "comment0", "status": "ugc", "anchor": "nerdfitness.com",
               "path": "/blog/how-to-build-your-own-workout-routine/"}]},
    {"label": "mobilitymondays", "suffix": "com", "name": "Mobility Mondays", "cls": "niche",
     "opts": {"enc": "mailto", "roundups": 1},
     "comp": [{"c": "nerdfitness", "where": "post0", "status": "gone", "anchor": "Nerd Fitness mobility guide",
               "path": "/blog/mobility-exercises/"},
              {"c": "bodybuilding", "where": "post1", "status": "gone", "anchor": "Bodybuilding.com",
               "path": "/content/stretching-guide.html"}]},
    {"label": "kettlebellcorner", "suffix": "net", "name": "Kettlebell Corner", "cls": "niche",
     "opts": {"enc": "text", "wfu": "/write-for-us/", "resources": True},
     "comp": [{"c": "nerdfitness", "where": "post0", "status": "present", "anchor": "this kettlebell guide", "wrapped": True,
               "path": "/blog/kettlebell-workouts/"},
              {"c": "bodybuilding", "where": "resources", "status": "present", "anchor": "Bodybuilding.com workout plans",
               "path": "/workout-plans/"}]},
    {"label": "runstrongdaily", "suffix": "com", "name": "Run Strong Daily", "cls": "niche", "seed": 5,
     "opts": {"enc": None, "wfu": "/guest-post-guidelines/", "form": "wpforms"},
     "comp": [{"c": "nerdfitness", "where": "post0", "status": "present", "anchor": "Nerd Fitness running plan",
               "path": "/blog/couch-to-5k/"},
              {"c": "bodybuilding", "where": "missing", "status": "gone", "anchor": "bodybuilding.com forums",
               "path": "/forums/"}]},
    {"label": "homegymheroes", "suffix": "com", "name": "Home Gym Heroes", "cls": "niche",
     "opts": {"enc": "footer", "resources": True, "wfu": "/write-for-us/"},
     "comp": [{"c": "bodybuilding", "where": "resources", "status": "present", "anchor": "Bodybuilding.com",
               "path": "/"},
              {"c": "nerdfitness", "where": "post0", "status": "nofollow", "anchor": "a Nerd Fitness article on home gyms",
               "path": "/blog/home-gym/"}]},
    {"label": "macrosandmiles", "suffix": "com", "name": "Macros and Miles", "cls": "niche",
     "opts": {"enc": "mailto", "roundups": 1}},
    # ---- JavaScript pages (issue 6)
    {"label": "pulsepilatesstudio", "suffix": "com", "name": "Pulse Pilates Studio", "cls": "niche", "seed": 6,
     "opts": {"enc": "js_dom", "wfu": "/write-for-us/", "js": "contact"}, "tags": ["js_contact", "js_not_worth"]},
    {"label": "squatsandsprouts", "suffix": "com", "name": "Squats & Sprouts", "cls": "niche", "seed": 7,
     "opts": {"enc": "js_obfuscated", "roundups": 1, "js": "email"}, "tags": ["js_email", "js_not_worth"]},
    {"label": "trainwave", "suffix": "io", "name": "Trainwave", "cls": "niche", "seed": 8,
     "opts": {"enc": "text", "wfu": "/write-for-us/", "js": "spa"}, "tags": ["spa_home"]},
    # ---- dormant fitness blogs: genuine write-for-us pages and emails, newest post 2-4 years old
    {"label": "deadliftdiaries", "suffix": "com", "name": "Deadlift Diaries", "cls": "dormant", "seed": 9,
     "newest": date(2023, 3, 14), "opts": {"enc": "text", "wfu": "/write-for-us/"}},
    {"label": "yogaforlifters", "suffix": "net", "name": "Yoga for Lifters", "cls": "dormant", "seed": 10,
     "newest": date(2024, 6, 2), "opts": {"enc": "mailto", "wfu": "/guest-post-guidelines/", "form": "plain"},
     "comp": [{"c": "nerdfitness", "where": "post0", "status": "present", "anchor": "Nerd Fitness yoga for beginners",
               "path": "/blog/yoga-for-beginners/"}]},
    {"label": "cardiocornerblog", "suffix": "com", "name": "Cardio Corner Blog", "cls": "dormant",
     "newest": date(2022, 12, 1), "opts": {"enc": "text", "wfu": "/contribute/"}},
    # ---- off-niche sites that share a few keywords with fitness
    {"label": "weeknightskillet", "suffix": "com", "name": "Weeknight Skillet", "cls": "off_niche", "topic": "recipes",
     "seed": 11, "opts": {"enc": "text", "offniche": "cooking"}},
    {"label": "carryonchronicles", "suffix": "com", "name": "Carry-On Chronicles", "cls": "off_niche", "topic": "travel",
     "seed": 12, "opts": {"enc": "mailto", "offniche": "travel", "wfu": "/write-for-us/"},
     "comp": [{"c": "nerdfitness", "where": "post0", "status": "present", "anchor": "Nerd Fitness hotel room workout",
               "path": "/blog/hotel-room-workout/"},
              {"c": "bodybuilding", "where": "post0", "status": "present", "anchor": "a bodyweight plan from Bodybuilding.com",
               "path": "/content/travel-workout.html"}]},
    {"label": "threadandtrend", "suffix": "com", "name": "Thread & Trend", "cls": "off_niche", "topic": "fashion",
     "opts": {"enc": "text", "offniche": "fashion"},
     "comp": [{"c": "bodybuilding", "where": "post0", "status": "nofollow", "anchor": "Bodybuilding.com apparel",
               "path": "/store/clothing.html"}]},
    {"label": "tinytoesfamily", "suffix": "com", "name": "Tiny Toes Family", "cls": "off_niche", "topic": "parenting",
     "opts": {"enc": "mailto", "offniche": "parenting"}},
    # ---- link farms with "write for us" pages that sell posts
    {"label": "fitnesshealthwealthblog", "suffix": "com", "name": "Fitness Health Wealth Blog", "cls": "link_farm",
     "topic": "spam", "seed": 13, "opts": {"enc": "text", "farm": True, "wfu": "/write-for-us/"},
     "comp": [{"c": "nerdfitness", "where": "home", "status": "present", "anchor": "Nerd Fitness", "path": "/"},
              {"c": "bodybuilding", "where": "home", "status": "present", "anchor": "Bodybuilding", "path": "/"}]},
    {"label": "fitlifemoneytips", "suffix": "net", "name": "FitLife Money Tips", "cls": "link_farm", "topic": "spam",
     "opts": {"enc": "text", "farm": True, "wfu": "/write-for-us/"}},
    {"label": "dailybuzzhub", "suffix": "org", "name": "Daily Buzz Hub", "cls": "link_farm", "topic": "spam",
     "seed": 14, "opts": {"enc": "text", "farm": True, "wfu": "/write-for-us/"}},
    # ---- real layouts (issue 12): every page in a real theme's structure (fakeweb/layouts.py), a
    # write-for-us page written the way real ones are, link roundups named the way real ones are.
    # Not seeds: search finds them (and two seeds' resources pages link them).
    {"label": "trailandtempo", "suffix": "com", "name": "Trail & Tempo", "cls": "niche",
     "opts": {"enc": "mailto", "wfu": "/write-for-us/", "roundups": 2, "form": "cf7", "layout": "wordpress"}},
    {"label": "strongerletters", "suffix": "net", "name": "Stronger Letters", "cls": "niche",
     "opts": {"enc": "text", "wfu": "/write-for-us/", "roundups": 2, "layout": "ghost"}},
    {"label": "coachnoorfit", "suffix": "com", "name": "Coach Noor Fit", "cls": "niche",
     "opts": {"enc": "at_brackets", "wfu": "/guest-post/", "roundups": 2, "form": "plain", "layout": "static"}},
]
# How real link roundups are named (the fake web's own are "Weekly Roundup #N: The Best Reads This Week").
REAL_ROUNDUP_TITLES = {"wordpress": "Link Dump #{n}", "ghost": "Issue #{n}",
                       "static": "Links for {day:%A} {day.day} {day:%B} {day.year}"}

# Where the web links to the extra sites (so a fitness crawl reaches them), as
# (host, where, target label). host: an original fitness site by index (int) or an
# extra site by label. where: resources | roundup (an item of the newest roundup,
# linking a post) | offtopic (an "Off-topic:" roundup item) | comment0 (spam comment
# on the host's newest ordinary post).
EXTRA_LINKS: list[tuple[int | str, str, str]] = [
    (25, "resources", "mobilitymondays"), (25, "resources", "homegymheroes"), (25, "offtopic", "threadandtrend"),
    (28, "resources", "kettlebellcorner"), (28, "resources", "cardiocornerblog"), (28, "resources", "tinytoesfamily"),
    (29, "resources", "macrosandmiles"), (29, "resources", "homegymheroes"),
    ("barbellbrunch", "roundup", "kettlebellcorner"), ("barbellbrunch", "roundup", "macrosandmiles"),
    ("barbellbrunch", "resources", "mobilitymondays"), ("barbellbrunch", "offtopic", "threadandtrend"),
    ("liftwithlena", "resources", "homegymheroes"), ("liftwithlena", "resources", "cardiocornerblog"),
    ("liftwithlena", "comment0", "fitlifemoneytips"),
    ("squatsandsprouts", "roundup", "mobilitymondays"),
    ("barbellbrunch", "resources", "trailandtempo"), ("barbellbrunch", "resources", "strongerletters"),
    ("liftwithlena", "resources", "coachnoorfit"),
]


def _extra_posts(rng: random.Random, topic: str, categories: list[str], authors: list[str], spec: dict) -> list[Post]:
    newest = spec.get("newest")
    posts = _posts(rng, topic, categories, authors, True, spec["opts"].get("roundups", 0), newest=newest)
    theme = spec["opts"].get("layout")
    for post in posts:
        if theme and post.kind == "roundup":
            post.title = REAL_ROUNDUP_TITLES[theme].format(n=post.number, day=post.day)
            post.slug = slugify(post.title)
    return posts


def plan_extras(seed: int, taken: set[str]) -> list[Plan]:
    """The hand-named sites of ``EXTRA_SITES`` (each with its own random stream), linked per ``EXTRA_LINKS``."""
    plans: list[Plan] = []
    for i, spec in enumerate(EXTRA_SITES):
        rng = random.Random(f"{seed}:extra:{spec['label']}")
        label = spec["label"]
        assert label not in taken, label
        taken.add(label)
        cls = spec["cls"]
        niche = "fitness" if cls in ("niche", "dormant") else "generic"
        topic = spec.get("topic", niche)
        domain = f"{label}.{spec['suffix']}"
        host, also = f"www.{domain}", [domain]
        opts = {**spec["opts"], "extra": True, "cls": cls, "comp": spec.get("comp", []),
                "seed_order": spec.get("seed"), "links_in": []}
        authors = list(dict.fromkeys(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                                     for _ in range(rng.randint(1, 2))))
        categories = rng.sample(VOCAB[topic]["topics"], 2)
        posts = _extra_posts(rng, topic, categories, authors, spec)
        enc = opts.get("enc")
        local = rng.choice(["hello", "editor", "team", authors[0].split()[0].lower()])
        if opts.get("farm"):
            local = "admin"
        plans.append(Plan(niche=niche, index=100 + i, topic=topic, kind="blog", language="en", name=spec["name"],
                          label=label, domain=domain, host=host, also_hosts=also, rng=rng, enc=enc,
                          contact_email=f"{local}@{domain}" if enc else None, authors=authors, posts=posts,
                          categories=categories, seed=bool(spec.get("seed")), opts=opts,
                          tags=[*spec.get("tags", []), *([cls] if cls != "niche" else [])],
                          active=cls != "dormant"))
    return plans


def link_extras(plans: list[Plan], extras: list[Plan]) -> None:
    """Record on each host plan (``opts["links_in"]``) the extra sites it links to."""
    fitness = [p for p in plans if p.niche == "fitness" and not p.opts.get("extra")]
    by_label = {p.label: p for p in extras}
    for host, where, target in EXTRA_LINKS:
        plan = fitness[host] if isinstance(host, int) else by_label[host]
        assert where != "resources" or plan.opts.get("resources"), (host, where)
        assert where not in ("roundup", "offtopic") or plan.opts.get("roundups"), (host, where)
        plan.opts.setdefault("links_in", []).append((where, by_label[target]))
