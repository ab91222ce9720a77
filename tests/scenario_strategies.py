"""Hypothesis strategies for valid scenario documents, across every section of the format.

`scenario_documents()` draws plain dicts exactly as the strict YAML loader would parse a scenario
file (dates as `datetime.date`, clock times and moments as text), small enough that every option
simulates in well under a second. Test modules in this folder import it by its bare name
(`from scenario_strategies import scenario_documents`): the folder has no `__init__.py`, so
pytest puts it on `sys.path` before importing them.

The values inside (clock times, numbers, distributions, sessions) come from
tests/scenario_values.py. Every value is drawn inside what docs/scenario-format.md allows, and
the cross-section rules (shares adding up to 1, names that refer to other sections, schedules
within counters, online filing only with back-office work, a profile positive before closing)
are kept by construction, not by filtering, so that `scenario_from_document(doc,
"generated.yaml")` accepts every document drawn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st
from scenario_values import (
    clock,
    clocks,
    days_left,
    duration_or_number,
    durations,
    last_close,
    number,
    positive,
    quarter,
    session_lists,
    triangular,
    uniform,
)

from sim.model.calendar import build_timeline
from sim.scenario.errors import ScenarioError
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import WEEKDAYS, Calendar

FIRST_START = dt.date(2025, 6, 27)  # start dates span a weekend and 1 July 2025
LAST_START = dt.date(2025, 7, 8)
DESK_NAMES = ("general", "land", "civil_status")
SITE_NAMES = ("main", "old_hq")
PROCEDURE_IDS = ("certification", "birth", "land_transfer")
PROCEDURE_NAMES = ("Chứng thực bản sao", "Đăng ký khai sinh", "Đăng ký biến động đất đai")
HANDOFF_NAMES = ("land_registry", "tax_office")
Draw = st.DrawFn


def scenario_documents() -> st.SearchStrategy[dict]:
    """Valid scenario documents (plain dicts, as a YAML file parses) over every section.

    Calendars (lunch breaks, touching and round-the-clock sessions, Saturday sessions, holidays,
    weekday sets, cut-off), arrivals by `per_day` (profile, weekday factors, surges) or
    `per_hour`, one to three procedures on desks with schedules (zeros included) or on sites
    with shares, desks whose counters also serve other desks' queues (`serves`, `pick`),
    guidance, patience, returns and `max_trips`, both `at_closing` rules, a back office with
    both orders and policies, schedules and hand-offs, backlog, online shares (numbers and
    dated lists), incomplete dossiers, priority tickets under both rules, appointments under
    both rules (early, late and cancelled bookings, no-shows; never with `serves`, which
    `sim check` keeps apart), every disruption kind (outage moments lie inside the run),
    options by dotted paths and targets. Runs are a few working days with modest demand.

    One rule is not kept by construction: under `serve_all` every served desk has a counter
    open at the day's last closing, in the file and in every option (options change sessions,
    schedules and the closing rule). The documents that break it, about 6% of those drawn,
    are filtered out.
    """
    return _documents().filter(_accepted)


def _accepted(document: dict) -> bool:
    try:
        scenario_from_document(document, "generated.yaml")
    except ScenarioError:
        return False
    return True


def _dates_around(first: dt.date, last: dt.date, margin: int = 3) -> st.SearchStrategy[dt.date]:
    return st.dates(first - dt.timedelta(days=margin), last + dt.timedelta(days=margin))


@st.composite
def _calendar(draw: Draw) -> dict:
    start = draw(st.dates(FIRST_START, LAST_START))
    calendar: dict = {"start": start, "working_days": draw(st.integers(1, 4))}
    calendar.update(draw(st.fixed_dictionaries({}, optional={
        "weekdays": st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True),
        "sessions": session_lists(),
        "saturday_sessions": st.one_of(st.just([]), session_lists()),
        "holidays": st.lists(st.dates(start, start + dt.timedelta(days=10)), max_size=2,
                             unique=True),
        "cutoff": clocks(),
    })))
    return calendar


# --- arrivals ----------------------------------------------------------------------------------
@st.composite
def _profile(draw: Draw, closes: int) -> dict[str, float]:
    """Weights by clock time, one of them positive before the ordinary day's last closing."""
    keys = draw(st.lists(clocks(), max_size=5, unique=True))
    profile = dict(zip(keys, draw(st.lists(number(0, 3), min_size=len(keys),
                                           max_size=len(keys))), strict=True))
    profile[clock(draw(st.integers(0, closes - 1)))] = draw(positive(3))
    return profile


