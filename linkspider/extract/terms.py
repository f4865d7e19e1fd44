"""What a page is about, as a small bag of stemmed terms (for niche relevance), and how text becomes terms.

Only the main content counts — title and meta description, headings, the text
outside navigation, header, footer, sidebars and comments, and the post's own
tags/categories — so a keyword in a site-wide footer never makes a page
"about" it. Kept small: the commonest terms only (``TERMS_PER_PAGE``), which
is what the database stores per page instead of the page itself. Words are
stemmed with the Snowball stemmer (``workouts`` -> ``workout``, ``running``
-> ``run``), stop words and bare numbers dropped; the niche profile's keywords
go through the same :func:`tokens` (``linkspider/score/relevance.py``), so
both sides speak the same terms.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

import snowballstemmer

from .html import Page

# Terms kept per page: enough for every keyword of a profile, small in the database.
TERMS_PER_PAGE = 40

_WORD = re.compile(r"[a-zà-öø-ÿß0-9]+(?:['’][a-z]+)?", re.I)
_STOP = frozenset("""
a about above after again all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
now of off on once only or other our ours ourselves out over own same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves one two get got
like may might must us via per le la les de des du et en un une der die das und ein eine el los las y del
""".split())
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


_MISSING = object()
# Matched word -> its stem, or None for a stop word / number / single letter.
# Words repeat endlessly across pages: the regex clean-up and the stemmer run
# once per distinct word (bounded, so a hostile page cannot grow it forever).
_TOKEN_CACHE: dict[str, str | None] = {}
_TOKEN_CACHE_MAX = 300_000


# Longer than any word a language has ("pneumonoultramicroscopicsilicovolcanoconiosis" is 45): a hash, a
# base64 blob, a hostile page's one-line "word". Not stemmed (the stemmer's cost grows with its length) and
# not cached (each would be a cache key as long as itself).
MAX_WORD_CHARS = 45


def _token(raw: str) -> str | None:
    if len(raw) > MAX_WORD_CHARS:
        return None
    word = raw.replace("’", "'").split("'")[0]
    value = _stem(word) if len(word) > 1 and word not in _STOP and not word.isdigit() else None
    if len(_TOKEN_CACHE) < _TOKEN_CACHE_MAX:
        _TOKEN_CACHE[raw] = value
    return value


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed words without stop words or bare numbers."""
    out = []
    cache = _TOKEN_CACHE
    for raw in _WORD.findall(text.lower()):
        value = cache.get(raw, _MISSING)
        if value is _MISSING:
            value = _token(raw)
        if value is not None:
            out.append(value)
    return out


def term_counts(weighted_texts: Iterable[tuple[str, int]]) -> tuple[Counter[str], int]:
    """Weighted term counts (words and two-word phrases) of a page and its word count.

    ``weighted_texts`` pairs text with how much it counts: the title and
    headings say what a page is about more than a paragraph does.
    """
    counts: Counter[str] = Counter()
    words = 0
    for text, weight in weighted_texts:
        toks = tokens(text)
        if not toks:
            continue
        if weight == 1:
            words += len(toks)
        # word, phrase, word, phrase, ..., last word: the order terms are first seen in
        # (ties in top_terms keep it).
        sequence = chain(chain.from_iterable(zip(toks, map(" ".join, zip(toks, toks[1:])))), toks[-1:])
        if weight == 1:
            counts.update(sequence)
        else:
            for term, n in Counter(sequence).items():
                counts[term] += n * weight
    return counts, words


def top_terms(counts: Counter[str], keep: Iterable[str] = (), n: int = TERMS_PER_PAGE) -> dict[str, int]:
    """The ``n`` commonest terms (single words and phrases seen twice), plus any in ``keep``."""
    keep = set(keep)
    top = {t: c for t, c in counts.most_common() if " " not in t or c >= 2}
    chosen = dict(list(top.items())[:n])
    chosen.update({t: counts[t] for t in keep if counts.get(t)})
    return chosen




def page_terms(page: Page) -> tuple[dict[str, int], int]:
    """``(terms, words)``: weighted term counts of the page's content and its length in words."""
    meta = page.meta
    tags = [meta.get("article:tag", ""), meta.get("keywords", "")]
    tags += [link.text for link in page.main_links if "tag" in link.rel or "category" in link.rel]
    texts = [
        (page.title, 3),
        (meta.get("description", "") or meta.get("og:description", ""), 2),
        (" ".join(text for _, text in page.headings), 2),
        (" ".join(t for t in tags if t), 2),
        (page.main_text, 1),
    ]
    counts, words = term_counts(texts)
    return top_terms(counts), words
