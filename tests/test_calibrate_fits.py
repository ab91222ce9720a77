"""The fits and tests of `sim calibrate` on data whose truth is set here: the Poisson tests
reject what is not Poisson and keep what is (minute rounding included), the service fit
chooses the right family and falls back when few, and the patience interval is honest about
how little a few absentees say.

Each check on random data is seeded; a check that a true null is kept uses the level
0.05 / (number of such checks in the test).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.calibrate.arrivals_fit import daily_counts
from sim.calibrate.fields import CUSTOMER_ABSENT, SUCCESS, TICKET
from sim.calibrate.patience_fit import fit_patience
from sim.calibrate.period import Period
from sim.calibrate.poisson_tests import block_transforms, check_poisson
from sim.calibrate.sample import TicketSample
from sim.calibrate.service_fit import MIN_SAMPLE, fit_durations, fit_services

DAYS = [dt.date(2025, 7, 1) + dt.timedelta(days=k) for k in range(40)]
DAYS = [day for day in DAYS if day.weekday() < 5][:20]
OPEN, CLOSE = 8 * 60.0, 12 * 60.0


def sample_of(clocks: list[np.ndarray], unrounded: bool = True) -> TicketSample:
    """A ticket sample with these arrival clocks (minutes) on each of the first days."""
    frame = pd.DataFrame({
        "date": np.repeat(DAYS[:len(clocks)], [len(c) for c in clocks]),
        "clock": np.concatenate(clocks),
    })
    frame[TICKET.reason] = SUCCESS
    frame["procedure"] = "intake"
    period = Period(DAYS[0], DAYS[len(clocks) - 1])
    return TicketSample(frame, DAYS[:len(clocks)], [], 0, period, "synthetic", unrounded)


def poisson_day(rng: np.random.Generator, rate: float) -> np.ndarray:
    return np.sort(rng.uniform(OPEN, CLOSE, rng.poisson(rate * (CLOSE - OPEN))))


def poisson_of(sample: TicketSample):
    return check_poisson(sample, daily_counts(sample))


def test_a_poisson_process_passes_all_three_tests() -> None:
    rng = np.random.default_rng(1)
    tests = poisson_of(sample_of([poisson_day(rng, 0.8) for _ in DAYS]))
    for result in (tests.uniform, tests.spacings, tests.dispersion):
        assert result.p_value >= 0.05 / 3, result


def test_minute_rounding_would_reject_poisson_unless_spread() -> None:
    """The first pitfall: times to the whole minute are ties; spread within the minute they
    pass, left as they are they fail."""
    rng = np.random.default_rng(2)
    days = [np.floor(poisson_day(rng, 0.8)) for _ in DAYS]
    spread = [day + rng.uniform(0, 1, len(day)) for day in days]  # as ticket_sample does
    assert poisson_of(sample_of(spread)).uniform.p_value >= 0.05
    positions, _ = block_transforms(sample_of(days), 10.0)
    assert poisson_of(sample_of(days)).uniform.p_value < 1e-6
    assert len(np.unique(np.round(positions, 6))) <= 10  # positions only at whole minutes


def test_groups_and_appointments_fail_the_spacings_test() -> None:
    rng = np.random.default_rng(3)
    pairs = []
    for _ in DAYS:
        first = poisson_day(rng, 0.4)
        pairs.append(np.sort(np.concatenate([first, first + rng.uniform(0, 0.1, len(first))])))
    assert poisson_of(sample_of(pairs)).spacings.p_value < 1e-6
    regular = [np.arange(OPEN, CLOSE, 3.0) + rng.uniform(0, 0.2, 80) for _ in DAYS]
    assert poisson_of(sample_of(regular)).spacings.p_value < 1e-6


def test_a_rate_that_varies_from_day_to_day_is_over_dispersed() -> None:
    """Within days Poisson (the CU test cannot see it), across days not."""
    rng = np.random.default_rng(4)
    rates = rng.gamma(1 / 0.3**2, 0.8 * 0.3**2, len(DAYS))
    tests = poisson_of(sample_of([poisson_day(rng, rate) for rate in rates]))
    assert tests.dispersion.p_value < 1e-6 and tests.dispersion_ratio > 3
    assert tests.uniform.p_value >= 0.05


@pytest.mark.parametrize(("dist", "draw"), [
    ("exponential", lambda rng: rng.exponential(9.0, 800)),
    ("gamma", lambda rng: rng.gamma(1 / 0.5**2, 9.0 * 0.5**2, 800)),
    ("lognormal", lambda rng: rng.lognormal(np.log(9.0) - np.log1p(0.8**2) / 2,
                                            np.sqrt(np.log1p(0.8**2)), 800)),
])
def test_the_service_fit_chooses_the_family_and_covers_the_mean(dist: str, draw) -> None:
    fit = fit_durations(draw(np.random.default_rng(5)), level=0.99, bootstrap=49)
    assert fit.best.dist == dist
    assert fit.mean.covers(9.0)
    assert fit.p_value >= 0.01


def test_a_mixture_fails_the_goodness_of_fit_test() -> None:
    rng = np.random.default_rng(6)
    mixture = np.concatenate([rng.gamma(40, 0.1, 600), rng.gamma(40, 0.5, 600)])
    assert fit_durations(mixture, bootstrap=99).p_value <= 0.01


def test_few_durations_take_the_desks_pooled_fit_and_implausible_ones_are_left_out() -> None:
    rng = np.random.default_rng(7)
    many = np.append(rng.gamma(4, 2.0, 500), [0.01, 1000.0])
    fits = fit_services({"a": many, "b": rng.gamma(4, 2.0, MIN_SAMPLE - 1)},
                        {"a": "general", "b": "general"}, bootstrap=9)
    assert [fit.pooled for fit in fits] == [False, True]
    assert fits[0].fit.implausible == 2
    assert fits[1].fit.n == 500 + MIN_SAMPLE - 1


def patience_sample(rng: np.random.Generator, n: int, longest_wait: float) -> TicketSample:
    """Current-status data: waits until the call uniform up to `longest_wait`, exponential
    patience of mean 60; whoever's patience is shorter is absent at the call."""
    waits = rng.uniform(0.5, longest_wait, n)
    absent = rng.exponential(60.0, n) < waits
    frame = pd.DataFrame({"wait": waits,
                          TICKET.reason: np.where(absent, CUSTOMER_ABSENT, SUCCESS),
                          "date": DAYS[0], "clock": OPEN})
    return TicketSample(frame, DAYS, [], 0, Period(DAYS[0], DAYS[-1]), "synthetic", False)


def test_patience_is_recovered_from_censored_waits() -> None:
    fit = fit_patience(patience_sample(np.random.default_rng(8), 4000, 120.0), level=0.99)
    assert fit.mean.covers(60.0)
    assert fit.curve_survival[0] >= fit.curve_survival[-1]  # a survival curve


def test_few_absentees_give_an_honest_wide_interval() -> None:
    """Short waits: a few give up, the mean lies far beyond the longest wait seen; the
    interval still covers it (two checks: level 0.975 each) and the fit asks for more
    weeks of records than it had, fewer once it has ten times as many."""
    rng = np.random.default_rng(9)
    few = fit_patience(patience_sample(rng, 300, 8.0), level=0.975)
    many = fit_patience(patience_sample(rng, 3000, 8.0), level=0.975)
    assert len(few.waits.gave_up_before) < 40
    assert few.mean.covers(60.0) and many.mean.covers(60.0)
    assert few.weeks_needed > few.weeks
    assert many.weeks_needed < few.weeks_needed
