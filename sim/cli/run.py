"""`sim run` and `sim compare`: run a scenario's options and write the results folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sim.api import DEMO_SCENARIO, default_results_folder, run_scenarios
from sim.api import compare as compare_options
from sim.cli.common import (
    SCENARIO_PATH,
    check_work_or_fail,
    execution_options,
    load_or_fail,
    max_work_option,
    progress_bar,
    report_options,
    set_option,
    warn_about,
)
from sim.experiment.executors import Execution
from sim.experiment.precision import DEFAULT_CAP
from sim.experiment.runner import DEFAULT_REPLICATIONS
from sim.experiment.seeds import DEFAULT_SEED
from sim.output.folder import FolderError, check_target
from sim.output.json_file import write_json
from sim.output.recommendation_text import comparison_record
from sim.output.report import write_report
from sim.output.save import save_results
from sim.output.terminal import print_comparison, print_summary
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
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no table.")
@report_options
@execution_options
@max_work_option
def run(scenario: Path | None, replications: int, seed: int, out: Path | None,
        options: tuple[str, ...], sets: tuple[str, ...], quiet: bool, lang: str,
        report: bool, jobs: int, scheduler: str | None, max_work: float | None) -> None:
    """Run SCENARIO (default: the bundled demo) and write results/<name>/.

    Writes summary.csv, replications.csv, visits.parquet, intervals.parquet, dossiers.parquet,
    daily.parquet and manifest.json, all at once when the run completes.
    """
    scenarios = load_or_fail(scenario or DEMO_SCENARIO, sets, options)
    folder = _prepare_output(scenarios, out, quiet)
    check_work_or_fail(scenarios.options.values(), replications, max_work, quiet)
    with progress_bar(quiet, replications) as advance:
        results = run_scenarios(scenarios, replications, seed, on_replication_done=advance,
                                execution=Execution(jobs, scheduler))
    extra = {"report.html": lambda p: write_report(results, p, lang)} if report else {}
    save_results(results, folder, sys.argv, extra=extra)
    if not quiet:
        print_summary(results.summary, f"{scenarios.baseline.name} - {replications} replications")
        click.echo(f"results written to {folder}")


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
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no table.")
@report_options
@execution_options
@max_work_option
def compare(scenario: Path, replications: int | None, precision: float | None,
            max_replications: int, seed: int, out: Path | None, sets: tuple[str, ...],
            quiet: bool, lang: str, report: bool, jobs: int, scheduler: str | None,
            max_work: float | None) -> None:
    """Compare every option of SCENARIO with the baseline and the targets; recommend one.

    Replication r of every option meets the same citizens, so differences from the baseline are
    paired. Writes the files of `sim run` plus comparison.csv and recommendation.json.
    """
    if replications is not None and precision is not None:
        raise click.UsageError("give --replications or --precision, not both")
    scenarios = load_or_fail(scenario, sets)
    folder = _prepare_output(scenarios, out, quiet)
    total = None if precision else replications or DEFAULT_REPLICATIONS
    check_work_or_fail(scenarios.options.values(), total or max_replications, max_work, quiet)
    with progress_bar(quiet, total) as advance:
        outcome = compare_options(scenarios, replications, precision, seed, max_replications,
                                  on_replication_done=advance,
                                  execution=Execution(jobs, scheduler))
    recommendation = comparison_record(outcome, precision)
    extra = {
        "comparison.csv": lambda p: outcome.table.to_csv(p, index=False),
        "recommendation.json": lambda p: write_json(recommendation, p),
    }
    if report:
        extra["report.html"] = lambda p: write_report(outcome.results, p, lang, outcome.table,
                                                      recommendation)
    save_results(outcome.results, folder, sys.argv, extra=extra)
    if not quiet:
        print_comparison(outcome.table, recommendation, scenarios.baseline.name)
        click.echo(f"results written to {folder}")


def _prepare_output(scenarios: ScenarioSet, out: Path | None, quiet: bool) -> Path:
    """Warn about odd settings and make sure the results folder may be written."""
    if not quiet:
        warn_about(scenarios)
    folder = out or default_results_folder(scenarios)
    try:
        check_target(folder)
    except FolderError as err:
        raise click.UsageError(str(err)) from None
    return folder
