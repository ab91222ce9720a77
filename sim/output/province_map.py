"""The province's centres at their coordinates, coloured by how many targets each misses or
by how many extra people each receives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from sim.analysis.ranking import only_unclear
from sim.output.figures.style import DPI, save_figure, styled
from sim.output.figures.text import figure_text
from sim.output.names import option_name
from sim.scenario.schema import Scenario

TARGETS_COLOURS = "RdYlGn_r"  # targets missed: green none, red many
STAFF_COLOURS = "Blues"  # people placed: pale none, dark many; no red, nothing is wrong
# Where a centre's name may sit round its dot, in points: above right first.
PLACES = ((4, 4, "left", "bottom"), (4, -4, "left", "top"), (-4, 4, "right", "bottom"),
          (-4, -4, "right", "top"))


def province_map(ranking: pd.DataFrame, name: str, option: str | None = None,
                 lang: str = "en", label: str | None = None) -> Figure:
    """Scatter of centres at (longitude, latitude), colour = targets missed; ``label`` is the
    option's name in the title (its id without one).

    >>> ranking = pd.DataFrame({"option": ["baseline"] * 2, "centre": ["1", "2"],
    ...     "name": ["Xã A", "Xã B"], "latitude": [19.8, 20.0], "longitude": [105.7, 105.9],
    ...     "missed": [0, 2], "unclear": [1, 0], "rank": [2, 1]})
    >>> len(province_map(ranking, "Tỉnh").axes)
    2
    """
    option = option or str(ranking["option"].iloc[0])
    with styled():
        return _draw_map(ranking, name, option, lang, label or option)


def _draw_map(ranking: pd.DataFrame, name: str, option: str, lang: str, label: str) -> Figure:
    """The map of one option; the five centres that miss most are named on it, and those that
    miss none clearly but are not shown to meet every target are grey, not green. Its colours
    run to the most any option misses, so every option's map reads the same."""
    text = figure_text(lang)
    centres = ranking[ranking["option"] == option].drop_duplicates("centre")
    named = centres[centres["missed"] > 0].nsmallest(5, "rank")
    centres = centres.assign(grey=only_unclear(centres))
    return centres_map(centres, "missed", text["map.title"].format(name=name, option=label),
                       text["map.colour"], lang, named, TARGETS_COLOURS,
                       ("grey", text["map.unclear"]), int(ranking["missed"].max()))


def allocation_map(centres: pd.DataFrame, name: str, lang: str = "en") -> Figure:
    """The centres (allocation_centres.csv) coloured by how many of the extra people each
    receives."""
    text = figure_text(lang)
    with styled():
        return centres_map(centres, "people", text["allocation.title"].format(name=name),
                           text["allocation.colour"], lang, colours=STAFF_COLOURS)


def centres_map(centres: pd.DataFrame, column: str, title: str, colour: str,
                lang: str = "en", named: pd.DataFrame | None = None,
                colours: str = TARGETS_COLOURS,
                apart: tuple[str, str] | None = None, top: int | None = None) -> Figure:
    """Centres (name, latitude, longitude) at their coordinates coloured by the whole number
    in `column`, one colour per value from 0 to `top` (by default the largest); those of
    `named` (by default the five with the largest values above 0) are named. `apart`, a
    column of booleans and its legend's words, draws the centres where it is true grey
    instead. A note says so when some centres have no coordinates. Shared by the province and
    allocation maps."""
    text = figure_text(lang)
    located = centres.dropna(subset=["latitude", "longitude"])
    hidden, centres = len(centres) - len(located), located
    if named is None:
        named = centres[centres[column] > 0].nlargest(5, column)
    named = named.dropna(subset=["latitude", "longitude"])
    figure = Figure(figsize=(7, 7), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    size = 60 if len(centres) <= 400 else 12  # a country's thousands of centres stay apart
    grey = centres[apart[0]].to_numpy(dtype=bool) if apart is not None else np.zeros(
        len(centres), dtype=bool)
    values = centres[column].to_numpy(dtype=float)
    if top is None:
        top = int(np.nanmax(values)) if len(values) else 0
    palette = colormaps[colours].resampled(top + 1)
    norm = BoundaryNorm(np.arange(-0.5, top + 1.5), palette.N)  # one colour per whole number
    shown = centres[~grey]
    points = axes.scatter(shown["longitude"], shown["latitude"], c=values[~grey],
                          cmap=palette, norm=norm, s=size, edgecolors="0.2", linewidths=0.5)
    if grey.any():
        axes.scatter(centres.loc[grey, "longitude"], centres.loc[grey, "latitude"],
                     color="0.75", s=size, edgecolors="0.2", linewidths=0.5, label=apart[1])
        figure.legend(loc="outside upper left", fontsize=8)  # beside the map, on no centre
    bar = figure.colorbar(points, ax=axes, label=colour, shrink=0.8)
    bar.set_ticks([t for t in MaxNLocator(integer=True).tick_values(0, top) if 0 <= t <= top])
    axes.set_title(title, loc="left", fontsize=11)
    axes.set_xlabel(text["map.x"])
    axes.set_ylabel(text["map.y"])
    axes.set_aspect("equal", adjustable="datalim")
    axes.grid(alpha=0.3)
    if hidden:
        figure.supxlabel(text["map.note"], x=0.01, ha="left", fontsize=8, color="0.4")
    _name_apart(figure, axes, named)
    return figure



def _name_apart(figure: Figure, axes: Axes, named: pd.DataFrame) -> None:
    """Name the centres, each in the first place round its dot where it covers no name
    placed before it (above right when none is free): close centres' names stay legible."""
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw_without_rendering()  # the layout settled, so the names' extents are final
    placed: list[Bbox] = []
    for row in named.itertuples():
        for place in PLACES:
            label = _name(axes, row, place)
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
            label.remove()
        else:  # no place is free: above right, over another name
            box = _name(axes, row, PLACES[0]).get_window_extent(renderer)
        placed.append(box)


def _name(axes: Axes, centre: Any, place: tuple[int, int, str, str]) -> Annotation:
    dx, dy, ha, va = place
    return axes.annotate(str(centre.name), (centre.longitude, centre.latitude), xytext=(dx, dy),
                         textcoords="offset points", fontsize=8, ha=ha, va=va)


def save_province_map(ranking: pd.DataFrame, name: str, folder: Path, lang: str = "en",
                      formats: tuple[str, ...] = ("png", "svg"),
                      scenario: Scenario | None = None) -> list[Path]:
    """The map in each format, one per option, into ``folder``; ``scenario`` (a centre's, as
    the province page takes it) names the option in each title, as the page does."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for option in ranking["option"].drop_duplicates():
        figure = province_map(ranking, name, str(option), lang,
                              option_name(scenario, lang, str(option)))
        for extension in formats:
            written.append(save_figure(figure, folder / f"province_map_{option}.{extension}"))
    return written
