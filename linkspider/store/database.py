"""The SQLite database: its schema and every read and write of it.

This is the only module that speaks SQL (through sqlite-utils). One row per
*site* (registrable domain) in ``sites``; what the crawl saw hangs off it in
``pages``, ``contacts``, ``signals`` and ``discoveries``; each crawl is a row
of ``runs``. Writes are upserts keyed so that re-running a crawl never
duplicates a row, and the columns a person fills in (``status``, ``notes``)
are never written by a crawl. Every URL and message it writes passes through
:func:`linkspider.common.redact.redact` first: a key or password in one never reaches
the file (nor its WAL).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from linkspider.common.domains import registrable_domain
from linkspider.common.redact import redact
from linkspider.items import (
    ArticleItem,
    Discovery,
    DiscoveryItem,
    FrontierItem,
    OutboundCheckItem,
    PageItem,
    QueryItem,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")

OUTREACH_STATUSES = ("new", "contacted", "replied", "won", "rejected", "blocked")

# Page kinds the extractors decide, as signal kinds in the database.
SIGNAL_KINDS = {
    "is_write_for_us": "write_for_us",
    "is_roundup": "roundup",
    "is_resources": "resources",
    "is_sponsored": "sponsored",
    "rejects_guest_posts": "rejects_guest_posts",
    "is_contact_page": "contact_page",
    "is_about_page": "about_page",
    # Names the user's brand without linking to them (linkspider/score/page.py mark_mention).
    "is_unlinked_mention": "unlinked_mention",
}

# A column added to an older database, filled from what that database knows: sites crawled before
# short walks were told apart count as walked in full.
BACKFILL: dict[tuple[str, str], str] = {("sites", "last_full_walk"): "last_crawled"}

# table -> (columns, primary key, defaults). New columns are added to existing
# databases on open; nothing is ever dropped.
SCHEMA: dict[str, tuple[dict[str, type], str, dict[str, Any]]] = {
    "sites": ({
        "domain": str, "niche": str, "home_url": str, "title": str,
        "first_seen": str, "last_seen": str, "last_crawled": str,
        # When a walk of the site last ran in full (a search spider's short walk of an unconfirmed result
        # does not count): what RECRAWL_AFTER_DAYS reads, so the next spider gives a short-walked site its
        # full walk.
        "last_full_walk": str,
        "pages_crawled": int, "last_error": str,
        "score": int, "score_why": str,
        "score_guestpost": int, "score_roundup": int, "score_resources": int,
        "relevance": float, "niche_pages": int, "last_post": str, "competitors_linked": str,
        "status": str, "notes": str, "status_changed": str,
        # Emails best first (a JSON list, from the score); the UI's best email is the first not on the
        # do-not-contact list, as in an export.
        "emails_ranked": str,
        # Emails and author names, space-separated: what full-text search (sites_fts) finds besides
        # domain, title and why. Written by write_pages from the contacts.
        "contact_text": str,
        # From an open ranking (`linkspider authority import`): 0-100, where from, the list's date, its rank.
        "authority": int, "authority_source": str, "authority_date": str, "authority_rank": int,
    }, "domain", {"status": "new", "notes": "", "pages_crawled": 0, "score": 0, "score_why": ""}),
    "pages": ({
        "url": str, "domain": str, "status": int, "error": str, "title": str,
        "kinds": str, "published": str, "depth": int, "fetched_at": str,
        # The page's text profile: its commonest stemmed terms (not the page),
        # its BM25 against the niche and against the niche's negative keywords.
        "words": int, "terms": str, "relevance": float, "negative": float, "outbound_domains": int,
        # What was done to read the page ("cut at 2,000,000 characters", "3 control characters removed",
        # "extraction stopped after EXTRACT_TIMEOUT"): empty for most pages.
        "notes": str,
    }, "url", {}),
    "contacts": ({
        "id": str, "domain": str, "kind": str, "value": str, "source_url": str,
        "detail": str, "own_domain": int, "role": int, "first_seen": str, "last_seen": str,
    }, "id", {}),
    "signals": ({
        "id": str, "domain": str, "kind": str, "url": str, "evidence": str,
        "first_seen": str, "last_seen": str,
    }, "id", {}),
    "discoveries": ({
        "id": str, "domain": str, "niche": str, "source": str, "detail": str,
        "backend": str, "rank": int, "snippet": str, "first_seen": str,
    }, "id", {}),
    # Links from a prospect's page to a competitor: seen by any crawl, or
    # imported from a backlink export and verified (present/nofollow/.../gone).
    "competitor_links": ({
        "id": str, "domain": str, "page_url": str, "competitor": str, "target_url": str,
        "anchor": str, "rel": str, "status": str, "source": str,
        "first_seen": str, "last_checked": str,
    }, "id", {}),
    # The crawl's checkpoint (linkspider/crawl/checkpoint.py): requests of a job still
    # pending (`request`: a JSON record), and done; cleared when the job finishes.
    "frontier": ({
        "key": str, "job": str, "site": str, "url": str, "state": str, "request": str,
        "added": str, "done_at": str,
        # 1 when the request spends a page of its site's budget; 0 for a browser render of a page
        # already fetched and for the http:// retry of an https:// entry that failed to connect.
        "spends": int,
    }, "key", {}),
    # Search queries sent, for REQUERY_AFTER_DAYS.
    "queries": ({
        "id": str, "niche": str, "backend": str, "query": str, "kind": str,
        "first_sent": str, "last_sent": str, "results": int,
    }, "id", {}),
    # Never contact: a domain or an email, for every niche ("") or one niche.
    "do_not_contact": ({
        "id": str, "value": str, "niche": str, "note": str, "added": str,
    }, "id", {}),
    # One row per crawl (or nightly): `outcome` is running, then finished / interrupted / failed, and
    # `reason` says why (Scrapy's finish reason and what it means). `pid` and `host` let the next run
    # tell a run that is still going from one that was killed; `heartbeat` is its last batch written.
    "runs": ({
        "id": int, "spider": str, "niche": str, "args": str, "started": str,
        "finished": str, "outcome": str, "stats": str,
        "reason": str, "job": str, "pid": int, "host": str, "heartbeat": str,
    }, "id", {}),
    # Links the user has (won, bought, placed): one row per linking page -> target URL on the
    # user's site, watched by `linkspider monitor`. `status` and `last_checked` repeat the newest
    # check (new / live / unsure / lost / unchecked); every check is kept in link_checks.
    "placed_links": ({
        "id": str, "site": str, "page_url": str, "target_url": str, "target_domain": str,
        "note": str, "source": str, "added": str, "status": str, "rel": str, "last_checked": str,
    }, "id", {"status": "new", "note": ""}),
    # Every check of a placed link, never overwritten: what the page said and what changed since.
    "link_checks": ({
        "id": int, "link_id": str, "run_id": int, "checked_at": str, "outcome": str,
        "http_status": int, "final_url": str, "redirects": str, "error": str,
        "found": int, "rel": str, "anchor": str, "link_url": str,
        "noindex": str, "canonical": str, "js_only": int,
        "status": str, "changes": str,  # changes: a JSON list of {kind, before, after, detail}
    }, "id", {}),
    # Pages that link to the user's own site: seen by a crawl (the niche profile's `domain`) or
    # imported from a backlink export of that site (`links import --own`). Their sites are not
    # prospects. `lost`: the crawl saw the page without the link, or the export says it is lost.
    "own_backlinks": ({
        "id": str, "domain": str, "page_url": str, "target_url": str, "target_domain": str,
        "anchor": str, "rel": str, "source": str, "lost": int, "first_seen": str, "last_seen": str,
    }, "id", {}),
    # What the database is for: key "purpose" = "demo" marks the database `make demo` writes.
    "meta": ({"key": str, "value": str}, "key", {}),
    # The user's articles (`scrapy crawl article`), one row per niche and article: what each is about
    # (`profile`: a JSON ArticleProfile of linkspider/score/article.py, its terms, phrases and background).
    "articles": ({
        "id": str, "niche": str, "url": str, "title": str, "source": str, "background": str, "profile": str,
        "first_seen": str, "analysed_at": str,
    }, "id", {}),
    # Each site's fit for each article of its niche: its best page, written whenever the site is scored.
    "article_fits": ({
        "id": str, "domain": str, "article_url": str, "fit": float, "page_url": str, "page_kind": str,
        "topic": str, "computed_at": str,
    }, "id", {}),
    # Links from roundup and resources pages to other sites, checked (broken-link building): `outcome`
    # dead / unsure / ok, `reason` how it failed ("404", "DNS lookup failed", "parked domain"...).
    "outbound_checks": ({
        "id": str, "domain": str, "page_url": str, "target_url": str, "target_domain": str, "anchor": str,
        "outcome": str, "reason": str, "http_status": int, "final_url": str, "first_seen": str,
        "checked_at": str,
    }, "id", {}),
}
INDEXES = [("pages", ["domain"]), ("contacts", ["domain"]), ("signals", ["domain"]),
           ("discoveries", ["domain"]), ("discoveries", ["niche"]), ("competitor_links", ["domain"]),
           ("competitor_links", ["competitor"]), ("frontier", ["job", "state"]),
           ("placed_links", ["site"]), ("link_checks", ["link_id"]), ("link_checks", ["run_id"]),
           ("own_backlinks", ["domain"]), ("article_fits", ["domain"]), ("article_fits", ["article_url"]),
           ("outbound_checks", ["domain"]), ("outbound_checks", ["target_url"])]

# A placed link whose newest check is one of these still links: its site is not a prospect.
LINKING_STATUSES = ("new", "live", "unsure", "unchecked")

# Full-text search over sites (sqlite-utils enable_fts; triggers keep it in sync with every write).
FTS_COLUMNS = ["domain", "title", "score_why", "contact_text"]
_CONTACT_TEXT = ("(SELECT group_concat(value, ' ') FROM (SELECT DISTINCT c.value FROM contacts c "
                 "WHERE c.domain = sites.domain AND c.kind IN ('email', 'author') ORDER BY c.value))")
# Views read by the browser UI (and anyone with SQL): plain SQL over the tables, recreated on open when
# this text changes. `rowid` is the site's, so Datasette's search can use sites_fts on the view.
VIEWS = {
    "prospects": """CREATE VIEW prospects AS SELECT
  s.rowid AS rowid, s.domain, s.score, s.authority, s.score_why AS why,
  (SELECT j.value FROM json_each(coalesce(s.emails_ranked, '[]')) j
   WHERE j.value NOT IN (SELECT n.value FROM do_not_contact n WHERE n.niche IN ('', s.niche))
   ORDER BY j.key LIMIT 1) AS best_email,
  (SELECT json_group_array(kind) FROM (SELECT DISTINCT g.kind FROM signals g
   WHERE g.domain = s.domain ORDER BY g.kind)) AS signals,
  s.status, s.niche,
  (SELECT json_group_array(source) FROM (SELECT DISTINCT d.source FROM discoveries d
   WHERE d.domain = s.domain ORDER BY d.source)) AS found_via,
  EXISTS (SELECT 1 FROM do_not_contact n WHERE n.value = s.domain AND n.niche IN ('', s.niche))
    AS do_not_contact,
  s.notes, s.title, s.pages_crawled, s.first_seen, s.last_seen
