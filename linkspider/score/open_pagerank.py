"""Open PageRank's API: authority for the sites in the database, batched, each answer kept as a cache.

``GET {OPR_API_URL}/api/v1.0/getPageRank?domains[0]=a.com&domains[1]=b.com``
with the key in the ``API-OPR`` header answers up to 100 domains at a time::

    {"status_code": 200, "last_updated": "...", "response": [
      {"status_code": 200, "error": "", "page_rank_integer": 5, "page_rank_decimal": 4.61,
       "rank": "123456", "domain": "a.com"},
      {"status_code": 404, "error": "Domain not found", "page_rank_decimal": 0, "rank": null, "domain": "b.com"}]}

The one part of authority that goes on the network, called only by ``linkspider
authority import --opr``: the CLI stores each batch as it comes (so an answer
already paid for is never asked again within ``OPR_CACHE_DAYS``) and stops at
the first refusal with one line naming it. Requests go through
``http_proxy``/``https_proxy`` like every other linkspider request, and the key
is sent to ``OPR_API_URL`` only.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from linkspider.common.redact import redact, register_secret
from linkspider.score.authority import Figure, authority_from_pagerank

MAX_BATCH = 100  # the API's own limit per request


class OpenPageRankError(RuntimeError):
    """The API refused or failed; the message says what to do (and carries no key)."""


def fetch(domains: list[str], key: str, base_url: str, *, batch: int = MAX_BATCH,
          timeout: float = 30.0) -> Iterator[list[Figure]]:
    """One list of figures per batch of ``domains`` (a domain OPR does not know gets authority 0)."""
    if not key:
        raise OpenPageRankError("Open PageRank needs an API key: export OPR_API_KEY=... "
                                "(free at https://www.domcop.com/openpagerank/)")
    register_secret(key)
    batch = max(1, min(MAX_BATCH, batch))
    for start in range(0, len(domains), batch):
        chunk = domains[start:start + batch]
        query = urllib.parse.urlencode([(f"domains[{i}]", d) for i, d in enumerate(chunk)])
        url = f"{base_url.rstrip('/')}/api/v1.0/getPageRank?{query}"
        request = urllib.request.Request(url, headers={"API-OPR": key, "Accept": "application/json",
                                                       "User-Agent": "linkspider (authority import)"})
        yield _figures(_get(request, timeout), set(chunk))


def _get(request: urllib.request.Request, timeout: float) -> dict:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            body = reply.read(10 * 1024 * 1024)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise OpenPageRankError(f"Open PageRank refused the key (HTTP {exc.code}): check OPR_API_KEY") from None
        if exc.code == 429:
            raise OpenPageRankError("Open PageRank: too many requests (HTTP 429); the sites answered so far "
                                    "are stored, run the import again later for the rest") from None
        raise OpenPageRankError(f"Open PageRank answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OpenPageRankError(redact(f"cannot reach Open PageRank at {request.full_url.split('?')[0]}: "
                                       f"{reason}")) from None
    try:
        answer = json.loads(body)
        if not isinstance(answer, dict) or not isinstance(answer.get("response"), list):
            raise ValueError("no 'response' list")
        return answer
    except ValueError as exc:
        raise OpenPageRankError(f"Open PageRank sent an answer that is not its JSON ({exc})") from None


def _figures(answer: dict, asked: set[str]) -> list[Figure]:
    figures = []
    for entry in answer["response"]:
        if not isinstance(entry, dict) or str(entry.get("domain", "")).lower() not in asked:
            continue
        try:
            value = float(entry.get("page_rank_decimal") or 0)
            rank = int(entry["rank"]) if entry.get("rank") not in (None, "") else None
        except (TypeError, ValueError):
            continue
        figures.append(Figure(str(entry["domain"]).lower(), authority_from_pagerank(value), rank))
    return figures
