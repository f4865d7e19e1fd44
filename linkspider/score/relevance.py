"""Niche relevance: how much of a site's content is about the niche.

Pages are scored with BM25 (Robertson & Zaragoza): term-frequency saturation
(``k1``) and length normalisation (``b``) over each page's *main content*
terms — title and headings counted extra, navigation and footers left out —
so a site that mentions "fitness" once in a footer scores nothing, and a long
post that uses a keyword twenty times does not outweigh ten posts about it.
The niche profile's keyword weights stand in for BM25's IDF: a niche crawl's
own corpus is mostly on-niche, so a corpus IDF would penalise exactly the
niche's words. Words are stemmed with the Snowball stemmer (``workouts`` ->
``workout``, ``running`` -> ``run``); two-word keywords match as phrases
(stemmed bigrams); longer keywords count by their words.

A site's relevance (0..1) blends the share of its content pages that are
about the niche with how strongly they are; it is what the prospect score
leans on first. Pure functions: no Scrapy, no database.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import snowballstemmer

# BM25 parameters: the usual defaults; AVG_WORDS is a typical blog post's
# main-content length in words, the length pages are normalised against.
K1 = 1.2
B = 0.75
AVG_WORDS = 600
# A page scoring at least this is "about the niche" (one keyword of weight 1
# used ~3 times in a 600-word post, or in its title and twice in the text).
ON_NICHE = 1.5
# Pages shorter than this (contact forms, privacy notices) say nothing about topic.
MIN_WORDS = 60
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


@dataclass(frozen=True)
class NicheQuery:
    """A niche profile turned into stemmed terms with weights."""

    terms: dict[str, float]
    negative: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_profile(cls, keywords: dict[str, float], negative: Iterable[str] = (),
                     about: str = "", about_weight: float = 0.3) -> NicheQuery:
        terms: dict[str, float] = {}
        for keyword, weight in keywords.items():
            toks = tokens(keyword)
            # Pages keep two-word phrases; a longer keyword counts by its words.
            parts = [" ".join(toks)] if len(toks) <= 2 else toks
            for part in parts:
                if part:
                    share = float(weight) if len(parts) == 1 else float(weight) / len(parts)
                    terms[part] = max(terms.get(part, 0.0), share)
        if about:
            counts, _ = term_counts([(about, 1)])
            for term, _count in counts.most_common(12):
                if " " not in term:
                    terms.setdefault(term, about_weight)
        neg = {" ".join(tokens(k)): 1.0 for k in negative if tokens(k)}
        return cls(terms=terms, negative=neg)

    def keep(self) -> set[str]:
        return set(self.terms) | set(self.negative)


def bm25(terms: dict[str, int], words: int, query: dict[str, float]) -> float:
    """BM25 of one page's term counts against weighted query terms."""
    norm = K1 * (1 - B + B * max(words, 1) / AVG_WORDS)
    score = 0.0
    for term, weight in query.items():
        tf = terms.get(term, 0)
        if tf:
            score += weight * tf * (K1 + 1) / (tf + norm)
    return score


@dataclass(frozen=True)
class PageRelevance:
    score: float  # BM25 against the niche's keywords
    negative: float  # BM25 against its negative keywords (link farms, off-topic money words)
    words: int

    @property
    def has_content(self) -> bool:
        return self.words >= MIN_WORDS

    @property
    def on_niche(self) -> bool:
        return self.has_content and self.score >= ON_NICHE and self.score > 2 * self.negative


def page_relevance(terms: dict[str, int], words: int, query: NicheQuery) -> PageRelevance:
    return PageRelevance(bm25(terms, words, query.terms), bm25(terms, words, query.negative), words)


@dataclass(frozen=True)
class SiteRelevance:
    value: float  # 0..1
    content_pages: int
    niche_pages: int
    negative_pages: int


def site_relevance(pages: Iterable[PageRelevance]) -> SiteRelevance:
    """Share of content pages on the niche (70 %) and their median strength (30 %)."""
    content = [p for p in pages if p.has_content]
    if not content:
        return SiteRelevance(0.0, 0, 0, 0)
    niche = [p for p in content if p.on_niche]
    negative = [p for p in content if p.negative >= ON_NICHE]
    scores = sorted(p.score for p in content)
    median = scores[len(scores) // 2]
    share = len(niche) / len(content)
    strength = min(1.0, median / (3 * ON_NICHE))
    return SiteRelevance(round(0.7 * share + 0.3 * strength, 3), len(content), len(niche), len(negative))
