"""Scrapy settings for linkspider.

Polite by default: linkspider visits strangers' small blogs, often on shared
hosting, and a link builder wants to stay welcome there. Every setting can be
overridden per run with ``-s NAME=VALUE``. linkspider's own settings are at the
bottom, each with what it does.
"""

from __future__ import annotations

import os

BOT_NAME = "linkspider"
SPIDER_MODULES = ["linkspider.crawl.spiders"]
NEWSPIDER_MODULE = "linkspider.crawl.spiders"
# Our `crawl` checks spider arguments before starting and exits 1 on failure.
COMMANDS_MODULE = "linkspider.crawl.commands"

# Say who we are and where to complain; site owners read their logs.
USER_AGENT = (
    "linkspider/0.1 (+https://github.com/linkspider/linkspider; "
    "link-prospecting crawler; obeys robots.txt)"
)

# ---------------------------------------------------------------- politeness
ROBOTSTXT_OBEY = True
# The product token robots.txt groups are matched against ("User-agent: linkspider").
ROBOTSTXT_USER_AGENT = "linkspider"
# robots.txt is read per origin (scheme, host, port) as RFC 9309 says (linkspider/crawl/middlewares/robots.py):
# only its first ROBOTS_MAX_BYTES are parsed; a 429, a 5xx or a timeout is asked again once after
# ROBOTS_RETRY_DELAY seconds, and if it fails again - or the origin cannot be connected to at all - nothing
# of that origin is crawled in this run.
ROBOTS_MAX_BYTES = 500 * 1024
ROBOTS_RETRY_DELAY = 20.0
# Crawl-delay / Request-rate are honoured (when larger than DOWNLOAD_DELAY) up to this many seconds; a
# site asking for more is walked with at most ROBOTS_SLOW_SITE_PAGES requests, this far apart.
ROBOTS_MAX_CRAWL_DELAY = 30.0
ROBOTS_SLOW_SITE_PAGES = 3
# Two requests at a time per site at most, a second apart before AutoThrottle
# adapts the delay to the site's own latency.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
# Each delay is 0.5-1.5 x DOWNLOAD_DELAY (Scrapy's default; RANDOMIZE_DOWNLOAD_DELAY is deprecated).
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 1
# Never follow more than a few redirects: loops and chains are spam signals.
REDIRECT_MAX_TIMES = 5
# Prospect pages are HTML; anything bigger than this is not worth reading.
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 1024 * 1024
# 404/500 pages reach the spider so that a dead seed is recorded, not lost.
HTTPERROR_ALLOW_ALL = True
# Scrapy starts this many asyncio tasks for the output of *every* response
# (default 100) and queues up to twice as many entries. A page yields one item
# and at most a budget's worth of requests, and linkspider's pipelines never
# wait: 100 tasks cost ~2.5 CPU ms per page, a third of the crawl process's
# time (docs/benchmarks.md). Not 1: the queue of 2 then let other responses
# run between a page's own links, so a page's depth and which way a site was
# first reached depended on timing.
CONCURRENT_ITEMS = 16

# ---------------------------------------------------------------- safety
# Both open local endpoints; a crawler of untrusted sites has no use for them
# (the remote-control one runs code sent to it).
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
# What the Referer header tells a site about where we come from: the full URL
# within one site, the origin (scheme://host/) to another, nothing from https
# to http. Scrapy's default sends full URLs everywhere. A page fetched from a
# search result gets no Referer at all (meta referrer_policy "no-referrer"):
# the result page's URL is the search service's, and Google's holds the key.
REFERRER_POLICY = "strict-origin-when-cross-origin"

# Breadth-first-ish by priority: the site walk sets priorities itself.
DEPTH_PRIORITY = 0
COOKIES_ENABLED = False

