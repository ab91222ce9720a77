"""The figures: what each one draws (lines per option, target lines, heat-map shape, bands)
against the result frames, and the files `ResultPlots.save_all` writes. The numbers behind them
are tested without drawing in tests/test_figure_data.py.

Two small runs are made once per module: tests/fixtures/tiny.yaml (no back office, a waiting
target of 10 minutes) and tests/fixtures/office.yaml (a back office, a transferred backlog, a
warm-up day and targets).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from PIL import Image

import sim
from sim.experiment.runner import Results
from sim.output.figures.backlog import backlog_burndown
from sim.output.figures.counters import queue_through_day, utilisation_heatmap
from sim.output.figures.options import options_side_by_side
from sim.output.figures.style import save_figure
from sim.output.figures.text import figure_text
from sim.output.figures.waits import waits, waits_by_time_of_day
from sim.output.plots import ResultPlots
from sim.output.translations import LANGUAGES

ROOT = Path(__file__).parent.parent
TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
OFFICE = Path(__file__).parent / "fixtures" / "office.yaml"
TINY_OPTIONS = ["baseline", "extra_general", "longer_sessions"]
OFFICE_OPTIONS = ["baseline", "more_staff"]
# The options' names in the legends: the test scenarios give no labels, so they are numbered.
BASE = "Current staffing"
TINY_NAMES = [BASE, "Option 1", "Option 2"]
OFFICE_NAMES = [BASE, "Option 1"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tiny() -> Results:
    return sim.run(TINY, replications=2, seed=7)


@pytest.fixture(scope="module")
def office() -> Results:
    return sim.run(OFFICE, replications=3, seed=7)


def lines_by_label(ax) -> dict[str, object]:
    return {line.get_label(): line for line in ax.get_lines()}


def counted_waits(results: Results, option: str) -> np.ndarray:
    visits = results.visits
    warmup = results.scenarios.options[option].warmup_minutes
    mine = visits[(visits["option"] == option) & (visits["arrival"] >= warmup)]
    return mine["wait"].to_numpy()


def every_text(figure: Figure) -> list[str]:
    return [text.get_text() for text in figure.findobj(lambda a: hasattr(a, "get_text"))]


# --- waits -----------------------------------------------------------------------------------
def test_waits_has_one_ecdf_per_option_and_the_target_line(tiny: Results) -> None:
    figure = waits(tiny)
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    lines = lines_by_label(ax)
    assert [name for name in lines if name in TINY_NAMES] == TINY_NAMES
    targets = [line for line in ax.get_lines() if line.get_gid() == "target"]
    assert [float(line.get_xdata()[0]) for line in targets] == [10.0]  # within 10 min
    point = next(line for line in ax.get_lines() if line.get_gid() == "target_point")
    assert (float(point.get_xdata()[0]), float(point.get_ydata()[0])) == (10.0, 0.8)
    assert point.get_label() == "Target: 80% served within 10 min"
    assert ax.get_xlabel() == "Wait (minutes)"
    assert figure.get_suptitle() == "How long citizens wait at the counters"


def test_waits_ecdf_is_the_share_waiting_at_most_x(tiny: Results) -> None:
    line = lines_by_label(waits(tiny).axes[0])["Option 1"]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    counted = counted_waits(tiny, "extra_general")
    for index in (0, len(x) // 3, len(x) - 1):
        assert y[index] == pytest.approx((counted <= x[index]).mean())
    assert (np.diff(y) >= 0).all() and y[-1] <= 1


def test_waits_count_only_visits_after_the_warm_up(office: Results) -> None:
    ax = waits(office).axes[0]
    line = lines_by_label(ax)[BASE]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    counted = counted_waits(office, "baseline")
    assert len(counted) < (office.visits["option"] == "baseline").sum()
    assert y[len(x) // 2] == pytest.approx((counted <= x[len(x) // 2]).mean())
    targets = [float(line.get_xdata()[0]) for line in ax.get_lines()
               if line.get_gid() == "target"]
    assert targets == [20.0, 12.0]  # wait_p90, then within_target_share


# --- waits by time of day ----------------------------------------------------------------------
def test_waits_by_time_of_day_match_the_visits(tiny: Results) -> None:
    figure = waits_by_time_of_day(tiny)
    top, bottom = figure.axes
    assert top.get_ylabel() == "Mean wait (min)"
    assert bottom.get_ylabel() == "90th-percentile wait (min)"
    assert list(lines_by_label(top)) == TINY_NAMES == list(lines_by_label(bottom))
    visits = tiny.visits[tiny.visits["option"] == "baseline"]
    clock = visits["arrival"] % 1440
    in_slot = visits[(clock >= 8 * 60) & (clock < 8 * 60 + 30)]["wait"]
    for ax, expected in ((top, in_slot.mean()), (bottom, in_slot.quantile(0.9))):
        line = lines_by_label(ax)[BASE]
        x = np.asarray(line.get_xdata())
        assert np.asarray(line.get_ydata())[x == 8 * 60 + 15][0] == pytest.approx(expected)
    assert bottom.xaxis.get_major_formatter()(7 * 60 + 30) == "07:30"


def test_lunch_break_is_a_gap_not_a_line(tiny: Results) -> None:
    line = lines_by_label(waits_by_time_of_day(tiny).axes[0])[BASE]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    assert np.isnan(y[x == 12 * 60 + 15]).all() and (x == 12 * 60 + 15).any()


# --- queue through the day ---------------------------------------------------------------------
def test_queue_through_day_is_the_median_day_with_a_band(tiny: Results) -> None:
    figure = queue_through_day(tiny)
    ax = figure.axes[0]
    lines = lines_by_label(ax)
    assert list(lines) == TINY_NAMES
    assert len([c for c in ax.collections if isinstance(c, PolyCollection)]) == len(TINY_OPTIONS)
    intervals = tiny.intervals[(tiny.intervals["option"] == "baseline")
                               & (tiny.intervals["time"] == "09:00")]
    centre = intervals.groupby(["replication", "day"])["queue_mean"].sum()
    expected = centre.groupby("replication").median().median()
    line = lines[BASE]
    x = np.asarray(line.get_xdata())
    assert np.asarray(line.get_ydata())[x == 9 * 60 + 15][0] == pytest.approx(expected)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend[-2:] == ["median day", "10\u201390% of replications"]
    handles = dict(zip(legend, ax.get_legend().legend_handles, strict=True))
    key, base = (np.array(to_rgb(handles[name].get_color())) for name in ("median day", BASE))
    assert np.abs(key - base).max() > 0.3, (
        "the key to the line style does not look like the current staffing's line")


# --- utilisation heat map ------------------------------------------------------------------------
def test_heatmap_is_desks_by_half_hours_of_the_baseline(tiny: Results) -> None:
    figure = utilisation_heatmap(tiny)
    ax = figure.axes[0]
    grid = ax.images[0].get_array()
    assert grid.shape == (2, 19)  # general and land, 07:30 to 17:00
    assert [label.get_text() for label in ax.get_yticklabels()] == [
        "Desk for Chứng thực bản sao từ bản chính", "Desk for Đất đai"]
    ticks = [label.get_text() for label in ax.get_xticklabels()]
    assert ticks[0] == "07:30" and ticks[-1] == "16:30"
    assert grid.mask[:, ticks.index("12:00")].all()  # closed for lunch
    assert grid.min() >= 0 and grid.max() <= 1
    assert BASE in figure.get_suptitle()


def test_heatmap_cell_is_busy_over_open_counter_minutes(tiny: Results) -> None:
    ax = utilisation_heatmap(tiny, option="extra_general").axes[0]
    ticks = [label.get_text() for label in ax.get_xticklabels()]
    rows = tiny.intervals[(tiny.intervals["option"] == "extra_general")
                          & (tiny.intervals["desk"] == "general")
                          & (tiny.intervals["time"] == "10:00")]
    expected = rows["busy_mean"].sum() / np.maximum(rows["busy_mean"], rows["open_mean"]).sum()
    assert ax.images[0].get_array()[0, ticks.index("10:00")] == pytest.approx(expected)


def test_heatmap_of_an_option_with_longer_sessions_is_wider(tiny: Results) -> None:
    grid = utilisation_heatmap(tiny, option="longer_sessions").axes[0].images[0]
    assert grid.get_array().shape == (2, 21)  # 07:00 to 17:30
    with pytest.raises(ValueError, match="no option 'nope'"):
        utilisation_heatmap(tiny, option="nope")


# --- backlog burn-down ---------------------------------------------------------------------------
def test_no_burndown_without_a_back_office(tiny: Results) -> None:
    assert tiny.dossiers.empty
    assert backlog_burndown(tiny) is None
    assert ResultPlots(tiny).backlog() is None


def test_burndown_shows_open_transferred_and_overdue_dossiers(office: Results) -> None:
    figure = backlog_burndown(office)
    assert isinstance(figure, Figure)
    top, bottom = figure.axes
    assert (top.get_ylabel(), bottom.get_ylabel()) == ("Open dossiers", "Overdue dossiers")
    assert [line.get_label() for line in top.get_lines()
            if line.get_gid() != "transferred"] == OFFICE_NAMES
    assert len([line for line in top.get_lines() if line.get_gid() == "transferred"]) == 2
    overdue = lines_by_label(bottom)[BASE]
    assert overdue.get_linestyle() == "--"
    target = next(line for line in bottom.get_lines() if line.get_gid() == "target")
    assert float(target.get_ydata()[0]) == 5.0
    last_day = pd.Timestamp(office.daily["date"].max())
    assert [pd.Timestamp(x) for x in target.get_xdata()] == [last_day], (
        "the target judges the end of the period: one mark on its last day, not a line")
    daily = office.daily[office.daily["option"] == "baseline"]
    expected = daily.groupby("date")["open_dossiers"].mean().to_numpy()
    assert np.asarray(lines_by_label(top)[BASE].get_ydata()) == pytest.approx(expected)
    assert len([c for c in top.collections if isinstance(c, PolyCollection)]) == 2
    assert bottom.xaxis.get_major_formatter()(date2num(pd.Timestamp("2025-07-03"))) == "03/07"


# --- options side by side ------------------------------------------------------------------------
def test_options_side_by_side_shows_the_summary_with_intervals(tiny: Results) -> None:
    figure = options_side_by_side(tiny)
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == ["Mean wait (min)", "90th-percentile wait (min)", "Served within 10 min",
                      "Gave up waiting"]
    summary = tiny.summary.set_index(["metric", "option"])
    for ax, metric in zip(figure.axes, ["wait_mean", "wait_p90", "within_target_share",
                                        "abandoned_share"], strict=True):
        widths = [patch.get_width() for patch in ax.patches]
        expected = [summary.loc[(metric, option), "mean"] for option in TINY_OPTIONS]
        assert widths == pytest.approx(expected)
        assert len(ax.collections) == 1  # the error bars
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert labels == TINY_NAMES
    share_target = [float(line.get_xdata()[0]) for line in figure.axes[2].get_lines()
                    if line.get_gid() == "target"]
    assert share_target == [0.8]


def test_options_side_by_side_adds_the_back_office_metrics(office: Results) -> None:
    figure = options_side_by_side(office)
    titles = [ax.get_title().replace("\n", " ") for ax in figure.axes]  # long ones wrap
    assert titles[-2:] == ["Dossiers done on time", "Dossiers overdue at the end"]
    targets = {title: [float(line.get_xdata()[0]) for line in ax.get_lines()
                       if line.get_gid() == "target"]
               for title, ax in zip(titles, figure.axes, strict=True)}
    assert targets["Dossiers overdue at the end"] == [5.0]
    assert targets["90th-percentile wait (min)"] == [20.0]
    assert targets["Mean wait (min)"] == []


def test_options_side_by_side_takes_chosen_metrics(tiny: Results) -> None:
    figure = options_side_by_side(tiny, metrics=["utilisation"])
    assert [ax.get_title() for ax in figure.axes] == ["Counter utilisation"]
    with pytest.raises(ValueError, match="no metric 'on_time_share'"):
        options_side_by_side(tiny, metrics=["on_time_share"])


# --- languages -----------------------------------------------------------------------------------
def test_every_language_has_every_label() -> None:
    """Each text of the figures in each language, with the placeholders of the English one."""
    english = figure_text("en")
    for lang in LANGUAGES:
        text = figure_text(lang)
        assert set(text) == set(english)
        for key, words in english.items():
            assert re.findall(r"{\w+}", words) == re.findall(r"{\w+}", text[key]), (lang, key)


def test_every_figure_has_a_caption_for_the_report(office: Results) -> None:
    """The report captions each figure by its file name; none may fall back to the name."""
    names = list(ResultPlots(office).figures())
    assert len(names) == 6
    for lang in LANGUAGES:
        text = figure_text(lang)
        assert [text.get(f"caption.{name}", name) != name for name in names] == [
            True] * len(names), lang


def test_labels_translate_and_rename_options(tiny: Results) -> None:
    figure = waits(tiny, labels="vi")
    assert figure.axes[0].get_xlabel() == "Thời gian chờ (phút)"
    renamed = waits(tiny, labels={"option.baseline": "Hiện trạng"})
    assert "Hiện trạng" in lines_by_label(renamed.axes[0])
    assert renamed.axes[0].get_xlabel() == "Wait (minutes)"  # the rest stays English
    with pytest.raises(ValueError, match="no labels for language 'fr'"):
        waits(tiny, labels="fr")


def test_every_figure_says_what_it_shows(office: Results) -> None:
    """A title, labelled axes and the run's context on every figure, in both languages."""
    for lang in LANGUAGES:
        for name, figure in ResultPlots(office, lang=lang).figures().items():
            assert figure.get_suptitle(), name
            assert office.scenarios.baseline.name in " ".join(every_text(figure)), name
            for ax in figure.axes:
                if ax.get_label() == "<colorbar>":
                    continue
                assert ax.get_ylabel() or ax.get_title() or ax.get_yticklabels(), name
            assert any(ax.get_xlabel() for ax in figure.axes) or name == "options_side_by_side"


