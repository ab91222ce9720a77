"""Priority tickets: the calling rules against queueing theory and on small hand-made queues.

scenarios/theory/priority_mmc.yaml is an M/M/3 whose visitors hold a priority ticket with
probability 0.3, all with the same exponential service. Under strict non-pre-emptive priority
each class's mean wait is Cobham's (`sim.analysis.theory.cobham_priority_waits`); first come,
first served gives both classes Erlang C's mean wait. The file's option `every_3` (every third
call to a priority ticket) must lie strictly between the two for each class. The CHECKS
intervals on one root seed are each taken at level 1 - 0.05 / CHECKS (Bonferroni). As in
tests/test_theory.py, each strict-priority interval must also be narrow enough to tell Cobham's
value from the first-come-first-served one, so the check can fail.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.analysis.confidence import t_interval
from sim.analysis.theory import cobham_priority_waits, erlang_c
from sim.model.desk import Desk
from sim.model.record import ABANDONED, BOOKED, IN_SERVICE, PRIORITY, SERVED, WAITING, WALK_IN
from sim.model.tickets import FifoQueue, TicketQueue
from sim.scenario.load import load_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "theory" / "priority_mmc.yaml"
REPLICATIONS = 20
CLASSES = ("priority", "walk_in")  # from the highest priority down
CHECKS = 4  # strict: two classes; every_3: two classes
CONFIDENCE = 1 - 0.05 / CHECKS


@pytest.fixture(scope="module")
def replications() -> pd.DataFrame:
    return sim.run(SCENARIO, replications=REPLICATIONS).replications


@pytest.fixture(scope="module")
def theory() -> tuple[dict[str, float], float]:
    """Cobham's mean wait per class, and Erlang C's (first come, first served)."""
    scenario = load_scenario(SCENARIO).baseline
    rate = scenario.arrivals.per_hour / 60
    share = sum(scenario.tickets.priority.values())
    service_rate = 1 / scenario.procedures[0].service.expected()
    counters = scenario.desks["counters"].counters
    cobham = cobham_priority_waits(counters, [rate * share, rate * (1 - share)], service_rate)
    return dict(zip(CLASSES, cobham, strict=True)), erlang_c(counters, rate,
                                                             service_rate).wait_mean


def interval(replications: pd.DataFrame, option: str, metric: str) -> tuple[float, float]:
    chosen = (replications["option"] == option) & (replications["metric"] == metric)
    values = replications.loc[chosen, "value"].to_numpy(dtype=float)
    assert len(values) == REPLICATIONS
    _, low, high = t_interval(values, CONFIDENCE)
    return low, high


@pytest.mark.parametrize("ticket", CLASSES)
def test_strict_priority_matches_cobham_for_each_class(replications, theory, ticket) -> None:
    cobham, fcfs = theory
    low, high = interval(replications, "baseline", f"wait_mean:{ticket}")
    assert low <= cobham[ticket] <= high, (ticket, cobham[ticket], low, high)
    assert (high - low) / 2 < abs(cobham[ticket] - fcfs) / 2, (ticket, low, high, fcfs)


@pytest.mark.parametrize("ticket", CLASSES)
def test_one_in_k_lies_between_strict_and_first_come_first_served(replications, theory,
                                                                   ticket) -> None:
    cobham, fcfs = theory
    low, high = interval(replications, "every_3", f"wait_mean:{ticket}")
    bounds = sorted((cobham[ticket], fcfs))
    assert bounds[0] < low and high < bounds[1], (ticket, bounds, low, high)


def _queue(tickets: list[int], every: int = 1, reserved: int = 0, counters: int = 1):
    """A desk with `counters` open and a TicketQueue of visits 0.. with these classes, joined
    in that order."""
    desk = Desk()
    desk.set_scheduled(counters)
    outcome = [WAITING] * len(tickets)
    queue = TicketQueue(desk, (outcome, [float(v) for v in range(len(tickets))], tickets),
                        every, reserved)
    for visit in range(len(tickets)):
        queue.append(visit)
    return desk, queue, outcome


def _calls(queue: TicketQueue, outcome: list[int]) -> list[int]:
    """The order in which the counter calls everyone, each served and done before the next."""
    order = []
    while (visit := queue.popleft()) is not None:
        outcome[visit] = IN_SERVICE
        order.append(visit)
        outcome[visit] = SERVED
    return order


def test_strict_calls_booked_then_priority_then_walk_ins_each_in_ticket_order() -> None:
    _, queue, outcome = _queue([WALK_IN, PRIORITY, WALK_IN, BOOKED, PRIORITY])
    assert _calls(queue, outcome) == [3, 1, 4, 0, 2]


def test_every_k_gives_every_kth_call_to_a_priority_ticket_else_ticket_order() -> None:
    tickets = [WALK_IN, WALK_IN, WALK_IN, WALK_IN, PRIORITY, PRIORITY, WALK_IN]
    _, queue, outcome = _queue(tickets, every=3)
    # Calls 1-2 in ticket order (walk-ins 0, 1), call 3 the priority 4; then 2, 3, priority 5.
    assert _calls(queue, outcome) == [0, 1, 4, 2, 3, 5, 6]


def test_visits_that_left_are_skipped_and_do_not_count_as_calls() -> None:
    _, queue, outcome = _queue([PRIORITY, WALK_IN, WALK_IN, PRIORITY], every=2)
    outcome[0] = ABANDONED
    assert queue.peek() == 1
    assert _calls(queue, outcome) == [1, 3, 2]


def test_reserved_counters_serve_booked_citizens_only_and_the_others_everyone_else() -> None:
    desk, queue, outcome = _queue([WALK_IN, WALK_IN, BOOKED], reserved=1, counters=2)
    first = queue.popleft()
    assert first == 2  # a reserved counter is free and a booked citizen waits
    outcome[first] = IN_SERVICE
    desk.busy = 1
    second = queue.popleft()
    assert second == 0
    outcome[second] = IN_SERVICE
    desk.busy = 2
    assert queue.popleft() is None
    outcome[first] = SERVED  # the booked citizen is done: the reserved counter is free
    desk.busy = 1
    assert queue.popleft() is None  # ... but nobody booked waits; walk-in 1 waits on
    assert list(queue) == [1] and len(queue) == 1


def test_fifo_queue_peeks_past_visits_that_left() -> None:
    outcome = [ABANDONED, WAITING]
    queue = FifoQueue(outcome)
    queue.extend([0, 1])
    assert queue.peek() == 1 and list(queue) == [1]
    assert queue.popleft() == 1 and not queue
