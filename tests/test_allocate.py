"""Where `sim allocate` puts one more person: at the desk with the highest offered load over its
open counter-minutes (site shares and schedules count), working whenever that desk is open."""

from __future__ import annotations

from sim.decide.allocate import with_one_more
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario

PROCEDURE = {"name": "p", "service": {"dist": "exponential", "mean": 10}}


def centre(**sections: object) -> Scenario:
    document = {"name": "allocate", "calendar": {"start": "2025-07-01", "working_days": 3},
                "arrivals": {"per_day": 100},
                "procedures": [{**PROCEDURE, "id": "a", "share": 0.5, "desk": "general"},
                               {**PROCEDURE, "id": "b", "share": 0.5, "desk": "land"}],
                **sections}
    return scenario_from_document(document, "allocate").baseline


def test_a_closed_period_stays_closed() -> None:
    scenario = centre(desks={"general": {"counters": 2, "schedule": {"07:30": 2, "13:30": 0}},
                             "land": {"counters": 3}})
    more, where = with_one_more(scenario, "waiting")
    assert where == "general"
    assert more.desks["general"].counters == 3
    assert more.desks["general"].schedule == {"07:30": 3, "13:30": 0}


def test_the_busiest_desk_counts_its_open_counters() -> None:
    """General has 3 counters but opens only 1: it is busier than land with 2 open."""
    scenario = centre(desks={"general": {"counters": 3, "schedule": {"07:30": 1}},
                             "land": {"counters": 2}})
    assert with_one_more(scenario, "waiting").where == "general"


def test_the_busiest_desk_counts_site_shares() -> None:
    """The same desks at two sites: the site that 90% of citizens go to is the busier."""
    desks = {"general": {"counters": 2}, "land": {"counters": 2}}
    scenario = centre(sites={"small": {"share": 0.1, "desks": desks},
                             "big": {"share": 0.9, "desks": desks}})
    more, where = with_one_more(scenario, "waiting")
    assert where in ("big.general", "big.land")
    assert more.sites["big"].desks[where.split(".")[1]].counters == 3
    assert more.sites["small"].desks == scenario.sites["small"].desks
