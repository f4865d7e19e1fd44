"""The linkspider Datasette plugin: a prospecting tool on top of Datasette's table browser.

Datasette already sorts, filters, facets, searches and pages through the
``prospects`` view; this plugin adds what makes it outreach work rather than
table browsing:

- ``/`` a dashboard: the funnel, sites found per crawl, the score spread (SVG
  drawn here: ``charts.py``) and the best new prospects;
- ``/-/site/DOMAIN`` a site's page: its contacts with the page each was found
  on, signals with their evidence, how it was found, the pages crawled,
  competitor links and the score's factors;
- ``POST /-/site/DOMAIN/outreach`` and ``/-/site/DOMAIN/dnc``: status and note,
  do-not-contact — through the same ``Store`` methods as ``linkspider mark``
  and ``dnc``, each in one short write transaction;
- links from every prospect to its page, status badges, the menu.

Safety: Datasette's CSRF middleware checks the form token whenever the browser
sends cookies; a form posted from another site arrives without them (SameSite),
so these handlers also refuse a POST that carries no CSRF cookie, or an
``Origin`` that is not this server. ``asgi_wrapper`` adds the password (HTTP
basic auth) and, on loopback, refuses a ``Host`` other than this machine's
names (a DNS-rebinding page cannot read the list). Configuration comes from
``linkspider ui`` through the plugin config (the password as ``$env``, so
``/-/metadata`` never shows it).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import re
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from datasette import hookimpl
from datasette.utils.asgi import Request, Response
from markupsafe import Markup, escape

from linkspider.store.database import (
    OUTREACH_STATUSES,
    ProspectFilter,
    Store,
    StoreError,
)
from linkspider.store.export import prospect_row
from linkspider.ui import charts

DATABASE = "linkspider"  # the name Datasette serves the database under, whatever the file is called
PLUGIN = "linkspider"
_DOMAIN_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{0,252}$")
BUSY = ("The database is busy: a crawl is writing to it right now. Nothing was changed, and what you "
        "typed is still in the form: save again in a moment.")


def config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


def _store(datasette: Any, *, write: bool = False) -> Store:
    cfg = config(datasette)
    return Store(cfg["db_path"], timeout=float(cfg.get("write_timeout", 5.0)), reading=not write)


async def _in_thread(func: Callable[[], Any]) -> Any:
    """Store calls block (SQLite): run them off the event loop, one short connection each."""
    return await asyncio.to_thread(func)


def site_url(datasette: Any, domain: str) -> str:
    return datasette.urls.path(f"/-/site/{domain}")


def safe_href(url: str | None) -> str:
    """A scraped URL as a link target only when it is http(s): never ``javascript:``."""
    return url if url and urlsplit(url).scheme in ("http", "https") else ""


# ------------------------------------------------------------------ hooks


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Callable[..., Any]]]:
    return [
        (r"^/$", dashboard),
        (r"^/-/site/(?P<domain>[^/]+)$", site_page),
        (r"^/-/site/(?P<domain>[^/]+)/outreach$", set_outreach),
        (r"^/-/site/(?P<domain>[^/]+)/dnc$", change_do_not_contact),
    ]


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [{"href": datasette.urls.path("/"), "label": "Dashboard"},
            {"href": datasette.urls.table(DATABASE, "prospects"), "label": "Prospects"}]


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path("/linkspider-static/linkspider.css")]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    """Prospect rows link to their site's page; lists and statuses read as badges."""
    if database != DATABASE or table not in ("prospects", "sites"):
        return None
    if column == "domain" and isinstance(value, str) and _DOMAIN_RE.match(value):
        return Markup(f'<a href="{escape(site_url(datasette, value))}">{escape(value)}</a>')
    if column == "status" and value in OUTREACH_STATUSES:
        return Markup(f'<span class="ls-status ls-status-{value}">{value}</span>')
    if table == "prospects" and column in ("signals", "found_via") and isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            return None
        return Markup(" ".join(f'<span class="ls-badge">{escape(str(i))}</span>' for i in items))
    if table == "prospects" and column == "do_not_contact":
        return Markup('<span class="ls-status ls-status-blocked">do not contact</span>') if value else Markup("")
    return None


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[Any], Any]:
    """The password (HTTP basic auth) when set, and on loopback only this machine's host names."""
    cfg = config(datasette)
    password = str(cfg.get("password") or "")
    hosts = set(cfg.get("allowed_hosts") or [])

    def wrap(app: Any) -> Any:
        async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            if hosts and _host_name(headers.get("host", "")) not in hosts:
                await _plain(send, 421, "This linkspider UI only answers to this machine's own names "
                                        f"({', '.join(sorted(hosts))}).")
                return
            if password and not _password_ok(headers.get("authorization", ""), password):
                await _plain(send, 401, "linkspider ui: password required.",
                             [(b"www-authenticate", b'Basic realm="linkspider", charset="UTF-8"')])
                return
            await app(scope, receive, send)
        return guarded
    return wrap


