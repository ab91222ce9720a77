"""Arrivals from ticket times: visitors per ordinary day, the weekday pattern and the
half-hour profile, each with its interval.

- **First trips.** A ticket log cannot tell a citizen who comes back from a new one. Citizens
  sent back for a missing paper always return in the model, which adds their return trips by
  itself; so those returns are taken out here (one per `document_missing` ticket) and
  `per_day` counts first trips.
- **per_day** is the mean of first trips per opening day, with Garwood's exact Poisson
  interval; when the days vary more than Poisson allows (`poisson_tests`), a wider
  interval from the days' own spread (Student t) is given instead.
- **weekday_factor** is each weekday's mean over `per_day`, written only when the weekdays
  differ beyond chance (a chi-square test of equal weekday means at 5%); its interval comes
  from that weekday's share of all tickets (Clopper-Pearson).
- **profile**: tickets per half-hour of the clock, pooled over the opening days (the model
  applies one profile to every day), as visitors per hour on an ordinary day; each value's
  interval is that half-hour's share of the day (Clopper-Pearson).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.fields import DOCUMENT_MISSING, TICKET
from sim.calibrate.intervals import LEVEL, Estimate, poisson_mean, proportion
from sim.calibrate.period import WEEKDAY_NAMES
from sim.calibrate.sample import TicketSample

SLOT = 30  # minutes of a profile step
WEEKDAY_TEST_LEVEL = 0.05


@dataclass(frozen=True)
class WeekdayFit:
    """Expected first trips on a weekday, and that as a factor of per_day."""

    weekday: str
    days: int
    mean: Estimate
    factor: Estimate


@dataclass(frozen=True)
class ArrivalFit:
    """What the tickets say about arrivals."""

    per_day: Estimate  # first trips on an ordinary opening day
    days: int
    tickets: int  # tickets counted (first trips and returns)
    returns: int  # tickets taken out as return trips (document_missing)
    weekdays: list[WeekdayFit]
    weekdays_differ: bool
    weekday_p: float  # chi-square test of equal weekday means
    profile: dict[str, Estimate]  # clock -> visitors per hour; the last key holds 0
    daily: pd.DataFrame  # date, weekday, tickets, first_trips


def fit_arrivals(sample: TicketSample, overdispersed: bool = False,
                 level: float = LEVEL) -> ArrivalFit:
    """Fit per_day, weekday factors and the profile from the opening days' tickets."""
    daily = daily_counts(sample)
    tickets, returns = int(daily["tickets"].sum()), int(daily["returns"].sum())
    first = tickets - returns
    per_day = (_spread_interval(daily["first_trips"], level) if overdispersed
               else poisson_mean(first, len(daily), level))
    weekdays = [_weekday(daily, name, per_day.value, first, level)
                for name in WEEKDAY_NAMES if (daily["weekday"] == name).any()]
    p_value = weekday_test(daily)
    return ArrivalFit(per_day, len(daily), tickets, returns, weekdays,
                      p_value < WEEKDAY_TEST_LEVEL, p_value,
                      _profile(sample, per_day.value, level), daily)


def daily_counts(sample: TicketSample) -> pd.DataFrame:
    """Tickets, returns and first trips per opening day."""
    frame = sample.frame
    returns = (frame[TICKET.reason] == DOCUMENT_MISSING).groupby(frame["date"]).sum()
    tickets = frame.groupby("date").size()
    daily = pd.DataFrame({"tickets": tickets, "returns": returns}).reindex(sample.days,
                                                                          fill_value=0)
    daily["first_trips"] = daily["tickets"] - daily["returns"]
    daily.index.name = "date"
    daily = daily.reset_index()
    daily["weekday"] = [WEEKDAY_NAMES[date.weekday()] for date in daily["date"]]
    return daily


def _spread_interval(counts: pd.Series, level: float) -> Estimate:
    n = len(counts)
    mean = float(counts.mean())
    half = stats.t.ppf(0.5 + level / 2, n - 1) * counts.std(ddof=1) / math.sqrt(n)
    return Estimate(mean, max(0.0, mean - half), mean + half, int(counts.sum()), level)


def _weekday(daily: pd.DataFrame, name: str, per_day: float, first: int,
             level: float) -> WeekdayFit:
    mine = daily[daily["weekday"] == name]
    count, days = int(mine["first_trips"].sum()), len(mine)
    share = proportion(count, first, level)
    to_factor = len(daily) / days  # factor = share * all days / its days
    factor = Estimate(share.value * to_factor, share.low * to_factor, share.high * to_factor,
                      count, level)
    return WeekdayFit(name, days, poisson_mean(count, days, level), factor)


def weekday_test(daily: pd.DataFrame) -> float:
    """p-value of equal expected counts on every weekday (Poisson: weekday totals given the
    grand total are multinomial in proportion to each weekday's days)."""
    groups = daily.groupby("weekday")["first_trips"].agg(["sum", "size"])
    if len(groups) < 2 or groups["sum"].sum() == 0:
        return 1.0
    expected = groups["sum"].sum() * groups["size"] / groups["size"].sum()
    statistic = float((((groups["sum"] - expected) ** 2) / expected).sum())
    return float(stats.chi2.sf(statistic, len(groups) - 1))


def _profile(sample: TicketSample, per_day: float, level: float) -> dict[str, Estimate]:
    """Visitors per hour in each half-hour, from the first to the last half-hour with a
    ticket, then 0."""
    slots = (sample.frame["clock"] // SLOT).astype(int)
    counts = np.bincount(slots, minlength=48)[:48]
    total = int(counts.sum())
    used = np.flatnonzero(counts)
    per_hour = per_day * 60 / SLOT
    profile = {clock_text(slot * SLOT): proportion(int(counts[slot]), total, level).scaled(
        per_hour) for slot in range(used[0], used[-1] + 1)}
    end = (used[-1] + 1) * SLOT
    profile[clock_text(end)] = Estimate(0.0, 0.0, 0.0, total, level)
    return profile


def clock_text(minutes: int) -> str:
    """Minutes after midnight as the scenario's "HH:MM" (24:00 at the end of the day)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
