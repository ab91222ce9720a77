"""Warnings for scenarios that are valid but probably not what the planner meant.

A strict schema catches impossible values; these catch possible ones that quietly do nothing,
such as a surge dated outside the simulated days or a desk that never opens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sim.model.arrivals import build_intensity
from sim.model.calendar import Timeline, build_timeline, counter_changes
from sim.scenario.marks import N_
from sim.scenario.schema import WEEKDAYS, Scenario
from sim.scenario.transition import Disruption, Outage


@dataclass(frozen=True)
class Notice:
    """A warning as a message of the catalogues (English, with placeholders) and its fields,
    so that the terminal says it in the run's language; `str` gives the English."""

    message: str
    fields: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message.format(**self.fields)


def scenario_warnings(scenario: Scenario) -> list[Notice]:
    """Plain-language warnings, empty when nothing looks odd."""
    timeline = build_timeline(scenario.calendar)
    # The simulated days run from the start date (a holiday, say, before the first opening)
    # to the last opening day.
    simulated = _Dates(scenario.calendar.start, timeline.days[-1].date)
    warnings = []
    if build_intensity(scenario.arrivals, scenario.calendar, timeline).expected_total <= 0:
        warnings.append(Notice(N_("arrivals: no visitor is expected on any simulated day")))
    warnings += _desk_warnings(scenario, timeline)
    warnings += _date_warnings(scenario, simulated)
    opening_weekdays = {WEEKDAYS[day.date.weekday()] for day in timeline.days}
    for weekday in scenario.arrivals.weekday_factor:
        if weekday not in opening_weekdays:
            warnings.append(Notice(N_("arrivals.weekday_factor.{weekday}: the centre never "
                                      "opens on that weekday in the simulated days"),
                                   {"weekday": weekday}))
    return warnings


def _desk_warnings(scenario: Scenario, timeline: Timeline) -> list[Notice]:
    """Desks that no visitor queues at (no procedure, results or inquiries use them) and whose
    counters serve no other desk's queue, or whose schedule never opens a counter."""
    warnings = []
    served = scenario.visited_desks()
    for site, desks in scenario.site_desks().items():
        prefix = "desks" if scenario.sites is None else f"sites.{site}.desks"
        for name, desk in desks.items():
            where = {"desk": f"{prefix}.{name}"}
            if name not in served and not served.intersection(desk.serves or []):
                warnings.append(Notice(N_("{desk}: no procedure is served at this desk"), where))
            elif all(level == 0 for _, level in counter_changes(timeline, desk)):
                warnings.append(Notice(N_("{desk}: the schedule never opens a counter; its "
                                          "citizens will all be sent home"), where))
    return warnings


def _date_warnings(scenario: Scenario, simulated: _Dates) -> list[Notice]:
    """Surges, dated disruptions and holidays that fall outside the simulated days."""
    first, last = simulated.first, simulated.last
    span = N_("{where}: {start} to {end} lies outside the simulated days ({first} to {last})")
    day = N_("{where}: {when} lies outside the simulated days ({first} to {last})")
    days = {"first": str(first), "last": str(last)}
    warnings = []
    for index, surge in enumerate(scenario.arrivals.surges):
        if surge.end < first or surge.start > last:
            warnings.append(Notice(span, {"where": f"arrivals.surges[{index}]",
                                          "start": str(surge.start), "end": str(surge.end),
                                          **days}))
    for index, disruption in enumerate(scenario.disruptions):
        dated = _dated(disruption)
        if dated is not None and (dated.last < first or dated.first > last):
            where = {"where": f"disruptions[{index}]", **days}
            warnings.append(
                Notice(day, {**where, "when": f"{disruption.start:%Y-%m-%d %H:%M}"})
                if isinstance(disruption, Outage)
                else Notice(span, {**where, "start": str(dated.first), "end": str(dated.last)}))
    for holiday in scenario.calendar.holidays:
        if not first <= holiday <= last:
            warnings.append(Notice(day, {"where": "calendar.holidays", "when": str(holiday),
                                         **days}))
    return warnings


@dataclass(frozen=True)
class _Dates:
    """A span of dates, both ends included."""

    first: dt.date
    last: dt.date


def _dated(disruption: Disruption) -> _Dates | None:
    """First and last date a disruption is set for; None for random outages (they fall on
    opening times of the run by construction)."""
    if isinstance(disruption, Outage):
        return None if disruption.start is None else _Dates(*(disruption.start.date(),) * 2)
    return _Dates(disruption.start, disruption.end)
