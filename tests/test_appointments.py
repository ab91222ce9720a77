"""Appointments: booked citizens, their slots, no-shows and the two calling rules.

The bound of the reserved rule. One counter is reserved for booked citizens, one citizen is
booked per slot of L = 15 minutes, service takes S = 10 minutes exactly and booked citizens
arrive between 5 minutes early and g = 3 minutes late. Then each booked citizen is called at
once, or at the start of their slot if they came early: by induction, the one before them was
called by their own slot's start plus g and left S later, by slot + g + S <= the next slot's
start, since g + S <= L. So the wait past the slot (booked_wait_mean's per-visit quantity) is
exactly 0 and the queue wait is at most how early they came, whatever the walk-ins do. Under
booked_first at the same busy desk a booked citizen may find both counters busy with walk-ins
and wait up to S: the same run then shows positive waits past the slot, so the bound is the
reserved counter's doing.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.analysis.confidence import t_interval
from sim.analysis.metrics import run_metrics
from sim.model.appointments import slot_starts
from sim.model.centre import simulate
from sim.model.record import BOOKED, WALK_IN
from sim.scenario.errors import ScenarioError
from sim.scenario.load import scenario_from_document

SLOT, SERVICE, EARLY, LATE = 15.0, 10.0, 5.0, 3.0

DOCUMENT = {
    "name": "booked and walk-in citizens at one desk",
    "calendar": {"start": "2025-07-01", "working_days": 10},
    "arrivals": {"per_day": 110},
    "procedures": [
        {"id": "land", "share": 0.4, "desk": "general",
         "service": {"dist": "deterministic", "mean": SERVICE}},
        {"id": "birth", "share": 0.6, "desk": "general",
         "service": {"dist": "deterministic", "mean": SERVICE}}],
    "desks": {"general": {"counters": 2}},
    "appointments": {
        "shares": {"land": 0.8}, "slot_minutes": SLOT, "hours": ["08:00-11:00", "14:00-16:30"],
        "days_ahead": 3, "punctuality": {"dist": "uniform", "low": -EARLY, "high": LATE},
        "late_limit": 10, "rule": "reserved", "reserved": {"general": 1}},
    "options": {"booked_first": {"appointments.rule": "booked_first",
                                 "appointments.reserved": {}},
                "one_more_counter": {"desks.general.counters": 3}},
}


def _scenarios(document: dict = DOCUMENT) -> dict:
    return scenario_from_document(copy.deepcopy(document), "appointments.yaml").options


def _past_slot(visits: dict, booked: np.ndarray) -> np.ndarray:
    called = np.where(np.isnan(visits["start"]), visits["end"], visits["start"])[booked]
    return called - np.maximum(visits["slot"][booked], visits["arrival"][booked])


def test_a_reserved_counter_sized_to_the_slots_calls_booked_citizens_without_delay() -> None:
    scenarios = _scenarios()
    for seed in range(3):
        record = simulate(scenarios["baseline"], seed)
        assert run_metrics(record, scenarios["baseline"])["booked_wait_mean"] == 0
        reserved = record.visits
        booked = reserved["ticket_class"] == BOOKED
        assert booked.sum() > 100
        assert (_past_slot(reserved, booked) <= 1e-9).all()
        earliness = np.maximum(reserved["slot"] - reserved["arrival"], 0.0)[booked]
        assert (reserved["wait"][booked] <= earliness + 1e-9).all()
        first_record = simulate(scenarios["booked_first"], seed)
        first = first_record.visits
        shared = first["ticket_class"] == BOOKED
        assert _past_slot(first, shared).max() > 1.0
        assert run_metrics(first_record, scenarios["booked_first"])["booked_wait_mean"] > 0


def test_no_shows_leave_their_slots_empty_and_come_at_the_configured_share() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["appointments"]["no_show"] = 0.3
    document["appointments"]["punctuality"] = {"dist": "uniform", "low": 0, "high": LATE}
    scenario = _scenarios(document)["baseline"]
    outcomes = []
    for seed in range(4):
        record = simulate(scenario, seed)
        visits = record.visits
        booked = visits["ticket_class"] == BOOKED
        slots = np.concatenate([visits["slot"][booked], record.no_show_slots])
        assert len(np.unique(slots)) == len(slots)  # one citizen per slot, no slot taken twice
        starts = visits["start"][booked]
        for empty in record.no_show_slots:  # nobody booked is served in an empty slot
            assert not ((starts >= empty) & (starts < empty + SLOT)).any()
        outcomes += [1.0] * len(record.no_show_slots) + [0.0] * int(booked.sum())
        metric = run_metrics(record, scenario)["no_show_share"]
        assert metric == len(record.no_show_slots) / (len(record.no_show_slots) + booked.sum())
    _, low, high = t_interval(np.array(outcomes), 0.99)
    assert low <= 0.3 <= high


def test_booking_keeps_the_demand_and_every_option_sees_the_same_citizens() -> None:
    scenarios = _scenarios()
    walk_in_only = copy.deepcopy(DOCUMENT)
    del walk_in_only["appointments"], walk_in_only["options"]
    plain = simulate(_scenarios(walk_in_only)["baseline"], 5).visits
    records = {name: simulate(scenario, 5) for name, scenario in scenarios.items()}
    first_trips = {name: r.visits["trip"] == 1 for name, r in records.items()}
    assert len({int(mask.sum()) for mask in first_trips.values()}) == 1
    booked_record = records["baseline"]
    visits, first = booked_record.visits, first_trips["baseline"]
    assert first.sum() + len(booked_record.no_show_slots) == (plain["trip"] == 1).sum()
    walked_in = first & np.isnan(visits["slot"])
    assert np.isin(visits["arrival"][walked_in], plain["arrival"]).all()
    for name, record in records.items():
        assert np.array_equal(record.visits["arrival"][first_trips[name]], visits["arrival"][first])


def test_booked_citizens_take_the_first_slot_with_room_and_the_late_walk_in() -> None:
    document = copy.deepcopy(DOCUMENT)
    document["appointments"]["punctuality"] = {"dist": "uniform", "low": -5, "high": 20}
    scenario = _scenarios(document)["baseline"]
    visits = simulate(scenario, 2).visits
    has_slot = np.isfinite(visits["slot"])
    late = visits["arrival"] - visits["slot"] > 10
    assert (visits["ticket_class"][has_slot & late] == WALK_IN).all()
    assert (visits["ticket_class"][has_slot & ~late] == BOOKED).all()
    assert (has_slot & late).any() and (has_slot & ~late).any()
    assert np.isin(visits["slot"][has_slot], slot_starts(scenario.appointments,
                                                         simulate(scenario, 2).timeline)).all()


BAD = [
    ({"tickets": {"priority": {"elderly": 0.1}, "rule": "every_k"}}, "tickets", "every"),
    ({"appointments": {**DOCUMENT["appointments"], "shares": {"zzz": 0.3}}},
     "appointments.shares.zzz", "a procedure id"),
    ({"appointments": {**DOCUMENT["appointments"], "reserved": {"general": 2}}},
     "appointments.reserved.general", "fewer than the desk's 2 counters"),
    ({"appointments": {**DOCUMENT["appointments"], "hours": ["08:00-08:10"]}},
     "appointments", "shorter than one slot"),
    ({"desks": {"general": {"counters": 2, "schedule": {"07:30": 2, "14:00": 1}}}},
     "appointments.reserved.general", "fewer than the desk's 1 counters open"),
    ({"desks": {"general": {"counters": 3, "schedule": {"07:30": 3, "13:30": 0}}}},
     "appointments.hours[1]", "hours when desk general has a counter open"),
]


@pytest.mark.parametrize(("change", "path", "allowed"), BAD)
def test_a_wrong_ticket_or_booking_field_is_refused_with_its_path(change, path, allowed) -> None:
    document = {**copy.deepcopy(DOCUMENT), **change}
    document.pop("options")
    with pytest.raises(ScenarioError) as error:
        scenario_from_document(document, "centre.yaml")
    assert f"centre.yaml: {path}: got" in str(error.value) and allowed in str(error.value)
