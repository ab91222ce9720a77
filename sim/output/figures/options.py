"""The options side by side: one panel per summary metric, a bar per option with its 95%
confidence interval and the target. The numbers come from :mod:`sim.analysis.figure_data`."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from sim.analysis import figure_data
from sim.analysis.figure_data import MetricPanel
from sim.experiment.runner import Results
from sim.output.figures.layout import new_figure, percent_ticks
from sim.output.figures.style import FIGURE_SIZE, TARGET_COLOUR, option_colours, styled
from sim.output.figures.text import Labels, figure_text, option_label
from sim.output.translations import Translator

ERROR_BARS = {"ecolor": "0.2", "capsize": 4, "linewidth": 1.2}


def options_side_by_side(results: Results, metrics: Sequence[str] | None = None,
                         labels: Labels = None, title: str = "options.title") -> Figure | None:
    """One panel per metric with a bar per option: the mean over replications and its 95%
    confidence interval, and the scenario's target as a dashed line where it sets one.
    ``title`` is the key of the figure's title (the waits by ticket class use their own).

    The default metrics are the headline ones that the results have (see
    :func:`sim.analysis.figure_data.option_metrics`); None when none has a value (nobody came).

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> figure = options_side_by_side(sim.run(sim.DEMO_SCENARIO, replications=1,
    ...                                       overrides=days))
    >>> [ax.get_title() for ax in figure.axes]
    ['Mean wait (min)', '90th-percentile wait (min)', 'Served within 15 min', 'Gave up waiting']
    >>> [float(line.get_xdata()[0]) for line in figure.axes[1].get_lines()
    ...  if line.get_gid() == "target"]
    [30.0]
    """
    text = figure_text(labels, results.scenarios.baseline)
    data = figure_data.option_metrics(results, metrics)
    if data is None:
        return None
    colours = option_colours(data.options)
    with styled():
        figure = new_figure(results, text, title, size=_size(data))
        axes = _panels(figure, len(data.panels))
        width = TITLE_CHARACTERS[_shape(len(data.panels))[1]]
        for ax, panel in zip(axes, data.panels, strict=False):
            title = text.get(f"metric.{panel.metric}", panel.metric)
            title = title.format(minutes=text.t.general(data.target_minutes))
            _draw_panel(ax, panel, colours, textwrap.fill(title, width), text.t)
        axes[0].set_yticks(range(len(data.options)),
                           [option_label(text, option) for option in data.options])
        axes[0].invert_yaxis()  # baseline on top
        if any(panel.target is not None for panel in data.panels):
            figure.legend(handles=[Line2D([], [], color=TARGET_COLOUR, linestyle="--",
                                          label=text["target"])], loc="outside upper right")
    return figure


# Characters of a panel's title per line, by panels in a row: longer titles wrap, so that the
# titles of panels side by side ("Thời gian chờ phân vị 90 (phút)") do not run into each other.
TITLE_CHARACTERS = {1: 70, 2: 36, 3: 22}


def _shape(panels: int) -> tuple[int, int]:
    """Rows and columns of the panels: two by two for four, else up to three a row."""
    columns = 2 if panels == 4 else min(panels, 3)
    return -(-panels // columns), columns


def _size(data: figure_data.OptionMetrics) -> tuple[float, float]:
    """Wide, and tall enough for a bar per option in every row of panels."""
    rows, _ = _shape(len(data.panels))
    return 10.0, max(FIGURE_SIZE[1], 1.0 + rows * (0.9 + 0.32 * len(data.options)))


def _panels(figure: Figure, count: int) -> list[Axes]:
    """The grid of panels sharing the options' axis, without the cells left over."""
    rows, columns = _shape(count)
    axes = figure.subplots(rows, columns, sharey=True, squeeze=False).ravel()
    for ax in axes[count:]:
        ax.remove()
    return list(axes)


def _draw_panel(ax: Axes, panel: MetricPanel, colours: Mapping[str, str], title: str,
                t: Translator) -> None:
    """Bars of one metric per option with their confidence intervals and the target."""
    rows = panel.options
    mean = rows["mean"].to_numpy(dtype=float)
    errors = np.vstack([rows["below"].to_numpy(), rows["above"].to_numpy()])
    y = np.arange(len(rows))
    ax.barh(y, np.nan_to_num(mean), color=[colours[o] for o in rows["option"]], alpha=0.85,
            xerr=errors, error_kw=ERROR_BARS)
    if panel.target is not None:
        ax.axvline(panel.target, color=TARGET_COLOUR, linestyle="--", linewidth=1.5,
                   gid="target")
    ax.set_title(title)
    right = max(np.nanmax(mean + errors[1], initial=0.0), panel.target or 0.0) * 1.15 or 1.0
    ax.set_xlim(0, right)
    for position, value, end in zip(y, mean, mean + errors[1], strict=True):
        if np.isfinite(value):
            _value_label(ax, position, _bar_value(t, value, panel.share), value, end, right)
    if panel.share:
        ax.xaxis.set_major_formatter(percent_ticks(t))
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.grid(axis="y", visible=False)


def _bar_value(t: Translator, value: float, share: bool) -> str:
    """A bar's value in the figure's language: one decimal where it matters."""
    if share:
        return t.percent(value, 1 if value < 0.1 else 0)
    return t.number(value, 1 if abs(value) < 100 else 0)


def _value_label(ax: Axes, position: float, label: str, value: float, end: float,
                 right: float) -> None:
    """The bar's value: inside the bar, at its start, when the bar is long; else after its
    interval."""
    if value > 0.3 * right:
        ax.annotate(label, xy=(0, position), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8, color="white", fontweight="bold")
    else:
        ax.annotate(label, xy=(end, position), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=8)

