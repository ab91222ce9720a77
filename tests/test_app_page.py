"""`sim app` in a real browser: the page is served by `sim app` as a user starts it, read by
headless Chromium through Playwright, and answers a slider with new numbers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import CHROMIUM_FLAGS, chromium
from playwright import sync_api

OFFICE = Path(__file__).parent / "fixtures" / "office.yaml"  # land is the busiest desk
READY_SECONDS = 45


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def executable() -> str:
    return chromium()  # skips before the server starts where there is no Chromium


@pytest.fixture
def served(executable: str) -> Iterator[str]:
    """`sim app` on a free port, stopped (by its id) after the test."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    server = subprocess.Popen(
        [sys.executable, "-c", "from sim.cli import main; main()", "app", str(OFFICE),
         "--port", str(port), "--no-browser", "-n", "3", "--days", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def wait_until_served(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, "sim app stopped before serving the page"
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"sim app did not serve {url} within {READY_SECONDS} s")


def test_a_slider_changes_the_numbers_beside_the_baseline(executable: str, served: str) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable,
                                             args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(served)
        mean_wait = page.locator("tbody tr").filter(has_text="Thời gian chờ trung bình")
        mean_wait.wait_for(timeout=30_000)
        before = mean_wait.locator("td").all_inner_texts()
        assert before[0] == before[1], "the setting starts as the baseline"
        assert before[2].startswith("0 "), before  # no signed zero
        assert "Hiện trạng · Baseline" in page.inner_text("thead")
        land_morning = page.get_by_role("slider").nth(2)  # Đất đai, the morning session
        land_morning.focus()
        land_morning.press("ArrowRight")
        sync_api.expect(mean_wait.locator("td").nth(1)).not_to_have_text(before[1],
                                                                          timeout=30_000)
        after = mean_wait.locator("td").all_inner_texts()
        browser.close()
    assert after[0] == before[0], "the baseline keeps its numbers"
    assert after[2].startswith("-"), f"one more land counter shortens the waits: {after}"
