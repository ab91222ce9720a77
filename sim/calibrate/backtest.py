"""`sim backtest`: simulate a period of records as it was and set each observed value against
the distribution the model gives it.

Each opening day of the period is simulated `replications` times with the counters the log
shows open that day (`backtest_days`). For every day and metric, and every half-hour pooled
over the period (`backtest_metrics`), the observed value gets

- its **position** in the simulated values: the share below it (ties count half), 0.5 at the
  median; near 0 or 1 when the model rarely produces such a value;
- a **90% prediction interval**: from the k-th smallest to the k-th largest of R simulated
  values, k = 0.05 (R + 1), which covers a value exchangeable with them with probability
  exactly (R + 1 - 2k) / (R + 1) (0.9 for R = 19, 39 or 99).

Over the days, two exact binomial tests per metric: is the share of observed values inside
their intervals lower than that nominal coverage, and are there more values beyond every
simulated value than the 2 / (R + 1) per value that chance gives? (The second sees a few gross
misses that the first, counting only in or out, weighs like near ones.) A metric for which
either test gives p below 0.05 / (2 x number of metrics) is reported as missed, with the side
its misses fall on. Half-hours are tested the same way, though they are not independent (a
morning queue carries on), so their tests are a guide rather than exact. The period's on-time
share of dossiers is a single value: it is missed when it lies outside its interval.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.arrivals_fit import SLOT, clock_text
from sim.calibrate.backtest_days import counter_document, day_scenario, observed_counters
from sim.calibrate.backtest_dossiers import (
    DOSSIER_SEED_KEY,
    DossierPeriod,
    observed_dossiers,
    period_scenario,
    simulated_dossiers,
)
from sim.calibrate.backtest_metrics import (
    DAY_METRICS,
    SLOT_METRICS,
    SlotTotals,
    day_metrics,
    observed_days,
    simulated_day,
)
from sim.calibrate.counters import fit_counters
from sim.calibrate.dossiers import Dossiers
from sim.calibrate.mapping import load_mapping
from sim.calibrate.period import Period
from sim.calibrate.problems import file_problem
from sim.calibrate.reading import read_records, skipped_by_file
from sim.calibrate.sample import TicketSample, ticket_sample
from sim.calibrate.working_days import working_days
from sim.experiment.plan import DEFAULT_SEED
from sim.model.centre import simulate
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

DEFAULT_REPLICATIONS = 99
FAMILY_ALPHA = 0.05


@dataclass(frozen=True)
class BacktestRequest:
    """What `sim backtest` was asked."""

    scenario: Path
    tickets: Path
    first: dt.date
    last: dt.date
    columns: Path | None = None
    replications: int = DEFAULT_REPLICATIONS
    seed: int = DEFAULT_SEED
    skip_bad: bool = False
    dossiers: Path | None = None


@dataclass(frozen=True)
class Backtest:
    """Observed against simulated, by day and by half-hour, and the coverage of each."""

    request: BacktestRequest
    scenario_name: str
    period: Period
    days: pd.DataFrame  # date, metric, observed, sim_mean, low, high, position, inside
    slots: pd.DataFrame  # time, metric, observed, sim_mean, low, high, position, inside
    coverage: pd.DataFrame  # by, metric, values, inside, coverage, nominal, p_value, ...
    skipped: list[tuple[str, dict[str, int]]]  # each file's name and rows left out by reason
    on_time: dict[str, float] | None  # the period's on-time share: observed, interval, ...

    @property
    def missed(self) -> pd.DataFrame:
        return self.coverage[self.coverage["missed"]]


def day_seed(root: int, day: int, replication: int) -> int:
    """The seed of one replication of one day, independent of every other."""
    sequence = np.random.SeedSequence(root, spawn_key=(day, replication))
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def run_backtest(request: BacktestRequest) -> Backtest:
    """Read the records of the period, simulate its days, and compare."""
    baseline = _counter_scenario(request.scenario)
    tickets, dossiers = read_records(
        request.tickets, request.dossiers if baseline.back_office is not None else None,
        load_mapping(request.columns), request.skip_bad)
    period = Period(request.first, request.last)
    sample = ticket_sample(tickets, period)
    if not sample.days:
        raise file_problem(str(request.tickets), "--from/--to", period.describe(),
                           "a period with tickets on at least one working day")
    daily = fit_counters(sample, list(baseline.calendar.sessions)).daily
    counters = observed_counters(daily, list(baseline.desks or {}), str(request.tickets))
    observed = observed_days(sample)
    simulated = _simulate(baseline, request, counters, sample.days)
    days, slots = _compare(observed, simulated, counters, request.replications)
    dossier_days, on_time = _dossiers(baseline, request, sample, dossiers)
    days = pd.concat([days, dossier_days], ignore_index=True)
    return Backtest(request, baseline.name, period, days, slots,
                    coverage_table(days, slots, on_time), skipped_by_file(tickets, dossiers),
                    on_time)


def _dossiers(baseline: Scenario, request: BacktestRequest, sample: TicketSample,
              dossiers: Dossiers | None) -> tuple[pd.DataFrame, dict | None]:
    """The back office over the period, when dossiers were read (the scenario has one)."""
    if dossiers is None:
        return pd.DataFrame(), None
    with_work = [p.id for p in baseline.procedures if p.back_office is not None]
    calendar = working_days(sample.closed, range(sample.period.first.year - 1,
                                                 sample.period.last.year + 2))
    period = DossierPeriod(sample.days, sample.closed,
                           dossiers.frame[dossiers.frame["procedure"].isin(with_work)], calendar)
    scenario = period_scenario(baseline, period, str(request.scenario))
    seeds = [day_seed(request.seed, DOSSIER_SEED_KEY, r) for r in range(request.replications)]
    per_day, on_time = simulated_dossiers(scenario, seeds)
    seen_days, seen_on_time = observed_dossiers(period)
    rows = [{"date": date, "metric": "dossiers_completed",
             **position(float(seen_days[date]), per_day[:, index])}
            for index, date in enumerate(sample.days)]
    return pd.DataFrame(rows), position(seen_on_time, on_time)


def _counter_scenario(path: Path) -> Scenario:
    scenario = load_scenario(path).baseline
    if scenario.sites is not None:
        raise file_problem(str(path), "sites", "several sites",
                           "a scenario with desks (one site): a ticket log does not say "
                           "which site a ticket was printed at")
    return scenario


def _simulate(baseline: Scenario, request: BacktestRequest, counters: dict,
              days: list[dt.date]) -> dict[dt.date, list]:
    """Every day's replications, as DayVisits."""
    document = counter_document(baseline)
    runs = {}
    for index, date in enumerate(days):
        scenario = day_scenario(document, date, counters.get(date, {}), str(request.scenario))
        runs[date] = [simulated_day(simulate(scenario, day_seed(request.seed, index, r)))
                      for r in range(request.replications)]
    return runs


