"""Write a results folder atomically: everything goes to a temporary sibling folder, which is
renamed into place only when every file is written. An interrupted or failed run leaves the
previous results untouched and nothing half-written."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = "manifest.json"  # every results folder has one; a folder without it is not ours


class FolderError(Exception):
    """The output folder cannot be used: replacing it would destroy files sim did not write."""


def check_replaceable(target: Path) -> None:
    """Refuse a target that exists and is not an empty folder or an earlier results folder."""
    target = Path(target)
    if not target.exists():
        return
    if not target.is_dir():
        raise FolderError(f"{target} exists and is not a folder; choose another --out")
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise FolderError(f"{target} holds files that are not sim results (no {MARKER}); "
                          "the results folder is replaced as a whole, so choose another --out")


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target``, on failure it is removed."""
    target = Path(target).resolve()
    check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; results are meant to be shared
    try:
        yield staging
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _replace(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    retired = target.with_name(f".{target.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def write_files(target: Path, writers: dict[str, Callable[[Path], None]]) -> Path:
    """Call each writer with its file's path inside a staging folder, then publish the folder."""
    with atomic_folder(target) as staging:
        for name, write in writers.items():
            write(staging / name)
    return target