FROM sites s""",
}


class StoreError(RuntimeError):
    """The database cannot be opened or written; the message says why and what to do."""


class _Database(sqlite_utils.Database):
    """sqlite-utils' Database whose scripts run inside the open transaction, if there is one.

    ``enable_fts`` creates its index and triggers with ``executescript``, which
    commits the transaction first: inside ``ensure_schema``'s BEGIN IMMEDIATE
    that would let a second process opening a new database race this one.
    """

    def executescript(self, sql: str) -> sqlite3.Cursor:
        if not self.conn.in_transaction:
            return super().executescript(sql)
        statement = ""
        for line in sql.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                self.conn.execute(statement)
                statement = ""
        if statement.strip():
            self.conn.execute(statement)
        return self.conn.cursor()


RUN_OUTCOMES = ("finished", "interrupted", "failed")
# Scrapy's finish reasons (and linkspider's) in words, for `runs.reason`.
_REASONS = {
    "shutdown": "stopped by SIGINT or SIGTERM",
    "cancelled": "stopped before it finished",
    "closespider_timeout": "CLOSESPIDER_TIMEOUT reached",
    "closespider_pagecount": "CLOSESPIDER_PAGECOUNT reached",
    "closespider_itemcount": "CLOSESPIDER_ITEMCOUNT reached",
    "closespider_errorcount": "CLOSESPIDER_ERRORCOUNT reached",
    "store_error": "the database could not be written",
}


def run_outcome(reason: str) -> str:
    """finished / interrupted / failed for a finish reason: stopped on purpose (a signal, a CLOSESPIDER_*
    limit, a kill) is interrupted - a job resumes it; anything else that is not "finished" failed."""
    if reason in RUN_OUTCOMES:
        return reason
    if reason in ("shutdown", "cancelled", "killed") or reason.startswith("closespider_"):
        return "interrupted"
    return "failed"


def now_iso() -> str:
    """UTC, always with milliseconds: timestamps compare as strings, and a digest's
    "since" must tell apart rows written in the same second before and after it."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _is_read_only(exc: sqlite3.Error) -> bool:
    """SQLite could not write the file (read-only file, folder or medium)."""
    return getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN"))


