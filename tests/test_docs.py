"""The documentation tells the truth about the code: commands, options and modules it names exist.

As sqlite-utils tests its docs: every ``linkspider ...`` command line in the
README's code blocks names a real command and real options, every command
answers ``--help``, and every module ``docs/architecture.md`` names is a file.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from linkspider.cli import main

ROOT = Path(__file__).resolve().parents[1]


def commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], click.Command]:
    """Every command of the ``linkspider`` tree, by its words (``("dnc", "add")``)."""
    found: dict[tuple[str, ...], click.Command] = {prefix: group}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(commands(command, (*prefix, name)))
        else:
            found[(*prefix, name)] = command
    return found


def readme_command_lines() -> list[str]:
    """``linkspider ...`` lines of the README's shell code blocks (what a user would type)."""
    lines, lang = [], None
    for raw in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if raw.startswith("```"):
            lang = None if lang is not None else (raw[3:].strip() or "text")
            continue
        if lang not in ("sh", "bash", "console", "cron", "text"):
            continue
        line = raw.split(" #", 1)[0].strip()
        match = re.search(r"(?:^|[\s/])linkspider\s+([a-z][^>|;&]*)", line)
        if match and not line.startswith(("#", "scrapy", "pip", "curl", "make")):
            lines.append(match.group(1).strip())
    return lines


def test_every_command_answers_help() -> None:
    runner = CliRunner()
    for words in commands():
        result = runner.invoke(main, [*words, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, (words, result.output)
        assert len(result.output) > 150, words  # says what it does, not just its name


@pytest.mark.parametrize("line", readme_command_lines())
def test_readme_commands_and_options_exist(line: str) -> None:
    tree = commands()
    words = shlex.split(line)
    path: tuple[str, ...] = ()
    for word in words:
        if (*path, word) in tree:
            path = (*path, word)
        else:
            break
    assert path, f"README names a command that does not exist: linkspider {line}"
    command = tree[path]
    known = {opt for param in command.params for opt in getattr(param, "opts", []) + getattr(param, "secondary_opts", [])}
    for word in words[len(path):]:
        if word.startswith("--"):
            option = word.split("=", 1)[0]
            assert option in known, f"README: `linkspider {' '.join(path)}` has no option {option}"


def test_the_architecture_page_names_modules_that_exist() -> None:
    """A path (``crawl/budget.py``) must be that file, under the project or its package; a bare name
    (``sitewalk.py``, said of a folder just named) must be some file of the package or the fake web."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_/]*[a-z_]+\.py)`", text))
    assert len(named) > 20
    files = {p.relative_to(ROOT).as_posix() for base in ("linkspider", "fakeweb", "tests") for p in (ROOT / base).rglob("*.py")}
    files |= {p.name for p in ROOT.glob("*.py")}  # setup.py
    bare = {Path(f).name for f in files}
    missing = []
    for name in sorted(named):
        if "/" in name:
            if not any(f == name or f.endswith("/" + name) for f in files):
                missing.append(name)
        elif name not in bare:
            missing.append(name)
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"
    folders = {p.relative_to(ROOT).as_posix() + "/" for p in ROOT.glob("*") if p.is_dir()}
    folders |= {p.relative_to(ROOT / "linkspider").as_posix() + "/" for p in (ROOT / "linkspider").rglob("*") if p.is_dir()}
    folders |= {p.name + "/" for p in (ROOT / "linkspider").rglob("*") if p.is_dir()}
    for folder in set(re.findall(r"`((?:linkspider/)?[a-z_]+/(?:[a-z_]+/)?)`", text)):
        assert folder in folders or folder.removeprefix("linkspider/") in folders, folder
