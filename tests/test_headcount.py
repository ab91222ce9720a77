"""`sim staff --headcount`: the roster keeps its rules, is written as an option, and on the bundled
mid-size ward beats the best uniform split of the same people (paired, common random numbers)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from sim.cli import main
from sim.decide.staffing.headcount import staff_headcount
from sim.decide.staffing.headcount_judge import Judged
from sim.decide.staffing.headcount_result import paired_difference
from sim.scenario.labels import replace_options
from sim.scenario.load import load_scenario
from sim.scenario.paths import with_change
from sim.scenario.yaml_loader import read_yaml_file

BUNDLED = Path(__file__).parents[1] / "scenarios" / "centres"
TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
HEADCOUNT = 18  # the ward's 9 counters, 2 guides and 7 seconded back-office officials
ROUNDS = 6  # of both phases: the uniform split's, then the blocks'


@pytest.fixture(scope="module")
def short_ward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mid-size ward over its first 8 working days (the surge and the backlog included),
    without its options: few days keep the test fast."""
    document = with_change(read_yaml_file(BUNDLED / "mid_size_ward.yaml"),
                           "calendar.working_days", 8)
    replace_options(document, {})
    path = tmp_path_factory.mktemp("ward") / "ward.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rosters(short_ward: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("out")
    return {uniform: staff_headcount(short_ward, HEADCOUNT, uniform=uniform, max_rounds=ROUNDS,
                                     seed=2025, out=out / str(uniform))
            for uniform in (False, True)}


def test_the_roster_keeps_the_headcount_and_is_written_as_an_option(rosters: dict) -> None:
    found = rosters[False]
    for block in range(found.roster.blocks):
        assert sum(found.roster.block(block)) <= HEADCOUNT
    assert min(found.roster.of("guidance")) >= 1
    assert rosters[True].roster.uniform()
    written = load_scenario(found.written, options=["headcount"]).options["headcount"]
    general = written.desks["general"]
    assert general.counters == max(found.roster.of("general"))
    assert written.back_office.staff == max(found.roster.of("back_office"))
    assert "# [reform]" not in found.written.read_text(encoding="utf-8") or found.comments_kept


def test_the_block_search_starts_from_the_uniform_split(rosters: dict) -> None:
    """The hour-by-hour search's first phase is the uniform search itself (same seed, same
    moves), so on the search's own replications it ends no worse than the uniform split."""
    hourly, uniform = rosters[False], rosters[True]
    assert uniform.history == hourly.history[:len(uniform.history)]
    assert hourly.judged.key() <= uniform.judged.key(), (hourly.history, uniform.history)


def test_hour_by_hour_beats_the_best_uniform_split(rosters: dict) -> None:
    """Per replication, the hour-by-hour roster's shortfall minus the uniform split's, on
    citizens neither search saw: the whole 95% interval below 0."""
    mean, low, high = paired_difference(rosters[False], rosters[True], 10, 99)
    assert high < 0, (mean, low, high, rosters[False].history, rosters[True].history)


def judged(shortfalls: list[float], met: bool = False, overtime: float = 0.0) -> Judged:
    return Judged(0.0 if met else 1.0, np.array(shortfalls), overtime, 0, pd.DataFrame(), {},
                  pd.DataFrame())


def test_a_move_is_kept_only_when_it_wins_beyond_the_noise() -> None:
    """Lower by the same amount in every replication: kept; lower on average but not in every
    replication: not; meeting the targets wins; equal shortfalls leave it to the overtime."""
    roster = judged([1.0, 2.0, 3.0, 4.0])
    assert judged([0.9, 1.9, 2.9, 3.9]).beats(roster)
    assert not judged([0.0, 2.5, 2.0, 4.5]).beats(roster)  # mean 2.25 < 2.5
    assert not roster.beats(roster)
    assert judged([5.0, 5.0, 5.0, 5.0], met=True).beats(roster)
    assert judged([0.0, 0.0], met=True, overtime=1.0).beats(judged([0.0, 0.0], met=True,
                                                                    overtime=2.0))


def test_the_command_prints_the_roster_and_refuses_a_skills_mismatch(tmp_path: Path) -> None:
    skills = tmp_path / "skills.csv"
    skills.write_text("name,count,skills\ncentre,2,general land\nland officer,1,land\n",
                      encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(main, ["staff", str(TINY), "--headcount", "3", "--skills", str(skills),
                                "--rounds", "1", "-n", "2", "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert "Roster of 3 people by time block" in done.output
    assert "The roster against the scenario as written" in done.output
    wrong = runner.invoke(main, ["staff", str(TINY), "--headcount", "4", "--skills", str(skills),
                                 "--rounds", "0", "--out", str(tmp_path / "out")])
    assert wrong.exit_code == 2 and "3 people but the headcount is 4" in wrong.output
