"""`sim calibrate` and `sim backtest`: from a centre's own records to a scenario, and the
scenario set against a period of records it was not fitted on.

Bad records end in one message naming the file, row and column of each, for every file read,
exit code 2, and nothing written; `--skip-bad` leaves such rows out and counts them by file
and reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import click
import pandas as pd

from sim.calibrate.backtest import DEFAULT_REPLICATIONS, Backtest, BacktestRequest, run_backtest
from sim.calibrate.calibration import (
    DEFAULT_CUTOFF,
    DEFAULT_HOURS_PER_DAY,
    Calibration,
    CalibrationRequest,
    calibrate,
)
from sim.calibrate.problems import skipped_lines
from sim.calibrate.scenario_writer import staged_scenario, written_here
from sim.cli.common import SCENARIO_PATH, ScenarioProblem
from sim.experiment.plan import DEFAULT_SEED
from sim.output.backtest_folder import write_backtest_folder
from sim.output.calibration_page import write_calibration_folder
from sim.output.folder import FolderError, check_target
from sim.scenario.errors import ScenarioError

RECORD_PATH = click.Path(exists=True, dir_okay=False, path_type=Path)
DATE = click.DateTime(formats=["%Y-%m-%d"])
CLOCK = r"^(([01][0-9]|2[0-3]):[0-5][0-9])$"


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


def _clock(_context: click.Context, _parameter: click.Parameter, value: str) -> str:
    if not re.fullmatch(CLOCK, value):
        raise click.BadParameter(f"{value!r} is not a clock time HH:MM, like 15:00")
    return value


def record_options(command: Callable) -> Callable:
    """--tickets, --dossiers, --columns, --from, --to, --skip-bad: shared by both commands."""
    for option in reversed([
        click.option("--tickets", type=RECORD_PATH, required=True,
                     help="The queue-ticket kiosk's log (CSV or .xlsx)."),
        click.option("--dossiers", type=RECORD_PATH, default=None,
                     help="The one-door system's dossier export (CSV or .xlsx)."),
        click.option("--columns", type=RECORD_PATH, default=None,
                     help="Mapping file: the exports' columns, date format, words and codes."),
        click.option("--from", "first", type=DATE, default=None,
                     help="First day of the period [default: the first day with tickets]."),
        click.option("--to", "last", type=DATE, default=None,
                     help="Last day of the period [default: the last day with tickets]."),
        click.option("--skip-bad", is_flag=True,
                     help="Leave bad rows out (counted by reason) instead of stopping."),
    ]):
        command = option(command)
    return command


@click.command("calibrate")
@record_options
@click.option("--cutover", type=DATE, default=None,
              help="Date of the backlog: dossiers received before it and still open then "
                   "[default: --from].")
@click.option("--cutoff", default=DEFAULT_CUTOFF, show_default=True, callback=_clock,
              help="Same-day cut-off of the deadlines (HH:MM).")
@click.option("--back-office-staff", type=click.IntRange(0, 500), default=None,
              help="Dedicated back-office staff: writes the back office into the scenario.")
@click.option("--hours-per-day", type=click.FloatRange(0, 24, min_open=True),
              default=DEFAULT_HOURS_PER_DAY, show_default=True,
              help="Processing hours per back-office staff member per working day.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The scenario file to write; calibration/ (page and figures) goes beside.")
def calibrate_command(tickets: Path, dossiers: Path | None, columns: Path | None,
                      first: dt.datetime | None, last: dt.datetime | None, skip_bad: bool,
                      cutover: dt.datetime | None, cutoff: str,
                      back_office_staff: int | None, hours_per_day: float, out: Path) -> None:
    """Fit a scenario to a centre's records: arrivals, service, patience, counters, procedures
    and (with --dossiers) the back office; every value commented with where it came from."""
    request = CalibrationRequest(tickets, dossiers, columns, _date(first), _date(last),
                                 _date(cutover), cutoff, back_office_staff, hours_per_day,
                                 skip_bad)
    folder = out.parent / "calibration"
    if out.exists() and (not out.is_file() or not written_here(out)):
        raise ScenarioProblem(f"{out} exists and was not written by sim calibrate; choose "
                              "another --out (a planner's scenario is never replaced)")
    try:
        check_target(folder)
        calibration = calibrate(request)
    except (ScenarioError, FolderError) as err:
        raise ScenarioProblem(_message(err)) from None
    with staged_scenario(calibration, out):
        write_calibration_folder(calibration, folder)
    _summary(calibration, out, folder)


def _message(err: Exception) -> str:
    return err.message() if isinstance(err, ScenarioError) else str(err)


def _summary(calibration: Calibration, out: Path, folder: Path) -> None:
    arrivals, tests = calibration.arrivals, calibration.poisson
    click.echo(f"calibrated from {len(calibration.sample.frame):,} tickets of "
               f"{len(calibration.sample.days)} days ({calibration.period.describe()})")
    for line in skipped_lines(calibration.skipped, "skipped rows"):
        click.echo(line)
    click.echo(f"per_day {arrivals.per_day.value:.1f} (95%: {arrivals.per_day.low:.1f} to "
               f"{arrivals.per_day.high:.1f}); Poisson within days: "
               f"{'rejected' if tests.within_days_rejected else 'not rejected'}; across days: "
               f"{'over-dispersed' if tests.dispersion.rejects else 'as Poisson'}")
    for fit in calibration.services:
        best = fit.fit.best
        pooled = f" (pooled {fit.desk} desk: only {fit.own_n})" if fit.pooled else ""
        click.echo(f"service {fit.procedure}: {best.dist} mean {best.mean:.2f} cv "
                   f"{best.cv:.2f}, n {fit.fit.n:,}{pooled}")
    if calibration.patience is not None:
        mean = calibration.patience.mean
        click.echo(f"patience: {calibration.patience.dist} mean {mean.value:.1f} min (95%: "
                   f"{mean.low:.1f} to {mean.high:.1f})")
    click.echo(f"wrote {out} and {folder}/report.html")


@click.command("backtest")
@click.argument("scenario", type=SCENARIO_PATH)
@record_options
@click.option("-n", "--replications", type=click.IntRange(min=1), default=DEFAULT_REPLICATIONS,
              show_default=True, help="Simulations of each day (19, 39 or 99 give an exact "
                                      "90% interval).")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Root seed.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write [default: results/backtest_<scenario file name>].")
def backtest_command(scenario: Path, tickets: Path, dossiers: Path | None,
                     columns: Path | None, first: dt.datetime | None, last: dt.datetime | None,
                     skip_bad: bool, replications: int, seed: int, out: Path | None) -> None:
    """Simulate the period of the records as it was (its days, the counters open each day)
    and set the observed against the simulated, day by day and by half-hour."""
    if first is None or last is None:
        raise click.UsageError("give the period with --from and --to")
    folder = out or Path("results") / f"backtest_{scenario.stem}"
    request = BacktestRequest(scenario, tickets, first.date(), last.date(), columns,
                              replications, seed, skip_bad, dossiers)
    try:
        check_target(folder)
        backtest = run_backtest(request)
    except (ScenarioError, FolderError) as err:
        raise ScenarioProblem(_message(err)) from None
    write_backtest_folder(backtest, folder)
    _verdicts(backtest, folder)


def _verdicts(backtest: Backtest, folder: Path) -> None:
    """The coverage of every metric, and each miss said plainly."""
    click.echo(f"backtest of {backtest.scenario_name} on {backtest.period.describe()}, "
               f"{backtest.request.replications} simulations of each day")
    table = backtest.coverage
    click.echo(table[["by", "metric", "values", "inside", "coverage", "nominal", "p_coverage",
                      "beyond", "p_beyond", "missed"]].to_string(
        index=False, float_format=lambda value: f"{value:.3g}"))
    if backtest.request.dossiers is not None and backtest.on_time is None:
        click.echo("note: the scenario has no back office; the dossiers were not compared")
    if backtest.on_time is not None:
        on_time = backtest.on_time
        click.echo(f"dossiers on time over the period: observed {on_time['observed']:.3f}, "
                   f"simulated {on_time['sim_mean']:.3f} (90%: {on_time['low']:.3f} to "
                   f"{on_time['high']:.3f}), position {on_time['position']:.2f}")
    for _, row in backtest.missed.iterrows():
        click.echo(_missed_line(row))
    if backtest.missed.empty:
        click.echo("no metric missed: the observed values fall inside the simulated intervals "
                   "about as often as they should")
    click.echo(f"wrote {folder}")


def _missed_line(row: pd.Series) -> str:
    """A missed metric said plainly, with the side its misses fall on; the period's single
    value (its on-time share) as the one value it is."""
    side = ("above (the model gives too little)" if row["above"] >= row["below"]
            else "below (the model gives too much)")
    if row["by"] == "period":
        return (f"MISSED {row['metric']} over the period: the observed value lies outside its "
                f"{row['nominal']:.0%} interval, {side}")
    return (f"MISSED {row['metric']} by {row['by']}: {row['inside']} of {row['values']} "
            f"observed values inside their {row['nominal']:.0%} intervals, {row['beyond']} "
            f"beyond every simulated value; the misses lie {side}")
