"""``linkspider nightly``: run a plan of crawls one after another, resume what a kill cut off, digest.

The plan (``seeds/nightly.toml`` by default)::

    [defaults]                       # for every niche below (all optional)
    spiders = ["roundups", "guestposts", "seeds"]
    max_queries = 40                 # -a max_queries for the search spiders
    max_pages = 2
    snowball = true                  # -a snowball=1 for every spider
    settings = { SEARCH_BACKEND = "searxng", RECRAWL_AFTER_DAYS = 7 }

    [[niche]]
    name = "fitness"
    spiders = ["roundups", "seeds"]  # overrides the default
    seeds = "my-fitness-list.txt"    # -a seeds= for the seeds spider
    settings = { SITE_PAGE_BUDGET = 16 }

    [monitor]                        # then re-check your placed links (scrapy crawl monitor)
    recheck_days = 30                # links checked in the last 30 days wait; unsure ones go again

Each crawl is a ``scrapy crawl`` subprocess with ``LINKSPIDER_JOB=<niche>-<spider>``
and the plan's settings in its environment (``LINKSPIDER_CRAWL_SETTINGS``, see
``linkspider/crawl/commands/crawl.py``), not on its command line, which ``ps`` shows
to every user of the machine:
its frontier is checkpointed in the database (see ``linkspider/crawl/checkpoint.py``),
so a crawl cut off by a reboot or ``kill -9`` resumes where it stopped on the
next night instead of starting over. Its log goes to
``output/jobs/<niche>-<spider>/crawl.log``. At the end: a digest of the new
and changed prospects since the night started.

SIGINT or SIGTERM stops the night: the running crawl gets the same signal (it
runs in a session of its own, so a terminal's Ctrl-C reaches it only this way,
once) and closes as Scrapy does, its run row saying ``interrupted``; the plan's
other crawls are not started and :class:`Interrupted` says where it stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkspider.common.inputs import InputError, read_text
from linkspider.common.redact import redact_setting
from linkspider.crawl.commands.crawl import SETTINGS_ENV
from linkspider.discover.niches import NicheError, check_niche_name

SEARCH_SPIDERS = {"roundups", "guestposts"}
KNOWN_SPIDERS = {"roundups", "guestposts", "seeds", "competitors"}
MONITOR = "monitor"  # the [monitor] step: placed links, not a niche's crawl


class PlanError(InputError):
    """A nightly plan that cannot be run; the message names the file and the problem."""


class Interrupted(Exception):
    """SIGINT or SIGTERM reached ``linkspider nightly`` (during ``job``, when a crawl was running)."""

    def __init__(self, signum: int, job: str = "") -> None:
        super().__init__(signum)
        self.signum, self.job = signum, job

    def __str__(self) -> str:
        return signal.Signals(self.signum).name + (f" during job {self.job}" if self.job else "")


@contextlib.contextmanager
def signals_interrupt() -> Iterator[None]:
    """While the plan runs, SIGINT and SIGTERM raise Interrupted (in the main thread)."""
    def stop(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@dataclass
class Step:
    niche: str
    spider: str
    args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def job(self) -> str:
        return f"{self.niche}-{self.spider}" if self.niche else self.spider


def load_plan(path: Path) -> list[Step]:
    """The steps of a plan file, in order."""
    if not path.exists():
        raise PlanError(f"no nightly plan at {path} (see the README, 'Overnight crawls')")
    try:
        data = tomllib.loads(read_text(path, "nightly plan"))
    except InputError as exc:
        raise PlanError(str(exc)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path}: not a valid plan: {exc}") from exc
    defaults = data.get("defaults", {})
    niches = data.get("niche", [])
    monitor = data.get(MONITOR)
    if not isinstance(niches, list) or not (niches or monitor):
        raise PlanError(f"{path}: no [[niche]] sections (and no [monitor])")
    steps = []
    for number, entry in enumerate(niches, 1):
        merged = {**defaults, **entry, "settings": {**defaults.get("settings", {}), **entry.get("settings", {})}}
        name = merged.get("name")
        if not name:
            raise PlanError(f"{path}: [[niche]] number {number} has no name")
        try:
            check_niche_name(name)  # it names the job's folder under --jobs-dir
        except NicheError as exc:
            raise PlanError(f"{path}: [[niche]] number {number}: {exc}") from exc
        spiders = merged.get("spiders", ["roundups", "guestposts", "seeds"])
        unknown = [s for s in spiders if s not in KNOWN_SPIDERS]
        if unknown:
            raise PlanError(f"{path}: niche {name!r}: unknown spider(s) {unknown}; use {sorted(KNOWN_SPIDERS)}")
        for spider in spiders:
            args: dict[str, str] = {"niche": name}
            if spider in SEARCH_SPIDERS:
                for key in ("max_queries", "max_pages"):
                    if key in merged:
                        args[key] = str(merged[key])
            if "snowball" in merged:
                args["snowball"] = "1" if merged["snowball"] else "0"
            if spider == "seeds" and merged.get("seeds"):
                args["seeds"] = str(merged["seeds"])
            if spider == "competitors":
                if not merged.get("backlinks"):
                    raise PlanError(f"{path}: niche {name!r}: the competitors spider needs backlinks = [...]")
                exports = merged["backlinks"]
                args["backlinks"] = ",".join(exports if isinstance(exports, list) else [exports])
            steps.append(Step(name, spider, args, dict(merged["settings"])))
    if monitor:
        steps.append(_monitor_step(path, monitor, defaults))
    return steps


def _monitor_step(path: Path, entry: Any, defaults: dict[str, Any]) -> Step:
    """``[monitor]`` (or ``monitor = true``): one ``scrapy crawl monitor`` after the niches' crawls."""
    entry = entry if isinstance(entry, dict) else {}
    settings = {**defaults.get("settings", {}), **entry.get("settings", {})}
    if "recheck_days" in entry:
        days = entry["recheck_days"]
        if isinstance(days, bool) or not isinstance(days, (int, float)) or days < 0:
            raise PlanError(f"{path}: [monitor] recheck_days must be a number of days, not {days!r}")
        settings["MONITOR_RECHECK_DAYS"] = days
    return Step("", MONITOR, {}, settings)


