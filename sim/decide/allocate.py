"""Where a pool of extra (seconded) staff helps most: the objective, where one more person
works, and the greedy marginal analysis by simulation that places people one at a time.

Each extra person goes to the centre where one more person cuts the objective most: total
waiting minutes (a counter at a desk that serves the centre's busiest queue, the one with the
highest offered load over the open counter-minutes that serve it, `serves` counted; a group of
counters without procedures is such a desk too) or dossiers overdue at the end (one more
back-office staff member). Gains are paired differences on common random numbers
(the same seeds with and without the extra person), so small gains are not noise. After a
centre receives someone, only its own next gain is simulated again.

`greedy_one_at_a_time` waits for each placement before simulating the next, so it cannot
place thousands; `sim.decide.gain_curves.allocate` gives the same placement from curves
simulated in parallel, and is what `sim allocate` uses. This one is its reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from sim.analysis.confidence import t_interval
from sim.analysis.metrics import run_metrics, total_waiting
from sim.analysis.offered_load import offered_load
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import unit_seed
from sim.model.centre import simulate
from sim.model.citizens import Pool, counter_pools
from sim.model.counter_groups import servers_of
from sim.scenario.load import BASELINE
from sim.scenario.province.load import ProvinceSet
from sim.scenario.schema import Scenario

OBJECTIVES = ("waiting", "overdue")


@dataclass(frozen=True)
class Step:
    """One extra person placed."""

    step: int
    centre: str
    name: str
    where: str  # the desk (site.desk) or "back_office"
    gain: float  # mean reduction of the objective, over replications
    gain_ci_low: float
    gain_ci_high: float


def objective_values(scenario: Scenario, centre: str, replications: int, seed: int,
                     objective: str) -> np.ndarray:
    """The objective in each replication: total waiting minutes, or overdue dossiers."""
    values = []
    for replication in range(replications):
        record = simulate(scenario, unit_seed(seed, replication, centre),
                          visits_only=objective == "waiting")
        values.append(total_waiting(record) if objective == "waiting"
                      else run_metrics(record, scenario).get("overdue", 0.0))
    return np.nan_to_num(np.array(values))


class Placement(NamedTuple):
    """A centre's scenario with one more person, and where the person works."""

    scenario: Scenario
    where: str  # "back_office", a desk, or "site.desk"


def with_one_more(scenario: Scenario, objective: str) -> Placement:
    """The scenario with one more person where the objective says, and where that is."""
    if objective == "overdue":
        if scenario.back_office is None:
            raise ValueError("the overdue objective needs centres with a back office")
        office = scenario.back_office.model_copy(update={"staff": scenario.back_office.staff + 1})
        return Placement(scenario.model_copy(update={"back_office": office}), "back_office")
    site, desk = _busiest_desk(scenario)
    desks = scenario.site_desks()
    spec = desks[site][desk]
    # The extra person works whenever the desk is open; a closed period (0) stays closed.
    schedule = ({clock: count + 1 if count else 0 for clock, count in spec.schedule.items()}
                if spec.schedule else None)
    more = spec.model_copy(update={"counters": spec.counters + 1, "schedule": schedule})
    if scenario.sites is None:
        return Placement(scenario.model_copy(update={"desks": {**desks[site], desk: more}}), desk)
    sites = dict(scenario.sites)
    sites[site] = sites[site].model_copy(update={"desks": {**desks[site], desk: more}})
    return Placement(scenario.model_copy(update={"sites": sites}), f"{site}.{desk}")


def _busiest_desk(scenario: Scenario) -> tuple[str, str]:
    """(site, desk) where one more person relieves the likeliest bottleneck.

    The bottleneck is the queue with the highest offered load on its busiest day: the minutes
    of service its citizens bring (its site's share of them) over the counter-minutes of every
    desk whose counters serve it (its own and, with `serves`, other desks' and groups of
    counters without procedures). The person sits at the first of those desks (its own desk
    first, then the others in the scenario's order) that opens and has a free position: a
    desk that never opens would open nothing, a desk whose counters fill its positions has
    nowhere to sit. So when a queue's own desk is full, the person joins a group of counters
    that serves it. Without `serves` this is the desk with the highest load itself."""
    load = offered_load(scenario)
    pools = counter_pools(scenario)
    desks = scenario.site_desks()
    specs = [desks[p.site][p.desk] for p in pools]
    servers = servers_of({pool: [Pool(pool.site, name) for name in spec.serves or [pool.desk]]
                          for pool, spec in zip(pools, specs, strict=True)})
    minutes = dict(zip(pools, load["counter_minutes"], strict=True))
    seats = {pool for pool, spec in zip(pools, specs, strict=True)
             if minutes[pool] > 0 and spec.counters < spec.most_counters()}
    capacity = np.array([sum(minutes[s] for s in servers.get(pool, [])) for pool in pools])
    offered = load["offered_minutes"].to_numpy(dtype=float)
    # A queue that no open counter serves has no seat to offer: its pressure does not matter.
    pressure = np.divide(offered, capacity, out=np.zeros(len(pools)), where=capacity > 0)
    for queue in np.argsort(-pressure, kind="stable"):
        for server in servers.get(pools[queue], []):
            if server in seats:
                return server.site, server.desk
    raise ValueError(f"{scenario.name}: every desk that opens has as many counters as "
                     "positions; one more person at a counter has nowhere to sit")


def greedy_one_at_a_time(province: ProvinceSet, extra_staff: int, replications: int, seed: int,
                         objective: str = "waiting", execution: Execution = IN_PROCESS
                         ) -> list[Step]:
    """Place `extra_staff` people one by one where each cuts the objective most."""
    current = {c.id: province.scenarios[c.id].options[BASELINE] for c in province.centres}
    names = {c.id: c.name for c in province.centres}
    gains = dict(zip(current, execution.map(
        _gain, [(current[c], c, replications, seed, objective) for c in current]), strict=True))
    steps = []
    for step in range(1, extra_staff + 1):
        centre = max(gains, key=lambda c: gains[c][0])
        gain, low, high, where, after = gains[centre]
        steps.append(Step(step, centre, names[centre], where, gain, low, high))
        current[centre] = with_one_more(current[centre], objective).scenario
        # The centre's new baseline was the "after" just simulated: only the next step is new.
        gains[centre] = _gain(current[centre], centre, replications, seed, objective, after)
    return steps


def _gain(scenario: Scenario, centre: str, replications: int, seed: int, objective: str,
          before: np.ndarray | None = None) -> tuple[float, float, float, str, np.ndarray]:
    """Paired reduction of the objective from one more person: mean, 95% CI, where the person
    goes, and the objective with them (the next step's starting point)."""
    more, where = with_one_more(scenario, objective)
    if before is None:
        before = objective_values(scenario, centre, replications, seed, objective)
    after = objective_values(more, centre, replications, seed, objective)
    mean, low, high = t_interval(before - after)
    return mean, low, high, where, after


def steps_table(steps: list[Step]) -> pd.DataFrame:
    """One row per person placed, with the running total of the gains."""
    table = pd.DataFrame([s.__dict__ for s in steps])
    table["cumulative_gain"] = table["gain"].cumsum()
    return table
