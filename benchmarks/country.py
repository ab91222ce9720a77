"""The whole country: a country month, its scaling by centres and workers (local and Dask), and
the national allocation of extra staff.

Run from the repository root:

    .venv/bin/python -m benchmarks.country                    # 3,321 centres x 22 days x 10 reps
    .venv/bin/python -m benchmarks.country --quick            # 40 centres: checks the script
    .venv/bin/python -m benchmarks.country --centres 332      # a tenth, evenly through the country

The issue's aims: a country month (every centre x 22 working days x 10 replications) on 2 cores
in under 10 minutes, peak memory under 4 GB and flat in the number of centres; the national
allocation of 4,000 extra staff in under 15 minutes on 2 cores. With --centres N fewer than the
country, the figures are also scaled to the country (linearly in centres, from the measured
units per second), and said to be scaled.

The country is written the way a planner gets one: `init_country` from the vietnamadminunits
data, every kind of unit taking the commune template of benchmarks/commune.py (22 working
days), then `load_country`. The machine may be shared: CPU seconds and the share of the CPUs
other processes took are printed beside every wall time.
"""

from __future__ import annotations

import argparse
import resource
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.commune import SEED, TEMPLATE, subset
from benchmarks.measuring import (
    PssSampler,
    RunTiming,
    cpu_seconds,
    machine_busy,
    others_share,
    percent,
    scratch,
    timed_run,
)
from sim.decide.allocate import greedy_one_at_a_time
from sim.decide.gain_curves import allocate, rising_gains
from sim.experiment.executors import Execution
from sim.scenario.province.country import load_country
from sim.scenario.province.country_init import KINDS, init_country
from sim.scenario.province.load import ProvinceSet

COUNTRY_CENTRES = 3321
MONTH_AIM_SECONDS = 600.0
MONTH_AIM_MB = 4000.0
ALLOCATION_AIM_SECONDS = 900.0
NATIONAL_EXTRA_STAFF = 4000


@dataclass(frozen=True)
class Settings:
    centres: int | None  # None: the whole country
    replications: int
    jobs: int
    scaling_centres: tuple[int, ...]
    scaling_replications: int
    dask: bool
    equivalence_centres: int
    allocation_replications: int


