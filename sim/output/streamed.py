"""A streamed run published as a results folder: `sim run`, `sim compare`, `sim province run`.

The units run into a hidden staging folder beside the target (sim/experiment/stream.py); when
every unit is done, the folder's own files are written into it (`finish`) and it takes the
target's place at once (sim/output/folder.py), so the results are published whole or not at
all. `--resume` continues an interrupted run of the same plan; resuming a run that has finished
does nothing and leaves its folder as it is.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.experiment.executors import Execution
from sim.experiment.store import INDEX, PLAN, check_same_run, read_plan
from sim.experiment.stream import Rounds, Streamed, run_streamed, staging_folder
from sim.output.folder import check_target, publish
from sim.output.results_io import MANIFEST


@dataclass(frozen=True)
class Published:
    """A published run, and how much of it an earlier, interrupted run had done."""

    folder: Path
    resumed: int  # units already done, kept from the interrupted run
    repaired: int  # units run again because the parts they had written were damaged
    finished: bool = False  # resumed a run already published: nothing ran


@dataclass(frozen=True)
class StreamedRun:
    """What to run and how to publish it."""

    rounds: Rounds  # the units to run: one plan (`one_round`), or growing ones
    description: dict  # JSON: what plan.json holds, and a finished run's manifest vouches for
    finish: Callable[[Streamed], None]  # writes the folder's files into the staging folder
    earlier_plan: Callable[[dict], dict]  # the description stored in a finished manifest
    scratch: tuple[str, ...]  # folders of the staging folder not to publish (parts merged)


def publish_streamed(run: StreamedRun, out: Path, execution: Execution, resume: bool = False,
                     on_unit_done: Callable[[], None] | None = None) -> Published:
    """Run every unit not yet done (or done with parts damaged since) and publish the folder."""
    out = Path(out).resolve()
    check_target(out)
    staging = staging_folder(out)
    if resume and _finished(out, staging, run):
        return Published(out, 0, 0, finished=True)
    streamed = run_streamed(run.rounds, run.description, staging, execution, resume, on_unit_done)
    run.finish(streamed)
    (staging / PLAN).unlink()  # first: a kill from here on leaves no run to resume
    for name in (INDEX, *run.scratch):
        shutil.rmtree(staging / name, ignore_errors=True)
    publish(staging, out)
    return Published(out, streamed.resumed, streamed.repaired)


def _finished(out: Path, staging: Path, run: StreamedRun) -> bool:
    """Whether out holds this run, finished (its manifest carries the plan), with no
    interrupted run of it waiting in staging."""
    manifest = out / MANIFEST
    if (staging / PLAN).is_file() or not manifest.is_file():
        return False
    what = f"the finished run in {out}"
    check_same_run(run.earlier_plan(read_plan(manifest, what)), run.description, what)
    return True
