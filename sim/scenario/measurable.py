"""Checks that what a scenario asks to measure can be measured.

A dossier target in a centre where no dossier has a deadline, or a warm-up that lasts until the
run is over, leaves its metric with nothing to count. An empty metric must never pass for a target
met, so both are errors when the file is loaded, before anything runs.
"""

from __future__ import annotations

import datetime as dt

from sim.scenario.errors import Problem
from sim.scenario.opening_days import MINUTES_PER_DAY, last_closing
from sim.scenario.problems import join_path
from sim.scenario.schema import Scenario

DOSSIER_TARGETS = ("on_time_share", "overdue", "lateness_p90")


def measurement_problems(scenario: Scenario, prefix: str = "") -> list[Problem]:
    """Targets without dossiers to judge and a warm-up past the end of the run."""
    problems = []
    reason = _why_no_deadlines(scenario)
    for name in DOSSIER_TARGETS:
        value = getattr(scenario.targets, name)
        if value is not None and reason:
            problems.append(Problem(
                join_path([prefix, "targets", name]), value,
                f"a dossier target only where dossiers have deadlines; here {reason}, and a "
                "target with nothing to measure would pass for met: remove it, or give a "
                "procedure back_office work and a deadline (or a backlog)"))
    closing = last_closing(scenario.calendar)
    if scenario.warmup_minutes >= closing:
        day, clock = divmod(closing, MINUTES_PER_DAY)
        date = scenario.calendar.start + dt.timedelta(days=day)
        problems.append(Problem(
            join_path([prefix, "warmup_minutes"]), scenario.warmup_minutes,
            f"greater than or equal to 0 and less than {closing:,}, the minutes from "
            f"00:00 of the start date to the run's last closing ({date} "
            f"{clock // 60:02d}:{clock % 60:02d}); a longer warm-up leaves nothing to count"))
    return problems


def _why_no_deadlines(scenario: Scenario) -> str:
    """Why no dossier of the scenario has a deadline ('' when some have)."""
    with_office = [p for p in scenario.procedures if p.back_office is not None and p.share > 0]
    if any(p.deadline is not None for p in with_office):
        return ""
    if any(item.count > 0 for item in scenario.backlog):
        return ""
    if not with_office:
        return "no procedure that citizens come for has back_office work, so there are no dossiers"
    return ("no procedure with back_office work has a deadline and there is no backlog, so no "
            "dossier can be late")
