"""Deadline arithmetic: working days skip weekends and holidays, the 15:00 cut-off moves the
count to the next working day, and Saturday sessions do not make Saturday a working day."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.model.deadlines import WorkingCalendar
from sim.scenario.schema import Calendar

START = dt.date(2025, 7, 1)  # a Tuesday


def minutes(date: str, clock: str = "10:00") -> float:
    day = (dt.date.fromisoformat(date) - START).days
    hours, mins = map(int, clock.split(":"))
    return day * 1440.0 + hours * 60 + mins


def due_date(working: WorkingCalendar, received: float, days: int) -> str:
    due = working.due(np.array([received]), np.array([days]))[0]
    assert due % 1440 == 17 * 60, "due at the close of business, 17:00"
    return (START + dt.timedelta(days=int(due // 1440))).isoformat()


@pytest.fixture
def working() -> WorkingCalendar:
    return WorkingCalendar(Calendar(start=START, working_days=40,
                                    holidays=[dt.date(2025, 9, 1), dt.date(2025, 9, 2)],
                                    saturday_sessions=["07:30-11:30"]))


@pytest.mark.parametrize(("received", "days", "expected"), [
    (("2025-07-01", "10:00"), 0, "2025-07-01"),  # same day before the cut-off
    (("2025-07-01", "15:30"), 0, "2025-07-02"),  # after 15:00: the next working day
    (("2025-07-01", "14:59"), 1, "2025-07-02"),
    (("2025-07-01", "15:00"), 1, "2025-07-03"),  # at 15:00 exactly counts as late
    (("2025-07-04", "10:00"), 1, "2025-07-07"),  # Friday + 1 skips the weekend
    (("2025-07-04", "16:00"), 0, "2025-07-07"),  # Friday after the cut-off: Monday
    (("2025-07-05", "09:00"), 0, "2025-07-07"),  # a Saturday session is not a working day
    (("2025-07-05", "09:00"), 3, "2025-07-10"),
    (("2025-08-29", "10:00"), 1, "2025-09-03"),  # Friday + 1 skips the weekend and 1-2 Sep
    (("2025-07-01", "10:00"), 20, "2025-07-29"),  # 17 + 3 days for a first land certificate
])
def test_due_dates(working: WorkingCalendar, received: tuple[str, str], days: int,
                   expected: str) -> None:
    assert due_date(working, minutes(*received), days) == expected


def test_backlog_days_left_count_from_the_start_date(working: WorkingCalendar) -> None:
    due = working.due_from_start(np.array([-3.0, 0.0, 4.4]))
    dates = [(START + dt.timedelta(days=int(d // 1440))).isoformat() for d in due]
    assert dates == ["2025-06-26", "2025-07-01", "2025-07-07"]


@pytest.mark.parametrize(("completed", "late"), [
    (("2025-07-01", "16:00"), 0),  # before the close on the due day
    (("2025-07-02", "09:00"), 1),
    (("2025-07-07", "09:00"), 4),  # Wed, Thu, Fri, Mon
])
def test_lateness_in_working_days(working: WorkingCalendar, completed: tuple[str, str],
                                  late: int) -> None:
    due = np.array([minutes("2025-07-01", "17:00")])
    assert working.lateness(due, np.array([minutes(*completed)]))[0] == late


def test_handoff_returns_at_close_after_working_days(working: WorkingCalendar) -> None:
    back = working.after_working_days(minutes("2025-07-04", "10:00"), 2)
    assert back == minutes("2025-07-08", "17:00")


def test_one_dossier_at_a_time_gives_numpys_answers(working: WorkingCalendar) -> None:
    """`due_one` and `after_working_days` count on a list of working days; they must give
    NumPy's business-day answers exactly, on holidays, weekends, at and around the cut-off,
    at midnight, and past the end of the list (where they hand over to NumPy)."""
    rng = np.random.default_rng(7)
    last = working.working_numbers[-1]
    days = np.concatenate([rng.integers(0, last + 30, 400), [0, 61, 62, last - 1, last]])
    clocks = np.concatenate([rng.uniform(0, 1440, 400), [900.0, 0.0, 899.999, 1439.5, 1020.0]])
    for day, clock, count in zip(days, clocks, rng.integers(0, 40, len(days)), strict=True):
        received = float(day) * 1440 + float(clock)
        assert working.due_one(received, int(count)) == float(
            working.due(np.array([received]), np.array([count]))[0])
        date = working.dates(np.array([received]))
        assert working.after_working_days(received, int(count)) == float(
            working.closing_time(np.busday_offset(date, count, roll="forward",
                                                  weekmask=working.weekmask,
                                                  holidays=working.holidays))[0])
