"""The province maps: centres coloured by whole targets missed, grey where unclear, names
that do not cover each other, one colour scale for every option."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.output.province_map import province_map


def test_the_province_map_greys_centres_not_shown_to_meet_every_target() -> None:
    """Green means every target met: a centre that misses none clearly but has a target whose
    interval crosses it is grey, and the colours step by whole targets."""
    ranking = pd.DataFrame({
        "option": ["baseline"] * 4, "centre": ["1", "2", "3", "4"],
        "name": ["Xã A", "Xã B", "Xã C", "Xã D"], "latitude": [21.0, 21.1, 21.2, 21.3],
        "longitude": [105.0, 105.1, 105.2, 105.3], "missed": [0, 0, 1, 3],
        "unclear": [0, 2, 1, 0], "rank": [4, 3, 2, 1]})
    figure = province_map(ranking, "Tỉnh", lang="vi")
    axes = figure.axes[0]
    coloured, grey = axes.collections
    assert coloured.get_array().tolist() == [0, 1, 3], "centres 1, 3 and 4 by targets missed"
    assert len(grey.get_offsets()) == 1 and tuple(grey.get_offsets()[0]) == (105.1, 21.1)
    assert axes.get_legend() is None, "the legend stands outside the map, over no centre"
    assert [t.get_text() for t in figure.legends[0].get_texts()] == [
        "không chỉ tiêu nào chưa đạt rõ ràng, nhưng chưa chắc đạt tất cả (độ tin cậy 95%)"]
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    assert not figure.legends[0].get_window_extent(renderer).overlaps(
        axes.get_window_extent(renderer))
    assert figure.axes[1].get_yticks().tolist() == [0, 1, 2, 3], "whole targets on the bar"
    assert sorted(t.get_text() for t in axes.texts) == ["Xã C", "Xã D"], "those that miss"


def test_names_of_centres_close_together_do_not_cover_each_other() -> None:
    ranking = pd.DataFrame({
        "option": ["baseline"] * 3, "centre": ["1", "2", "3"],
        "name": ["Phường Tân Phong", "Xã Bình Lư", "Xã Nậm Tăm"],
        "latitude": [22.350, 22.352, 22.0], "longitude": [103.48, 103.50, 103.2],
        "missed": [2, 2, 1], "unclear": [0, 0, 0], "rank": [1, 2, 3]})
    figure = province_map(ranking, "Lai Châu", lang="vi")
    renderer = figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in figure.axes[0].texts]
    assert len(boxes) == 3
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_every_option_s_map_has_the_same_colours_and_the_note_only_when_needed() -> None:
    """One missed target has one colour on every option's map; the note about centres
    without coordinates appears only when some have none."""
    ranking = pd.DataFrame({
        "option": ["baseline"] * 2 + ["more"] * 2, "centre": ["1", "2"] * 2,
        "name": ["Xã A", "Xã B"] * 2, "latitude": [21.0, np.nan] * 2,
        "longitude": [105.0, 105.5] * 2, "missed": [3, 1, 1, 0], "unclear": [0] * 4,
        "rank": [1, 2, 1, 2]})
    baseline, more = (province_map(ranking, "Tỉnh", option) for option in ("baseline", "more"))
    assert baseline.axes[1].get_yticks().tolist() == more.axes[1].get_yticks().tolist() == [
        0, 1, 2, 3]
    assert "centres without coordinates are not shown" in baseline.texts[0].get_text()
    located = ranking.fillna({"latitude": 21.5})
    assert not province_map(located, "Tỉnh", "more").texts, "every centre is on the map"
