"""Word lists for the fake web: site names, niche vocabulary and sentence templates.

Text on the fake sites has to be *about* the niche (relevance scoring and the fake
search endpoints read it), so every niche brings its own keywords, categories and
title templates; sentences are shared templates filled with those words.
All data, no logic.
"""

from __future__ import annotations

NICHES = ("fitness", "coffee", "payroll", "gardening", "travel")

# How many sites each niche gets; "generic" are off-topic sites (own sub-topics).
SITE_COUNTS = {"fitness": 45, "coffee": 35, "payroll": 30, "gardening": 35, "travel": 35, "generic": 40}

# Public suffixes with weights: real suffixes so tldextract gives a registrable domain.
SUFFIXES = (("com", 45), ("net", 9), ("org", 7), ("co.uk", 12), ("blog", 7), ("io", 6), ("com.au", 7), ("ca", 4), ("co.nz", 3))

NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fitness": (
        ("iron", "lift", "stride", "grit", "sweat", "rep", "kettle", "squat", "barbell", "tempo", "vital",
         "lean", "summit", "forge", "motion", "deadlift", "sprint", "plank", "muscle", "cardio"),
        ("pulse", "lab", "hub", "journal", "daily", "nation", "coach", "works", "notes", "club", "fuel",
         "academy", "yard", "den", "theory", "collective"),
    ),
    "coffee": (
        ("crema", "espresso", "roast", "bean", "portafilter", "tamper", "grind", "drip", "brew", "ristretto",
         "lungo", "arabica", "cupping", "steam", "latte", "doppio"),
        ("corner", "notes", "lab", "journal", "house", "nerd", "daily", "club", "works", "society", "geek", "diary"),
    ),
    "payroll": (
        ("payday", "ledger", "wage", "salary", "paystub", "timesheet", "headcount", "staffing", "benefits",
         "workforce", "roster", "hrdesk", "peoplestack", "comp", "shift", "tally"),
        ("pro", "insights", "hq", "digest", "hub", "wise", "loop", "brief", "desk", "matters", "review", "guide"),
    ),
    "gardening": (
        ("compost", "seedling", "trowel", "mulch", "allotment", "greenhouse", "perennial", "potting", "fern",
         "hedgerow", "bramble", "meadow", "raisedbed", "herb", "bulb", "orchard"),
        ("patch", "diary", "notes", "plot", "grower", "life", "journal", "corner", "shed", "club", "gazette", "path"),
    ),
    "travel": (
        ("wander", "nomad", "backpack", "passport", "itinerary", "layover", "roam", "compass", "voyage",
         "trail", "suitcase", "hostel", "atlas", "detour", "jetlag", "island"),
        ("tales", "notes", "diaries", "guide", "trails", "journal", "stories", "hub", "life", "miles", "bound", "mag"),
    ),
    "generic": (
        ("pixel", "gadget", "recipe", "budget", "parent", "motor", "shutter", "code", "thrift", "kitchen",
         "toddler", "engine", "lens", "byte", "savvy", "family"),
        ("review", "daily", "bits", "world", "zone", "corner", "talk", "tips", "hub", "digest", "spot", "planet"),
    ),
}

# Off-topic sites each pick a topic; its words stand in for the niche words.
GENERIC_TOPICS = ("tech", "recipes", "finance", "parenting", "cars")

