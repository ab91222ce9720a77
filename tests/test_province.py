"""Province runs: centres from a template, identical results for any number of workers,
streaming parts, resuming an interrupted run, the ranking, and allocating extra staff."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

import sim
from sim.analysis.official_indicators import monthly_indicators
from sim.analysis.ranking import FEW_REPLICATIONS
from sim.cli import main
from sim.decide.gain_curves import allocate
from sim.experiment import stream
from sim.experiment import unit as unit_module
from sim.experiment.executors import Execution
from sim.experiment.store import ResumeError
from sim.experiment.work import estimate_work
from sim.output import indicator_text
from sim.output.indicator_text import province_indicator_rows
from sim.output.province_report import (
    best_option_words,
    option_rows,
    ranking_caution,
    shared_rows,
)
from sim.output.province_results import load_province_results
from sim.output.province_run import run_province
from sim.output.terminal import print_ranking
from sim.output.translations import translator
from sim.scenario.province.load import load_province

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "province"
PROVINCE = FIXTURES / "province.yaml"
CENTRES = ["101", "102", "103", "104"]


def run_cli(*args: str) -> None:
    result = _invoke_run(*args)
    assert result.exit_code == 0, result.output + repr(result.exception)


@pytest.fixture(scope="module")
def sequential(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("province") / "out"
    run_cli("--out", str(out), "--visits", "all")
    return out


def test_every_centre_and_option_is_in_every_table(sequential: Path) -> None:
    summary = pd.read_csv(sequential / "summary.csv", dtype={"centre": str})
    assert list(summary.columns[:3]) == ["option", "centre", "metric"]
    assert sorted(summary["centre"].unique()) == CENTRES
    assert set(summary["option"]) == {"baseline", "one_more_counter"}
    for name in ("visits", "intervals", "dossiers", "daily"):
        frame = pd.read_parquet(sequential / name)
        assert sorted(frame["centre"].astype(str).unique()) == CENTRES, name
    assert not (sequential / "metrics").exists()


def test_the_page_counts_each_centre_s_dossiers_as_a_whole_folder_read_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The province page's monthly indicators read the dossier parts CHUNK_BATCHES at a time
    (a country's dossiers do not fit in memory) and count centres on the same calendar
    together. With one centre's run crossing into August on its own calendar, and one part
    or all parts at a time, the rows are those of each centre's dossiers read whole from the
    folder and counted on that centre's own calendar."""
    province_file = tmp_path / "province" / "province.yaml"
    shutil.copytree(FIXTURES, province_file.parent)
    text = province_file.read_text(encoding="utf-8")
    province_file.write_text(text.replace('{id: "103", name: "Xã Ba", latitude: 20.1, '
                                          'longitude: 105.5}',
                                          '{id: "103", name: "Xã Ba", latitude: 20.1, '
                                          'longitude: 105.5, set: {calendar.start: 2025-07-30}}'),
                             encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["province", "run", str(province_file), "-n", "3",
                                       "--seed", "8", "-q", "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    province = load_province(province_file)
    centres = {c: (c, s.baseline.calendar) for c, s in province.scenarios.items()}
    assert centres["103"][1].start != centres["101"][1].start
    t = translator("en")

    def whole_folder(centre: str) -> pd.DataFrame:
        dossiers = pd.read_parquet(out / "dossiers", filters=[("option", "==", "baseline"),
                                                              ("centre", "==", centre)])
        calendar = centres[centre][1]
        return monthly_indicators(dossiers.assign(option=centre), calendar.start,
                                  indicator_text.run_end(calendar))

    expected = indicator_text._rows(pd.concat([whole_folder(c) for c in sorted(centres)],
                                              ignore_index=True), lambda c: c, t)
    assert {row["month"] for row in expected if row["option"] == "103"} == {
        t.month(dt.date(2025, 7, 1)), t.month(dt.date(2025, 8, 1))}
    for chunk in (1, 10**6):
        monkeypatch.setattr(stream, "CHUNK_BATCHES", chunk)
        assert province_indicator_rows(out, centres, "baseline", t) == expected, chunk


def test_centres_take_their_own_changes() -> None:
    province = load_province(PROVINCE)
    assert province.scenarios["102"].baseline.arrivals.per_day == 130
    assert province.scenarios["103"].baseline.arrivals.per_day == 60  # the template's
    assert province.scenarios["104"].options["baseline"].desks["general"].counters == 3


def test_results_are_identical_for_any_number_of_workers(sequential: Path,
                                                         tmp_path: Path) -> None:
    run_cli("--out", str(tmp_path / "parallel"), "--visits", "all", "--jobs", "2")
    for name in ("summary.csv", "replications.csv", "province.csv"):
        assert (sequential / name).read_bytes() == (tmp_path / "parallel" / name).read_bytes()
    for name in ("visits", "daily"):
        columns = ["option", "centre", "replication"]
        first, second = (pd.read_parquet(folder / name).sort_values(columns, kind="stable")
                         .reset_index(drop=True) for folder in (sequential, tmp_path / "parallel"))
        pd.testing.assert_frame_equal(first, second, check_exact=True, check_categorical=False)


def test_visits_modes(tmp_path: Path) -> None:
    run_cli("--out", str(tmp_path / "none"), "--visits", "none")
    assert not (tmp_path / "none" / "visits").exists()
    run_cli("--out", str(tmp_path / "sample"), "--visits", "sample")
    assert set(pd.read_parquet(tmp_path / "sample" / "visits")["replication"]) == {0}


def _stop_after_five_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C once five batches are done, each one option of one centre in its 3
    replications (monkeypatch.undo() lets the rest run)."""
    original = unit_module.write_batch
    calls = {"count": 0}

    def stop_after_five(*args: object) -> object:
        if calls["count"] == 5:
            raise KeyboardInterrupt
        calls["count"] += 1
        return original(*args)

    monkeypatch.setattr(unit_module, "write_batch", stop_after_five)


def test_interrupted_run_resumes_where_it_stopped(sequential: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop after 5 batches of 3 units (Ctrl-C), then --resume: only the rest runs, and the
    results are those of an uninterrupted run; nothing is published before the end."""
    out = tmp_path / "out"
    _stop_after_five_batches(monkeypatch)
    province = load_province(PROVINCE)
    with pytest.raises(KeyboardInterrupt):
        run_province(province, 3, 8, out, Execution(), "all")
    assert not out.exists(), "nothing half-written is published"
    monkeypatch.undo()
    done = run_province(province, 3, 8, out, Execution(), "all", resume=True)
    assert (done.resumed, done.repaired) == (15, 0)
    for name in ("summary.csv", "replications.csv"):
        assert (out / name).read_bytes() == (sequential / name).read_bytes()


def test_resume_runs_again_the_units_whose_parts_were_damaged(
        sequential: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A truncated metrics part, a truncated daily part, a missing visits part, an unreadable
    index entry and one that lists no parts, of an interrupted run: --resume runs those five
    batches (15 units) again, says so, and publishes the results of an uninterrupted run, with
    no damaged or stray part in it."""
    out = tmp_path / "out"
    _stop_after_five_batches(monkeypatch)
    interrupted = _invoke_run("--out", str(out), "--visits", "all")
    assert interrupted.exit_code == 130, interrupted.output
    staging = tmp_path / ".out.partial"
    metrics, daily, entries, visits = (sorted((staging / name).iterdir())
                                       for name in ("metrics", "daily", "index", "visits"))
    _truncate(metrics[0])
    _truncate(daily[1])
    entries[2].write_text("{", encoding="utf-8")
    visits[3].unlink()
    entries[4].write_text("{}", encoding="utf-8")
    (staging / "daily" / ".0001_102-baseline-0000.tmp").write_bytes(b"PAR1")  # a killed write
    monkeypatch.undo()
    resumed = _invoke_run("--out", str(out), "--visits", "all", "--resume")
    assert resumed.exit_code == 0, resumed.output + repr(resumed.exception)
    assert "re-ran 15 units whose parts were damaged" in resumed.output
    for name in ("summary.csv", "replications.csv", "province.csv"):
        assert (out / name).read_bytes() == (sequential / name).read_bytes(), name
    for name in ("visits", "intervals", "dossiers", "daily"):
        assert _names(out / name) == _names(sequential / name), name
        pd.testing.assert_frame_equal(pd.read_parquet(out / name),
                                      pd.read_parquet(sequential / name), check_exact=True)
    assert not staging.exists()


def _invoke_run(*args: str) -> Result:
    return CliRunner().invoke(main, ["province", "run", str(PROVINCE), "-n", "3", "--seed", "8",
                                     "-q", *args])


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_resume_of_a_run_whose_plan_is_damaged_is_refused(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(unit_module, "write_batch", _interrupt)
    assert _invoke_run("--out", str(out)).exit_code == 130
    monkeypatch.undo()
    (tmp_path / ".out.partial" / "plan.json").write_text('{"root_seed": 8', encoding="utf-8")
    result = _invoke_run("--out", str(out), "--resume")
    assert result.exit_code == 2, result.output
    assert "plan.json is damaged (not a JSON object); run without --resume" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_resume_of_a_different_run_is_refused(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    province = load_province(PROVINCE)
    monkeypatch.setattr(unit_module, "write_batch", _interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_province(province, 3, 8, out, Execution(), "all")
    monkeypatch.undo()
    with pytest.raises(ResumeError, match="root_seed"):
        run_province(province, 3, 9, out, Execution(), "all", resume=True)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def test_resume_of_a_finished_run_does_nothing(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    run_cli("--out", str(out))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    monkeypatch.setattr(unit_module, "write_batch", _interrupt)  # no unit may run again
    result = CliRunner().invoke(main, ["province", "run", str(PROVINCE), "-n", "3", "--seed",
                                       "8", "--out", str(out), "--resume"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "nothing to do: every unit is done" in result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    with pytest.raises(ResumeError, match=r"finished run .* differs in root_seed"):
        run_province(load_province(PROVINCE), 3, 9, out, Execution(), resume=True)


def test_ranking_puts_the_busiest_centre_first(sequential: Path) -> None:
    ranking = pd.read_csv(sequential / "province.csv", dtype={"centre": str})
    baseline = ranking[ranking["option"] == "baseline"]
    first = baseline.loc[baseline["rank"] == 1, "centre"].unique()
    assert list(first) == ["102"], "the centre with 130 visitors on 2 counters misses most"
    assert set(baseline["metric"]) == {"wait_p90", "on_time_share"}
    assert sorted(baseline.drop_duplicates("centre")["rank"]) == [1, 2, 3, 4]
    figure = sequential / "figures" / "province_map_baseline.png"
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (sequential / "report.html").read_text(encoding="utf-8")
    assert "Phường Hai" in page and "data:image/png;base64," in page


def _option_table(page: str) -> list[list[str]]:
    """The rows of the page's table of options (name and four counts), as text."""
    start = page.index("Các phương án bố trí nhân lực trên mọi trung tâm")
    table = page[start:page.index("</table>", start)]
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in table.split("<tr>")[2:]]


def test_the_page_counts_the_centres_each_option_leaves_short(sequential: Path,
                                                              tmp_path: Path) -> None:
    """Each option's centres that meet every target, miss one, or are unclear only, as
    province.csv has them, in the province's order of options, named by their labels; and
    the same when `sim report` writes the page again from the folder."""
    ranking = pd.read_csv(sequential / "province.csv", dtype={"centre": str})
    centres = ranking.drop_duplicates(["option", "centre"])
    expected = []
    for option, label in (("baseline", "Giữ nguyên như hiện nay"),
                          ("one_more_counter", "Thêm một quầy")):
        mine = centres[centres["option"] == option]
        missing = int((mine["missed"] > 0).sum())
        unclear = int(((mine["missed"] == 0) & (mine["unclear"] > 0)).sum())
        expected.append([label, str(len(mine) - missing - unclear), str(missing), str(unclear),
                         f"{mine['missed'].mean():.2f}".replace(".", ",")])
    page = (sequential / "report.html").read_text(encoding="utf-8")
    assert _option_table(page) == expected
    missing, unclear = expected[0][2:4]
    assert int(missing) + int(unclear) > 0, "the fixture's busiest centre misses a target"
    assert (f"Chưa đạt rõ ràng ít nhất một chỉ tiêu: {missing}; chưa rõ: {unclear} "
            "(khoảng tin cậy") in page, "the summary splits the centres as the table does"
    folder = shutil.copytree(sequential, tmp_path / "copy")  # the fixture's folder stays as is
    result = CliRunner().invoke(main, ["report", str(folder), "--lang", "vi"])
    assert result.exit_code == 0, result.output
    assert _option_table((folder / "report.vi.html").read_text(encoding="utf-8")) == expected
    read = load_province_results(folder).ranking["option"]
    assert list(read.cat.categories) == ["baseline", "one_more_counter"], "the file's order"


def test_a_ranking_of_few_replications_carries_a_caution(sequential: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    """The fixture's 3 replications are too few to act on the order of the centres: the page
    says so in its language, as does the terminal's ranking; from 10 on, neither does."""
    page = (sequential / "report.html").read_text(encoding="utf-8")
    assert "Mỗi trung tâm mới chỉ có 3 lần mô phỏng" in page
    folder = shutil.copytree(sequential, tmp_path / "copy")
    assert CliRunner().invoke(main, ["report", str(folder), "--lang", "en"]).exit_code == 0
    english = (folder / "report.en.html").read_text(encoding="utf-8")
    assert "With only 3 replications per centre" in english and "at least 10" in english
    ranking = pd.read_csv(sequential / "province.csv", dtype={"centre": str})
    print_ranking(ranking, "Test", "en", replications=3)
    printed = capsys.readouterr().out
    assert "With only 3 replications per centre" in printed
    assert "Test: centres furthest from their targets (Current staffing)" in printed
    print_ranking(ranking, "Test", "en", replications=FEW_REPLICATIONS)
    assert "With only" not in capsys.readouterr().out
    assert ranking_caution(translator("vi"), FEW_REPLICATIONS) == ""
    assert "chưa có khoảng tin cậy" in ranking_caution(translator("vi"), 1), (
        "one replication has no interval at all: not 'the intervals are wide'")


def test_the_page_gives_the_template_s_assumptions_and_the_range_of_demand(
        sequential: Path) -> None:
    """A leader reads the period and hours the centres share, and how many people they get:
    the fixture's centres get 40 to 130 visitors an ordinary day."""
    page = (sequential / "report.html").read_text(encoding="utf-8")
    start = page.index("Giả định của kịch bản mẫu cho các trung tâm")
    section = page[start:page.index("</dl>", start)]
    assert "từ 40 đến 130 người trong một ngày bình thường, tuỳ trung tâm" in section
    assert "Thời gian" in section and "Giờ làm việc" in section
    counters = re.search(r"<dt>Quầy</dt><dd>(.*?)</dd>", section).group(1)
    assert counters == "khác nhau giữa các trung tâm", "centre 104 has 3 counters, the others 2"
    assert "tháng đầu và tháng cuối chỉ tính những ngày trong khoảng này" in page, (
        "the months of the indicators say which days they hold")


def test_the_shared_assumptions_are_every_centre_s_in_any_order() -> None:
    """A row only some centres have (a back office, a guidance team) says it differs, in
    whichever order the centres come; one demand for all is said once, not as a range."""
    en = translator("en")
    demo = sim.load_scenario(ROOT / "scenarios" / "demo.yaml").baseline
    highland = sim.load_scenario(ROOT / "scenarios" / "centres" / "highland_commune.yaml").baseline
    one_way, other_way = shared_rows(en, [demo, highland]), shared_rows(en, [highland, demo])
    assert dict(one_way) == dict(other_way)
    assert dict(one_way)["Back office"] == "differs from centre to centre"
    assert dict(one_way)["Demand"] == ("14 to 300 visitors on an ordinary day, by centre "
                                       "(median 157); surges differ from centre to centre")
    alone = dict(shared_rows(en, [demo, demo]))["Demand"]
    assert alone.startswith("300 visitors on an ordinary day; surge ×1.2"), alone


def test_the_furthest_centres_list_missed_and_unclear_targets_apart(sequential: Path) -> None:
    """Each row names its missed targets in the missed column and its unclear ones in the
    unclear column, each after its count, as province.csv has them: the two are told apart
    by where they stand, not by colour alone."""
    page = (sequential / "report.html").read_text(encoding="utf-8")
    start = page.index("Các trung tâm xa chỉ tiêu nhất")
    table = page[start:page.index("</table>", start)]
    ranking = pd.read_csv(sequential / "province.csv", dtype={"centre": str})
    baseline = ranking[ranking["option"] == "baseline"]
    rows = table.split("<tr>")[2:]
    assert rows, "the fixture has centres short of a target"
    for row in rows:
        centre = re.search(r"\(([^)]+)\)</td>", row).group(1)
        cells = re.findall(r"<td>(<b>.*?)</td>", row, flags=re.S)
        assert len(cells) == 2, row
        mine = baseline[baseline["centre"] == centre]
        for cell, verdict, css in zip(cells, ("no", "unclear"), ("no", "unclear"), strict=True):
            count = int(re.match(r"<b>(\d+)</b>", cell).group(1))
            classes = re.findall(r'<span class="([^"]+)">', cell)
            assert count == int((mine["meets_target"] == verdict).sum()) == len(classes), row
            assert set(classes) <= {css}, row


def test_the_options_table_follows_the_province_s_order_of_options() -> None:
    ranking = pd.DataFrame({
        "option": pd.Categorical(["zeta", "baseline", "alpha"] * 2,
                                 categories=["baseline", "zeta", "alpha"]),
        "centre": ["1"] * 3 + ["2"] * 3, "missed": [1, 0, 0, 2, 0, 1],
        "unclear": [0, 1, 0, 0, 0, 0]})
    rows = option_rows(ranking, "en", None)
    assert [(r["option"], r["meeting"], r["missing"], r["unclear"]) for r in rows] == [
        ("Current staffing", "1", "0", "1"), ("zeta", "0", "2", "0"), ("alpha", "1", "1", "0")]
    # baseline and alpha each have one centre meeting every target; the baseline misses none
    # clearly, alpha one: no option does better than today.
    assert best_option_words(ranking, "en", None) == (
        "No option does better across the centres than Current staffing, by the targets alone.")
    better = ranking.assign(missed=[1, 1, 0, 0, 1, 0], unclear=[0, 0, 0, 0, 0, 0])
    assert best_option_words(better, "en", None) == (
        "By the targets alone (not their cost), alpha does best across the centres: 2 centres "
        "meet every target, against 0 with Current staffing.")
    assert best_option_words(ranking[ranking["option"] == "baseline"], "en", None) == ""
    # Read back as plain text (no categories), an option that sorts before "baseline" is not
    # taken for it: the first rows' option is the baseline, as the ranking writes it.
    plain = pd.DataFrame({"option": ["baseline", "baseline", "add_counter", "add_counter"],
                          "centre": ["1", "2", "1", "2"], "missed": [1, 1, 0, 1],
                          "unclear": [0, 0, 0, 0]})
    assert best_option_words(plain, "en", None) == (
        "By the targets alone (not their cost), add_counter does best across the centres: 1 "
        "centre meets every target, against 0 with Current staffing.")
    fewer = plain.assign(missed=[1, 1, 0, 0], unclear=[0, 0, 1, 1])
    assert "as many meet every target as with Current staffing, and 0 centres miss one " \
        "clearly, against 2" in best_option_words(fewer, "en", None), "the deciding count"


def test_bad_centre_change_names_the_centre(tmp_path: Path) -> None:
    broken = tmp_path / "province.yaml"
    shutil.copy(FIXTURES / "centre_template.yaml", tmp_path)
    broken.write_text(PROVINCE.read_text(encoding="utf-8").replace(
        "desks.general.counters: 3", "desks.general.counter: 3"), encoding="utf-8")
    result = CliRunner().invoke(main, ["province", "run", str(broken), "-q",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "centres[3] (104)" in result.output and "desks.general.counter" in result.output
    assert not (tmp_path / "out").exists()


def test_centre_ids_that_differ_only_in_punctuation_or_case_keep_their_results(
        tmp_path: Path) -> None:
    """Part file names are unique per centre, whatever its id: no centre's parts overwrite
    another's."""
    ids = ["a-1", "a_1", "a.1", "A-1"]
    shutil.copy(FIXTURES / "centre_template.yaml", tmp_path)
    province = tmp_path / "province.yaml"
    province.write_text("name: collisions\ntemplate: centre_template.yaml\ncentres:\n" + "".join(
        f'  - {{id: "{centre}", name: "centre {centre}"}}\n' for centre in ids), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["province", "run", str(province), "-n", "2", "-q",
                                       "--visits", "all", "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    parts = len(ids) * 2  # centres x options: a part holds a centre's replications
    for name in ("visits", "intervals", "dossiers", "daily"):
        assert len(list((out / name).iterdir())) == parts, name
        frame = pd.read_parquet(out / name)
        counts = frame.groupby("centre", observed=True)["replication"].nunique()
        assert counts.to_dict() == dict.fromkeys(ids, 2), name
    summary = pd.read_csv(out / "summary.csv")
    assert sorted(summary["centre"].unique()) == sorted(ids)


def test_a_repeated_centre_id_is_refused_naming_both_centres(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "centre_template.yaml", tmp_path)
    broken = tmp_path / "province.yaml"
    broken.write_text(PROVINCE.read_text(encoding="utf-8").replace('id: "103"', 'id: "101"'),
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(broken)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {broken}: centres[2].id: got '101'; allowed: an id no other centre has; "
        "centres[0] (Xã Một) has it too")


def test_a_misspelt_centres_key_gets_one_problem_that_suggests_it(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "centre_template.yaml", tmp_path)
    broken = tmp_path / "province.yaml"
    text = PROVINCE.read_text(encoding="utf-8")
    assert text.count("\ncentres:") == 1
    broken.write_text(text.replace("\ncentres:", "\ncenters:"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(broken)])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"Error: {broken}: centers: got 'centers'; allowed: one of the known keys: name, "
        "label, province, template, centres, options; did you mean 'centres'?")


def test_check_of_a_province_file_checks_the_province() -> None:
    result = CliRunner().invoke(main, ["check", str(PROVINCE), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "4 centres; options: Current staffing, One more counter" in result.output
    assert all(f"{centre} " in result.output for centre in CENTRES)
    assert ("warning: centre 102 (Phường Hai), General counters: offered load 1.50 (1 or more) "
            "on July 1, 2025") in result.output
    assert result.output.rstrip().endswith(f"{PROVINCE}: valid (every option of every centre)")


def test_check_of_a_broken_province_file_names_the_centre(tmp_path: Path) -> None:
    broken = tmp_path / "province.yaml"
    shutil.copy(FIXTURES / "centre_template.yaml", tmp_path)
    broken.write_text(PROVINCE.read_text(encoding="utf-8").replace(
        "desks.general.counters: 3", "desks.general.counters: 0"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(broken)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1, result.output
    assert "centres[3] (104): desks.general.counters: got 0" in result.output


def test_a_province_asking_for_too_much_work_is_refused_before_anything_runs(
        tmp_path: Path) -> None:
    shutil.copy(PROVINCE, tmp_path)
    template = (FIXTURES / "centre_template.yaml").read_text(encoding="utf-8")
    (tmp_path / "centre_template.yaml").write_text(  # the most the ranges allow
        template.replace("per_day: 60", "per_day: 100000").replace("working_days: 3",
                                                                 "working_days: 2000"),
        encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["province", "run", str(tmp_path / "province.yaml"),
                                       "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "--max-work" in result.output and "of memory" in result.output
    assert _names(tmp_path) == ["centre_template.yaml", "province.yaml"], "nothing written"


def test_max_work_bounds_the_largest_unit_only(tmp_path: Path) -> None:
    """Parts are streamed to disk: a limit above the largest unit runs the province, however
    many units it has; a limit below the largest unit is refused."""
    province = load_province(PROVINCE)
    estimate = estimate_work([scenario for centre in province.scenarios.values()
                              for scenario in centre.options.values()], 1)
    assert estimate.items > 2 * estimate.largest_run
    args = ["-n", "1", "--out", str(tmp_path / "out")]
    refused = _invoke_run(*args, "--max-work", str(estimate.largest_run * 0.9))
    assert refused.exit_code == 2 and "above the limit" in refused.output
    assert "fewer replications" not in refused.output, "they would not make a unit smaller"
    assert not (tmp_path / "out").exists() and not (tmp_path / ".out.partial").exists()
    allowed = _invoke_run(*args, "--max-work", str(estimate.largest_run * 1.1))
    assert allowed.exit_code == 0, allowed.output


def test_allocation_sends_staff_where_waiting_falls_most() -> None:
    steps, _ = allocate(load_province(PROVINCE), extra_staff=2, replications=4, seed=3)
    assert steps[0].centre == "102", "the busiest centre gains most from one more counter"
    assert steps[0].gain_ci_low > 0, "the gain is a paired difference clear of zero"
    assert [s.step for s in steps] == [1, 2]


def test_province_on_a_dask_cluster_gives_identical_results(sequential: Path,
                                                            tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster:
        run_cli("--out", str(tmp_path / "dask"), "--visits", "all", "--scheduler",
                cluster.scheduler_address)
    for name in ("summary.csv", "replications.csv", "province.csv"):
        assert (sequential / name).read_bytes() == (tmp_path / "dask" / name).read_bytes()


@pytest.mark.parametrize("command", [["province", "run"], ["country", "run"], ["allocate"]])
def test_a_scenario_file_given_for_centres_is_refused_as_what_it_is(command: list[str]) -> None:
    scenario = FIXTURES / "centre_template.yaml"
    extra = ["-k", "1"] if command == ["allocate"] else []
    result = CliRunner().invoke(main, [*command, str(scenario), *extra])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "got 'a scenario file (one centre)'; allowed: a province file" in result.output
    assert "problems" not in result.output, "one message, not one per scenario key"


def test_a_broken_province_file_with_a_scenario_s_key_is_not_called_a_scenario(
        tmp_path: Path) -> None:
    broken = tmp_path / "p.yaml"
    broken.write_text("name: Tỉnh\ndescription: a province file, half written\n",
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["province", "run", str(broken)])
    assert result.exit_code == 2 and "a scenario file" not in result.output
    assert "template: got nothing; allowed: this field is required" in result.output


def test_the_baseline_leads_the_ranking_whatever_the_options_are_called(
        tmp_path: Path) -> None:
    """Readers take the first rows' option as the baseline: an option whose id sorts before
    `baseline` must not take its place on the page, in the map or in province.csv."""
    for name in ("province.yaml", "centre_template.yaml"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("one_more_counter", "another_counter"),
                                     encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["province", "run", str(tmp_path / "province.yaml"),
                                       "-n", "2", "-q", "--out", str(out)])
    assert result.exit_code == 0, result.output
    ranking = pd.read_csv(out / "province.csv", dtype={"centre": str})
    assert list(dict.fromkeys(ranking["option"])) == ["baseline", "another_counter"]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Centres furthest from their targets" not in page  # the page is in Vietnamese
    assert "Các trung tâm xa chỉ tiêu nhất: Giữ nguyên như hiện nay" in page
    assert [row[0] for row in _option_table(page)] == ["Giữ nguyên như hiện nay", "Thêm một quầy"]
