"""Labels: the names a page gives options, procedures, desks and sites. They are checked like
every field, they never change results, and without them a page still shows no raw id."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import sim
from sim.cli import main
from sim.output.names import Names
from sim.output.terminal import summary_table
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.load import load_scenario

TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
OFFICE = Path(__file__).parent / "fixtures" / "office.yaml"


def test_a_label_for_an_option_the_file_does_not_have_is_an_error() -> None:
    result = CliRunner().invoke(main, ["check", str(TINY), "--set",
                                       'labels={extra_generl: {vi: "Thêm", en: "More"}}'])
    assert result.exit_code == 2
    assert "labels.extra_generl: got 'extra_generl'; allowed: an option of the scenario: " \
           "baseline, extra_general, longer_sessions" in result.output
    assert "Traceback" not in result.output


def test_a_label_needs_both_languages() -> None:
    result = CliRunner().invoke(main, ["check", str(TINY), "--set",
                                       'desks.general.label={vi: "Quầy chung"}'])
    assert result.exit_code == 2
    assert "desks.general.label.en" in result.output


def test_names_come_from_the_labels_or_a_numbered_word() -> None:
    demo = load_scenario(BUNDLED_SCENARIOS / "demo.yaml").baseline
    english = Names(demo, "en")
    assert english.option("extra_general_counter") == "One more general counter"
    assert english.desk("land") == "Land counter"
    tiny = Names(load_scenario(TINY).baseline, "vi")
    assert [tiny.option(o) for o in ("baseline", "extra_general", "longer_sessions")] == [
        "Giữ nguyên như hiện nay", "Phương án 1", "Phương án 2"]
    assert tiny.desk("land") == "Quầy Đất đai", "no label: the procedures it serves"
    assert Names(load_scenario(TINY).baseline, "en").desk("general") == (
        "Desk for Chứng thực bản sao từ bản chính")
    helper = load_scenario(TINY, overrides=["desks.spare={counters: 1, serves: [general]}"])
    assert Names(helper.baseline, "vi").desk("spare") == "Quầy số 3", "serves no procedure"
    two_sites = Names(load_scenario(
        BUNDLED_SCENARIOS / "centres" / "urban_ward_two_sites.yaml").baseline, "vi")
    assert two_sites.desk("old_hq.general") == "Trụ sở cũ – Quầy tiếp nhận chung"
    relabelled = Names(load_scenario(
        BUNDLED_SCENARIOS / "centres" / "urban_ward_two_sites.yaml",
        overrides=['sites.old_hq.desks.general.label={vi: "Quầy một cửa cũ", en: "Old desk"}']
    ).baseline, "vi")
    assert relabelled.desk("old_hq.general") == "Trụ sở cũ – Quầy một cửa cũ", "its own site's"
    assert relabelled.desk("main.general") == "Trụ sở mới của Trung tâm – Quầy tiếp nhận chung"


def test_every_bundled_scenario_names_its_options_desks_and_procedures() -> None:
    checked = []
    for path in sorted(BUNDLED_SCENARIOS.rglob("*.yaml")):
        if path.parent.name == "records" and path.stem != "ward_truth":
            continue
        scenario = load_scenario(path).baseline
        options = [o for o in scenario.options if o != "baseline"]
        assert set(options) <= set(scenario.labels), path
        desks = [d for desks in scenario.site_desks().values() for d in desks.values()]
        assert all(desk.label is not None for desk in desks), path
        unnamed = [p.id for p in scenario.procedures if p.label is None]
        assert unnamed == [], path
        checked.append(path.relative_to(BUNDLED_SCENARIOS).as_posix())
    assert {"demo.yaml", "centres/mid_size_ward.yaml", "records/ward_truth.yaml",
            "theory/mmc.yaml"} <= set(checked)


def test_labels_do_not_change_results() -> None:
    labelled = sim.run(TINY, replications=1, seed=5, overrides=[
        'labels={extra_general: {vi: "Thêm quầy", en: "More counters"}}',
        'desks.general.label={vi: "Quầy chung", en: "General"}'])
    plain = sim.run(TINY, replications=1, seed=5)
    assert labelled.summary.equals(plain.summary)


def test_the_terminal_table_shows_the_dossiers_where_there_is_a_back_office() -> None:
    office = sim.run(OFFICE, replications=2, seed=1)
    headings = [column.header for column in summary_table(office.summary, "t").columns]
    assert {"dossiers", "on time", "overdue", "p90 lateness (days)"} <= set(headings)
    tiny = sim.run(TINY, replications=2, seed=1, options=["baseline"])
    assert "on time" not in [c.header for c in summary_table(tiny.summary, "t").columns]
    named = summary_table(office.summary, "t", "vi", office.scenarios.baseline)
    assert "Giữ nguyên như hiện nay" in [str(cell) for cell in named.columns[0]._cells]


def test_a_scenario_and_a_province_file_are_titled_in_each_page_s_language(
        tmp_path: Path) -> None:
    """The name heads what is printed and drawn; a `label` gives each language its own."""
    demo = load_scenario(BUNDLED_SCENARIOS / "demo.yaml").baseline
    assert Names(demo, "en").title().startswith("Ward (demo): a busy urban ward")
    assert Names(demo, "vi").title() == demo.name and demo.name.startswith("Phường (minh hoạ)")
    untitled = load_scenario(TINY).baseline
    assert Names(untitled, "en").title() == untitled.name, "no label: the name"
    province = tmp_path / "province.yaml"
    fixtures = Path(__file__).parent / "fixtures" / "province"
    for name in ("centre_template.yaml", "province.yaml"):
        (tmp_path / name).write_text((fixtures / name).read_text(encoding="utf-8"), "utf-8")
    text = province.read_text(encoding="utf-8")
    province.write_text(text.replace("province: ", 'label: {vi: "Tỉnh thử: bốn trung tâm", '
                                     'en: "Test province: four centres"}\nprovince: ', 1), "utf-8")
    out = tmp_path / "out"
    ran = CliRunner().invoke(main, ["province", "run", str(province), "-n", "2", "--out",
                                    str(out), "--lang", "en"])
    assert ran.exit_code == 0, ran.output
    assert "Test province: four centres: centres furthest from their targets" in ran.output
    assert "Test province: four centres" in (out / "report.html").read_text(encoding="utf-8")
    assert CliRunner().invoke(main, ["report", str(out), "--lang", "vi"]).exit_code == 0
    assert "Tỉnh thử: bốn trung tâm" in (out / "report.vi.html").read_text(encoding="utf-8")
