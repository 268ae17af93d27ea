"""axe-core in the browser: a page must have no WCAG 2.1 A or AA violation."""

from __future__ import annotations

from tests.support import require_or_skip

#: The rules WCAG 2.1 level AA asks for (axe-core's tags).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page, where: str = "") -> None:
    """Run axe-core on the page as it stands; fail naming each violation and its nodes."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as exc:
        require_or_skip(f"axe-playwright-python is not installed ({exc}); pip install -e '.[test]'")
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    described = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"axe on {where or page.url}:\n" + "\n".join(described)