@dataclass
class StepResult:
    step: Step
    returncode: int
    seconds: float
    log: Path


def run_step(step: Step, db: Path, jobs_dir: Path, env: dict[str, str] | None = None) -> StepResult:
    """One ``scrapy crawl`` of the plan, checkpointed under its job name, logged to its job folder."""
    folder = jobs_dir / step.job
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "crawl.log"
    cmd = [sys.executable, "-m", "scrapy", "crawl", step.spider]
    for key, value in step.args.items():
        cmd += ["-a", f"{key}={value}"]
    cmd += ["-s", f"LINKSPIDER_JOB={step.job}", "-s", f"LINKSPIDER_DB={db}"]
    env = {**(env or os.environ), SETTINGS_ENV: json.dumps(step.settings)}
    shown = ", ".join(f"{key}={redact_setting(key, value)}" for key, value in step.settings.items())
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd[1:])}"
                 + (f" (plan settings, by environment: {shown})" if shown else "") + "\n")
        fh.flush()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        stopped: Interrupted | None = None
        while proc.returncode is None:
            try:
                proc.wait()
            except Interrupted as stop:  # passed on: the crawl stops gracefully (at once on a second signal)
                stopped = stopped or stop
                proc.send_signal(stop.signum)
    if stopped is not None:
        stopped.job = step.job
        raise stopped
    return StepResult(step, proc.returncode, time.monotonic() - started, log)


def run_plan(steps: list[Step], db: Path, jobs_dir: Path, echo: Callable[[str], None],
             describe: Callable[[Step], str], env: dict[str, str] | None = None) -> list[StepResult]:
    """Run every step, even after one fails; ``describe`` summarises a finished step.
    Interrupted (SIGINT, SIGTERM) stops the plan."""
    results = []
    with signals_interrupt():
        for number, step in enumerate(steps, 1):
            what = f"{step.spider} for {step.niche}" if step.niche else "monitor of your placed links"
            echo(f"[{number}/{len(steps)}] {what} (job {step.job}) ...")
            result = run_step(step, db, jobs_dir, env)
            results.append(result)
            status = "ok" if result.returncode == 0 else f"FAILED (exit {result.returncode}, see {result.log})"
            echo(f"[{number}/{len(steps)}] {step.job}: {status} in {result.seconds:.0f} s; {describe(step)}")
    return results
