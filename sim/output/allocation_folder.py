"""`sim allocate`'s results folder: who goes where (allocation.csv), every simulated gain
(allocation_curves.csv), people placed per centre (allocation_centres.csv), and the map.

Next to a province run's folder (its `allocation/` subfolder) the province page is written again
with the allocation table; elsewhere the folder stands alone. Either way it is published whole or
not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.decide.allocate import Step, steps_table
from sim.decide.gain_curves import Curve, rising_gains
from sim.output.figures.style import save_figure
from sim.output.folder import write_files
from sim.output.json_file import write_json
from sim.output.manifest import PROVINCE, package_versions
from sim.output.province_map import allocation_map
from sim.output.province_page import ALLOCATION, CENTRES, STEPS, refresh_province_pages
from sim.output.results_io import folder_kind_or_none
from sim.scenario.province.load import ProvinceSet

CURVES = "allocation_curves.csv"


@dataclass(frozen=True)
class AllocationTables:
    """An allocation as tables: the steps, the gains simulated, the people per centre."""

    steps: pd.DataFrame
    curves: pd.DataFrame
    centres: pd.DataFrame
    rising: pd.DataFrame  # centre, k, clear: where a later person gains more


def allocation_tables(steps: list[Step], curves: Sequence[Curve],
                      province: ProvinceSet) -> AllocationTables:
    """The tables of an allocation of the centres of `province`."""
    table = steps_table(steps)
    gains = pd.DataFrame(
        [{"centre": c.centre, "name": c.name, "person": k + 1, "where": c.wheres[k],
          **dict(zip(("gain", "gain_ci_low", "gain_ci_high"), c.gain(k), strict=True))}
         for c in curves for k in range(c.known)])
    placed = table.groupby("centre")["gain"].agg(["size", "sum"])
    centres = pd.DataFrame(
        [{"centre": c.id, "name": c.name, "latitude": c.latitude, "longitude": c.longitude,
          "people": int(placed["size"].get(c.id, 0)), "gain": float(placed["sum"].get(c.id, 0))}
         for c in province.centres])
    rising = pd.DataFrame(rising_gains(curves), columns=["centre", "person", "clear"])
    return AllocationTables(table, gains, centres, rising)


def default_folder(results: Path, stem: str) -> Path:
    """Inside the province run's folder when there is one, else a folder of its own."""
    province_folder = results / stem
    if (province_folder / "manifest.json").is_file():
        return province_folder / ALLOCATION
    return results / f"{stem}_{ALLOCATION}"


def write_allocation(tables: AllocationTables, name: str, description: dict, out: Path,
                     lang: str) -> Path:
    """Publish the allocation folder: the three tables, the map, the manifest."""
    figure = allocation_map(tables.centres, name, lang)
    rising = [[str(c), int(k), bool(clear)]
              for c, k, clear in tables.rising.itertuples(index=False)]
    writers = {
        STEPS: lambda path: tables.steps.to_csv(path, index=False),
        CURVES: lambda path: tables.curves.to_csv(path, index=False),
        CENTRES: lambda path: tables.centres.to_csv(path, index=False),
        "figures": lambda path: _save_map(figure, path),
        "manifest.json": lambda path: write_json(
            {"kind": ALLOCATION, **description, "rising": rising, "versions": package_versions()},
            path),
    }
    written = write_files(out, writers)
    if written.name == ALLOCATION and folder_kind_or_none(written.parent) == PROVINCE:
        refresh_province_pages(written.parent)
    return written


def _save_map(figure: Figure, folder: Path) -> None:
    folder.mkdir()
    for extension in ("png", "svg"):
        save_figure(figure, folder / f"allocation_map.{extension}")
