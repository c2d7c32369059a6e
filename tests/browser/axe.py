"""Accessibility check of a page with axe-core, the scanner browsers' own tools use.

Members are mostly not technical, some use screen readers or keyboards only, and
a ballot that cannot be cast without a mouse is a ballot taken away. So every
page a browser test visits should also pass::

    from tests.browser.axe import assert_no_serious_axe_violations

    def test_the_ballot_is_accessible(page, live_server):
        page.goto(live_server.url + "/ballot/")
        assert_no_serious_axe_violations(page)

axe-core comes from node_modules (package-lock.json pins it; `npm ci` installs
it). It is evaluated through the DevTools protocol rather than added as a
<script> element, so a strict Content-Security-Policy on the page does not
block it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# "minor" and "moderate" findings are worth reading but do not fail a test.
FAILING_IMPACTS = frozenset({"serious", "critical"})


@cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        raise FileNotFoundError(f"{AXE_JS} is missing: run `bash scripts/setup` (it runs npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(
    page: Any, *, context: Any = None, options: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run axe on the page as it is now and return its violations (all impacts).

    ``context`` and ``options`` are axe.run()'s own: a selector or
    ``{"include": [...], "exclude": [...]}``, and e.g.
    ``{"rules": {"color-contrast": {"enabled": False}}}``.
    """
    # A test often calls this right after clicking a link or a button. The
    # click returns once the navigation has started, not once it is over, so
    # the old document can go away in the middle of the scan ("execution
    # context was destroyed", or document null while the new one commits).
    # The page "as it is now" is then the one arriving: wait for it to load
    # and scan it again.
    for attempt in range(_ATTEMPTS):
        page.wait_for_load_state("load")
        try:
            if not page.evaluate("() => typeof window.axe === 'object'"):
                page.evaluate(_axe_source())
            result = page.evaluate(
                """async ([context, options]) => {
                    const r = await window.axe.run(context ?? document, options ?? {});
                    return r.violations;
                }""",
                [context, options or {}],
            )
        except Exception as error:
            if attempt + 1 == _ATTEMPTS or not _navigated_away(error):
                raise
            continue
        return list(result)
    raise AssertionError("not reached: the last attempt returns or raises")


_ATTEMPTS = 3

# What Chromium says when the document under a running script is replaced.
_NAVIGATION_MESSAGES = (
    "Execution context was destroyed",
    "Cannot read properties of null (reading 'documentElement')",
)


def _navigated_away(error: Exception) -> bool:
    return any(message in str(error) for message in _NAVIGATION_MESSAGES)


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip()
            for summary_line in summary.splitlines():
                lines.append(f"       {summary_line.strip()}")
    return "\n".join(lines)


def assert_no_serious_axe_violations(
    page: Any, *, context: Any = None, options: dict[str, Any] | None = None
) -> None:
    """Fail listing every serious or critical axe violation on the page, with
    its help text and the elements (CSS targets) where it occurs."""
    violations = [
        v
        for v in axe_violations(page, context=context, options=options)
        if v.get("impact") in FAILING_IMPACTS
    ]
    if violations:
        raise AssertionError(
            f"{len(violations)} serious or critical accessibility violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
