"""How long `sim calibrate` takes on a year of tickets of a busy ward (about 100,000 rows).

Run from the repository root:

    .venv/bin/python -m benchmarks.calibrate              # 250 working days, ~400 a day
    .venv/bin/python -m benchmarks.calibrate --days 20    # a quick check that it works
    .venv/bin/python -m benchmarks.calibrate --profile    # where the time goes

The records are made by the example generator (`sim.calibrate.example`) from the bundled ward
truth, scaled up: `--days` working days, `--per-day` visitors a day, counters and back-office
staff raised in proportion so the queues stay as they are. Making them is not timed. Timed,
as `sim calibrate` runs it: reading and checking the ticket CSV (with the vendor's mapping and
--skip-bad), every fit and test, writing the commented scenario, and the calibration page with
its figures. The issue's aim: under a minute on one core.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import tempfile
import time
from pathlib import Path

from sim.calibrate.calibration import CalibrationRequest, calibrate
from sim.calibrate.example.generate import example_records, write_example_records
from sim.calibrate.scenario_writer import staged_scenario
from sim.output.calibration_page import write_calibration_folder

AIM_SECONDS = 60.0
BASE_PER_DAY = 140  # the ward truth's visitors a day


def busy_ward(days: int, per_day: float) -> list[str]:
    """--set overrides that scale the ward truth up to `per_day` visitors for `days` days."""
    scale = per_day / BASE_PER_DAY
    general, specialist = round(4 * scale), round(2 * scale)
    afternoon = round(3 * scale)
    return [f"calendar.working_days={days}", f"arrivals.per_day={per_day}",
            f"desks.general.counters={general}",
            f'desks.general.schedule={{"07:30": {general}, "13:30": {afternoon}}}',
            f"desks.specialist.counters={specialist}",
            f"back_office.staff={round(10 * scale)}"]


def timed_calibration(folder: Path) -> tuple[float, int]:
    """Seconds for one `sim calibrate` on the records in `folder`, and the rows read."""
    request = CalibrationRequest(folder / "ward_tickets.csv", columns=folder / "ward_columns.yaml",
                                 skip_bad=True)
    started = time.perf_counter()
    calibration = calibrate(request)
    with staged_scenario(calibration, folder / "out" / "ward.yaml"):
        write_calibration_folder(calibration, folder / "out" / "calibration")
    return time.perf_counter() - started, calibration.tickets.rows_read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=250, help="working days of tickets")
    parser.add_argument("--per-day", type=float, default=400, help="visitors a day")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    parser.add_argument("--top", type=int, default=25, help="functions shown by --profile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sim-calibrate-bench-") as name:
        folder = Path(name)
        started = time.perf_counter()
        write_example_records(folder, example_records(overrides=busy_ward(args.days,
                                                                          args.per_day)))
        print(f"made the records in {time.perf_counter() - started:.1f} s (not timed)")
        cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        seconds, rows = timed_calibration(folder)
        if profiler:
            profiler.disable()
        cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu
    verdict = "within" if seconds < AIM_SECONDS else "over"
    print(f"sim calibrate on {rows:,} ticket rows ({args.days} days): {seconds:.1f} s wall, "
          f"{cpu:.1f} s CPU; {verdict} the aim of {AIM_SECONDS:.0f} s")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
