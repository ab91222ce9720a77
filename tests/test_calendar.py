"""The calendar in absolute time: opening days, merged open periods, closings, counter levels.

Times are minutes since 00:00 of `calendar.start`. 2025-07-01 is a Tuesday.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sim.model.calendar import MINUTES_PER_DAY, build_timeline, counter_changes
from sim.scenario.schema import Calendar, Desk

DAY = MINUTES_PER_DAY
START = dt.date(2025, 7, 1)  # a Tuesday
MORNING = (450.0, 690.0)  # 07:30-11:30
AFTERNOON = (810.0, 1020.0)  # 13:30-17:00
ALL_WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def calendar(**fields) -> Calendar:
    return Calendar.model_validate({"start": "2025-07-01", "working_days": 5, **fields})


def desk(counters: int, schedule: dict[str, int] | None = None) -> Desk:
    return Desk.model_validate({"counters": counters, "schedule": schedule})


def dates(timeline) -> list[dt.date]:
    return [day.date for day in timeline.days]


def on(date: dt.date, clock: float) -> float:
    """Absolute minutes of a clock time (minutes after midnight) on a date."""
    return (date - START).days * DAY + clock


def test_start_date_is_a_tuesday() -> None:
    assert START.weekday() == 1


# --- opening days ------------------------------------------------------------------------------

def test_working_days_skip_weekends() -> None:
    timeline = build_timeline(calendar(working_days=22))
    assert len(timeline.days) == 22
    assert dates(timeline)[-1] == dt.date(2025, 7, 30)  # as docs/scenario-format.md says
    assert all(d.weekday() < 5 for d in dates(timeline))
    assert [day.number for day in timeline.days] == list(range(1, 23))
    assert all(day.working for day in timeline.days)
    for day in timeline.days:
        assert day.midnight == (day.date - START).days * DAY
        assert day.sessions == (tuple(day.midnight + t for t in MORNING),
                                tuple(day.midnight + t for t in AFTERNOON))
        assert day.closes == day.midnight + AFTERNOON[1]


def test_working_days_skip_holidays() -> None:
    holidays = ["2025-07-02", "2025-07-07", "2025-07-05"]  # Wed, Mon, and a Saturday
    timeline = build_timeline(calendar(working_days=5, holidays=holidays))
    assert dates(timeline) == [dt.date(2025, 7, d) for d in (1, 3, 4, 8, 9)]
    assert [day.number for day in timeline.days] == [1, 2, 3, 4, 5]


def test_a_holiday_on_the_start_date() -> None:
    timeline = build_timeline(calendar(working_days=1, holidays=["2025-07-01"]))
    assert dates(timeline) == [dt.date(2025, 7, 2)]
    assert timeline.days[0].midnight == DAY


def test_working_days_counts_only_days_in_weekdays() -> None:
    timeline = build_timeline(calendar(working_days=4, weekdays=["mon", "wed"]))
    assert dates(timeline) == [dt.date(2025, 7, d) for d in (2, 7, 9, 14)]
    assert all(day.working for day in timeline.days)


def test_weekend_days_open_when_in_weekdays() -> None:
    timeline = build_timeline(calendar(working_days=7, weekdays=ALL_WEEK))
    assert dates(timeline) == [START + dt.timedelta(days=k) for k in range(7)]
    # Without saturday_sessions a working Saturday has the ordinary sessions.
    saturday = timeline.days[4]
    assert saturday.date.weekday() == 5
    assert saturday.sessions == ((saturday.midnight + 450, saturday.midnight + 690),
                                 (saturday.midnight + 810, saturday.midnight + 1020))


def test_saturday_sessions_add_extra_opening_days() -> None:
    timeline = build_timeline(calendar(working_days=10, saturday_sessions=["07:30-11:30"]))
    saturdays = [day for day in timeline.days if day.date.weekday() == 5]
    assert [day.date for day in saturdays] == [dt.date(2025, 7, 5), dt.date(2025, 7, 12)]
    for day in saturdays:
        assert not day.working
        assert day.sessions == ((day.midnight + 450, day.midnight + 690),)
        assert day.closes == day.midnight + 690
    # Extra days do not count: still 10 working days, ending on the same date as without them.
    assert sum(day.working for day in timeline.days) == 10
    assert len(timeline.days) == 12
    assert dates(timeline)[-1] == dates(build_timeline(calendar(working_days=10)))[-1]
    assert [day.number for day in timeline.days] == list(range(1, 13))
    assert not any(day.date.weekday() == 6 for day in timeline.days)


def test_no_extra_saturday_after_the_last_working_day() -> None:
    timeline = build_timeline(calendar(working_days=4, saturday_sessions=["07:30-11:30"]))
    assert dates(timeline)[-1] == dt.date(2025, 7, 4)  # Friday; Saturday 5 July is past the run


def test_extra_saturday_on_a_holiday_stays_closed() -> None:
    timeline = build_timeline(calendar(working_days=10, saturday_sessions=["07:30-11:30"],
                                       holidays=["2025-07-05"]))
    assert [day.date for day in timeline.days if day.date.weekday() == 5] == [
        dt.date(2025, 7, 12)]


def test_saturday_in_weekdays_is_a_working_day_with_saturday_sessions() -> None:
    timeline = build_timeline(calendar(
        working_days=6, weekdays=["mon", "tue", "wed", "thu", "fri", "sat"],
        saturday_sessions=["08:00-11:00"]))
    assert dates(timeline) == [dt.date(2025, 7, d) for d in (1, 2, 3, 4, 5, 7)]
    saturday = timeline.days[4]
    assert saturday.working
    assert saturday.sessions == ((saturday.midnight + 480, saturday.midnight + 660),)
    assert sum(day.working for day in timeline.days) == 6


# --- open periods and closings -----------------------------------------------------------------

def test_lunch_break_splits_the_day_into_two_periods() -> None:
    timeline = build_timeline(calendar(working_days=2))
    assert timeline.periods == ((450, 690), (810, 1020), (DAY + 450, DAY + 690),
                                (DAY + 810, DAY + 1020))
    assert timeline.first_open == 450


def test_round_the_clock_is_one_open_period() -> None:
    timeline = build_timeline(calendar(working_days=7, weekdays=ALL_WEEK,
                                       sessions=["00:00-24:00"]))
    assert timeline.periods == ((0.0, 7.0 * DAY),)
    assert timeline.first_open == 0


def test_touching_sessions_merge_like_one_session() -> None:
    whole = build_timeline(calendar(working_days=7, weekdays=ALL_WEEK, sessions=["00:00-24:00"]))
    halves = build_timeline(calendar(working_days=7, weekdays=ALL_WEEK,
                                     sessions=["00:00-12:00", "12:00-24:00"]))
    assert halves.periods == whole.periods == ((0.0, 7.0 * DAY),)
    assert len(halves.days[0].sessions) == 2  # the days keep their sessions
    assert halves.closings == whole.closings


def test_touching_sessions_within_a_day_merge() -> None:
    timeline = build_timeline(calendar(working_days=2, sessions=["07:30-11:30", "11:30-17:00"]))
    assert timeline.periods == ((450, 1020), (DAY + 450, DAY + 1020))
    assert timeline.closings == (1020, DAY + 1020)


def test_round_the_clock_on_weekdays_closes_for_the_weekend() -> None:
    # Tue 1 to Mon 7 July: Tue-Fri is one period, the weekend closes, Monday opens again.
    timeline = build_timeline(calendar(sessions=["00:00-24:00"]))
    assert timeline.periods == ((0.0, 4.0 * DAY), (6.0 * DAY, 7.0 * DAY))
    assert timeline.closings == (4.0 * DAY, 7.0 * DAY)


def test_closings_are_each_days_last_closing_not_lunch() -> None:
    timeline = build_timeline(calendar(working_days=5))
    assert timeline.closings == tuple(day.midnight + 1020 for day in timeline.days)
    assert not set(timeline.closings) & {day.midnight + 690 for day in timeline.days}


def test_closings_of_a_shorter_extra_saturday() -> None:
    timeline = build_timeline(calendar(working_days=5, saturday_sessions=["07:30-11:30"]))
    saturday = next(day for day in timeline.days if day.date.weekday() == 5)
    assert saturday.midnight + 690 in timeline.closings
    assert len(timeline.closings) == len(timeline.days) == 6


def test_round_the_clock_has_a_single_closing_at_the_end() -> None:
    for sessions in (["00:00-24:00"], ["00:00-12:00", "12:00-24:00"]):
        timeline = build_timeline(calendar(working_days=10, weekdays=ALL_WEEK,
                                           sessions=sessions))
        assert timeline.closings == (10.0 * DAY,)


# --- next_day_after ----------------------------------------------------------------------------

def test_next_day_after() -> None:
    timeline = build_timeline(calendar(working_days=5, saturday_sessions=["07:30-11:30"]))
    by_date = {day.date: day for day in timeline.days}
    tue, wed = dt.date(2025, 7, 1), dt.date(2025, 7, 2)
    fri, sat, mon = dt.date(2025, 7, 4), dt.date(2025, 7, 5), dt.date(2025, 7, 7)
    assert timeline.next_day_after(0.0) is by_date[wed]  # before opening: still the next day
    assert timeline.next_day_after(on(tue, 1020)) is by_date[wed]
    assert timeline.next_day_after(on(tue, DAY - 0.001)) is by_date[wed]
    assert timeline.next_day_after(on(fri, 1020)) is by_date[sat]  # the extra Saturday
    assert timeline.next_day_after(on(sat, 600)) is by_date[mon]
    assert timeline.next_day_after(on(dt.date(2025, 7, 6), 600)) is by_date[mon]  # Sunday
    assert timeline.next_day_after(on(mon, 1020)) is None  # the last day


def test_next_day_after_skips_weekends_and_holidays() -> None:
    timeline = build_timeline(calendar(working_days=5, holidays=["2025-07-07"]))
    friday = next(day for day in timeline.days if day.date == dt.date(2025, 7, 4))
    following = timeline.next_day_after(friday.closes)
    assert following is not None
    assert following.date == dt.date(2025, 7, 8)  # Monday 7 July is a holiday


# --- counter_changes ---------------------------------------------------------------------------

def test_counters_without_schedule_open_all_within_sessions() -> None:
    timeline = build_timeline(calendar(working_days=2))
    changes = counter_changes(timeline, desk(3))
    assert changes == [
        (450, 3), (690, 0), (810, 3),  # no entry at the closing at 17:00: the centre does that
        (DAY + 450, 3), (DAY + 690, 0), (DAY + 810, 3),
    ]


def test_schedule_levels_within_sessions_and_zero_at_lunch() -> None:
    timeline = build_timeline(calendar(working_days=1))
    changes = counter_changes(timeline, desk(3, {"07:30": 2, "09:00": 3, "15:00": 1}))
    assert changes == [(450, 2), (540, 3), (690, 0), (810, 3), (900, 1)]


def test_first_key_level_applies_before_the_first_key() -> None:
    # Opening at 07:00 with a schedule that starts at 08:00: 1 counter, not all 3.
    timeline = build_timeline(calendar(working_days=1, sessions=["07:00-11:30", "13:30-17:00"]))
    changes = counter_changes(timeline, desk(3, {"08:00": 1, "13:30": 2}))
    assert changes == [(420, 1), (480, 1), (690, 0), (810, 2)]


def test_schedule_key_at_lunch_or_after_closing_takes_effect_at_the_next_opening() -> None:
    timeline = build_timeline(calendar(working_days=2))
    changes = counter_changes(timeline, desk(4, {"07:30": 4, "12:00": 2, "18:00": 1}))
    # 12:00 falls in the lunch break: the afternoon opens with 2. 18:00 is after closing: the
    # next morning's level is the latest key before 07:30, i.e. the first key's level 4.
    assert changes == [(450, 4), (690, 0), (810, 2),
                       (DAY + 450, 4), (DAY + 690, 0), (DAY + 810, 2)]


def test_schedule_applies_on_extra_saturdays() -> None:
    timeline = build_timeline(calendar(working_days=4, weekdays=["thu", "fri", "mon", "tue"],
                                       saturday_sessions=["08:00-10:00"]))
    saturday = next(day for day in timeline.days if day.date.weekday() == 5)
    changes = dict(counter_changes(timeline, desk(3, {"07:30": 2, "09:00": 1})))
    assert changes[saturday.midnight + 480] == 2
    assert changes[saturday.midnight + 540] == 1
    assert saturday.midnight + 600 not in changes  # Saturday's closing is left to the centre


def test_round_the_clock_counters_never_drop_at_midnight() -> None:
    timeline = build_timeline(calendar(working_days=3, weekdays=ALL_WEEK,
                                       sessions=["00:00-24:00"]))
    changes = counter_changes(timeline, desk(2))
    assert changes == [(0, 2), (DAY, 2), (2 * DAY, 2)]
    assert all(level > 0 for _, level in changes)


def test_touching_sessions_keep_counters_open_at_the_join() -> None:
    timeline = build_timeline(calendar(working_days=1, sessions=["07:30-11:30", "11:30-17:00"]))
    assert counter_changes(timeline, desk(2)) == [(450, 2), (690, 2)]


@pytest.mark.parametrize("counters", [1, 5])
def test_level_after_lunch_is_set_again_even_when_unchanged(counters) -> None:
    timeline = build_timeline(calendar(working_days=1))
    changes = counter_changes(timeline, desk(counters, {"07:30": counters}))
    assert changes == [(450, counters), (690, 0), (810, counters)]
