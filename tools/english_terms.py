"""Build ``linkspider/score/english_terms.tsv``: general-English frequencies of stemmed terms.

The article spider (``linkspider/score/article.py``) needs a background to
tell an article's distinctive words from everyday English when the database
holds too few of the niche's pages. This script derives that background from
the English word list of `wordfreq <https://github.com/rspeer/wordfreq>`_
(Robyn Speer; data under CC BY-SA 4.0, drawn from Wikipedia, SUBTLEX,
OpenSubtitles, Google Books Ngrams, Reddit, Twitter and other sources): the
``WORDS`` most frequent words of ``large_en``, each stemmed exactly as
linkspider stems page text (``linkspider.extract.terms.tokens``: stop words and
numbers dropped), their frequencies summed per stem and written as Zipf values
(log10 of occurrences per billion words), one decimal. The output file carries
the same licence and credits in its header.

wordfreq is not a dependency of linkspider; to rebuild the list, fetch its wheel
(and msgpack's) into a scratch folder and point this script at it::

    pip download --no-deps wordfreq==3.1.1 msgpack -d /tmp/wf
    cd /tmp/wf && unzip -oq 'wordfreq-*.whl' && unzip -oq 'msgpack-*.whl'
    PYTHONPATH=/tmp/wf python tools/english_terms.py /tmp/wf/wordfreq/data/large_en.msgpack.gz
"""

from __future__ import annotations

import gzip
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linkspider.extract.terms import tokens  # noqa: E402

WORDS = 50_000
OUT = ROOT / "linkspider" / "score" / "english_terms.tsv"
HEADER = """\
# General-English frequencies of stemmed terms, for linkspider's article research (linkspider/score/article.py).
# Derived by tools/english_terms.py from the top {words} words of wordfreq {version}'s large_en list
# (https://github.com/rspeer/wordfreq, Robyn Speer), stemmed like linkspider's page terms and summed per stem.
# Licence: CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/), as wordfreq's data. wordfreq's data
# draws on Wikipedia, SUBTLEX (Marc Brysbaert et al., freely available at
# http://crr.ugent.be/programs-data/subtitle-frequencies), OPUS OpenSubtitles 2018 (opensubtitles.org),
# Google Books Ngrams (http://books.google.com/ngrams), the Leeds Internet Corpus, ParaCrawl, Reddit and Twitter.
# Columns: stem <TAB> Zipf frequency (log10 of occurrences per billion words).
"""


def read_cbpack(path: str) -> list[list[str]]:
    import msgpack

    with gzip.open(path, "rb") as fh:
        data = msgpack.load(fh, raw=False)
    if data[0].get("format") != "cB":
        raise SystemExit(f"{path}: not a wordfreq cBpack file")
    return data[1:]


def main(path: str, version: str = "3.1.1") -> None:
    per_stem: dict[str, float] = {}
    taken = 0
    for centibels, words in enumerate(read_cbpack(path)):
        share = 10 ** (-centibels / 100)  # of all tokens
        for word in words:
            if taken >= WORDS:
                break
            taken += 1
            stems = tokens(word)
            if len(stems) == 1:
                per_stem[stems[0]] = per_stem.get(stems[0], 0.0) + share
        if taken >= WORDS:
            break
    rows = sorted(per_stem.items(), key=lambda kv: (-kv[1], kv[0]))
    with OUT.open("w", encoding="utf-8") as out:
        out.write(HEADER.format(words=WORDS, version=version))
        for stem, share in rows:
            out.write(f"{stem}\t{math.log10(share * 1e9):.1f}\n")
    print(f"{len(rows)} stems from {taken} words -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
