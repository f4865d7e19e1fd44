"""``linkspider ui``: Datasette over the database, with the linkspider plugin, on this machine only.

Datasette (by the author of sqlite-utils, which the store is built on) is the
SQLite world's browser: sorting, facets, full-text search, SQL, JSON and CSV
of any table. ``build`` sets it up as a prospecting tool: the database served
as ``/linkspider`` whatever its file is called, the ``prospects`` view best
first with facets for niche, status, signal, found-via and do-not-contact,
search over ``sites_fts``, the plugin's pages and forms (``plugin.py``), its
templates and stylesheet from this package (nothing from a CDN).

Where it listens: 127.0.0.1 unless told otherwise. Any other address shows a
link builder's prospects and outreach controls to the network, so it needs a
password (HTTP basic auth) and says that the connection is not encrypted.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import secrets
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from linkspider.common.inputs import InputError
from linkspider.store.database import Store
from linkspider.ui.plugin import DATABASE, PLUGIN

UI_DIR = Path(__file__).resolve().parent
PASSWORD_ENV = "LINKSPIDER_UI_PASSWORD"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def metadata(db_path: str, *, read_only: bool, password: bool, loopback: bool, write_timeout: float) -> dict[str, Any]:
    """Datasette metadata: what the prospects view shows and how, and the plugin's configuration."""
    plugin: dict[str, Any] = {"db_path": str(db_path), "read_only": read_only, "write_timeout": write_timeout,
                              "allowed_hosts": list(LOOPBACK_NAMES) if loopback else []}
    if password:
        plugin["password"] = {"$env": PASSWORD_ENV}  # resolved when read; /-/metadata shows only the name
    return {
        "title": "linkspider",
        "description": "Link prospects: open a site for its contacts and evidence, mark outreach there.",
        "plugins": {PLUGIN: plugin},
        "databases": {DATABASE: {
            "source": str(db_path),
            "tables": {
                "prospects": {
                    "title": "Prospects",
                    "description": "One row per site, best score first. Filter with the facets, search "
                                   "titles, reasons, emails and authors, open a site to work on it. Authority: "
                                   "0-100 from an open ranking (linkspider authority import).",
                    "sort_desc": "score", "size": 50, "fts_table": "sites_fts", "label_column": "domain",
                    "facets": ["niche", "status", {"array": "signals"}, {"array": "found_via"}, "do_not_contact"],
                },
                "sites": {"sort_desc": "score", "fts_table": "sites_fts", "label_column": "domain"},
                "frontier": {"hidden": True},
            },
        }},
    }


def build(db_path: str, *, read_only: bool = False, password: str = "", host: str = "127.0.0.1",
          write_timeout: float = 5.0) -> Any:
    """A Datasette serving ``db_path`` as a linkspider UI (the schema checked or brought up to date first)."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    from linkspider.ui import plugin

    with Store(db_path, reading=read_only):  # views and search index exist before Datasette looks
        pass
    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN)
    if password:
        os.environ[PASSWORD_ENV] = password
    ds = Datasette(
        [], metadata=metadata(db_path, read_only=read_only, password=bool(password), loopback=is_loopback(host),
                              write_timeout=write_timeout),
        template_dir=str(UI_DIR / "templates"), static_mounts=[("linkspider-static", str(UI_DIR / "static"))],
        settings={"default_page_size": 50, "facet_time_limit_ms": 1000, "sql_time_limit_ms": 5000,
                  "suggest_facets": False},
        secret=secrets.token_hex(32),
    )
    ds.add_database(Database(ds, path=str(db_path), is_mutable=True), name=DATABASE)
    ds.remove_database("_memory")
    return ds


def listen(host: str, port: int) -> socket.socket:
    """The listening socket (port 0: any free port); InputError naming the address when it is taken."""
    address = "127.0.0.1" if host == "localhost" else host
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((address, port))
    except OSError as exc:
        sock.close()
        hint = ": choose another with --port" if exc.errno == 98 else ""
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror or exc}){hint}") from None
    sock.listen(128)
    return sock


def serve(ds: Any, sock: socket.socket, announce: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl-C)."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    announce(f"http://{shown}:{port}/")
    server = uvicorn.Server(uvicorn.Config(ds.app(), log_level="warning", lifespan="on", workers=1))
    asyncio.run(server.serve(sockets=[sock]))
