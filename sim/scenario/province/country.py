"""A country file: the province files of a whole country, run and allocated as one set of centres.

Why: a country is a list of provinces, and a province a list of centres; the country file names
the province files (written by `sim country init`, one per province) and everything else is the
province machinery, over the centres of all of them at once. Centre ids are the units' national
codes, so they stay apart across provinces; a repeated id is refused naming both files.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.labels import Label
from sim.scenario.problems import join_path, problems_from
from sim.scenario.province.load import (
    ProvinceSet,
    is_province_document,
    province_from_document,
    refuse_a_scenario,
)
from sim.scenario.province.schema import Province
from sim.scenario.strict import StrictModel
from sim.scenario.types import Name
from sim.scenario.yaml_loader import read_yaml_file


class Country(StrictModel):
    """The province files of a country, relative to this file."""

    name: Name
    label: Label | None = Field(default=None, description="the file's name on pages, {vi, en}; "
                                                           "default: its name")
    provinces: Annotated[list[str], Field(min_length=1, description="province files")]


@dataclass(frozen=True)
class CountrySet:
    """A country's provinces, and their centres as one set."""

    source: str
    name: str
    provinces: list[ProvinceSet]
    label: Label | None = None

    def centres(self) -> ProvinceSet:
        """Every centre of every province as one province-like set, in the files' order."""
        centres = [c for p in self.provinces for c in p.centres]
        province = Province(name=self.name, label=self.label, province=self.name, template="",
                            centres=centres)
        scenarios = {k: v for p in self.provinces for k, v in p.scenarios.items()}
        return ProvinceSet(self.source, province, scenarios)

    def province_of(self) -> dict[str, str]:
        """Centre id -> the name of its province."""
        return {c.id: p.province.province or p.province.name
                for p in self.provinces for c in p.centres}


def file_stem(name: str) -> str:
    """ASCII file name of a province: 'Thanh Hóa' -> 'thanh_hoa'.

    >>> file_stem("Thanh Hóa"), file_stem("Đắk Lắk")
    ('thanh_hoa', 'dak_lak')
    """
    plain = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    return "_".join("".join(ch for ch in plain if ch.isascii()).lower().split())


def is_country_document(document: object) -> bool:
    return isinstance(document, dict) and "provinces" in document


def load_country(path: str | Path, only: tuple[str, ...] = ()) -> CountrySet:
    """Read a country file and its province files; `only` keeps the provinces named (any
    spelling of `file_stem`), refusing a name that matches none."""
    return country_from_document(read_yaml_file(Path(path)), path, only)


def country_from_document(document: object, path: str | Path,
                          only: tuple[str, ...] = ()) -> CountrySet:
    """Validate a parsed country file; its province files are found relative to path. A
    scenario file given instead is refused as what it is, not field by field."""
    source = str(path)
    refuse_a_scenario(document, source, is_country_document)
    try:
        country = Country.model_validate(document)
    except ValidationError as err:
        raise ScenarioError(source, problems_from(err, Country)) from None
    chosen = _chosen(country, only, source)
    provinces = [_province(Path(path).parent / country.provinces[i], source, i) for i in chosen]
    _check_unique_codes(provinces, source)
    if not only:
        return CountrySet(source, country.name, provinces, country.label)
    chosen_names = ", ".join(p.province.province or p.province.name for p in provinces)
    label = None if country.label is None else Label(  # a few provinces' run says which
        vi=f"{country.label.vi} — {chosen_names}", en=f"{country.label.en} — {chosen_names}")
    return CountrySet(source, f"{country.name} — {chosen_names}", provinces, label)


def _chosen(country: Country, only: tuple[str, ...], source: str) -> list[int]:
    """The indices of the province files to keep: every one, or those `only` names."""
    if not only:
        return list(range(len(country.provinces)))
    stems = [Path(name).stem for name in country.provinces]
    wanted = {file_stem(name) for name in only}
    unknown = sorted(wanted - set(stems))
    if unknown:
        raise ScenarioError(source, [Problem("provinces", ", ".join(unknown),
                                             "a province of the file: " + ", ".join(stems))])
    return [i for i, stem in enumerate(stems) if stem in wanted]


def _province(path: Path, source: str, index: int) -> ProvinceSet:
    if not path.is_file():
        raise ScenarioError(source, [Problem(join_path(["provinces", index]), str(path),
                                             "a province file (written by sim country init)")])
    return province_from_document(read_yaml_file(path), path)


def _check_unique_codes(provinces: list[ProvinceSet], source: str) -> None:
    """Results are keyed by centre id: the same id in two provinces would merge two centres."""
    first: dict[str, str] = {}
    for province in provinces:
        for centre in province.centres:
            if centre.id in first:
                raise ScenarioError(source, [Problem(
                    "provinces", centre.id, f"centre ids no other province has; {first[centre.id]}"
                    f" and {province.source} both have {centre.id}")])
            first[centre.id] = province.source


def load_centres(path: str | Path, only: tuple[str, ...] = ()) -> ProvinceSet:
    """The centres of a province file, or of (the `only` provinces of) a country file."""
    document = read_yaml_file(Path(path))
    if is_country_document(document) and not is_province_document(document):
        return country_from_document(document, path, only).centres()
    return province_from_document(document, path)
