"""The parts of `sim app` below the page: the setting and the option it amounts to, the short
runs with common random numbers, and saving the option into the scenario with its comments."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.app.launch import LOCAL, Serve, streamlit_command
from sim.app.saving import SaveRefused, save_copy, save_into
from sim.app.setting import baseline_setting, setting_changes
from sim.app.trial import SETTING, run_trial
from sim.app.words import both, desk_words
from sim.cli import main
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.load import load_scenario

FIXTURES = Path(__file__).parent / "fixtures"
OFFICE = FIXTURES / "office.yaml"
TWO_SITES = BUNDLED_SCENARIOS / "centres" / "urban_ward_two_sites.yaml"


def office():
    return load_scenario(OFFICE, options=["baseline"]).baseline


def test_the_baseline_setting_changes_nothing() -> None:
    scenario = office()
    setting = baseline_setting(scenario)
    assert setting.counters == {"general": (2, 2), "land": (1, 1)}
    assert setting.back_office_staff == 2 and not setting.saturday_mornings
    assert setting_changes(scenario, setting) == {}


def test_a_setting_is_the_option_that_gives_it() -> None:
    scenario = office()
    setting = replace(baseline_setting(scenario).with_counters("land", 0, 2), open_earlier=30,
                      saturday_mornings=True, back_office_staff=3)
    changes = setting_changes(scenario, setting)
    assert changes == {"desks.land.counters": 2, "desks.land.schedule": {"07:30": 2, "13:30": 1},
                       "calendar.sessions": ["07:00-11:30", "13:30-17:00"],
                       "calendar.saturday_sessions": ["07:00-11:30"],
                       "back_office.staff": 3}
    document = {"options": {"tried": changes}}
    option = load_scenario_with(OFFICE, document).options["tried"]
    assert option.desks["land"].schedule == {"07:30": 2, "13:30": 1}
    assert option.back_office.staff == 3


def load_scenario_with(path: Path, extra: dict):
    """The scenario file with `extra` merged in at the top level, loaded with every option."""
    from sim.scenario.load import scenario_from_document
    from sim.scenario.yaml_loader import read_yaml_file

    document = {**read_yaml_file(path), **extra}
    return scenario_from_document(document, str(path))


def test_same_counters_in_every_session_change_the_counters_only() -> None:
    scenario = office()
    setting = baseline_setting(scenario).with_counters("general", 0, 3).with_counters(
        "general", 1, 3)
    assert setting_changes(scenario, setting) == {"desks.general.counters": 3,
                                                  "desks.general.schedule": {"07:30": 3}}


def test_desks_of_several_sites_are_named_by_site_and_procedures() -> None:
    scenario = load_scenario(TWO_SITES, options=["baseline"]).baseline
    setting = baseline_setting(scenario)
    assert "old_hq.business_other" in setting.counters
    changes = setting_changes(scenario, setting.with_counters("old_hq.general", 0, 6))
    assert changes["sites.old_hq.desks.general.counters"] == 6
    words = desk_words(scenario, "main.general")
    assert words.startswith("main: ") and "general" not in words
    assert words == "main: Chứng thực bản sao từ bản chính · Certified copies"


def test_the_short_runs_meet_the_same_citizens() -> None:
    unchanged = run_trial(OFFICE, {}, days=5, replications=5)
    measured = unchanged.table.dropna(subset=["mean"])
    assert len(measured) >= 6 and (measured["diff_mean"] == 0).all()
    assert (measured["diff_ci_low"] == measured["diff_ci_high"]).all()
    more = run_trial(OFFICE, {"desks.land.counters": 2}, days=5, replications=5)
    wait = more.row(SETTING, "wait_mean")
    assert wait["diff_ci_high"] < 0, "one more counter at the busiest desk shortens the waits"
    assert more.row("baseline", "wait_mean")["mean"] == unchanged.row("baseline",
                                                                      "wait_mean")["mean"]
    assert more.days == 5 and set(more.table["metric"]) >= {"wait_mean", "on_time_share"}


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    copy = tmp_path / "office.yaml"
    shutil.copy(OFFICE, copy)
    return copy


def test_saving_into_the_scenario_keeps_its_comments(scenario_file: Path) -> None:
    before = scenario_file.read_text(encoding="utf-8")
    save_into(scenario_file, "more_land", {"desks.land.counters": 2})
    after = scenario_file.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n").split("\noptions:")[0])
    assert "# A small centre with a back office" in after
    loaded = load_scenario(scenario_file, options=["more_land"]).options["more_land"]
    assert loaded.desks["land"].counters == 2
    with pytest.raises(SaveRefused, match="already has an option more_land"):
        save_into(scenario_file, "more_land", {"desks.land.counters": 3})
    assert scenario_file.read_text(encoding="utf-8") == after


def test_a_bad_option_leaves_the_scenario_as_it_was(scenario_file: Path) -> None:
    before = scenario_file.read_text(encoding="utf-8")
    with pytest.raises(Exception, match="counters"):
        save_into(scenario_file, "none_open", {"desks.land.counters": 0})
    assert scenario_file.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in scenario_file.parent.iterdir()) == ["office.yaml"]


def test_saving_a_copy_leaves_the_scenario_alone(scenario_file: Path) -> None:
    before = scenario_file.read_text(encoding="utf-8")
    copy, name = save_copy(scenario_file, "more_land", {"desks.land.counters": 2})
    assert copy == scenario_file.with_name("office_more_land.yaml") and name == "more_land"
    assert scenario_file.read_text(encoding="utf-8") == before
    assert "# A small centre with a back office" in copy.read_text(encoding="utf-8")


def test_a_bundled_scenario_is_never_written() -> None:
    with pytest.raises(SaveRefused, match="bundled"):
        save_into(TWO_SITES, "x", {"sites.main.desks.general.counters": 8})


def test_the_page_listens_on_this_computer_only_by_default() -> None:
    command = streamlit_command(Serve(OFFICE))
    assert command[command.index("--server.address") + 1] == LOCAL == "127.0.0.1"
    assert command[command.index("--browser.gatherUsageStats") + 1] == "false"
    wide = streamlit_command(Serve(OFFICE, host="0.0.0.0", port=9000, browser=False))
    assert wide[wide.index("--server.port") + 1] == "9000"
    assert wide[wide.index("--server.headless") + 1] == "true"


def test_a_bad_scenario_is_refused_before_the_page_starts(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\ncalendar: {start: 2025-07-01}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["app", str(broken)])
    assert result.exit_code == 2 and "broken.yaml" in result.output


def test_words_are_vietnamese_then_english() -> None:
    assert both("Baseline") == "Hiện trạng · Baseline"
