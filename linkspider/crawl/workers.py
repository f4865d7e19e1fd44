"""Page extraction in worker processes, so the crawl's own thread only fetches, follows and stores.

Why: extracting a page (parse, boilerplate removal, term counting, the
classifiers; ~5 ms on a 64 KB page) costs as much CPU as everything else a
crawl does, and on the reactor thread it runs on one core while the second
idles (docs/benchmarks.md). ``ExtractorPool`` sends each page's HTML to a
worker process and awaits the facts, so fetching goes on meanwhile.

Why not ``concurrent.futures.ProcessPoolExecutor``: its spawn and forkserver
start methods re-run the parent's ``__main__`` script in every worker (a crawl
started from a script without an ``if __name__ == "__main__"`` guard starts
itself again; under ``scrapy crawl`` every worker imports all of Scrapy), its
``fork`` method forks a process that runs threads and an event loop, and it
cannot stop one task that hangs. A worker here is ``python -m
linkspider.crawl.workers``: it imports the page stage's pure code and nothing else, reads
pickled ``(html, url, ...)`` frames on stdin and answers on stdout, in order.

- Several pages are written ahead to a worker, so it never waits for the busy
  crawl process to hand it the next one.
- A page that takes longer than ``timeout`` seconds (a pathological page
  against some regular expression) gets its worker killed and is kept without
  facts (``ExtractionTimeout``); the pages queued behind it go to a new worker.
- A worker that dies (the OOM killer, a crash in a C library on a hostile
  page) is replaced; the page it was working on is tried once more, and if
  that kills the worker again it is kept without facts (``WorkerDied``). After
  ``max_restarts`` replacements the pool gives up (``PoolUnavailable``) and the
  crawl extracts in its own process.
- Each answer carries the worker's CPU time and peak RSS, which the crawl puts
  in its stats (the benchmarks and the ``runs`` table see what workers cost).
- A worker ignores SIGINT and SIGTERM (Ctrl-C and service managers signal the
  whole process group while the crawl still finishes its pages gracefully);
  it exits when its crawl closes its stdin, or dies (end-of-file).

What a worker runs is ``--func`` (default: the page stage's
``linkspider.crawl.page_stage:process_page``); the crawl process runs the same
function in a thread of its own when ``EXTRACT_WORKERS = 0``.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import importlib
import logging
import os
import pickle
import resource
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, BinaryIO

logger = logging.getLogger(__name__)

# What a worker runs for each page unless told otherwise (the crawl's page stage).
PAGE_STAGE = "linkspider.crawl.page_stage:process_page"
PIPE_BYTES = 1 << 20
_HEADER = 4  # bytes of big-endian frame length

# A small page that goes through the extractors once, so a worker loads the
# public suffix list and compiles its patterns before the first real page.
_WARM_PAGE = ("<html><head><title>Contact us</title></head><body><main><h1>Write for us</h1>"
              "<p>Email editor@example.com about guest posts on strength training.</p>"
              '<a href="https://other.example.org/">resource</a></main></body></html>')


class ExtractionError(Exception):
    """The extraction function raised in the worker (its message says what)."""


class ExtractionTimeout(Exception):
    """The page took longer than the timeout; its worker was killed."""


class WorkerDied(Exception):
    """The worker process died while extracting this page, twice."""


class PoolUnavailable(Exception):
    """No worker can be used (could not start, or died too often): extract in the crawl process."""


@dataclass
class _Job:
    args: tuple[Any, ...]
    future: asyncio.Future[Any]
    url: str
    tries: int = 0


@dataclass
class _Worker:
    proc: asyncio.subprocess.Process
    jobs: deque[_Job] = field(default_factory=deque)  # written to it, answered in this order
    head_since: float = 0.0  # when the first of ``jobs`` started being worked on
    timer: asyncio.TimerHandle | None = None
    timed_out: bool = False
    ready: bool = False  # warmed up: the timeout of its first page counts from here, not from its start-up
    reader: asyncio.Task[None] | None = None


@dataclass
class _Usage:
    cpu_seconds: float
    peak_rss_mb: float


class ExtractorPool:
    """Worker processes that run ``func`` (``"module:function"``, default: the page stage's ``process_page``)."""

    def __init__(self, workers: int = 1, *, func: str = PAGE_STAGE, timeout: float = 60.0,
                 max_restarts: int = 10) -> None:
        self.size = max(1, workers)
        self.func = func
        self.timeout = timeout
        self.max_restarts = max_restarts
        self.workers: list[_Worker] = []
        self.restarts = 0
        self.pages = 0
        self.timeouts = 0
        self.usage: dict[int, _Usage] = {}
        self.unavailable = ""  # why extraction fell back to the crawl process
        self.closed = False
        self._starting: asyncio.Lock | None = None

    # ------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Start the workers (they warm up in the background while the crawl starts)."""
        self._starting = self._starting or asyncio.Lock()
        async with self._starting:
            while len(self.workers) < self.size and not self.unavailable and not self.closed:
                try:
                    self.workers.append(await self._spawn())
                except Exception as exc:  # no such interpreter, out of processes...: extract in-process
                    self._give_up(f"cannot start an extraction worker ({exc.__class__.__name__}: {exc})")

    async def _spawn(self) -> _Worker:
        # The worker imports what this process can import (an egg under Scrapyd, a checkout's tree).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "linkspider.crawl.workers", "--func", self.func,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, env=env)
        for stream in (proc.stdin, proc.stdout):
            _widen_pipe(stream)
        worker = _Worker(proc)
        worker.reader = asyncio.ensure_future(self._read(worker))
        # A worker that never finishes warming up is stopped like one stuck on a page.
        asyncio.get_running_loop().call_later(max(self.timeout, 30.0), self._never_ready, worker)
        return worker

    def _never_ready(self, worker: _Worker) -> None:
        if not worker.ready and worker.proc.returncode is None:
            worker.proc.kill()

    async def close(self) -> None:
        """Let the workers finish what they hold, then stop them (killed after a few seconds)."""
        self.closed = True
        self.unavailable = self.unavailable or "the extraction pool is closed"  # late pages: in-process
        workers, self.workers = self.workers, []
        for worker in workers:
            if worker.proc.stdin is not None:
                worker.proc.stdin.close()
        for worker in workers:
            try:
                await asyncio.wait_for(worker.proc.wait(), timeout=max(5.0, self.timeout))
            except asyncio.TimeoutError:
                worker.proc.kill()
                await worker.proc.wait()
            if worker.reader is not None:
                await worker.reader

    def _give_up(self, why: str) -> None:
        if not self.unavailable:
            logger.warning("%s; pages are extracted in the crawl process from now on", why)
        self.unavailable = why

    # ------------------------------------------------------------ work
    async def run(self, html: str, url: str, *args: Any) -> Any:
        """The worker's answer for one page. Raises ExtractionError, ExtractionTimeout, WorkerDied, PoolUnavailable."""
        job = _Job((html, url, *args), asyncio.get_running_loop().create_future(), url)
        await self._submit(job)
        return await job.future

    async def _submit(self, job: _Job) -> None:
        if len(self.workers) < self.size:
            await self.start()
        if not self.workers:
            job.future.set_exception(PoolUnavailable(self.unavailable or "the extraction pool is closed"))
            return
        worker = min(self.workers, key=lambda w: len(w.jobs))
        self._send(worker, job)

    def _send(self, worker: _Worker, job: _Job) -> None:
        data = pickle.dumps(job.args, protocol=pickle.HIGHEST_PROTOCOL)
        if not worker.jobs and worker.ready:
            self._set_head(worker)
        worker.jobs.append(job)
        assert worker.proc.stdin is not None
        worker.proc.stdin.write(len(data).to_bytes(_HEADER, "big") + data)
        # No drain(): Scrapy bounds the pages in process (SCRAPER_SLOT_MAX_ACTIVE_SIZE).

    def _set_head(self, worker: _Worker) -> None:
        """The first queued job starts now: arm the timeout for it."""
        worker.head_since = time.monotonic()
        if worker.timer is not None:
            worker.timer.cancel()
        worker.timer = asyncio.get_running_loop().call_later(self.timeout, self._expire, worker, worker.head_since)

    def _expire(self, worker: _Worker, since: float) -> None:
        if worker.jobs and worker.head_since == since and worker.proc.returncode is None:
            worker.timed_out = True
            worker.proc.kill()  # the reader sees end-of-file and sorts the jobs out

    async def _read(self, worker: _Worker) -> None:
        stdout = worker.proc.stdout
        assert stdout is not None
        try:
            while True:
                size = int.from_bytes(await stdout.readexactly(_HEADER), "big")
                ok, value, pid, cpu, rss = pickle.loads(await stdout.readexactly(size))
                self.usage[pid] = _Usage(cpu, rss)
                if not worker.ready:  # the first frame says it is warm: its pages' clocks start now
                    worker.ready = True
                    if worker.jobs:
                        self._set_head(worker)
                    continue
                job = worker.jobs.popleft()
                if worker.jobs:
                    self._set_head(worker)
                elif worker.timer is not None:
                    worker.timer.cancel()
                if job.future.done():  # its crawl output was abandoned
                    continue
                if ok:
                    self.pages += 1
                    job.future.set_result(value)
                else:
                    job.future.set_exception(ExtractionError(value))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        await worker.proc.wait()
        await self._worker_gone(worker)

    async def _worker_gone(self, worker: _Worker) -> None:
        if worker.timer is not None:
            worker.timer.cancel()
        if worker in self.workers:
            self.workers.remove(worker)
        jobs, worker.jobs = list(worker.jobs), deque()
        if not jobs:
            return  # closed after its last page
        head, rest = jobs[0], jobs[1:]
        if worker.timed_out:
            self.timeouts += 1
            logger.error("extracting %s took over %g s; its worker was stopped, the page is kept without facts",
                         head.url, self.timeout)
            _fail(head, ExtractionTimeout(head.url))
        else:
            head.tries += 1
            logger.warning("the extraction worker died (exit %s) while extracting %s", worker.proc.returncode,
                           head.url)
            if head.tries >= 2:
                _fail(head, WorkerDied(head.url))
            else:
                rest.insert(0, head)
        self.restarts += 1
        if self.restarts > self.max_restarts:
            self._give_up(f"the extraction worker died {self.restarts} times")
        for job in rest:
            if not job.future.done():
                await self._submit(job)

    def figures(self) -> dict[str, float]:
        """For the crawl's stats: pages extracted in workers, their CPU time and peak RSS, restarts."""
        return {
            "worker_pages": self.pages,
            "worker_restarts": self.restarts,
            "worker_timeouts": self.timeouts,
            "worker_cpu_seconds": round(sum(u.cpu_seconds for u in self.usage.values()), 3),
            "worker_peak_rss_mb": round(max((u.peak_rss_mb for u in self.usage.values()), default=0.0), 1),
        }


def _widen_pipe(stream: Any) -> None:
    """Room for many pages in the pipe (Linux), so the worker is not kept waiting.

    A pipe holds 64 KB, about one page: the rest of each page would reach the
    worker only when the busy crawl process's event loop next gets round to
    writing it, and the worker starved (measured: a queue of 90 pages while it
    idled). 1 MB is Linux's default ``pipe-max-size`` for unprivileged users.
    """
    transport = getattr(stream, "transport", None) or getattr(stream, "_transport", None)
    pipe = transport.get_extra_info("pipe") if transport is not None else None
    if pipe is None or not hasattr(fcntl, "F_SETPIPE_SZ"):
        return
    try:
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:  # a lower pipe-max-size: the default pipe still works, more slowly
        pass


def _fail(job: _Job, exc: Exception) -> None:
    if not job.future.done():
        job.future.set_exception(exc)


# ---------------------------------------------------------------- the worker process
def _answer(out: BinaryIO, ok: bool, value: Any) -> None:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    data = pickle.dumps((ok, value, os.getpid(), ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024),
                        protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(_HEADER, "big") + data)
    out.flush()


def serve(func_name: str, inp: BinaryIO, out: BinaryIO) -> int:
    """Answer frames until end-of-file: the worker's loop."""
    module, _, name = func_name.partition(":")
    func = getattr(importlib.import_module(module), name)
    func(_WARM_PAGE, "https://warm.example.com/contact/")
    _answer(out, True, "ready")
    while True:
        header = inp.read(_HEADER)
        if len(header) < _HEADER:
            return 0  # the crawl is done (or gone)
        args = pickle.loads(inp.read(int.from_bytes(header, "big")))
        try:
            value, ok = func(*args), True
        except Exception as exc:  # the crawl logs it and keeps the page
            value, ok = f"{exc.__class__.__name__}: {exc}", False
        _answer(out, ok, value)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m linkspider.crawl.workers",
                                 description="linkspider's extraction worker (started by the crawl).")
    ap.add_argument("--func", default=PAGE_STAGE, help="module:function to run on each frame")
    args = ap.parse_args(argv)
    # Ctrl-C in a terminal and a service manager's SIGTERM reach the whole process
    # group; the crawl then shuts down gracefully and still needs its worker for
    # the pages in flight. The worker ends when the crawl closes its stdin (or dies).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # Frames go to the original stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        return serve(args.func, sys.stdin.buffer, out)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
