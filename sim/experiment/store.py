"""The staging folder of a province run: Parquet parts, and an index that vouches for them.

Each unit writes its parts, then its index entry: the sha256 and size of every part it wrote.
Parts and entries are written to a hidden temporary name and renamed, so each is whole or
absent. A unit is done when its entry exists and every part it lists still has that checksum:
a part truncated or overwritten since (a full disk, a copy killed halfway, a damaged file
system) fails the check, and its unit runs again instead of being published or read as good.
The published folder holds the parts of the planned units and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

INDEX = "index"
Checksums = dict[str, dict[str, object]]  # part path relative to staging -> sha256 and bytes


def write_part(frame: pd.DataFrame, staging: Path, table: str, name: str) -> Checksums:
    """Write one unit's table as ``table/name.parquet``; its checksum, for the index entry."""
    folder = staging / table
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.tmp"  # hidden: Parquet readers skip it
    frame.to_parquet(temporary, index=False)
    checksum = _checksum(temporary)
    relative = _part(name, table)
    os.replace(temporary, staging / relative)
    return {relative: checksum}


def write_entry(staging: Path, name: str, parts: Checksums) -> None:
    """Record a finished unit: written after its parts, it marks the unit done."""
    folder = staging / INDEX
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.tmp"
    temporary.write_text(json.dumps(parts, sort_keys=True), encoding="utf-8")
    os.replace(temporary, folder / f"{name}.json")


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
    staging), then the index."""
    wanted = {_part(name, table) for name, tables in units.items() for table in tables}
    for table in {table for tables in units.values() for table in tables}:
        for path in (staging / table).iterdir():
            if f"{table}/{path.name}" in wanted:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    shutil.rmtree(staging / INDEX, ignore_errors=True)


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
