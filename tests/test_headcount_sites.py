"""`sim staff --headcount` at a centre with two sites and guidance: each site's guidance team is
a role of its own (started at that site's guides, named after its site on the page), the feedback
desk and the results counter are roles too, a skills file can name them, and the roster written
back as an option loads with `sim check` and runs with `sim run`."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from rich.console import Console

from sim.cli import main
from sim.decide.staffing.headcount import staff_headcount
from sim.model.centre import simulate
from sim.model.desk import DeskLog
from sim.output.roster_text import roster_table
from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario, scenario_from_document

HEADCOUNT = 10


def two_sites() -> dict:
    """Two sites with a general desk each, results and inquiries answered at the north site,
    the centre's guides (1 a site) and the south site's own (2)."""
    general = {"counters": 2, "positions": 3, "label": {"vi": "Quầy chung", "en": "General"}}
    return {
        "name": "two sites", "calendar": {"start": "2025-07-01", "working_days": 3},
        "arrivals": {"per_day": 60},
        "procedures": [{
            "id": "civil", "name": "Hộ tịch", "share": 1.0, "desk": "general",
            "service": {"dist": "exponential", "mean": 6}, "guidance": 0.4,
            "back_office": {"hours": {"dist": "deterministic", "mean": 0.2}},
            "deadline": {"working_days": 1},
            "pickup": {"in_person": 0.8, "service": {"dist": "exponential", "mean": 3},
                       "desk": "results"}}],
        "sites": {
            "north": {"share": 0.6, "label": {"vi": "Trụ sở chính", "en": "Main office"},
                      "desks": {"general": general,
                                "results": {"counters": 1, "positions": 2,
                                            "label": {"vi": "Quầy trả kết quả",
                                                      "en": "Results counter"}},
                                "feedback": {"counters": 1, "positions": 1,
                                             "label": {"vi": "Quầy phản ánh",
                                                       "en": "Feedback desk"}}}},
            "south": {"share": 0.4, "label": {"vi": "Trụ sở cũ", "en": "Old office"},
                      "desks": {"general": general}, "guidance": {"staff": 2}}},
        "guidance": {"staff": 1, "service": {"dist": "exponential", "mean": 4}},
        "back_office": {"staff": 2, "hours_per_day": 6},
        "backlog": [{"procedure": "civil", "count": 30, "days_left": 2}],
        "inquiries": {"desk": "feedback", "per_day": 0.2, "overdue_per_day": 0.5,
                      "service": {"dist": "exponential", "mean": 5}},
        "targets": {"wait_p90": 30},
    }


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sites") / "two_sites.yaml"
    path.write_text(yaml.safe_dump(two_sites(), allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def found(scenario_file: Path, tmp_path_factory: pytest.TempPathFactory):
    return staff_headcount(scenario_file, HEADCOUNT, max_rounds=2, replications=2, seed=11,
                           out=tmp_path_factory.mktemp("out"))


def test_each_site_guidance_team_is_a_role_started_at_its_own_guides(found) -> None:
    roles = found.roster.roles
    assert {"north.guidance", "south.guidance", "north.results", "north.feedback"} <= set(roles)
    assert set(found.start.of("south.guidance")) == {2}
    assert set(found.start.of("north.guidance")) == {1}
    for block in range(found.roster.blocks):
        assert sum(found.roster.block(block)) <= HEADCOUNT
        assert found.roster.block(block)[roles.index("north.feedback")] == 1  # its 1 position


def test_the_written_roster_loads_checks_and_runs(found, tmp_path: Path) -> None:
    written = load_scenario(found.written, options=[found.option]).options[found.option]
    for site in ("north", "south"):
        assert written.site_guidance(site)[0] == max(found.roster.of(f"{site}.guidance"))
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(found.written)])
    assert checked.exit_code == 0, checked.output
    ran = runner.invoke(main, ["run", str(found.written), "--option", "baseline", "--option",
                               found.option, "-n", "2", "--quiet", "--out", str(tmp_path / "run")])
    assert ran.exit_code == 0, ran.output


@pytest.mark.parametrize(("lang", "guides", "desk"), [
    ("vi", "hướng dẫn tại Trụ sở cũ", "Trụ sở chính – Quầy phản ánh"),
    ("en", "guidance at Old office", "Main office – Feedback desk")])
def test_the_roster_table_names_roles_by_their_labels(found, lang: str, guides: str,
                                                       desk: str) -> None:
    console = Console(width=400, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(roster_table(found, lang))
    text = console.export_text()
    assert guides in text and desk in text
    assert "south.guidance" not in text and "north.feedback" not in text


def test_a_skills_file_names_site_roles_and_is_told_the_roles_there_are(
        scenario_file: Path, tmp_path: Path) -> None:
    skills = tmp_path / "skills.yaml"
    skills.write_text(yaml.safe_dump({"groups": [{"count": HEADCOUNT, "skills": [
        "guidance", "north.general"]}]}), encoding="utf-8")
    done = CliRunner().invoke(main, ["staff", str(scenario_file), "--headcount", str(HEADCOUNT),
                                     "--skills", str(skills), "--rounds", "0"])
    assert done.exit_code == 2
    assert "groups[0].skills[0]" in done.output and "south.guidance" in done.output
    assert "north.feedback" in done.output and "Traceback" not in done.output


def test_a_site_runs_its_own_guides() -> None:
    """The south site's guides follow its own staff and schedule, the north's the centre's."""
    document = two_sites()
    document["sites"]["south"]["guidance"]["schedule"] = {"07:30": 2, "09:30": 1}
    record = simulate(scenario_from_document(document, "two_sites.yaml").baseline, 3)
    south = record.guidance_logs["south.guidance"][:, DeskLog.OPEN]
    north = record.guidance_logs["north.guidance"][:, DeskLog.OPEN]
    assert set(np.unique(south)) == {0, 1, 2} and set(np.unique(north)) == {0, 1}


@pytest.mark.parametrize(("change", "path"), [
    ({"guidance": None}, "sites.south.guidance"),
    ({"sites.south.guidance.schedule": {"07:30": 3}}, "sites.south.guidance.schedule")])
def test_a_site_guidance_that_cannot_be_is_named(change: dict, path: str) -> None:
    document = two_sites()
    for key, value in change.items():
        if value is None:
            del document[key]
            document["procedures"][0]["guidance"] = 0
        else:
            document["sites"]["south"]["guidance"]["schedule"] = value
    with pytest.raises(ScenarioError, match=path.replace(".", r"\.")):
        scenario_from_document(document, "two_sites.yaml")
