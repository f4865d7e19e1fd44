"""Shared helpers of the extraction tests (no tests here): load a named corpus page and extract it once."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from linkspider.extract import extract_page

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    return json.loads((PAGES / "labels.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def facts(name: str) -> dict[str, Any]:
    """``extract_page`` of the corpus page ``name`` (without .html), at its labelled URL."""
    fname = name if name.endswith(".html") else name + ".html"
    return extract_page((PAGES / fname).read_text(encoding="utf-8"), labels()[fname]["url"])


def label(name: str) -> dict[str, Any]:
    return labels()[name if name.endswith(".html") else name + ".html"]


def sources(name: str) -> dict[str, str]:
    return {d["email"]: d["source"] for d in facts(name)["email_details"]}
