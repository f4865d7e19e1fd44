"""What a page is about, as a small bag of stemmed terms (for niche relevance).

Only the main content counts — title and meta description, headings, the text
outside navigation, header, footer, sidebars and comments, and the post's own
tags/categories — so a keyword in a site-wide footer never makes a page
"about" it. Kept small: the commonest terms only (``TERMS_PER_PAGE``), which
is what the database stores per page instead of the page itself.
"""

from __future__ import annotations

from linkspider.score.relevance import term_counts, top_terms

from .html import Page


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
