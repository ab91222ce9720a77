"""A province folder's page written again from what the folder holds: the ranking, for a
country the provinces ranked, and the allocation of `sim allocate` when it sits inside."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.analysis.country_ranking import rank_provinces
from sim.output.allocation_text import Allocation
from sim.output.province_report import write_province_report
from sim.output.province_results import load_province_results
from sim.output.results_io import read_manifest

ALLOCATION = "allocation"  # the subfolder of a province folder, and its manifest's kind
STEPS = "allocation.csv"


def write_province_page(folder: Path, lang: str | None = None) -> Path:
    """report.html of the province (or country) folder, in `lang` or the run's language."""
    found = load_province_results(folder)
    lang = lang or str(read_manifest(folder).get("lang", "vi"))
    provinces = (rank_provinces(found.ranking, found.province_of)
                 if found.province_of is not None else None)
    return write_province_report(found.ranking, found.name, found.provenance(lang),
                                 folder / "report.html", lang, read_allocation(folder),
                                 provinces)


def read_allocation(province_folder: Path) -> Allocation | None:
    """The allocation inside a province folder; None when there is none."""
    folder = province_folder / ALLOCATION
    if not (folder / STEPS).is_file():
        return None
    steps = pd.read_csv(folder / STEPS, dtype={"centre": str, "name": str, "where": str})
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rising = pd.DataFrame(manifest["rising"], columns=["centre", "person", "clear"])
    return Allocation(steps, str(manifest["objective"]), rising.astype({"centre": str}))