def _host_name(host: str) -> str:
    """``127.0.0.1:8001`` -> ``127.0.0.1``; ``[::1]:8001`` -> ``::1``."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


def _password_ok(header: str, password: str) -> bool:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        _, _, given = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return secrets.compare_digest(given.encode(), password.encode())


async def _plain(send: Any, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *(headers or [])]})
    await send({"type": "http.response.body", "body": text.encode()})


# ------------------------------------------------------------------ pages


async def dashboard(request: Request, datasette: Any) -> Response:
    def read() -> dict[str, Any]:
        with _store(datasette) as store:
            counts = store.counts()
            top = [prospect_row(s) for s in store.prospects(ProspectFilter(
                limit=10, exclude_statuses=["contacted", "blocked"]))]
            return {"counts": counts, "top": top, "histogram": store.score_histogram(),
                    "runs": store.found_per_run()}

    data = await _in_thread(read)
    context = {
        **data, "read_only": bool(config(datasette).get("read_only")),
        "funnel": charts.funnel(data["counts"]["by_niche_status"]),
        "runs_chart": charts.found_per_run(data["runs"]),
        "histogram_chart": charts.score_histogram(data["histogram"]),
        "prospects_url": datasette.urls.table(DATABASE, "prospects"),
        "site_url": lambda d: site_url(datasette, d),
    }
    return Response.html(await datasette.render_template("linkspider_dashboard.html", context, request=request))


async def site_page(request: Request, datasette: Any) -> Response:
    return await _render_site(request, datasette)


async def _render_site(request: Request, datasette: Any, status: int = 200, problem: str = "",
                       typed: dict[str, str] | None = None) -> Response:
    """The site's page; after a change that could not be made, with ``problem`` and the form as ``typed``."""
    domain = request.url_vars["domain"].lower()
    site = await _in_thread(lambda: _read_site(datasette, domain)) if _DOMAIN_RE.match(domain) else None
    if site is None:
        return Response.html(await datasette.render_template(
            "linkspider_site.html", {"domain": domain, "site": None}, request=request), status=404)
    context = {
        "domain": domain, "site": site, "statuses": OUTREACH_STATUSES, "problem": problem,
        "typed": typed or {}, "read_only": bool(config(datasette).get("read_only")),
        "safe_href": safe_href, "why": [r for r in (site["score_why"] or "").split("; ") if r],
        "prospects_url": datasette.urls.table(DATABASE, "prospects"),
    }
    return Response.html(await datasette.render_template("linkspider_site.html", context, request=request),
                         status=status)


def _read_site(datasette: Any, domain: str) -> dict[str, Any] | None:
    with _store(datasette) as store:
        site = next(store.site_facts([domain]), None)
        if site is None:
            return None
        listed = {(r["value"], r["niche"]): r for r in store.do_not_contact()}
    niche = site["niche"] or ""
    site["dnc"] = {value: entry for (value, scope), entry in listed.items() if scope in ("", niche)}
    return site


# ------------------------------------------------------------------ changes


def _refused(request: Request, datasette: Any) -> str:
    """Why this POST may not change anything ("" when it may)."""
    if config(datasette).get("read_only"):
        return "linkspider ui was started with --read-only: nothing can be changed from the browser."
    if "ds_csrftoken" not in request.cookies:
        return "Refused: this change was not sent from a linkspider page (no CSRF token)."
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        return f"Refused: this change was sent from another site ({origin})."
    return ""


async def _change(request: Request, datasette: Any, form: dict[str, str],
                  change: Callable[[Store], str]) -> Response:
    """Run ``change`` in one short write; back to the site's page with its message, or the page again
    with the form as typed when the database is busy or the change is refused."""
    refused = _refused(request, datasette)
    if refused:
        return Response.text(refused, status=403)

    def write() -> str:
        with _store(datasette, write=True) as store:
            return change(store)

    try:
        message = await _in_thread(write)
    except ValueError as exc:
        return await _render_site(request, datasette, status=400, problem=str(exc), typed=form)
    except StoreError as exc:
        busy = "locked" in str(exc) or "busy" in str(exc)
        return await _render_site(request, datasette, status=503, problem=BUSY if busy else str(exc), typed=form)
    datasette.add_message(request, message, datasette.INFO)
    return Response.redirect(site_url(datasette, request.url_vars["domain"].lower()), status=303)


async def set_outreach(request: Request, datasette: Any) -> Response:
    domain = request.url_vars["domain"].lower()
    form = await request.post_vars()
    status, note = form.get("status", ""), form.get("note")

    def change(store: Store) -> str:
        if not store.set_status(domain, status, note.strip() if note is not None else None):
            raise ValueError(f"{domain} is not in the database")
        return f"{domain}: {status}" + (" (note saved)" if note else "")
    return await _change(request, datasette, form, change)


async def change_do_not_contact(request: Request, datasette: Any) -> Response:
    """Add or remove the site's domain or one of its emails, for every niche or the site's own."""
    domain = request.url_vars["domain"].lower()
    form = await request.post_vars()
    value, action, scope = form.get("value", "").strip().lower(), form.get("action", "add"), form.get("scope", "")

    def change(store: Store) -> str:
        site = next(store.site_facts([domain]), None)
        if site is None:
            raise ValueError(f"{domain} is not in the database")
        own = {domain} | {c["value"] for c in site["contacts"] if c["kind"] == "email"}
        if value not in own:
            raise ValueError(f"{value!r} is neither {domain} nor one of its email addresses")
        niche = (site["niche"] or "") if scope == "niche" else ""
        where = f"the do-not-contact list of {niche}" if niche else "the do-not-contact list"
        if action == "remove":
            store.remove_do_not_contact([value], niche)
            return f"{value} removed from {where}"
        added = store.add_do_not_contact([value], niche, form.get("dnc_note", "").strip())
        return f"{value} added to {where}" if added else f"{value} was already on {where}"
    return await _change(request, datasette, form, change)
