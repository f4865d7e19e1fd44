"""Command line: ``python -m fakeweb serve|manifest|search``.

``serve`` runs the proxy in the foreground until SIGTERM/SIGINT and writes the
chosen port to ``--port-file`` once it listens (write-then-rename, so a script
polling for the file never reads half a number). ``manifest`` prints the ground
truth as JSON. ``search QUERY`` prints what the fake search engines answer to a
query (rank, URL, title), e.g. ``search 'fitness "write for us"'``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from .generate import build_web
from .search import ENGINES, SearchIndex
from .server import FakeWebServer


def _write(path: str, text: str) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def serve(args: argparse.Namespace) -> int:
    web = build_web(args.seed)
    if args.manifest_out:
        _write(args.manifest_out, json.dumps(web.manifest, indent=1))
    if args.seeds_dir:
        for niche in web.manifest["niches"]:
            _write(os.path.join(args.seeds_dir, f"{niche}.txt"), web.seed_list(niche))
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    with FakeWebServer(web, port=args.port) as server:
        if args.port_file:
            _write(args.port_file, f"{server.port}\n")
        print(f"fakeweb: {len(web.manifest['sites'])} sites, proxy on {server.proxy_url} (seed {args.seed})", flush=True)
        for engine in ENGINES:
            print(f"fakeweb: {engine} at {server.search_base(engine)} (via proxy: {server.search_base(engine, 'proxy')})",
                  flush=True)
        while not done.wait(0.5):
            pass
        print(f"fakeweb: stopping after {len(server.hits)} requests", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fakeweb", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve", help="run the fake web proxy on 127.0.0.1 until SIGTERM/SIGINT")
    run.add_argument("--port", type=int, default=0, help="port to bind (0: the OS picks)")
    run.add_argument("--port-file", help="write the port here once listening")
    run.add_argument("--manifest-out", help="write the manifest JSON here")
    run.add_argument("--seeds-dir", help="write <niche>.txt seed files here")
    run.add_argument("--seed", type=int, default=1, help="generation seed (default 1)")
    show = sub.add_parser("manifest", help="print the manifest JSON")
    show.add_argument("--seed", type=int, default=1)
    find = sub.add_parser("search", help="print the fake search engines' ranked results for a query")
    find.add_argument("query")
    find.add_argument("--seed", type=int, default=1)
    find.add_argument("--limit", type=int, default=50, help="results to print (default 50)")
    args = parser.parse_args(argv)
    if args.command == "search":
        index = SearchIndex.for_web(build_web(args.seed))
        print(f"{index.count(args.query)} results for {args.query}")
        for rank, result in enumerate(index.results(args.query, 0, args.limit), 1):
            print(f"{rank:3d}. {result.url}  {result.title}")
        return 0
    if args.command == "manifest":
        try:
            sys.stdout.write(json.dumps(build_web(args.seed).manifest, indent=1) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # `... manifest | head` closed the pipe early: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
