"""What the page's sliders set, and the option of the scenario it amounts to.

A setting is the baseline's staffing with a leader's changes: counters open at each desk in
each session of a working day (the staffing search's time blocks, one per session), the first
session opened earlier and the last closed later, Saturday mornings, and dedicated back-office
staff. `setting_changes` writes it as the option paths of the scenario format, naming only what
differs from the baseline, so that a saved option reads as the leader's decision; the desks'
counters and schedules are written as `sim staff` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sim.analysis.staffing.blocks import Block, clock_text, time_blocks
from sim.decide.staffing.result import option_changes
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.citizens import Pool, counter_pools
from sim.scenario.schema import Scenario
from sim.scenario.types import level_at, schedule_points, session_minutes

STEP_MINUTES = 15  # opening earlier or closing later moves by quarter hours


@dataclass(frozen=True)
class Setting:
    """Staffing as the sliders set it; `baseline_setting` gives the scenario's own."""

    counters: dict[str, tuple[int, ...]]  # desk label -> counters open in each time block
    open_earlier: int = 0  # minutes the first session of a working day opens earlier
    close_later: int = 0  # minutes the last session closes later
    saturday_mornings: bool = False  # the first session of a working day on Saturdays too
    back_office_staff: int | None = None  # None without a back office

    def with_counters(self, desk: str, block: int, count: int) -> Setting:
        """The same setting with ``count`` counters at ``desk`` in time block ``block``."""
        levels = list(self.counters[desk])
        levels[block] = count
        return replace(self, counters={**self.counters, desk: tuple(levels)})


def session_blocks(scenario: Scenario) -> tuple[Block, ...]:
    """The time blocks of the sliders: one per session of a working day."""
    return time_blocks(scenario, MINUTES_PER_DAY)


def desks(scenario: Scenario) -> dict[str, Pool]:
    """Each desk (a desk at a site) by its label, in the scenario's order."""
    single = scenario.sites is None
    return {pool.label(single): pool for pool in counter_pools(scenario)}


def baseline_setting(scenario: Scenario) -> Setting:
    """The scenario's own staffing, as the sliders start: each desk's counters open at the
    start of each block (its schedule's level there, or all its counters)."""
    blocks = session_blocks(scenario)
    counters = {}
    for label, pool in desks(scenario).items():
        desk = scenario.site_desks()[pool.site][pool.desk]
        points = schedule_points(desk.schedule)
        counters[label] = tuple(level_at(points, b.start, desk.counters) for b in blocks)
    staff = None if scenario.back_office is None else scenario.back_office.staff
    return Setting(counters, saturday_mornings=bool(scenario.calendar.saturday_sessions),
                   back_office_staff=staff)


def setting_changes(scenario: Scenario, setting: Setting) -> dict[str, object]:
    """The option (dotted path -> value) that turns the baseline into the setting; empty when
    the setting is the baseline's."""
    base = baseline_setting(scenario)
    single = scenario.sites is None
    changed = {label: levels for label, levels in setting.counters.items()
               if levels != base.counters[label]}
    paths = {label: pool.path(single) for label, pool in desks(scenario).items()}
    changes = option_changes(paths, session_blocks(scenario), changed)
    sessions = opening_sessions(scenario.calendar.sessions, setting)
    if sessions != scenario.calendar.sessions:
        changes["calendar.sessions"] = sessions
    if setting.saturday_mornings != base.saturday_mornings:
        changes["calendar.saturday_sessions"] = sessions[:1] if setting.saturday_mornings else []
    if setting.back_office_staff != base.back_office_staff:
        changes["back_office.staff"] = setting.back_office_staff
    return changes


def opening_sessions(sessions: list[str], setting: Setting) -> list[str]:
    """The working day's sessions with the first opened earlier and the last closed later."""
    spans = [list(session_minutes(s)) for s in sessions]
    spans[0][0] = max(0, spans[0][0] - setting.open_earlier)
    spans[-1][1] = min(MINUTES_PER_DAY, spans[-1][1] + setting.close_later)
    return [f"{clock_text(opens)}-{clock_text(closes)}" for opens, closes in spans]
