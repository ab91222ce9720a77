"""A scenario's own `skills` section: read and checked as strictly as a skills file, refused by
`sim check` with the file, the field path and what is allowed, replaced by `--skills FILE`, and
handed to the headcount search."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sim.cli import main
from sim.scenario.load import scenario_from_document
from sim.scenario.skills import StaffGroup, everyone, scenario_roles, staff_groups
from sim.scenario.yaml_loader import read_yaml_file

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny.yaml"
WARD = ROOT / "scenarios" / "centres" / "mid_size_ward.yaml"
DOCS = ROOT / "docs" / "scenario-format.md"
SECTION = {"groups": [{"name": "centre", "count": 2, "skills": ["general", "land"]},
                      {"name": "land officer", "count": 1, "skills": ["land"]}]}


def _write(tmp_path: Path, skills: object) -> Path:
    document = read_yaml_file(TINY)
    path = tmp_path / "centre.yaml"
    path.write_text(yaml.safe_dump({**document, "skills": skills}, allow_unicode=True),
                    encoding="utf-8")
    return path


def test_the_section_is_read_as_the_headcount_search_takes_it(tmp_path: Path) -> None:
    scenario = scenario_from_document(read_yaml_file(_write(tmp_path, SECTION)), "centre.yaml",
                                      options=["baseline"]).baseline
    roles = scenario_roles(scenario)
    assert roles == ("general", "land")
    assert staff_groups(None, scenario.skills, 3, roles) == (
        StaffGroup("centre", 2, frozenset({"general", "land"})),
        StaffGroup("land officer", 1, frozenset({"land"})))


def test_a_skills_file_replaces_the_section_and_without_either_everyone_works_anywhere(
        tmp_path: Path) -> None:
    scenario = scenario_from_document(read_yaml_file(_write(tmp_path, SECTION)), "centre.yaml",
                                      options=["baseline"]).baseline
    file = tmp_path / "skills.csv"
    file.write_text("name,count,skills\nall,3,general land\n", encoding="utf-8")
    roles = scenario_roles(scenario)
    assert staff_groups(file, scenario.skills, 3, roles) == (
        StaffGroup("all", 3, frozenset(roles)),)
    plain = scenario_from_document(read_yaml_file(TINY), str(TINY), options=["baseline"]).baseline
    assert plain.skills is None
    assert staff_groups(None, plain.skills, 3, roles) == everyone(3, roles)


@pytest.mark.parametrize(("skills", "expected"), [
    ({"groups": [{"count": 2, "skills": ["general", "lnd"]}]},
     "skills.groups[0].skills[1]: got 'lnd'; allowed: one of general, land"),
    ({"groups": [{"count": 1, "skills": ["guidance"]}]},  # the centre has no guidance team
     "skills.groups[0].skills[0]: got 'guidance'; allowed: one of general, land"),
    ({"groups": [{"count": -1, "skills": ["land"]}]}, "skills.groups[0].count: got -1"),
    ({"groups": [{"count": 1, "skills": []}]},
     "skills.groups[0].skills: got []; allowed: at least one role"),
    ({"groups": []}, "skills.groups: got []"),
    ({"groups": [{"count": 1, "skills": ["land"], "rank": 2}]}, "skills.groups[0].rank"),
])
def test_check_refuses_a_bad_section_with_file_path_and_what_is_allowed(
        tmp_path: Path, skills: dict, expected: str) -> None:
    path = _write(tmp_path, skills)
    done = CliRunner().invoke(main, ["check", str(path)])
    assert done.exit_code == 2, done.output
    assert f"{path}: {expected}" in done.output, done.output
    assert "Traceback" not in done.output


def test_the_headcount_search_counts_the_section_people(tmp_path: Path) -> None:
    """The section reaches the headcount search: its 3 people are not a headcount of 4 (refused
    before any simulation, exit 2)."""
    done = CliRunner().invoke(main, ["staff", str(_write(tmp_path, SECTION)), "--headcount",
                                     "4", "--out", str(tmp_path / "out")])
    assert done.exit_code == 2 and "list 3 people but the headcount is 4" in done.output, \
        done.output
    assert not (tmp_path / "out").exists()


def test_the_documented_example_fits_the_mid_size_ward() -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = next(block for block in re.findall(r"```yaml\n(.*?)```", text, re.S)
                   if block.startswith("skills:"))
    document = {**read_yaml_file(WARD), **yaml.safe_load(example)}
    scenario = scenario_from_document(document, str(WARD), options=["baseline"]).baseline
    assert sum(group.count for group in scenario.skills.groups) == 18
    assert "guidance" in scenario_roles(scenario) and "back_office" in scenario_roles(scenario)
