"""The simulation agrees with queueing theory inside confidence intervals.

Each theory scenario is run for 20 independent replications (fixed root seed), and the queue's
parameters (arrival rate, counters, service and patience distributions) are read from its file,
so the file and the formula cannot drift apart. For every metric checked, the exact steady-state
value must lie inside the Student-t interval of the replication means. The CHECKS intervals of
this file run on one root seed, so each is taken at level 1 - 0.05 / CHECKS (Bonferroni): the
chance of any false alarm is at most 5%.

To show that each check can fail, each metric names a neighbouring system (one counter more,
another patience, exponential instead of fixed service, one visitor an hour fewer) and the
interval's half-width must be under half the distance between the two systems' values: then an
interval that contains the theory cannot contain the neighbour's value, so the run tells the
two systems apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.analysis.confidence import t_interval
from sim.analysis.theory import QueueTheory, erlang_a, erlang_c, mg1_pollaczek_khinchine
from sim.scenario.distributions import Exponential
from sim.scenario.load import load_scenario
from sim.scenario.schema import WEEKDAYS, Scenario

THEORY = Path(__file__).resolve().parent.parent / "scenarios" / "theory"
REPLICATIONS = 20
FAMILY_LEVEL = 0.05
# The theory's name of each metric the summary reports under another name.
THEORY_NAMES = {"wait_served_mean": "served_wait_mean"}


@dataclasses.dataclass(frozen=True)
class Queue:
    """The textbook queue a theory scenario describes, read from its file."""

    arrival_rate: float  # per minute
    counters: int
    service: object  # a scenario distribution
    patience: object | None

    @staticmethod
    def of(scenario: Scenario) -> Queue:
        """The queue of a theory scenario, after checking that the formulas apply to it: one
        procedure and desk, open around the clock every day, a constant rate, nobody sent
        home and nobody coming back."""
        calendar = scenario.calendar
        assert calendar.sessions == ["00:00-24:00"] and set(calendar.weekdays) == set(WEEKDAYS)
        assert scenario.at_closing == "serve_all" and scenario.return_probability == 0
        assert scenario.arrivals.per_hour is not None and not scenario.disruptions
        (procedure,), (desk,) = scenario.procedures, scenario.desks.values()
        assert desk.schedule is None and procedure.back_office is None
        return Queue(scenario.arrivals.per_hour / 60, desk.counters, procedure.service,
                     scenario.patience)

    def theory(self) -> QueueTheory:
        """Erlang A with exponential patience, Erlang C with exponential service, otherwise
        Pollaczek-Khinchine for one counter."""
        mean = self.service.expected()
        if self.patience is not None:
            assert self.patience.dist == "exponential" and self.service.dist == "exponential"
            return erlang_a(self.counters, self.arrival_rate, 1 / mean,
                            1 / self.patience.expected())
        if self.service.dist == "exponential":
            return erlang_c(self.counters, self.arrival_rate, 1 / mean)
        assert self.counters == 1 and self.service.dist == "deterministic"
        return mg1_pollaczek_khinchine(self.arrival_rate, mean, 0.0)


def one_counter_more(queue: Queue) -> Queue:
    return dataclasses.replace(queue, counters=queue.counters + 1)


def patience_ten_minutes_longer(queue: Queue) -> Queue:
    return dataclasses.replace(queue, patience=Exponential(
        dist="exponential", mean=queue.patience.expected() + 10))


def exponential_service(queue: Queue) -> Queue:
    return dataclasses.replace(queue, service=Exponential(dist="exponential",
                                                          mean=queue.service.expected()))


def one_visitor_an_hour_fewer(queue: Queue) -> Queue:
    return dataclasses.replace(queue, arrival_rate=queue.arrival_rate - 1 / 60)


Neighbour = Callable[[Queue], Queue]
CASES: dict[str, dict[str, Neighbour]] = {
    "mmc": {"wait_mean": one_counter_more, "waited_share": one_counter_more,
            "utilisation": one_counter_more},
    "erlang_a": {"wait_mean": one_counter_more, "waited_share": one_counter_more,
                 "utilisation": one_counter_more, "wait_served_mean": one_counter_more,
                 "abandoned_share": patience_ten_minutes_longer},
    "md1": {"wait_mean": exponential_service, "waited_share": one_visitor_an_hour_fewer,
            "utilisation": one_visitor_an_hour_fewer},
}
CHECKS = sum(len(metrics) for metrics in CASES.values())
CONFIDENCE = 1 - FAMILY_LEVEL / CHECKS


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest) -> tuple[str, Queue, pd.DataFrame]:
    """(name, queue, per-replication metric values) of one theory scenario."""
    path = THEORY / f"{request.param}.yaml"
    results = sim.run(path, replications=REPLICATIONS)
    return request.param, Queue.of(load_scenario(path).baseline), results.replications


def interval(replications: pd.DataFrame, metric: str) -> tuple[float, float]:
    values = replications.loc[replications["metric"] == metric, "value"].to_numpy(dtype=float)
    assert len(values) == REPLICATIONS, metric
    _, low, high = t_interval(values, CONFIDENCE)
    return low, high


def test_simulation_matches_theory_and_tells_apart_the_neighbour(case) -> None:
    name, queue, replications = case
    theory = queue.theory()
    if queue.patience is None:  # nobody gives up, exactly
        abandoned = replications.loc[replications["metric"] == "abandoned_share", "value"]
        assert (abandoned == 0).all(), name
    for metric, neighbour in CASES[name].items():
        expected = getattr(theory, THEORY_NAMES.get(metric, metric))
        other = getattr(neighbour(queue).theory(), THEORY_NAMES.get(metric, metric))
        low, high = interval(replications, metric)
        assert low <= expected <= high, (
            f"{name} {metric}: theory {expected:.4f} outside the {CONFIDENCE:.2%} CI "
            f"[{low:.4f}, {high:.4f}]")
        assert (high - low) / 2 < abs(expected - other) / 2, (
            f"{name} {metric}: CI [{low:.4f}, {high:.4f}] too wide to tell theory "
            f"{expected:.4f} from the {neighbour.__name__.replace('_', ' ')} value {other:.4f}")

