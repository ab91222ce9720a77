"""The files of a results folder, written together or not at all."""

from __future__ import annotations

import json
from pathlib import Path

from sim.experiment.runner import Results
from sim.output.folder import write_files
from sim.output.manifest import build_manifest

RESULT_FILES = ("summary.csv", "replications.csv", "visits.parquet", "intervals.parquet",
                "manifest.json")


def save_results(results: Results, folder: Path, command: list[str] | None = None) -> Path:
    """Write every results file into ``folder`` atomically and return the folder."""
    manifest = build_manifest(results, command)
    return write_files(Path(folder), {
        "summary.csv": lambda p: results.summary.to_csv(p, index=False),
        "replications.csv": lambda p: results.replications.to_csv(p, index=False),
        "visits.parquet": lambda p: results.visits.to_parquet(p, index=False),
        "intervals.parquet": lambda p: results.intervals.to_parquet(p, index=False),
        "manifest.json": lambda p: p.write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"),
    })
