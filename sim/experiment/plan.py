"""The plan of an experiment: its units, (option, centre, replication), each with its seed.

One root seed serves a whole experiment; every unit's seed derives from it with
``numpy.random.SeedSequence`` (the random streams inside a run are the model's,
`sim.model.streams`). The seed depends on the replication and the centre, never on the option:
replication r of every option meets the same citizens (common random numbers), so differences
between options come from the options. A single-centre run (`sim run`) is the one-centre case
whose centre has no key; a province run names its centres.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sim.scenario.load import ScenarioSet
from sim.scenario.schema import Scenario

DEFAULT_SEED = 20250701  # the reform's first day: fixed, so that a run without --seed repeats
VISITS_MODES = ("none", "sample", "all")  # sample: the visits of replication 0 only
TABLES = ("visits", "intervals", "dossiers", "daily")  # a unit's tidy tables
METRICS = "metrics"  # a unit's metric rows, stored like a table


def unit_seed(root_seed: int, replication: int, centre: str | None = None) -> int:
    """The seed of one unit: ``SeedSequence(root_seed, spawn_key=(replication,))`` for a run
    of one unnamed centre, and ``spawn_key=(replication, crc32(centre))`` for a named centre of
    a province, so that centres are independent and a centre's seeds do not change when
    centres are added or reordered. The same for every option (common random numbers).

    >>> unit_seed(1, 0) == unit_seed(1, 0) != unit_seed(1, 1)
    True
    >>> unit_seed(1, 0, "101") != unit_seed(1, 0, "102")
    True
    """
    key = (replication,) if centre is None else (replication, zlib.crc32(centre.encode("utf-8")))
    state = np.random.SeedSequence(root_seed, spawn_key=key).generate_state(1, dtype=np.uint64)
    return int(state[0] >> np.uint64(1))


def fresh_seed(seed: int, replications: int) -> int:
    """A root seed whose first `replications` replications share no seed with the first
    `replications` of `seed`: the next one up that does (in practice seed + 1), so that a
    result tuned on one experiment can be judged on citizens it has not seen.

    >>> fresh_seed(20250701, 10)
    20250702
    """
    tuned = {unit_seed(seed, r) for r in range(replications)}
    fresh = seed + 1
    while not tuned.isdisjoint(unit_seed(fresh, r) for r in range(replications)):
        fresh += 1
    return fresh


@dataclass(frozen=True)
class Unit:
    """One simulation of an experiment: one option of one centre in one replication."""

    scenario: Scenario
    option: str
    replication: int
    seed: int
    centre: str | None = None  # None: the one centre of a single-centre run
    position: int = 0  # the centre's place in the province file
    tables: tuple[str, ...] = TABLES  # the tidy tables it keeps

    @property
    def ids(self) -> dict[str, object]:
        """The columns that trace each of its rows back to it."""
        centre = {} if self.centre is None else {"centre": self.centre}
        return {"option": self.option, **centre, "replication": self.replication}

    @property
    def name(self) -> str:
        """The file name of its parts. With named centres, the centre's position in the
        province file makes it unique (ids that differ only in punctuation or case, `a-1`,
        `A_1`, stay apart); a short ASCII form of the id keeps it readable."""
        if self.centre is None:
            return f"{self.option}-{self.replication:04d}"
        readable = "".join(ch if ch.isascii() and ch.isalnum() else "_"
                           for ch in self.centre[:24])
        return f"{self.position:04d}_{readable}-{self.option}-{self.replication:04d}"

    @property
    def stored(self) -> tuple[str, ...]:
        """What it stores a part of: its tables, then its metric rows."""
        return (*self.tables, METRICS)


@dataclass(frozen=True)
class Batch:
    """Units simulated and stored together, in replication order: every replication of one
    option of one centre of a province (a small centre's run costs less than writing its
    parts, so a province's parts are written per centre, not per replication), or a single
    unit of a one-centre run (whose runs are few and long)."""

    units: tuple[Unit, ...]

    @property
    def name(self) -> str:
        """The file name of its parts: its first unit's, with the last replication added."""
        first, last = self.units[0], self.units[-1]
        return first.name if len(self.units) == 1 else f"{first.name}-{last.replication:04d}"

    @property
    def stored(self) -> tuple[str, ...]:
        """What it stores a part of: the tables any of its units keeps, then metric rows."""
        kept = {table for unit in self.units for table in unit.tables}
        return (*(table for table in TABLES if table in kept), METRICS)

    @property
    def order(self) -> tuple[str, int, int]:
        """Where its rows go in the result tables (option, centre, replication): the first
        unit's option, centre position and replication; the option's place is the plan's."""
        first = self.units[0]
        return first.option, first.position, first.replication


def batches(units: tuple[Unit, ...]) -> tuple[Batch, ...]:
    """The units in batches: per option and centre of a province (in the order their first
    unit comes), one by one for a run of one centre."""
    if all(unit.centre is None for unit in units):
        return tuple(Batch((unit,)) for unit in units)
    groups: dict[tuple[str, int], list[Unit]] = {}
    for unit in units:
        groups.setdefault((unit.option, unit.position), []).append(unit)
    return tuple(Batch(tuple(sorted(group, key=lambda u: u.replication)))
                 for group in groups.values())


@dataclass(frozen=True)
class Plan:
    """Every unit of an experiment, in the order they run: replication by replication, and in
    each replication centre by centre and option by option."""

    root_seed: int
    replications: range
    options: tuple[str, ...]
    centres: tuple[str, ...] | None  # None: a single-centre run
    visits: str
    units: tuple[Unit, ...]

    def seeds(self) -> tuple[int, ...]:
        """The seed of each replication of a single-centre run, at its index."""
        return tuple(unit_seed(self.root_seed, r) for r in range(self.replications.stop))


def run_plan(scenarios: ScenarioSet, seed: int, replications: range,
             visits: str = "all") -> Plan:
    """The plan of a single-centre run: every option in every replication."""
    return _plan({None: scenarios}, seed, replications, visits)


def province_plan(centres: Mapping[str, ScenarioSet], seed: int, replications: int,
                  visits: str = "sample") -> Plan:
    """The plan of a province run: every option of every centre in every replication."""
    return _plan(dict(centres), seed, range(replications), visits)


def kept_tables(visits: str, replication: int) -> tuple[str, ...]:
    """The tables a unit keeps: visits only as the visits mode asks."""
    if visits not in VISITS_MODES:
        raise ValueError(f"visits must be one of {', '.join(VISITS_MODES)}")
    keep_visits = visits == "all" or (visits == "sample" and replication == 0)
    return tuple(table for table in TABLES if keep_visits or table != "visits")


def _plan(centres: dict[str | None, ScenarioSet], seed: int, replications: range,
          visits: str) -> Plan:
    units = tuple(
        Unit(scenario, option, replication, unit_seed(seed, replication, centre), centre,
             position, kept_tables(visits, replication))
        for replication in replications
        for position, (centre, scenarios) in enumerate(centres.items())
        for option, scenario in scenarios.options.items())
    options = tuple(dict.fromkeys(o for scenarios in centres.values() for o in scenarios.options))
    named = None if list(centres) == [None] else tuple(str(c) for c in centres)
    return Plan(seed, replications, options, named, visits, units)

