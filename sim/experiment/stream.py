"""Run a plan streamed to disk: every unit writes its tables as Parquet parts into a staging
folder as it finishes (sim/experiment/store.py), and the main process keeps nothing of them.

`resume` skips a unit whose index entry exists and whose parts still match it, and runs again
a unit whose parts were damaged. An experiment may run in rounds, each adding units to the same
staging folder once the metric rows of the units so far are known (a precision goal). What to
make of the finished staging folder (a results folder, a province folder) is for the caller,
above this layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.experiment import unit as unit_module
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import METRICS, Batch, Plan, batches
from sim.experiment.store import keep_only, part_path, prepare, verify_units

# Runs a plan's units not yet done; reads their metric rows back when called (a plan run once
# never needs them before the end, and a country's are large).
RunUnits = Callable[[Plan], Callable[[], pd.DataFrame]]
Rounds = Callable[[RunUnits], Plan]  # runs one plan, or growing ones; returns the last
CHUNK_BATCHES = 100  # parts read at a time where a table is summarised by chunks


@dataclass(frozen=True)
class Streamed:
    """A staging folder holding every unit of a plan, and how much an earlier run had done."""

    plan: Plan
    staging: Path
    batches: tuple[Batch, ...]  # every batch of every round, each with its parts
    resumed: int  # units already done, kept from the interrupted run
    repaired: int  # units run again because the parts they had written were damaged

    def table_parts(self, table: str) -> list[Path]:
        """The parts of one table, in table order (option, centre, replication)."""
        return table_parts(self.plan, self.batches, self.staging, table)

    def read_metrics(self) -> pd.DataFrame:
        """Every unit's metric rows (see `read_metrics`)."""
        return read_metrics(self.plan, self.batches, self.staging)

    def metric_chunks(self) -> Iterator[pd.DataFrame]:
        """Every unit's metric rows, in table order, CHUNK_BATCHES batches at a time: a
        batch's rows are never split between two chunks, and never all in memory at once."""
        for chunk in chunks(self.table_parts(METRICS)):
            yield _metric_rows(self.plan, chunk)


def chunks(parts: list[Path]) -> Iterator[list[Path]]:
    """The parts, CHUNK_BATCHES at a time, in their order: what a summary read by chunks
    reads at once (a batch writes one part per table, so a chunk never splits a batch)."""
    for start in range(0, len(parts), CHUNK_BATCHES):
        yield parts[start:start + CHUNK_BATCHES]


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
    keep_only(staging, {batch.name: batch.stored for batch in staged.batches})
    return Streamed(plan, staging, tuple(staged.batches), staged.resumed, staged.repaired)


@dataclass
class _Staged:
    """A staging folder being filled, round by round: the batches run or found done so far."""

    staging: Path
    execution: Execution
    on_unit_done: Callable[[], None] | None
    resuming: bool
    batches: list[Batch] = field(default_factory=list)
    known: set[str] = field(default_factory=set)  # the names of the units in those batches
    resumed: int = 0
    repaired: int = 0

    def run(self, plan: Plan) -> Callable[[], pd.DataFrame]:
        new = batches(tuple(unit for unit in plan.units if unit.name not in self.known))
        stored = {batch.name: batch.stored for batch in new}
        done, damaged = verify_units(self.staging, stored) if self.resuming else (set(), set())
        self.resumed += sum(len(b.units) for b in new if b.name in done)
        self.repaired += sum(len(b.units) for b in new if b.name in damaged)
        todo = [(batch, str(self.staging)) for batch in new if batch.name not in done]
        # Looked up at call time, so that a test can interrupt a run after some batches.
        written = self.execution.map(unit_module.write_batch, todo)
        for (batch, _), result in zip(todo, written, strict=True):
            # Executors hand results back in submission order; a batch is done when its own is.
            assert result.name == batch.name, f"{result.name} came back for {batch.name}"
            self._report(len(batch.units))
        self.batches += new
        self.known.update(unit.name for batch in new for unit in batch.units)
        done_so_far = tuple(self.batches)
        return lambda: read_metrics(plan, done_so_far, self.staging)

    def _report(self, units: int) -> None:
        """Progress is counted in units, whatever the batches."""
        for _ in range(units if self.on_unit_done is not None else 0):
            self.on_unit_done()


def table_parts(plan: Plan, stored: tuple[Batch, ...], staging: Path, table: str) -> list[Path]:
    """The parts of one table, in table order (option, centre, replication): a batch holds
    consecutive replications of one option and centre, so its part keeps that order."""
    options = {name: i for i, name in enumerate(plan.options)}

    def order(batch: Batch) -> tuple[int, int, int]:
        option, position, replication = batch.order
        return options[option], position, replication

    return [part_path(staging, table, batch.name) for batch in sorted(stored, key=order)
            if table in batch.stored]


def read_metrics(plan: Plan, stored: tuple[Batch, ...], staging: Path) -> pd.DataFrame:
    """Every unit's metric rows, in table order, the option column categorical in the
    plan's order of options."""
    return _metric_rows(plan, table_parts(plan, stored, staging, METRICS))


def _metric_rows(plan: Plan, parts: list[Path]) -> pd.DataFrame:
    """The metric rows of these parts, the option column categorical in the plan's order."""
    rows = pq.ParquetDataset(parts).read().to_pandas()
    rows["option"] = pd.Categorical(rows["option"].astype(str), categories=list(plan.options))
    return rows
