"""Run a plan streamed to disk: every unit writes its tables as Parquet parts into a staging
folder as it finishes (sim/experiment/store.py), and the main process keeps nothing of them.

`resume` skips a unit whose index entry exists and whose parts still match it, and runs again
a unit whose parts were damaged. An experiment may run in rounds, each adding units to the same
staging folder once the metric rows of the units so far are known (a precision goal). What to
make of the finished staging folder (a results folder, a province folder) is for the caller,
above this layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.experiment import unit as unit_module
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import METRICS, Plan
from sim.experiment.store import keep_only, part_path, prepare, verify_units

RunUnits = Callable[[Plan], pd.DataFrame]  # runs a plan's units not yet done: their metrics
Rounds = Callable[[RunUnits], Plan]  # runs one plan, or growing ones; returns the last


@dataclass(frozen=True)
class Streamed:
    """A staging folder holding every unit of a plan, and how much an earlier run had done."""

    plan: Plan
    staging: Path
    resumed: int  # units already done, kept from the interrupted run
    repaired: int  # units run again because the parts they had written were damaged


def staging_folder(out: Path) -> Path:
    """The staging folder of a run published to ``out``: a hidden sibling."""
    return out.with_name(f".{out.name}.partial")


def one_round(plan: Plan) -> Rounds:
    """The rounds of an experiment whose plan is known before it runs: that plan, once."""
    def rounds(run: RunUnits) -> Plan:
        run(plan)
        return plan
    return rounds


def run_streamed(rounds: Rounds, description: dict, staging: Path,
                 execution: Execution = IN_PROCESS, resume: bool = False,
                 on_unit_done: Callable[[], None] | None = None) -> Streamed:
    """Run the rounds into ``staging``: in each, every unit of its plan not yet done (or done
    with parts damaged since), and hand it the metric rows of every unit of that plan, so that
    it can choose the next (a precision goal adds replications). `description` (JSON) is the
    plan.json a resumed run must match: it names what decides the rounds, so that a resumed run
    plays the same rounds again, finding done the units it had run."""
    staged = _Staged(staging, execution, on_unit_done,
                     prepare(staging, description, resume))
    plan = rounds(staged.run)
    stored = {unit.name: unit.stored for unit in plan.units}
    keep_only(staging, stored)
    return Streamed(plan, staging, staged.resumed, staged.repaired)


@dataclass
class _Staged:
    """A staging folder being filled, round by round: the units run or found done so far."""

    staging: Path
    execution: Execution
    on_unit_done: Callable[[], None] | None
    resuming: bool
    known: set[str] = field(default_factory=set)
    resumed: int = 0
    repaired: int = 0

    def run(self, plan: Plan) -> pd.DataFrame:
        new = {unit.name: unit.stored for unit in plan.units if unit.name not in self.known}
        done, damaged = verify_units(self.staging, new) if self.resuming else (set(), set())
        self.resumed, self.repaired = self.resumed + len(done), self.repaired + len(damaged)
        todo = [(unit, str(self.staging)) for unit in plan.units
                if unit.name in new and unit.name not in done]
        # Looked up at call time, so that a test can interrupt a run after some units.
        for _ in self.execution.map(unit_module.write_unit, todo):
            if self.on_unit_done is not None:
                self.on_unit_done()
        self.known.update(new)
        return read_metrics(plan, self.staging)


def table_parts(plan: Plan, staging: Path, table: str) -> list[Path]:
    """The parts of one table, in table order (option, centre, replication)."""
    return [part_path(staging, table, unit.name) for unit in plan.table_order()
            if table in unit.stored]


def read_metrics(plan: Plan, staging: Path) -> pd.DataFrame:
    """Every unit's metric rows, in table order, the option column categorical in the
    plan's order of options."""
    rows = pq.ParquetDataset(table_parts(plan, staging, METRICS)).read().to_pandas()
    rows["option"] = pd.Categorical(rows["option"].astype(str), categories=list(plan.options))
    return rows
