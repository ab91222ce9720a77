"""The offered load counts the visits that are not submissions: at a desk that only hands over
results, and at a feedback desk that only answers inquiries, the expected visits are the mean
number the simulation brings there (seeded replications, a 95% interval for the mean, Bonferroni
over the checks of one test), and the staffing theory gives such a desk its load."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from test_second_visits import land_centre

from sim.analysis.offered_load import offered_load
from sim.analysis.staffing import theory_schedule
from sim.analysis.staffing.visit_demand import second_visits
from sim.experiment.plan import DEFAULT_SEED, unit_seed
from sim.model.calendar import MINUTES_PER_DAY, build_timeline
from sim.model.centre import simulate
from sim.model.citizens import counter_pools
from sim.model.record import INQUIRY, PICKUP
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario

REPLICATIONS = 30
CONFIDENCE = 0.95


def centre(**changes: object) -> dict:
    """The land centre of tests/test_second_visits.py for 15 days, its results handed over at a
    results counter after 0 to 3 days, done within minutes by the back office (no wasted
    trip), and counters enough that nobody is sent home."""
    document = land_centre(15, name="visits",
                           desks={"land": {"counters": 4}, "results": {"counters": 3}})
    document["procedures"][0]["pickup"].update(
        lag_days={"dist": "uniform", "low": 0, "high": 3}, desk="results")
    document.update(changes)
    return document


def feedback_centre() -> dict:
    """Transferred dossiers that stay open (no back-office staff), due on working day 4 or
    already overdue, and a feedback desk that answers their inquiries."""
    document = centre(desks={"land": {"counters": 1}, "feedback": {"counters": 3}},
                      arrivals={"per_day": 1},
                      back_office={"staff": 0, "hours_per_day": 6},
                      backlog=[{"procedure": "land", "count": 150, "spread_days": 3,
                                "days_left": {"dist": "empirical", "values": [-1, 3]}}],
                      inquiries={"desk": "feedback", "per_day": 0.05, "overdue_per_day": 0.2,
                                 "service": {"dist": "exponential", "mean": 4}})
    del document["procedures"][0]["pickup"]
    return document


def scenario_of(document: dict) -> Scenario:
    return scenario_from_document(document, "visit_demand.yaml").baseline


def theory(scenario: Scenario, desk: str) -> tuple[float, float, int]:
    """The expected visits at a desk over the run and, from `sim check`'s table, on its busiest
    day, and that day's number from the start."""
    timeline = build_timeline(scenario.calendar)
    pools = [pool.desk for pool in counter_pools(scenario)]
    found = second_visits(scenario, timeline, math.ceil(timeline.closings[-1]) + 1)
    total = float(sum(v.per_minute.sum() for v in found[pools.index(desk)]))
    row = offered_load(scenario).set_index("desk").loc[desk]
    day = (np.datetime64(row["busiest_day"]) - np.datetime64(scenario.calendar.start)).astype(int)
    return total, float(row["visitors"]), int(day)


def simulated(scenario: Scenario, purpose: int, desk: str, day: int) -> np.ndarray:
    """Per replication (seeded as an experiment seeds them): the visits of `purpose` at the
    desk over the run and on `day`."""
    pool = [p.desk for p in counter_pools(scenario)].index(desk)
    found = []
    for replication in range(REPLICATIONS):
        visits = simulate(scenario, unit_seed(DEFAULT_SEED, replication)).visits
        mine = (visits["purpose"] == purpose) & (visits["desk"] == pool)
        on_day = mine & (visits["arrival"] // MINUTES_PER_DAY == day)
        found.append((int(mine.sum()), int(on_day.sum())))
    return np.array(found, dtype=float)


def assert_within_intervals(samples: np.ndarray, expected: tuple[float, ...]) -> None:
    """Each column's expected mean inside its interval, at 95% over all columns together."""
    level = 1 - (1 - CONFIDENCE) / samples.shape[1]
    for column, mean in zip(samples.T, expected, strict=True):
        low, high = stats.t.interval(level, len(column) - 1, loc=column.mean(),
                                     scale=stats.sem(column))
        assert low <= mean <= high, (mean, low, high)


def test_a_results_counter_gets_the_pick_ups_the_simulation_brings() -> None:
    """The results counter serves pick-ups alone: the expected first trips over the run and on
    the busiest day are the simulated means (no trip is wasted here, so first trips are all)."""
    scenario = scenario_of(centre())
    total, busiest, day = theory(scenario, "results")
    assert busiest > 0
    assert_within_intervals(simulated(scenario, PICKUP, "results", day), (total, busiest))


def test_a_feedback_desk_gets_the_inquiries_the_simulation_brings() -> None:
    """Open transferred dossiers ask at the two rates of working time: the expected inquiries
    over the run and on the busiest day are the simulated means."""
    scenario = scenario_of(feedback_centre())
    total, busiest, day = theory(scenario, "feedback")
    assert busiest > 0
    assert_within_intervals(simulated(scenario, INQUIRY, "feedback", day), (total, busiest))


def test_the_theory_gives_a_desk_of_second_visits_its_load() -> None:
    """The results counter and the feedback desk have visits and load in every block of the
    theory (submissions alone would leave them none)."""
    for document, desk in ((centre(), "results"), (feedback_centre(), "feedback")):
        table = theory_schedule(scenario_of(document), ["wait_p90<=30"]).table()
        mine = table[table["desk"] == desk]
        assert (mine["visits"] > 0).all() and (mine["load"] > 0).all()
