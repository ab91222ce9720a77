"""A province folder's page written again from what the folder holds: the ranking, for a
country the provinces ranked, and the allocation of `sim allocate` when it sits inside."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.analysis.country_ranking import rank_provinces
from sim.output.allocation_text import Allocation
from sim.output.pages import language_page
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
    return _write_pages(folder, [(lang, path)])[0]


def refresh_province_pages(folder: Path) -> list[Path]:
    """Write again the folder's report.html and each report.<lang>.html beside it, so that
    none of them leaves out what the folder now holds (an allocation just written)."""
    others = [(lang, language_page(folder, lang)) for lang in LANGUAGES]
    return _write_pages(folder, [(None, None), *((lang, path) for lang, path in others
                                                 if path.is_file())])


def _write_pages(folder: Path, pages: list[tuple[str | None, Path | None]]) -> list[Path]:
    """Each (language, path) page of the folder, its results read once for them all."""
    found = load_province_results(folder)
    run_lang = str(read_manifest(folder).get("lang", "vi"))
    provinces = (rank_provinces(found.ranking, found.province_of)
                 if found.province_of is not None else None)
    baselines = {centre: options["baseline"] for centre, options in found.scenarios.items()}
    allocation = read_allocation(folder, baselines)
    return [province_page(found.ranking, found.title(lang or run_lang),
                          found.provenance(lang or run_lang), folder,
                          path or folder / "report.html", lang or run_lang, baselines,
                          found.replications, allocation, provinces)
            for lang, path in pages]


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
