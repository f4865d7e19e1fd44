"""An article of the user's, read as text: its title, its main content in blocks, and its phrases as written.

The article spider (``linkspider/crawl/spiders/article.py``) hands it a page it
fetched (:func:`read_article`) or a draft from a file (:func:`read_draft`:
HTML, Markdown or plain text). What the article is *about* is decided in
``linkspider/score/article.py``, against a background; this module only
reads. The text is kept in blocks (paragraphs, list items, headings of the
main content: navigation, footers and sidebars left out, as for every page),
so that a phrase never runs across two of them, and terms are counted with
the same :func:`linkspider.extract.terms.term_counts` as every crawled page,
so an article and a page speak the same terms.

Phrases are runs of two or three content words written next to each other
(no stop word, number or punctuation between them): "protein smoothies",
"greek yogurt", "frozen banana". Search engines match a quoted phrase as
written, so each is kept with the form it is most often written in.

Pure: no Scrapy, no database.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .html import clean_text, parse
from .terms import term_counts, tokens

_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "blockquote", "td", "dd", "dt", "figcaption")
_WORD = re.compile(r"[a-zà-öø-ÿß0-9]+(?:['’][a-z]+)?", re.I)
# What may stand between two words of one phrase: spaces and hyphens ("high-protein smoothies").
_JOINER = re.compile(r"[\s\-‐–]*")
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_LOOKS_HTML = re.compile(r"<(?:html|body|p|div|h1|article)\b", re.I)


@dataclass
class ArticleText:
    """One article as text."""

    url: str  # where it lives ("" for a draft)
    title: str
    headings: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # body text: paragraphs, list items, table cells

    @property
    def words(self) -> int:
        return sum(len(tokens(b)) for b in self.blocks)

    def weighted_texts(self) -> list[tuple[str, int]]:
        """The article as :func:`term_counts` reads a page: title x3, headings x2, body x1."""
        return [(self.title, 3), (" ".join(self.headings), 2), *((b, 1) for b in self.blocks)]

    def term_counts(self) -> Counter[str]:
        counts, _ = term_counts(self.weighted_texts())
        return counts


def read_article(html: str, url: str) -> ArticleText:
    """The title, headings and body blocks of an article page's main content."""
    page = parse(html, url)
    title = page.all_h1[0] if page.all_h1 else page.title
    root = page.main_root
    headings: list[str] = []
    blocks: list[str] = []
    if root is not None:
        for el in root.iter(*_BLOCKS):
            if el.getparent() is not None and any(a.tag in _BLOCKS for a in el.iterancestors()):
                continue  # a paragraph inside a list item: read once, with its item
            text = clean_text(" ".join(el.itertext()))
            if not text:
                continue
            (headings if el.tag in ("h1", "h2", "h3", "h4") else blocks).append(text)
    if not blocks and page.main_text:
        blocks = [page.main_text]
    headings = [h for h in headings if h != title]
    return ArticleText(url=url, title=title, headings=headings, blocks=blocks)


def read_draft(text: str, name: str = "") -> ArticleText:
    """A draft not yet published: HTML, or Markdown / plain text (first line or ``# heading`` = title)."""
    if _LOOKS_HTML.search(text[:5000]):
        return read_article(text, "")
    title, headings, blocks = "", [], []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        for line in lines:
            if _MARKDOWN_HEADING.match(line):
                heading = clean_text(_MARKDOWN_HEADING.sub("", line))
                if not title:
                    title = heading
                else:
                    headings.append(heading)
                lines = [x for x in lines if x != line]
        if not title and lines:
            title, lines = lines[0], lines[1:]
        if lines:
            blocks.append(clean_text(" ".join(re.sub(r"^[-*+]\s+|^\d+[.)]\s+", "", x) for x in lines)))
    return ArticleText(url="", title=title or name, headings=headings, blocks=blocks)


def phrase_counts(article: ArticleText) -> dict[str, Counter[str]]:
    """Stemmed 2- and 3-word phrase -> the written forms it occurs in (lower-cased), counted with the
    title's occurrences x3 and the headings' x2, as :func:`term_counts` weighs them."""
    out: dict[str, Counter[str]] = {}
    texts = [(article.title, 3), *((h, 2) for h in article.headings), *((b, 1) for b in article.blocks)]
    for text, weight in texts:  # each heading on its own: a phrase never runs from one into the next
        for run in _runs(text):
            for n in (2, 3):
                for i in range(len(run) - n + 1):
                    gram = run[i:i + n]
                    key = " ".join(stem for _, stem in gram)
                    out.setdefault(key, Counter())[" ".join(word for word, _ in gram)] += weight
    return out


def _runs(text: str) -> list[list[tuple[str, str]]]:
    """Runs of consecutive content words as ``(written, stem)``; a stop word, a number or punctuation
    between two words ends a run."""
    runs: list[list[tuple[str, str]]] = []
    run: list[tuple[str, str]] = []
    end = 0
    for match in _WORD.finditer(text):
        gap = text[end:match.start()]
        end = match.end()
        word = match.group().lower()
        stems = tokens(word)
        if not stems or (run and not _JOINER.fullmatch(gap)):
            if len(run) >= 2:
                runs.append(run)
            run = []
        if stems and not word.isdigit():
            run.append((word, stems[0]))
    if len(run) >= 2:
        runs.append(run)
    return runs
