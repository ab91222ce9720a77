"""How long citizens wait: the distribution of waits per option with the targets, and waits by
the time of day people arrive. The numbers come from :mod:`sim.analysis.figure_data`."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.analysis import figure_data
from sim.analysis.figure_data import WaitCurves, WaitTarget
from sim.experiment.runner import Results
from sim.output.figures.layout import (
    clock_axis,
    each_option,
    legend_above,
    new_figure,
    percent_ticks,
    slot_middles,
    taller,
)
from sim.output.figures.style import (
    TALL_FIGURE_SIZE,
    TARGET_COLOUR,
    styled,
)
from sim.output.figures.text import FigureText, Labels, figure_text, option_names

TARGET_TEXT = {"wait_p90": "waits.target_p90", "within_target_share": "waits.target_within"}
TARGET_MARKERS = {"wait_p90": "D", "within_target_share": "o"}  # two targets, told apart


def waits(results: Results, labels: Labels = None) -> Figure:
    """Empirical distribution (ECDF) of the waits of all visits, one line per option, pooled over
    replications, with the wait targets of the scenario drawn where it sets them.

    A curve that passes above and to the left of a target's marker meets that target; the x
    axis ends at the 99th-percentile wait, or just beyond the targets.

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> figure = waits(sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days))
    >>> [line.get_label() for line in figure.axes[0].get_lines()][:2]
    ['Current staffing', 'One more general counter']
    >>> [float(line.get_xdata()[0]) for line in figure.axes[0].get_lines()
    ...  if line.get_gid() == "target"]
    [30.0, 15.0]
    """
    text = figure_text(labels, results.scenarios.baseline)
    data = figure_data.wait_curves(results)
    with styled():
        figure = new_figure(results, text, "waits.title")
        ax = figure.add_subplot()
        _draw_curves(ax, data.curves, results, text)
        for target in data.targets:
            _draw_target(ax, target, text)
        _wait_axes(ax, data, text)
    return figure


def _draw_curves(ax: Axes, curves: pd.DataFrame, results: Results,
                 text: Mapping[str, str]) -> None:
    """One step line per option that has waits, in the option's colour."""
    for look, curve in each_option(curves, results, text):
        if not curve.empty:
            ax.plot(curve["wait"].to_numpy(), curve["share"].to_numpy(), drawstyle="steps-post",
                    color=look.colour, linewidth=look.width, label=look.label)


def _draw_target(ax: Axes, target: WaitTarget, text: FigureText) -> None:
    """A dashed line at the target's minutes and a marker at the share it asks for."""
    label = text[TARGET_TEXT[target.metric]].format(minutes=text.t.general(target.minutes),
                                                    share=text.t.percent(target.share))
    ax.axvline(target.minutes, color=TARGET_COLOUR, linestyle="--", linewidth=1.2, gid="target")
    ax.plot([target.minutes], [target.share], marker=TARGET_MARKERS[target.metric],
            markersize=8, color=TARGET_COLOUR, linestyle="none", label=label, gid="target_point")


def _wait_axes(ax: Axes, data: WaitCurves, text: FigureText) -> None:
    """Limits, labels and legend, and a note when the axis cuts off the longest waits."""
    ax.set_xlim(0, data.right)
    ax.set_ylim(0, 1.005)
    ax.yaxis.set_major_formatter(percent_ticks(text.t))
    ax.set_xlabel(text["waits.x"])
    ax.set_ylabel(text["waits.y"])
    if ax.get_legend_handles_labels()[0]:  # nobody waited in any run: nothing to label
        legend = ax.legend(loc="lower right", title=text["waits.legend"])
        legend.get_title().set_fontsize(9)
    if data.cut:
        ax.annotate(text["waits.cut"], xy=(1, 0), xycoords="axes fraction",
                    xytext=(0, -28), textcoords="offset points", ha="right", va="top",
                    fontsize=8, color="0.4")


def waits_by_time_of_day(results: Results, labels: Labels = None) -> Figure:
    """Mean (top) and 90th-percentile (bottom) wait of the visits arriving in each half-hour of
    the day, one line per option, pooled over days and replications.

    Half-hours in which fewer than five visits of an option arrived are left as gaps.

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> figure = waits_by_time_of_day(sim.run(sim.DEMO_SCENARIO, replications=1,
    ...                                       overrides=days))
    >>> [ax.get_ylabel() for ax in figure.axes]
    ['Mean wait (min)', '90th-percentile wait (min)']
    >>> figure.axes[1].xaxis.get_major_formatter()(450)
    '07:30'
    """
    text = figure_text(labels, results.scenarios.baseline)
    table = figure_data.waits_by_time_of_day(results)
    options = results.scenarios.options
    with styled():
        figure = new_figure(results, text, "by_time.title",
                            size=taller(TALL_FIGURE_SIZE, option_names(options, text)))
        top, bottom = figure.subplots(2, 1, sharex=True)
        _draw_slot_lines({"mean": top, "p90": bottom}, table, results, text)
        top.set_ylabel(text["by_time.mean"])
        bottom.set_ylabel(text["by_time.p90"])
        for ax in (top, bottom):
            ax.set_ylim(bottom=0)
            clock_axis(ax, table["slot"].drop_duplicates().to_numpy())
        bottom.set_xlabel(text["by_time.x"])
        legend_above(top, top.get_legend_handles_labels()[0])
    return figure


def _draw_slot_lines(axes: Mapping[str, Axes], table: pd.DataFrame, results: Results,
                     text: Mapping[str, str]) -> None:
    """Per option a line of each column of the table on its axes, with a dot per half-hour."""
    for look, mine in each_option(table, results, text):
        for column, ax in axes.items():
            ax.plot(slot_middles(mine["slot"].to_numpy()), mine[column].to_numpy(),
                    color=look.colour, linewidth=look.width, marker="o", markersize=3,
                    label=look.label)
