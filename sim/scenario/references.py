"""Checks that span several sections of a scenario: names that refer to other sections, and
shares that must add up. Pydantic checks each field; these check how the fields fit together."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from sim.scenario.counter_groups import serving_problems, uses_groups
from sim.scenario.errors import Problem
from sim.scenario.problems import join_path
from sim.scenario.schema import Procedure, Scenario
from sim.scenario.second_visits import second_visit_problems
from sim.scenario.skills import role_problems, scenario_roles
from sim.scenario.ticket_references import appointment_problems
from sim.scenario.transition import Blocked, OnlinePeriod, Outage
from sim.scenario.types import clock_minutes, level_at, schedule_points, session_minutes

SHARE_TOLERANCE = 1e-3

At = Callable[..., str]


def cross_reference_problems(scenario: Scenario, prefix: str = "") -> list[Problem]:
    """Every cross-section problem of a scenario, with the path of the field to change."""
    def at(*parts: str | int) -> str:
        return join_path([prefix, *parts]) if prefix else join_path(list(parts))

    return [
        *_procedure_problems(scenario, at),
        *serving_problems(scenario.site_desks(), scenario.visited_desks(),
                          scenario.sites is None, at),
        *_share_problems(scenario, at),
        *_backlog_problems(scenario, at),
        *_disruption_problems(scenario, at),
        *_closing_problems(scenario, at),
        *_site_guidance_problems(scenario, at),
        *_profile_problems(scenario, at),
        *appointment_problems(scenario, at),
        *second_visit_problems(scenario, at),
        *_groups_with_tickets(scenario, at),
        *([] if scenario.skills is None else role_problems(
            scenario.skills, scenario_roles(scenario), lambda *parts: at("skills", *parts))),
    ]


def _groups_with_tickets(scenario: Scenario, at: At) -> list[Problem]:
    """Counters that serve other desks' queues call first come, first served: they are not
    yet combined with priority tickets or appointments, which call by ticket class."""
    if not uses_groups(scenario.site_desks()):
        return []
    return [Problem(at(section), "given", "no tickets or appointments in a centre whose desks "
                    "serve other desks' queues (serves): leave out one or the other")
            for section in ("tickets", "appointments") if getattr(scenario, section) is not None]


def _procedure_problems(scenario: Scenario, at: At) -> list[Problem]:
    problems: list[Problem] = []
    desks = scenario.desk_names()
    seen: set[str] = set()
    for index, procedure in enumerate(scenario.procedures):
        if procedure.id in seen:
            problems.append(Problem(at("procedures", index, "id"), procedure.id,
                                    "an id not used by another procedure"))
        seen.add(procedure.id)
        if procedure.desk not in desks:
            problems.append(Problem(at("procedures", index, "desk"), procedure.desk,
                                    "a desk defined under desks (or sites): " + ", ".join(desks)))
        problems += _procedure_section_problems(scenario, procedure, lambda *p, i=index: at(
            "procedures", i, *p))
    return problems


def _procedure_section_problems(scenario: Scenario, procedure: Procedure, at: At) -> list[Problem]:
    problems = []
    office = scenario.back_office
    if procedure.back_office is not None and office is None:
        problems.append(Problem(at("back_office"), "back-office work",
                                "a back_office section (staff, hours_per_day) to do the work"))
    handoff = procedure.back_office.handoff if procedure.back_office else None
    if handoff is not None and office is not None and handoff not in office.handoffs:
        problems.append(Problem(at("back_office", "handoff"), handoff,
                                "a handoff defined under back_office.handoffs: "
                                + (", ".join(office.handoffs) or "(none defined)")))
    if procedure.guidance > 0 and scenario.guidance is None:
        problems.append(Problem(at("guidance"), procedure.guidance,
                                "0, or a guidance section (staff, service) to help them"))
    online = procedure.online_share
    if (isinstance(online, list) or online > 0) and procedure.back_office is None:
        problems.append(Problem(at("online_share"), online,
                                "0 for a procedure without back_office (online dossiers go "
                                "straight to the back office)"))
    if isinstance(online, list) and _out_of_order(online):
        problems.append(Problem(at("online_share"), [str(p.start) for p in online],
                                "periods listed in date order"))
    return problems


def _out_of_order(periods: list[OnlinePeriod]) -> bool:
    return any(b.start <= a.start for a, b in itertools.pairwise(periods))


def _share_problems(scenario: Scenario, at: At) -> list[Problem]:
    problems = []
    shares = [p.share for p in scenario.procedures]
    if abs(sum(shares) - 1.0) > SHARE_TOLERANCE:
        problems.append(Problem(at("procedures"), f"shares {shares} adding up to {sum(shares):g}",
                                "procedure shares adding up to 1"))
    if scenario.sites is not None:
        site_shares = [site.share for site in scenario.sites.values()]
        if abs(sum(site_shares) - 1.0) > SHARE_TOLERANCE:
            problems.append(Problem(at("sites"), f"shares {site_shares} adding up to "
                                    f"{sum(site_shares):g}", "site shares adding up to 1"))
    return problems


def _backlog_problems(scenario: Scenario, at: At) -> list[Problem]:
    problems = []
    with_office = [p.id for p in scenario.procedures if p.back_office is not None]
    for index, item in enumerate(scenario.backlog):
        if item.procedure not in with_office:
            problems.append(Problem(at("backlog", index, "procedure"), item.procedure,
                                    "a procedure with back_office work: "
                                    + (", ".join(with_office) or "(none has back_office)")))
    return problems


def _disruption_problems(scenario: Scenario, at: At) -> list[Problem]:
    problems = []
    ids = [p.id for p in scenario.procedures]
    desks = scenario.desk_names()
    for index, disruption in enumerate(scenario.disruptions):
        if isinstance(disruption, Blocked) and disruption.procedure not in ids:
            problems.append(Problem(at("disruptions", index, "procedure"), disruption.procedure,
                                    "a procedure id: " + ", ".join(ids)))
        if isinstance(disruption, Outage):
            for position, desk in enumerate(disruption.desks or []):
                if desk not in desks:
                    problems.append(Problem(at("disruptions", index, "desks", position), desk,
                                            "a desk: " + ", ".join(desks)))
    return problems


def _closing_problems(scenario: Scenario, at: At) -> list[Problem]:
    """Under serve_all the counters open at the day's last closing serve the queue in overtime:
    a desk whose schedule has none open then would leave its citizens waiting overnight."""
    if scenario.at_closing != "serve_all":
        return []
    calendar = scenario.calendar
    closings = {}  # minutes after midnight -> the clock as written
    for sessions in (calendar.sessions, calendar.saturday_sessions):
        if sessions:
            closings[session_minutes(sessions[-1]).closes] = sessions[-1].split("-")[1]
    served = scenario.visited_desks()
    problems = []
    for site, desks in scenario.site_desks().items():
        for name, desk in desks.items():
            shut = _shut_at(closings, desk.schedule, desk.counters)
            if name in served and shut:
                where = ["desks", name] if scenario.sites is None else ["sites", site, "desks",
                                                                         name]
                problems.append(Problem(
                    at(*where, "schedule"), desk.schedule,
                    f"at least 1 open counter at the day's last closing ({', '.join(shut)}): "
                    "with at_closing serve_all the counters open then serve the waiting "
                    "citizens in overtime, and with none open they would wait overnight; "
                    "or at_closing send_home"))
    for site in scenario.site_desks() if scenario.guidance is not None else ():
        staff, schedule = scenario.site_guidance(site)
        if shut := _shut_at(closings, schedule, staff):
            problems.append(Problem(
                at(*_guides_path(scenario, site), "schedule"), schedule,
                f"at least 1 guide on duty at the day's last closing ({', '.join(shut)}): with "
                "at_closing serve_all those waiting for a guide would wait overnight; or "
                "at_closing send_home"))
    return problems


def _guides_path(scenario: Scenario, site: str) -> list[str]:
    """Where a site's guides are written: its own `guidance`, else the centre's."""
    own = scenario.sites is not None and scenario.sites[site].guidance is not None
    return ["sites", site, "guidance"] if own else ["guidance"]


def _site_guidance_problems(scenario: Scenario, at: At) -> list[Problem]:
    """A site's own guides need the centre's guidance section (what a guide does), and their
    schedule no more guides than the site has."""
    problems = []
    for site, spec in (scenario.sites or {}).items():
        if spec.guidance is None:
            continue
        if scenario.guidance is None:
            problems.append(Problem(at("sites", site, "guidance"), "a site's guides",
                                    "a site's guidance only with the top-level guidance "
                                    "section (staff, service)"))
            continue
        staff, schedule = scenario.site_guidance(site)
        over = {clock: n for clock, n in (schedule or {}).items() if n > staff}
        if over:
            problems.append(Problem(at("sites", site, "guidance", "schedule"), schedule,
                                    f"at most {staff} guides (the site's staff) at any time"))
    return problems


def _shut_at(closings: dict[int, str], schedule: dict[str, int] | None, level: int) -> list[str]:
    """The closings (as written) at which a schedule has nobody at work. Entries are whole
    minutes: the level a minute before is the level until closing."""
    points = schedule_points(schedule)
    return [text for minutes, text in sorted(closings.items())
            if level_at(points, minutes - 1, level) == 0]


def _profile_problems(scenario: Scenario, at: At) -> list[Problem]:
    """A profile spreads per_day over the ordinary day and ignores keys from its last closing
    on, so it needs a positive intensity before that closing (or nobody could be spread)."""
    profile = scenario.arrivals.profile
    last = scenario.calendar.sessions[-1]
    closes = session_minutes(last).closes
    if profile is None or any(weight > 0 and clock_minutes(clock) < closes
                              for clock, weight in profile.items()):
        return []
    return [Problem(at("arrivals", "profile"), profile,
                    "at least one positive intensity from a clock time before the ordinary "
                    f"day's last closing ({last.split('-')[1]}); keys from then on are ignored")]
