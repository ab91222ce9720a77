"""The days of a backtest as they were: one scenario per opening day of the period, with the
counters each desk had open that day as the ticket log shows them.

Each day is simulated on its own (a one-day calendar on that date): the centre empties at the
day's closing, so days are independent but for the citizens sent back for a missing paper,
who come back the next day; a one-day run cannot bring them back, so its arrivals are raised
by 1 / (1 - q), q the share of first trips sent back, to stand in for those returns. The back
office, backlog and online filing play no part in the counters and are left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from sim.calibrate.arrivals_fit import clock_text
from sim.calibrate.problems import file_problem
from sim.scenario.document import scenario_document
from sim.scenario.load import validate_document
from sim.scenario.schema import WEEKDAYS, Scenario

DOSSIER_FIELDS = ("back_office", "deadline", "online_share")


def returns_factor(scenario: Scenario) -> float:
    """1 / (1 - q): the arrivals of a day with the returns for a missing paper."""
    q = sum(p.share * p.incomplete for p in scenario.procedures)
    return 1 / (1 - q) if q < 1 else 1.0


def counter_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario without its back office, as a document to change day by day."""
    document = scenario_document(scenario)
    for key in ("back_office", "backlog", "options"):
        document.pop(key, None)
    for procedure in document["procedures"]:
        for key in DOSSIER_FIELDS:
            procedure.pop(key, None)
    document["warmup_minutes"] = 0
    if document["arrivals"].get("per_day") is not None:
        document["arrivals"]["per_day"] *= returns_factor(scenario)
    return document


def day_scenario(document: dict[str, Any], date: dt.date,
                 counters: dict[str, dict[str, int]], source: str) -> Scenario:
    """One opening day on `date`, with each desk's open counters by clock time."""
    day = {**document, "calendar": {**document["calendar"], "start": date.isoformat(),
                                    "working_days": 1, "holidays": []}}
    weekday = WEEKDAYS[date.weekday()]
    if weekday not in day["calendar"]["weekdays"]:
        day["calendar"]["weekdays"] = [*day["calendar"]["weekdays"], weekday]
    day["desks"] = {**document["desks"]}
    for desk, schedule in counters.items():
        day["desks"][desk] = {"counters": max(1, *schedule.values()), "schedule": schedule}
    return validate_document(day, source)


def observed_counters(daily: pd.DataFrame, desks: list[str], source: str
                      ) -> dict[dt.date, dict[str, dict[str, int]]]:
    """Per day and desk, the counters open by clock time (changes only)."""
    unknown = sorted(set(daily["desk"]) - set(desks))
    if unknown:
        raise file_problem(source, "desks", unknown[0],
                           f"a desk of the scenario ({', '.join(desks)}); map the counters to "
                           "them in the mapping file's tickets.counters")
    days: dict[dt.date, dict[str, dict[str, int]]] = {}
    for (date, desk), rows in daily.groupby(["date", "desk"]):
        schedule: dict[str, int] = {}
        for slot, count in zip(rows["slot"], rows["open"], strict=True):
            if not schedule or list(schedule.values())[-1] != count:
                schedule[clock_text(int(slot))] = int(count)
        days.setdefault(date, {})[str(desk)] = schedule
    return days
