"""A province results folder: written by `sim province run`, read back by `sim report` and
`sim plot` to draw its page and map again (in another language, say) without re-running.

The manifest stores every centre's resolved scenarios in the scenario format, read back with
the same validation as a scenario file; the ranking is `province.csv`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.analysis.categories import categorised
from sim.analysis.country_ranking import rank_provinces
from sim.experiment.describe import metric_lines
from sim.output.allocation_text import Allocation
from sim.output.indicator_text import province_indicator_rows
from sim.output.manifest import PROVINCE
from sim.output.names import titled
from sim.output.province_map import save_province_map
from sim.output.province_report import write_province_report
from sim.output.results_io import read_manifest, read_table, resolved_scenario
from sim.output.translations import translator
from sim.scenario.document import scenario_document
from sim.scenario.labels import Label
from sim.scenario.load import ScenarioSet
from sim.scenario.schema import Scenario

RANKING = "province.csv"
PROVINCES = "provinces.csv"  # a country's provinces ranked


@dataclass(frozen=True, repr=False)
class ProvinceResults:
    """What a province folder holds (what `sim.load` returns for one): its provenance,
    resolved scenarios, ranking, and the metrics per option and centre."""

    province_file: str
    name: str
    root_seed: int
    replications: int
    scenarios: dict[str, dict[str, Scenario]]  # centre id -> option -> resolved scenario
    ranking: pd.DataFrame  # province.csv: option, centre, name, kind, metrics, rank
    summary: pd.DataFrame  # option, centre, metric, mean, std, ci_low, ci_high, replications
    per_replication: pd.DataFrame  # option, centre, replication, seed, metric, value
    province_of: dict[str, str] | None = None  # a country's centres -> their provinces
    label: Label | None = None  # the file's name in each language, when it gives one

    def title(self, lang: str) -> str:
        """The province's (or country's) name on a page in ``lang``."""
        return titled(self.name, self.label, lang)

    def provenance(self, lang: str = "en") -> str:
        return provenance_line(self.province_file, self.root_seed, self.replications, lang)

    def __repr__(self) -> str:
        head = (f"<ProvinceResults {self.name!r} from {self.province_file}: "
                f"{len(self.scenarios)} centres x {self.summary['option'].nunique()} options x "
                f"{self.replications} replications, root seed {self.root_seed}>")
        return "\n".join([head, *metric_lines(self.summary, by=("centre", "option"))])


def resolved_documents(scenarios: dict[str, ScenarioSet]) -> dict[str, dict[str, dict]]:
    """Each centre's resolved option scenarios in the scenario format, for the manifest."""
    return {centre: {name: scenario_document(scenario)
                     for name, scenario in centre_scenarios.options.items()}
            for centre, centre_scenarios in scenarios.items()}


def provenance_line(province_file: str, root_seed: int, replications: int,
                    lang: str = "en") -> str:
    """Where the province page's numbers come from, in the page's language."""
    return translator(lang).ngettext(
        "Province file {source}; root seed {seed}; {replications} replication per centre and "
        "option.",
        "Province file {source}; root seed {seed}; {replications} replications per centre and "
        "option.", replications).format(source=province_file, seed=root_seed,
                                        replications=replications)


def load_province_results(folder: str | Path) -> ProvinceResults:
    """The province folder's contents, every stored scenario validated again."""
    folder = Path(folder)
    manifest = read_manifest(folder, PROVINCE)
    source = str(folder / "manifest.json")
    scenarios = {centre: {option: resolved_scenario(manifest, ["scenarios", centre, option],
                                                    source)
                          for option in manifest["options"]}
                 for centre in manifest["centres"]}
    return ProvinceResults(manifest["province_file"], manifest["name"], manifest["root_seed"],
                           manifest["replications"], scenarios,
                           categorised(read_ranking(folder), {"option": manifest["options"]}),
                           _metric_table(folder / "summary.csv", manifest["options"]),
                           _metric_table(folder / "replications.csv", manifest["options"]),
                           manifest.get("provinces"),
                           Label.model_validate(manifest["label"]) if manifest.get("label")
                           else None)


def read_ranking(folder: Path) -> pd.DataFrame:
    """province.csv, with centre codes as text: their leading zeros ("00316") are kept."""
    return read_table(folder / RANKING, lambda path: pd.read_csv(
        path, dtype={"option": str, "centre": str, "name": str, "kind": str}))


def write_province_view(ranking: pd.DataFrame, name: str, provenance: str, folder: Path,
                        lang: str, scenarios: dict[str, Scenario], replications: int,
                        province_of: dict[str, str] | None = None) -> list[Path]:
    """The province page and its maps, into ``folder`` (the results folder); ``scenarios``
    are each centre's baseline; for a country (`province_of` given) also the provinces
    ranked, provinces.csv, on the page."""
    first = next(iter(scenarios.values()), None)
    maps = (save_province_map(ranking, name, folder / "figures", lang, scenario=first)
            if len(ranking) else [])
    provinces = None
    if province_of is not None:
        provinces = rank_provinces(ranking, province_of)
        provinces.to_csv(folder / PROVINCES, index=False)
    return [*maps, province_page(ranking, name, provenance, folder, folder / "report.html",
                                 lang, scenarios, replications, provinces=provinces)]


def province_page(ranking: pd.DataFrame, name: str, provenance: str, folder: Path,
                  path: Path, lang: str, scenarios: dict[str, Scenario], replications: int,
                  allocation: Allocation | None = None,
                  provinces: pd.DataFrame | None = None) -> Path:
    """The province page of a results folder, with its centres' monthly indicators, the
    allocation inside it when there is one and, for a country, the provinces ranked."""
    names = ranking.drop_duplicates("centre").set_index("centre")["name"].to_dict()
    centres = {centre: (f"{names.get(centre, centre)} ({centre})", scenario.calendar)
               for centre, scenario in scenarios.items()}
    option = str(ranking["option"].iloc[0]) if len(ranking) else "baseline"
    rows = province_indicator_rows(folder, centres, option, translator(lang))
    first = next(iter(scenarios.values()), None)
    shared = first is not None and all(s.calendar == first.calendar for s in scenarios.values())
    return write_province_report(ranking, name, provenance, path, lang, first, rows,
                                 allocation, provinces, replications,
                                 list(scenarios.values()) if provinces is None else None,
                                 first.calendar if shared else None)


def _metric_table(path: Path, options: list[str]) -> pd.DataFrame:
    """summary.csv or replications.csv of a province folder: centre codes as text, options as
    categories in the province's order."""
    frame = read_table(path, lambda file: pd.read_csv(file, dtype={"centre": str}))
    return categorised(frame, {"option": options})