def _first_positive(profile: dict[str, float]) -> int:
    """The quarter-hour of the profile's earliest positive key."""
    return min(quarter(time) for time, weight in profile.items() if weight > 0)


@st.composite
def _surge(draw: Draw, first: dt.date, last: dt.date) -> dict:
    a, b = sorted(draw(st.lists(_dates_around(first, last), min_size=2, max_size=2)))
    return {"from": a, "to": b, "factor": draw(number(0, 3))}


def _arrivals(first: dt.date, last: dt.date, closes: int) -> st.SearchStrategy[dict]:
    common = {"weekday_factor": st.dictionaries(st.sampled_from(WEEKDAYS), number(0, 2),
                                                max_size=3),
              "surges": st.lists(_surge(first, last), max_size=2)}
    return st.one_of(
        st.fixed_dictionaries({"per_day": number(1, 60)},
                              optional={"profile": _profile(closes), **common}),
        st.fixed_dictionaries({"per_hour": number(0.2, 6)}, optional=common),
    )


# --- desks and sites ---------------------------------------------------------------------------
@st.composite
def desk_specs(draw: Draw) -> dict:
    """A desk: 1 to 3 counters, maybe a schedule by clock time (zeros included), maybe
    positions (as many as the counters or more)."""
    counters = draw(st.integers(1, 3))
    desk: dict = {"counters": counters}
    if draw(st.booleans()):
        desk["positions"] = counters + draw(st.integers(0, 2))
    if draw(st.booleans()):
        desk["schedule"] = draw(st.dictionaries(clocks(), st.integers(0, counters),
                                                min_size=1, max_size=3))
    return desk


@st.composite
def _weights_to_shares(draw: Draw, count: int) -> list[float]:
    """`count` shares adding up to 1, zeros allowed."""
    weights = draw(st.lists(st.integers(0, 4), min_size=count, max_size=count))
    weights[draw(st.integers(0, count - 1))] += 1
    return [w / sum(weights) for w in weights]


@st.composite
def _serves(draw: Draw, name: str, names: list[str]) -> list[str]:
    """What a desk's counters serve: the desk itself and maybe other desks of its site, in
    any order."""
    others = draw(st.lists(st.sampled_from([n for n in names if n != name] or [name]),
                           unique=True))
    served = [n for n in others if n != name]
    served.insert(draw(st.integers(0, len(served))), name)
    return served


@st.composite
def _with_serves(draw: Draw, desks: dict) -> dict:
    """The desks of one site, some of whose counters also serve other desks' queues."""
    for name, desk in desks.items():
        if draw(st.integers(0, 2)) == 0:
            desk["serves"] = draw(_serves(name, list(desks)))
            if draw(st.booleans()):
                desk["pick"] = draw(st.sampled_from(["first_in_order", "longest_waiting"]))
    return desks


