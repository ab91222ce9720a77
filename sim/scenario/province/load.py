"""Read a province file into one validated ScenarioSet per centre.

Every problem, in the province file or in a centre's resolved scenario, is reported against the
province file with the centre's path (`centres[12].set.desks.general.counters`), before any
simulation runs.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.labels import replace_options
from sim.scenario.load import ScenarioSet, apply_changes, scenario_from_document
from sim.scenario.problems import join_path, model_keys, problems_from
from sim.scenario.province.schema import Centre, Province
from sim.scenario.schema import Scenario
from sim.scenario.yaml_loader import read_yaml_file


@dataclass(frozen=True)
class ProvinceSet:
    """A province's centres and the validated scenarios (with options) of each."""

    source: str
    province: Province
    scenarios: dict[str, ScenarioSet]  # centre id -> its scenarios

    @property
    def stem(self) -> str:
        return Path(self.source).stem

    @property
    def centres(self) -> list[Centre]:
        return list(self.province.centres)

    def option_names(self) -> list[str]:
        return list(next(iter(self.scenarios.values())).options)


# Keys that only a province file has: they tell it from a scenario file.
PROVINCE_KEYS = frozenset(model_keys(Province)) - frozenset(model_keys(Scenario))
# The sections every scenario has and no province file: a file with them is a scenario.
SCENARIO_KEYS = frozenset(name for name, field in Scenario.model_fields.items()
                          if field.is_required()) - frozenset(model_keys(Province))
NOT_CENTRES = ("a province file (template and centres: `sim province init` writes one) or a "
               "country file (its provinces: `sim country init`); a scenario runs with "
               "`sim run` or `sim compare`")


def is_province_document(document: object) -> bool:
    """Whether a parsed file is a province file (it names a template and centres)."""
    return isinstance(document, dict) and not PROVINCE_KEYS.isdisjoint(document)


def is_scenario_document(document: object) -> bool:
    """Whether a parsed file is one centre's scenario: it has every section a scenario must
    have and a province file cannot (a stray key of a broken province file is not enough)."""
    return isinstance(document, dict) and document.keys() >= SCENARIO_KEYS


def refuse_a_scenario(document: object, source: str, kind_of: Callable[[object], bool]) -> None:
    """A scenario file given where centres are asked for, refused in one message saying what
    it is, rather than field by field; ``kind_of`` tells the file asked for."""
    if is_scenario_document(document) and not kind_of(document):
        raise ScenarioError(source, [Problem("", "a scenario file (one centre)", NOT_CENTRES)])


def load_province(path: str | Path, options: tuple[str, ...] = ()) -> ProvinceSet:
    """Read and validate a province file and every centre's scenario."""
    return province_from_document(read_yaml_file(Path(path)), path, options)


def province_from_document(document: object, path: str | Path,
                           options: tuple[str, ...] = ()) -> ProvinceSet:
    """Validate a parsed province file; its templates are found relative to path. A scenario
    file given instead is refused as what it is, not field by field."""
    source = str(path)
    refuse_a_scenario(document, source, is_province_document)
    try:
        province = Province.model_validate(document)
    except ValidationError as err:
        raise ScenarioError(source, problems_from(err, Province)) from None
    _check_unique_ids(province, source)
    templates: dict[str, dict] = {}
    scenarios = {}
    for index, centre in enumerate(province.centres):
        template = _template(Path(path).parent, centre.template or province.template, templates,
                             source, join_path(["centres", index, "template"]) if centre.template
                             else "template")
        scenarios[centre.id] = _centre_scenarios(template, province, centre, index, source,
                                                 options)
    return ProvinceSet(source, province, scenarios)


def _check_unique_ids(province: Province, source: str) -> None:
    """Every centre's results are keyed by its id: a repeated id would merge two centres."""
    first: dict[str, int] = {}
    problems = []
    for index, centre in enumerate(province.centres):
        if centre.id in first:
            earlier = first[centre.id]
            problems.append(Problem(
                join_path(["centres", index, "id"]), centre.id,
                f"an id no other centre has; centres[{earlier}] "
                f"({province.centres[earlier].name}) has it too"))
        first.setdefault(centre.id, index)
    if problems:
        raise ScenarioError(source, problems)


def _template(folder: Path, name: str, cache: dict[str, dict], source: str, at: str) -> dict:
    if name not in cache:
        path = folder / name
        if not path.is_file():
            raise ScenarioError(source, [Problem(at, name, "a centre template scenario file "
                                                 f"(looked for {path})")])
        document = read_yaml_file(path)
        if not isinstance(document, dict):
            raise ScenarioError(str(path), [Problem("", type(document).__name__,
                                                    "a mapping of scenario fields")])
        cache[name] = document
    return copy.deepcopy(cache[name])


def _centre_scenarios(template: dict, province: Province, centre: Centre, index: int,
                      source: str, options: tuple[str, ...]) -> ScenarioSet:
    prefix = join_path(["centres", index])
    document = apply_changes(template, centre.set, source, f"{prefix}.set")
    document["name"] = centre.name
    if province.options is not None:
        replace_options(document, province.options)
    try:
        return scenario_from_document(document, source, options=options)
    except ScenarioError as err:
        located = [Problem(f"{prefix} ({centre.id}): {p.path}", p.value, p.allowed)
                   for p in err.problems]
        raise ScenarioError(source, located) from None