# --- ResultPlots and files ---------------------------------------------------------------------
def test_result_plots_methods_return_figures(office: Results) -> None:
    plot = ResultPlots(office)
    for figure in (plot.waits(), plot.by_time_of_day(), plot.queue(), plot.utilisation(),
                   plot.utilisation(option="more_staff"), plot.backlog(), plot.options(),
                   plot.options(metrics=["wait_mean"])):
        assert isinstance(figure, Figure)
    assert plot.waits(lang="vi").axes[0].get_ylabel() == "Tỷ lệ lượt đến"
    with pytest.raises(ValueError):
        ResultPlots(office, lang="xx")


def test_save_all_writes_png_and_svg(tiny: Results, tmp_path: Path) -> None:
    written = ResultPlots(tiny).save_all(tmp_path / "figures")
    names = ["waits", "waits_by_time_of_day", "queue_through_day", "utilisation_heatmap",
             "options_side_by_side"]  # no back office: no burn-down
    assert written == [tmp_path / "figures" / f"{name}.{ext}" for name in names
                       for ext in ("png", "svg")]
    for path in written:
        data = path.read_bytes()
        assert len(data) > 1000, path
        if path.suffix == ".png":
            assert data.startswith(PNG_MAGIC)
        else:
            assert data.startswith(b"<?xml") and b"<svg" in data[:500]
            assert "Tiny test centre \u00b7 replications: 2 \u00b7 seed 7" in data.decode("utf-8")
    heatmap = (tmp_path / "figures" / "utilisation_heatmap.svg").read_text(encoding="utf-8")
    assert "Counter utilisation by desk and half-hour" in heatmap


