"""`sim run` and `sim compare`: run a scenario's options and write the results folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sim.api import DEMO_SCENARIO, default_results_folder
from sim.cli.common import (
    SCENARIO_PATH,
    check_work_or_fail,
    execution_options,
    interruptible,
    load_or_fail,
    max_work_option,
    progress_bar,
    report_options,
    say_resumed,
    set_option,
    warn_about,
)
from sim.experiment.executors import Execution
from sim.experiment.plan import DEFAULT_SEED
from sim.experiment.precision import DEFAULT_CAP
from sim.experiment.runner import DEFAULT_REPLICATIONS
from sim.experiment.work import streamed_holding
from sim.output.compare_folder import Replicate, compare_to_folder
from sim.output.folder import FolderError, check_target
from sim.output.names import Names
from sim.output.run_folder import RUN_VISITS_MODES, FolderOptions, run_to_folder
from sim.output.terminal import print_comparison, print_summary, run_title, written_to
from sim.scenario.load import ScenarioSet


@click.command()
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
@click.option("--visits", type=click.Choice(RUN_VISITS_MODES), default="all", show_default=True,
              help="Per-visit log in visits.parquet: every replication (all) or replication 0 "
                   "only (sample).")
@click.option("--resume", is_flag=True, help="Continue an interrupted run, skipping done units.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no table.")
@report_options
@execution_options
@max_work_option
def run(scenario: Path | None, replications: int, seed: int, out: Path | None,
        options: tuple[str, ...], sets: tuple[str, ...], visits: str, resume: bool,
        quiet: bool, lang: str, report: bool, jobs: int, scheduler: str | None,
        max_work: float | None) -> None:
    """Run SCENARIO (default: the bundled demo) and write results/<name>/.

    Writes summary.csv, replications.csv, visits.parquet, intervals.parquet, dossiers.parquet,
    daily.parquet and manifest.json, all at once when the run completes. Each (option,
    replication) unit's tables go to disk as it finishes; an interrupted run continues with
    --resume.
    """
    scenarios = load_or_fail(scenario or DEMO_SCENARIO, sets, options)
    folder = _prepare_output(scenarios, out, quiet, lang)
    check_work_or_fail(scenarios.options.values(), replications, max_work, quiet,
                       held=streamed_holding(report))
    units = len(scenarios.options) * replications
    written = FolderOptions(visits, report, lang, sys.argv)
    with interruptible(), progress_bar(quiet, units, "runs") as advance:
        done = run_to_folder(scenarios, replications, seed, folder, Execution(jobs, scheduler),
                             written, resume, advance)
    say_resumed(done.published, units, quiet)
    if not quiet:
        title = Names(scenarios.baseline, lang).title()
        print_summary(done.summary, run_title(title, replications, lang),
                      lang, scenarios.baseline)
        click.echo(written_to(folder, lang))


@click.command()
@click.argument("scenario", type=SCENARIO_PATH)
@click.option("--replications", "-n", type=click.IntRange(min=1), default=None,
              help=f"Replications per option [default: {DEFAULT_REPLICATIONS}].")
@click.option("--precision", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Instead of -n: add replications until every target metric's 95% CI "
                   "half-width is within this fraction of its mean (e.g. 0.05).")
@click.option("--max-replications", type=click.IntRange(min=2), default=DEFAULT_CAP,
              show_default=True, help="Cap for --precision.")
@click.option("--seed", type=click.IntRange(min=0), default=DEFAULT_SEED, show_default=True,
              help="Root seed; replication seeds derive from it.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Results folder [default: results/<scenario file name>].")
@set_option
@click.option("--resume", is_flag=True,
              help="Continue an interrupted comparison, skipping done units (with --precision "
                   "too: its rounds are played again from the units found done).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no table.")
@report_options
@execution_options
@max_work_option
def compare(scenario: Path, replications: int | None, precision: float | None,
            max_replications: int, seed: int, out: Path | None, sets: tuple[str, ...],
            resume: bool, quiet: bool, lang: str, report: bool, jobs: int,
            scheduler: str | None, max_work: float | None) -> None:
    """Compare every option of SCENARIO with the baseline and the targets; recommend one.

    Replication r of every option meets the same citizens, so differences from the baseline are
    paired. Writes the files of `sim run` plus comparison.csv and recommendation.json, all at
    once when the comparison completes. Each (option, replication) unit's tables go to disk as
    it finishes; an interrupted comparison continues with --resume.
    """
    if replications is not None and precision is not None:
        raise click.UsageError("give --replications or --precision, not both")
    scenarios = load_or_fail(scenario, sets)
    folder = _prepare_output(scenarios, out, quiet, lang)
    total = None if precision else replications or DEFAULT_REPLICATIONS
    check_work_or_fail(scenarios.options.values(), total or max_replications, max_work, quiet,
                       held=streamed_holding(report))
    units = None if total is None else len(scenarios.options) * total
    written = FolderOptions(report=report, lang=lang, command=sys.argv)
    with interruptible(), progress_bar(quiet, units, "runs") as advance:
        done = compare_to_folder(scenarios, Replicate(total, precision, max_replications),
                                 seed, folder, Execution(jobs, scheduler), written, resume,
                                 advance)
    say_resumed(done.published, units, quiet)
    if not quiet:
        print_comparison(done.comparison, done.recommendation,
                         Names(scenarios.baseline, lang).title(), lang, scenarios.baseline)
        click.echo(written_to(folder, lang))


def _prepare_output(scenarios: ScenarioSet, out: Path | None, quiet: bool, lang: str) -> Path:
    """Warn about odd settings and make sure the results folder may be written."""
    if not quiet:
        warn_about(scenarios, lang)
    folder = out or default_results_folder(scenarios)
    try:
        check_target(folder)
    except FolderError as err:
        raise click.UsageError(str(err)) from None
    return folder
