"""A province folder's page written again from what the folder holds: the ranking, for a
country the provinces ranked, and the allocation of `sim allocate` when it sits inside."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.analysis.country_ranking import rank_provinces
from sim.output.allocation_text import Allocation
from sim.output.province_results import load_province_results, province_page
from sim.output.results_io import read_manifest
from sim.output.translations import LANGUAGES
from sim.scenario.schema import Scenario

ALLOCATION = "allocation"  # the subfolder of a province folder, and its manifest's kind
STEPS = "allocation.csv"
CENTRES = "allocation_centres.csv"


def write_province_page(folder: Path, lang: str | None = None,
                        path: Path | None = None) -> Path:
    """The page of the province (or country) folder, in `lang` or the run's language, to
    `path` (default: the folder's report.html)."""
    found = load_province_results(folder)
    lang = lang or str(read_manifest(folder).get("lang", "vi"))
    provinces = (rank_provinces(found.ranking, found.province_of)
                 if found.province_of is not None else None)
    baselines = {centre: options["baseline"] for centre, options in found.scenarios.items()}
    return province_page(found.ranking, found.name, found.provenance(lang), folder,
                         path or folder / "report.html", lang, baselines,
                         read_allocation(folder, baselines), provinces)


def refresh_province_pages(folder: Path) -> list[Path]:
    """Write again the folder's report.html and each report.<lang>.html beside it, so that
    none of them leaves out what the folder now holds (an allocation just written)."""
    others = {lang: folder / f"report.{lang}.html" for lang in LANGUAGES}  # `sim report`'s
    return [write_province_page(folder),
            *(write_province_page(folder, lang, path) for lang, path in others.items()
              if path.is_file())]


def read_allocation(province_folder: Path,
                    baselines: dict[str, Scenario]) -> Allocation | None:
    """The allocation inside a province folder, its desks named by ``baselines`` (each
    centre's); None when there is none."""
    folder = province_folder / ALLOCATION
    if not (folder / STEPS).is_file():
        return None
    steps = pd.read_csv(folder / STEPS, dtype={"centre": str, "name": str, "where": str})
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    rising = pd.DataFrame(manifest["rising"], columns=["centre", "person", "clear"])
    centres = pd.read_csv(folder / CENTRES, dtype={"centre": str, "name": str})
    return Allocation(steps, centres, str(manifest["objective"]),
                      rising.astype({"centre": str}), baselines)
