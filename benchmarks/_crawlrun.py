"""Shared by the crawl benchmarks: run a crawler subprocess and measure it.

``run_measured()`` starts a command, samples its resident memory from
``/proc/PID/status`` twice a second - and that of its child processes (the
extraction workers), summed - reaps it with ``os.wait4`` (whose rusage gives
the peak RSS, ``ru_maxrss``, and the CPU time of exactly that process) and
reads the final Scrapy stats dump from its log, where the workers' own CPU
time and peak RSS are (``linkspider/extract/worker_*``). ``machine()`` describes the host.
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROXY_VARS = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
              "no_proxy", "NO_PROXY")

# linkspider's own User-Agent, so both crawls send the same headers.
USER_AGENT = ("linkspider/0.1 (+https://github.com/linkspider/linkspider; "
              "link-prospecting crawler; obeys robots.txt)")


def common_settings(concurrency: int) -> dict[str, str]:
    """Settings both crawls get: no delays, no throttling, robots.txt obeyed (the server serves one)."""
    return {
        "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": str(concurrency), "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "ROBOTSTXT_OBEY": "True", "COOKIES_ENABLED": "False", "LOG_LEVEL": "INFO",
        "TELNETCONSOLE_ENABLED": "False", "REMOTE_CONTROL_ENABLED": "False",
        "USER_AGENT": USER_AGENT, "DOWNLOAD_TIMEOUT": "30", "RETRY_TIMES": "1",
        "LOGSTATS_INTERVAL": "10",
    }


def setting(text: str) -> tuple[str, str]:
    """argparse ``type`` for ``--set NAME=VALUE``: the pair, or a clear error."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def crawl_env(proxy_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every request (robots.txt too) goes to the benchmark server: nothing leaves 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env.update(http_proxy=proxy_url, https_proxy=proxy_url, PYTHONPATH=str(ROOT))
    env.update(extra or {})
    return env


@dataclass
class Run:
    name: str
    returncode: int
    wall_seconds: float
    peak_rss_mb: float  # ru_maxrss of the crawler process
    cpu_seconds: float  # user + system of the crawler process and the children it reaped (its workers)
    stats: dict[str, float]
    log_path: Path
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, RSS MB)
    tree_samples: list[float] = field(default_factory=list)  # RSS MB of the crawler and its children together
    progress: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, pages crawled)
    server_cpu_seconds: float = 0.0

    @property
    def elapsed(self) -> float:
        return float(self.stats.get("elapsed_time_seconds") or self.wall_seconds)

    @property
    def pages(self) -> int:
        """Responses received, robots.txt excluded."""
        return int(self.stats.get("response_received_count", 0) - self.stats.get("robotstxt/response_count", 0))

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed if self.elapsed else 0.0

    @property
    def worker_cpu_seconds(self) -> float:
        return float(self.stats.get("linkspider/extract/worker_cpu_seconds", 0.0))

    @property
    def own_cpu_seconds(self) -> float:
        """The crawl process alone: wait4's rusage also counts the workers it reaped."""
        return max(0.0, self.cpu_seconds - self.worker_cpu_seconds)

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.own_cpu_seconds / self.pages if self.pages else 0.0

    @property
    def worker_cpu_ms_per_page(self) -> float:
        """CPU time of the extraction workers per page (0 without workers)."""
        return 1000 * self.worker_cpu_seconds / self.pages if self.pages else 0.0

    @property
    def peak_tree_rss_mb(self) -> float:
        """Peak of crawler + workers RSS summed (sampled), at least the crawler's own peak."""
        return max([self.peak_rss_mb, *self.tree_samples])

    def rss_at(self, t: float) -> float:
        """RSS (MB) of the last sample at or before ``t`` seconds."""
        best = 0.0
        for ts, mb in self.samples:
            if ts > t:
                break
            best = mb
        return best


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            out += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return out


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


_STAT_RE = re.compile(r"'([^']+)': (-?[0-9]+(?:\.[0-9]+)?)[,}\n]")
_PROGRESS_RE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \[scrapy\.extensions\.logstats\] INFO: "
                          r"Crawled (\d+) pages", re.M)


def parse_stats(log: str) -> dict[str, float]:
    """Numeric values of the last ``Dumping Scrapy stats`` block of a Scrapy log."""
    at = log.rfind("Dumping Scrapy stats:")
    if at < 0:
        return {}
    block = log[at:]
    end = block.find("}")
    block = block[: end + 1] if end >= 0 else block
    return {k: float(v) for k, v in _STAT_RE.findall(block)}


def run_measured(name: str, cmd: list[str], *, cwd: Path, env: dict[str, str], log_path: Path,
                 timeout: float, server_pid: int | None = None) -> Run:
    from _webgen import proc_cpu_seconds  # noqa: PLC0415 - sibling module

    server_cpu0 = proc_cpu_seconds(server_pid) if server_pid else 0.0
    t0 = time.perf_counter()
    wall0 = time.time()
    samples: list[tuple[float, float]] = []
    tree: list[float] = []
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        status, rusage = 0, None
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            now = time.perf_counter() - t0
            samples.append((now, _rss_mb(proc.pid)))
            tree.append(samples[-1][1] + sum(_rss_mb(c) for c in _children(proc.pid)))
            if now > timeout:
                os.kill(proc.pid, signal.SIGKILL)
                _, status, rusage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.5)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    server_cpu = (proc_cpu_seconds(server_pid) - server_cpu0) if server_pid else 0.0
    text = log_path.read_text(encoding="utf-8", errors="replace")
    progress = []
    for stamp, pages in _PROGRESS_RE.findall(text):
        ts = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").timestamp() - wall0
        progress.append((max(0.0, ts), int(pages)))
    return Run(name=name, returncode=proc.returncode, wall_seconds=wall,
               peak_rss_mb=rusage.ru_maxrss / 1024 if rusage else 0.0,
               cpu_seconds=(rusage.ru_utime + rusage.ru_stime) if rusage else 0.0,
               stats=parse_stats(text), log_path=log_path, samples=samples, tree_samples=tree, progress=progress,
               server_cpu_seconds=server_cpu)


def log_tail(run: Run, lines: int = 30) -> str:
    text = run.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def machine() -> dict[str, str]:
    """nproc, CPU model, RAM, kernel and the versions that matter."""
    cpu, mem = "unknown", "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()), "cpu": cpu, "ram": mem, "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": ", ".join(f"{d} {_version(d)}" for d in (
            "scrapy", "twisted", "lxml", "parsel", "extruct", "tldextract", "sqlite-utils")),
        "sqlite": __import__("sqlite3").sqlite_version,
    }


def print_machine() -> None:
    m = machine()
    print(f"machine: {m['nproc']} cores, {m['cpu']}, {m['ram']} RAM, Linux {m['kernel']}, "
          f"Python {m['python']}, SQLite {m['sqlite']}")
    print(f"versions: {m['versions']}")


def python() -> str:
    return sys.executable
