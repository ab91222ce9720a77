"""The one entry point that reads, overrides, validates and expands a scenario file.

Everything that can be wrong with a scenario is found here, before any replication runs, and
reported as a ScenarioError that names the file, the field path, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.measurable import measurement_problems
from sim.scenario.paths import PathError, with_change
from sim.scenario.problems import join_path, problems_from
from sim.scenario.references import cross_reference_problems
from sim.scenario.schema import Scenario
from sim.scenario.yaml_loader import parse_yaml_text, read_yaml_file

BASELINE = "baseline"


@dataclass(frozen=True)
class ScenarioSet:
    """A validated scenario and its staffing options, each a complete Scenario of its own."""

    source: str
    baseline: Scenario
    options: dict[str, Scenario]

    @property
    def stem(self) -> str:
        """Short name for the results folder: the file name without its extension."""
        return Path(self.source).stem


def load_scenario(
    path: str | Path, overrides: Sequence[str] = (), options: Sequence[str] = ()
) -> ScenarioSet:
    """Read a scenario file, apply ``PATH=VALUE`` overrides, validate, and expand its options."""
    source = str(path)
    document = read_yaml_file(Path(path))
    return scenario_from_document(document, source, overrides, options)


def scenario_from_document(
    document: object, source: str, overrides: Sequence[str] = (), options: Sequence[str] = ()
) -> ScenarioSet:
    """Validate an already-parsed scenario document (the Python API's way in)."""
    if not isinstance(document, dict):
        raise ScenarioError(source, [Problem("", _kind(document),
                                             "a mapping of scenario fields (name, calendar, ...)")])
    document = _apply_overrides(document, overrides, source)
    try:
        baseline = validate_document(document, source, prefix="")
    except ScenarioError as err:
        raise _blame_overrides(err, overrides) from None
    if baseline.options.get(BASELINE):
        raise ScenarioError(source, [Problem(join_path(["options", BASELINE]),
                                             baseline.options[BASELINE],
                                             "no changes: the baseline is the file itself; "
                                             "give a changed option another name")])
    changes = {BASELINE: {}, **baseline.options}
    _check_labels(baseline, changes, source)
    chosen = _choose(changes, options, source)
    resolved = {name: _baseline_option(baseline) if name == BASELINE
                else _resolve_option(document, name, changes[name], source) for name in chosen}
    return ScenarioSet(source=source, baseline=baseline, options=resolved)


def _baseline_option(baseline: Scenario) -> Scenario:
    """The baseline option: the file without its options, which is what validating it again
    with no changes gives, made without a second validation (a country loads 3,321 centres)
    and sharing the baseline's parts, which nothing changes in place."""
    return baseline.model_copy(update={"options": Scenario.model_fields["options"].get_default(
        call_default_factory=True)})


def _check_labels(baseline: Scenario, changes: dict[str, dict], source: str) -> None:
    """A label names an option of the file: one for anything else is a typo of an id."""
    problems = [Problem(join_path(["labels", name]), name, "an option of the scenario: "
                        + ", ".join(changes))
                for name in baseline.labels if name not in changes]
    if problems:
        raise ScenarioError(source, problems)


def _apply_overrides(document: dict, overrides: Iterable[str], source: str) -> dict:
    for text in overrides:
        path, separator, value_text = text.partition("=")
        if not separator or not path.strip():
            raise ScenarioError(
                source, [Problem("--set", text, "PATH=VALUE, e.g. desks.land.counters=3")])
        value = parse_yaml_text(value_text, f"{source} (--set {text})")
        try:
            document = with_change(document, path.strip(), value)
        except PathError as err:
            raise ScenarioError(source, [Problem(f"--set {path}", value, str(err))]) from None
    return document


def _kind(document: object) -> str:
    if document is None:
        return "an empty file"
    return {list: "a list", str: "a single text"}.get(type(document), type(document).__name__)


def _blame_overrides(error: ScenarioError, overrides: Sequence[str]) -> ScenarioError:
    """Say which problems come from a --set value rather than from the file."""
    paths = [text.partition("=")[0].strip() for text in overrides]

    def blamed(problem: Problem) -> Problem:
        for path in paths:
            if problem.path == path or problem.path.startswith((path + ".", path + "[")):
                return Problem(f"{problem.path} (set by --set {path})", problem.value,
                               problem.allowed)
        return problem

    return ScenarioError(error.source, [blamed(p) for p in error.problems])


def validate_document(document: dict[str, Any], source: str, prefix: str = "") -> Scenario:
    """One scenario document (no option expansion) through the schema and the cross-field
    checks; problems are named `prefix.PATH`."""
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as err:
        raise ScenarioError(source, problems_from(err, Scenario, prefix)) from None
    problems = cross_reference_problems(scenario, prefix) + measurement_problems(scenario, prefix)
    if problems:
        raise ScenarioError(source, problems)
    return scenario


def _choose(changes: dict[str, dict], wanted: Sequence[str], source: str) -> list[str]:
    unknown = [name for name in wanted if name not in changes]
    if unknown:
        raise ScenarioError(source, [Problem("--option", unknown[0],
                                             "an option of the scenario: " + ", ".join(changes))])
    return list(wanted) if wanted else list(changes)


def _resolve_option(document: dict, name: str, changes: dict, source: str) -> Scenario:
    """Baseline plus the option's changes, applied to a copy and validated as a whole."""
    prefix = join_path(["options", name])
    changed = {key: value for key, value in document.items() if key != "options"}
    return validate_document(apply_changes(changed, changes, source, prefix), source, prefix)


def apply_changes(document: dict, changes: object, source: str, prefix: str) -> dict:
    """A copy of document with the `PATH: VALUE` changes made; errors name `prefix.PATH`."""
    if not isinstance(changes, dict):
        raise ScenarioError(source, [Problem(prefix, changes, "a mapping of PATH: VALUE changes")])
    for path, value in changes.items():
        try:
            document = with_change(document, str(path), value)
        except PathError as err:
            raise ScenarioError(source, [Problem(f"{prefix}.{path}", value, str(err))]) from None
    return document