def _open_counters(counters: dict, date: dt.date) -> int:
    return sum(max(schedule.values()) for schedule in counters.get(date, {}).values())


def _compare(observed: dict, simulated: dict, counters: dict,
             replications: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    day_rows = []
    observed_slots = SlotTotals.empty()
    simulated_slots = [SlotTotals.empty() for _ in range(replications)]
    for date, visits in observed.items():
        open_now = _open_counters(counters, date)
        sims = [day_metrics(day, open_now) for day in simulated[date]]
        for metric, value in day_metrics(visits, open_now).items():
            day_rows.append({"date": date, "metric": metric,
                             **position(value, np.array([s[metric] for s in sims]))})
        observed_slots = observed_slots.plus(visits)
        simulated_slots = [total.plus(day) for total, day in
                           zip(simulated_slots, simulated[date], strict=True)]
    return pd.DataFrame(day_rows), _slot_rows(observed_slots, simulated_slots, len(observed))


def _slot_rows(observed: SlotTotals, simulated: list[SlotTotals], days: int) -> pd.DataFrame:
    seen = observed.metrics(days)
    sims = [total.metrics(days) for total in simulated]
    rows = []
    for slot in np.flatnonzero(observed.visits > 0):
        for metric in SLOT_METRICS:
            rows.append({"time": clock_text(int(slot) * SLOT), "metric": metric,
                         **position(seen[metric][slot],
                                    np.array([s[metric][slot] for s in sims]))})
    return pd.DataFrame(rows)


def interval_rank(replications: int) -> int:
    """k of the 90% prediction interval from R values: the k-th smallest to k-th largest."""
    return max(1, math.floor(0.05 * (replications + 1)))


def nominal_coverage(replications: int) -> float:
    """The exact coverage of that interval for a value exchangeable with the R."""
    return (replications + 1 - 2 * interval_rank(replications)) / (replications + 1)


def position(observed: float, simulated: np.ndarray) -> dict[str, float]:
    """The observed value, the simulated mean and 90% interval, its position and whether the
    interval holds it (values that do not exist, nan, are left out)."""
    values = np.sort(simulated[~np.isnan(simulated)])
    if math.isnan(observed) or len(values) == 0:
        return {"observed": observed, "sim_mean": np.nan, "low": np.nan, "high": np.nan,
                "position": np.nan, "inside": np.nan, "beyond": np.nan,
                "replications": len(values), "nominal": np.nan}
    k = interval_rank(len(values))
    low, high = values[k - 1], values[len(values) - k]
    place = (np.sum(values < observed) + 0.5 * np.sum(values == observed)) / len(values)
    return {"observed": observed, "sim_mean": float(values.mean()), "low": float(low),
            "high": float(high), "position": float(place),
            "inside": float(low <= observed <= high),
            "beyond": float(observed < values[0] or observed > values[-1]),
            "replications": len(values), "nominal": nominal_coverage(len(values))}


def coverage_table(days: pd.DataFrame, slots: pd.DataFrame,
                   on_time: dict[str, float] | None = None) -> pd.DataFrame:
    """Per metric, the share of observed values inside their intervals, the exact binomial
    test of too low a coverage, and on which side the misses fall; then the period's on-time
    share (`position` of it), when the back office was compared."""
    day_metrics = [*DAY_METRICS, *(["dossiers_completed"]
                                   if (days["metric"] == "dossiers_completed").any() else [])]
    metrics = [("day", m, days) for m in day_metrics] + [("half-hour", m, slots)
                                                         for m in SLOT_METRICS]
    rows = [_coverage("day" if by == "day" else "half-hour", metric,
                      table[(table["metric"] == metric) & table["inside"].notna()],
                      len(metrics)) for by, metric, table in metrics]
    if on_time is not None:
        rows.append(_period_coverage("on_time_share", on_time))
    return pd.DataFrame(rows)


def _period_coverage(metric: str, placed: dict[str, float]) -> dict:
    """One value for the whole period is too few for the binomial tests: it is missed when it
    lies outside its 90% interval, as a planner reads a backtest (a model that holds misses
    so one time in ten)."""
    rows = pd.DataFrame([placed])
    row = _coverage("period", metric, rows[rows["inside"].notna()], 1)
    return {**row, "missed": bool(row["values"] == 1 and row["inside"] == 0)}


def _coverage(by: str, metric: str, rows: pd.DataFrame, family: int) -> dict:
    count = len(rows)
    if not count:
        return {"by": by, "metric": metric, "values": 0, "missed": False}
    inside, beyond = int(rows["inside"].sum()), int(rows["beyond"].sum())
    nominal = float(rows["nominal"].mean())  # values with fewer replications (nan left out)
    p_coverage = stats.binomtest(inside, count, nominal, alternative="less").pvalue
    p_beyond = stats.binom.sf(beyond - 1, count, float((2 / (rows["replications"] + 1)).mean()))
    return {"by": by, "metric": metric, "values": count, "inside": inside,
            "coverage": inside / count, "nominal": nominal, "p_coverage": p_coverage,
            "beyond": beyond, "p_beyond": float(p_beyond),
            "above": int((rows["observed"] > rows["high"]).sum()),
            "below": int((rows["observed"] < rows["low"]).sum()),
            "mean_position": float(rows["position"].mean()),
            "missed": bool(min(p_coverage, p_beyond) < FAMILY_ALPHA / (2 * family))}
