"""What the unbounded staffing search sizes as one: a desk, or desks linked by `serves`.

Desks whose counters serve each other's queues (`serves`, directly or through others; a group
of counters without procedures among them) share their counters, so one queue's waits depend
on the others' counters. The search sizes such desks together, as one *unit* with one count
per block (the total of their counters), and judges the unit by every queue in it; a desk that
serves only its own queue is a unit of its own, sized exactly as before.

Theory start. The unit's count is the theory staffing of the *pooled* load: every procedure of
the linked desks queued at one desk with all their positions (the modified offered load of
their combined demand, with Erlang C or A per block). With equal exponential service and every
counter serving every queue, that is exactly the linked desks' queue (one M/M/c, see
`scenarios/theory/pooled.yaml`). With one-way overflow (a desk helps another that does not help
back) or a preference order, waits lie between those of one pooled queue and of separate desks,
so the pooled staffing is a lower bound of what the desks need: a start that never over-counts
a desk whose queue other counters also serve, from which the simulation adds what is missing.
(At a centre with several sites, linked desks whose names also stand at another site keep the
theory of their own loads, as units of their own: their citizens' routing between sites cannot
be pooled at one site.)

Split. A unit's count in a block is shared among its desks one counter at a time, each next to
the desk with the fewest per counter the scenario gives it (ties to the desk listed first),
every desk at least 1 and none beyond its positions: the planner's proportions between the
desks are kept, and what the search changes is how many counters the linked desks have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sim.analysis.staffing.theory_plan import TheoryPlan, theory_schedule
from sim.analysis.targets import Target
from sim.model.citizens import Pool
from sim.scenario.counter_groups import served_together
from sim.scenario.limits import MAX_COUNTERS
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Unit:
    """Desks sized together: their labels, their counters in the scenario and positions."""

    label: str  # the desk's label, or the linked desks' labels joined by "+"
    desks: tuple[str, ...]
    weights: tuple[int, ...]  # each desk's counters in the scenario: the proportions kept
    positions: tuple[int, ...]

    def split(self, total: int) -> list[int]:
        """The unit's `total` counters in one block, shared among its desks (see the module)."""
        counts = [1] * len(self.desks)
        for _ in range(total - len(self.desks)):
            room = [i for i, count in enumerate(counts) if count < self.positions[i]]
            if not room:
                break
            counts[min(room, key=lambda i: counts[i] / self.weights[i])] += 1
        return counts


@dataclass(frozen=True)
class SearchPlan:
    """The units of a search, their theory (`plan`, by unit; its `paths` by desk), and the
    desks whose queues the check judges."""

    units: tuple[Unit, ...]
    plan: TheoryPlan
    queues: tuple[str, ...]  # every searched desk, in the scenario's order

    def unit(self, label: str) -> Unit:
        return next(unit for unit in self.units if unit.label == label)

    def per_desk(self, counts: dict[str, Sequence[int]]) -> dict[str, tuple[int, ...]]:
        """Counts by unit as counts by desk, in the order of the desks."""
        found: dict[str, tuple[int, ...]] = {}
        for unit in self.units:
            shares = [unit.split(int(total)) for total in counts[unit.label]]
            found.update({desk: tuple(share[i] for share in shares)
                          for i, desk in enumerate(unit.desks)})
        return {desk: found[desk] for desk in self.queues}

    def by_unit(self, visits: pd.DataFrame) -> pd.DataFrame:
        """Visits with their desk named by its unit, for the unit's block values."""
        names = {desk: unit.label for unit in self.units for desk in unit.desks
                 if len(unit.desks) > 1}
        if not names:
            return visits
        return visits.assign(desk=visits["desk"].astype(str).replace(names))


def search_plan(scenario: Scenario, targets: Sequence[Target], desks: Sequence[str] | None,
                block_minutes: int | None) -> SearchPlan:
    """The units of the desks searched and their theory. Raises ValueError when `desks` names
    some of the desks linked by `serves` but not all (they can only be sized together)."""
    plan = theory_schedule(scenario, targets, desks, block_minutes)
    linked = _linked(scenario, list(plan.counters))
    if not linked:
        units = tuple(Unit(label, (label,), (1,), (plan.positions[label],))
                      for label in plan.counters)
        return SearchPlan(units, plan, tuple(plan.counters))
    pooled = theory_schedule(_pooled_scenario(scenario, linked), targets,
                             [members[0] for _, members in linked], block_minutes)
    return SearchPlan(_units(scenario, plan, linked), _unit_plan(plan, pooled, linked),
                      tuple(plan.counters))