def test_saved_png_is_120_dpi_at_the_figure_size(tiny: Results, tmp_path: Path) -> None:
    path = save_figure(waits(tiny), tmp_path / "waits.png")
    with Image.open(path) as image:
        assert image.size == (960, 540)  # 8 x 4.5 inches at 120 dpi


def test_save_all_in_vietnamese_with_burndown(office: Results, tmp_path: Path) -> None:
    written = ResultPlots(office).save_all(tmp_path, formats=["svg"], lang="vi")
    assert [path.name for path in written] == [
        "waits.svg", "waits_by_time_of_day.svg", "queue_through_day.svg",
        "utilisation_heatmap.svg", "backlog_burndown.svg", "options_side_by_side.svg"]
    texts = {path.stem: path.read_text(encoding="utf-8") for path in written}
    assert "Thời gian chờ (phút)" in texts["waits"]
    assert "Hồ sơ quá hạn" in texts["backlog_burndown"]
    assert "Số quầy bận / số quầy mở" in texts["utilisation_heatmap"]
    assert "So sánh các phương án" in texts["options_side_by_side"]


def test_same_figure_same_svg(tiny: Results, tmp_path: Path) -> None:
    first = save_figure(waits(tiny), tmp_path / "a.svg").read_bytes()
    second = save_figure(waits(tiny), tmp_path / "b.svg").read_bytes()
    assert first == second
