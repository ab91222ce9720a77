"""Rosters and skills: the rules a roster keeps (Hall's condition on small exact cases), what
it writes into a scenario, and how skills files are read and refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis.staffing.blocks import Block
from sim.decide.staffing.roster import Move, Roster, Rules, roster_changes
from sim.scenario.errors import ScenarioError
from sim.scenario.skills import StaffGroup, everyone, read_skills

ROLES = ("general", "land", "guidance", "back_office")


def _rules(groups: tuple[StaffGroup, ...], headcount: int = 5) -> Rules:
    return Rules(headcount, ROLES, {"general": 3, "land": 2, "guidance": 9, "back_office": 9},
                 {"general": 1, "land": 1, "guidance": 0, "back_office": 0}, groups)


def test_hall_condition_on_exact_cases() -> None:
    groups = (StaffGroup("counter", 2, frozenset({"general", "land"})),
              StaffGroup("land", 1, frozenset({"land", "back_office"})),
              StaffGroup("seconded", 2, frozenset({"back_office"})))
    rules = _rules(groups)
    assert rules.allows((2, 1, 0, 2))  # counter staff at general, the land officer at land
    assert rules.deficit((2, 1, 0, 2)) == 0
    # Three at general and land, of the three who can; two at the back office, by the others.
    assert rules.deficit((1, 2, 0, 2)) == 0
    assert rules.deficit((1, 2, 0, 1)) == 0  # within the headcount, one idle
    assert rules.deficit((2, 2, 0, 1)) == 1  # {general, land} asks 4 of the 3 who can
    assert rules.deficit((1, 2, 0, 3)) == 1  # 6 people of 5: one missing
    assert rules.deficit((1, 1, 1, 2)) == 1  # nobody can guide
    assert not rules.allows((3, 1, 0, 1))  # general within positions, but 4 > 3 able
    assert not rules.allows((0, 1, 0, 2))  # general needs at least one
    assert _rules(everyone(5, ROLES)).allows((3, 2, 0, 0))


def test_moves_switches_and_written_changes() -> None:
    blocks = (Block(450, 510), Block(510, 570), Block(810, 870))
    roster = Roster(ROLES, ((2, 2, 1), (1, 1, 1), (1, 1, 1), (1, 1, 2)))
    assert roster.switches() == 1  # one person from general to the back office after lunch
    moved = roster.moved(Move("back_office", "general", 2))
    assert moved.of("general") == (2, 2, 2) and moved.switches() == 0
    assert roster.moved(Move("guidance", "land", None)).of("land") == (2, 2, 2)
    changes = roster_changes(roster, blocks, {"general": "desks.general", "land": "desks.land"})
    assert changes == {
        "desks.general.counters": 2, "desks.general.schedule": {"07:30": 2, "13:30": 1},
        "desks.land.counters": 1, "desks.land.schedule": {"07:30": 1},
        "guidance.staff": 1, "guidance.schedule": {"07:30": 1},
        "back_office.staff": 2, "back_office.schedule": {"07:30": 1, "13:30": 2}}


def test_a_yaml_skills_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text("groups:\n  - {name: centre, count: 3, skills: [general, guidance]}\n"
                    "  - {count: 2, skills: [back_office]}\n", encoding="utf-8")
    groups = read_skills(path, ROLES)
    assert groups == (StaffGroup("centre", 3, frozenset({"general", "guidance"})),
                      StaffGroup("", 2, frozenset({"back_office"})))


def test_a_csv_skills_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "skills.csv"
    path.write_text("name,count,skills\nland officers,2,land back_office\n", encoding="utf-8")
    assert read_skills(path, ROLES) == (
        StaffGroup("land officers", 2, frozenset({"land", "back_office"})),)


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("skills.yaml", "groups:\n  - {count: 2, skills: [lnd]}\n",
     "groups[0].skills[0]: got 'lnd'; allowed: one of general, land, guidance, back_office"),
    ("skills.yaml", "groups:\n  - {count: 0, skills: [land]}\n", "groups[0].count: got 0"),
    ("skills.yaml", "groups:\n  - {count: 1, skills: [land], rank: 2}\n", "groups[0].rank"),
    ("skills.csv", "name,count,skills\na,2,land\nb,two,land\n", "line 3, field count: got 'two'"),
    ("skills.csv", "name,count,skills\na,2,land guide\n",
     "line 2, field skills[1]: got 'guide'"),
    ("skills.csv", "who,count,skills\n", "line 1: got 'who,count,skills'; allowed: the header"),
])
def test_a_bad_skills_file_names_file_place_and_value(tmp_path: Path, name: str, text: str,
                                                      expected: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_skills(path, ROLES)
    message = caught.value.message()
    assert message.startswith(str(path)) and expected in message, message
