"""Starting the page: `streamlit run` on sim/app/page.py, on this machine only unless asked.

Streamlit serves the page and runs the script again on each change; its usage statistics and
first-run e-mail prompt are switched off, and it listens on 127.0.0.1 by default, so that a
leader's scenario is seen from their own computer alone.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sim.app.trial import DAYS, REPLICATIONS
from sim.experiment.plan import DEFAULT_SEED

PAGE = Path(__file__).with_name("page.py")
LOCAL = "127.0.0.1"
DEFAULT_PORT = 8501


class AppMissing(Exception):
    """Streamlit is not installed: the page is the optional extra `app`."""


@dataclass(frozen=True)
class Serve:
    """Where the page listens and what it runs."""

    scenario: Path
    host: str = LOCAL
    port: int = DEFAULT_PORT
    days: int = DAYS
    replications: int = REPLICATIONS
    seed: int = DEFAULT_SEED
    browser: bool = True  # open the page in the default browser once it is served


def streamlit_command(serve: Serve) -> list[str]:
    """The command line that serves the page."""
    return [sys.executable, "-m", "streamlit", "run", str(PAGE),
            "--server.address", serve.host, "--server.port", str(serve.port),
            "--server.headless", str(not serve.browser).lower(),
            "--server.showEmailPrompt", "false", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--global.developmentMode", "false",
            "--client.toolbarMode", "minimal",
            "--", "--scenario", str(serve.scenario), "--days", str(serve.days),
            "--replications", str(serve.replications), "--seed", str(serve.seed)]


def serve_page(serve: Serve) -> None:
    """Become the server (the process is replaced, so that stopping `sim app` stops the page
    too) until interrupted."""
    if importlib.util.find_spec("streamlit") is None:
        raise AppMissing("the page needs Streamlit: pip install 'sim[app]'")
    command = streamlit_command(serve)
    os.execv(command[0], command)
