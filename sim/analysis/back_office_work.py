"""The back office's work per ordinary day against its staff's hours, and the transferred
backlog: what `sim check` prints, what the headcount search reserves people for, and the spare
hours with which the theory of inquiries works the backlog off.
"""

from __future__ import annotations

from sim.model.dossier_sources import online_share_on
from sim.scenario.schema import Scenario


def back_office_load(scenario: Scenario) -> dict[str, float] | None:
    """Staff-hours of back-office work per ordinary working day (counter and online dossiers,
    with each procedure's online share on the start date) against the staff's hours, and the
    transferred backlog in staff-hours; None without a back office."""
    office = scenario.back_office
    if office is None or scenario.arrivals.per_day is None:
        return None
    new_work = 0.0
    for procedure in scenario.procedures:
        if procedure.back_office is None:
            continue
        online = online_share_on(procedure, scenario.calendar.start)
        visitors = scenario.arrivals.per_day * procedure.share
        new_work += visitors / (1 - online) * procedure.back_office.hours.expected()
    hours = {p.id: p.back_office.hours.expected() for p in scenario.procedures if p.back_office}
    backlog = sum(item.count * hours[item.procedure] for item in scenario.backlog)
    capacity = office.staff * office.hours_per_day
    spare = capacity - new_work
    return {
        "new_work_per_day": new_work,
        "capacity_per_day": capacity,
        "load": new_work / capacity if capacity > 0 else float("inf"),
        "backlog_hours": backlog,
        "backlog_days_at_spare_capacity": backlog / spare if spare > 0 else float("inf"),
    }