# ---------------------------------------------------------------- safety nets
# linkspider/crawl/middlewares/. The SSRF guard runs before robots.txt (a refused URL
# never gets its robots.txt fetched) and sees every redirect and retry again;
# the per-site cap runs after robots.txt (URLs robots.txt forbids don't count).
DOWNLOADER_MIDDLEWARES = {
    "linkspider.crawl.middlewares.ssrf.SSRFGuardMiddleware": 60,
    "linkspider.crawl.middlewares.limits.SiteRequestCapMiddleware": 110,
    # Only listens to headers_received: stops downloading bodies that are not HTML.
    "linkspider.crawl.middlewares.limits.NonHtmlStopMiddleware": 120,
    # robots.txt per origin with RFC 9309's outcomes and Crawl-delay, in the place of Scrapy's own.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "linkspider.crawl.middlewares.robots.RobotsPolicyMiddleware": 100,
}
SPIDER_MIDDLEWARES = {
    # Records the crawl's frontier when LINKSPIDER_JOB is set (resume after a kill).
    "linkspider.crawl.checkpoint.CheckpointMiddleware": 900,
}
# Worker processes that read pages for the page stage (linkspider/crawl/page_stage.py,
# linkspider/crawl/workers.py), so the crawl process only fetches, decides and stores.
# None: one worker when the machine has a second core, else none. 0: pages are read in
# a thread of the crawl process. More than one helps only where the crawl process
# itself has cores to spare (the crawl process is the bottleneck on 2 cores).
EXTRACT_WORKERS: int | None = None
# Seconds one page may take in a worker; past it the worker is stopped, the page
# kept without facts, and a new worker takes the pages queued behind it.
EXTRACT_TIMEOUT = 60.0
# Workers that die (OOM killer, a crash on a hostile page) are replaced this
# many times; after that pages are extracted in the crawl process.
EXTRACT_MAX_RESTARTS = 10
# Prospect URLs (links, search results, seeds, backlink exports, redirects) that
# point at private, loopback, link-local, multicast, reserved or cloud-metadata
# addresses - or at names resolving to them - are refused. True turns it off.
LINKSPIDER_ALLOW_PRIVATE = False
# Exceptions: "host", "host:port" or a network ("10.1.0.0/16"). The host:port of
# SEARXNG_URL, BRAVE_API_URL, GOOGLE_CSE_URL and DUCKDUCKGO_URL are always allowed.
LINKSPIDER_ALLOWED_HOSTS: list[str] = []
# Resolves the names Scrapy connects to and refuses private answers at connection time, so a DNS server
# that answers differently the second time (DNS rebinding) gets nowhere (linkspider/crawl/middlewares/ssrf.py).
TWISTED_DNS_RESOLVER = "linkspider.crawl.middlewares.ssrf.GuardedResolver"
# Seconds to wait for DNS when checking where a name points (without a proxy;
# through a proxy the proxy resolves names and they are not checked here).
LINKSPIDER_SSRF_DNS_TIMEOUT = 5.0
# Names whose addresses the guard remembers (for 10 minutes each).
LINKSPIDER_SSRF_DNS_CACHE = 4096
# Hard cap on new requests to one site per crawl, a net under the spiders'
# own budget: SITE_PAGE_BUDGET + this margin (LINKSPIDER_SITE_REQUEST_CAP > 0
# sets the cap itself).
LINKSPIDER_SITE_REQUEST_MARGIN = 12
LINKSPIDER_SITE_REQUEST_CAP = 0
# Stop downloading a body whose Content-Type says it is not HTML (PDF, images...).
LINKSPIDER_STOP_NON_HTML = True
# In-site links with more query parameters / path segments than this are traps.
LINKSPIDER_TRAP_MAX_PARAMS = 4
LINKSPIDER_TRAP_MAX_SEGMENTS = 8
# Scrapy's default is 2083; prospect pages with longer URLs are junk.
URLLENGTH_LIMIT = 1024

# Items arrive read and scored by the page stage; the pipeline only stores them.
ITEM_PIPELINES = {
    # Links to your own site (the niche profile's `domain`): their sites are not prospects.
    "linkspider.store.links.OwnLinksPipeline": 550,
    "linkspider.store.pipelines.StorePipeline": 800,
}

