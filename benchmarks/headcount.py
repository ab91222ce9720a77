"""The headcount search on the bundled mid-size ward: wall time on 2 cores, and what it buys.

Run from the repository root:

    .venv/bin/python -m benchmarks.headcount            # 18 people, the whole 8 weeks, 2 jobs
    .venv/bin/python -m benchmarks.headcount --quick    # 8 working days, 2 rounds: a check

The issue's aim: `sim staff scenarios/centres/mid_size_ward.yaml --headcount 18` finishes in
under two minutes on 2 cores. It lives here, printed, rather than in a timed unit test. The
script then runs the best uniform split of the same people (the same search, its moves acting on
the whole day) and compares the two rosters on fresh replications with common random numbers:
the paired difference of their shortfalls (relative distance beyond the targets, summed), with
its 95% interval; below 0, hour-by-hour misses the targets by less.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

from sim.decide.staffing.headcount import DEFAULT_ROUNDS, staff_headcount
from sim.decide.staffing.headcount_result import HeadcountResult, paired_difference
from sim.experiment.executors import Execution
from sim.scenario.paths import with_change
from sim.scenario.yaml_loader import read_yaml_file

WARD = Path("scenarios/centres/mid_size_ward.yaml")
AIM_SECONDS = 120.0
HEADCOUNT = 18  # 9 counters, 2 guides and 7 seconded back-office officials in the baseline
SEED = 20250701


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished workers."""
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def timed(path: Path, args: argparse.Namespace, uniform: bool) -> HeadcountResult:
    started, cpu = time.perf_counter(), cpu_seconds()
    found = staff_headcount(path, args.headcount, uniform=uniform, max_rounds=args.rounds,
                            seed=SEED, execution=Execution(args.jobs))
    wall, used = time.perf_counter() - started, cpu_seconds() - cpu
    kind = "uniform split" if uniform else "hour by hour"
    print(f"{kind:>14}: {wall:6.1f} s wall, {used:6.1f} CPU s, {found.rounds} rounds; "
          f"mean shortfall {found.confirmation.score:.3f} on fresh replications"
          + ("" if uniform else f"; aim {AIM_SECONDS:.0f} s: "
             f"{'MET' if wall < AIM_SECONDS else 'NOT MET'} ({wall / AIM_SECONDS:.2f} of it)"))
    for role, counts in zip(found.roster.roles, found.roster.counts, strict=True):
        print(f"{'':16}{role:>16} {' '.join(f'{n:2d}' for n in counts)}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="8 working days, 2 rounds")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--headcount", type=int, default=HEADCOUNT)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--compare", type=int, default=10,
                        help="fresh replications of the paired comparison")
    args = parser.parse_args(argv)
    args.rounds = args.rounds if args.rounds is not None else (2 if args.quick else DEFAULT_ROUNDS)
    with tempfile.TemporaryDirectory() as folder:
        path = WARD
        if args.quick:
            document = with_change(read_yaml_file(WARD), "calendar.working_days", 8)
            path = Path(folder) / "ward.yaml"
            path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        print(f"{path}: headcount {args.headcount}, {args.jobs} jobs, load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the start")
        hourly, uniform = timed(path, args, False), timed(path, args, True)
        mean, low, high = paired_difference(hourly, uniform, args.compare, SEED + 1000)
        print(f"hour by hour minus uniform split, shortfall per replication ({args.compare} "
              f"fresh replications, common random numbers): {mean:+.3f} "
              f"(95% CI {low:+.3f} to {high:+.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
