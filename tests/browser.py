"""The browser the page tests read with: the Debian Chromium, headless, that .ci/run installs
(imported as `from browser import ...`: pytest puts this folder on `sys.path`)."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    """The Chromium executable; the test is skipped where there is none, except on CI."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium: .ci/run installs the Debian package chromium")
        pytest.skip("Chromium is not installed here (CI installs it)")
    return found
