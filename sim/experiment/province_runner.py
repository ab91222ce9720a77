"""Run a province: every (option, centre, replication) unit, streamed to disk as it finishes.

Each unit writes its tables as Parquet parts into a staging folder, then an index entry with
their checksums (sim/province/store.py). The main process keeps only the small metric rows, so
memory does not grow with the number of centres. `resume` skips a unit whose entry exists and
whose parts still match it, and runs again a unit whose parts were damaged. When every unit is
done the staging folder is renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from sim.analysis.confidence import summarise
from sim.analysis.metrics import run_metrics
from sim.analysis.ranking import rank_centres
from sim.experiment.executors import IN_PROCESS, Execution
from sim.experiment.runner import FRAMES
from sim.experiment.store import keep_only, verify_units, write_entry, write_part
from sim.model.centre import simulate
from sim.output.folder import check_target, publish
from sim.output.json_file import write_json
from sim.output.manifest import PROVINCE, package_versions
from sim.output.province_results import provenance_line, resolved_documents, write_province_view
from sim.scenario.province.load import ProvinceSet
from sim.scenario.schema import Scenario

VISITS_MODES = ("none", "sample", "all")  # sample: the visits of replication 0 only
METRICS = "metrics"


class ResumeError(Exception):
    """The earlier run to resume is not the run asked for now, or its plan is damaged."""


@dataclass(frozen=True)
class ProvinceRun:
    """A published province run, and how much of it an earlier, interrupted run had done."""

    folder: Path
    resumed: int  # units already done, kept from the interrupted run
    repaired: int  # units run again because the parts they had written were damaged


class Unit(NamedTuple):
    """The arguments of one province_unit call."""

    scenario: Scenario
    centre: str
    option: str
    replication: int
    seed: int
    staging: str
    visits: str
    name: str  # of its parts' files (unit_name)


def centre_seed(root_seed: int, centre_id: str, replication: int) -> int:
    """Seed of one centre's replication: the same for every option (common random numbers),
    independent across centres, and stable when centres are added or reordered."""
    key = (replication, zlib.crc32(centre_id.encode("utf-8")))
    state = np.random.SeedSequence(root_seed, spawn_key=key).generate_state(1, dtype=np.uint64)
    return int(state[0] >> np.uint64(1))


def unit_name(position: int, centre: str, option: str, replication: int) -> str:
    """The file name of a unit's parts. The centre's position in the province file makes it
    unique (ids that differ only in punctuation or case, `a-1`, `A_1`, stay apart); a short
    ASCII form of the id keeps it readable."""
    readable = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in centre[:24])
    return f"{position:04d}_{readable}-{option}-{replication:04d}"


def province_unit(scenario: Scenario, centre: str, option: str, replication: int, seed: int,
                  staging: str, visits: str, name: str) -> None:
    """Simulate one unit and write its parts, then its index entry, which marks it done."""
    record = simulate(scenario, seed)
    ids = {"option": option, "centre": centre, "replication": replication}
    folder = Path(staging)
    parts = {}
    tables = _tables(visits, replication)
    for frame_name, build in FRAMES.items():
        if frame_name not in tables:
            continue
        frame = build(record, scenario)
        for position, (column, value) in enumerate(ids.items()):
            frame.insert(position, column, value)
        parts.update(write_part(frame, folder, frame_name, name))
    rows = [{**ids, "seed": seed, "metric": metric, "value": value}
            for metric, value in run_metrics(record, scenario).items()]
    parts.update(write_part(pd.DataFrame(rows), folder, METRICS, name))
    write_entry(folder, name, parts)


def _tables(visits: str, replication: int) -> list[str]:
    """The tables a unit writes a part of: visits only as the visits mode asks."""
    keep_visits = visits == "all" or (visits == "sample" and replication == 0)
    return [table for table in FRAMES if keep_visits or table != "visits"] + [METRICS]


def run_province(
    province: ProvinceSet,
    replications: int,
    seed: int,
    out: Path,
    execution: Execution = IN_PROCESS,
    visits: str = "sample",
    resume: bool = False,
    on_unit_done: Callable[[], None] | None = None,
    lang: str = "vi",
) -> ProvinceRun:
    """Run every unit not yet done (or done with parts damaged since) and publish the results
    folder. Resuming a run that has finished does nothing and leaves its folder as it is."""
    out = Path(out).resolve()
    check_target(out)
    staging = out.with_name(f".{out.name}.partial")
    resolved = resolved_documents(province.scenarios)
    plan = _plan(province, resolved, replications, seed, visits, lang)
    planned = _units(province, replications, seed, staging, visits)
    if resume and _finished(out, staging, plan):
        return ProvinceRun(out, len(planned), 0)
    tables = {name: _tables(unit.visits, unit.replication) for name, unit in planned.items()}
    done, damaged = _prepare_staging(staging, plan, resume, tables)
    units = [unit for name, unit in planned.items() if name not in done]
    for _ in execution.map(province_unit, units):
        if on_unit_done is not None:
            on_unit_done()
    keep_only(staging, tables)
    _finish(province, resolved, staging, plan)
    publish(staging, out)
    return ProvinceRun(out, len(done), len(damaged))


def _units(province: ProvinceSet, replications: int, seed: int, staging: Path,
           visits: str) -> dict[str, Unit]:
    """Every unit, by its name."""
    units = {}
    for position, (centre, scenarios) in enumerate(province.scenarios.items()):
        for option, scenario in scenarios.options.items():
            for replication in range(replications):
                name = unit_name(position, centre, option, replication)
                units[name] = Unit(scenario, centre, option, replication,
                                   centre_seed(seed, centre, replication), str(staging), visits,
                                   name)
    return units


def _plan(province: ProvinceSet, resolved: dict[str, dict[str, dict]], replications: int,
          seed: int, visits: str, lang: str) -> dict:
    digest = hashlib.sha256(json.dumps(resolved, sort_keys=True).encode()).hexdigest()
    return {"province_file": province.source, "root_seed": seed, "replications": replications,
            "visits": visits, "lang": lang, "options": province.option_names(),
            "centres": [c.id for c in province.centres], "scenarios_sha256": digest}


def _finished(out: Path, staging: Path, plan: dict) -> bool:
    """Whether out holds this run, finished (its manifest carries the plan), with no
    interrupted run of it waiting in staging."""
    manifest = out / "manifest.json"
    if (staging / "plan.json").is_file() or not manifest.is_file():
        return False
    what = f"the finished run in {out}"
    _check_same_run(_read_plan(manifest, what), plan, what)
    return True


def _read_plan(path: Path, what: str) -> dict:
    """The plan (or manifest) an earlier run wrote, refused when it is damaged."""
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        earlier = None
    if not isinstance(earlier, dict):
        raise ResumeError(f"{what}: {path.name} is damaged (not a JSON object); run without "
                          "--resume to start again")
    return earlier


def _check_same_run(earlier: dict, plan: dict, what: str) -> None:
    changed = [key for key in plan if earlier.get(key) != plan[key]]
    if changed:
        raise ResumeError(f"{what} differs in {', '.join(changed)}; run without --resume to "
                          "start again")


def _prepare_staging(staging: Path, plan: dict, resume: bool,
                     units: Mapping[str, list[str]]) -> tuple[set[str], set[str]]:
    """Of the units (name -> tables), those already done and intact, and those done but
    damaged (resume); or a fresh staging folder, with nothing done."""
    plan_file = staging / "plan.json"
    if resume and plan_file.is_file():
        what = f"the interrupted run in {staging}"
        _check_same_run(_read_plan(plan_file, what), plan, what)
        return verify_units(staging, units)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write_json(plan, plan_file)
    return set(), set()


def _finish(province: ProvinceSet, resolved: dict[str, dict[str, dict]], staging: Path,
            plan: dict) -> None:
    """Summaries from the metric parts, the province view, and the manifest."""
    rows = pd.read_parquet(staging / METRICS)
    order = {name: i for i, name in enumerate(plan["centres"])}
    rows["option"] = pd.Categorical(rows["option"], categories=plan["options"])
    rows["_centre"] = rows["centre"].map(order)
    rows = rows.sort_values(["option", "_centre", "replication"], kind="stable")
    rows = rows.drop(columns="_centre").reset_index(drop=True)
    rows.to_csv(staging / "replications.csv", index=False)
    summary = summarise(rows, by=("option", "centre", "metric"))
    summary.to_csv(staging / "summary.csv", index=False)
    ranking = rank_centres(summary, province)
    ranking.to_csv(staging / "province.csv", index=False)
    provenance = provenance_line(plan["province_file"], plan["root_seed"], plan["replications"],
                                 plan["lang"])
    write_province_view(ranking, province.province.name, provenance, staging, plan["lang"])
    manifest = {"kind": PROVINCE, **plan, "province": province.province.province,
                "name": province.province.name, "scenarios": resolved,
                "versions": package_versions()}
    write_json(manifest, staging / "manifest.json")
    (staging / "plan.json").unlink()
    shutil.rmtree(staging / METRICS)  # all in replications.csv now
