"""The `sim` command: a thin click layer over the Python API in `sim.api`."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import yaml

from sim.analysis.offered_load import back_office_load, offered_load
from sim.analysis.sanity import scenario_warnings
from sim.analysis.staffing import parse_target
from sim.api import DEMO_SCENARIO, default_results_folder, run_scenarios
from sim.api import compare as compare_options
from sim.cli.common import (
    SCENARIO_PATH,
    ScenarioProblem,
    check_work_or_fail,
    execution_options,
    load_or_fail,
    max_work_option,
    progress_bar,
    report_options,
    set_option,
)
from sim.cli.province import allocate_command, check_province, province
from sim.decide.staffing import staff as find_staffing
from sim.experiment.executors import Execution
from sim.experiment.precision import DEFAULT_CAP
from sim.experiment.runner import DEFAULT_REPLICATIONS
from sim.experiment.seeds import DEFAULT_SEED
from sim.output.folder import FolderError, check_target
from sim.output.json_file import write_json
from sim.output.manifest import PROVINCE
from sim.output.plots import ResultPlots
from sim.output.province_map import save_province_map
from sim.output.province_report import write_province_report
from sim.output.province_results import load_province_results
from sim.output.recommendation_text import comparison_record
from sim.output.report import write_report
from sim.output.results_io import (
    ResultsFolderError,
    folder_kind,
    load_comparison,
    load_recommendation,
    load_results,
)
from sim.output.save import save_results
from sim.output.terminal import print_comparison, print_summary
from sim.output.translations import LANGUAGES
from sim.scenario.document import scenario_document
from sim.scenario.errors import ScenarioError
from sim.scenario.load import ScenarioSet, scenario_from_document
from sim.scenario.province.load import is_province_document, province_from_document
from sim.scenario.schema import Scenario
from sim.scenario.yaml_loader import read_yaml_file


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


@main.command()
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
        _warn_about(scenarios)
    folder = out or default_results_folder(scenarios)
    try:
        check_target(folder)
    except FolderError as err:
        raise click.UsageError(str(err)) from None
    return folder


@main.command()
@click.argument("scenario", type=SCENARIO_PATH)
@set_option
def check(scenario: Path, sets: tuple[str, ...]) -> None:
    """Validate SCENARIO, print it resolved (defaults filled in) and the offered load per desk.

    A province file is checked as a province: every centre with every option.
    """
    try:
        document = read_yaml_file(scenario)
        if is_province_document(document):
            if sets:
                raise click.UsageError("--set changes a scenario file; in a province file "
                                       "change a centre's `set` or the template")
            check_province(province_from_document(document, scenario), scenario)
            return
        scenarios = scenario_from_document(document, str(scenario), sets)
    except ScenarioError as err:
        raise ScenarioProblem(err.message()) from None
    click.echo(yaml.safe_dump(scenario_document(scenarios.baseline, with_options=True),
                              allow_unicode=True, sort_keys=False))
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
        overloaded |= _report_back_office(name, option)
        click.echo("")
    click.echo(f"{scenario}: valid" + (" (with overloaded desks)" if overloaded else ""))


def _report_back_office(name: str, scenario: Scenario) -> bool:
    """Print the back office's load for `check`; True when new work exceeds its hours."""
    load = back_office_load(scenario)
    if load is None:
        return False
    days = load["backlog_days_at_spare_capacity"]
    clears = (f"about {days:.1f} working days of the spare hours" if math.isfinite(days)
              else "which the spare hours never clear (there are none)")
    click.echo(f"back office, option {name}: {load['new_work_per_day']:.1f} staff-hours of new "
               f"work per ordinary day against {load['capacity_per_day']:.1f} "
               f"(load {load['load']:.2f}); transferred backlog {load['backlog_hours']:.0f} "
               f"staff-hours, {clears}")
    if load["load"] >= 1:
        click.echo(f"warning: option {name}, back office: new work {load['load']:.2f} times its "
                   "hours; dossiers will pile up (add staff or counter_first)", err=True)
    return load["load"] >= 1


def _warn_about(scenarios: ScenarioSet) -> None:
    """Print each odd-looking setting once, naming the options it applies to."""
    by_warning: dict[str, list[str]] = {}
    for name, option in scenarios.options.items():
        for warning in scenario_warnings(option):
            by_warning.setdefault(warning, []).append(name)
    for warning, names in by_warning.items():
        where = "" if len(names) == len(scenarios.options) else f"option {', '.join(names)}: "
        click.echo(f"warning: {where}{warning}", err=True)


@main.command()
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


RESULTS_DIR = click.Path(exists=True, file_okay=False, path_type=Path)


@contextmanager
def _readable_folder() -> Iterator[None]:
    """A results folder that cannot be read is bad input: one message, exit code 2."""
    try:
        yield
    except ResultsFolderError as err:
        raise ScenarioProblem(str(err)) from None


@main.command()
@click.argument("results_dir", type=RESULTS_DIR)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of titles and labels.")
@click.option("--format", "formats", type=click.Choice(["png", "svg"]), multiple=True,
              default=("png", "svg"), show_default=True, help="Image formats (repeatable).")
def plot(results_dir: Path, lang: str, formats: tuple[str, ...]) -> None:
    """Draw the figures of RESULTS_DIR into RESULTS_DIR/figures/ (for a province folder, the
    map of its centres)."""
    with _readable_folder():
        if folder_kind(results_dir) == PROVINCE:
            found = load_province_results(results_dir)
            written = save_province_map(found.ranking, found.name, results_dir / "figures",
                                        lang, formats)
        else:
            written = ResultPlots(load_results(results_dir), lang=lang).save_all(
                results_dir / "figures", formats)
    for path in written:
        click.echo(str(path))


@main.command()
@click.argument("results_dir", type=RESULTS_DIR)
@click.option("--lang", type=click.Choice(LANGUAGES), default="vi", show_default=True,
              help="Language of the report.")
def report(results_dir: Path, lang: str) -> None:
    """Write RESULTS_DIR/report.html again: one self-contained page for a leader (for a
    province folder, the province page), without re-running."""
    target = results_dir / "report.html"
    with _readable_folder():
        if folder_kind(results_dir) == PROVINCE:
            found = load_province_results(results_dir)
            path = write_province_report(found.ranking, found.name, found.provenance(lang),
                                         target, lang)
        else:
            path = write_report(load_results(results_dir), target, lang,
                                load_comparison(results_dir), load_recommendation(results_dir))
    click.echo(f"report written to {path}")


@main.command()
def schema() -> None:
    """Print the scenario JSON Schema (for editor completion and validation)."""
    click.echo(json.dumps(Scenario.model_json_schema(by_alias=True), indent=2, ensure_ascii=False))


main.add_command(province)
main.add_command(allocate_command)
