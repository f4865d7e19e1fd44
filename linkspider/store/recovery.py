"""What a crawl could not finish writing, brought back: ``unsaved-*.jsonl`` files and run rows left ``running``.

A crawl whose database stays locked, read-only or on a full disk saves the
items it could not write - pages, discoveries, queries and its checkpoint
records - and how the run ended in ``unsaved-<time>-<pid>.jsonl`` beside the
database (or in the temporary folder when that folder has no room). The
first line names the database and the job, each further line is one item with
its ``type``, the last one is the run's end::

    {"type": "unsaved", "v": 1, "db": "/abs/output/linkspider.db", "job": "fitness-seeds", "niche": "fitness"}
    {"type": "page", "url": "http://...", "domain": "...", "facts": {...}, ...}
    {"type": "frontier", "pending": [...], "done": [...]}
    {"type": "run", "run": 12, "spider": "seeds", "reason": "store_error", "detail": "database ... is locked"}

The next crawl into that database imports such files before it starts (so a
job resumes with those pages stored and their requests done), as does
``linkspider recover``, which also reads the header-less files of earlier
linkspider versions. A file is taken by renaming it first, so two processes
never import it twice, and is deleted once its items are committed.

A run killed outright (SIGKILL, a reboot, the OOM killer) cannot close its
row; the next run on the same machine finds it ``running`` with its process
gone and closes it as ``interrupted``, killed at its last write.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from linkspider.common.inputs import InputError, read_text
from linkspider.items import Discovery, DiscoveryItem, FrontierItem, PageItem, QueryItem
from linkspider.store.database import Store, run_outcome

logger = logging.getLogger(__name__)

FORMAT = 1
PATTERN = "unsaved-*.jsonl"
_TYPES: dict[str, type] = {"page": PageItem, "discovery": DiscoveryItem, "frontier": FrontierItem,
                           "query": QueryItem}
_NAMES = {cls: name for name, cls in _TYPES.items()}


def _json_default(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (datetime, date)) else str(value)


def unsaved_text(items: list[Any], db_path: str | Path, run: dict[str, Any]) -> str:
    """The lines of an unsaved file (see the module docstring); ``run`` is how the run ended."""
    header = {"type": "unsaved", "v": FORMAT, "db": str(Path(db_path).resolve()), "job": run.get("job", ""),
              "niche": run.get("niche", "")}
    lines = [header, *({"type": _NAMES[type(item)], **asdict(item)} for item in items), {"type": "run", **run}]
    return "".join(json.dumps(line, default=_json_default, ensure_ascii=False) + "\n" for line in lines)


def save_unsaved(items: list[Any], db_path: str | Path, run: dict[str, Any]) -> list[Any]:
    """Write ``items`` and the run's end beside the database, or in the temporary folder when its folder
    cannot take them (a full disk); returns the items that could not be saved anywhere (none, mostly).
    A file that could not be written whole is removed: no empty or half file is left."""
    name = f"unsaved-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.jsonl"
    text = unsaved_text(items, db_path, run)
    pages = sum(isinstance(item, PageItem) for item in items)
    problems = []
    for folder in dict.fromkeys([Path(db_path).parent, Path(tempfile.gettempdir())]):
        path = folder / name
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            problems.append(f"{folder}: {exc.strerror or exc}")
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            continue
        what = f"{pages} pages" if items else "how this run ended"
        logger.error("%s could not be written to %s; they are saved in %s: the next crawl into that database "
                     "imports them, or run `linkspider recover --db %s`", what, db_path, path, db_path)
        return []
    logger.error("could not save %d pages anywhere (%s)", pages, "; ".join(problems))
    return items


@dataclass
class Unsaved:
    """An unsaved file as read: its header ({} for an older linkspider's), items, the run's end, bad lines."""

    header: dict[str, Any] = field(default_factory=dict)
    items: list[Any] = field(default_factory=list)
    run: dict[str, Any] | None = None
    bad: list[str] = field(default_factory=list)


def _guess_type(data: dict[str, Any]) -> str | None:
    """The type of a line written by a linkspider that did not tag its lines."""
    if "pending" in data or "done" in data:
        return "frontier"
    if "query" in data and "backend" in data:
        return "query"
    if "url" in data and ("status" in data or "facts" in data):
        return "page"
    if "url" in data and "discovery" in data:
        return "discovery"
    return None


def _item(kind: str, data: dict[str, Any]) -> Any:
    cls = _TYPES[kind]
    data = {k: v for k, v in data.items() if k in {f.name for f in fields(cls)}}
    if isinstance(data.get("discovery"), dict):
        known = {f.name for f in fields(Discovery)}
        data["discovery"] = Discovery(**{k: v for k, v in data["discovery"].items() if k in known})
    return cls(**data)


def read_unsaved(path: Path) -> Unsaved:
    """Read an unsaved file; a line that is no item is named in ``bad`` and skipped."""
    found = Unsaved()
    for number, line in enumerate(read_text(path, "unsaved file").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            kind = data.pop("type", None) if isinstance(data, dict) else None
            if kind == "unsaved" and number == 1:
                found.header = data
            elif kind == "run":
                found.run = data
            elif (kind := kind or _guess_type(data)) in _TYPES:
                found.items.append(_item(kind, data))
            else:
                raise ValueError(f"not an item (type {kind!r})")
        except (ValueError, TypeError, AttributeError) as exc:
            found.bad.append(f"{path}:{number}: {exc}")
    return found


def unsaved_files(db_path: str | Path) -> tuple[list[Path], list[Path]]:
    """(files written for this database, header-less files of an earlier linkspider beside it).

    Beside the database a file counts when its header names a database of the same file name (the
    folder may have moved); in the temporary folder only when it names this very database.
    """
    db = Path(db_path).resolve()
    mine, legacy = [], []
    for folder in dict.fromkeys([db.parent, Path(tempfile.gettempdir()).resolve()]):
        for path in sorted(folder.glob(PATTERN)):
            try:
                with path.open(encoding="utf-8") as fh:
                    header = json.loads(fh.readline() or "{}")
            except (OSError, ValueError):
                header = {}
            if not isinstance(header, dict) or header.get("type") != "unsaved":
                if folder == db.parent:
                    legacy.append(path)
                continue
            named = Path(str(header.get("db", "")))
            if named.name == db.name and (folder == db.parent or named == db):
                mine.append(path)
    return mine, legacy


def import_unsaved(store: Store, path: Path, weights: dict[str, float], today: date | None) -> str:
    """Write one unsaved file's items into ``store``, close its run's row, delete it; returns what was
    done, in words. The file is renamed while it is imported: a second process importing the same
    database at the same moment skips it."""
    try:
        found = read_unsaved(path)
    except InputError as exc:
        return f"{path} kept, not imported: {exc}"
    claimed = path.with_name(f"{path.name}.importing-{os.getpid()}")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        return f"{path}: already imported by another process"
    try:
        header, run = found.header, found.run or {}
        store.write_batch(found.items, weights, today, header.get("niche") or run.get("niche", ""),
                          job=header.get("job", ""))
        ended = _close_run(store, run) if run else ""
    except BaseException:
        claimed.rename(path)  # not imported: leave it for the next try
        raise
    claimed.unlink()
    pages = sum(isinstance(item, PageItem) for item in found.items)
    others = len(found.items) - pages
    text = f"imported {path} into {store.path}: {pages} pages" + (f" and {others} other records" if others else "")
    if ended:
        text += f"; {ended}"
    for problem in found.bad[:3]:
        text += f"; skipped {problem}"
    return text


def _close_run(store: Store, run: dict[str, Any]) -> str:
    """End the run an unsaved file describes: its row, or a new row when it had none (the database
    could not even be opened)."""
    reason = str(run.get("reason") or run.get("outcome") or "store_error")  # "outcome": a distributed worker's
    run_id = run.get("run")
    state = store.run_outcome(run_id) if isinstance(run_id, int) else None
    if state is None:
        run_id = store.start_run(str(run.get("spider", "")), str(run.get("niche", "")), run.get("args") or {},
                                 job=str(run.get("job", "")), started=str(run.get("started") or ""))
    elif state != "running":
        return f"run {run_id} had already been closed as {state}"  # the crawl managed it after saving the file
    store.finish_run(run_id, reason, run.get("stats") or {}, detail=str(run.get("detail") or ""))
    return f"run {run_id} ({run.get('spider', '?')} for {run.get('niche') or '-'}) closed as {run_outcome(reason)}"


def _process_gone(pid: int) -> bool:
    """The process no longer runs (a zombie left by its parent counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # someone else's process: alive
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def close_killed_runs(store: Store) -> list[str]:
    """Close the rows of runs on this machine whose process is gone without ending them (killed)."""
    here, closed = socket.gethostname(), []
    for run in store.running_runs():
        if run["host"] != here or not run["pid"] or not _process_gone(run["pid"]):
            continue  # still running, on another machine, or from a linkspider that did not record its process
        last = run["heartbeat"] or run["started"]
        store.finish_run(run["id"], "killed", detail=f"process {run['pid']} ended without closing its run; "
                         f"its last write was at {last}", finished=last)
        job = f", job {run['job']}" if run["job"] else ""
        closed.append(f"previous run {run['id']} ({run['spider']} for {run['niche'] or '-'}{job}) killed at {last}: "
                      "its row is closed as interrupted")
    return closed


def recover(store: Store, weights: dict[str, float], today: date | None,
            files: list[Path] | None = None) -> list[str]:
    """Import the unsaved files of this database (or ``files``), then close the rows of killed runs;
    returns one message per thing done or found."""
    messages = []
    if files is None:
        files, legacy = unsaved_files(store.path)
        messages += [f"{path} was written by an earlier linkspider: import it with "
                     f"`linkspider recover --db {store.path} {path}`" for path in legacy]
    for path in files:
        if not path.is_file():
            raise InputError(f"unsaved file {path} not found")
        messages.append(import_unsaved(store, path, weights, today))
    return messages + close_killed_runs(store)
