"""Publish a results folder atomically: everything goes to a temporary sibling folder, which
takes the target's place only when every file is written. An interrupted or failed run leaves
the previous results untouched and nothing half-written.

Crash safety: publishers of one target take turns (a lock on the parent folder); a temporary folder
carries its process id, so one left by a killed run is removed by the next publisher; a kill
between the two renames of a replacement (old results set aside, new ones not yet in place)
is repaired by the next publisher, which puts the set-aside results back.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = "manifest.json"  # every results folder has one; a folder without it is not ours
# What sim writes into a results folder: run, compare and province files, the figures, the
# Parquet parts of a province run. Anything else belongs to somebody else and is never deleted.
WRITTEN = {MARKER, "summary.csv", "replications.csv", "visits.parquet", "intervals.parquet",
           "dossiers.parquet", "daily.parquet", "comparison.csv", "recommendation.json",
           "report.html", "province.csv", "figures", "visits", "intervals", "dossiers", "daily",
           "backtest_days.csv", "backtest_half_hours.csv", "backtest_coverage.csv",
           "allocation", "allocation.csv", "allocation_curves.csv", "allocation_centres.csv",
           "provinces.csv"}
FIGURE_SUFFIXES = {".png", ".svg", ".pdf"}


class FolderError(Exception):
    """The output folder cannot be used: it cannot be written, or replacing it would destroy
    files sim did not write."""


def check_target(target: Path) -> None:
    """Refuse, before any work, a target that cannot be written or holds others' files
    (looked at under the publishers' lock: never halfway through another's replacement)."""
    target = Path(target).absolute()
    if not target.parent.is_dir():
        _check(target)
        return
    with _publish_lock(target):
        _check(target)


def _check(target: Path) -> None:
    parent = _existing_ancestor(target.parent)
    if not parent.is_dir():
        raise FolderError(f"{target}: {parent} is a file, not a folder; choose another --out")
    _probe(parent, target)
    if not target.exists():
        return
    if not target.is_dir():
        raise FolderError(f"{target} exists and is not a folder; choose another --out")
    foreign = foreign_files(target)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        raise FolderError(f"{target} holds files that sim did not write ({shown}); the results "
                          "folder is replaced as a whole, so move them or choose another --out")


def foreign_files(folder: Path) -> list[str]:
    """Entries of ``folder`` that are not sim's results (relative paths, sorted)."""
    entries = sorted(folder.iterdir())
    if entries and not (folder / MARKER).is_file():
        return [entry.name for entry in entries]
    foreign = [entry.name for entry in entries if entry.name not in WRITTEN]
    figures = folder / "figures"
    if figures.is_dir():
        foreign += [f"figures/{entry.name}" for entry in sorted(figures.iterdir())
                    if entry.suffix not in FIGURE_SUFFIXES]
    return foreign


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target``, on failure it is removed."""
    target = Path(target).absolute()
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=target.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; results are meant to be shared
    try:
        yield staging
        publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def publish(staging: Path, target: Path) -> None:
    """Put the complete folder ``staging`` in ``target``'s place, replacing sim's earlier
    results there (never others' files: checked again under the lock)."""
    with _publish_lock(target):
        _repair(target)
        _check(target)
        if not target.exists():
            os.replace(staging, target)
            return
        retired = _retired(target)
        os.replace(target, retired)
        os.replace(staging, target)  # a kill just before this is repaired by the next publisher
        shutil.rmtree(retired, ignore_errors=True)


def write_files(target: Path, writers: dict[str, Callable[[Path], None]]) -> Path:
    """Call each writer with its file's path inside a staging folder, then publish the folder."""
    with atomic_folder(target) as staging:
        for name, write in writers.items():
            write(staging / name)
    return target


def _repair(target: Path) -> None:
    """Undo what a killed publisher left: set-aside results come back, and temporary folders
    of processes that no longer run are removed."""
    retired = _retired(target)
    if retired.is_dir():
        if target.exists():
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(retired, target)
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\..*\.tmp$")
    for entry in target.parent.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_dir() and not _running(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def _publish_lock(target: Path) -> Iterator[None]:
    """An exclusive lock on the target's parent folder (nothing left behind; released when
    the process dies)."""
    handle = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def _retired(target: Path) -> Path:
    return target.with_name(f".{target.name}.old")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != 0


def _probe(folder: Path, target: Path) -> None:
    """Try what publishing needs, making a folder in ``folder`` (permission bits alone do not
    tell: root ignores them, a read-only file system does not)."""
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".sim-probe.", dir=folder))
    except OSError as err:
        raise FolderError(f"{target}: cannot write in {folder} ({err.strerror}); choose "
                          "another --out") from None


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
