"""`sim calibrate` and `sim backtest`: from a centre's own records to a scenario, and the
scenario set against a period of records it was not fitted on.

Bad records end in one message naming the file, row and column, exit code 2, and nothing
written; `--skip-bad` leaves such rows out and counts them by reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import click

from sim.calibrate.calibration import (
    DEFAULT_CUTOFF,
    DEFAULT_HOURS_PER_DAY,
    Calibration,
    CalibrationRequest,
    calibrate,
)
from sim.calibrate.scenario_writer import staged_scenario
from sim.cli.common import ScenarioProblem
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
    skipped = {**calibration.tickets.skipped,
               **(calibration.dossiers.skipped if calibration.dossiers else {})}
    click.echo(f"calibrated from {len(calibration.sample.frame):,} tickets of "
               f"{len(calibration.sample.days)} days ({calibration.period.describe()})")
    if skipped:
        click.echo("skipped rows: " + ", ".join(f"{n} {why}" for why, n in skipped.items()))
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
