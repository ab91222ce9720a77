"""Figures a reader can read: lines of options with the same curve stay visible, targets
are told apart, panel titles side by side stay clear of each other, and a count's axis counts
in whole dossiers."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

import sim
from sim.experiment.runner import Results
from sim.output.figures.backlog import backlog_burndown
from sim.output.figures.options import options_side_by_side
from sim.output.figures.style import NARROWEST_LINE, WIDEST_LINE, line_widths
from sim.output.figures.waits import waits

ROOT = Path(__file__).parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny.yaml"
OFFICE = ROOT / "tests" / "fixtures" / "office.yaml"
TINY_NAMES = ["Current staffing", "Option 1", "Option 2"]


@pytest.fixture(scope="module")
def tiny() -> Results:
    return sim.run(TINY, replications=2, seed=7)


def test_options_with_the_same_curve_stay_visible_as_nested_stripes(tiny: Results) -> None:
    """Common random numbers often give two options the same curve: each line must be
    visibly narrower than the one before it (at least 0.7 pt for up to five options), the
    baseline the widest, so that it shows round an option drawn over it."""
    for count in range(1, 6):
        widths = list(line_widths([f"option{i}" for i in range(count)]).values())
        assert widths[0] == WIDEST_LINE and widths[-1] == pytest.approx(
            NARROWEST_LINE if count > 1 else WIDEST_LINE)
        assert all(wider - narrower >= 0.7 - 1e-9 for wider, narrower in itertools.pairwise(widths))
    drawn = [line.get_linewidth() for line in waits(tiny).axes[0].get_lines()
             if line.get_label() in TINY_NAMES]
    assert drawn == sorted(drawn, reverse=True) and drawn[0] - drawn[1] >= 0.7


def test_two_wait_targets_have_markers_of_their_own() -> None:
    results = sim.run(TINY, replications=1, overrides=["targets.wait_p90=20"])
    points = [line for line in waits(results).axes[0].get_lines()
              if line.get_gid() == "target_point"]
    assert len(points) == 2 and points[0].get_marker() != points[1].get_marker()


def test_burndown_with_nothing_overdue_counts_in_whole_dossiers() -> None:
    """Generous deadlines leave nothing overdue: the overdue axis still reads 0 and 1 dossier,
    not thousandths of one."""
    results = sim.run(OFFICE, replications=2, seed=7, overrides=[
        "procedures[1].deadline.working_days=60", "backlog[0].days_left.low=50",
        "backlog[0].days_left.high=60", "targets.overdue=null"])
    assert results.daily["overdue"].max() == 0
    bottom = backlog_burndown(results).axes[1]
    assert bottom.get_ylim() == (0, 1)
    assert all(float(tick).is_integer() for tick in bottom.get_yticks())


def test_panel_titles_side_by_side_do_not_run_into_each_other() -> None:
    """Seven panels, three a row, with long Vietnamese titles ("Thời gian chờ phân vị 90
    (phút)", "Được phục vụ trong 20 phút"): each title stays clear of its neighbours'."""
    results = sim.run(ROOT / "scenarios" / "centres" / "rural_merged_commune.yaml",
                      replications=1, overrides=["calendar.working_days=2"])
    figure = options_side_by_side(results, labels="vi")
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw_without_rendering()
    boxes = [ax.title.get_window_extent(renderer) for ax in figure.axes]
    assert len(boxes) > 3
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