def _linked(scenario: Scenario, searched: list[str]) -> list[tuple[str, list[str]]]:
    """(site, labels) of each set of linked desks that can be pooled, all of them searched."""
    single = scenario.sites is None
    site_desks = scenario.site_desks()
    found = []
    for site, names in served_together(site_desks):
        labels = [Pool(site, name).label(single) for name in names]
        chosen = [label for label in labels if label in searched]
        if chosen and len(chosen) < len(labels):
            raise ValueError(f"desks {', '.join(labels)} serve each other's queues (serves) "
                             "and are sized together: name all of them with --desk, or none")
        elsewhere = any(name in desks for other, desks in site_desks.items() if other != site
                        for name in names)
        if chosen and not elsewhere:
            found.append((site, labels))
    return found


def _pooled_scenario(scenario: Scenario, linked: list[tuple[str, list[str]]]) -> Scenario:
    """The scenario as theory sees pooled desks: each linked set's procedures queue at its
    first desk, which has all the set's positions (the others are left out). Not validated:
    only the theory step reads it."""
    single = scenario.sites is None
    site_desks = scenario.site_desks()
    into, sites = {}, {}
    for site, labels in linked:
        names = [label.split(".")[-1] for label in labels]
        into.update(dict.fromkeys(names, names[0]))
        desks = dict(site_desks[site])
        most = sum(desks[name].most_counters() for name in names)
        desks[names[0]] = desks[names[0]].model_copy(
            update={"positions": min(most, MAX_COUNTERS), "serves": None})
        sites[site] = {name: desk for name, desk in desks.items() if name not in names[1:]}
    procedures = [p.model_copy(update={"desk": into.get(p.desk, p.desk)})
                  for p in scenario.procedures]
    if single:
        return scenario.model_copy(update={"procedures": procedures, "desks": sites["main"]})
    return scenario.model_copy(update={"procedures": procedures, "sites": {
        name: site.model_copy(update={"desks": sites.get(name, site.desks)})
        for name, site in (scenario.sites or {}).items()}})


def _units(scenario: Scenario, plan: TheoryPlan, linked: list[tuple[str, list[str]]]
           ) -> tuple[Unit, ...]:
    """One unit per linked set (at the place of its first desk) and per other desk."""
    counters = {Pool(site, name).label(scenario.sites is None): desk.counters
                for site, desks in scenario.site_desks().items() for name, desk in desks.items()}
    sets = {labels[0]: labels for _, labels in linked}
    inside = {label for labels in sets.values() for label in labels}
    units = []
    for label in plan.counters:
        members = sets.get(label, [label] if label not in inside else [])
        if members:
            units.append(Unit("+".join(members), tuple(members),
                              tuple(counters[m] for m in members),
                              tuple(plan.positions[m] for m in members)))
    return tuple(units)


def _unit_plan(plan: TheoryPlan, pooled: TheoryPlan, linked: list[tuple[str, list[str]]]
               ) -> TheoryPlan:
    """The theory by unit: a linked set's from the pooled scenario (at least one counter per
    desk in each block), every other desk's as it was."""
    counters, feasible, positions, theory = {}, {}, {}, {}
    sets = {labels[0]: labels for _, labels in linked}
    inside = {label for labels in sets.values() for label in labels[1:]}
    for label in plan.counters:
        if label in inside:
            continue
        members = sets.get(label, [label])
        source = pooled if label in sets else plan
        name = "+".join(members)
        counters[name] = tuple(max(c, len(members)) for c in source.counters[label])
        feasible[name] = source.feasible[label]
        positions[name] = source.positions[label]
        theory[name] = source.block_theory[label]
    return TheoryPlan(plan.blocks, counters, feasible, dict(plan.paths), positions,
                      plan.busiest_day, plan.model, theory)
