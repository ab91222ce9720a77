"""The files of a results folder, written together or not at all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim.experiment.runner import Results
from sim.experiment.unit import FRAMES
from sim.output.folder import write_files
from sim.output.json_file import write_json
from sim.output.manifest import build_manifest

RESULT_FILES = ("summary.csv", "replications.csv", "visits.parquet", "intervals.parquet",
                "dossiers.parquet", "daily.parquet", "manifest.json")


def save_results(results: Results, folder: Path, command: list[str] | None = None,
                 extra: dict[str, Callable[[Path], None]] | None = None) -> Path:
    """Write every results file, and any ``extra`` files, into ``folder`` atomically."""
    manifest = build_manifest(results, command)
    frames = {f"{name}.parquet": _parquet_writer(getattr(results, name)) for name in FRAMES}
    return write_files(Path(folder), {
        **(extra or {}),
        "summary.csv": lambda p: results.summary.to_csv(p, index=False),
        "replications.csv": lambda p: results.replications.to_csv(p, index=False),
        **frames,
        "manifest.json": lambda p: write_json(manifest, p),
    })


def _parquet_writer(frame: pd.DataFrame) -> Callable[[Path], None]:
    return lambda path: frame.to_parquet(path, index=False)