VOCAB: dict[str, dict[str, tuple[str, ...]]] = {
    "fitness": {
        "kw": ("strength training", "HIIT workouts", "kettlebell swings", "progressive overload", "mobility drills",
               "protein intake", "deadlift form", "running cadence", "recovery days", "home gym setups",
               "resistance bands", "squat depth", "interval sprints", "core stability", "muscle soreness",
               "training splits", "warm-up routines", "bodyweight circuits", "VO2 max", "rest-pause sets"),
        "topics": ("Strength", "Cardio", "Nutrition", "Mobility", "Recovery", "Home Gym"),
        "adj": ("explosive", "sustainable", "beginner-friendly", "brutal", "efficient", "evidence-based"),
        "wiki": ("Strength_training", "High-intensity_interval_training", "Kettlebell"),
    },
    "coffee": {
        "kw": ("espresso extraction", "burr grinders", "milk steaming", "latte art", "dialing in a shot",
               "single-origin beans", "portafilter baskets", "water hardness", "tamping pressure", "pre-infusion",
               "light roasts", "dual boiler machines", "grind size", "crema", "descaling", "pour-over brewing",
               "brew ratios", "roast dates", "puck prep", "home espresso setups"),
        "topics": ("Espresso", "Grinders", "Beans", "Milk Drinks", "Machines", "Brew Guides"),
        "adj": ("syrupy", "balanced", "bright", "chocolatey", "temperamental", "café-quality"),
        "wiki": ("Espresso", "Coffee_roasting", "Latte_art"),
    },
    "payroll": {
        "kw": ("payroll compliance", "time tracking", "employee onboarding", "tax withholding", "benefits administration",
               "contractor payments", "payroll software", "overtime rules", "pay stubs", "HR automation",
               "year-end reporting", "PTO accrual", "garnishments", "multi-state payroll", "direct deposit",
               "headcount planning", "expense reimbursement", "employer of record", "salary bands", "payroll audits"),
        "topics": ("Compliance", "Payroll Software", "HR Operations", "Benefits", "Small Business", "Global Teams"),
        "adj": ("compliant", "scalable", "error-free", "automated", "audit-ready", "cost-effective"),
        "wiki": ("Payroll", "Human_resource_management", "Withholding_tax"),
    },
    "gardening": {
        "kw": ("raised beds", "composting", "seed starting", "companion planting", "tomato blight", "pruning roses",
               "no-dig gardening", "soil pH", "mulching", "perennial borders", "slug control", "growing herbs",
               "greenhouse heating", "dividing hostas", "wildflower meadows", "potting mix", "crop rotation",
               "overwintering dahlias", "rainwater harvesting", "leaf mould"),
        "topics": ("Vegetables", "Flowers", "Soil & Compost", "Pests", "Herbs", "Garden Design"),
        "adj": ("hardy", "drought-tolerant", "organic", "low-maintenance", "fragrant", "vigorous"),
        "wiki": ("Compost", "Companion_planting", "Raised-bed_gardening"),
    },
    "travel": {
        "kw": ("budget travel", "carry-on packing", "travel insurance", "slow travel", "overnight trains",
               "hostel stays", "travel itineraries", "solo travel", "airport lounges", "visa applications",
               "road trips", "island hopping", "jet lag", "travel photography", "house sitting", "rail passes",
               "city breaks", "hiking trails", "street food", "off-season travel"),
        "topics": ("Europe", "Asia", "Budget Travel", "Packing", "Road Trips", "Travel Tips"),
        "adj": ("unforgettable", "affordable", "off-the-beaten-path", "walkable", "chaotic", "breathtaking"),
        "wiki": ("Backpacking_(travel)", "Tourism", "Travel_insurance"),
    },
    "tech": {
        "kw": ("smartphone batteries", "mechanical keyboards", "USB-C hubs", "password managers", "home routers",
               "noise-cancelling headphones", "laptop cooling", "smart speakers"),
        "topics": ("Gadgets", "Reviews", "How-to"), "adj": ("snappy", "overpriced", "sleek", "reliable"),
        "wiki": ("Smartphone",),
    },
    "recipes": {
        "kw": ("sourdough starters", "weeknight pasta", "sheet-pan dinners", "slow cooker stews", "banana bread",
               "meal prep", "homemade pizza dough", "vegan curries"),
        "topics": ("Dinner", "Baking", "Vegetarian"), "adj": ("comforting", "crispy", "easy", "zesty"),
        "wiki": ("Sourdough",),
    },
    "finance": {
        "kw": ("index funds", "emergency funds", "credit scores", "retirement accounts", "budgeting apps",
               "side hustles", "mortgage rates", "debt snowball"),
        "topics": ("Saving", "Investing", "Debt"), "adj": ("frugal", "long-term", "risky", "boring"),
        "wiki": ("Index_fund",),
    },
    "parenting": {
        "kw": ("toddler tantrums", "sleep training", "screen time", "school lunches", "potty training",
               "family road trips", "bedtime stories", "sibling rivalry"),
        "topics": ("Toddlers", "School Age", "Family Life"), "adj": ("exhausting", "joyful", "messy", "calm"),
        "wiki": ("Parenting",),
    },
    "cars": {
        "kw": ("oil changes", "winter tyres", "electric cars", "brake pads", "used car inspections",
               "roof boxes", "dashcams", "fuel economy"),
        "topics": ("Maintenance", "Reviews", "EVs"), "adj": ("reliable", "thirsty", "nippy", "roomy"),
        "wiki": ("Electric_car",),
    },
}

