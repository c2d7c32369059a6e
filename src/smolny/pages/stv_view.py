"""The stages of an STV count as a table and an SVG chart, for the election page.

The chart is drawn on the server (no JavaScript): one band per stage, one bar per candidate,
the quota as a line, so a member sees where each stage's votes went.  The table beside it has
every figure, for screen readers and for checking by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

COLOURS = (
    "#1f4e79",
    "#8a1c1c",
    "#2e6b30",
    "#6b3e8a",
    "#8a5a00",
    "#00616b",
    "#5b5b5b",
    "#a23b72",
    "#3b5ba2",
    "#6b6b00",
    "#7a3000",
    "#2f2f6b",
)


def stage_table(result: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    candidates: list[str] = result.get("candidates", [])
    stages: list[dict[str, Any]] = result.get("stages", [])
    rows = []
    for number, cand in enumerate(candidates, start=1):
        rows.append(
            {
                "name": names.get(cand, cand),
                "totals": [s["totals"].get(str(number), "") for s in stages],
                "elected": cand in result.get("elected", []),
            }
        )
    # The count names candidates by member id; a member reads names.
    ids = sorted(candidates, key=len, reverse=True)
    readable = []
    for stage in stages:
        text = str(stage.get("action", {}).get("text", ""))
        for cand in ids:
            text = text.replace(cand, names.get(cand, cand))
        readable.append(stage | {"action": stage.get("action", {}) | {"text": text}})
    stages = readable
    return {
        "stages": stages,
        "rows": rows,
        "non_transferable": [s.get("non_transferable", "") for s in stages],
    }


def chart(result: dict[str, Any], names: dict[str, str]) -> SafeString:
    candidates: list[str] = result.get("candidates", [])
    stages: list[dict[str, Any]] = result.get("stages", [])
    if not stages or not candidates:
        return mark_safe("")
    quota = Decimal(result["quota"]) if result.get("quota") else None
    top = max([Decimal(v) for s in stages for v in s["totals"].values()] + [quota or Decimal(1)])
    top = top or Decimal(1)
    bar, gap, label_w, width = 14, 4, 150, 640
    band = len(candidates) * (bar + gap) + 28
    height = band * len(stages) + 10
    scale = Decimal(width - label_w - 70) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="stv-chart-title"><title id="stv-chart-title">Totals of each '
        f"candidate at each stage of the count{', with the quota' if quota else ''}"
        f"</title>"
    ]
    for i, stage in enumerate(stages):
        y0 = i * band + 16
        action = escape(str(stage.get("action", {}).get("text", "")))
        parts.append(
            f'<text x="0" y="{y0 - 3}" font-size="12" font-weight="bold">Stage '
            f"{stage['stage']}: {action}</text>"
        )
        for j, cand in enumerate(candidates):
            y = y0 + j * (bar + gap)
            value = Decimal(stage["totals"].get(str(j + 1), "0") or "0")
            w = int(value * scale)
            colour = COLOURS[j % len(COLOURS)]
            parts.append(
                f'<text x="0" y="{y + bar - 3}" font-size="11">'
                f"{escape(names.get(cand, cand))[:22]}</text>"
            )
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{label_w + w + 4}" y="{y + bar - 3}" font-size="11">'
                f"{value.normalize():f}</text>"
            )
        if quota is not None:
            x = label_w + int(quota * scale)
            parts.append(
                f'<line x1="{x}" x2="{x}" y1="{y0}" y2="{y0 + band - 28}" '
                f'stroke="#000" stroke-dasharray="4 3"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
