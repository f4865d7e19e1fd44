"""`linkspider extract`: the public one-page debugging contract, on a file and on a URL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from fakeweb.crawl import ROOT, crawl_env
from linkspider.cli import main

CONTRACT = {
    "title": str, "emails": list, "email_details": list, "contact_form": bool, "is_contact_page": bool,
    "is_about_page": bool, "is_write_for_us": bool, "is_roundup": bool, "is_resources": bool,
    "is_sponsored": bool, "rejects_guest_posts": bool, "social": list, "authors": list,
    "published": (str, type(None)), "outbound_links": list, "evidence": dict,
}


def assert_contract(facts: dict[str, Any]) -> None:
    assert set(CONTRACT) <= set(facts)
    for key, kind in CONTRACT.items():
        assert isinstance(facts[key], kind), key


def test_extract_a_local_file(tmp_path: Path) -> None:
    page = tmp_path / "contact.html"
    page.write_text(
        "<html><head><title>Contact | Iron Pulse</title></head><body><h1>Contact us</h1>"
        "<p>Write to jane [at] ironpulse [dot] com or <a href='mailto:editor@ironpulse.com'>the editor</a>.</p>"
        "<form><input name='your-name'><input type='email' name='your-email'>"
        "<textarea name='your-message'></textarea><button>Send</button></form></body></html>")
    result = CliRunner().invoke(main, ["extract", str(page), "--url", "https://www.ironpulse.com/contact/"])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)
    assert_contract(facts)
    assert set(facts["emails"]) == {"jane@ironpulse.com", "editor@ironpulse.com"}
    assert facts["contact_form"] and facts["is_contact_page"] and not facts["is_write_for_us"]
    assert all(d["own_domain"] for d in facts["email_details"])


def test_extract_a_missing_file_says_so() -> None:
    result = CliRunner().invoke(main, ["extract", "/nonexistent/page.html"])
    assert result.exit_code == 2 and "page /nonexistent/page.html not found" in result.output


def test_extract_a_url_through_the_project_settings(fakeweb: Any, tmp_path: Path) -> None:
    site = next(s for s in fakeweb.web.manifest["sites"]
                if s["write_for_us_kind"] == "genuine" and s["niche"] == "fitness" and s["reachable"])
    env = crawl_env(fakeweb.proxy_url, tmp_path / "unused.db")
    proc = subprocess.run([sys.executable, "-m", "linkspider.cli", "extract", site["write_for_us_url"]],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    facts = json.loads(proc.stdout)
    assert_contract(facts)
    assert facts["is_write_for_us"] and facts["evidence"]
    proc = subprocess.run([sys.executable, "-m", "linkspider.cli", "extract", "http://www.no-such-site-here.com/"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "no-such-site-here.com" in proc.stderr
