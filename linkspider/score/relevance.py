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
(stemmed bigrams); longer keywords count by their words. Text becomes terms
in ``linkspider/extract/terms.py``, for the pages and the profile alike.

A site's relevance (0..1) blends the share of its content pages that are
about the niche with how strongly they are; it is what the prospect score
leans on first. Pure functions: no Scrapy, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from linkspider.extract.terms import term_counts, tokens

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
