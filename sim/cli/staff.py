"""`sim staff`: the fewest counters per desk and time block that meet the targets, or, with
--headcount, who of the centre's people sits where, block by block."""

from __future__ import annotations

from pathlib import Path

import click

from sim.analysis.targets import parse_target
from sim.cli.common import (
    SCENARIO_PATH,
    ScenarioProblem,
    execution_options,
)
from sim.decide.staffing import staff as find_staffing
from sim.decide.staffing.headcount import (
    DEFAULT_HEADCOUNT_REPLICATIONS,
    DEFAULT_ROUNDS,
    staff_headcount,
)
from sim.experiment.executors import Execution
from sim.experiment.plan import DEFAULT_SEED
from sim.experiment.runner import DEFAULT_REPLICATIONS
from sim.output.roster_text import headcount_report
from sim.output.terminal import terminal
from sim.output.translations import LANGUAGES
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
@click.option("--replications", "-n", type=click.IntRange(min=2), default=None,
              help=f"Replications per simulation check [default: {DEFAULT_REPLICATIONS}; "
                   f"with --headcount {DEFAULT_HEADCOUNT_REPLICATIONS}].")
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True)
@click.option("--block-minutes", type=click.IntRange(min=5), default=60, show_default=True,
              help="Length of the time blocks of the schedule.")
@click.option("--headcount", type=click.IntRange(min=1), default=None, metavar="N",
              help="Assign these N people to counters, guidance and back office per block.")
@click.option("--skills", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="With --headcount: YAML or CSV of groups of people and their roles; it "
                   "replaces the scenario's skills section; default: that section, or else "
                   "everyone can work everywhere.")
@click.option("--uniform", is_flag=True,
              help="With --headcount: the same split in every block.")
@click.option("--rounds", type=click.IntRange(min=0), default=DEFAULT_ROUNDS,
              show_default=True, help="With --headcount: rounds of simulated moves at most.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="With --headcount: language of the tables.")
@execution_options
def staff(scenario: Path, targets: tuple[str, ...], desks: tuple[str, ...], out: Path | None,
          replications: int | None, seed: int, block_minutes: int, headcount: int | None,
          skills: Path | None, uniform: bool, rounds: int, lang: str, jobs: int,
          scheduler: str | None) -> None:
    """Find the fewest counters per desk and time block that meet the targets.

    Starts from queueing theory (modified offered load with Erlang C, or Erlang A when citizens
    give up) per block, then checks and adjusts by simulation until the targets hold there too.
    Prints the schedule and writes it as a new option `staffed` into a copy of SCENARIO, ready
    for `sim compare`. Counters stay within each desk's `positions`. Desks whose counters
    serve each other's queues (`serves`) are sized together, on their pooled load.

    With --headcount N: assigns N people, block by block, to each desk's counters, the guidance
    team and the back office (as --skills allows) to meet every target with the least overtime
    and switching, or to miss them least; writes the roster as option `headcount`.
    """
    folder = out or Path("results") / f"{scenario.stem}-staffing"
    say = lambda line: click.echo(line, err=True)  # noqa: E731
    try:
        parsed = [parse_target(text) for text in targets]
        if headcount is None:
            if skills or uniform:
                raise click.UsageError("--skills and --uniform go with --headcount")
            result = find_staffing(scenario, parsed, list(desks) or None, seed=seed,
                                   replications=replications or DEFAULT_REPLICATIONS,
                                   block_minutes=block_minutes, out=folder, progress=say)
            click.echo(result.report())
            return
        if desks:
            raise click.UsageError("--desk does not go with --headcount (every desk is staffed)")
        found = staff_headcount(
            scenario, headcount, parsed, skills, seed=seed, uniform=uniform, max_rounds=rounds,
            replications=replications or DEFAULT_HEADCOUNT_REPLICATIONS,
            block_minutes=block_minutes, out=folder, execution=Execution(jobs, scheduler),
            progress=say)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    terminal().print(headcount_report(found, lang))
