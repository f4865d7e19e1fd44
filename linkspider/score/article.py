"""What an article is about, and how close a page or a site is to it (its *article fit*).

**About.** An article's terms (stemmed words and two-word phrases, counted as
for any page: ``linkspider/extract/article.py``) are weighed against a
*background*: a term everybody uses says little about this article.

- General English always (``EnglishBackground``): a stem's idf from its Zipf
  frequency in ``english_terms.tsv`` (derived from wordfreq's list by
  ``tools/english_terms.py``; CC BY-SA 4.0), so "smoothie" weighs more than
  "make".
- The niche's own pages in the database, when it holds enough of them
  (``NicheBackground``): a term common across the niche ("nutrition",
  "healthy eating" in a nutrition niche) counts down to half, a term few of
  its pages use keeps its full weight. Not more than half: a niche crawl that
  found many pages on the article's very topic must not erase that topic.

A term's weight is ``(1 + ln tf) x idf x niche factor``; the ``ARTICLE_TERMS``
heaviest make the article's *query*, scaled so the heaviest weighs 1. Its
*phrases* (runs of two or three words as written) are ranked the same way and
the best few go into search queries.

**Fit.** A page's fit is BM25 of its stored terms against that query (the
niche relevance's own ``bm25``: the article stands in for the niche's
keywords), divided by the article's own score, so the article itself fits
1.0 and an unrelated page about 0. A site's fit is its best page's: a
roundup or resources page, or one of its content pages. Pure functions.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from linkspider.extract.article import ArticleText, phrase_counts
from linkspider.extract.terms import term_counts
from linkspider.score.relevance import bm25

ENGLISH_TERMS = Path(__file__).with_name("english_terms.tsv")
# Terms of the article's query, phrases kept for searching and explaining.
ARTICLE_TERMS = 24
ARTICLE_PHRASES = 6
# Zipf frequency of a word the English list does not have (rarer than its 50,000 words).
UNKNOWN_ZIPF = 2.0
# A phrase counts from this many occurrences (the title's count three times, as for terms).
MIN_PHRASE_COUNT = 2
# Pages shorter than this say too little to fit anything (a contact form, a privacy notice).
MIN_FIT_WORDS = 30
PAGE_KINDS = {"resources": "resources page", "roundup": "roundup"}


class EnglishBackground:
    """General English: a stem's idf from its Zipf frequency (7 - zipf: "time" 0.6, "smoothi" 3.5)."""

    def __init__(self, zipf: Mapping[str, float]) -> None:
        self.zipf = zipf

    def idf(self, term: str) -> float:
        words = term.split()
        value = sum(max(0.0, 7.0 - self.zipf.get(w, UNKNOWN_ZIPF)) for w in words) / len(words)
        return value + (0.5 if len(words) > 1 else 0.0)  # a phrase says a little more than its words


class NicheBackground:
    """The niche's pages in the database: how much of the niche uses a term (from their stored terms)."""

    def __init__(self, page_terms: Iterable[Iterable[str]]) -> None:
        self.df: Counter[str] = Counter()
        self.pages = 0
        for terms in page_terms:
            self.pages += 1
            self.df.update(set(terms))

    def factor(self, term: str) -> float:
        """1.0 for a term no page of the niche uses, down to 0.5 for one every page does."""
        if not self.pages:
            return 1.0
        return 1.0 - 0.5 * self.df.get(term, 0) / self.pages


@lru_cache(maxsize=1)
def english_background() -> EnglishBackground:
    zipf: dict[str, float] = {}
    for line in ENGLISH_TERMS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            stem, _, value = line.partition("\t")
            zipf[stem] = float(value)
    return EnglishBackground(zipf)


@dataclass(frozen=True)
class ArticleProfile:
    """What an article is about: what the store keeps (``articles`` table) and the crawl searches with."""

    url: str
    title: str
    terms: dict[str, float]  # stemmed term -> weight 0..1 (the query its fit is scored with)
    phrases: list[str]  # as written, best first
    phrase_terms: dict[str, list[str]] = field(default_factory=dict)  # phrase -> its stemmed terms
    background: str = ""
    words: int = 0
    self_score: float = 0.0  # the article's own BM25 against its terms: a fit of 1.0

    def as_row(self) -> dict[str, Any]:
        return {"url": self.url, "title": self.title, "terms": self.terms, "phrases": self.phrases,
                "phrase_terms": self.phrase_terms, "background": self.background, "words": self.words,
                "self_score": self.self_score}

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ArticleProfile:
        return cls(url=row["url"], title=row["title"], terms=dict(row["terms"]), phrases=list(row["phrases"]),
                   phrase_terms={k: list(v) for k, v in (row.get("phrase_terms") or {}).items()},
                   background=row.get("background", ""), words=int(row.get("words") or 0),
                   self_score=float(row.get("self_score") or 0.0))