def write_country(work: Path) -> Path:
    """Every province, every kind of unit from the benchmark's commune template."""
    template = work / "centre_template.yaml"
    template.write_text(yaml.safe_dump(TEMPLATE, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return init_country(work / "country", {kind: template for kind in KINDS})


class Clock:
    """Wall time, CPU seconds of this process and its workers, and others' CPU meanwhile."""

    def __enter__(self) -> Clock:
        self.cpu = _cpu()
        self.busy = machine_busy()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started
        self.cpu = _cpu() - self.cpu
        after = machine_busy()
        self.others = (None if self.busy is None or after is None
                       else after - self.busy - self.cpu)

    def line(self) -> str:
        return (f"{self.seconds:8.1f} s wall, {self.cpu:8.1f} s CPU, others took "
                f"{percent(others_share(self.others, self.seconds))} of the CPUs")


def _cpu() -> float:
    return cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)


def scaled(value: float, centres: int) -> str:
    """The value scaled to the country's centres, said as such; '' for the whole country."""
    if centres >= COUNTRY_CENTRES:
        return ""
    return f"  (scaled to {COUNTRY_CENTRES:,} centres: {value * COUNTRY_CENTRES / centres:.0f})"


def month(settings: Settings, country: ProvinceSet, work: Path) -> None:
    """The headline: the country month on `jobs` cores, against the aims."""
    chosen = subset(country, settings.centres)
    with PssSampler() as sampler:
        run = timed_run(chosen, settings.replications, settings.jobs, "none", work / "month")
    n = len(chosen.centres)
    print(f"== country month: {n:,} centres x 22 working days x {settings.replications} "
          f"replications = {run.units:,} units, {settings.jobs} workers, visits=none ==")
    print(f"wall time        {run.seconds:8.1f} s{scaled(run.seconds, n)}")
    print(f"CPU time         {run.cpu:8.1f} s (main + workers){scaled(run.cpu, n)}")
    print(f"on idle cores    {run.cpu / settings.jobs:8.1f} s (CPU / workers: what the wall time "
          f"would be with nothing else running){scaled(run.cpu / settings.jobs, n)}")
    print(f"citizens         {run.citizens:8,d}   cost per citizen "
          f"{run.cpu / run.citizens * 1e6:.1f} us CPU, {run.units / run.seconds:.1f} units/s")
    print(f"other processes  {percent(others_share(run.others, run.seconds)):>8} of the CPUs")
    peak = sampler.peak_mb
    print(f"peak memory      {'n/a' if peak is None else f'{peak:8.0f} MB'} (summed PSS of main "
          "and workers, sampled each second)")
    wall = run.seconds * max(1.0, COUNTRY_CENTRES / n)
    print(f"verdict: wall {wall:.0f} s {'<' if wall < MONTH_AIM_SECONDS else '>='} "
          f"{MONTH_AIM_SECONDS:.0f} s: {'MET' if wall < MONTH_AIM_SECONDS else 'NOT MET'}"
          f"{' (scaled)' if n < COUNTRY_CENTRES else ''}; memory "
          f"{'n/a' if peak is None else ('MET' if peak < MONTH_AIM_MB else 'NOT MET')} "
          f"(aim {MONTH_AIM_MB:,.0f} MB; flatness: see the scaling table)")


def scaling(settings: Settings, country: ProvinceSet, work: Path) -> None:
    """Seconds, CPU and peak memory by centres and workers, and on a Dask LocalCluster."""
    print()
    print(f"== scaling: {settings.scaling_replications} replications per centre, visits=none ==")
    print(f"{'centres':>7} {'where':>10} {'units':>7} {'seconds':>8} {'units/s':>8} "
          f"{'speed-up':>8} {'CPU s':>8} {'peak MB':>8} {'others':>6}")
    for size in settings.scaling_centres:
        chosen = subset(country, size)
        single = None
        for where in ("1 worker", "2 workers", *(("dask 2",) if settings.dask else ())):
            with PssSampler() as sampler:
                run = _scaling_run(chosen, settings.scaling_replications, where, work)
            single = run.seconds if where == "1 worker" else single
            busy = percent(others_share(run.others, run.seconds))
            print(f"{len(chosen.centres):7d} {where:>10} {run.units:7d} {run.seconds:8.1f} "
                  f"{run.units / run.seconds:8.1f} {single / run.seconds:8.2f} {run.cpu:8.1f} "
                  f"{sampler.peak_mb or 0:8.0f} {busy:>6}")
    print("(peak MB: summed PSS of the main process and its workers; on Dask the scheduler and "
          "workers are children too; CPU s: main + reaped workers, Dask workers not counted)")


def _scaling_run(chosen: ProvinceSet, replications: int, where: str, work: Path) -> RunTiming:
    if not where.startswith("dask"):
        return timed_run(chosen, replications, int(where.split()[0]), "none", work / "scale")
    from distributed import LocalCluster  # optional: the cluster extra

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        return timed_run(chosen, replications, 1, "none", work / "scale",
                         scheduler=cluster.scheduler_address)


def equivalence(settings: Settings, country: ProvinceSet) -> None:
    """On a province-sized set: the curves' placement against the one-at-a-time greedy."""
    chosen = subset(country, settings.equivalence_centres)
    extra = 2 * len(chosen.centres)
    reps = settings.allocation_replications
    with Clock() as greedy_clock:
        greedy = greedy_one_at_a_time(chosen, extra, reps, SEED, execution=Execution(
            settings.jobs))
    with Clock() as curves_clock:
        merged, curves = allocate(chosen, extra, reps, SEED, execution=Execution(settings.jobs))
    print()
    print(f"== allocation, {len(chosen.centres)} centres, {extra} extra staff, {reps} "
          f"replications, {settings.jobs} workers ==")
    print(f"one at a time  {greedy_clock.line()}")
    print(f"curves         {curves_clock.line()}")
    print(f"same placement: {'yes' if merged == greedy else 'NO'}; curves / greedy wall "
          f"{curves_clock.seconds / greedy_clock.seconds:.2f}, CPU "
          f"{curves_clock.cpu / greedy_clock.cpu:.2f}; levels simulated: "
          f"{sum(len(c.values) for c in curves)} (greedy: {2 * len(curves) + extra})")


def national(settings: Settings, country: ProvinceSet) -> None:
    """The national allocation of 4,000 extra staff (scaled down with --centres)."""
    chosen = subset(country, settings.centres)
    n = len(chosen.centres)
    extra = max(1, round(NATIONAL_EXTRA_STAFF * n / COUNTRY_CENTRES))
    with Clock() as clock:
        steps, curves = allocate(chosen, extra, settings.allocation_replications, SEED,
                                 execution=Execution(settings.jobs))
    rising = rising_gains(curves)
    print()
    print(f"== national allocation: {extra:,} extra staff over {n:,} centres, "
          f"{settings.allocation_replications} replications, {settings.jobs} workers ==")
    print(f"time           {clock.line()}{scaled(clock.seconds, n)}")
    print(f"on idle cores  {clock.cpu / settings.jobs:8.1f} s (CPU / workers)"
          f"{scaled(clock.cpu / settings.jobs, n)}")
    print(f"levels simulated {sum(len(c.values) for c in curves):,}; centres receiving "
          f"someone {len({s.centre for s in steps}):,}; gains rising at {len(rising)} levels "
          f"({sum(r[2] for r in rising)} clearly)")
    wall = clock.seconds * max(1.0, COUNTRY_CENTRES / n)
    print(f"verdict: {wall:.0f} s {'<' if wall < ALLOCATION_AIM_SECONDS else '>='} "
          f"{ALLOCATION_AIM_SECONDS:.0f} s: "
          f"{'MET' if wall < ALLOCATION_AIM_SECONDS else 'NOT MET'}"
          f"{' (scaled)' if n < COUNTRY_CENTRES else ''}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.country", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centres", type=int, default=None,
                        help="centres evenly through the country (default: all 3,321)")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--equivalence-centres", type=int, default=20,
                        help="centres of the curves-against-greedy comparison")
    parser.add_argument("--quick", action="store_true", help="40 centres, 2 replications")
    parser.add_argument("--dask", action="store_true", help="add a Dask LocalCluster row")
    parser.add_argument("--no-month", action="store_true")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--no-allocation", action="store_true")
    args = parser.parse_args(argv)
    quick = args.quick
    settings = Settings(
        centres=40 if quick else args.centres, replications=2 if quick else args.replications,
        jobs=args.jobs, scaling_centres=(10, 40) if quick else (100, 400, 1600),
        scaling_replications=2 if quick else 3, dask=args.dask,
        equivalence_centres=5 if quick else args.equivalence_centres,
        allocation_replications=2 if quick else 10)
    with scratch() as work:
        with Clock() as clock:
            country = load_country(write_country(work)).centres()
        print(f"set-up: country written by init_country and loaded: {len(country.centres):,} "
              f"centres in {clock.seconds:.1f} s")
        if not args.no_month:
            month(settings, country, work)
        if not args.no_scaling:
            scaling(settings, country, work)
        if not args.no_allocation:
            equivalence(settings, country)
            national(settings, country)


if __name__ == "__main__":
    main()
