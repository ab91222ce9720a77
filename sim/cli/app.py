"""`sim app`: a local page to try staffing settings live (sim/app/)."""

from __future__ import annotations

from pathlib import Path

import click

from sim.api import DEMO_SCENARIO
from sim.app.launch import DEFAULT_PORT, LOCAL, AppMissing, Serve, serve_page
from sim.app.trial import DAYS, REPLICATIONS
from sim.cli.common import SCENARIO_PATH, load_or_fail
from sim.experiment.plan import DEFAULT_SEED


@click.command("app")
@click.argument("scenario", type=SCENARIO_PATH, required=False)
@click.option("--host", default=LOCAL, show_default=True,
              help="Address to listen on (0.0.0.0: every network of this computer).")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--days", type=click.IntRange(min=1), default=DAYS, show_default=True,
              help="Working days of each short run.")
@click.option("--replications", "-n", type=click.IntRange(min=2), default=REPLICATIONS,
              show_default=True, help="Replications of each short run.")
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True)
@click.option("--browser/--no-browser", default=True, show_default=True,
              help="Open the page in the default browser.")
def app_command(scenario: Path | None, host: str, port: int, days: int, replications: int,
                seed: int, browser: bool) -> None:
    """Open a local page to try staffing settings on SCENARIO (default: the demo) live.

    Sliders set the counters per desk and session, the opening hours, Saturday mornings and
    the back-office staff; the page shows the waits, the share served in time and the dossiers
    on time beside the baseline, with 95% intervals, from short runs with the same citizens,
    and saves the setting as an option of the scenario. Stop it with Ctrl-C.
    """
    source = scenario or DEMO_SCENARIO
    load_or_fail(source, ())
    try:
        serve_page(Serve(source, host, port, days, replications, seed, browser))
    except AppMissing as err:
        raise click.ClickException(str(err)) from None