def profile_article(article: ArticleText, niche: NicheBackground | None = None) -> ArticleProfile:
    """The article's distinctive terms and phrases against general English and, when given, the niche's
    pages (see the module docstring)."""
    english = english_background()
    background = niche or NicheBackground(())

    def idf(term: str) -> float:
        return english.idf(term) * background.factor(term)

    counts = article.term_counts()
    title_terms = set(term_counts([(article.title, 1)])[0])
    weights = {t: (1 + math.log(c)) * idf(t) for t, c in counts.items()
               if c >= MIN_PHRASE_COUNT or t in title_terms}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:ARTICLE_TERMS]
    heaviest = top[0][1] if top and top[0][1] > 0 else 1.0
    terms = {t: round(w / heaviest, 3) for t, w in top if w > 0}

    ranked = []
    for key, forms in phrase_counts(article).items():
        count = sum(forms.values())
        if count < MIN_PHRASE_COUNT:
            continue
        words = key.split()
        score = (1 + math.log(count)) * (idf(key) if len(words) == 2 else sum(map(idf, words)) / len(words))
        ranked.append((score, len(words), key, forms.most_common(1)[0][0]))
    ranked.sort(key=lambda r: (-r[0], r[1], r[2]))
    phrases: list[str] = []
    phrase_terms: dict[str, list[str]] = {}
    for _, _, key, written in ranked:
        if any(written in p or p in written for p in phrases):
            continue  # "protein smoothie recipes" adds nothing to "protein smoothie" for a search
        phrases.append(written)
        words = key.split()
        phrase_terms[written] = [" ".join(words[:2]), *words] if len(words) >= 2 else words
        if len(phrases) >= ARTICLE_PHRASES:
            break
    own = bm25(dict(counts), max(article.words, 1), terms)
    return ArticleProfile(url=article.url, title=article.title, terms=terms, phrases=phrases,
                          phrase_terms=phrase_terms, words=article.words,
                          background=f"general English and {niche.pages} of the niche's pages in the database"
                          if niche else "general English",
                          self_score=round(own, 4))


def page_fit(terms: Mapping[str, int], words: int, profile: ArticleProfile) -> float:
    """0..1: BM25 of a page's terms against the article's, over the article's own score."""
    if not terms or not profile.terms or profile.self_score <= 0:
        return 0.0
    return round(min(1.0, bm25(dict(terms), max(words, 1), profile.terms) / profile.self_score), 3)


@dataclass(frozen=True)
class SiteFit:
    """A site's best page for one article."""

    article_url: str
    fit: float
    page_url: str
    page_kind: str  # "resources page", "roundup" or "page"
    topic: str  # the article's phrase the page carries most, or the page's title

    @property
    def why(self) -> str:
        return f"{self.page_kind} on '{self.topic}' (fit {self.fit:.2f})"


def site_fit(pages: Iterable[Mapping[str, Any]], profile: ArticleProfile) -> SiteFit | None:
    """The site's fit for ``profile``: its best roundup or resources page, or its best page when none
    fits at all. ``pages`` carry ``url``, ``terms`` (a dict), ``words``, ``kinds`` and ``title``, as the store
    keeps them."""
    readable = [p for p in pages if (p.get("words") or 0) >= MIN_FIT_WORDS and p.get("terms")]
    curated = [p for p in readable if _kind(p) != "page"]
    # A site's roundups and resources pages are where a link would go; its other pages speak for it when
    # it has none, or none that shares a term with the article.
    return _best(curated, profile) or _best(readable, profile)


def _best(pages: list[Mapping[str, Any]], profile: ArticleProfile) -> SiteFit | None:
    best: SiteFit | None = None
    for page in pages:
        fit = page_fit(page["terms"], page["words"], profile)
        if fit > 0 and (best is None or fit > best.fit):
            best = SiteFit(profile.url, fit, page["url"], _kind(page),
                           _topic(page["terms"], profile) or page.get("title") or "")
    return best


def _kind(page: Mapping[str, Any]) -> str:
    kinds = set((page.get("kinds") or "").split(","))
    return next((label for k, label in PAGE_KINDS.items() if k in kinds), "page")


def _topic(terms: Mapping[str, int], profile: ArticleProfile) -> str:
    """The article's phrase this page uses most (by the counts of its terms)."""
    scored = [(sum(terms.get(t, 0) for t in profile.phrase_terms.get(p, [])), -i, p)
              for i, p in enumerate(profile.phrases)]
    scored = [s for s in scored if s[0] > 0]
    return max(scored)[2] if scored else ""
