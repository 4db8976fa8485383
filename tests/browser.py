"""Browser-test helpers: Debian's Chromium for pytest-playwright, axe, screenshots, sign-in."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH: dict[str, Any] = {
    "executable_path": str(CHROMIUM),
    "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"],
}
"""No browser download is possible here: Playwright drives the Chromium of ``apt-get install chromium``."""

SCREENSHOTS = Path(__file__).parents[1] / "docs" / "screenshots"
BAD_IMPACTS = ("serious", "critical")


def need_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium")


def screenshot(page: Any, name: str) -> None:
    """A full-page screenshot into docs/screenshots/ (committed; linked from the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # a sticky player would float mid-page otherwise
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in found if v.get("impact") in BAD_IMPACTS]


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
