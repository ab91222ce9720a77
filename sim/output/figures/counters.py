"""The counters through the day: citizens waiting in a typical day, and how busy each desk is
by half-hour. The numbers come from :mod:`sim.analysis.figure_data`."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.analysis import figure_data
from sim.experiment.runner import Results
from sim.output.figures.layout import (
    clock_axis,
    clock_label,
    each_option,
    legend_above,
    new_figure,
    percent_ticks,
    slot_middles,
    taller,
)
from sim.output.figures.style import (
    BAND_ALPHA,
    FIGURE_SIZE,
    STYLE_KEY_COLOUR,
    styled,
)
from sim.output.figures.text import Labels, figure_text, option_label, option_names
from sim.output.translations import Translator

CLOSED_COLOUR = "#e6e6e6"  # heat-map cells of a desk that was not open
MAX_CELL_LABELS = 300  # more cells than this: no percentages written in them


def queue_through_day(results: Results, labels: Labels = None) -> Figure:
    """Citizens waiting at all counters of the centre, by half-hour of a typical day: the median
    over replications of each replication's median day, and a band from the 10th to the 90th
    percentile (see :func:`sim.analysis.figure_data.queue_through_day`).

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
    >>> figure = queue_through_day(results)
    >>> len(figure.axes[0].get_lines()) == len(results.scenarios.options)
    True
    """
    text = figure_text(labels, results.scenarios.baseline)
    table = figure_data.queue_through_day(results)
    options = results.scenarios.options
    legend = [*option_names(options, text), text["queue.line"], text["band"]]
    with styled():
        figure = new_figure(results, text, "queue.title", size=taller(FIGURE_SIZE, legend))
        ax = figure.add_subplot()
        _draw_bands(ax, table, results, text)
        ax.set_ylim(bottom=0)
        ax.set_ylabel(text["queue.y"])
        ax.set_xlabel(text["clock"])
        clock_axis(ax, table["slot"].drop_duplicates().to_numpy())
        styles = [Line2D([], [], color=STYLE_KEY_COLOUR, linewidth=2, label=text["queue.line"]),
                  Patch(facecolor="0.5", alpha=0.3, label=text["band"])]
        legend_above(ax, [*ax.get_legend_handles_labels()[0], *styles])
    return figure


def _draw_bands(ax: Axes, table: pd.DataFrame, results: Results,
                text: Mapping[str, str]) -> None:
    """Per option a median line and a band around it, in the option's colour."""
    for look, mine in each_option(table, results, text):
        x = slot_middles(mine["slot"].to_numpy())
        ax.plot(x, mine["median"].to_numpy(), color=look.colour, linewidth=look.width,
                label=look.label)
        ax.fill_between(x, mine["low"].to_numpy(), mine["high"].to_numpy(), color=look.colour,
                        alpha=BAND_ALPHA, linewidth=0)


def utilisation_heatmap(results: Results, option: str | None = None,
                        labels: Labels = None) -> Figure:
    """Share of open counters that are busy, per desk (rows) and half-hour (columns), over all
    days and replications of one option (the baseline unless ``option`` names another); cells
    where the desk was never open are grey.

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
    >>> figure = utilisation_heatmap(results)
    >>> figure.axes[0].images[0].get_array().shape  # 4 desks, 07:30 to 17:00
    (4, 19)
    >>> utilisation_heatmap(results, option="saturday_mornings", labels="vi").axes[0].get_ylabel()
    'Lĩnh vực'
    """
    text = figure_text(labels, results.scenarios.baseline)
    option = figure_data.chosen_option(results.scenarios, option)
    table = figure_data.desk_utilisation(results, option)
    colours = mpl.colormaps["YlOrRd"].with_extremes(bad=CLOSED_COLOUR)
    with styled({"axes.grid": False}):
        figure = new_figure(results, text, "util.title", option=option_label(text, option),
                            size=(FIGURE_SIZE[0], max(3.2, 2.2 + 0.45 * len(table.index))))
        ax = figure.add_subplot()
        grid = table.to_numpy(dtype=float)
        image = ax.imshow(np.ma.masked_invalid(grid), cmap=colours, vmin=0, vmax=1,
                          aspect="auto", interpolation="nearest")
        if grid.size <= MAX_CELL_LABELS:
            _write_cells(ax, grid, text.t)
        _heatmap_axes(ax, table, text)
        colourbar = figure.colorbar(image, ax=ax, format=percent_ticks(text.t))
        colourbar.set_label(text["util.colour"])
    return figure


def _write_cells(ax: Axes, grid: np.ndarray, t: Translator) -> None:
    """Each open cell's percentage, in a colour readable on the cell."""
    for (row, column), value in np.ndenumerate(grid):
        if np.isfinite(value):
            ax.text(column, row, t.percent(value), ha="center", va="center", fontsize=7,
                    color="white" if value > 0.65 else "black")


def _heatmap_axes(ax: Axes, table: pd.DataFrame, text: Mapping[str, str]) -> None:
    """Half-hours as clock times along the bottom (every other one when many), desks down."""
    slots = table.columns.to_numpy()
    step = 1 if len(slots) <= 24 else 2
    ax.set_xticks(range(0, len(slots), step), [clock_label(s) for s in slots[::step]],
                  rotation=90)
    ax.set_yticks(range(len(table.index)), [text.get(f"desk.{desk}", desk) for desk in table.index])
    ax.set_xlabel(text["util.x"])
    ax.set_ylabel(text["util.y"])
