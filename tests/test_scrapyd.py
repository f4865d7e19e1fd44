"""Scheduling on Scrapyd: deploy with scrapyd-deploy, schedule.json, see the job finish with its rows.

A real `scrapyd` (the project's virtualenv's, so it has the dependencies) is
started by the test on 127.0.0.1 (a spare port), reaches the fake web through
http_proxy, and is stopped by PID. What is deployed is a fresh `git clone` of
this repository, from its root, as the README says: the test adds only a
deploy target of its own in the user's scrapy.cfg (XDG_CONFIG_HOME), never a
file of the checkout, so the egg is what a user's would be.
"""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakeweb.crawl import ROOT, crawl_env

SCRAPYD = Path(sys.executable).with_name("scrapyd")
DEPLOY = Path(sys.executable).with_name("scrapyd-deploy")
pytestmark = pytest.mark.skipif(not SCRAPYD.exists() or not DEPLOY.exists(),
                                reason="needs scrapyd and scrapyd-client (the dev extra installs them)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api(port: int, path: str, data: dict[str, Any] | list[tuple[str, str]] | None = None) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/{path}"
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # straight to loopback
    with opener.open(urllib.request.Request(url, data=body), timeout=10) as response:
        return json.loads(response.read())


def poll(check: Any, deadline_s: float, what: str) -> Any:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.2)  # polling a server, bounded by the deadline
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A fresh clone of this repository (its committed state)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of linkspider")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, capture_output=True, timeout=120)
    return clone


@pytest.fixture
def scrapyd(fakeweb: Any, tmp_path: Path) -> Iterator[int]:
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home}/eggs\n"
        f"logs_dir = {home}/logs\nitems_dir =\ndbs_dir = {home}/dbs\nmax_proc = 2\npoll_interval = 0.5\n")
    env = crawl_env(fakeweb.proxy_url, tmp_path / "unused.db")
    env.pop("PYTHONPATH")  # the crawl runs the deployed egg's code, not the test's checkout
    log = (home / "scrapyd.out").open("w")
    proc = subprocess.Popen([str(SCRAPYD)], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        poll(lambda: api(port, "daemonstatus.json").get("status") == "ok", 30, "scrapyd to start")
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_deploy_schedule_and_finish_on_scrapyd(checkout: Path, scrapyd: int, fakeweb: Any, tmp_path: Path) -> None:
    port = scrapyd
    config = tmp_path / "config"
    config.mkdir()
    (config / "scrapy.cfg").write_text(f"[deploy:test]\nurl = http://127.0.0.1:{port}/\n")
    env = {**crawl_env(fakeweb.proxy_url, tmp_path / "unused.db"), "no_proxy": "127.0.0.1",
           "XDG_CONFIG_HOME": str(config), "HOME": str(tmp_path)}
    deploy = subprocess.run([str(DEPLOY), "test"], cwd=checkout, env=env, capture_output=True, text=True,
                            timeout=120)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    # Deploying leaves the clone as it was: no setup.py of scrapyd-deploy's, build files git-ignored.
    status = subprocess.run(["git", "status", "--porcelain"], cwd=checkout, capture_output=True, text=True)
    assert status.stdout == ""
    assert "linkspider" in api(port, "listprojects.json")["projects"]
    assert "seeds" in api(port, "listspiders.json?project=linkspider")["spiders"]

    seeds = tmp_path / "fitness.txt"
    seeds.write_text(fakeweb.web.seed_list("fitness"))
    db = tmp_path / "scrapyd.db"
    job = api(port, "schedule.json", [
        ("project", "linkspider"), ("spider", "seeds"), ("niche", "fitness"), ("seeds", str(seeds)),
        ("setting", f"LINKSPIDER_DB={db}"), ("setting", f"LINKSPIDER_SEEDS_DIR={checkout / 'seeds'}"),
        ("setting", "DOWNLOAD_DELAY=0"), ("setting", "AUTOTHROTTLE_ENABLED=False"), ("setting", "RENDER=never"),
    ])
    assert job["status"] == "ok", job
    finished = poll(lambda: [j for j in api(port, "listjobs.json?project=linkspider")["finished"]
                             if j["id"] == job["jobid"]], 180, "the job to finish")
    assert finished
    job_log = next((tmp_path / "scrapyd" / "logs").rglob(f"{job['jobid']}.log")).read_text()
    assert "Spider closed (finished)" in job_log, job_log[-3000:]
    with sqlite3.connect(db) as conn:
        sites = conn.execute("SELECT count(*) FROM sites WHERE pages_crawled > 0").fetchone()[0]
        emails = conn.execute("SELECT count(*) FROM contacts WHERE kind = 'email'").fetchone()[0]
        run = conn.execute("SELECT spider, outcome FROM runs").fetchall()
    assert sites >= 25 and emails >= 25
    assert run == [("seeds", "finished")]