# On-demand rendering of pages that need JavaScript (linkspider/crawl/rendering.py):
# switches scrapy-playwright's handler on when a browser is found.
ADDONS = {
    "linkspider.crawl.rendering.RenderAddon": 100,
    # With REDIS_URL set, this crawl is a worker of a shared crawl (linkspider/crawl/distributed.py).
    "linkspider.crawl.distributed.DistributedAddon": 200,
}

EXTENSIONS = {
    # A progress line every LINKSPIDER_PROGRESS_INTERVAL seconds, a summary at the end.
    "linkspider.crawl.progress.Progress": 500,
}
# Seconds between progress lines in long runs (0: none).
LINKSPIDER_PROGRESS_INTERVAL = 60

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# ---------------------------------------------------------------- linkspider
# Path of the SQLite database. The environment variable of the same name
# overrides this default; `-s LINKSPIDER_DB=...` overrides both.
# The database when neither -s LINKSPIDER_DB nor the environment says otherwise (the CLI's --db too).
DEFAULT_DB = "output/linkspider.db"
LINKSPIDER_DB = os.environ.get("LINKSPIDER_DB", DEFAULT_DB)

# Folder holding the niche profiles (<niche>.toml), seed lists and blocklist.
LINKSPIDER_SEEDS_DIR = os.environ.get("LINKSPIDER_SEEDS_DIR", "seeds")

# Platforms that are never prospects (one registrable domain per line,
# `amazon.*` matches every suffix). Relative paths are taken from
# LINKSPIDER_SEEDS_DIR.
LINKSPIDER_BLOCKLIST = "blocklist.txt"

# Sites walked less than this many days ago are not walked again (their new
# provenance is still recorded); 0 walks everything every time.
RECRAWL_AFTER_DAYS = 7

# Name of a resumable job: with it, the crawl checkpoints its frontier in the
# database and a run killed halfway resumes where it stopped on the next run of
# the same job (`linkspider nightly` names its jobs <niche>-<spider>).
LINKSPIDER_JOB = os.environ.get("LINKSPIDER_JOB", "")

# A seed list (or backlink export) is fed into the crawl only while the
# scheduler holds fewer requests than this: memory stays flat in the number of
# seeds instead of queueing every site's pages at once.
SEED_BACKLOG = 512

# Most pages the site walk fetches on one site, the home page included.
SITE_PAGE_BUDGET = 12
# How many clicks from the entry page the site walk goes.
SITE_MAX_DEPTH = 2

# The store writes items in batches of this many (one transaction each), and
# at least every LINKSPIDER_FLUSH_SECONDS, so a killed crawl loses little.
LINKSPIDER_BATCH_SIZE = 100
LINKSPIDER_FLUSH_SECONDS = 5.0
# Seconds a write waits for a database another process holds locked before
# the crawl stops (its unwritten pages go to unsaved-*.jsonl beside it).
LINKSPIDER_DB_TIMEOUT = 30.0

# Exports, reports and digests hold prospects only (unless --all): not sites that never answered, not a
# niche's own competitors, and not sites whose relevance (0-1, see README "The score") is below this.
# A niche profile can set its own (`min_relevance = 0.3`).
PROSPECT_MIN_RELEVANCE = 0.2

# True only for the crawls of `make demo` (fakeweb/demo.py): they write only a database marked as
# the demo's, and every other crawl refuses to write into one, so made-up sites never mix with yours.
LINKSPIDER_DEMO = False

# Prospect score weights: overrides of linkspider.score.prospect.DEFAULT_WEIGHTS, where
# each factor is listed with a comment (relevance 40, write-for-us 25, roundup
# 25, resources 15, personal email 20, role email 15, active 10, dormant -25,
# link seller -35, spam words -45, ...). Example: -s 'SCORE_WEIGHTS={"roundup": 35}'.
SCORE_WEIGHTS: dict[str, float] = {}

# "Today" for activity scoring, YYYY-MM-DD; empty means the real date. Set it to
# make scores reproducible (the tests pin it to the fake web's date).
LINKSPIDER_TODAY = os.environ.get("LINKSPIDER_TODAY", "")

