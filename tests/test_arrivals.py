"""Arrival intensity and its exact Poisson sampling.

Expected counts are checked exactly (they are sums of rate x length); the sampler is checked
statistically against the Poisson distribution with bounds derived below, on fixed seeds, so
every run of this file sees the same numbers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from scipy import stats

from sim.model.arrivals import Intensity, build_intensity, sample_arrival_times
from sim.model.arrivals import time_on_day as one_time_on_day
from sim.model.calendar import MINUTES_PER_DAY, Timeline, build_timeline
from sim.scenario.schema import Arrivals, Calendar

DAY = MINUTES_PER_DAY
START = dt.date(2025, 7, 1)  # a Tuesday
ALPHA = 1e-3  # family-wise false-alarm rate of each statistical test below

# A demo-like profile: a queue at the door from 06:30, a morning peak, nobody at lunch until
# 13:00, nobody after 17:00. Weights x minutes: 0.5 x 60 + 2 x 120 + 1 x 120 + 0.4 x 30
# + 1 x 210 = 30 + 240 + 120 + 12 + 210 = 612 per ordinary day.
PROFILE = {"06:30": 0.5, "07:30": 2, "09:30": 1, "11:30": 0, "13:00": 0.4, "13:30": 1,
           "17:00": 0}
PROFILE_MASS = 612.0


def model(arrivals: dict, **calendar: object) -> tuple[Intensity, Timeline]:
    cal = Calendar.model_validate({"start": START.isoformat(), "working_days": 5, **calendar})
    timeline = build_timeline(cal)
    return build_intensity(Arrivals.model_validate(arrivals), cal, timeline), timeline


def day_mass(intensity: Intensity, midnight: float, start: float = 0, end: float = DAY) -> float:
    """Expected arrivals between two clock times of the day that begins at ``midnight``."""
    return intensity.mass_until(midnight + end) - intensity.mass_until(midnight + start)


def segment_of(intensity: Intensity, times: np.ndarray) -> np.ndarray:
    """Index of the segment containing each time; -1 where none does."""
    index = np.searchsorted(intensity.starts, times, side="right") - 1
    inside = (index >= 0) & (times < intensity.starts[np.maximum(index, 0)]
                             + intensity.lengths[np.maximum(index, 0)])
    return np.where(inside, index, -1)


# --- expected counts ---------------------------------------------------------------------------

def test_segments_have_positive_rates_and_lengths_and_do_not_overlap() -> None:
    intensity, _ = model({"per_day": 300, "profile": PROFILE}, working_days=10,
                         saturday_sessions=["07:30-11:30"])
    assert (intensity.rates > 0).all()
    assert (intensity.lengths > 0).all()
    ends = intensity.starts + intensity.lengths
    assert (intensity.starts[1:] >= ends[:-1]).all()


def test_per_day_totals_are_per_day_times_weekday_factor_and_surges() -> None:
    surges = [{"from": "2025-07-02", "to": "2025-07-08", "factor": 1.5},
              {"from": "2025-07-07", "to": "2025-07-10", "factor": 2.0}]
    intensity, timeline = model(
        {"per_day": 200, "profile": PROFILE, "weekday_factor": {"mon": 1.1, "fri": 0.5},
         "surges": surges}, working_days=10)
    weekday = {0: 1.1, 4: 0.5}
    expected = {}
    for day in timeline.days:
        factor = weekday.get(day.date.weekday(), 1.0)
        if dt.date(2025, 7, 2) <= day.date <= dt.date(2025, 7, 8):
            factor *= 1.5
        if dt.date(2025, 7, 7) <= day.date <= dt.date(2025, 7, 10):
            factor *= 2.0  # overlapping surges multiply: 1.5 x 2 on 7 and 8 July
        expected[day.date] = 200 * factor
    assert expected[dt.date(2025, 7, 7)] == pytest.approx(200 * 1.1 * 1.5 * 2)
    for day in timeline.days:
        assert day_mass(intensity, day.midnight) == pytest.approx(expected[day.date], rel=1e-12)
    assert intensity.expected_total == pytest.approx(sum(expected.values()), rel=1e-12)


def test_surge_bounds_are_inclusive_and_a_zero_factor_removes_the_day() -> None:
    intensity, timeline = model(
        {"per_day": 100, "surges": [{"from": "2025-07-02", "to": "2025-07-02", "factor": 3}],
         "weekday_factor": {"thu": 0}})
    masses = {day.date: day_mass(intensity, day.midnight) for day in timeline.days}
    assert masses[dt.date(2025, 7, 1)] == pytest.approx(100)
    assert masses[dt.date(2025, 7, 2)] == pytest.approx(300)
    assert masses[dt.date(2025, 7, 3)] == 0
    assert masses[dt.date(2025, 7, 4)] == pytest.approx(100)


def test_per_hour_totals_are_rate_times_open_hours() -> None:
    intensity, timeline = model(
        {"per_hour": 12, "weekday_factor": {"sat": 0.5, "mon": 2}, "surges": [
            {"from": "2025-07-03", "to": "2025-07-03", "factor": 3}]},
        working_days=5, saturday_sessions=["08:00-11:00"])
    for day in timeline.days:
        weekday = day.date.weekday()
        if weekday == 5:
            expected = 12 * 3 * 0.5  # 3 open hours on Saturday, factor 0.5
        else:
            hours = 7.5  # 07:30-11:30 and 13:30-17:00
            factor = {0: 2, 3: 3}.get(weekday, 1)
            expected = 12 * hours * factor
        assert day_mass(intensity, day.midnight) == pytest.approx(expected, rel=1e-12)
    # Only inside sessions: nobody before opening or at lunch.
    tuesday = timeline.days[0]
    assert day_mass(intensity, tuesday.midnight, 0, 450) == 0
    assert day_mass(intensity, tuesday.midnight, 690, 810) == 0
    assert day_mass(intensity, tuesday.midnight, 1020, DAY) == 0
    assert day_mass(intensity, tuesday.midnight, 450, 510) == pytest.approx(12)


def test_profile_is_normalised_over_an_ordinary_day() -> None:
    intensity, timeline = model({"per_day": 306, "profile": PROFILE})
    tuesday = timeline.days[0]
    per_weight_minute = 306 / PROFILE_MASS
    assert day_mass(intensity, tuesday.midnight) == pytest.approx(306, rel=1e-12)
    pieces = {(390, 450): 0.5, (450, 570): 2, (570, 690): 1, (690, 780): 0, (780, 810): 0.4,
              (810, 1020): 1, (1020, DAY): 0, (0, 390): 0}
    for (start, end), weight in pieces.items():
        assert day_mass(intensity, tuesday.midnight, start, end) == pytest.approx(
            weight * (end - start) * per_weight_minute, rel=1e-12, abs=1e-12), (start, end)


def test_profile_is_cut_at_a_shorter_days_closing() -> None:
    intensity, timeline = model({"per_day": 306, "profile": PROFILE,
                                 "weekday_factor": {"sat": 0.8}},
                                saturday_sessions=["07:30-11:30"])
    saturday = next(day for day in timeline.days if day.date.weekday() == 5)
    per_weight_minute = 306 / PROFILE_MASS  # normalised over the ordinary day, not Saturday
    morning = 0.5 * 60 + 2 * 120 + 1 * 120  # the profile up to Saturday's 11:30 closing
    assert day_mass(intensity, saturday.midnight) == pytest.approx(
        0.8 * morning * per_weight_minute, rel=1e-12)
    assert day_mass(intensity, saturday.midnight, 690, DAY) == 0
    # A closing inside a profile step cuts the step there.
    intensity, timeline = model({"per_day": 306, "profile": PROFILE},
                                saturday_sessions=["07:30-10:00"])
    saturday = next(day for day in timeline.days if day.date.weekday() == 5)
    assert day_mass(intensity, saturday.midnight) == pytest.approx(
        (30 + 240 + 30) * per_weight_minute, rel=1e-12)
    assert day_mass(intensity, saturday.midnight, 600, DAY) == 0


def test_profile_after_closing_is_ignored_and_last_key_holds_until_closing() -> None:
    intensity, timeline = model({"per_day": 114, "profile": {"07:30": 1, "18:00": 5}})
    tuesday = timeline.days[0]
    # "07:30": 1 holds to the 17:00 closing, lunch included (people wait for the afternoon).
    assert day_mass(intensity, tuesday.midnight) == pytest.approx(114, rel=1e-12)
    assert day_mass(intensity, tuesday.midnight, 690, 810) == pytest.approx(114 * 120 / 570)
    assert day_mass(intensity, tuesday.midnight, 1020, DAY) == 0


def test_longer_sessions_keep_visitors_when_the_profile_ends_with_zero() -> None:
    ordinary, _ = model({"per_day": 306, "profile": PROFILE})
    longer, _ = model({"per_day": 306, "profile": PROFILE},
                      sessions=["07:00-11:30", "13:30-17:30"])
    np.testing.assert_array_equal(ordinary.starts, longer.starts)
    np.testing.assert_allclose(ordinary.rates, longer.rates, rtol=1e-12)


def test_without_profile_arrivals_are_even_over_the_sessions() -> None:
    intensity, timeline = model({"per_day": 90})
    tuesday = timeline.days[0]
    assert day_mass(intensity, tuesday.midnight, 450, 690) == pytest.approx(90 * 240 / 450)
    assert day_mass(intensity, tuesday.midnight, 690, 810) == 0
    assert day_mass(intensity, tuesday.midnight, 810, 1020) == pytest.approx(90 * 210 / 450)
    np.testing.assert_allclose(intensity.rates, 90 / 450)


# --- sampling ----------------------------------------------------------------------------------

def test_no_arrivals_where_the_intensity_is_zero() -> None:
    intensity, timeline = model(
        {"per_day": 300, "profile": PROFILE, "weekday_factor": {"wed": 0}},
        working_days=5, saturday_sessions=["07:30-11:30"])
    rng = np.random.default_rng(20250701)
    times = np.concatenate([sample_arrival_times(intensity, rng) for _ in range(200)])
    assert len(times) > 200 * 1000
    assert (segment_of(intensity, times) >= 0).all()
    clock = times % DAY
    day_number = (times // DAY).astype(int)
    weekday = (START.weekday() + day_number) % 7
    assert not np.isin(weekday, [2, 6]).any()  # Wednesday has factor 0; Sunday is closed
    assert (clock >= 390).all()  # nobody before 06:30
    assert not ((clock >= 690) & (clock < 780)).any()  # lunch, until the 13:00 door queue
    assert (clock < 1020).all()  # nobody after 17:00
    assert (clock[weekday == 5] < 690).all()  # Saturday closes at 11:30
    opening_days = {(day.date - START).days for day in timeline.days}
    assert set(day_number.tolist()) <= opening_days


def test_sampled_times_are_sorted_and_inside_segments() -> None:
    intensity, _ = model({"per_day": 300, "profile": PROFILE}, working_days=10)
    rng = np.random.default_rng(7)
    for _ in range(50):
        times = sample_arrival_times(intensity, rng)
        assert (np.diff(times) >= 0).all()
        assert (segment_of(intensity, times) >= 0).all()


def test_empty_intensity_gives_no_arrivals() -> None:
    intensity, _ = model({"per_day": 100, "weekday_factor": {d: 0 for d in
                                                             ("mon", "tue", "wed", "thu", "fri")}})
    assert intensity.expected_total == 0
    assert len(sample_arrival_times(intensity, np.random.default_rng(1))) == 0


def test_inverse_of_cumulative_intensity_is_exact() -> None:
    """time_at inverts mass_until everywhere, including inside a 5-minute peak."""
    intensity, _ = model(PEAKED, working_days=2, sessions=["07:30-11:30"])
    mass = np.linspace(0, intensity.expected_total, 10_001)[:-1]
    times = intensity.time_at(mass)
    assert (np.diff(times) > 0).all()
    recovered = np.array([intensity.mass_until(t) for t in times])
    np.testing.assert_allclose(recovered, mass, rtol=0, atol=1e-9)


class _EvenlySpaced:
    """A stand-in generator whose 'exponential' gaps are all 0.1, so that the first batch of
    unit-rate points falls short of the total and the sampler has to draw more."""

    def exponential(self, scale: float, size: int) -> np.ndarray:
        return np.full(size, 0.1)


def test_sampler_draws_more_points_when_the_first_batch_falls_short() -> None:
    intensity, _ = model({"per_day": 60}, working_days=2)
    times = sample_arrival_times(intensity, _EvenlySpaced())  # type: ignore[arg-type]
    # Unit-rate points 0.1, 0.2, ... below the total mass of 120, mapped through the inverse.
    assert len(times) in (1199, 1200)
    mass = np.array([intensity.mass_until(t) for t in times])
    np.testing.assert_allclose(mass, 0.1 * np.arange(1, len(times) + 1), atol=1e-9)


# A 4-hour morning with a 5-minute peak at 50 times the base rate and a near-empty hour.
# Weights x minutes: 1 x 90 + 50 x 5 + 1 x 55 + 0.05 x 60 + 1 x 30 = 428.
PEAKED = {"per_day": 60,
          "profile": {"07:30": 1, "09:00": 50, "09:05": 1, "10:00": 0.05, "11:00": 1}}
DRAWS = 4000


@pytest.fixture(scope="module")
def peaked_draws() -> tuple[Intensity, np.ndarray, list[np.ndarray]]:
    """DRAWS independent runs of the peaked intensity over two days: counts per segment."""
    intensity, _ = model(PEAKED, working_days=2, sessions=["07:30-11:30"])
    rng = np.random.default_rng(42)
    samples = [sample_arrival_times(intensity, rng) for _ in range(DRAWS)]
    counts = np.array([np.bincount(segment_of(intensity, t), minlength=len(intensity.rates))
                       for t in samples])
    return intensity, counts, samples


def test_peaked_intensity_has_the_five_minute_peak() -> None:
    intensity, _ = model(PEAKED, working_days=2, sessions=["07:30-11:30"])
    expected = intensity.rates * intensity.lengths
    assert len(expected) == 10
    np.testing.assert_allclose(expected[:5], 60 * np.array([90, 250, 55, 3, 30]) / 428)
    assert intensity.lengths[1] == 5
    assert intensity.rates[1] == pytest.approx(50 * intensity.rates[0])


def test_sampler_mean_count_per_segment_matches_the_intensity(peaked_draws) -> None:
    # In a Poisson process the count N_k in segment k of one run is Poisson(lam_k) with
    # lam_k = rate_k x length_k, so E N_k = Var N_k = lam_k. Over M independent runs the mean
    # count has E = lam_k and Var = lam_k / M; with M x lam_k >= 1,600 here (the near-empty
    # hour has lam = 0.42), the CLT makes Z_k = (mean_k - lam_k) / sqrt(lam_k / M) standard
    # normal to a good approximation. Testing all K segments each at level ALPHA / K
    # (Bonferroni) keeps the chance of any false alarm at most ALPHA:
    # |Z_k| <= z = Phi^-1(1 - ALPHA / (2K)) for every k.
    intensity, counts, _ = peaked_draws
    lam = intensity.rates * intensity.lengths
    segments = len(lam)
    assert DRAWS * lam.min() > 1000
    z_bound = stats.norm.ppf(1 - ALPHA / (2 * segments))
    z = (counts.mean(axis=0) - lam) / np.sqrt(lam / DRAWS)
    assert np.abs(z).max() <= z_bound, dict(zip(lam.round(2), z.round(2), strict=True))
    # The sampler puts nobody outside the segments.
    assert counts.sum() == sum(len(t) for t in peaked_draws[2])


def test_sampler_total_count_has_poisson_dispersion(peaked_draws) -> None:
    # The total over the horizon is Poisson(Lambda). For M independent Poisson counts, Fisher's
    # index of dispersion D = (M - 1) s^2 / mean is approximately chi-square with M - 1 degrees
    # of freedom, so s^2 / mean lies in [chi2(ALPHA/2), chi2(1 - ALPHA/2)] / (M - 1) with
    # probability 1 - ALPHA. A sampler that loses or duplicates points in bursts (or a
    # thinning grid that skips the peak) changes the ratio or the mean.
    intensity, counts, _ = peaked_draws
    totals = counts.sum(axis=1)
    ratio = totals.var(ddof=1) / totals.mean()
    low = stats.chi2.ppf(ALPHA / 2, DRAWS - 1) / (DRAWS - 1)
    high = stats.chi2.ppf(1 - ALPHA / 2, DRAWS - 1) / (DRAWS - 1)
    assert low <= ratio <= high, (low, ratio, high)
    # And the mean total: Var(mean) = Lambda / M, two-sided normal bound at level ALPHA.
    total = intensity.expected_total
    assert abs(totals.mean() - total) <= stats.norm.ppf(1 - ALPHA / 2) * np.sqrt(total / DRAWS)


def test_sampler_spreads_points_uniformly_inside_the_peak(peaked_draws) -> None:
    # Given their number, Poisson points in a constant-rate segment are independent uniforms:
    # a Kolmogorov-Smirnov test of their positions within the 5-minute peak (both days).
    intensity, _, samples = peaked_draws
    times = np.concatenate(samples)
    index = segment_of(intensity, times)
    for peak in (1, 6):
        inside = times[index == peak]
        position = (inside - intensity.starts[peak]) / intensity.lengths[peak]
        assert stats.kstest(position, "uniform").pvalue > ALPHA / 2


# --- time_on_day -------------------------------------------------------------------------------


def time_on_day(intensity: Intensity, day, uniforms: np.ndarray) -> np.ndarray:
    """`sim.model.arrivals.time_on_day` of each uniform."""
    return np.array([one_time_on_day(intensity, day, float(u)) for u in uniforms])


def returning_model():
    return model({"per_day": 306, "profile": PROFILE,
                  "weekday_factor": {"mon": 1.1, "wed": 0}},
                 working_days=6, saturday_sessions=["07:30-11:30"])


def quantile_grid(n: int = 800) -> np.ndarray:
    return (np.arange(n) + 0.5) / n


def test_time_on_day_lands_on_that_day_with_its_profile() -> None:
    intensity, timeline = returning_model()
    u = quantile_grid()
    for day in timeline.days:
        if day.date.weekday() == 2:
            continue  # factor 0, see below
        times = time_on_day(intensity, day, u)
        assert (times >= day.midnight).all() and (times < day.midnight + DAY).all()
        assert (times <= day.closes).all()
        assert (np.diff(times) > 0).all()
        assert (segment_of(intensity, times) >= 0).all()
        # The uniform u maps to the u-quantile of that day's arrivals.
        low = intensity.mass_until(day.midnight)
        share = np.array([intensity.mass_until(t) - low for t in times]) / day_mass(
            intensity, day.midnight)
        np.testing.assert_allclose(share, u, atol=1e-9)


def test_time_on_day_uses_the_shape_of_that_days_profile() -> None:
    intensity, timeline = returning_model()
    u = quantile_grid()
    by_weekday = {day.date.weekday(): day for day in timeline.days}
    tuesday, monday, saturday = by_weekday[1], by_weekday[0], by_weekday[5]
    on_tuesday = time_on_day(intensity, tuesday, u) - tuesday.midnight
    on_monday = time_on_day(intensity, monday, u) - monday.midnight
    on_saturday = time_on_day(intensity, saturday, u) - saturday.midnight
    # Monday's factor scales its volume, not its shape.
    np.testing.assert_allclose(on_monday, on_tuesday, atol=1e-6)
    # Before 09:30: (0.5 x 60 + 2 x 120) / 612 of an ordinary day, / 390 of the Saturday.
    assert np.mean(on_tuesday < 570) == pytest.approx(270 / PROFILE_MASS, abs=1 / len(u))
    assert np.mean(on_saturday < 570) == pytest.approx(270 / 390, abs=1 / len(u))
    assert on_saturday.max() < 690
    assert on_tuesday.min() >= 390  # the door queue from 06:30 is part of the profile


def test_time_on_day_without_expected_arrivals_is_at_opening() -> None:
    intensity, timeline = returning_model()
    wednesday = next(day for day in timeline.days if day.date.weekday() == 2)
    times = time_on_day(intensity, wednesday, np.random.default_rng(3).random(50))
    np.testing.assert_array_equal(times, np.full(50, wednesday.midnight + 450))


def test_time_on_day_with_random_uniforms_follows_the_profile() -> None:
    # With n uniforms the count before 09:30 is Binomial(n, p): a two-sided normal bound.
    intensity, timeline = returning_model()
    tuesday = timeline.days[0]
    n = 20_000
    times = time_on_day(intensity, tuesday, np.random.default_rng(11).random(n))
    p = 270 / PROFILE_MASS
    before = np.sum(times - tuesday.midnight < 570)
    assert abs(before - n * p) <= stats.norm.ppf(1 - ALPHA / 2) * np.sqrt(n * p * (1 - p))


def test_masses_until_gives_the_numbers_of_mass_until() -> None:
    """Many segments (numpy sums more than 128 numbers in blocks) and times before, inside and
    after them: the same floats, bit for bit, so offered loads do not move."""
    rng = np.random.default_rng(5)
    starts = np.cumsum(rng.uniform(1, 30, 300))
    intensity = Intensity(starts, rng.uniform(0.5, 20, 300), rng.uniform(0.001, 3, 300))
    times = np.concatenate([rng.uniform(-10, starts[-1] + 50, 500), starts[:50], [0.0]])
    expected = [Intensity(starts, intensity.lengths, intensity.rates).mass_until(float(t))
                for t in times]
    assert intensity.masses_until(times).tolist() == expected
