"""Reports of a :class:`Result`: JSON (schema in ``docs/counting.md``), plain text, and HTML with an
SVG chart of where each stage's votes went (no JavaScript, so it reads anywhere and archives well).

Numbers are decimal strings (RFC 8785 canonical JSON in the record forbids floats) and candidates
are numbered from 1 in file order, as in BLT files.
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from typing import Any

from ._fixed import fmt
from .result import Result, Stage

SCHEMA = "smolny-count/1"


def describe(result: Result, stage: Stage) -> str:
    a = stage.action
    names = ", ".join(result.candidates[c] for c in a.candidates)
    return {
        "first-preferences": "First preferences",
        "surplus": f"Surplus of {names}",
        "exclusion": f"Exclusion of {names}",
        "iteration": "Iteration after election",
        "round": "Round",
        "tally": "Tally",
        "seat": f"Seat to {names}",
    }.get(a.kind, a.kind) + (f" ({a.note})" if a.note and a.kind not in ("seat",) else "")


def to_json_obj(result: Result) -> dict[str, Any]:
    def nums(cs: tuple[int, ...]) -> list[int]:
        return [c + 1 for c in cs]

    stages = []
    for st in result.stages:
        stages.append(
            {
                "stage": st.number,
                "action": {
                    "kind": st.action.kind,
                    "candidates": nums(st.action.candidates),
                    "text": describe(result, st),
                },
                "totals": {str(c + 1): fmt(v) for c, v in enumerate(st.totals)},
                "non_transferable": fmt(st.non_transferable),
                "loss": fmt(st.loss),
                "elected": nums(st.elected),
                "excluded": nums(st.excluded),
                "quota": None if st.quota is None else fmt(st.quota),
                "extra": dict(st.extra),
            }
        )
    return {
        "schema": SCHEMA,
        "method": result.method,
        "seats": result.seats,
        "title": result.title,
        "candidates": list(result.candidates),
        "withdrawn": nums(result.withdrawn),
        "valid_poll": fmt(result.valid_poll),
        "invalid": result.invalid,
        "quota": None if result.quota is None else fmt(result.quota),
        "seed": str(result.seed),
        "options": dict(result.options),
        "elected": nums(result.elected),
        "stages": stages,
        "tie_breaks": [
            {
                "stage": t.stage,
                "purpose": t.purpose,
                "tied": nums(t.tied),
                "chosen": t.chosen + 1,
                "how": t.how,
                "decided_at": t.decided_at,
            }
            for t in result.tie_breaks
        ],
    }


def to_json(result: Result) -> str:
    return json.dumps(to_json_obj(result), ensure_ascii=False, indent=2) + "\n"


def to_text(result: Result) -> str:
    lines = [
        f"{result.title or 'Count'} — {result.method}, {result.seats} seat(s)",
        f"Valid poll: {fmt(result.valid_poll)}"
        + (f"   Quota: {fmt(result.quota)}" if result.quota is not None else "")
        + f"   Seed: {result.seed}",
        "",
    ]
    width = max(len(n) for n in result.candidates) + 5
    for st in result.stages:
        lines.append(f"Stage {st.number}: {describe(result, st)}")
        for c, v in enumerate(st.totals):
            mark = ""
            if c in st.elected:
                mark = "  elected"
            elif c in st.excluded:
                mark = "  excluded"
            lines.append(f"  {c + 1:>3} {result.candidates[c]:<{width}} {fmt(v):>16}{mark}")
        lines.append(f"      {'Non-transferable':<{width}} {fmt(st.non_transferable):>16}")
        if st.loss:
            lines.append(f"      {'Lost to rounding':<{width}} {fmt(st.loss):>16}")
        lines.append("")
    for t in result.tie_breaks:
        tied = ", ".join(str(c + 1) for c in t.tied)
        how = f"stage {t.decided_at}" if t.how == "earlier-stage" else f"lot (seed {result.seed})"
        lines.append(f"Tie at stage {t.stage} ({t.purpose}) among {tied}: {t.chosen + 1} by {how}")
    lines.append("Elected: " + "; ".join(f"{c + 1} {result.candidates[c]}" for c in result.elected))
    return "\n".join(lines) + "\n"


_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
)


def _chart(result: Result) -> str:
    """One bar per stage after the first: what each candidate and the exhausted pile gained."""
    e = html.escape
    rows: list[tuple[str, list[tuple[str, str, Decimal]]]] = []
    prev = None
    for st in result.stages:
        if prev is not None:
            segs: list[tuple[str, str, Decimal]] = []
            for c, v in enumerate(st.totals):
                d = v - prev.totals[c]
                if d > 0:
                    segs.append((result.candidates[c], _PALETTE[c % len(_PALETTE)], d))
            nt = st.non_transferable - prev.non_transferable
            if nt > 0:
                segs.append(("Non-transferable", "#cccccc", nt))
            loss = st.loss - prev.loss
            if loss > 0:
                segs.append(("Lost to rounding", "#000000", loss))
            rows.append((f"Stage {st.number}: {describe(result, st)}", segs))
        prev = st
    if not rows:
        return ""
    biggest = max((sum((s[2] for s in segs), Decimal(0)) for _, segs in rows), default=Decimal(1))
    biggest = biggest or Decimal(1)
    label_w, bar_w, row_h = 430, 520, 28
    height = row_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 110}" '
        f'height="{height}" role="img" aria-label="Where each stage\'s votes went">'
    ]
    for i, (label, segs) in enumerate(rows):
        y = 5 + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="12">{e(label)}</text>'
        )
        x = Decimal(label_w)
        for name, colour, amount in segs:
            w = amount / biggest * bar_w
            parts.append(
                f'<rect x="{x:.2f}" y="{y + 4}" width="{max(w, Decimal("0.5")):.2f}" height="{row_h - 8}" '
                f'fill="{colour}"><title>{e(name)}: {e(fmt(amount))}</title></rect>'
            )
            x += w
        moved = sum((amount for _, _, amount in segs), Decimal(0))
        parts.append(f'<text x="{x + 6:.2f}" y="{y + 17}" font-size="11">{e(fmt(moved))}</text>')
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="sw" style="background:{_PALETTE[c % len(_PALETTE)]}"></span>'
        f"{c + 1} {e(n)}</li>"
        for c, n in enumerate(result.candidates)
    )
    legend += '<li><span class="sw" style="background:#cccccc"></span>Non-transferable</li>'
    return (
        "<figure>"
        + "".join(parts)
        + f'<figcaption><ul class="legend">{legend}</ul>'
        + (
            "Each bar shows the votes transferred at that stage, by the candidate that received them."
            "</figcaption></figure>"
        )
    )


def to_html(result: Result) -> str:
    e = html.escape
    head = "".join(f"<th scope='col'>{st.number}</th>" for st in result.stages)
    acts = "".join(f"<td>{e(describe(result, st))}</td>" for st in result.stages)
    body = []
    for c, name in enumerate(result.candidates):
        cells = []
        for st in result.stages:
            cls = ' class="el"' if c in st.elected else (' class="ex"' if c in st.excluded else "")
            cells.append(f"<td{cls}>{e(fmt(st.totals[c]))}</td>")
        tag = " ✔" if c in result.elected else ""
        body.append(f"<tr><th scope='row'>{c + 1} {e(name)}{tag}</th>{''.join(cells)}</tr>")
    nt = "".join(f"<td>{e(fmt(st.non_transferable))}</td>" for st in result.stages)
    loss = "".join(f"<td>{e(fmt(st.loss))}</td>" for st in result.stages)
    elected = "".join(f"<li>{c + 1} {e(result.candidates[c])}</li>" for c in result.elected)
    ties = "".join(
        f"<li>Stage {t.stage}, {e(t.purpose)}: tied {', '.join(str(c + 1) for c in t.tied)}; "
        f"chosen {t.chosen + 1} by "
        + (f"stage {t.decided_at}" if t.how == "earlier-stage" else f"lot (seed {result.seed})")
        + "</li>"
        for t in result.tie_breaks
    )
    quota = f" · Quota {e(fmt(result.quota))}" if result.quota is not None else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(result.title or "Count")} — {e(result.method)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5rem}}
table{{border-collapse:collapse;font-variant-numeric:tabular-nums}}
td,th{{border:1px solid #bbb;padding:.2rem .4rem;text-align:right}}
th[scope=row]{{text-align:left}} td.el{{background:#d9f2d9}} td.ex{{background:#f2d9d9}}
.legend{{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}}
.sw{{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}}
</style></head><body>
<h1>{e(result.title or "Count")}</h1>
<p>{e(result.method)} · {result.seats} seat(s) · Valid poll {e(fmt(result.valid_poll))}{quota}
· Seed {result.seed}</p>
<h2>Elected</h2><ol>{elected}</ol>
<h2>Stages</h2>
<table><thead><tr><th scope="col">Stage</th>{head}</tr>
<tr><th scope="row">Action</th>{acts}</tr></thead>
<tbody>{"".join(body)}
<tr><th scope="row">Non-transferable</th>{nt}</tr>
<tr><th scope="row">Lost to rounding</th>{loss}</tr></tbody></table>
{"<h2>Ties</h2><ul>" + ties + "</ul>" if ties else ""}
<h2>Where the votes went</h2>
{_chart(result)}
</body></html>
"""
