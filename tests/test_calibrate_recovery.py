"""`sim calibrate` recovers the known ward centre behind the bundled example records.

The records (scenarios/records/) were made by simulating scenarios/records/ward_truth.yaml once
with the generator's seed. Each interval check asks whether the truth lies in the interval the
calibration states; the K checks of this file share one set of records, so every interval is
computed at level 1 - 0.05 / K (Bonferroni) and the file as a whole fails by chance with
probability at most 5%. The three Poisson tests, whose null hypothesis the truth satisfies, are
in the same family. Deterministic parts (sessions, schedules, deadlines, the backlog) must be
recovered exactly.

Known small biases, each far below the intervals: first trips are tickets less the returns of
the same day's missing papers (the return itself comes a day later), which moves a weekday's
mean by about q (Friday - Monday) = 0.022 x (119 - 175) = -1.2 visitors, a fifth of its
standard error.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.calibrate.calibration import Calibration, CalibrationRequest, calibrate
from sim.calibrate.example.generate import RECORDS, SEED, TRUTH
from sim.calibrate.intervals import Estimate
from sim.model.centre import simulate
from sim.scenario.load import load_scenario
from sim.scenario.schema import clock_minutes

K = 45  # interval checks (42) and Poisson tests (3) on this one set of records
LEVEL = 1 - 0.05 / K
FIRST, LAST = dt.date(2025, 7, 1), dt.date(2025, 7, 28)
TRUTH_SCENARIO = load_scenario(TRUTH).baseline


@pytest.fixture(scope="module")
def calibration() -> Calibration:
    return calibrate(CalibrationRequest(
        RECORDS / "ward_tickets.csv", RECORDS / "ward_dossiers.xlsx",
        RECORDS / "ward_columns.yaml", FIRST, LAST, back_office_staff=10, skip_bad=True,
        level=LEVEL, bootstrap=49))


def truth_profile_shares() -> dict[str, float]:
    """Each half-hour's share of an ordinary day's arrivals in the truth."""
    profile = TRUTH_SCENARIO.arrivals.profile
    closing = clock_minutes(TRUTH_SCENARIO.calendar.sessions[-1].split("-")[1])
    keys = sorted((clock_minutes(k), v) for k, v in profile.items())
    mass = {}
    for minute in range(keys[0][0], closing, 30):
        value = [v for k, v in keys if k <= minute][-1]
        mass[f"{minute // 60:02d}:{minute % 60:02d}"] = value * 30
    total = sum(mass.values())
    return {clock: value / total for clock, value in mass.items()}


def interval_checks(calibration: Calibration) -> list[tuple[str, float, Estimate]]:
    """(what, truth, stated interval) for every interval check of the file."""
    truth = TRUTH_SCENARIO
    procedures = {p.id: p for p in truth.procedures}
    checks = []
    factor = truth.arrivals.weekday_factor
    for weekday in calibration.arrivals.weekdays:
        checks.append((f"first trips on {weekday.weekday}",
                       truth.arrivals.per_day * factor.get(weekday.weekday, 1.0), weekday.mean))
    per_hour = 2 * calibration.arrivals.per_day.value
    shares = truth_profile_shares()
    for clock, estimate in calibration.arrivals.profile.items():
        if clock in shares:
            checks.append((f"profile {clock}", shares[clock], estimate.scaled(1 / per_hour)))
    for share in calibration.shares.procedures:
        checks.append((f"share of {share.procedure}", procedures[share.procedure].share,
                       share.share))
    for fit in calibration.services:
        if not fit.pooled:
            service = procedures[fit.procedure].service
            checks.append((f"service mean of {fit.procedure}", service.mean, fit.fit.mean))
            checks.append((f"service cv of {fit.procedure}", service.cv, fit.fit.cv))
    civil = next(s for s in calibration.shares.procedures if s.procedure == "civil_status")
    checks.append(("incomplete civil_status", procedures["civil_status"].incomplete,
                   civil.incomplete))
    checks.append(("patience mean", truth.patience.mean, calibration.patience.mean))
    for dossiers in calibration.dossier_fit.procedures:
        if dossiers.procedure in ("land", "business"):
            (period,) = dossiers.online
            checks.append((f"online share of {dossiers.procedure}",
                           procedures[dossiers.procedure].online_share, period.share))
    return checks


def test_every_parameter_lies_in_its_interval(calibration: Calibration) -> None:
    checks = interval_checks(calibration)
    assert len(checks) + 3 == K
    missed = [f"{what}: truth {value:g} outside {estimate.low:g} to {estimate.high:g}"
              for what, value, estimate in checks if not estimate.covers(value)]
    assert not missed, missed
    assert all(estimate.level == LEVEL for _, _, estimate in checks)


def test_the_poisson_tests_do_not_reject_the_poisson_truth(calibration: Calibration) -> None:
    tests = calibration.poisson
    for result in (tests.uniform, tests.spacings, tests.dispersion):
        assert result.p_value >= 0.05 / K, result


def test_service_families_and_the_pooled_fallback(calibration: Calibration) -> None:
    truth = {p.id: p.service.dist for p in TRUTH_SCENARIO.procedures}
    chosen = {fit.procedure: (fit.fit.best.dist, fit.pooled) for fit in calibration.services}
    assert chosen == {p: (truth[p], p == "residence") for p in truth}
    residence = next(fit for fit in calibration.services if fit.procedure == "residence")
    assert residence.own_n < 50 and residence.fit.n > 1000  # the general desk's durations


def test_opening_hours_and_counters_are_recovered(calibration: Calibration) -> None:
    counters = calibration.counters
    assert counters.sessions == TRUTH_SCENARIO.calendar.sessions
    for name, desk in TRUTH_SCENARIO.desks.items():
        assert counters.desks[name].counters == desk.counters
        assert counters.desks[name].schedule == (desk.schedule or {"07:30": desk.counters})


def test_deadlines_and_the_backlog_are_recovered(calibration: Calibration) -> None:
    fit = calibration.dossier_fit
    deadlines = {p.procedure: p.deadline for p in fit.procedures}
    assert deadlines == {p.id: p.deadline.working_days for p in TRUTH_SCENARIO.procedures
                         if p.deadline}
    expected = truth_days_left()
    assert {p.procedure: p.backlog_days_left for p in fit.procedures
            if p.backlog_days_left} == expected
    assert {name: len(values) for name, values in expected.items()} == {
        item.procedure: item.count for item in TRUTH_SCENARIO.backlog}


def truth_days_left() -> dict[str, list[int]]:
    """The transferred dossiers' working days left, from the truth's own run."""
    record = simulate(TRUTH_SCENARIO, SEED)
    dossiers = record.dossiers
    backlog = dossiers["source"] == 2  # SOURCES: counter, online, backlog
    start = np.datetime64(TRUTH_SCENARIO.calendar.start, "D")
    due_days = start + np.floor(dossiers["due"][backlog] / 1440).astype(int)
    left = np.where(due_days >= start, np.busday_count(start, due_days),
                    -np.busday_count(due_days, start))
    ids = [p.id for p in TRUTH_SCENARIO.procedures]
    found: dict[str, list[int]] = {}
    for procedure, value in zip(dossiers["procedure"][backlog], left, strict=True):
        found.setdefault(ids[procedure], []).append(int(value))
    return {name: sorted(values) for name, values in found.items()}


def test_the_staff_hours_bound_holds(calibration: Calibration) -> None:
    """The throughput estimate is an upper bound of the truth's mean work per dossier."""
    record = simulate(TRUTH_SCENARIO, SEED)
    finished = record.dossiers["completed"]
    in_period = ~np.isnan(finished) & (finished < 28 * 1440)
    assert record.dossiers["work"][in_period].mean() <= calibration.dossier_fit.hours_per_dossier
