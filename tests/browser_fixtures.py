"""The Chromium fixture every browser test shares (registered in conftest.py).

One browser for the whole session: Playwright's synchronous API cannot start a second one in
the same thread while the first is open, so every module that drives a browser asks for this
fixture rather than launching its own. The browser is ``$HER_GRAPH_CHROMIUM``, else
``/usr/bin/chromium`` (Debian's, which CI installs), else Playwright's own. Without a browser
the tests fail and say how to install one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL_HINT = ("no Chromium for the browser tests: install one (Debian/Ubuntu: "
                "`apt-get install -y chromium`; elsewhere: `python -m playwright install "
                "chromium`) or point HER_GRAPH_CHROMIUM at a Chromium or Chrome executable")


def _executable() -> str | None:
    for candidate in (os.environ.get("HER_GRAPH_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium, headless, with a fresh profile (Playwright makes one per launch)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]'")
    executable = _executable()
    with sync_playwright() as p:
        if executable:
            try:
                chromium = p.chromium.launch(executable_path=executable, args=ARGS)
            except Error as error:
                pytest.fail(f"could not start {executable}: {str(error).splitlines()[0]}")
        else:
            try:
                chromium = p.chromium.launch(args=ARGS)  # Playwright's own browser
            except Error:
                subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                               capture_output=True, timeout=600, check=False)
                try:
                    chromium = p.chromium.launch(args=ARGS)
                except Error as error:
                    pytest.fail(f"{INSTALL_HINT} ({str(error).splitlines()[0]})")
        yield chromium
        chromium.close()


class WatchedPage:
    """A new page of ``browser`` that records what it logs, requests and tries to show.

    ``console`` holds ``"type: text"`` lines (``"pageerror: ..."`` for uncaught errors),
    ``requests`` every URL asked for, ``dialogs`` the message of every alert, confirm or prompt
    (each dismissed).
    """

    def __init__(self, browser: Any, *, width: int, height: int):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.console: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def errors(self) -> list[str]:
        """The console's errors and the page's uncaught exceptions."""
        return [line for line in self.console if line.startswith(("error", "pageerror"))]