TITLE_TEMPLATES = (
    "{n} {Adj} Tips for {Kw}", "The Beginner's Guide to {Kw}", "Why {Kw} Matters More Than You Think",
    "{Kw} vs {Kw2}: What Actually Works", "How I Finally Got Better at {Kw}", "{n} Mistakes People Make With {Kw}",
    "What Nobody Tells You About {Kw}", "The {Adj} Approach to {Kw}", "Our Honest Take on {Kw}",
    "{Kw}: Questions Readers Keep Asking", "Everything We Learned About {Kw} This Year",
)

SENTENCES = (
    "Most people underestimate how much {kw} affects {kw2}.",
    "If you are new to {kw}, start small and build from there over {n} weeks.",
    "We tested {n} different approaches to {kw} and only a few were worth it.",
    "The {adj} option is rarely the most expensive one.",
    "Readers often ask us whether {kw} is worth the effort; the short answer is yes.",
    "A common mistake is to focus on {kw} while ignoring {kw2} completely.",
    "There is no single right way to handle {kw}, but there are plenty of wrong ones.",
    "After {n} months of trying, our editor settled on a surprisingly {adj} routine.",
    "Think of {kw} as a long game rather than a quick fix.",
    "Good notes make {kw} far easier to improve week after week.",
    "Experts disagree on the details of {kw}, yet they agree on the basics.",
    "You do not need fancy gear to get started with {kw}.",
    "Consistency beats intensity when it comes to {kw}.",
    "We keep coming back to {kw2} because it makes everything else easier.",
    "The best results came when we paired {kw} with a {adj} plan for {kw2}.",
    "One reader wrote in to say that {kw} changed the way she thinks about {kw2}.",
    "Budget at least {n} minutes for {kw} the first few times.",
    "It sounds obvious, but measuring {kw} is the only way to know if it works.",
    "Skip the hype and look at what a {adj} approach to {kw} really involves.",
    "Below we break down {kw} step by step, with the trade-offs we noticed.",
)

FIRST_NAMES = ("Jane", "Marcus", "Priya", "Tom", "Elena", "Owen", "Sofia", "Daniel", "Hannah", "Leo", "Maya", "Arjun",
               "Claire", "Noah", "Ines", "Felix", "Grace", "Ravi", "Lucy", "Mateo", "Zoe", "Samir", "Nora", "Ben")
LAST_NAMES = ("Doe", "Okafor", "Lindqvist", "Moreno", "Patel", "Brennan", "Kowalski", "Haddad", "Fischer", "Nakamura",
              "Reyes", "Whitfield", "Duarte", "Ahn", "Gallagher", "Marsh", "Ibsen", "Costa", "Quinn", "Varga")

# Non-English sites: (language, niche) -> keywords and sentences in that language.
FOREIGN: dict[str, dict[str, tuple[str, ...]]] = {
    "de": {
        "kw": ("Krafttraining", "Kniebeugen", "Muskelaufbau", "Regeneration", "Ernährung", "Ausdauertraining"),
        "sentences": (
            "Viele unterschätzen, wie wichtig {kw} für den Alltag ist.",
            "Wir haben {n} Wochen lang {kw} getestet und berichten ehrlich.",
            "Für Anfänger ist {kw} der beste Einstieg, sagt unser Trainer.",
            "Mit etwas Geduld wird {kw} schnell zur Gewohnheit.",
            "Unsere Leserinnen und Leser fragen oft nach {kw} für zu Hause.",
            "Größere Fortschritte bei {kw} kommen durch regelmäßiges Üben.",
        ),
    },
    "es": {
        "kw": ("viajes baratos", "mochileros", "rutas en tren", "playas escondidas", "seguro de viaje", "comida callejera"),
        "sentences": (
            "Muchos viajeros subestiman lo importante que son los {kw}.",
            "Durante {n} semanas probamos {kw} por toda la península.",
            "Nuestra guía de {kw} está pensada para principiantes.",
            "Con un poco de planificación, los {kw} salen mucho más económicos.",
            "Los lectores nos preguntan a menudo por {kw} en temporada baja.",
            "Aquí te contamos qué aprendimos sobre {kw} este año.",
        ),
    },
    "fr": {
        "kw": ("l'espresso", "la mouture", "le café de spécialité", "la torréfaction", "le lait moussé", "les machines à levier"),
        "sentences": (
            "Beaucoup de passionnés sous-estiment l'importance de {kw}.",
            "Pendant {n} semaines, nous avons testé {kw} à la maison.",
            "Notre guide sur {kw} s'adresse aux débutants comme aux experts.",
            "Avec un peu de patience, {kw} devient un vrai plaisir quotidien.",
            "Nos lecteurs nous posent souvent des questions sur {kw}.",
            "Voici ce que nous avons appris sur {kw} cette année.",
        ),
    },
}

