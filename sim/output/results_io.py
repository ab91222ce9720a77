"""Read a results folder back into the objects that wrote it, for `sim plot` and `sim report`
(and for researchers who want yesterday's run in a notebook)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.experiment.runner import FRAMES, Results
from sim.scenario.load import ScenarioSet
from sim.scenario.schema import Scenario


class ResultsFolderError(Exception):
    """The folder is not a complete results folder."""


def load_results(folder: str | Path) -> Results:
    """The Results saved in ``folder`` by `sim run` or `sim compare`."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    options = {name: Scenario.model_validate(resolved)
               for name, resolved in manifest["options"].items()}
    first = next(iter(options.values()))
    baseline = first.model_copy(update={"options": manifest.get("option_changes", {})})
    scenarios = ScenarioSet(source=manifest["scenario_file"], baseline=baseline, options=options)
    order = list(options)
    return Results(
        scenarios=scenarios,
        root_seed=manifest["root_seed"],
        seeds=tuple(manifest["replication_seeds"]),
        summary=_ordered(pd.read_csv(folder / "summary.csv"), order),
        replications=_ordered(pd.read_csv(folder / "replications.csv"), order),
        **{name: _ordered(pd.read_parquet(folder / f"{name}.parquet"), order) for name in FRAMES},
        runtime_seconds=manifest["runtime_seconds"],
    )


def load_recommendation(folder: str | Path) -> dict | None:
    """The recommendation of `sim compare`, or None for a folder written by `sim run`."""
    path = Path(folder) / "recommendation.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def load_comparison(folder: str | Path) -> pd.DataFrame | None:
    path = Path(folder) / "comparison.csv"
    return pd.read_csv(path) if path.is_file() else None


def _read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise ResultsFolderError(f"{folder} is not a results folder of sim (no manifest.json); "
                                 "give the folder that `sim run` or `sim compare` wrote")
    missing = [f"{name}.parquet" for name in FRAMES if not (folder / f"{name}.parquet").is_file()]
    missing += [name for name in ("summary.csv", "replications.csv")
                if not (folder / name).is_file()]
    if missing:
        raise ResultsFolderError(f"{folder} lacks {', '.join(missing)}; run `sim run` again")
    return json.loads(path.read_text(encoding="utf-8"))


def _ordered(frame: pd.DataFrame, options: list[str]) -> pd.DataFrame:
    frame["option"] = pd.Categorical(frame["option"].astype(str), categories=options)
    return frame
