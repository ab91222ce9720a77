"""`sim staff`: the fewest counters per desk and time block that meet the targets."""

from __future__ import annotations

from pathlib import Path

import click

from sim.analysis.targets import parse_target
from sim.cli.common import (
    SCENARIO_PATH,
    ScenarioProblem,
)
from sim.decide.staffing import staff as find_staffing
from sim.experiment.runner import DEFAULT_REPLICATIONS
from sim.experiment.seeds import DEFAULT_SEED
from sim.scenario.errors import ScenarioError


@click.command()
@click.argument("scenario", type=SCENARIO_PATH)
@click.option("--target", "targets", multiple=True, metavar="METRIC<=VALUE",
              help="e.g. wait_p90<=30 or within_target_share>=0.8 (repeatable); default: the "
                   "scenario's targets.")
@click.option("--desk", "desks", multiple=True, metavar="NAME",
              help="Only this desk (or site.desk); repeatable; default: every desk.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the staffed copy [default: results/<scenario>-staffing].")
@click.option("--replications", "-n", type=click.IntRange(min=2), default=DEFAULT_REPLICATIONS,
              show_default=True, help="Replications per simulation check.")
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True)
@click.option("--block-minutes", type=click.IntRange(min=5), default=60, show_default=True,
              help="Length of the time blocks of the schedule.")
def staff(scenario: Path, targets: tuple[str, ...], desks: tuple[str, ...], out: Path | None,
          replications: int, seed: int, block_minutes: int) -> None:
    """Find the fewest counters per desk and time block that meet the targets.

    Starts from queueing theory (modified offered load with Erlang C, or Erlang A when citizens
    give up) per block, then checks and adjusts by simulation until the targets hold there too.
    Prints the schedule and writes it as a new option `staffed` into a copy of SCENARIO, ready
    for `sim compare`.
    """
    try:
        parsed = [parse_target(text) for text in targets]
        result = find_staffing(scenario, parsed, list(desks) or None, seed=seed,
                               replications=replications, block_minutes=block_minutes,
                               out=out or Path("results") / f"{scenario.stem}-staffing",
                               progress=lambda line: click.echo(line, err=True))
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    click.echo(result.report())