# ---------------------------------------------------------------- broken links, articles, mentions
# Broken-link building (linkspider/crawl/outbound.py): on every roundup or resources page a crawl
# classifies, links to other sites are checked with HEAD (GET when HEAD is refused), as ordinary
# requests (robots.txt, the SSRF guard, per-site delays and concurrency apply). At most this many links a
# page, this many checks a run (0 turns the checks off) and this many URLs of one target site a run; a
# name that does not resolve or a parked domain answers for every URL of its site at once. A distributed
# worker (REDIS_URL) makes no checks.
BROKEN_CHECK_PER_PAGE = 50
BROKEN_CHECK_MAX = 1000
BROKEN_CHECK_PER_DOMAIN = 5
# Seconds a check waits for an answer (then it is "unsure", asked again next run).
BROKEN_CHECK_TIMEOUT = 15.0
# A link found dead or alive less than this many days ago is not asked again (unsure ones always are).
BROKEN_RECHECK_DAYS = 30
# The article spider (scrapy crawl article): queries built from the article's phrases and the roundups,
# resources and articles footprint packs (SEARCH_MAX_QUERIES / -a max_queries caps them), and the
# background its distinctive terms are weighed against: the niche's pages in the database when it holds
# at least this many, else the bundled general-English frequencies (linkspider/score/english_terms.tsv).
ARTICLE_MIN_BACKGROUND_PAGES = 50

# ---------------------------------------------------------------- your links (linkspider monitor)
# Placed links checked less than this many days ago are left for a later run (a link whose last
# check was unsure is always checked again); 0 checks every link every run. A nightly plan's
# [monitor] step sets it with `recheck_days`.
MONITOR_RECHECK_DAYS = 0
# Linking pages of one site checked per run at most (least recently checked first); the rest wait
# for the next run. The per-site request net becomes twice this plus LINKSPIDER_SITE_REQUEST_MARGIN.
MONITOR_PAGES_PER_SITE = 100

# ---------------------------------------------------------------- search
# Which search service the search spiders (guestposts, roundups) use:
# "duckduckgo" (keyless default; slow, blocks an IP that asks fast),
# "searxng" (your own instance: recommended), "brave" (API key),
# "google" (Custom Search JSON API, legacy) or "file" (results read from
# SEARCH_RESULTS_FILE, no network). Each gets its own download slot and delay.
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "duckduckgo")
# Result pages fetched per query at most (-a max_pages=N; the service's own
# limit also applies: Google and Brave serve 10 pages).
SEARCH_MAX_PAGES = 3
# Footprint queries per crawl at most (templates x niche keywords, best first;
# -a max_queries=N).
SEARCH_MAX_QUERIES = 40
# Override the operators the backend is assumed to understand, comma-separated
# (quotes, minus, or, site, intitle, inurl, intext, filetype), e.g.
# "quotes,minus,site,intitle,inurl" for a SearXNG that runs only Google.
# Empty = the backend's own list; other operators are rewritten or dropped.
SEARCH_OPERATORS = ""
# A result page that is not what the query promised (a post that mentions
# "write for us" in passing) gets only this many pages of its site walked.
SEARCH_UNCONFIRMED_BUDGET = 4
# Snowballing from roundups in the niche: linked sites per roundup, per run.
SNOWBALL_PER_ROUNDUP = 30
SNOWBALL_MAX = 300
# Search queries sent less than this many days ago (same niche and backend)
# are not sent again.
REQUERY_AFTER_DAYS = 30

# API keys are NOT set here (this file is in git): export BRAVE_API_KEY,
# GOOGLE_API_KEY and GOOGLE_CSE_ID in the environment (or pass -s NAME=...).
# Every base URL is a setting so tests can point it at a local fake.

# Your SearXNG instance, e.g. "http://127.0.0.1:8888". No default: public
# instances refuse bots; run your own.
SEARXNG_URL = os.environ.get("SEARXNG_URL", "")
# Seconds between queries: your instance asks several engines per query.
SEARXNG_DOWNLOAD_DELAY = 2.0
# `language=` for SearXNG ("en", "de", "all"...); empty = the instance default.
SEARXNG_LANGUAGE = ""
# SearXNG categories to search; "general" is web search.
SEARXNG_CATEGORIES = "general"

