"""Charts for the browser UI as SVG drawn on the server: nothing to download, nothing from a CDN.

Three pictures a link builder looks at rather than reads: the outreach funnel
(sites per status, per niche), sites found per crawl over time, and how scores
spread. Each function takes plain numbers and returns one ``<svg>`` element as
markup; every label is escaped (niche names and crawl names come from the
database). Pure functions, so a test reads the SVG text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from linkspider.store.database import OUTREACH_STATUSES

# One colour per outreach status, kept in step with linkspider.css.
STATUS_COLOURS = {"new": "#8aa4c8", "contacted": "#f0b429", "replied": "#5cb85c", "won": "#2e7d32",
                  "rejected": "#c0392b", "blocked": "#555555"}
_BAR = "#4a6fa5"
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="linkspider-chart"><title>{escape(title)}</title>'
        + "".join(body) + "</svg>")


def funnel(rows: Sequence[dict[str, Any]], width: int = 640) -> Markup:
    """Stacked bars, one per niche: how many sites are new, contacted, replied, won, rejected, blocked.

    ``rows`` are ``Store.counts()["by_niche_status"]``: ``niche``, ``status``, ``sites``.
    """
    niches: dict[str, dict[str, int]] = {}
    for row in rows:
        niches.setdefault(row["niche"] or "-", {})[row["status"]] = int(row["sites"] or 0)
    label_w, bar_h, gap, top = 120, 22, 10, 30
    height = top + len(niches) * (bar_h + gap) + 10
    body = [f'<g {_FONT}>']
    x = label_w
    for status in OUTREACH_STATUSES:  # legend
        body.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{STATUS_COLOURS[status]}"/>'
                    f'<text x="{x + 16}" y="14">{status}</text>')
        x += 16 + 8 * len(status) + 14
    widest = max((sum(c.values()) for c in niches.values()), default=0) or 1
    scale = (width - label_w - 50) / widest
    for i, (niche, counts) in enumerate(sorted(niches.items())):
        y = top + i * (bar_h + gap)
        body.append(f'<text x="{label_w - 8}" y="{y + bar_h - 6}" text-anchor="end">{escape(niche[:18])}</text>')
        x = float(label_w)
        for status in OUTREACH_STATUSES:
            n = counts.get(status, 0)
            if not n:
                continue
            w = n * scale
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{STATUS_COLOURS[status]}">'
                        f'<title>{escape(niche)}: {n} {status}</title></rect>')
            if w > 22:
                body.append(f'<text x="{x + w / 2:.1f}" y="{y + bar_h - 6}" text-anchor="middle" fill="#fff">{n}</text>')
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + bar_h - 6}">{sum(counts.values())}</text>')
    if not niches:
        body.append(f'<text x="{label_w}" y="{top + 16}">no sites yet</text>')
    body.append("</g>")
    return _svg(width, height, "Prospects per outreach status, per niche", body)


def bars(labels: Sequence[str], values: Sequence[int], title: str, *, tips: Sequence[str] = (),
         width: int = 640, height: int = 200) -> Markup:
    """A column chart: one bar per label (labels under the bars, values over them)."""
    left, bottom, top = 10, 40, 20
    n = max(len(values), 1)
    slot = (width - left * 2) / n
    peak = max(values, default=0) or 1
    body = [f'<g {_FONT}>',
            f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="#999"/>']
    for i, (label, value) in enumerate(zip(labels, values)):
        h = (height - bottom - top) * value / peak
        x = left + i * slot
        tip = escape(tips[i] if i < len(tips) else f"{label}: {value}")
        body.append(f'<rect x="{x + slot * 0.15:.1f}" y="{height - bottom - h:.1f}" width="{slot * 0.7:.1f}" '
                    f'height="{h:.1f}" fill="{_BAR}"><title>{tip}</title></rect>')
        body.append(f'<text x="{x + slot / 2:.1f}" y="{height - bottom - h - 4:.1f}" text-anchor="middle">{value}</text>')
        body.append(f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                    f'{escape(label)}</text>')
    if not values:
        body.append(f'<text x="{left + 10}" y="{height / 2:.0f}">nothing yet</text>')
    body.append("</g>")
    return _svg(width, height, title, body)


def score_histogram(counts: Sequence[int]) -> Markup:
    """``Store.score_histogram()``: sites per score band 0-9 ... 90-100."""
    labels = [f"{10 * i}-{10 * i + 9}" if i < 9 else "90-100" for i in range(len(counts))]
    return bars(labels, counts, "Sites per score band",
                tips=[f"score {label}: {n} sites" for label, n in zip(labels, counts)])


def found_per_run(runs: Sequence[dict[str, Any]]) -> Markup:
    """``Store.found_per_run()``: new sites per crawl, oldest first, labelled by day (and spider, when few)."""
    labels = [str(r["started"] or "")[5:10] + (f" {r['spider']}" if len(runs) <= 8 else "") for r in runs]
    tips = [f"run {r['id']}: {r['spider']} {r['niche'] or ''} on {str(r['started'])[:16]}: {r['new_sites']} new sites"
            for r in runs]
    return bars(labels, [int(r["new_sites"] or 0) for r in runs], "Sites found per crawl", tips=tips)
