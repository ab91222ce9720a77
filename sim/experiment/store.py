"""The staging folder of a streamed run: Parquet parts, an index that vouches for them, and the
plan they belong to.

Each unit writes its parts, then its index entry: the sha256 and size of every part it wrote.
Parts and entries are written to a hidden temporary name and renamed, so each is whole or
absent. A unit is done when its entry exists and every part it lists still has that checksum:
a part truncated or overwritten since (a full disk, a copy killed halfway, a damaged file
system) fails the check, and its unit runs again instead of being published or read as good.
The published folder holds the parts of the planned units and nothing else.

The staging folder's plan.json says which run the parts belong to: resuming checks that it is
the run asked for now, and refuses (ResumeError, naming what differs) when it is not.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sim.scenario.atomic import write_text_atomically

INDEX = "index"
PLAN = "plan.json"
Checksums = dict[str, dict[str, object]]  # part path relative to staging -> sha256 and bytes


class ResumeError(Exception):
    """The earlier run to resume is not the run asked for now, or its plan is damaged."""


def prepare(staging: Path, plan: dict, resume: bool) -> bool:
    """Whether to resume the interrupted run of this plan in ``staging`` (its units then count
    as done once `verify_units` vouches for them); otherwise a fresh staging folder holding
    only the plan, with nothing done."""
    plan_file = staging / PLAN
    if resume and plan_file.is_file():
        what = f"the interrupted run in {staging}"
        check_same_run(read_plan(plan_file, what), plan, what)
        return True
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    write_text_atomically(plan_file, json.dumps(plan, indent=2, ensure_ascii=False))
    return False


def read_plan(path: Path, what: str) -> dict:
    """The plan (or manifest) an earlier run wrote, refused when it is damaged."""
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        earlier = None
    if not isinstance(earlier, dict):
        raise ResumeError(f"{what}: {path.name} is damaged (not a JSON object); run without "
                          "--resume to start again")
    return earlier


def check_same_run(earlier: dict, plan: dict, what: str) -> None:
    """Refuse to resume `earlier` as `plan`, naming the keys in which they differ."""
    changed = [key for key in plan if earlier.get(key) != plan[key]]
    if changed:
        raise ResumeError(f"{what} differs in {', '.join(changed)}; run without --resume to "
                          "start again")


def write_part(rows: pa.Table, staging: Path, table: str, name: str) -> Checksums:
    """Write one unit's table as ``table/name.parquet``; its checksum, for the index entry."""
    folder = staging / table
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.tmp"  # hidden: Parquet readers skip it
    pq.write_table(rows, temporary)
    checksum = _checksum(temporary)
    relative = _part(name, table)
    os.replace(temporary, staging / relative)
    return {relative: checksum}


def write_entry(staging: Path, name: str, parts: Checksums) -> None:
    """Record a finished unit: written after its parts, it marks the unit done."""
    folder = staging / INDEX
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomically(folder / f"{name}.json", json.dumps(parts, sort_keys=True))


def verify_units(staging: Path, units: Mapping[str, Iterable[str]]) -> tuple[set[str], set[str]]:
    """Of the units (name -> the tables it writes), those done with every part intact, and
    those whose entry or parts are damaged; a damaged unit's entry is removed, so that it
    counts as not done."""
    done: set[str] = set()
    damaged: set[str] = set()
    for name, tables in units.items():
        path = staging / INDEX / f"{name}.json"
        if not path.is_file():
            continue
        parts = _entry(path)
        if (parts is not None and set(parts) == {_part(name, table) for table in tables}
                and all(_checksum_or_none(staging / part) == parts[part] for part in parts)):
            done.add(name)
        else:
            damaged.add(name)
            path.unlink()
    return done, damaged


def keep_only(staging: Path, units: Mapping[str, Iterable[str]]) -> None:
    """Once every unit is done: remove from the part folders every file that is not a part of
    these units (the temporary of a unit killed while writing, a part of an earlier version's
    staging). The index stays until the run is published, so that a run interrupted while its
    folder is written resumes without running any unit again."""
    wanted = {_part(name, table) for name, tables in units.items() for table in tables}
    for table in {table for tables in units.values() for table in tables}:
        for path in (staging / table).iterdir():
            if f"{table}/{path.name}" in wanted:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def part_path(staging: Path, table: str, name: str) -> Path:
    """Where a unit's part of a table is."""
    return staging / _part(name, table)


def _part(name: str, table: str) -> str:
    """A part's path relative to the staging folder."""
    return f"{table}/{name}.parquet"


def _entry(path: Path) -> Checksums | None:
    """The checksums an entry lists, or None when it is not readable."""
    try:
        parts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return parts if isinstance(parts, dict) else None


def _checksum(path: Path) -> dict[str, object]:
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return {"sha256": digest, "bytes": path.stat().st_size}


def _checksum_or_none(path: Path) -> dict[str, object] | None:
    try:
        return _checksum(path)
    except OSError:  # missing or unreadable
        return None