# Brave Search API endpoint. The free plan allows 1 query per second.
BRAVE_API_URL = os.environ.get("BRAVE_API_URL", "https://api.search.brave.com")
BRAVE_DOWNLOAD_DELAY = 1.1

# Google Custom Search JSON API endpoint (legacy: closed to new customers,
# ends 2027-01-01). 100 queries/day free.
GOOGLE_CSE_URL = os.environ.get("GOOGLE_CSE_URL", "https://www.googleapis.com")
GOOGLE_DOWNLOAD_DELAY = 1.0

# DuckDuckGo's HTML endpoint. Below ~3 s between queries a CAPTCHA comes within
# a few dozen queries; the backend never goes below 2 s whatever this says.
DUCKDUCKGO_URL = os.environ.get("DUCKDUCKGO_URL", "https://html.duckduckgo.com")
DUCKDUCKGO_DOWNLOAD_DELAY = 5.0
# Region sent as `kl` ("us-en", "uk-en", "de-de"...); empty = none.
DUCKDUCKGO_REGION = ""

# For SEARCH_BACKEND=file: a text file of result URLs (one per line, '#'
# comments) or a CSV/TSV SERP export with a url/link/Address column.
SEARCH_RESULTS_FILE = os.environ.get("SEARCH_RESULTS_FILE", "")

# ---------------------------------------------------------------- rendering
# When to render pages with a browser: "auto" (only pages whose static HTML
# needs JavaScript and that are worth it: contact-ish pages, home pages with no
# links), "always" (every page: slow, for JavaScript-heavy niches) or "never".
RENDER = os.environ.get("RENDER", "auto")
# Chromium to render with; empty = Playwright's own if installed, else the
# system's /usr/bin/chromium. Also read from the environment.
LINKSPIDER_BROWSER = os.environ.get("LINKSPIDER_BROWSER", "")
# Most pages rendered per site and per run (a browser page costs ~100 plain fetches).
RENDER_MAX_PER_SITE = 2
RENDER_MAX_PER_RUN = 200
# Browser pages open at once, and how long one may take (ms).
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000

# ---------------------------------------------------------------- distributed
# Redis of a distributed crawl, e.g. "redis://10.0.0.5:6379/0" (needs the
# `distributed` extra). Empty: one process writes LINKSPIDER_DB itself. Set:
# this crawl is one worker of the shared crawl of its spider (request queue and
# dupefilter in Redis) and never opens the database: its items go to the Redis
# list linkspider:items, which `linkspider ingest` writes. Also read from the
# environment.
REDIS_URL = os.environ.get("REDIS_URL", "")
# A worker whose heartbeat is older than this many seconds is taken for dead.
LINKSPIDER_WORKER_TIMEOUT = 60.0
# How often an idle worker looks at the shared queue, in seconds (Scrapy's own heartbeat is 5 s:
# too slow to join a crawl another worker is seeding).
LINKSPIDER_IDLE_POLL = 0.5

# ---------------------------------------------------------------- authority
# `linkspider authority import --opr` asks Open PageRank's API (key: the OPR_API_KEY environment
# variable, never this file) about the database's sites, OPR_BATCH per request (the API's maximum is
# 100), and does not ask again about a site it answered less than OPR_CACHE_DAYS ago.
OPR_API_URL = os.environ.get("OPR_API_URL", "https://openpagerank.com")
OPR_BATCH = 100
OPR_CACHE_DAYS = 30
OPR_TIMEOUT = 30.0

# ---------------------------------------------------------------- browser UI
# `linkspider ui`: seconds a change made in the browser (status, note, do-not-contact) waits for a
# database a crawl is writing before the page says it is busy and keeps what was typed. Short: the
# crawl's own writes take milliseconds, and a person should not stare at a spinner for 30 s.
LINKSPIDER_UI_WRITE_TIMEOUT = float(os.environ.get("LINKSPIDER_UI_WRITE_TIMEOUT", "5"))
