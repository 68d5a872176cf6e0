"""axe-core (the npm package, `npm ci` at the repo root) run inside the Playwright pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 levels A and AA, as axe tags them (2.0 rules included: 2.1 extends 2.0).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require_axe() -> Path:
    """The axe-core script; a skip without it (a failure in CI, where .ci/run installs it)."""
    if not AXE_SCRIPT.exists():
        message = f"axe-core is not installed ({AXE_SCRIPT} is missing): run `npm ci`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_SCRIPT


def axe_violations(page) -> list[str]:
    """The page's WCAG 2.1 A/AA violations, one line each: rule, impact, the nodes' targets."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(require_axe()))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        f"{page.url}: {violation['id']} ({violation['impact']}): "
        + "; ".join(
            f"{' '.join(node['target'])} {node.get('failureSummary', '')!r}"
            for node in violation["nodes"][:5]
        )
        for violation in results["violations"]
    ]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it does not scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
