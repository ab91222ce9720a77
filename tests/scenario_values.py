"""Hypothesis strategies for the values inside a scenario: clock times, numbers as planners
write them, distributions, and sessions. tests/scenario_strategies.py builds whole documents
from them; like it, this module is imported by its bare name.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

QUARTERS_PER_DAY = 96  # clock times are drawn on a 15-minute grid
Draw = st.DrawFn


def clock(quarters: int) -> str:
    """The clock time `quarters` quarter-hours after midnight."""
    return f"{quarters * 15 // 60:02d}:{quarters * 15 % 60:02d}"


def quarter(time: str) -> int:
    """The quarter-hour of an HH:MM clock time on the grid."""
    hours, minutes = time.split(":")
    return (int(hours) * 60 + int(minutes)) // 15


def clocks(low: int = 0, high: int = QUARTERS_PER_DAY) -> st.SearchStrategy[str]:
    """Clock times on the grid, 00:00 to 24:00."""
    return st.integers(low, high).map(clock)


def number(low: float, high: float) -> st.SearchStrategy[float]:
    """A whole number or one with two decimals, as a planner writes them, in [low, high]."""
    decimals = st.floats(low, high).map(lambda x: min(max(round(x, 2), low), high))
    whole = (math.ceil(low), math.floor(high))
    return st.one_of(st.integers(*whole), decimals) if whole[0] <= whole[1] else decimals


def positive(high: float) -> st.SearchStrategy[float]:
    """A number above 0 (at least 0.01), at most `high`."""
    return number(0.01, high)


# --- distributions -----------------------------------------------------------------------------
def durations(scale: float) -> st.SearchStrategy[dict]:
    """Any distribution with no negative values, its mean up to about `scale`."""
    return st.one_of(
        st.fixed_dictionaries({"dist": st.just("exponential"), "mean": positive(scale)}),
        st.fixed_dictionaries({"dist": st.just("deterministic"), "mean": number(0, scale)}),
        uniform(0, scale),
        triangular(0, scale),
        st.fixed_dictionaries({"dist": st.sampled_from(["lognormal", "gamma"]),
                               "mean": positive(scale), "cv": number(0.1, 2)}),
        st.fixed_dictionaries({"dist": st.just("empirical"),
                               "values": st.lists(number(0, 2 * scale), min_size=1,
                                                  max_size=5)}),
    )


@st.composite
def uniform(draw: Draw, low: float, high: float) -> dict:
    a, b = sorted(draw(st.lists(number(low, high), min_size=2, max_size=2)))
    return {"dist": "uniform", "low": a, "high": b}


@st.composite
def triangular(draw: Draw, low: float, high: float) -> dict:
    a, mode, b = sorted(draw(st.lists(number(low, high), min_size=3, max_size=3)))
    if a == b:
        b = a + 1
    return {"dist": "triangular", "low": a, "mode": mode, "high": b}


def duration_or_number(scale: float) -> st.SearchStrategy[float | dict]:
    """A fixed number or a distribution of durations (hand-off delays, outage minutes)."""
    return st.one_of(number(0, scale), durations(scale))


def days_left() -> st.SearchStrategy[float | dict]:
    """Working days left on the start date: negative means already overdue."""
    return st.one_of(number(-5, 10), uniform(-5, 10), triangular(-5, 10),
                     st.fixed_dictionaries({"dist": st.just("empirical"),
                                            "values": st.lists(number(-5, 10), min_size=1,
                                                               max_size=4)}),
                     durations(5))


# --- calendar ----------------------------------------------------------------------------------
@st.composite
def session_lists(draw: Draw, closes_after: int = 0) -> list[str]:
    """Sessions in clock order (lunch breaks, touching sessions, 00:00-24:00), the last one
    closing after quarter-hour `closes_after` (so that a profile keeps a positive key)."""
    choice = draw(st.sampled_from(["office", "round_the_clock", "drawn"]))
    if choice == "office" and closes_after < quarter("17:00"):
        return ["07:30-11:30", "13:30-17:00"]
    if choice == "round_the_clock":
        return ["00:00-24:00"]
    spans: list[tuple[int, int]] = []
    end = draw(st.integers(0, QUARTERS_PER_DAY - 1))
    for _ in range(draw(st.integers(1, 3))):
        start = end + (draw(st.integers(0, 12)) if spans else 0)
        if start >= QUARTERS_PER_DAY:
            break
        end = min(start + draw(st.integers(1, 24)), QUARTERS_PER_DAY)
        spans.append((start, end))
    if end <= closes_after:
        spans[-1] = (spans[-1][0], draw(st.integers(closes_after + 1, QUARTERS_PER_DAY)))
    return [f"{clock(start)}-{clock(end)}" for start, end in spans]


def last_close(sessions: list[str]) -> int:
    """The quarter-hour at which the last of the sessions closes."""
    return quarter(sessions[-1].split("-")[1])
