"""Footprint queries: search-operator templates per prospect kind.

A *footprint* is the text a kind of page leaves behind: a write-for-us page says
"write for us" and often has ``write-for-us`` in its URL; a roundup says "link
roundup" in its title. Crossed with a niche's keywords, footprints become the
queries the search spiders send (``fitness "write for us"``).

Packs live in ``<seeds>/footprints/<kind>.toml``; three ship with linkspider
(``guestposts``, ``roundups``, ``resources``) and users extend them::

    # seeds/footprints/guestposts.toml (or any other *.toml in that folder)
    kind = "guestposts"                  # optional: defaults to the file name
    templates = [
        '{kw} "write for us"',           # {kw} = the niche keyword
        '{kw} inurl:write-for-us',
        'intitle:"guest post" {kw}',
    ]

    # any *.toml in seeds/footprints/, or a niche profile (seeds/<niche>.toml):
    [footprints]
    guestposts = ['{kw} "pitch your story"']
    roundups = ['{kw} "five things friday"']

Rules, each checked at load time with an error naming the file and template:

- ``{kw}`` is the only placeholder. A multi-word keyword is quoted for you
  (``"strength training"``) unless the template already puts ``{kw}`` inside
  quotes. A template without ``{kw}`` gets the keyword appended, so every
  query stays in the niche.
- Operators: ``"exact phrase"``, ``intitle:``, ``inurl:``, ``intext:``,
  ``site:``, ``filetype:``, ``-term`` (exclude), ``OR``. A backend that does not
  understand one gets the query *rewritten* (``inurl:write-for-us`` ->
  ``"write for us"``, ``intitle:"guest post"`` -> ``"guest post"``) or the
  operator *dropped* (``-site:x``, ``filetype:pdf``) instead of being sent junk
  it would search for literally.
- Your own templates come first: those passed as ``extra_templates`` (a niche
  profile's ``[footprints]``), then other files in ``footprints/`` in name
  order, then the shipped pack. Under a query cap the first templates win.
- Duplicates (same terms in any order or case, also after rewriting) are sent once.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

logger = logging.getLogger(__name__)

#: The shipped packs, in the order a spider would use them.
KINDS = ("guestposts", "roundups", "resources")

#: Every operator name a backend can declare in its ``operators`` set.
ALL_OPERATORS = frozenset({"quotes", "minus", "or", "site", "intitle", "inurl", "intext", "filetype"})

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"

# Operators as written in a query -> the capability name that covers them.
_FIELD_OPERATORS = {
    "intitle": "intitle", "allintitle": "intitle",
    "inurl": "inurl", "allinurl": "inurl",
    "intext": "intext", "allintext": "intext", "inbody": "intext",
}
_FILTER_OPERATORS = {"site": "site", "filetype": "filetype", "ext": "filetype"}
_KNOWN_OPERATORS = {**_FIELD_OPERATORS, **_FILTER_OPERATORS}

_TOKEN_RE = re.compile(r'(?P<sign>[-+])?(?:(?P<op>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))')
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_URL_EXTENSION_RE = re.compile(r"\.(?:html?|php|aspx?|jsp)$", re.I)
_KW = "{kw}"


class FootprintError(ValueError):
    """A footprint file or template that cannot be used (the message names which)."""


# ------------------------------------------------------------------ loading


def available_kinds(seeds_dir: str | Path | None = None) -> list[str]:
    """Kinds that have footprints in ``<seeds_dir>/footprints`` (file names and ``[footprints]`` keys)."""
    folder = _folder(seeds_dir)
    kinds: set[str] = set()
    for path in sorted(folder.glob("*.toml")):
        data = _read_toml(path)
        if "templates" in data:
            kinds.add(str(data.get("kind", path.stem)))
        section = data.get("footprints")
        if isinstance(section, Mapping):
            kinds.update(str(k) for k in section)
    return sorted(kinds)


def load_footprints(seeds_dir: str | Path | None, kind: str) -> list[str]:
    """All templates for ``kind``: other files in ``footprints/`` first (name order), then ``<kind>.toml``.

    Raises :class:`FootprintError` naming the file and the problem for a bad
    file, and naming the available kinds for an unknown one.
    """
    folder = _folder(seeds_dir)
    if not folder.is_dir():
        raise FootprintError(f"no footprint folder {folder} (expected {folder}/{kind}.toml)")
    pack = folder / f"{kind}.toml"
    others = [p for p in sorted(folder.glob("*.toml")) if p != pack]
    templates: list[str] = []
    for path in [*others, pack]:
        if path.is_file():
            templates.extend(_templates_in(_read_toml(path), path, kind, is_pack=path == pack))
    if not templates:
        known = ", ".join(available_kinds(folder.parent)) or "none"
        raise FootprintError(f"no footprints for kind {kind!r} in {folder} (available kinds: {known})")
    return _unique(templates)


def niche_footprints(profile_path: str | Path, kind: str) -> list[str]:
    """The ``[footprints]`` templates of a niche profile for ``kind`` (pass them as ``extra_templates``)."""
    path = Path(profile_path)
    data = _read_toml(path)
    section = data.get("footprints")
    if section is None:
        return []
    if not isinstance(section, Mapping):
        raise FootprintError(f"{path}: [footprints] must be a table of kind = [templates]")
    return _checked_list(section.get(kind, []), path, f"footprints.{kind}")


def check_template(template: str, where: str = "template") -> str:
    """Validate one template and return it normalised (single spaces, ``{kw}`` present).

    ``where`` prefixes the error message (``"seeds/footprints/x.toml: template 3"``).
    """
    if not isinstance(template, str):
        raise FootprintError(f"{where}: must be a string, not {type(template).__name__}")
    text = " ".join(template.split())
    if not text:
        raise FootprintError(f"{where}: empty template")
    for name in _PLACEHOLDER_RE.findall(text):
        if name != "kw":
            raise FootprintError(f"{where} {template!r}: unknown placeholder {{{name}}} (the only one is {{kw}})")
    if text.replace(_KW, "").count("{") or text.replace(_KW, "").count("}"):
        raise FootprintError(f"{where} {template!r}: stray brace (the only placeholder is {{kw}})")
    if text.count('"') % 2:
        raise FootprintError(f"{where} {template!r}: unbalanced double quote")
    if _KW not in text:
        text = f"{text} {_KW}"
    if not _has_footprint(_tokens(text)):
        raise FootprintError(f"{where} {template!r}: nothing to search for besides {{kw}}")
    return text


def _folder(seeds_dir: str | Path | None) -> Path:
    return Path(seeds_dir if seeds_dir is not None else DEFAULT_SEEDS_DIR) / "footprints"


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FootprintError(f"cannot read footprint file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise FootprintError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FootprintError(f"{path}: not valid TOML: {exc}") from exc


def _templates_in(data: dict, path: Path, kind: str, *, is_pack: bool) -> list[str]:
    found: list[str] = []
    file_kind = str(data.get("kind", path.stem))
    if "templates" in data:
        if file_kind == kind:
            found.extend(_checked_list(data["templates"], path, "templates"))
        elif is_pack:
            raise FootprintError(f"{path}: says kind = {file_kind!r} but is named after {kind!r}")
    elif is_pack and "footprints" not in data:
        raise FootprintError(f"{path}: no 'templates' list (expected templates = ['{{kw}} \"write for us\"', ...])")
    section = data.get("footprints")
    if section is not None:
        if not isinstance(section, Mapping):
            raise FootprintError(f"{path}: [footprints] must be a table of kind = [templates]")
        found.extend(_checked_list(section.get(kind, []), path, f"footprints.{kind}"))
    return found


def _checked_list(value: object, path: Path, key: str) -> list[str]:
    if not isinstance(value, list):
        raise FootprintError(f"{path}: '{key}' must be a list of strings, not {type(value).__name__}")
    return [check_template(item, f"{path}: {key} item {number}") for number, item in enumerate(value, start=1)]


def _unique(templates: Iterable[str]) -> list[str]:
    seen: set[tuple[str, ...]] = set()
    out: list[str] = []
    for template in templates:
        key = _dedupe_key(template)
        if key not in seen:
            seen.add(key)
            out.append(template)
    return out


# ---------------------------------------------------------------- building


def build_queries(
    kind: str,
    keywords: list[str] | Mapping[str, float],
    *,
    max_queries: int | None = None,
    operators: Iterable[str] = ALL_OPERATORS,
    extra_templates: Iterable[str] | None = None,
    seeds_dir: str | Path | None = None,
) -> list[str]:
    """The queries for ``kind`` x ``keywords``, best first, at most ``max_queries``.

    ``keywords`` is a list (in priority order) or a ``{keyword: weight}`` dict
    (heavier first, ties in given order). ``operators`` is what the backend
    understands (``backend.operators``); anything else is rewritten or dropped.

    Order: the (template, keyword) grid is walked by anti-diagonals: rank
    ``t + k``, so the top template with the top keyword comes first, then the
    top template with keyword 2 and template 2 with the top keyword, and so on.
    Why: a cap cut by "all templates for keyword 1 first" would search a single
    topic, and "template 1 for every keyword first" a single footprint; the
    two kinds of repetition give overlapping results (the same write-for-us
    pages match "write for us" and "guest post guidelines"; the same niche
    sites match "running" and "jogging"), so spreading over both dimensions
    finds the most distinct sites per query sent.
    """
    ops = {op.lower() for op in operators}
    if max_queries is not None and max_queries <= 0:
        return []
    templates = _unique([check_template(t, "extra template") for t in (extra_templates or [])]
                        + load_footprints(seeds_dir, kind))
    ranked_keywords = _ranked_keywords(keywords)
    usable: list[str] = []
    for template in templates:
        rewritten = rewrite_query(template, ops)
        if rewritten is None:
            logger.debug("footprint %r dropped: nothing left for operators %s", template, sorted(ops))
        else:
            usable.append(rewritten)
    usable = _unique(usable)

    pairs = sorted(((t, k) for t in range(len(usable)) for k in range(len(ranked_keywords))),
                   key=lambda tk: (tk[0] + tk[1], tk[1]))
    queries: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for t, k in pairs:
        query = fill_template(usable[t], ranked_keywords[k], quotes="quotes" in ops)
        key = _dedupe_key(query)
        if key in seen:
            continue
        seen.add(key)
        queries.append(query)
        if max_queries is not None and len(queries) >= max_queries:
            break
    return queries


def fill_template(template: str, keyword: str, *, quotes: bool = True) -> str:
    """Put ``keyword`` in place of ``{kw}``, quoting a multi-word keyword outside quotes."""
    out: list[str] = []
    rest = template
    while _KW in rest:
        before, _, rest = rest.partition(_KW)
        out.append(before)
        inside_quotes = "".join(out).count('"') % 2 == 1
        if " " in keyword and quotes and not inside_quotes:
            out.append(f'"{keyword}"')
        else:
            out.append(keyword)
    out.append(rest)
    return " ".join("".join(out).split())


def rewrite_query(query: str, operators: Iterable[str]) -> str | None:
    """``query`` in terms the backend understands, or ``None`` when no footprint is left.

    Unsupported field operators become phrases (``inurl:write-for-us`` ->
    ``"write for us"``); unsupported filters and exclusions are dropped, since
    sending them would search for their text instead.
    """
    ops = {op.lower() for op in operators}
    kept: list[str] = []
    for sign, op, phrase, word in _tokens(query):
        text = _rewrite_token(sign, op, phrase, word, ops)
        if text:
            kept.append(text)
    result = " ".join(kept)
    return result if _has_footprint(_tokens(result)) else None


def _rewrite_token(sign: str, op: str, phrase: str | None, word: str | None, ops: set[str]) -> str:
    value = phrase if phrase is not None else word or ""
    negative = sign == "-"
    if negative and "minus" not in ops:
        return ""  # "-x" would search for x; an exclusion we cannot express is dropped
    prefix = "-" if negative else ""
    if op:
        capability = _KNOWN_OPERATORS[op]
        if capability in ops and (phrase is None or "quotes" in ops or " " not in value):
            return f"{prefix}{op}:{_quote(value, phrase is not None)}"
        if negative or capability not in _FIELD_OPERATORS.values():
            return ""  # -inurl:x, site:, filetype: have no plain-text equivalent
        if capability == "inurl":  # write-for-us -> "write for us"
            value = " ".join(re.split(r"[\-_/.+]+", _URL_EXTENSION_RE.sub("", value)))
        return _phrase(value, "quotes" in ops)
    if phrase is not None:
        if negative and "quotes" not in ops and " " in phrase.strip():
            return ""
        return prefix + _phrase(phrase, "quotes" in ops)
    if word == "OR":
        return "OR" if "or" in ops else ""
    return prefix + (word or "")


def _quote(value: str, was_phrase: bool) -> str:
    return f'"{value}"' if was_phrase else value


def _phrase(text: str, quotes: bool) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    return f'"{text}"' if quotes and " " in text else text


def _tokens(query: str) -> list[tuple[str, str, str | None, str | None]]:
    """``(sign, operator, phrase, word)`` per token; unknown ``x:`` prefixes stay part of the word."""
    tokens = []
    for match in _TOKEN_RE.finditer(query):
        sign, op, phrase, word = match.group("sign") or "", (match.group("op") or "").lower(), match["phrase"], match["word"]
        if op and op not in _KNOWN_OPERATORS:
            raw = match.group(0)[len(sign):]
            op, phrase, word = "", None, raw
        if sign == "+" and not op:
            sign = ""
        tokens.append((sign, op, phrase, word))
    return tokens


def _has_footprint(tokens: list[tuple[str, str, str | None, str | None]]) -> bool:
    """True when something positive besides the bare keyword is searched for."""
    for sign, op, phrase, word in tokens:
        if sign == "-" or word == "OR":
            continue
        if op or (phrase is not None and phrase.strip() and phrase.strip() != _KW) or (word and word != _KW):
            return True
    return False


def _dedupe_key(query: str) -> tuple[str, ...]:
    """Same terms in any order or case are one query (engines ignore both)."""
    parts = []
    for sign, op, phrase, word in _tokens(query.lower()):
        value = f'"{" ".join(phrase.split())}"' if phrase is not None else word or ""
        parts.append(f"{sign}{op}:{value}" if op else f"{sign}{value}")
    return tuple(sorted(parts))


def _ranked_keywords(keywords: list[str] | Mapping[str, float]) -> list[str]:
    if isinstance(keywords, Mapping):
        order = sorted(enumerate(keywords.items()), key=lambda item: (-float(item[1][1]), item[0]))
        raw = [kw for _, (kw, _) in order]
    else:
        raw = list(keywords)
    out: list[str] = []
    for keyword in raw:
        clean = " ".join(str(keyword).replace('"', " ").split())
        if clean and clean.lower() not in (k.lower() for k in out):
            out.append(clean)
    if not out:
        raise FootprintError("no keywords to combine with the footprints (the niche profile's 'keywords')")
    return out
