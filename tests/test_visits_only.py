"""A run that leaves the back office out (`simulate(..., visits_only=True)`, what the
allocation's waiting objective runs) gives exactly the visits and desk logs of the whole run
wherever the back office cannot change a visit, and is the whole run where it can (collectors,
inquiries, counter_first)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from sim.model.centre import simulate
from sim.model.record import RunRecord
from sim.model.second_visits import back_office_feeds_visits
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.load import scenario_from_document
from sim.scenario.schema import Scenario

CENTRES = ("rural_merged_commune", "highland_commune", "mid_size_ward", "urban_ward_two_sites")


def options(name: str, without_feedback: bool) -> dict[str, Scenario]:
    """A bundled centre's options over 5 working days; `without_feedback`: its pick-ups,
    inquiries and counter_first taken out, so that its back office cannot change a visit."""
    path = BUNDLED_SCENARIOS / "centres" / f"{name}.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["calendar"]["working_days"] = 5
    if without_feedback:
        for procedure in document["procedures"]:
            procedure.pop("pickup", None)
        document.pop("inquiries", None)
        document["options"] = {option: changes
                               for option, changes in document.get("options", {}).items()
                               if "counter_first" not in str(changes)
                               and "pickup" not in str(changes)}
        document["labels"] = {option: label for option, label in document["labels"].items()
                              if option in document["options"]}
    return scenario_from_document(document, path.name).options


def same_visits(left: RunRecord, right: RunRecord) -> None:
    assert left.visits.keys() == right.visits.keys()
    for column in left.visits:
        np.testing.assert_array_equal(left.visits[column], right.visits[column], err_msg=column)
    for logs in ("desk_logs", "guidance_logs"):
        mine, theirs = getattr(left, logs), getattr(right, logs)
        assert mine.keys() == theirs.keys()
        for name in mine:
            np.testing.assert_array_equal(mine[name], theirs[name], err_msg=name)


@pytest.mark.parametrize("name", CENTRES)
def test_without_the_back_office_the_visits_are_those_of_the_whole_run(name: str) -> None:
    chosen = options(name, without_feedback=True)
    assert len(chosen) > 1, "the baseline and at least one option"
    for option, scenario in chosen.items():
        assert scenario.back_office is not None and not back_office_feeds_visits(scenario)
        for seed in (1, 2):
            whole, visits = simulate(scenario, seed), simulate(scenario, seed, visits_only=True)
            same_visits(whole, visits)
            assert np.isnan(visits.dossiers["completed"]).all(), option
            assert (visits.dossiers["source"] == 0).all(), "counter dossiers only"
            assert len(visits.dossiers["source"]) <= len(whole.dossiers["source"])
            assert len(visits.back_office_log) == 1, "nothing happened in the back office"


@pytest.mark.parametrize("name", CENTRES)
def test_where_the_back_office_changes_visits_the_whole_run_is_made(name: str) -> None:
    for option, scenario in options(name, without_feedback=False).items():
        assert back_office_feeds_visits(scenario), option
        whole, visits = simulate(scenario, 3), simulate(scenario, 3, visits_only=True)
        same_visits(whole, visits)
        for column in whole.dossiers:
            np.testing.assert_array_equal(whole.dossiers[column], visits.dossiers[column])
        np.testing.assert_array_equal(whole.back_office_log, visits.back_office_log)
