"""`sim allocate` with counters that serve several desks' queues (`serves`): one more person
sits at a desk that serves the busiest queue, a group of counters without procedures too, and
never beyond a desk's positions.

Statistical check (one, seed 5, 5 replications): the person placed on the group cuts the
centre's waiting minutes, the whole paired 95% interval of the gain above 0."""

from __future__ import annotations

from pathlib import Path

import yaml

from sim.decide.allocate import with_one_more
from sim.decide.gain_curves import Curve, allocate
from sim.scenario.load import scenario_from_document
from sim.scenario.province.load import load_province
from sim.scenario.schema import Scenario

PROCEDURE = {"name": "p", "service": {"dist": "exponential", "mean": 10}}
#: 80 citizens a day for general, 20 for land (10 minutes each, 450 open minutes): general's
#: queue has 800 minutes of work for its own counter and the group's, land's 200 for its own
#: and the group's.
CENTRE = {"name": "flex centre", "calendar": {"start": "2025-07-01", "working_days": 3},
          "arrivals": {"per_day": 100},
          "procedures": [{**PROCEDURE, "id": "a", "share": 0.8, "desk": "general"},
                         {**PROCEDURE, "id": "b", "share": 0.2, "desk": "land"}],
          "desks": {"general": {"counters": 1, "positions": 1},
                    "land": {"counters": 1},
                    "flex": {"counters": 1, "positions": 2, "serves": ["general", "land"]}}}


def centre(**desks: dict) -> Scenario:
    document = {**CENTRE, "desks": {**CENTRE["desks"], **desks}}
    return scenario_from_document(document, "flex centre").baseline


def test_the_person_joins_the_group_when_the_busiest_queue_has_no_free_position() -> None:
    """General's queue is the busiest (800 minutes on 2 counters) and its own desk is full:
    the group that serves it gets the person, then (the group full too) land's own desk."""
    curve = Curve("c", "c", [centre()])
    curve.deepen(2, "waiting")
    assert curve.wheres == ["flex", "land"]
    assert [level.desks["flex"].counters for level in curve.levels] == [1, 2, 2]
    assert all(desk.counters <= desk.most_counters()
               for level in curve.levels for desk in level.desks.values())


def test_the_queue_s_own_desk_comes_first_while_it_has_room() -> None:
    assert with_one_more(centre(general={"counters": 1}), "waiting").where == "general"


def test_pooled_desks_whose_own_counters_are_full_get_the_group() -> None:
    """Both desks serve both queues and are full: the group serving both takes the person."""
    pooled = centre(general={"counters": 1, "positions": 1, "serves": ["general", "land"]},
                    land={"counters": 1, "positions": 1, "serves": ["land", "general"]})
    assert with_one_more(pooled, "waiting").where == "flex"


def test_sim_allocate_places_a_person_on_the_group_where_the_queue_is(tmp_path: Path) -> None:
    """Of two centres, the flex centre's general queue is where a person saves most waiting:
    the placement puts them on its group of counters, with a gain clearly above 0."""
    (tmp_path / "centre.yaml").write_text(yaml.safe_dump(CENTRE, allow_unicode=True),
                                          encoding="utf-8")
    province = {"name": "two centres", "province": "test", "template": "centre.yaml",
                "centres": [{"id": "1", "name": "quiet", "latitude": 20.0, "longitude": 105.0,
                             "set": {"arrivals.per_day": 30}},
                            {"id": "2", "name": "busy", "latitude": 20.1, "longitude": 105.1}]}
    (tmp_path / "province.yaml").write_text(yaml.safe_dump(province), encoding="utf-8")
    steps, _ = allocate(load_province(tmp_path / "province.yaml"), 1, replications=5, seed=5)
    assert [(step.centre, step.where) for step in steps] == [("2", "flex")]
    assert steps[0].gain_ci_low > 0, steps[0]