@st.composite
def _counter_side(draw: Draw) -> tuple[str, dict, list[str]]:
    """('desks' or 'sites', its section, the desk names used)."""
    names = draw(st.lists(st.sampled_from(DESK_NAMES), min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        return "desks", draw(_with_serves({name: draw(desk_specs()) for name in names})), names
    sites = SITE_NAMES[:draw(st.integers(1, 2))]
    shares = draw(_weights_to_shares(len(sites)))
    at_site: dict[str, set[str]] = {site: set() for site in sites}
    for name in names:  # every desk at one site at least, maybe at both
        for site in draw(st.lists(st.sampled_from(sites), min_size=1, unique=True)):
            at_site[site].add(name)
    for site in sites:  # and every site with a desk
        if not at_site[site]:
            at_site[site].add(draw(st.sampled_from(names)))
    return "sites", {site: {"share": share, "desks": draw(_with_serves({
        name: draw(desk_specs()) for name in names if name in at_site[site]}))}
        for site, share in zip(sites, shares, strict=True)}, names


# --- procedures and the transition sections ----------------------------------------------------
@dataclass(frozen=True)
class _Sections:
    """What the procedures may refer to."""

    desks: list[str]
    guidance: bool
    back_office: bool
    handoffs: list[str]
    first: dt.date
    last: dt.date


@st.composite
def _online_share(draw: Draw, first: dt.date, last: dt.date) -> float | list[dict]:
    if draw(st.booleans()):
        return draw(number(0, 0.8))
    starts = sorted(draw(st.lists(_dates_around(first, last), min_size=1, max_size=3,
                                  unique=True)))
    return [{"from": start, "share": draw(number(0, 0.8))} for start in starts]


@st.composite
def _procedure(draw: Draw, index: int, share: float, sections: _Sections) -> dict:
    procedure: dict = {"id": PROCEDURE_IDS[index], "name": PROCEDURE_NAMES[index],
                       "share": share, "desk": draw(st.sampled_from(sections.desks)),
                       "service": draw(durations(20))}
    optional: dict = {"deadline": st.fixed_dictionaries({"working_days": st.integers(0, 5)}),
                      "incomplete": number(0, 1)}
    if sections.guidance:
        optional["guidance"] = number(0, 1)
    procedure.update(draw(st.fixed_dictionaries({}, optional=optional)))
    if sections.back_office and draw(st.booleans()):
        work: dict = {"hours": draw(durations(1))}
        if sections.handoffs and draw(st.booleans()):
            work["handoff"] = draw(st.sampled_from(sections.handoffs))
        procedure["back_office"] = work
        if draw(st.booleans()):
            procedure["online_share"] = draw(_online_share(sections.first, sections.last))
        if draw(st.booleans()):
            procedure["pickup"] = draw(_pickup(sections.desks, "deadline" in procedure))
    return procedure


@st.composite
def _pickup(draw: Draw, desks: list[str], has_deadline: bool) -> dict:
    """Collecting results: a promised date is needed when the procedure has no deadline."""
    pickup: dict = {"in_person": draw(number(0, 1)), "service": draw(durations(5))}
    promised = st.integers(0, 5)
    if not has_deadline:
        pickup["promised_days"] = draw(promised)
    pickup.update(draw(st.fixed_dictionaries({}, optional={
        "promised_days": promised, "lag_days": duration_or_number(3),
        "again_days": duration_or_number(3), "desk": st.sampled_from(desks)})))
    return pickup


@st.composite
def _back_office(draw: Draw) -> dict:
    staff = draw(st.integers(0, 3))
    office: dict = {"staff": staff, "hours_per_day": draw(number(0.5, 8))}
    office.update(draw(st.fixed_dictionaries({}, optional={
        "order": st.sampled_from(["earliest_deadline", "first_in_first_out"]),
        "schedule": st.dictionaries(clocks(), st.integers(0, staff), min_size=1, max_size=3),
        "policy": st.sampled_from(["dedicated", "counter_first"]),
        "chunk_minutes": positive(60),
        "handoffs": st.dictionaries(st.sampled_from(HANDOFF_NAMES), st.fixed_dictionaries(
            {"delay_days": duration_or_number(4)}), max_size=2),
    })))
    return office


@st.composite
def _backlog_item(draw: Draw, procedures: list[str]) -> dict:
    item = {"procedure": draw(st.sampled_from(procedures)), "count": draw(st.integers(0, 20)),
            "days_left": draw(days_left())}
    if draw(st.booleans()):
        item["spread_days"] = draw(st.integers(1, 5))
    return item


# --- disruptions -------------------------------------------------------------------------------
@st.composite
def _outage(draw: Draw, start: dt.date, horizon_end: float, desks: list[str]) -> dict:
    outage: dict = {"kind": "outage", "minutes": draw(duration_or_number(90))}
    if draw(st.booleans()):
        minute = draw(st.integers(0, int(horizon_end)))  # a moment inside the run
        moment = dt.datetime.combine(start, dt.time()) + dt.timedelta(minutes=minute)
        outage["from"] = moment.strftime("%Y-%m-%d %H:%M")
    else:
        outage["per_day"] = draw(number(0.1, 2))
    if draw(st.booleans()):
        outage["effect"] = "slowdown"
        outage["service_factor"] = draw(number(1.01, 3))
    elif draw(st.booleans()):
        outage["desks"] = draw(st.lists(st.sampled_from(desks), min_size=1, unique=True))
    return outage


@st.composite
def _period(draw: Draw, kind: str, first: dt.date, last: dt.date) -> dict:
    a, b = sorted(draw(st.lists(_dates_around(first, last), min_size=2, max_size=2)))
    return {"kind": kind, "from": a, "to": b}


def _disruption(start: dt.date, horizon_end: float, desks: list[str], procedures: list[str],
                first: dt.date, last: dt.date) -> st.SearchStrategy[dict]:
    slowdown = st.tuples(_period("slowdown", first, last), number(1.01, 3)).map(
        lambda pair: {**pair[0], "service_factor": pair[1]})
    blocked = st.tuples(_period("blocked", first, last), st.sampled_from(procedures)).map(
        lambda pair: {**pair[0], "procedure": pair[1]})
    return st.one_of(_outage(start, horizon_end, desks), slowdown, blocked)


# --- tickets and appointments ------------------------------------------------------------------
def _has_serves(document: dict) -> bool:
    """Whether a desk of the document serves other desks' queues."""
    groups = ([document["desks"]] if "desks" in document else
              [site["desks"] for site in document["sites"].values()])
    return any(desk.get("serves") for desks in groups for desk in desks.values())


def _tickets() -> st.SearchStrategy[dict]:
    """Priority classes with shares adding up to at most 1 (three of at most 0.3), and a rule."""
    classes = st.dictionaries(st.sampled_from(["elderly", "disabled", "pregnant"]),
                              number(0, 0.3), min_size=1, max_size=3)
    rules = st.one_of(st.just({}), st.just({"rule": "strict"}), st.integers(2, 4).map(
        lambda k: {"rule": "every_k", "every": k}))
    return st.tuples(classes, rules).map(lambda pair: {"priority": pair[0], **pair[1]})


def _named_desks(document: dict, side: str) -> list[tuple[str, dict]]:
    """Every (desk name, desk) of the document, at every site."""
    return (list(document[side].items()) if side == "desks" else
            [item for site in document[side].values() for item in site["desks"].items()])


def _open_levels(spec: dict) -> list[int]:
    """The numbers of counters a desk has open, whenever it is open."""
    return [spec["counters"], *(level for level in (spec.get("schedule") or {}).values()
                                if level)]


def _reservable(document: dict, side: str, desks: set[str]) -> bool:
    """Whether every booked desk has at least 2 counters open wherever and whenever it is open
    (one can be reserved)."""
    return all(min(_open_levels(spec)) >= 2 for name, spec in _named_desks(document, side)
               if name in desks)


def _never_closed(document: dict, side: str) -> set[str]:
    """The desks whose schedule never closes them (bookings may fall at any hour there)."""
    named = _named_desks(document, side)
    closed = {name for name, spec in named if 0 in (spec.get("schedule") or {}).values()}
    return {name for name, _ in named} - closed


def _booked_desks(document: dict) -> set[str]:
    """The desks of the procedures that book."""
    shares = document.get("appointments", {}).get("shares", {})
    return {p["desk"] for p in document["procedures"] if p["id"] in shares}


@st.composite
def _appointments(draw: Draw, document: dict, side: str) -> dict:
    """Shares of some procedures, one or two booking periods at least a slot long, any
    punctuality (early or late), and either rule (reserved only where a desk has 2 counters
    open whenever it opens); only procedures whose desk never closes book."""
    procedures = [p for p in document["procedures"]
                  if p["desk"] in _never_closed(document, side)]
    booked = draw(st.lists(st.sampled_from([p["id"] for p in procedures]), min_size=1,
                           unique=True))
    slot = draw(number(5, 60))
    periods = []
    for start in sorted(draw(st.lists(st.integers(24, 60), min_size=1, max_size=2,
                                      unique=True))):
        end = min(start + -(-int(slot) // 15) + draw(st.integers(0, 12)), 96)
        periods.append(f"{clock(start)}-{clock(end)}")
    booking: dict = {"shares": {name: draw(number(0, 1)) for name in booked},
                     "slot_minutes": slot, "hours": periods}
    booking.update(draw(st.fixed_dictionaries({}, optional={
        "per_slot": st.integers(1, 3), "days_ahead": st.integers(0, 3),
        "punctuality": st.one_of(number(-30, 30), uniform(-30, 30), triangular(-30, 30)),
        "late_limit": number(0, 30), "no_show": number(0, 1)})))
    desks = {p["desk"] for p in procedures if p["id"] in booked}
    if _reservable(document, side, desks) and draw(st.booleans()):
        booking.update(rule="reserved", reserved=dict.fromkeys(sorted(desks), 1))
    return booking


# --- options and targets -----------------------------------------------------------------------
@st.composite
def _option(draw: Draw, document: dict) -> dict:
    """One to three dotted-path changes that keep the document valid."""
    profile = document["arrivals"].get("profile")
    closes_after = _first_positive(profile) if profile else 0
    changes: list[st.SearchStrategy[tuple[str, object]]] = [
        session_lists(closes_after).map(lambda s: ("calendar.sessions", s)),
        st.one_of(st.just([]), session_lists()).map(lambda s: ("calendar.saturday_sessions", s)),
        st.sampled_from(["send_home", "serve_all"]).map(lambda v: ("at_closing", v)),
        durations(60).map(lambda d: ("patience", d)),
        number(0, 1).map(lambda p: ("return_probability", p)),
    ]
    prefixes = ([f"desks.{name}" for name in document["desks"]] if "desks" in document else
                [f"sites.{site}.desks.{name}" for site, spec in document["sites"].items()
                 for name in spec["desks"]])
    for prefix in prefixes:
        # New counters at least, and a new schedule at most, the old schedule's highest level
        # (or 1): both stay valid whichever of the two changes an option makes.
        level = max([1, *(_at(document, prefix).get("schedule") or {}).values()])
        if prefix.rsplit(".", 1)[1] in document.get("appointments", {}).get("reserved", {}):
            level = max(level, 2)  # a desk keeps a counter besides the reserved one
        changes.append(st.integers(level, 4).map(lambda n, p=prefix: (f"{p}.counters", n)))
        if prefix.rsplit(".", 1)[1] not in _booked_desks(document):  # booked desks stay open
            changes.append(st.dictionaries(clocks(), st.integers(0, level), min_size=1,
                                           max_size=3).map(
                lambda s, p=prefix: (f"{p}.schedule", s)))
        name, site_desks = prefix.rsplit(".", 1)[1], list(_at(document, prefix.rsplit(".", 1)[0]))
        if "tickets" not in document and "appointments" not in document:
            changes.append(_serves(name, site_desks).map(lambda s, p=prefix: (f"{p}.serves", s)))
    if "per_day" in document["arrivals"]:
        changes.append(number(1, 60).map(lambda n: ("arrivals.per_day", n)))
    else:
        changes.append(number(0.2, 6).map(lambda n: ("arrivals.per_hour", n)))
    if "weekday_factor" in document["arrivals"]:
        changes.append(number(0, 2).map(lambda f: ("arrivals.weekday_factor.sat", f)))
    if "back_office" in document:
        office = document["back_office"]
        ceiling = max([0, *(office.get("schedule") or {}).values()])
        changes += [
            st.sampled_from(["dedicated", "counter_first"]).map(
                lambda v: ("back_office.policy", v)),
            st.integers(ceiling, 4).map(lambda n: ("back_office.staff", n)),
            positive(60).map(lambda m: ("back_office.chunk_minutes", m)),
        ]
    picked = draw(st.lists(st.sampled_from(changes), min_size=1, max_size=3))
    return dict(draw(strategy) for strategy in picked)


def _at(document: dict, path: str) -> dict:
    node = document
    for key in path.split("."):
        node = node[key]
    return node


def _targets() -> st.SearchStrategy[dict]:
    waits = {name: positive(60) for name in ("wait_mean", "wait_p50", "wait_p90", "wait_p95",
                                               "wait_max")}
    shares = {name: number(0, 1) for name in ("abandoned_share", "sent_home_share",
                                                "on_time_share")}
    return st.fixed_dictionaries({}, optional={
        **waits, **shares,
        "within_target_share": st.fixed_dictionaries({"minutes": positive(60),
                                                      "at_least": number(0, 1)}),
        "overdue": st.integers(0, 20),
        "lateness_p90": number(0, 5),
    })


# --- the whole document ------------------------------------------------------------------------
@st.composite
def _documents(draw: Draw) -> dict:
    calendar = draw(_calendar())
    timeline = build_timeline(Calendar.model_validate(calendar))
    first, last = timeline.days[0].date, timeline.days[-1].date
    side, counters, desks = draw(_counter_side())
    document: dict = {"name": "generated", "calendar": calendar,
                      "arrivals": draw(_arrivals(first, last, last_close(
                          calendar.get("sessions", Calendar.model_fields["sessions"].default)))),
                      side: counters}
    if draw(st.booleans()):
        guidance = draw(st.fixed_dictionaries(
            {"staff": st.integers(1, 2), "service": durations(20)},
            optional={"incomplete_factor": number(0, 1)}))
        if draw(st.booleans()):
            guidance["schedule"] = draw(st.dictionaries(
                clocks(), st.integers(0, guidance["staff"]), min_size=1, max_size=3))
        document["guidance"] = guidance
    if draw(st.booleans()):
        document["back_office"] = draw(_back_office())
    sections = _Sections(desks, "guidance" in document, "back_office" in document,
                         list(document.get("back_office", {}).get("handoffs", {})), first, last)
    count = draw(st.integers(1, len(PROCEDURE_IDS)))
    shares = draw(_weights_to_shares(count))
    document["procedures"] = [draw(_procedure(i, share, sections))
                              for i, share in enumerate(shares)]
    with_work = [p["id"] for p in document["procedures"] if "back_office" in p]
    if with_work:
        document["backlog"] = draw(st.lists(_backlog_item(with_work), max_size=2))
        if draw(st.booleans()):
            document["inquiries"] = {"desk": draw(st.sampled_from(desks)),
                                     "per_day": draw(number(0, 2)),
                                     "overdue_per_day": draw(number(0, 3)),
                                     "service": draw(durations(10))}
    ids = [p["id"] for p in document["procedures"]]
    if not _has_serves(document):  # sim check keeps tickets and counter groups apart
        if draw(st.booleans()):
            document["tickets"] = draw(_tickets())
        bookable = any(p["desk"] in _never_closed(document, side)
                       for p in document["procedures"])
        if bookable and draw(st.booleans()):
            document["appointments"] = draw(_appointments(document, side))
    document["disruptions"] = draw(st.lists(
        _disruption(calendar["start"], timeline.closings[-1], desks, ids, first, last),
        max_size=3))
    document.update(draw(st.fixed_dictionaries({}, optional={
        "description": st.just("Sinh ra tự động: a generated centre"),
        "patience": durations(60),
        "return_probability": number(0, 1),
        "return_lag_days": st.one_of(number(1, 4), uniform(1, 4), triangular(1, 4)),
        "max_trips": st.integers(1, 4),
        "at_closing": st.sampled_from(["send_home", "serve_all"]),
        "warmup_minutes": number(0, 1440),
        "targets": _targets(),
    })))
    names = draw(st.lists(st.sampled_from(["more_counters", "other_hours", "counter_first"]),
                          max_size=3, unique=True))
    if names:
        document["options"] = {name: draw(_option(document)) for name in names}
    return document