def _while_busy(statement: Callable[[], Any], timeout: float) -> None:
    """Run ``statement``, again while SQLite answers plain SQLITE_BUSY, for up to ``timeout`` seconds.

    Switching a new database to WAL while another process does the same is
    refused at once, without SQLite's busy handler: two crawls started
    together on a new database would fail with "locked" instead of waiting.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            statement()
            return
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_BUSY" or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _explain(path: Path, exc: sqlite3.Error) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return (f"database {path} is locked by another process (another crawl or an open "
                f"editor?); close it or use -s LINKSPIDER_DB=... for this run")
    if "readonly" in text or "read-only" in text:
        return f"database {path} is read-only; check its permissions or choose another path"
    if "disk" in text and "full" in text:
        return f"disk full while writing {path}; free space and run again"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a linkspider SQLite database ({text})"
    return f"database {path}: {text}"


def demo_conflict(path: str | Path, demo: bool) -> str:
    """Why a crawl (``demo``: one of ``make demo``'s) may not write the database at ``path``; "" when it may.

    The demo's made-up sites must never mix with real prospects: a real crawl refuses the database the
    demo marked as its own (or the one an older demo wrote, output/linkspider.db beside its marker file
    ``.demo-database``), and the demo refuses a database that holds sites of another crawl.
    """
    path = Path(path)
    if not path.is_file():
        return ""
    try:
        with Store(path, reading=True) as store:
            marked = store.meta("purpose") == "demo"
            sites = store.db["sites"].count
    except StoreError:
        return ""  # the crawl itself says what is wrong with it
    marked = marked or (path.name == "linkspider.db" and (path.parent / ".demo-database").is_file())
    if demo and not marked and sites:
        return (f"{path} holds {sites} sites that are not the demo's; the demo writes only a database "
                "of its own: move that one away, or give the demo another folder")
    if not demo and marked:
        return (f"{path} is the database of `make demo` (made-up sites of the offline demo web); a real crawl "
                f"does not write into it. Start clean: delete {path} (and {path.name}-wal, {path.name}-shm "
                "beside it), or crawl into another database with -s LINKSPIDER_DB=PATH")
    return ""


@dataclass
class ProspectScope:
    """Which sites are prospects at all (what export, report and the digest hold unless ``--all``).

    Not a prospect: a site that never answered (no page fetched with a 2xx), one whose relevance is
    below its niche's threshold (the export's niche, else the site's), and a niche's own competitors.
    """

    min_relevance: float = 0.0  # for niches not in ``thresholds``
    thresholds: dict[str, float] = field(default_factory=dict)  # niche -> its min_relevance
    competitors: dict[str, list[str]] = field(default_factory=dict)  # niche -> its competitors' domains


@dataclass
class ProspectFilter:
    """What ``linkspider export`` and ``report`` select."""

    niche: str | None = None
    min_score: int | None = None
    min_authority: int | None = None  # sites without an authority figure are left out
    signals: list[str] = field(default_factory=list)  # all must be present
    has_email: bool = False
    statuses: list[str] = field(default_factory=list)  # empty: any status not excluded
    exclude_statuses: list[str] = field(default_factory=list)
    exclude_do_not_contact: bool = True
    new_since: str | None = None  # first seen at or after this ISO time
    changed_since: str | None = None  # older sites with a new pitch signal since
    # Sites that already link to the user (a placed link not lost, an own backlink) are not prospects.
    exclude_linking: bool = True
    limit: int | None = None
    scope: ProspectScope | None = None  # None: every site, prospect or not


# A site belongs to a niche when it was first found for it or found for it since.
_IN_NICHE = "(s.niche = {n} OR EXISTS (SELECT 1 FROM discoveries d WHERE d.domain = s.domain AND d.niche = {n}))"


def _scope_sql(scope: ProspectScope, niche: str | None) -> dict[str, tuple[str, list[Any]]]:
    """The three tests of a prospect as SQL over ``sites s`` (true: passes): answered, not a competitor, relevant."""
    if niche:
        rivals = scope.competitors.get(niche, [])
        competitor = (f"s.domain NOT IN ({','.join('?' * len(rivals))})", list(rivals)) if rivals else ("1 = 1", [])
        relevant = ("coalesce(s.relevance, 0) >= ?", [scope.thresholds.get(niche, scope.min_relevance)])
    else:
        parts, args = [], []
        for name, rivals in scope.competitors.items():
            if rivals:
                parts.append(f"NOT (s.domain IN ({','.join('?' * len(rivals))}) AND {_IN_NICHE.format(n='?')})")
                args += [*rivals, name, name]
        competitor = (" AND ".join(parts) or "1 = 1", args)
        cases = "".join(" WHEN ? THEN ?" for _ in scope.thresholds)
        relevant = (f"coalesce(s.relevance, 0) >= CASE s.niche{cases} ELSE ? END" if cases
                    else "coalesce(s.relevance, 0) >= ?",
                    [x for item in scope.thresholds.items() for x in item] + [scope.min_relevance])
    return {"answered": ("coalesce(s.pages_crawled, 0) > 0", []), "competitor": competitor, "relevant": relevant}


def _reported(method: Callable[..., T]) -> Callable[..., T]:
    """A Store method whose SQLite errors become StoreError with a message a person can act on."""
    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> T:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc
    return wrapper


class Store:
    """An open linkspider database. Create with ``Store(path)``; close with ``close()``.

    ``reading=True`` is for commands that only read (export, report): a
    database file they may not write is opened read-only instead of refused.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0, reading: bool = False) -> None:
        self.path = Path(path)
        self.read_only = False
        self.run_id: int | None = None  # the run this Store's batches belong to (start_run), for its heartbeat
        # A reading command on a file it may not write: read-only, or immutable
        # when not even the WAL index beside it can be created (read-only folder).
        modes = ("", "mode=ro", "immutable=1") if reading else ("",)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for mode in modes:
                try:
                    self._connect(timeout, mode)
                    break
                except sqlite3.OperationalError as exc:
                    if mode == modes[-1] or not _is_read_only(exc):
                        raise
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc
        except OSError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def _connect(self, timeout: float, mode: str) -> None:
        if mode:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?{mode}", uri=True, timeout=timeout)
        else:
            conn = sqlite3.connect(str(self.path), timeout=timeout)
        self.db, self.read_only = _Database(conn), bool(mode)
        # A damaged page is then refused as "malformed" when read, not read as rows of NULLs.
        conn.execute("PRAGMA cell_size_check = ON")
        try:
            if not mode:
                # WAL lets `linkspider export` read while a crawl writes.
                _while_busy(lambda: self.db.execute("PRAGMA journal_mode=WAL"), timeout)
                self.db.execute("PRAGMA synchronous=NORMAL")
            self.ensure_schema()
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ schema
    def ensure_schema(self) -> None:
        """Create missing tables, columns and indexes (older databases keep their rows).

        One IMMEDIATE transaction: two crawls opening a new database at once
        take turns (the second waits for the busy timeout) instead of racing to
        create the same tables, which SQLite answers with "locked" at once.
        """
        missing = self._schema_missing()
        if not missing:
            return
        if self.read_only:
            raise StoreError(f"database {self.path} is read-only and lacks what this linkspider needs "
                             f"({', '.join(missing[:3])}); make it writable once so linkspider can add it")
        with self.db.conn:
            self.db.execute("BEGIN IMMEDIATE")
            for name, (columns, pk, defaults) in SCHEMA.items():
                table = self.db[name]
                if not table.exists():
                    table.create(columns, pk=pk, defaults=defaults, not_null=set(defaults) & {"status"})
                    continue
                have = set(table.columns_dict)
                for column, kind in columns.items():
                    if column not in have:
                        table.add_column(column, kind, not_null_default=defaults.get(column))
                        if (name, column) in BACKFILL:
                            self.db.execute(f"UPDATE {name} SET {column} = {BACKFILL[name, column]}")
            for table_name, cols in INDEXES:
                self.db[table_name].create_index(cols, if_not_exists=True)
            for name, sql in VIEWS.items():
                if self._view_sql(name) != sql:
                    self.db.execute(f"DROP VIEW IF EXISTS {name}")
                    self.db.execute(sql)
            if not self._fts_ready():
                # An older database: its sites' contact text first, then the index over it.
                self.db.execute(f"UPDATE sites SET contact_text = {_CONTACT_TEXT}")
                self.db["sites"].enable_fts(FTS_COLUMNS, create_triggers=True, tokenize="porter", replace=True)

    def _schema_missing(self) -> list[str]:
        """Tables, columns and indexes of SCHEMA/INDEXES the database does not have yet."""
        tables = set(self.db.table_names())
        missing = [f"table {name}" for name in SCHEMA if name not in tables]
        for name, (columns, _, _) in SCHEMA.items():
            if name in tables:
                have = set(self.db[name].columns_dict)
                missing += [f"column {name}.{c}" for c in columns if c not in have]
        indexed = {(name, tuple(index.columns)) for name in tables for index in self.db[name].indexes}
        missing += [f"index on {t}({', '.join(c)})" for t, c in INDEXES if (t, tuple(c)) not in indexed]
        missing += [f"view {name}" for name, sql in VIEWS.items() if self._view_sql(name) != sql]
        if "sites" in tables and not self._fts_ready():
            missing.append("full-text index sites_fts")
        return missing

    def _view_sql(self, name: str) -> str | None:
        rows = list(self.db.query("SELECT sql FROM sqlite_master WHERE type = 'view' AND name = ?", [name]))
        return rows[0]["sql"] if rows else None

    def _fts_ready(self) -> bool:
        """sites_fts exists over FTS_COLUMNS with the triggers that keep it in sync."""
        sites = self.db["sites"]
        return (sites.detect_fts() == "sites_fts" and list(self.db["sites_fts"].columns_dict) == FTS_COLUMNS
                and {"sites_ai", "sites_ad", "sites_au"} <= {t.name for t in sites.triggers})

    # ------------------------------------------------------------ writes
    def write_pages(self, batch: Iterable[Any], job: str = "") -> int:
        """Store a batch of items — pages, extra discoveries, sent queries and the
        crawl's checkpoint (``job``) — in one transaction, in their order."""
        batch = list(batch)
        if not batch:
            return 0
        items = [i for i in batch if isinstance(i, (PageItem, DiscoveryItem))]
        frontier = [i for i in batch if isinstance(i, FrontierItem)]
        queries = [i for i in batch if isinstance(i, QueryItem)]
        articles = [i for i in batch if isinstance(i, ArticleItem)]
        checks = [i for i in batch if isinstance(i, OutboundCheckItem)]
        ts = now_iso()
        sites_new: dict[str, dict[str, Any]] = {}
        pages, contacts, signals, discoveries, competitor_links = [], [], [], [], []
        own_pages: dict[str, list[dict[str, Any]]] = {}  # page URL -> its links to the user's site
        homes: dict[str, PageItem] = {}
        walked_full: set[str] = set()  # sites with a page of a full walk in this batch
        for item in items:
            sites_new.setdefault(item.domain, {
                "domain": item.domain, "niche": item.niche, "first_seen": ts,
                "status": "new", "notes": "", "pages_crawled": 0,
            })
            if isinstance(item, DiscoveryItem):
                discoveries.append(_discovery_row(item.domain, item.niche, item.discovery, ts))
                continue
            if item.is_home:
                homes[item.domain] = item
            if not item.short_walk:
                walked_full.add(item.domain)
            facts, url = item.facts, redact(item.url)
            pages.append({
                "url": url, "domain": item.domain, "status": item.status,
                "error": redact(item.error), "title": facts.get("title", ""),
                "kinds": ",".join(SIGNAL_KINDS[k] for k in SIGNAL_KINDS if facts.get(k)),
                "published": facts.get("published"), "depth": item.depth, "fetched_at": ts,
                "words": facts.get("words"), "terms": json.dumps(facts.get("terms") or {}, sort_keys=True),
                "relevance": facts.get("relevance"), "negative": facts.get("negative"),
                "outbound_domains": facts.get("outbound_domains"),
                "notes": "; ".join(facts.get("notes") or []),
            })
            competitor_links.extend(_competitor_rows(item, url, ts))
            if "own_links" in facts:  # the page was read for links to the user's site
                own_pages[url] = _own_link_rows(item, url, ts)
            contacts.extend(_contact_rows(item, url, ts))
            signals.extend(_signal_rows(item, url, ts))
            if item.discovery is not None:
                discoveries.append(_discovery_row(item.domain, item.niche, item.discovery, ts))
        try:
            with self.db.conn:
                db = self.db
                self._write_queries(queries, ts)
                # A new site gets its first_seen and default outreach fields once;
                # later crawls touch only the crawl's own columns.
                db["sites"].insert_all(sites_new.values(), pk="domain", ignore=True)
                if sites_new:
                    db.execute(
                        f"UPDATE sites SET last_seen = ?, last_crawled = ? WHERE domain IN "
                        f"({','.join('?' * len(sites_new))})",
                        [ts, ts, *sites_new],
                    )
                if walked_full:
                    db.execute(f"UPDATE sites SET last_full_walk = ? WHERE domain IN "
                               f"({','.join('?' * len(walked_full))})", [ts, *walked_full])
                for domain, home in homes.items():
                    if home.status and 200 <= home.status < 300:
                        db.execute(
                            "UPDATE sites SET home_url = ?, title = ?, last_error = '' WHERE domain = ?",
                            [redact(home.url), home.facts.get("title", ""), domain],
                        )
                    else:
                        db.execute(
                            "UPDATE sites SET home_url = coalesce(home_url, ?), last_error = ? "
                            "WHERE domain = ?",
                            [redact(home.requested_url or home.url), redact(home.error) or f"HTTP {home.status}",
                             domain],
                        )
                db["pages"].upsert_all(pages, pk="url")
                # Keep first_seen of known contacts/signals: insert-or-ignore, then touch.
                for table, rows in (("contacts", contacts), ("signals", signals),
                                    ("discoveries", discoveries)):
                    if rows:
                        db[table].insert_all(rows, pk="id", ignore=True)
                        if table != "discoveries":
                            db.conn.executemany(
                                f"UPDATE {table} SET last_seen = ? WHERE id = ?",
                                [(ts, r["id"]) for r in rows],
                            )
                self._upsert_competitor_links(competitor_links)
                self._write_own_links(own_pages, ts)
                self._write_articles(articles, ts)
                self._write_outbound_checks(checks, ts)
                db.execute(
                    "UPDATE sites SET pages_crawled = (SELECT count(*) FROM pages p WHERE "
                    "p.domain = sites.domain AND p.status BETWEEN 200 AND 299) WHERE domain IN "
                    f"({','.join('?' * len(sites_new))})",
                    list(sites_new),
                )
                touched = sorted({r["domain"] for r in contacts})
                if touched:  # what full-text search finds besides domain, title and why
                    db.execute(f"UPDATE sites SET contact_text = {_CONTACT_TEXT} WHERE domain IN "
                               f"({','.join('?' * len(touched))})", touched)
                if job:  # last: a request is done only once what it produced is stored
                    self._write_frontier(job, frontier, ts)
                if self.run_id is not None:
                    db.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", [ts, self.run_id])
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc
        return len(items)

    def _write_frontier(self, job: str, entries: list[FrontierItem], ts: str) -> None:
        for entry in entries:
            if entry.pending:
                self.db["frontier"].insert_all(
                    [{"key": f"{job}|{p['key']}", "job": job, "site": p["site"], "url": redact(p["url"]),
                      "state": "pending", "request": p["request"], "added": ts, "spends": p.get("spends", 1)}
                     for p in entry.pending],
                    pk="key", ignore=True)
            if entry.done:
                self.db.conn.executemany(
                    "UPDATE frontier SET state = 'done', done_at = ?, request = NULL WHERE key = ?",
                    [(ts, f"{job}|{key}") for key in entry.done])

    def _write_queries(self, queries: list[QueryItem], ts: str) -> None:
        if not queries:
            return
        rows = [{"id": f"{q.niche}|{q.backend}|{q.query}", "niche": q.niche, "backend": q.backend,
                 "query": q.query, "kind": q.kind, "first_sent": ts, "last_sent": ts, "results": q.results}
                for q in queries]
        self.db["queries"].insert_all(rows, pk="id", ignore=True)
        self.db.conn.executemany("UPDATE queries SET last_sent = ?, results = ? WHERE id = ?",
                                 [(ts, r["results"], r["id"]) for r in rows])

    @_reported
    def frontier(self, job: str) -> list[dict[str, Any]]:
        """A job's checkpoint: every request recorded, pending ones with their request record."""
        return list(self.db.query("SELECT site, url, state, request, coalesce(spends, 1) AS spends FROM frontier "
                                  "WHERE job = ? "
                                  "ORDER BY added, key", [job]))

    @_reported
    def clear_frontier(self, job: str) -> None:
        with self.db.conn:
            self.db.execute("DELETE FROM frontier WHERE job = ?", [job])

    @_reported
    def sent_queries(self, niche: str, backend: str, days: float) -> set[str]:
        """Queries sent for this niche and backend less than ``days`` ago."""
        if days <= 0:
            return set()
        cutoff = (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0).isoformat()
        return {r["query"] for r in self.db.query(
            "SELECT query FROM queries WHERE niche = ? AND backend = ? AND last_sent >= ?", [niche, backend, cutoff])}

    def _upsert_competitor_links(self, rows: list[dict[str, Any]]) -> None:
        """Keep first_seen; a later check updates status, anchor, rel and last_checked."""
        if not rows:
            return
        self.db["competitor_links"].insert_all(rows, pk="id", ignore=True)
        self.db.conn.executemany(
            "UPDATE competitor_links SET status = ?, anchor = ?, rel = ?, target_url = ?, last_checked = ? "
            "WHERE id = ?",
            [(r["status"], r["anchor"], r["rel"], r["target_url"], r["last_checked"], r["id"]) for r in rows],
        )

    def _write_own_links(self, pages: dict[str, list[dict[str, Any]]], ts: str) -> None:
        """A crawled page's links to the user's site; the page's earlier ones it no longer has are lost."""
        for url, rows in pages.items():
            self._upsert_own_backlinks(rows)
            self.db.execute(
                f"UPDATE own_backlinks SET lost = 1, last_seen = ? WHERE page_url = ? AND source = 'crawl' "
                f"AND lost = 0 AND id NOT IN ({','.join('?' * len(rows))})", [ts, url, *(r["id"] for r in rows)])

    def _upsert_own_backlinks(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.db["own_backlinks"].insert_all(rows, pk="id", ignore=True)
        self.db.conn.executemany(
            "UPDATE own_backlinks SET anchor = ?, rel = ?, target_url = ?, lost = ?, last_seen = ?, source = ? "
            "WHERE id = ?",
            [(r["anchor"], r["rel"], r["target_url"], r["lost"], r["last_seen"], r["source"], r["id"]) for r in rows])

    @_reported
    def write_own_backlinks(self, rows: list[dict[str, Any]]) -> int:
        """Imported links to the user's site (see ``own_backlink_row``); returns how many were new."""
        with self.db.conn:
            before = self.db["own_backlinks"].count
            self._upsert_own_backlinks(rows)
            return self.db["own_backlinks"].count - before

    # ------------------------------------------------------------ placed links and their checks
    @_reported
    def add_placed_links(self, rows: list[dict[str, Any]]) -> list[str]:
        """Add links the user has (see ``placed_link_row``); returns the ids that were new.
        A link added again keeps its history; a note given again replaces the old one."""
        with self.db.conn:
            known = {r["id"] for r in self.db.query(
                f"SELECT id FROM placed_links WHERE id IN ({','.join('?' * len(rows))})", [r["id"] for r in rows])}
            self.db["placed_links"].insert_all(rows, pk="id", ignore=True)
            self.db.conn.executemany("UPDATE placed_links SET note = ? WHERE id = ? AND ? != ''",
                                     [(r["note"], r["id"], r["note"]) for r in rows if r["id"] in known])
        return [r["id"] for r in rows if r["id"] not in known]

    @_reported
    def placed_links(self, *, site: str | None = None, target: str | None = None, statuses: Iterable[str] = (),
                     rels: Iterable[str] = (), checked_before: str | None = None) -> list[dict[str, Any]]:
        """Placed links with their newest check (``check_*`` columns; NULL when never checked),
        least recently checked first. ``checked_before``: only links not checked since then, and
        links whose newest check was unsure (those are asked again at the next chance)."""
        where, args = ["1 = 1"], []
        if site:
            where.append("l.site = ?")
            args.append(site)
        if target:
            where.append("l.target_domain = ?")
            args.append(target)
        statuses, rels = list(statuses), list(rels)
        if statuses:
            where.append(f"l.status IN ({','.join('?' * len(statuses))})")
            args += statuses
        if rels:
            where.append(f"l.rel IN ({','.join('?' * len(rels))})")
            args += rels
        if checked_before:
            where.append("(l.last_checked IS NULL OR l.last_checked < ? OR l.status = 'unsure')")
            args.append(checked_before)
        return list(self.db.query(
            "SELECT l.*, c.http_status AS check_http_status, c.final_url AS check_final_url, "
            "c.redirects AS check_redirects, c.error AS check_error, c.anchor AS check_anchor, "
            "c.link_url AS check_link_url, c.noindex AS check_noindex, c.canonical AS check_canonical, "
            "c.js_only AS check_js_only, c.changes AS check_changes, "
            "(SELECT count(*) FROM link_checks n WHERE n.link_id = l.id) AS checks "
            "FROM placed_links l LEFT JOIN link_checks c ON c.id = "
            "(SELECT max(id) FROM link_checks m WHERE m.link_id = l.id) "
            f"WHERE {' AND '.join(where)} ORDER BY coalesce(l.last_checked, ''), l.site, l.page_url, l.id", args))

    @_reported
    def link_history(self, link_id: str, limit: int = 20) -> list[dict[str, Any]]:
        """A placed link's newest checks, oldest first (what ``score.link_changes.judge`` compares with)."""
        rows = list(self.db.query("SELECT * FROM link_checks WHERE link_id = ? ORDER BY id DESC LIMIT ?",
                                  [link_id, limit]))
        return rows[::-1]

    @_reported
    def record_link_check(self, row: dict[str, Any]) -> None:
        """Keep one check (a ``link_checks`` row) and make it the link's newest. A check that could
        not read the page leaves the link's rel as the last reading found it."""
        read = row["outcome"] in ("ok", "gone")
        with self.db.conn:
            self.db["link_checks"].insert(row)
            self.db.execute("UPDATE placed_links SET status = ?, rel = CASE WHEN ? THEN ? ELSE rel END, "
                            "last_checked = ? WHERE id = ?",
                            [row["status"], read, row.get("rel") or "", row["checked_at"], row["link_id"]])

    @_reported
    def link_changes(self, *, run_id: int | None = None, since: str | None = None) -> list[dict[str, Any]]:
        """Every change found by one monitor run, or by the checks since a time: one row per change,
        with its link, in the order checked."""
        where, args = ["c.changes IS NOT NULL AND c.changes != '[]'"], []
        if run_id is not None:
            where.append("c.run_id = ?")
            args.append(run_id)
        if since is not None:
            where.append("c.checked_at >= ?")
            args.append(since)
        out = []
        for row in self.db.query(
                "SELECT l.site, l.page_url, l.target_url, c.checked_at, c.status, c.changes FROM link_checks c "
                f"JOIN placed_links l ON l.id = c.link_id WHERE {' AND '.join(where)} ORDER BY c.id", args):
            for change in json.loads(row.pop("changes")):
                out.append({**row, **change})
        return out

    @_reported
    def own_domains(self) -> set[str]:
        """The user's sites as the database knows them: targets of placed links and own backlinks."""
        return {r["d"] for r in self.db.query(
            "SELECT target_domain AS d FROM placed_links UNION SELECT target_domain FROM own_backlinks") if r["d"]}

    @_reported
    def linking_domains(self) -> set[str]:
        """Sites that already link to the user: a placed link not lost, or an own backlink not lost."""
        return {r["d"] for r in self.db.query(
            f"SELECT site AS d FROM placed_links WHERE status IN ({','.join('?' * len(LINKING_STATUSES))}) "
            "UNION SELECT domain FROM own_backlinks WHERE lost = 0", list(LINKING_STATUSES))}

    def write_competitor_links(self, rows: list[dict[str, Any]]) -> None:
        """Links to competitors from an import or a verification (see ``competitor_link_row``)."""
        try:
            with self.db.conn:
                self._upsert_competitor_links(rows)
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc

    def write_batch(self, batch: list[Any], weights: dict[str, float] | None = None, today: date | None = None,
                    niche: str = "", job: str = "") -> None:
        """Write a batch of crawl items (one transaction), then score the sites it touched: what the crawl's
        store pipeline and ``linkspider ingest`` both do with a batch."""
        self.write_pages(batch, job=job)
        domains = {item.domain for item in batch if isinstance(item, (PageItem, DiscoveryItem, OutboundCheckItem))}
        for article in (i for i in batch if isinstance(i, ArticleItem)):  # every site of the niche gets its fit
            domains.update(self.niche_domains(article.niche))
        self.rescore(domains, weights, today, niche)

    def rescore(self, domains: Iterable[str], weights: dict[str, float] | None = None, today: date | None = None,
                niche: str = "") -> None:
        """Score ``domains`` again from what is stored (``linkspider rescore`` after changing the weights)."""
        from linkspider.score.article import ArticleProfile, site_fit
        from linkspider.score.prospect import score_site

        profiles: dict[str, list[ArticleProfile]] = {}
        for row in self.articles():
            profiles.setdefault(row["niche"], []).append(ArticleProfile.from_row(row["profile"]))
        scores, fits = {}, []
        for site in self.site_facts(domains):
            mine = profiles.get(niche or site["niche"], [])
            if mine:
                pages = self._page_terms(site["domain"])
                found = [f for f in (site_fit(pages, p) for p in mine) if f is not None]
                fits.append((site["domain"], [p.url for p in mine], found))
                if found:
                    best = max(found, key=lambda f: f.fit)
                    site["article_fit"] = {"fit": best.fit, "why": best.why, "article_url": best.article_url}
            scores[site["domain"]] = score_site(site, weights, today, niche)
        self.save_scores(scores)
        if fits:
            self._save_fits(fits)

    @_reported
    def _save_fits(self, fits: list[tuple[str, list[str], list[Any]]]) -> None:
        """Per site: its fit for each article of its niche (a ``SiteFit``); articles it no longer fits lose
        their row."""
        ts = now_iso()
        with self.db.conn:
            for domain, articles, found in fits:
                self.db.execute(f"DELETE FROM article_fits WHERE domain = ? AND article_url IN "
                                f"({','.join('?' * len(articles))})", [domain, *articles])
                self.db["article_fits"].insert_all(
                    [{"id": f"{domain}|{f.article_url}", "domain": domain, "article_url": f.article_url,
                      "fit": f.fit, "page_url": f.page_url, "page_kind": f.page_kind, "topic": f.topic,
                      "computed_at": ts} for f in found], pk="id", replace=True)

    @_reported
    def _page_terms(self, domain: str) -> list[dict[str, Any]]:
        """A site's readable pages with their stored terms, for its article fit."""
        return [{**r, "terms": json.loads(r["terms"] or "{}")} for r in self.db.query(
            "SELECT url, title, kinds, words, terms FROM pages WHERE domain = ? AND status BETWEEN 200 AND 299",
            [domain])]

    # ------------------------------------------------------------ articles and broken links
    def _write_articles(self, articles: list[ArticleItem], ts: str) -> None:
        rows = [{"id": f"{a.niche}|{a.url}", "niche": a.niche, "url": redact(a.url), "title": a.title,
                 "source": a.source, "background": a.profile.get("background", ""),
                 "profile": json.dumps(a.profile, sort_keys=True), "first_seen": ts, "analysed_at": ts}
                for a in articles]
        if rows:
            self.db["articles"].insert_all(rows, pk="id", ignore=True)
            self.db.conn.executemany("UPDATE articles SET title = ?, source = ?, background = ?, profile = ?, "
                                     "analysed_at = ? WHERE id = ?",
                                     [(r["title"], r["source"], r["background"], r["profile"], ts, r["id"])
                                      for r in rows])

    @_reported
    def articles(self, url: str | None = None) -> list[dict[str, Any]]:
        """The analysed articles (of every niche, or those at ``url``), ``profile`` as a dict."""
        rows = self.db.query("SELECT * FROM articles WHERE ? IS NULL OR url = ? ORDER BY niche, first_seen",
                             [url, url])
        return [{**r, "profile": json.loads(r["profile"])} for r in rows]

    @_reported
    def niche_domains(self, niche: str) -> list[str]:
        """Every site found for ``niche``."""
        return [r["domain"] for r in self.db.query(
            "SELECT domain FROM sites WHERE niche = ? UNION SELECT domain FROM discoveries WHERE niche = ?",
            [niche, niche])]

    @_reported
    def niche_page_terms(self, niche: str, limit: int = 50_000) -> list[list[str]]:
        """The stored terms of the niche's readable pages (an article's background, in the article spider)."""
        return [list(json.loads(r["terms"] or "{}")) for r in self.db.query(
            "SELECT p.terms FROM pages p JOIN sites s ON s.domain = p.domain WHERE s.niche = ? "
            "AND p.status BETWEEN 200 AND 299 AND p.words > 0 LIMIT ?", [niche, limit])]

    def _write_outbound_checks(self, checks: list[OutboundCheckItem], ts: str) -> None:
        """Each check updates its (page, target) row; each page's ``broken_link`` signal says how many of
        its links are dead now, with an example (and goes when none is)."""
        if not checks:
            return
        rows = [{"id": f"{redact(c.page_url)}|{redact(c.target_url)}", "domain": c.domain,
                 "page_url": redact(c.page_url), "target_url": redact(c.target_url),
                 "target_domain": registrable_domain(c.target_url) or "", "anchor": c.anchor[:300],
                 "outcome": c.outcome, "reason": c.reason[:200], "http_status": c.http_status,
                 "final_url": redact(c.final_url), "first_seen": ts, "checked_at": c.checked_at or ts}
                for c in checks]
        self.db["outbound_checks"].insert_all(rows, pk="id", ignore=True)
        self.db.conn.executemany(
            "UPDATE outbound_checks SET anchor = ?, outcome = ?, reason = ?, http_status = ?, final_url = ?, "
            "checked_at = ? WHERE id = ?",
            [(r["anchor"], r["outcome"], r["reason"], r["http_status"], r["final_url"], r["checked_at"], r["id"])
             for r in rows])
        for domain, page in dict.fromkeys((r["domain"], r["page_url"]) for r in rows):
            dead = list(self.db.query("SELECT anchor, target_url, reason FROM outbound_checks WHERE page_url = ? "
                                      "AND outcome = 'dead' ORDER BY checked_at, target_url", [page]))
            key = f"{domain}|broken_link|{page}"
            if not dead:
                self.db.execute("DELETE FROM signals WHERE id = ?", [key])
                continue
            example = dead[0]["anchor"] or dead[0]["target_url"]
            evidence = (f"{len(dead)} dead page{'s' if len(dead) > 1 else ''} "
                        f"(e.g. '{example[:80]}' -> {dead[0]['reason']})")
            self.db["signals"].insert({"id": key, "domain": domain, "kind": "broken_link", "url": page,
                                       "evidence": evidence, "first_seen": ts, "last_seen": ts},
                                      pk="id", ignore=True)
            self.db.execute("UPDATE signals SET evidence = ?, last_seen = ? WHERE id = ?", [evidence, ts, key])

    @_reported
    def outbound_known(self, days: float) -> dict[str, dict[str, Any]]:
        """Target URLs found dead or alive less than ``days`` ago -> their newest check (not asked again)."""
        if days <= 0:
            return {}
        cutoff = (datetime.now(timezone.utc) - timedelta(days=days)).isoformat(timespec="milliseconds")
        return {r["target_url"]: r for r in self.db.query(
            "SELECT target_url, outcome, reason, http_status, final_url, checked_at FROM outbound_checks "
            "WHERE outcome IN ('dead', 'ok') AND checked_at >= ? ORDER BY checked_at", [cutoff])}

    @_reported
    def broken_links(self, niche: str | None = None) -> list[dict[str, Any]]:
        """Every dead link found, one row each, with the site's score and best contacts (the export)."""
        return list(self.db.query(
            "SELECT o.domain, o.page_url, p.kinds AS page_kinds, o.target_url, o.anchor, o.reason, o.http_status, "
            "o.final_url, o.checked_at, o.first_seen, s.score, s.niche, s.emails_ranked, s.status AS site_status, "
            "(SELECT g.url FROM signals g WHERE g.domain = o.domain AND g.kind = 'contact_page' ORDER BY g.url "
            "LIMIT 1) AS contact_page FROM outbound_checks o JOIN sites s ON s.domain = o.domain "
            "LEFT JOIN pages p ON p.url = o.page_url WHERE o.outcome = 'dead' AND (? IS NULL OR s.niche = ? "
            "OR EXISTS (SELECT 1 FROM discoveries d WHERE d.domain = s.domain AND d.niche = ?)) "
            "ORDER BY s.score DESC, o.domain, o.page_url, o.target_url", [niche, niche, niche]))

    @_reported
    def article_fits(self, article_url: str) -> dict[str, dict[str, Any]]:
        """Sites' fits for one article -> {domain: fit row}."""
        return {r["domain"]: r for r in self.db.query(
            "SELECT * FROM article_fits WHERE article_url = ? ORDER BY fit DESC", [article_url])}

    def save_scores(self, scores: dict[str, dict[str, Any]]) -> None:
        """Per site: ``score``, ``score_why`` and the per-kind scores and relevance figures."""
        columns = ["score", "score_why", "score_guestpost", "score_roundup", "score_resources",
                   "relevance", "niche_pages", "last_post", "competitors_linked", "emails_ranked"]

        def value(row: dict[str, Any], column: str) -> Any:
            v = row.get(column)
            return json.dumps(v) if isinstance(v, list) else v

        try:
            with self.db.conn:
                self.db.conn.executemany(
                    f"UPDATE sites SET {', '.join(c + ' = ?' for c in columns)} WHERE domain = ?",
                    [(*(value(row, c) for c in columns), domain) for domain, row in scores.items()],
                )
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc

    def set_status(self, domain: str, status: str, note: str | None = None) -> bool:
        """Record a person's outreach status (and note); False when the site is unknown."""
        if status not in OUTREACH_STATUSES:
            raise ValueError(f"unknown status {status!r}; use one of {', '.join(OUTREACH_STATUSES)}")
        sets, args = ["status = ?", "status_changed = ?"], [status, now_iso()]
        if note is not None:
            sets.append("notes = ?")
            args.append(note)
        try:
            with self.db.conn:
                cur = self.db.execute(f"UPDATE sites SET {', '.join(sets)} WHERE domain = ?",
                                      [*args, domain])
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc
        return cur.rowcount > 0

    @_reported
    def set_authority(self, figures: Iterable[dict[str, Any]]) -> int:
        """Per site (``domain``): ``authority`` 0-100 with its ``source``, list ``date`` and ``rank``.

        Sites not in the database are ignored; returns how many sites got a figure.
        """
        rows = [(f["authority"], f["source"], f["date"], f.get("rank"), f["domain"]) for f in figures]
        if not rows:
            return 0
        with self.db.conn:
            cur = self.db.conn.executemany(
                "UPDATE sites SET authority = ?, authority_source = ?, authority_date = ?, authority_rank = ? "
                "WHERE domain = ?", rows)
        return cur.rowcount

    @_reported
    def authority_since(self, source: str, date: str) -> set[str]:
        """Sites whose authority came from ``source`` on or after ``date`` (a cache that is still fresh)."""
        return {r["domain"] for r in self.db.query(
            "SELECT domain FROM sites WHERE authority_source = ? AND authority_date >= ?", [source, date])}

    def start_run(self, spider: str, niche: str, args: dict[str, Any], job: str = "", started: str = "") -> int:
        """A new run row, ``running``, with this process's id and host (so a later run can tell whether it
        still runs). Batches this Store writes from now on update its ``heartbeat``."""
        try:
            with self.db.conn:
                table = self.db["runs"]
                table.insert({"spider": spider, "niche": niche, "args": redact(json.dumps(args, sort_keys=True)),
                              "started": started or now_iso(), "outcome": "running", "job": job,
                              "pid": os.getpid(), "host": socket.gethostname()})
                self.run_id = int(table.last_pk)
                return self.run_id
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc

    def finish_run(self, run_id: int, reason: str, stats: dict[str, Any] | None = None, *, detail: str = "",
                   finished: str = "") -> None:
        """End a run: ``reason`` is a finish reason (``finished``, ``shutdown``, ``store_error``,
        ``closespider_timeout``...) or an outcome; ``detail`` what happened, in words."""
        gloss = detail or _REASONS.get(reason, "")
        row: dict[str, Any] = {"finished": finished or now_iso(), "outcome": run_outcome(reason),
                               "reason": redact(f"{reason}: {gloss}" if gloss else reason)}
        if stats is not None:
            row["stats"] = redact(json.dumps(stats, sort_keys=True, default=str))
        try:
            with self.db.conn:
                self.db["runs"].update(run_id, row)
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc
        if run_id == self.run_id:
            self.run_id = None

    @_reported
    def running_runs(self) -> list[dict[str, Any]]:
        """Rows still ``running``: runs going on now, or killed before they could say how they ended."""
        return list(self.db.query("SELECT id, spider, niche, job, started, heartbeat, pid, host FROM runs "
                                  "WHERE outcome = 'running' ORDER BY id"))

    @_reported
    def run_outcome(self, run_id: int) -> str | None:
        """The run's outcome (``running`` until it ends); None when there is no such run."""
        rows = list(self.db.query("SELECT outcome FROM runs WHERE id = ?", [run_id]))
        return rows[0]["outcome"] if rows else None

    @_reported
    def meta(self, key: str) -> str | None:
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [key]))
        return rows[0]["value"] if rows else None

    @_reported
    def set_meta(self, key: str, value: str) -> None:
        with self.db.conn:
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    # ------------------------------------------------------------ reads
    def site_facts(self, domains: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Per site: its row plus its contacts and signals, for scoring (do-not-contact emails left out:
        they earn no points and appear in no ``why``)."""
        dnc = self._do_not_contact_map()
        for domain in domains:
            try:
                site = self._site(domain)
                facts = None if site is None else self._with_children(site, dnc)
            except sqlite3.Error as exc:
                raise StoreError(_explain(self.path, exc)) from exc
            if facts is not None:
                yield facts

    @_reported
    def recently_crawled(self, days: float) -> set[str]:
        """Sites walked in full less than ``days`` ago (spiders leave them alone). A site that had only a
        short walk is not among them: the next spider that meets it walks it in full."""
        if days <= 0:
            return set()
        cutoff = (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0).isoformat()
        return {r["domain"] for r in self.db.query(
            "SELECT domain FROM sites WHERE last_full_walk >= ? AND pages_crawled > 0", [cutoff])}

    @_reported
    def all_domains(self) -> list[str]:
        return [r["domain"] for r in self.db.query("SELECT domain FROM sites ORDER BY domain")]

    def _site(self, domain: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM sites WHERE domain = ?", [domain]))
        return rows[0] if rows else None

    def _with_children(self, site: dict[str, Any], dnc: dict[str, set[str]] | None = None) -> dict[str, Any]:
        """The site with its contacts, signals, discoveries, pages and competitor links; with ``dnc``
        (``_do_not_contact_map``) without the contacts on the do-not-contact list."""
        domain = site["domain"]
        site = dict(site)
        site["contacts"] = list(self.db.query(
            "SELECT kind, value, source_url, detail, own_domain, role FROM contacts "
            "WHERE domain = ? ORDER BY first_seen, id", [domain]))
        site["signals"] = list(self.db.query(
            "SELECT kind, url, evidence FROM signals WHERE domain = ? ORDER BY kind, url", [domain]))
        site["discoveries"] = list(self.db.query(
            "SELECT niche, source, detail, backend, rank, snippet, first_seen FROM discoveries "
            "WHERE domain = ? ORDER BY first_seen, id", [domain]))
        site["pages"] = list(self.db.query(
            "SELECT url, status, kinds, published, words, relevance, negative, outbound_domains, "
            "title, error, depth, fetched_at, notes FROM pages WHERE domain = ? ORDER BY url", [domain]))
        site["competitor_links"] = list(self.db.query(
            "SELECT page_url, competitor, target_url, anchor, rel, status, source FROM competitor_links "
            "WHERE domain = ? ORDER BY competitor, page_url", [domain]))
        site["links_to_you"] = list(self.db.query(
            "SELECT page_url, target_url, 'placed' AS source, status FROM placed_links WHERE site = ? "
            "UNION ALL SELECT page_url, target_url, source, CASE lost WHEN 0 THEN 'live' ELSE 'lost' END "
            "FROM own_backlinks WHERE domain = ? ORDER BY page_url", [domain, domain]))
        if dnc:
            # A niche's entries hold for every site found for that niche; an email is blocked by
            # itself or by its domain.
            blocked = set().union(*(dnc.get(n, ()) for n in {"", site.get("niche") or "",
                                                              *(d["niche"] for d in site["discoveries"])}))
            site["contacts"] = [c for c in site["contacts"] if c["value"] not in blocked
                                and registrable_domain(c["value"].rpartition("@")[2]) not in blocked]
        return site

    def _where(self, flt: ProspectFilter) -> tuple[list[str], list[Any]]:
        """``flt`` as SQL conditions over ``sites s``, its scope left out (see ``_scope_sql``)."""
        where, args = ["1 = 1"], []
        if flt.niche:
            where.append(_IN_NICHE.format(n="?"))
            args += [flt.niche, flt.niche]
        if flt.min_score is not None:
            where.append("s.score >= ?")
            args.append(flt.min_score)
        if flt.min_authority is not None:
            where.append("s.authority >= ?")
            args.append(flt.min_authority)
        for kind in flt.signals:
            where.append("EXISTS (SELECT 1 FROM signals g WHERE g.domain = s.domain AND g.kind = ?)")
            args.append(kind)
        if flt.has_email:
            where.append("EXISTS (SELECT 1 FROM contacts c WHERE c.domain = s.domain AND c.kind = 'email')")
        if flt.statuses:
            where.append(f"s.status IN ({','.join('?' * len(flt.statuses))})")
            args += flt.statuses
        elif flt.exclude_statuses:
            where.append(f"s.status NOT IN ({','.join('?' * len(flt.exclude_statuses))})")
            args += flt.exclude_statuses
        if flt.exclude_do_not_contact:
            # Global entries, and a niche's entries for every site found for that niche, whatever the filter.
            where.append("NOT EXISTS (SELECT 1 FROM do_not_contact n WHERE n.value = s.domain "
                         f"AND (n.niche = '' OR {_IN_NICHE.format(n='n.niche')}))")
        if flt.exclude_linking:
            where.append(f"NOT EXISTS (SELECT 1 FROM placed_links l WHERE l.site = s.domain AND l.status IN "
                         f"({','.join('?' * len(LINKING_STATUSES))})) AND NOT EXISTS (SELECT 1 FROM own_backlinks o "
                         "WHERE o.domain = s.domain AND o.lost = 0)")
            args += LINKING_STATUSES
        if flt.new_since:
            where.append("s.first_seen >= ?")
            args.append(flt.new_since)
        if flt.changed_since:
            # A new *kind* of reason to pitch: another roundup post of a site that
            # already ran roundups is no change.
            where.append("s.first_seen < ? AND EXISTS (SELECT 1 FROM signals g WHERE g.domain = s.domain "
                         "AND g.kind IN ('write_for_us', 'roundup', 'resources') AND g.first_seen >= ? "
                         "AND NOT EXISTS (SELECT 1 FROM signals h WHERE h.domain = g.domain AND h.kind = g.kind "
                         "AND h.first_seen < ?))")
            args += [flt.changed_since] * 3
        return where, args

    def prospects(self, flt: ProspectFilter | None = None) -> list[dict[str, Any]]:
        """Sites with their contacts and signals, best score first."""
        flt = flt or ProspectFilter()
        where, args = self._where(flt)
        if flt.scope is not None:
            for condition, more in _scope_sql(flt.scope, flt.niche).values():
                where.append(condition)
                args += more
        sql = (f"SELECT s.* FROM sites s WHERE {' AND '.join(where)} "
               "ORDER BY s.score DESC, s.pages_crawled DESC, s.domain")
        if flt.limit:
            sql += f" LIMIT {int(flt.limit)}"
        try:
            dnc = self._do_not_contact_map() if flt.exclude_do_not_contact else None
            return [self._with_children(row, dnc) for row in self.db.query(sql, args)]
        except sqlite3.Error as exc:
            raise StoreError(_explain(self.path, exc)) from exc

    @_reported
    def left_out(self, flt: ProspectFilter) -> dict[str, int]:
        """How many sites ``flt`` selects that its scope leaves out, by the first test each fails:
        ``never_answered``, ``competitors``, ``off_niche`` (below the relevance threshold)."""
        if flt.scope is None:
            return {"never_answered": 0, "competitors": 0, "off_niche": 0}
        where, args = self._where(flt)
        tests = _scope_sql(flt.scope, flt.niche)
        (answered, a1), (rival, a2), (relevant, a3) = tests["answered"], tests["competitor"], tests["relevant"]
        sql = (f"SELECT coalesce(sum(NOT ({answered})), 0) AS never_answered, "
               f"coalesce(sum(({answered}) AND NOT ({rival})), 0) AS competitors, "
               f"coalesce(sum(({answered}) AND ({rival}) AND NOT ({relevant})), 0) AS off_niche "
               f"FROM sites s WHERE {' AND '.join(where)}")
        return dict(next(self.db.query(sql, [*a1, *a1, *a2, *a1, *a2, *a3, *args])))

    # ------------------------------------------------------------ do not contact
    @_reported
    def add_do_not_contact(self, values: Iterable[str], niche: str = "", note: str = "") -> list[str]:
        """Add to ``niche``'s list ("" = every niche); returns the values that were not on it yet."""
        with self.db.conn:
            known = {r["value"] for r in self.db.query("SELECT value FROM do_not_contact WHERE niche = ?", [niche])}
            new = [v for v in dict.fromkeys(values) if v not in known]
            self.db["do_not_contact"].insert_all(
                [{"id": f"{niche}|{v}", "value": v, "niche": niche, "note": note, "added": now_iso()} for v in new],
                pk="id", ignore=True)
        return new

    @_reported
    def remove_do_not_contact(self, values: Iterable[str], niche: str = "") -> int:
        values = list(values)
        with self.db.conn:
            cur = self.db.execute(
                f"DELETE FROM do_not_contact WHERE niche = ? AND value IN ({','.join('?' * len(values))})",
                [niche, *values])
        return cur.rowcount

    @_reported
    def do_not_contact(self) -> list[dict[str, Any]]:
        return list(self.db.query("SELECT value, niche, note, added FROM do_not_contact ORDER BY niche, value"))

    def _do_not_contact_map(self) -> dict[str, set[str]]:
        """niche ("" = every niche) -> the domains and emails on its do-not-contact list."""
        out: dict[str, set[str]] = {}
        for row in self.db.query("SELECT niche, value FROM do_not_contact"):
            out.setdefault(row["niche"], set()).add(row["value"])
        return out

    @_reported
    def domains_with_contacts(self, values: Iterable[str]) -> list[str]:
        """Sites where one of these emails, or an email at one of these domains, was found."""
        values = list(values)
        if not values:
            return []
        marks = ",".join("?" * len(values))
        return [r["domain"] for r in self.db.query(
            f"SELECT DISTINCT domain FROM contacts WHERE kind = 'email' AND (value IN ({marks}) "
            f"OR substr(value, instr(value, '@') + 1) IN ({marks}))", values * 2)]

    @_reported
    def last_finished(self, spider: str) -> str | None:
        """When the last run of ``spider`` that completed finished (None: never)."""
        rows = list(self.db.query("SELECT finished FROM runs WHERE spider = ? AND outcome = 'finished' "
                                  "ORDER BY id DESC LIMIT 1", [spider]))
        return rows[0]["finished"] if rows else None

    @_reported
    def last_run(self, spider: str, niche: str) -> dict[str, Any] | None:
        rows = list(self.db.query("SELECT * FROM runs WHERE spider = ? AND niche = ? ORDER BY id DESC LIMIT 1",
                                  [spider, niche]))
        if not rows:
            return None
        run = dict(rows[0])
        run["stats"] = json.loads(run["stats"]) if run.get("stats") else {}
        return run

    @_reported
    def niches(self) -> list[str]:
        """Every niche a site was found for (what ``--niche`` can select)."""
        return [r["niche"] for r in self.db.query(
            "SELECT niche FROM discoveries UNION SELECT niche FROM sites ORDER BY niche") if r["niche"]]

    @_reported
    def counts(self) -> dict[str, Any]:
        """Totals for ``linkspider report``: per niche and outreach status."""
        q = self.db.query
        return {
            "sites": next(q("SELECT count(*) n FROM sites"))["n"],
            "pages": next(q("SELECT count(*) n FROM pages"))["n"],
            "emails": next(q("SELECT count(DISTINCT value) n FROM contacts WHERE kind = 'email'"))["n"],
            "by_niche_status": list(q(
                "SELECT niche, status, count(*) AS sites, sum(score >= 50) AS strong "
                "FROM sites GROUP BY niche, status ORDER BY niche, status")),
            "runs": list(q("SELECT id, spider, niche, started, finished, outcome FROM runs "
                           "ORDER BY id DESC LIMIT 5")),
        }

    @_reported
    def score_histogram(self, niche: str | None = None) -> list[int]:
        """How many sites score 0-9, 10-19, ... 90-100 (ten counts)."""
        counts = [0] * 10
        for r in self.db.query("SELECT min(coalesce(score, 0) / 10, 9) AS bucket, count(*) AS n FROM sites "
                               "WHERE ? IS NULL OR niche = ? GROUP BY bucket", [niche, niche]):
            counts[int(r["bucket"])] = r["n"]
        return counts

    @_reported
    def found_per_run(self, limit: int = 30) -> list[dict[str, Any]]:
        """The last crawls (oldest first) with how many sites each found first: its ``new_sites``."""
        rows = list(self.db.query(
            "SELECT r.id, r.spider, r.niche, r.started, r.finished, r.outcome, "
            "(SELECT count(*) FROM sites s WHERE s.first_seen >= r.started "
            " AND s.first_seen <= coalesce(r.finished, '9999')) AS new_sites "
            "FROM runs r WHERE r.spider != 'nightly' ORDER BY r.id DESC LIMIT ?", [limit]))
        return rows[::-1]


def _discovery_row(domain: str, niche: str, d: Discovery, ts: str) -> dict[str, Any]:
    return {
        "id": f"{domain}|{niche}|{d.source}|{d.detail}", "domain": domain, "niche": niche,
        "source": d.source, "detail": redact(d.detail), "backend": d.backend, "rank": d.rank,
        "snippet": d.snippet, "first_seen": ts,
    }


def competitor_link_row(domain: str, page_url: str, competitor: str, *, target_url: str = "",
                        anchor: str = "", rel: str = "", status: str = "present", source: str = "crawl",
                        ts: str | None = None) -> dict[str, Any]:
    ts = ts or now_iso()
    return {"id": f"{page_url}|{competitor}", "domain": domain, "page_url": page_url,
            "competitor": competitor, "target_url": target_url, "anchor": anchor[:300], "rel": rel,
            "status": status, "source": source, "first_seen": ts, "last_checked": ts}


def placed_link_row(page_url: str, target_url: str, *, site: str, target_domain: str, note: str = "",
                    source: str = "", ts: str | None = None) -> dict[str, Any]:
    page_url, target_url = redact(page_url), redact(target_url)
    return {"id": f"{page_url}|{target_url}", "site": site, "page_url": page_url, "target_url": target_url,
            "target_domain": target_domain, "note": note, "source": source, "added": ts or now_iso(),
            "status": "new", "rel": ""}


def own_backlink_row(domain: str, page_url: str, target_domain: str, *, target_url: str = "", anchor: str = "",
                     rel: str = "", source: str = "crawl", lost: bool = False, ts: str | None = None) -> dict[str, Any]:
    ts = ts or now_iso()
    page_url = redact(page_url)
    return {"id": f"{page_url}|{target_domain}", "domain": domain, "page_url": page_url,
            "target_url": redact(target_url), "target_domain": target_domain, "anchor": anchor[:300], "rel": rel,
            "source": source, "lost": int(lost), "first_seen": ts, "last_seen": ts}


def _own_link_rows(item: PageItem, url: str, ts: str) -> list[dict[str, Any]]:
    return [own_backlink_row(item.domain, url, link["target_domain"], target_url=link["url"],
                             anchor=link.get("anchor", ""), rel=" ".join(link.get("rel", [])), ts=ts)
            for link in item.facts.get("own_links", [])]


def _competitor_rows(item: PageItem, url: str, ts: str) -> list[dict[str, Any]]:
    return [competitor_link_row(item.domain, url, c["competitor"], target_url=c["url"],
                                anchor=c.get("anchor", ""), rel=" ".join(c.get("rel", [])),
                                status=c.get("status", "present"), ts=ts)
            for c in item.facts.get("competitor_links", [])]


def _contact_rows(item: PageItem, url: str, ts: str) -> list[dict[str, Any]]:
    facts, rows = item.facts, []

    def add(kind: str, value: str, *, own: bool = True, role: bool = False, detail: str = "") -> None:
        rows.append({
            "id": f"{item.domain}|{kind}|{value}", "domain": item.domain, "kind": kind,
            "value": value, "source_url": url, "detail": detail,
            "own_domain": int(own), "role": int(role), "first_seen": ts, "last_seen": ts,
        })

    details = {d["email"]: d for d in facts.get("email_details", [])}
    for email in facts.get("emails", []):
        d = details.get(email, {})
        add("email", email, own=bool(d.get("own_domain")), role=bool(d.get("role")),
            detail=str(d.get("source", "")))
    if facts.get("contact_form"):
        add("contact_form", url)
    for url in facts.get("social", []):
        add("social", url, own=False)
    for name in facts.get("authors", []):
        add("author", name)
    return rows


def _signal_rows(item: PageItem, url: str, ts: str) -> list[dict[str, Any]]:
    facts, evidence = item.facts, item.facts.get("evidence", {})
    rows = []
    for key, kind in SIGNAL_KINDS.items():
        if facts.get(key):
            rows.append({
                "id": f"{item.domain}|{kind}|{url}", "domain": item.domain, "kind": kind,
                "url": url, "evidence": str(evidence.get(key) or evidence.get(kind) or ""),
                "first_seen": ts, "last_seen": ts,
            })
    return rows
