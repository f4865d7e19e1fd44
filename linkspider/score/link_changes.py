"""Changes, not states: a placed link's newest check judged against its history.

A link builder checking a hundred links a month wants to read what changed —
lost, turned ``nofollow``, anchor rewritten, page moved, ``noindex``ed or
deleted, or back again — not a hundred "still there". So each check gets a
*status* and the *changes* since the last check that said something:

- ``status``: ``live`` (the link is on the page, whatever its rel), ``lost``
  (the page is read and the link is not on it, the page is gone with HTTP
  404/410, or the page could not be read twice in a row), ``unsure`` (one
  failed check: a timeout, a 5xx, a DNS or connection failure), ``unchecked``
  (robots.txt or a safety rule keeps linkspider out; says nothing of the link).
- A failed check never makes a link lost on its own: the web has bad minutes.
  A second failed check in a row does. A check after an ``unsure`` that finds
  the link as before reports nothing.
- Changes are compared with the last check that read the page (or found it
  gone); the first check of a link is compared with what a placed link should
  be (on the page, followed, the page answering at its own address, indexable),
  so a link that was never there or is ``nofollow`` from the start is reported too.

Pure: dicts in (the store's check rows), status and change dicts out.
"""

from __future__ import annotations

from typing import Any

from linkspider.extract.competitor_links import page_key

STATUSES = ("new", "live", "unsure", "lost", "unchecked")
RELS = ("follow", "nofollow", "sponsored", "ugc")
OUTCOMES = ("ok", "gone", "failed", "unchecked")

#: Every kind of change, with what it means (the README's "what each change means" follows this).
CHANGE_KINDS: dict[str, str] = {
    "lost": "the link is no longer on the page (or the page could not be read twice in a row)",
    "gone": "the page is gone (HTTP 404 or 410), and the link with it",
    "recovered": "a lost link is back on the page",
    "nofollow": "the link became nofollow",
    "sponsored": "the link became sponsored",
    "ugc": "the link became ugc",
    "followed": "the link is followed again",
    "anchor": "the anchor text changed",
    "target": "the link points at another page of your site",
    "redirected": "the page answers from another address (a redirect)",
    "noindexed": "the page asks search engines not to index it (meta robots or X-Robots-Tag)",
    "indexable": "the page no longer says noindex",
    "canonical": "the page's canonical URL names another page (or no longer does)",
    "js_only": "the link is now only in the page as a browser builds it (JavaScript)",
    "unsure": "the page could not be read (timeout, 5xx, DNS...); checked again next run, lost if it fails again",
    "unchecked": "robots.txt or a safety rule keeps linkspider from reading the page",
}


def _change(kind: str, before: Any, after: Any, detail: str = "") -> dict[str, str]:
    return {"kind": kind, "before": "" if before is None else str(before),
            "after": "" if after is None else str(after), "detail": detail}


def _words(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def status_of(check: dict[str, Any], previous: dict[str, Any] | None) -> str:
    """The status a check gives a link, ``previous`` being the last check that was not ``unchecked``."""
    outcome = check["outcome"]
    if outcome == "unchecked":
        return "unchecked"
    if outcome == "failed":
        if previous is not None and previous["status"] in ("unsure", "lost"):
            return "lost"  # a second failed check in a row (or the link was lost already)
        return "unsure"
    if outcome == "gone":
        return "lost"
    return "live" if check.get("found") else "lost"


def judge(history: list[dict[str, Any]], check: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    """``(status, changes)`` of ``check`` given the link's earlier checks, oldest first.

    A check is a dict with ``outcome`` (ok / gone / failed / unchecked),
    ``page_url`` (as placed), ``final_url``, ``http_status``, ``error``,
    ``found``, ``rel``, ``anchor``, ``link_url``, ``noindex``, ``canonical``,
    ``js_only``; earlier checks also have their ``status``.
    """
    read = [h for h in history if h["outcome"] != "unchecked"]
    previous = read[-1] if read else None
    status = status_of(check, previous)
    outcome = check["outcome"]

    if outcome == "unchecked":
        last = history[-1] if history else None
        if last is not None and last["outcome"] == "unchecked":
            return status, []
        return status, [_change("unchecked", last["status"] if last else "new", "unchecked", check.get("error", ""))]

    if outcome == "failed":
        before = previous["status"] if previous else "new"
        if status == "unsure":
            return status, [_change("unsure", before, "unsure", check.get("error", ""))]
        if before == "unsure":  # the second failure in a row: now it counts
            return status, [_change("lost", "unsure", "lost",
                                    f"could not be read twice in a row: {check.get('error', '')}")]
        return status, []  # lost already: a failure adds nothing

    # The page was read (or is gone): compare with the last check that read it, else with the ideal.
    base = next((h for h in reversed(read) if h["outcome"] in ("ok", "gone")), None)
    ideal = base is None
    base_status = "new" if ideal else base["status"]
    # What the user was last told: a link called lost after two failed checks is lost, even though
    # the last check that read the page found it.
    base_linked = previous is None or previous["status"] in ("live", "unsure")
    changes: list[dict[str, str]] = []
    if outcome == "gone":
        if base_linked:
            changes.append(_change("gone", base_status, f"HTTP {check.get('http_status')}"))
        return status, changes

    page_url = check["page_url"]
    before_final = page_url if ideal else (base.get("final_url") or page_url)
    final = check.get("final_url") or page_url
    if page_key(final) != page_key(before_final):
        changes.append(_change("redirected", before_final, final))
    before_noindex = "" if ideal else base.get("noindex") or ""
    now_noindex = check.get("noindex") or ""
    if now_noindex and not before_noindex:
        changes.append(_change("noindexed", "indexable", now_noindex))
    elif before_noindex and not now_noindex:
        changes.append(_change("indexable", before_noindex, "indexable"))
    before_canonical = "" if ideal else base.get("canonical") or ""
    now_canonical = check.get("canonical") or ""
    if page_key(now_canonical) != page_key(before_canonical):
        changes.append(_change("canonical", before_canonical, now_canonical))

    if not check.get("found"):
        if base_linked:
            where = f" (the page answered from {final})" if page_key(final) != page_key(page_url) else ""
            changes.append(_change("lost", base_status, "not on the page", f"the link is not on the page{where}"))
        return status, changes
    rel = check.get("rel") or "follow"
    if not base_linked:
        changes.append(_change("recovered", "lost", rel))
        return status, changes
    before_rel = "follow" if ideal else base.get("rel") or "follow"
    if rel != before_rel:
        changes.append(_change(rel if rel != "follow" else "followed", before_rel, rel))
    if not ideal:
        if _words(check.get("anchor")) != _words(base.get("anchor")):
            changes.append(_change("anchor", base.get("anchor"), check.get("anchor")))
        if base.get("link_url") and page_key(check.get("link_url") or "") != page_key(base["link_url"]):
            changes.append(_change("target", base["link_url"], check.get("link_url")))
        if check.get("js_only") and not base.get("js_only"):
            changes.append(_change("js_only", "in the page's HTML", "only in the JavaScript-built page"))
    return status, changes
