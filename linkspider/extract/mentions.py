"""Does a page name the user's brand, and in which sentence?

An *unlinked mention* (``linkspider/score/page.py`` decides it) is a page that
names the brand but does not link to the user's site: its author already
likes the brand, so asking for the link is a short email. The brand is
matched as a whole word or phrase, case-insensitively ("Blendwell" matches
"blendwell's guide", not "Blendwellness"), in the page's main content only:
a brand in a site-wide footer or sidebar is no mention by this page.

Pure: a parsed page in, the sentence out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .html import Page

MAX_SENTENCE = 300
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@lru_cache(maxsize=64)
def brand_pattern(brand: str) -> re.Pattern[str] | None:
    """The brand as a whole word or phrase, any case, any spacing; None for an empty brand."""
    words = brand.split()
    if not words:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.I)


def mention_sentence(page: Page, brand: str) -> str:
    """The first sentence of the page's main content that names ``brand`` ("" when none does)."""
    pattern = brand_pattern(brand)
    text = page.main_text
    found = pattern.search(text) if pattern is not None and text else None
    if found is None:
        return ""
    starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, found.start())]
    start = starts[-1] if starts else 0
    after = _SENTENCE_END.search(text, found.end())
    end = after.end() if after else len(text)
    sentence = text[start:end].strip()
    if len(sentence) > MAX_SENTENCE:  # a run-on "sentence" (a list without full stops): the part around the name
        left = max(0, found.start() - start - MAX_SENTENCE // 2)
        sentence = "…" + sentence[left:left + MAX_SENTENCE].strip() + "…"
    return sentence
