"""Option and --set paths into sections that the file leaves out but the schema fills with
defaults (docs/scenario-format.md, "options"): the path writes the section in on the way."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from scenario_strategies import scenario_documents
from test_scenarios import BUNDLED, SCENARIOS

from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario, scenario_from_document, validate_document
from sim.scenario.schema import Scenario
from sim.scenario.yaml_loader import read_yaml_file

VALID = Path(__file__).parent / "broken" / "valid.yaml"  # no weekday_factor, targets, deadline


def test_the_documented_saturday_option_runs_on_a_file_without_those_sections() -> None:
    document = read_yaml_file(VALID)
    assert "weekday_factor" not in document["arrivals"]
    document["options"] = {"saturday_mornings": {
        "calendar.saturday_sessions": ["07:30-11:30"], "arrivals.weekday_factor.sat": 0}}
    option = scenario_from_document(document, "x.yaml").options["saturday_mornings"]
    assert option.calendar.saturday_sessions == ["07:30-11:30"]
    assert option.arrivals.weekday_factor == {"sat": 0}


@pytest.mark.parametrize(("change", "read"), [
    ("targets.wait_p90=30", lambda s: s.targets.wait_p90),
    ("procedures[0].deadline.working_days=3", lambda s: s.procedures[0].deadline.working_days),
    ("desks.general.schedule.13:30=1", lambda s: s.desks["general"].schedule["13:30"]),
])
def test_a_path_through_an_absent_section_with_defaults_creates_it(
        change: str, read: object) -> None:
    scenario: Scenario = load_scenario(VALID, overrides=[change]).baseline
    assert read(scenario) == int(change.rpartition("=")[2])  # type: ignore[operator]


def test_a_created_section_still_asks_for_its_required_keys() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(VALID, overrides=["back_office.order=first_in_first_out"])
    assert "back_office.staff: got nothing; allowed: this field is required" in str(caught.value)


def test_an_unknown_key_on_the_way_lists_the_allowed_ones() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(VALID, overrides=["calendar.saturdays.x=1"])
    assert ("calendar has no 'saturdays' (allowed: start, working_days, weekdays, sessions, "
            "saturday_sessions, holidays, cutoff)") in str(caught.value)


def test_an_absent_field_without_defaults_must_be_set_whole() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(VALID, overrides=["patience.mean=30"])
    assert "set patience whole" in str(caught.value)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.relative_to(BUNDLED).as_posix())
def test_the_baseline_option_is_the_file_validated_again_without_its_options(
        path: Path) -> None:
    """The baseline option is made from the validated file, not validated a second time (a
    country loads 3,321 centres): it must equal that second validation, field for field."""
    document = read_yaml_file(path)
    loaded = scenario_from_document(document, str(path))
    assert loaded.options["baseline"] == _validated_again(document, str(path))
    assert loaded.options["baseline"].options == {"baseline": {}}


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(document=scenario_documents())
def test_the_baseline_option_of_any_valid_file_is_its_second_validation(
        document: dict) -> None:
    loaded = scenario_from_document(document, "drawn.yaml")
    assert loaded.options["baseline"] == _validated_again(document, "drawn.yaml")


def _validated_again(document: dict, source: str) -> Scenario:
    """The file without its options, through the schema and the cross-field checks again."""
    return validate_document({key: value for key, value in document.items()
                              if key != "options"}, source, "options.baseline")