NAV_CONTACT = ("Contact", "Contact us", "Contact Us", "CONTACT")
NAV_ABOUT = ("About", "About us", "About Us", "Our story")
NAV_WFU = ("Write for us", "Write for Us", "Contribute", "Guest Post Guidelines", "Submit a post")
COOKIE_TEXT = ("We use cookies to improve your experience and to show relevant ads.",
               "This site uses cookies. By continuing to browse you agree to our use of cookies.",
               "We and our partners use cookies for analytics and personalised content.")

# -- extra sites (issues 5 and 6) ------------------------------------------------

VOCAB["fashion"] = {
    "kw": ("capsule wardrobes", "denim care", "linen shirts", "trench coats", "sneaker trends", "thrifted finds",
           "autumn layering", "statement earrings"),
    "topics": ("Style", "Trends", "Wardrobe"), "adj": ("timeless", "cosy", "bold", "minimalist"),
    "wiki": ("Fashion",),
}
# Link farms: everything at once, badly.
VOCAB["spam"] = {
    "kw": ("online casino bonuses", "payday loans", "CBD gummies", "crypto trading bots", "weight loss pills",
           "fitness tips", "forex signals", "essay writing services", "sports betting odds", "keto diet pills",
           "instant personal loans", "bitcoin casinos", "SEO backlinks", "home workouts", "slot machines",
           "CBD oil for pets"),
    "topics": ("Health", "Finance", "Casino", "Crypto", "Lifestyle"),
    "adj": ("best", "cheap", "top", "trusted", "latest", "No.1"),
    "wiki": ("Casino",),
}
SPAM_TITLES = (
    "Best {Kw} and {Kw2} Guide {n} Tips 2026", "Why {Kw} Is Very Important For {Kw2}", "{n} {Adj} {Kw} You Must Try Today",
    "Top {Kw} Sites: {Kw2} Complete Review", "How To Get {Kw} Fast With {Kw2}", "{Kw} Vs {Kw2}: Which Is Best For You",
)
SPAM_SENTENCES = (
    "In this modern time {kw} is very important for everyone who want {kw2}.",
    "Many peoples are searching about {kw} and {kw2} on internet now a days.",
    "Click here to know more about {kw}, it is the {adj} way for {kw2}.",
    "Our expert team is tested {n} {kw} sites so you do not have to.",
    "If you want {kw2} then {kw} is the perfect solution for you and your family.",
    "{kw} can helps you to save money and also get {kw2} in same time.",
    "There are {n} {adj} benefits of {kw} which we will discuss below in detail.",
    "Always choose trusted {kw} provider to avoid problem with {kw2}.",
)
# Spam domains link farms link out to (https: never served by the fake web).
SPAM_DOMAINS = (
    "royal-slots-bonus.xyz", "quickcash-loans247.com", "cbd-wellness-shop.biz", "cryptoprofitbot.io",
    "best-essay-writers.net", "keto-burn-pills.shop", "forexsignalsvip.com", "betting-odds-today.info",
    "cheap-seo-backlinks.org", "bitcoin-casino-spin.com", "payday-now-online.com", "slim-fast-gummies.store",
    "vip-casino-reviews.net", "instant-loan-approval.co", "cbd-pet-drops.com",
)
# Off-niche sites: the one passage that shares a few words with fitness.
OFFNICHE_PASSAGES = {
    "cooking": ("Workout Snacks We Actually Make", "<p>A reader asked for workout snacks she could pack before the gym, "
                "so here are three: date-and-oat bites, a quick yoghurt bowl and these spiced chickpeas. None of them "
                "need an oven for more than ten minutes.</p>"),
    "travel": ("Staying Sane on a Three-Week Rail Trip", "<p>Our hotel in Vienna had a gym in the hotel basement, "
               "which turned out to be two treadmills and a rack of dumbbells. We used it twice; the rest of the week "
               "our exercise was walking between cafés.</p>"),
    "fashion": ("Athleisure That Works Beyond the Gym", "<p>Athleisure is still everywhere this autumn: leggings under "
                "long coats, clean white sneakers, a cropped sweatshirt. It borrows from fitness wear but nobody is "
                "expected to sweat in it.</p>"),
    "parenting": ("Getting Outside With a Toddler in Winter", "<p>Family fitness for us means a walk to the playground "
                  "and a dance party before bath time. No workouts, no plans, just moving around together.</p>"),
}
