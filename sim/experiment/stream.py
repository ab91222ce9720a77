"""Run a plan streamed to disk: every unit writes its tables as Parquet parts into a staging
folder as it finishes (sim/experiment/store.py), and the main process keeps nothing of them.

`resume` skips a unit whose index entry exists and whose parts still match it, and runs again
a unit whose parts were damaged. What to make of the finished staging folder (a results
folder, a province folder) is for the caller, above this layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.experiment import unit as unit_module
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.plan import METRICS, Plan
from sim.experiment.store import keep_only, part_path, prepare


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


def run_streamed(plan: Plan, description: dict, staging: Path, execution: Execution = IN_PROCESS,
                 resume: bool = False, on_unit_done: Callable[[], None] | None = None
                 ) -> Streamed:
    """Run every unit of the plan not yet done (or done with parts damaged since) into
    ``staging``; `description` (JSON) is the plan.json a resumed run must match."""
    stored = {unit.name: unit.stored for unit in plan.units}
    done, damaged = prepare(staging, description, resume, stored)
    todo = [(unit, str(staging)) for unit in plan.units if unit.name not in done]
    # Looked up at call time, so that a test can interrupt a run after some units.
    for _ in execution.map(unit_module.write_unit, todo):
        if on_unit_done is not None:
            on_unit_done()
    keep_only(staging, stored)
    return Streamed(plan, staging, len(done), len(damaged))


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
