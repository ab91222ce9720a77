"""The `sim` command: a thin click layer over the Python API in `sim.api`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from sim.analysis.offered_load import offered_load
from sim.analysis.sanity import scenario_warnings
from sim.api import DEMO_SCENARIO, default_results_folder, run_scenarios
from sim.experiment.runner import DEFAULT_REPLICATIONS
from sim.experiment.seeds import DEFAULT_SEED
from sim.output.folder import FolderError, check_replaceable
from sim.output.save import save_results
from sim.output.terminal import print_summary
from sim.scenario.errors import ScenarioError
from sim.scenario.load import ScenarioSet, load_scenario
from sim.scenario.schema import Scenario

SCENARIO_PATH = click.Path(exists=True, dir_okay=False, path_type=Path)


class ScenarioProblem(click.ClickException):
    """A bad scenario: one message, exit code 2 (like a usage error), no traceback."""

    exit_code = 2


def _load(path: Path, sets: tuple[str, ...], options: tuple[str, ...] = ()) -> ScenarioSet:
    try:
        return load_scenario(path, overrides=sets, options=options)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None


set_option = click.option(
    "--set", "sets", multiple=True, metavar="PATH=VALUE",
    help="Change a field of the baseline before options apply, e.g. desks.land.counters=3.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sim")
def main() -> None:
    """Simulate commune Public Administrative Service Centres: waiting times, trips and
    staffing options, from a YAML scenario file."""


@main.command()
@click.argument("scenario", required=False, type=SCENARIO_PATH)
@click.option("--replications", "-n", type=click.IntRange(min=1), default=DEFAULT_REPLICATIONS,
              show_default=True, help="Independent replications per option.")
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True,
              help="Root seed; replication seeds derive from it.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Results folder [default: results/<scenario file name>].")
@click.option("--option", "options", multiple=True, metavar="NAME",
              help="Run only this option (repeatable); default: all options.")
@set_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no table.")
def run(scenario: Path | None, replications: int, seed: int, out: Path | None,
        options: tuple[str, ...], sets: tuple[str, ...], quiet: bool) -> None:
    """Run SCENARIO (default: the bundled demo) and write results/<name>/.

    Writes summary.csv, replications.csv, visits.parquet, intervals.parquet and manifest.json,
    all at once when the run completes.
    """
    path = scenario or DEMO_SCENARIO
    scenarios = _load(path, sets, options)
    if not quiet:
        _warn_about(scenarios)
    folder = out or default_results_folder(scenarios)
    try:
        check_replaceable(folder)
    except FolderError as err:
        raise click.UsageError(str(err)) from None
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console,
                  disable=quiet or not console.is_terminal) as progress:
        task = progress.add_task("replications", total=replications)
        results = run_scenarios(scenarios, replications, seed,
                                on_replication_done=lambda _: progress.advance(task))
    save_results(results, folder, sys.argv)
    if not quiet:
        print_summary(results.summary, f"{scenarios.baseline.name} - {replications} replications")
        click.echo(f"results written to {folder}")


@main.command()
@click.argument("scenario", type=SCENARIO_PATH)
@set_option
def check(scenario: Path, sets: tuple[str, ...]) -> None:
    """Validate SCENARIO, print it resolved (defaults filled in) and the offered load per desk."""
    scenarios = _load(scenario, sets)
    click.echo(yaml.safe_dump(_resolved(scenarios.baseline), allow_unicode=True, sort_keys=False))
    _warn_about(scenarios)
    overloaded = False
    for name, option in scenarios.options.items():
        click.echo(f"offered load, option {name} (busiest day):")
        load = offered_load(option)
        click.echo(load.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
        for row in load.itertuples():
            if row.day_load >= 1:
                overloaded = True
                click.echo(f"warning: option {name}, desk {row.desk}: offered load "
                           f"{row.day_load:.2f} >= 1 on {row.busiest_day}; the queue grows all "
                           "day (add counters or hours)", err=True)
        click.echo("")
    click.echo(f"{scenario}: valid" + (" (with overloaded desks)" if overloaded else ""))


def _warn_about(scenarios: ScenarioSet) -> None:
    """Print each odd-looking setting once, naming the options it applies to."""
    by_warning: dict[str, list[str]] = {}
    for name, option in scenarios.options.items():
        for warning in scenario_warnings(option):
            by_warning.setdefault(warning, []).append(name)
    for warning, names in by_warning.items():
        where = "" if len(names) == len(scenarios.options) else f"option {', '.join(names)}: "
        click.echo(f"warning: {where}{warning}", err=True)


def _resolved(scenario: Scenario) -> dict:
    return scenario.model_dump(mode="json", by_alias=True)


@main.command()
def schema() -> None:
    """Print the scenario JSON Schema (for editor completion and validation)."""
    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))
