"""The back office day by day: dossiers open and overdue at the end of each day, with the part
transferred from the district. The numbers come from :mod:`sim.analysis.figure_data`."""

from __future__ import annotations

from collections.abc import Mapping

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sim.analysis import figure_data
from sim.analysis.figure_data import Backlog
from sim.experiment.runner import Results
from sim.output.figures.layout import each_option, legend_above, new_figure, taller
from sim.output.figures.style import (
    BAND_ALPHA,
    STYLE_KEY_COLOUR,
    TALL_FIGURE_SIZE,
    TARGET_COLOUR,
    styled,
)
from sim.output.figures.text import Labels, figure_text, option_names

LEGEND_KEYS = ("backlog.open", "backlog.transferred", "backlog.overdue_line", "band")


def backlog_burndown(results: Results, labels: Labels = None) -> Figure | None:
    """Back-office dossiers open at the end of each day (top: all, and the part transferred
    from the district when there is one) and overdue ones (bottom, dashed), one colour per
    option; lines are means over replications, bands their 10th to 90th percentiles.

    Returns ``None`` when the scenario has no back office (no dossiers in any option), so that
    there is no empty figure to show or save.

    >>> import sim
    >>> theory = sim.DEMO_SCENARIO.parent / "theory" / "back_office_mmc.yaml"
    >>> results = sim.run(theory, replications=2, overrides=["calendar.working_days=3"])
    >>> [ax.get_ylabel() for ax in backlog_burndown(results).axes]
    ['Open dossiers', 'Overdue dossiers']
    >>> backlog_burndown(sim.run(sim.DEMO_SCENARIO, replications=1,
    ...                          overrides=["calendar.working_days=1"])) is None
    True
    """
    data = figure_data.backlog_by_day(results)
    if data is None:
        return None
    text = figure_text(labels, results.scenarios.baseline)
    legend = [*option_names(results.scenarios.options, text), *(text[k] for k in LEGEND_KEYS)]
    with styled():
        figure = new_figure(results, text, "backlog.title", size=taller(TALL_FIGURE_SIZE, legend))
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        _draw_days(top, bottom, data, results, text)
        if data.overdue_target is not None:  # judged at the period's end: a mark on its last day
            bottom.plot([data.days["date"].max()], [data.overdue_target], marker="D",
                        markersize=8, color=TARGET_COLOUR, linestyle="none", gid="target",
                        label=text["backlog.target"])
        _backlog_axes(top, bottom, text)
        targets = [line for line in bottom.get_lines() if line.get_gid() == "target"]
        legend_above(top, [*top.get_legend_handles_labels()[0], *_line_styles(data, text),
                           *targets])
    return figure


def _draw_days(top: Axes, bottom: Axes, data: Backlog, results: Results,
               text: Mapping[str, str]) -> None:
    """Per option: open dossiers (top), overdue ones (bottom, dashed), each with its band, and
    the transferred ones (top, dotted) when there are any."""
    for look, mine in each_option(data.days, results, text):
        if mine.empty:
            continue
        for ax, measure, style in ((top, "open_dossiers", "-"), (bottom, "overdue", "--")):
            rows = mine[mine["measure"] == measure]
            ax.plot(rows["date"], rows["mean"].to_numpy(), color=look.colour, linestyle=style,
                    linewidth=look.width, label=look.label)
            ax.fill_between(rows["date"], rows["low"].to_numpy(), rows["high"].to_numpy(),
                            color=look.colour, alpha=BAND_ALPHA, linewidth=0)
        if data.transferred:
            rows = mine[mine["measure"] == "open_transferred"]
            top.plot(rows["date"], rows["mean"].to_numpy(), color=look.colour, linestyle=":",
                     linewidth=look.width, gid="transferred")


def _backlog_axes(top: Axes, bottom: Axes, text: Mapping[str, str]) -> None:
    """Whole dossiers from zero up (to 1 at least: with none overdue, matplotlib's own limits
    would give ticks in thousandths of a dossier), labels, and dates as day/month."""
    for ax in (top, bottom):
        ax.set_ylim(0, max(ax.get_ylim()[1], 1))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top.set_ylabel(text["backlog.open"])
    bottom.set_ylabel(text["backlog.overdue"])
    bottom.set_xlabel(text["backlog.x"])
    bottom.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=12))
    bottom.xaxis.set_major_formatter(DateFormatter("%d/%m"))


def _line_styles(data: Backlog, text: Mapping[str, str]) -> list[Artist]:
    """Legend entries for what each line style and the bands mean."""
    transferred = [Line2D([], [], color=STYLE_KEY_COLOUR, linestyle=":", linewidth=2,
                          label=text["backlog.transferred"])] if data.transferred else []
    return [Line2D([], [], color=STYLE_KEY_COLOUR, linewidth=2, label=text["backlog.open"]),
            *transferred,
            Line2D([], [], color=STYLE_KEY_COLOUR, linestyle="--", linewidth=2,
                   label=text["backlog.overdue_line"]),
            Patch(facecolor="0.5", alpha=0.3, label=text["band"])]
