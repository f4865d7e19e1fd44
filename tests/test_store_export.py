"""The database and the export: re-runs never duplicate, people's notes survive, exports are safe."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkspider.cli import main
from linkspider.items import Discovery, PageItem
from linkspider.score.prospect import score_site
from linkspider.store.database import ProspectFilter, Store, StoreError
from linkspider.store.export import defuse, prospect_row, write_rows


def page(url: str, domain: str, *, home: bool = False, **facts) -> PageItem:
    """A crawled page; ironpulse.com writes about fitness (high BM25), quietcoffee.net does not."""
    on_niche = domain == "ironpulse.com"
    return PageItem(url=url, domain=domain, niche="fitness", status=200, is_home=home,
                    discovery=Discovery("seed", "seeds.txt:1") if home else None,
                    facts={"title": facts.pop("title", "A page"), "words": 400,
                           "relevance": 4.0 if on_niche else 0.2, "negative": 0.0, **facts})


def crawl_once(store: Store) -> None:
    store.write_pages([
        page("http://www.ironpulse.com/", "ironpulse.com", home=True, title="Iron Pulse"),
        page("http://www.ironpulse.com/contact/", "ironpulse.com", is_contact_page=True, contact_form=True,
             emails=["jane@ironpulse.com", "editor@ironpulse.com"],
             email_details=[{"email": "jane@ironpulse.com", "own_domain": True, "role": False, "source": "mailto"},
                            {"email": "editor@ironpulse.com", "own_domain": True, "role": True, "source": "text"}],
             evidence={"is_contact_page": "h1: Contact us"}),
        page("http://www.ironpulse.com/write-for-us/", "ironpulse.com", is_write_for_us=True,
             evidence={"is_write_for_us": "h1: Write for us"}),
        page("http://quietcoffee.net/", "quietcoffee.net", home=True, title="=HYPERLINK(\"http://evil\")"),
    ])
    store.save_scores({s["domain"]: score_site(s) for s in store.site_facts(store.all_domains())})


def table_counts(store: Store) -> dict[str, int]:
    return {t: store.db[t].count for t in ("sites", "pages", "contacts", "signals", "discoveries")}


def test_rerun_adds_no_rows_and_keeps_outreach_status(tmp_path: Path) -> None:
    with Store(tmp_path / "ls.db") as store:
        crawl_once(store)
        before = table_counts(store)
        first_seen = store.db["sites"].get("ironpulse.com")["first_seen"]
        assert store.set_status("ironpulse.com", "contacted", "pitched squat article")
        crawl_once(store)
        assert table_counts(store) == before
        site = store.db["sites"].get("ironpulse.com")
        assert (site["status"], site["notes"]) == ("contacted", "pitched squat article")
        assert site["first_seen"] == first_seen and site["pages_crawled"] == 3
        assert site["home_url"] == "http://www.ironpulse.com/" and site["title"] == "Iron Pulse"


def test_score_prefers_a_pitchable_site_with_a_personal_email(tmp_path: Path) -> None:
    with Store(tmp_path / "ls.db") as store:
        crawl_once(store)
        rows = [prospect_row(s) for s in store.prospects()]
    assert [r["domain"] for r in rows] == ["ironpulse.com", "quietcoffee.net"]
    best = rows[0]
    assert best["emails"] == ["jane@ironpulse.com", "editor@ironpulse.com"]  # personal before role
    assert best["contact_page"] == "http://www.ironpulse.com/contact/"
    assert best["signals"] == ["write_for_us: http://www.ironpulse.com/write-for-us/"]
    assert "write-for-us page" in best["why"] and "jane@ironpulse.com" in best["why"]
    assert "3/3 pages about fitness" in best["why"]
    assert best["found_via"] == ["seed: seeds.txt:1"]
    assert rows[1]["score"] < best["score"]


def test_filters(tmp_path: Path) -> None:
    with Store(tmp_path / "ls.db") as store:
        crawl_once(store)
        store.set_status("quietcoffee.net", "blocked")
        domains = lambda **kw: [s["domain"] for s in store.prospects(ProspectFilter(**kw))]  # noqa: E731
        assert domains(has_email=True) == ["ironpulse.com"]
        assert domains(signals=["write_for_us"]) == ["ironpulse.com"]
        assert domains(signals=["roundup"]) == []
        assert domains(statuses=["blocked"]) == ["quietcoffee.net"]
        assert domains(min_score=50) == ["ironpulse.com"]
        assert domains(niche="coffee") == []


def test_csv_defuses_spreadsheet_formulas() -> None:
    assert defuse("=1+1") == "'=1+1" and defuse("+44 20") == "'+44 20" and defuse("@x") == "'@x"
    assert defuse("plain") == "plain"
    out = io.StringIO()
    write_rows([{"domain": "a.com", "title": '=HYPERLINK("http://evil")', "emails": ["a@a.com", "b@a.com"]}],
               "csv", out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["title"].startswith("'=") and row["emails"] == "a@a.com | b@a.com"


def test_cli_export_formats_and_mark(tmp_path: Path) -> None:
    db = tmp_path / "ls.db"
    with Store(db) as store:
        crawl_once(store)
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--db", str(db), "--format", "jsonl", "--has-email"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["domain"] for r in rows] == ["ironpulse.com"]
    out = tmp_path / "x" / "fitness.csv"
    result = runner.invoke(main, ["export", "--db", str(db), "-o", str(out)])
    # quietcoffee.net is no fitness site (relevance under fitness's threshold): only --all exports it
    assert result.exit_code == 0 and [r["domain"] for r in csv.DictReader(out.open())] == ["ironpulse.com"]
    result = runner.invoke(main, ["export", "--db", str(db), "--format", "json", "--all"])
    assert [r["domain"] for r in json.loads(result.output)] == ["ironpulse.com", "quietcoffee.net"]
    result = runner.invoke(main, ["mark", "--db", str(db), "www.ironpulse.com", "--status", "won", "--note", "ok"])
    assert result.exit_code == 0 and "ironpulse.com: won" in result.output
    result = runner.invoke(main, ["mark", "--db", str(db), "nowhere.com", "--status", "won"])
    assert result.exit_code == 2 and "nowhere.com is not in" in result.output
    result = runner.invoke(main, ["report", "--db", str(db)])
    assert result.exit_code == 0 and "ironpulse.com" in result.output and "won" in result.output


def test_cli_without_database_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "run a crawl first" in result.output


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for command in ["", "export", "report", "mark", "rescore", "extract", "recover"]:
        result = runner.invoke(main, [*command.split(), "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output and len(result.output) > 150


def test_locked_database_is_named_and_the_batch_kept(tmp_path: Path) -> None:
    db = tmp_path / "ls.db"
    with Store(db) as store:
        crawl_once(store)
    blocker = sqlite3.connect(db)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            Store(db, timeout=0.1).write_pages([page("http://new.com/", "new.com", home=True)])
    finally:
        blocker.rollback()
        blocker.close()
    with Store(db) as store:
        assert store.db["sites"].count == 2


def test_full_disk_during_export_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "ls.db"
    with Store(db) as store:
        crawl_once(store)
    out = tmp_path / "fitness.csv"
    out.write_text("previous export\n")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("linkspider.cli.write_rows", disk_full)
    result = CliRunner().invoke(main, ["export", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert out.read_text() == "previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".fitness")] == []


def test_do_not_contact_covers_addresses_at_a_listed_domain_and_remove_gives_them_back(tmp_path: Path) -> None:
    """An email at a listed domain is blocked on every site; `dnc add` and `dnc remove` rescore."""
    db = tmp_path / "ls.db"
    with Store(db) as store:
        crawl_once(store)
        store.write_pages([page("http://quietcoffee.net/contact/", "quietcoffee.net", emails=["jane@ironpulse.com"],
                                email_details=[{"email": "jane@ironpulse.com", "own_domain": False, "role": False}])])
        store.save_scores({s["domain"]: score_site(s) for s in store.site_facts(store.all_domains())})
    runner = CliRunner()

    def quietcoffee() -> tuple[str, str]:
        rows = json.loads(runner.invoke(main, ["export", "--db", str(db), "--format", "json", "--all"]).output)
        row = next(r for r in rows if r["domain"] == "quietcoffee.net")
        return " | ".join(row["emails"]), row["why"]

    assert quietcoffee() == ("jane@ironpulse.com", "0/2 pages about fitness; email jane@ironpulse.com")
    assert runner.invoke(main, ["dnc", "add", "--db", str(db), "ironpulse.com"]).exit_code == 0
    exported = runner.invoke(main, ["export", "--db", str(db), "--format", "json"]).output
    assert "ironpulse.com" not in exported
    with Store(db) as store:
        assert store.db["sites"].get("quietcoffee.net")["score_why"] == "0/2 pages about fitness; no contact found"
        [site] = store.prospects(ProspectFilter())  # no scope: quietcoffee.net too, without the address
        assert site["domain"] == "quietcoffee.net" and prospect_row(site)["emails"] == []
    assert runner.invoke(main, ["dnc", "remove", "--db", str(db), "ironpulse.com"]).exit_code == 0
    assert quietcoffee() == ("jane@ironpulse.com", "0/2 pages about fitness; email jane@ironpulse.com")
