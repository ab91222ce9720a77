"""Figures of a results set, readable without explanation: one small function per figure.

Every function takes a :class:`~sim.experiment.runner.Results` and returns a
:class:`matplotlib.figure.Figure` built without pyplot (no global figure state, no display
needed), or ``None`` for the back-office burn-down of a scenario without a back office.
Titles, axis labels and legends come from ``labels``: a language code of :data:`LABELS`
(``"en"``, ``"vi"``) or a mapping that overrides some English texts (``"option.<name>"``
renames an option in legends). :class:`ResultPlots` bundles them and writes PNG and SVG files.

Like the metrics, the figures count only what happens after each option's warm-up.

>>> import sim
>>> days = ["calendar.working_days=1"]  # a short run for the example
>>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
>>> plots = ResultPlots(results)
>>> [ax.get_ylabel() for ax in plots.waits().axes]
['Share of visits']
>>> plots.waits(lang="vi").axes[0].get_xlabel()
'Thời gian chờ (phút)'
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator, PercentFormatter

from sim.analysis.frames import SLOT_MINUTES
from sim.analysis.metrics import target_minutes
from sim.experiment.runner import Results
from sim.model.calendar import MINUTES_PER_DAY

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "context": "{scenario} \u00b7 replications: {replications} \u00b7 seed {seed}",
        "band": "10\u201390% of replications",
        "target": "target",
        "clock": "Time of day",
        "waits.title": "How long citizens wait at the counters",
        "waits.x": "Wait (minutes)",
        "waits.y": "Share of visits",
        "waits.legend": "Share of visits waiting at most x minutes",
        "waits.target_p90": "Target: 90% wait at most {minutes:g} min",
        "waits.target_within": "Target: {share:.0%} served within {minutes:g} min",
        "waits.cut": "x axis ends at the 99th percentile wait",
        "by_time.title": "Wait by time of arrival (pooled over days and replications)",
        "by_time.mean": "Mean wait (min)",
        "by_time.p90": "90th-percentile wait (min)",
        "by_time.x": "Time of arrival (half-hour)",
        "queue.title": "Citizens waiting at the counters through a typical day",
        "queue.y": "Citizens waiting (whole centre)",
        "queue.line": "median day",
        "util.title": "Counter utilisation by desk and half-hour \u2013 {option}",
        "util.x": "Half-hour starting at (grey: desk closed)",
        "util.y": "Desk",
        "util.colour": "Busy counters / open counters",
        "backlog.title": ("Back-office dossiers open at the end of each day "
                          "(mean over replications)"),
        "backlog.open": "Open dossiers",
        "backlog.transferred": "of which transferred from the district",
        "backlog.overdue": "Overdue dossiers",
        "backlog.overdue_line": "overdue (past deadline, still open)",
        "backlog.x": "Date (day/month)",
        "options.title": "Options compared: mean and 95% confidence interval over replications",
        "metric.wait_mean": "Mean wait (min)",
        "metric.wait_p50": "Median wait (min)",
        "metric.wait_p90": "90th-percentile wait (min)",
        "metric.wait_p95": "95th-percentile wait (min)",
        "metric.wait_max": "Longest wait (min)",
        "metric.within_target_share": "Served within {minutes:g} min",
        "metric.abandoned_share": "Gave up waiting",
        "metric.sent_home_share": "Sent home at closing",
        "metric.utilisation": "Counter utilisation",
        "metric.trips_per_citizen": "Trips per citizen",
        "metric.on_time_share": "Dossiers done on time",
        "metric.overdue": "Dossiers overdue at the end",
        "metric.lateness_p90": "90th-percentile lateness (working days)",
        "metric.back_office_utilisation": "Back-office utilisation",
    },
    "vi": {
        "context": "{scenario} \u00b7 số lần mô phỏng: {replications} \u00b7 seed {seed}",
        "band": "10\u201390% các lần mô phỏng",
        "target": "mục tiêu",
        "clock": "Giờ trong ngày",
        "waits.title": "Người dân chờ tại quầy bao lâu",
        "waits.x": "Thời gian chờ (phút)",
        "waits.y": "Tỷ lệ lượt đến",
        "waits.legend": "Tỷ lệ lượt đến chờ không quá x phút",
        "waits.target_p90": "Mục tiêu: 90% chờ không quá {minutes:g} phút",
        "waits.target_within": "Mục tiêu: {share:.0%} được phục vụ trong {minutes:g} phút",
        "waits.cut": "trục hoành dừng ở phân vị 99 của thời gian chờ",
        "by_time.title": "Thời gian chờ theo giờ đến (gộp mọi ngày và lần mô phỏng)",
        "by_time.mean": "Chờ trung bình (phút)",
        "by_time.p90": "Chờ phân vị 90 (phút)",
        "by_time.x": "Giờ đến (theo nửa giờ)",
        "queue.title": "Số người chờ tại quầy trong một ngày điển hình",
        "queue.y": "Số người đang chờ (toàn trung tâm)",
        "queue.line": "ngày trung vị",
        "util.title": "Mức sử dụng quầy theo lĩnh vực và nửa giờ \u2013 {option}",
        "util.x": "Nửa giờ bắt đầu lúc (màu xám: quầy đóng)",
        "util.y": "Lĩnh vực",
        "util.colour": "Số quầy bận / số quầy mở",
        "backlog.title": ("Hồ sơ chưa giải quyết xong vào cuối mỗi ngày "
                          "(trung bình các lần mô phỏng)"),
        "backlog.open": "Hồ sơ đang giải quyết",
        "backlog.transferred": "trong đó hồ sơ cấp huyện chuyển về",
        "backlog.overdue": "Hồ sơ quá hạn",
        "backlog.overdue_line": "quá hạn (đã quá hạn, chưa xong)",
        "backlog.x": "Ngày (ngày/tháng)",
        "options.title": "So sánh các phương án: trung bình và khoảng tin cậy 95%",
        "metric.wait_mean": "Chờ trung bình (phút)",
        "metric.wait_p50": "Chờ trung vị (phút)",
        "metric.wait_p90": "Chờ phân vị 90 (phút)",
        "metric.wait_p95": "Chờ phân vị 95 (phút)",
        "metric.wait_max": "Chờ lâu nhất (phút)",
        "metric.within_target_share": "Được phục vụ trong {minutes:g} phút",
        "metric.abandoned_share": "Bỏ về vì chờ lâu",
        "metric.sent_home_share": "Phải về khi hết giờ",
        "metric.utilisation": "Mức sử dụng quầy",
        "metric.trips_per_citizen": "Số lần đến mỗi người",
        "metric.on_time_share": "Hồ sơ giải quyết đúng hạn",
        "metric.overdue": "Hồ sơ quá hạn cuối kỳ",
        "metric.lateness_p90": "Trễ hạn phân vị 90 (ngày làm việc)",
        "metric.back_office_utilisation": "Mức sử dụng bộ phận xử lý hồ sơ",
    },
}
HEADLINE_METRICS: tuple[str, ...] = ("wait_mean", "wait_p90", "within_target_share",
                                     "abandoned_share", "on_time_share", "overdue")
FIGURE_SIZE = (8.0, 4.5)  # inches
TALL_FIGURE_SIZE = (8.0, 6.0)
DPI = 120
MIN_VISITS_PER_SLOT = 5  # waits by time of day: fewer visits than this in a half-hour is a gap
ECDF_POINTS = 800
STYLE = {
    "font.family": "DejaVu Sans",  # has the Vietnamese letters
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "figure.titlesize": 12,
    "figure.titleweight": "bold",
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # text stays text in the SVG: searchable, translatable, small
    "svg.hashsalt": "sim",  # the same figure gives the same SVG
    "text.parse_math": False,  # names are text: "$" in a centre's name is not mathtext
}
BASELINE_COLOUR = "#222222"
OPTION_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                  "#17becf", "#bcbd22", "#7f7f7f")
TARGET_COLOUR = "#c0392b"

Labels = Mapping[str, str] | str | None


# --- the figures ---------------------------------------------------------------------------------
def waits(results: Results, labels: Labels = None) -> Figure:
    """Empirical distribution (ECDF) of the waits of all visits, one line per option, pooled over
    replications, with the wait targets of the scenario drawn where it sets them.

    A curve that passes above and to the left of a target's marker meets that target. Waits
    include those who gave up or were sent home (as ``wait_p90`` does); the x axis ends at the
    99th-percentile wait, or just beyond the targets.

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
    >>> figure = waits(results)
    >>> [line.get_label() for line in figure.axes[0].get_lines()][:2]
    ['baseline', 'extra_general_counter']
    >>> [float(line.get_xdata()[0]) for line in figure.axes[0].get_lines()
    ...  if line.get_gid() == "target"]
    [30.0, 15.0]
    """
    text = _labels(labels)
    visits = _counted_visits(results)
    targets = results.scenarios.baseline.targets
    marks = []  # (minutes, share, label)
    if targets.wait_p90 is not None:
        marks.append((targets.wait_p90, 0.9, text["waits.target_p90"].format(
            minutes=targets.wait_p90)))
    if targets.within_target_share is not None:
        within = targets.within_target_share
        marks.append((within.minutes, within.at_least, text["waits.target_within"].format(
            minutes=within.minutes, share=within.at_least)))
    pooled = visits["wait"].to_numpy()
    tail = float(np.percentile(pooled, 99)) if len(pooled) else 1.0
    right = max(tail, *(1.25 * minutes for minutes, _, _ in marks), 1.0)
    grid = np.linspace(0.0, right, ECDF_POINTS)
    with styled():
        figure = _figure(results, text, "waits.title")
        ax = figure.add_subplot()
        for option, colour in _colours(results).items():
            values = np.sort(visits.loc[visits["option"] == option, "wait"].to_numpy())
            if len(values) == 0:
                continue
            share = np.searchsorted(values, grid, side="right") / len(values)
            ax.plot(grid, share, drawstyle="steps-post", color=colour,
                    linewidth=_widths(results)[option], label=_option_label(text, option))
        for minutes, share, label in marks:
            ax.axvline(minutes, color=TARGET_COLOUR, linestyle="--", linewidth=1.2, gid="target")
            ax.plot([minutes], [share], marker="o", markersize=8, color=TARGET_COLOUR,
                    linestyle="none", label=label, gid="target_point")
        ax.set_xlim(0, right)
        ax.set_ylim(0, 1.005)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(text["waits.x"])
        ax.set_ylabel(text["waits.y"])
        if ax.get_legend_handles_labels()[0]:  # nobody waited in any run: nothing to label
            legend = ax.legend(loc="lower right", title=text["waits.legend"])
            legend.get_title().set_fontsize(9)
        if len(pooled) and pooled.max() > right:
            ax.annotate(text["waits.cut"], xy=(1, 0), xycoords="axes fraction",
                        xytext=(0, -28), textcoords="offset points", ha="right", va="top",
                        fontsize=8, color="0.4")
    return figure


def waits_by_time_of_day(results: Results, labels: Labels = None) -> Figure:
    """Mean (top) and 90th-percentile (bottom) wait of the visits arriving in each half-hour of
    the day, one line per option, pooled over days and replications.

    Half-hours in which fewer than five visits of an option arrived are left as gaps.

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
    >>> figure = waits_by_time_of_day(results)
    >>> [ax.get_ylabel() for ax in figure.axes]
    ['Mean wait (min)', '90th-percentile wait (min)']
    >>> figure.axes[1].xaxis.get_major_formatter()(450)
    '07:30'
    """
    text = _labels(labels)
    visits = _counted_visits(results)
    slot = (visits["arrival"].to_numpy() % MINUTES_PER_DAY) // SLOT_MINUTES * SLOT_MINUTES
    grouped = visits.assign(slot=slot).groupby(["option", "slot"], observed=True)["wait"]
    table = pd.DataFrame({"count": grouped.size(), "mean": grouped.mean(),
                          "p90": grouped.quantile(0.9)}).reset_index()
    table = table[table["count"] >= MIN_VISITS_PER_SLOT]
    slots = (np.arange(table["slot"].min(), table["slot"].max() + 1, SLOT_MINUTES)
             if len(table) else np.array([], dtype=float))  # every half-hour: gaps stay gaps
    with styled():
        figure = _figure(results, text, "by_time.title",
                         size=_taller(TALL_FIGURE_SIZE, _option_names(results, text)))
        top, bottom = figure.subplots(2, 1, sharex=True)
        for option, colour in _colours(results).items():
            mine = table[table["option"] == option].set_index("slot").reindex(slots)
            for ax, column in ((top, "mean"), (bottom, "p90")):
                ax.plot(slots + SLOT_MINUTES / 2, mine[column], color=colour,
                        linewidth=_widths(results)[option], marker="o", markersize=3,
                        label=_option_label(text, option))
        top.set_ylabel(text["by_time.mean"])
        bottom.set_ylabel(text["by_time.p90"])
        for ax in (top, bottom):
            ax.set_ylim(bottom=0)
            _clock_axis(ax, slots)
        bottom.set_xlabel(text["by_time.x"])
        _legend_above(top, top.get_legend_handles_labels()[0])
    return figure


def queue_through_day(results: Results, labels: Labels = None) -> Figure:
    """Citizens waiting at all counters of the centre, by half-hour of a typical day.

    For each replication the typical day is the median, half-hour by half-hour, over its days
    of the queue length (time-averaged within the half-hour, summed over desks). The line is the
    median of these over replications and the band spans their 10th to 90th percentiles.

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
    >>> figure = queue_through_day(results)
    >>> len(figure.axes[0].get_lines()) == len(results.scenarios.options)
    True
    """
    text = _labels(labels)
    intervals = _counted_intervals(results)
    centre = (intervals.groupby(["option", "replication", "day", "slot"], observed=True)
              ["queue_mean"].sum().reset_index())
    typical = (centre.groupby(["option", "replication", "slot"], observed=True)["queue_mean"]
               .median().reset_index())
    by_slot = typical.groupby(["option", "slot"], observed=True)["queue_mean"]
    table = pd.DataFrame({"median": by_slot.median(), "low": by_slot.quantile(0.1),
                          "high": by_slot.quantile(0.9)}).reset_index()
    slots = _active_slots(intervals, with_queue=False)
    with styled():
        figure = _figure(results, text, "queue.title", size=_taller(
            FIGURE_SIZE, [*_option_names(results, text), text["queue.line"], text["band"]]))
        ax = figure.add_subplot()
        for option, colour in _colours(results).items():
            mine = table[table["option"] == option].set_index("slot").reindex(slots)
            x = slots + SLOT_MINUTES / 2
            ax.plot(x, mine["median"], color=colour, linewidth=_widths(results)[option],
                    label=_option_label(text, option))
            ax.fill_between(x, mine["low"], mine["high"], color=colour, alpha=0.15, linewidth=0)
        ax.set_ylim(bottom=0)
        ax.set_ylabel(text["queue.y"])
        ax.set_xlabel(text["clock"])
        _clock_axis(ax, slots)
        styles = [Line2D([], [], color="0.3", linewidth=2, label=text["queue.line"]),
                  Patch(facecolor="0.5", alpha=0.3, label=text["band"])]
        _legend_above(ax, [*ax.get_legend_handles_labels()[0], *styles])
    return figure


def utilisation_heatmap(results: Results, option: str | None = None,
                        labels: Labels = None) -> Figure:
    """Share of open counters that are busy, per desk (rows) and half-hour (columns), over all
    days and replications of one option (the baseline unless ``option`` names another).

    Each cell is busy counter-minutes over open counter-minutes (or busy ones, when a closed
    counter finishes its citizen); cells where the desk was never open are grey.

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
    >>> figure = utilisation_heatmap(results)
    >>> figure.axes[0].images[0].get_array().shape  # 4 desks, 07:30 to 17:00
    (4, 19)
    >>> utilisation_heatmap(results, option="saturday_mornings", labels="vi").axes[0].get_ylabel()
    'Lĩnh vực'
    """
    text = _labels(labels)
    option = option if option is not None else next(iter(results.scenarios.options))
    if option not in results.scenarios.options:
        raise ValueError(f"no option {option!r}; the options are "
                         + ", ".join(results.scenarios.options))
    intervals = _counted_intervals(results)
    intervals = intervals[intervals["option"] == option]
    slots = _active_slots(intervals, with_arrivals=False, with_queue=False)
    desks = list(pd.unique(intervals["desk"]))
    available = np.maximum(intervals["busy_mean"], intervals["open_mean"])
    sums = (intervals.assign(available=available)
            .groupby(["desk", "slot"], observed=True)[["busy_mean", "open_mean", "available"]]
            .sum())
    share = (sums["busy_mean"] / sums["available"]).where(sums["open_mean"] > 0)
    grid = share.unstack("slot").reindex(index=desks, columns=slots).to_numpy(dtype=float)
    colours = mpl.colormaps["YlOrRd"].with_extremes(bad="#e6e6e6")
    with styled({"axes.grid": False}):
        figure = _figure(results, text, "util.title", option=_option_label(text, option),
                         size=(FIGURE_SIZE[0], max(3.2, 2.2 + 0.45 * len(desks))))
        ax = figure.add_subplot()
        image = ax.imshow(np.ma.masked_invalid(grid), cmap=colours, vmin=0, vmax=1,
                          aspect="auto", interpolation="nearest")
        if grid.size <= 300:
            for (row, column), value in np.ndenumerate(grid):
                if np.isfinite(value):
                    ax.text(column, row, f"{value:.0%}", ha="center", va="center", fontsize=7,
                            color="white" if value > 0.65 else "black")
        step = 1 if len(slots) <= 24 else 2
        ax.set_xticks(range(0, len(slots), step), [_clock(s) for s in slots[::step]],
                      rotation=90)
        ax.set_yticks(range(len(desks)), desks)
        ax.set_xlabel(text["util.x"])
        ax.set_ylabel(text["util.y"])
        colourbar = figure.colorbar(image, ax=ax, format=PercentFormatter(1.0))
        colourbar.set_label(text["util.colour"])
    return figure


def backlog_burndown(results: Results, labels: Labels = None) -> Figure | None:
    """Back-office dossiers open at the end of each day (top: all, and the part transferred
    from the district when there is one) and overdue ones (bottom, dashed), one colour per
    option; lines are means over replications, bands their 10th to 90th percentiles.

    Returns ``None`` when the scenario has no back office (no dossiers in any option), so that
    there is no empty figure to show or save.

    >>> import sim
    >>> theory = sim.DEMO_SCENARIO.parent / "theory" / "back_office_mmc.yaml"
    >>> results = sim.run(theory, replications=2, overrides=["calendar.working_days=3"])
    >>> figure = backlog_burndown(results)
    >>> [ax.get_ylabel() for ax in figure.axes]
    ['Open dossiers', 'Overdue dossiers']
    >>> backlog_burndown(sim.run(sim.DEMO_SCENARIO, replications=1,
    ...                          overrides=["calendar.working_days=1"])) is None
    True
    """
    if results.dossiers.empty:
        return None
    text = _labels(labels)
    daily = results.daily.assign(date=pd.to_datetime(results.daily["date"]))
    columns = ["open_dossiers", "open_transferred", "overdue"]
    grouped = daily.groupby(["option", "date"], observed=True)[columns]
    mean = grouped.mean()
    low, high = grouped.quantile(0.1), grouped.quantile(0.9)
    transferred = bool((daily["open_transferred"] > 0).any())
    overdue_target = results.scenarios.baseline.targets.overdue
    with styled():
        figure = _figure(results, text, "backlog.title", size=_taller(
            TALL_FIGURE_SIZE, [*_option_names(results, text), *(text[key] for key in (
                "backlog.open", "backlog.transferred", "backlog.overdue_line", "band"))]))
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
        for option, colour in _colours(results).items():
            if option not in mean.index.get_level_values("option"):
                continue
            dates = mean.loc[option].index
            for ax, column, style in ((top, "open_dossiers", "-"), (bottom, "overdue", "--")):
                ax.plot(dates, mean.loc[option, column], color=colour, linestyle=style,
                        linewidth=_widths(results)[option], label=_option_label(text, option))
                ax.fill_between(dates, low.loc[option, column], high.loc[option, column],
                                color=colour, alpha=0.15, linewidth=0)
            if transferred:
                top.plot(dates, mean.loc[option, "open_transferred"], color=colour,
                         linestyle=":", linewidth=_widths(results)[option], gid="transferred")
        if overdue_target is not None:
            bottom.axhline(overdue_target, color=TARGET_COLOUR, linestyle="-.", linewidth=1.2,
                           gid="target", label=text["target"])
        for ax in (top, bottom):
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        top.set_ylabel(text["backlog.open"])
        bottom.set_ylabel(text["backlog.overdue"])
        bottom.set_xlabel(text["backlog.x"])
        bottom.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=12))
        bottom.xaxis.set_major_formatter(DateFormatter("%d/%m"))
        styles = [Line2D([], [], color="0.3", linewidth=2, label=text["backlog.open"]),
                  *([Line2D([], [], color="0.3", linestyle=":", linewidth=2,
                            label=text["backlog.transferred"])] if transferred else []),
                  Line2D([], [], color="0.3", linestyle="--", linewidth=2,
                         label=text["backlog.overdue_line"]),
                  Patch(facecolor="0.5", alpha=0.3, label=text["band"])]
        options = top.get_legend_handles_labels()[0]
        targets = [line for line in bottom.get_lines() if line.get_gid() == "target"]
        _legend_above(top, [*options, *styles, *targets])
    return figure


def options_side_by_side(results: Results, metrics: Sequence[str] | None = None,
                         labels: Labels = None) -> Figure | None:
    """One panel per metric with a bar per option: the mean over replications and its 95%
    confidence interval, and the scenario's target as a dashed line where it sets one.

    The default metrics are the headline ones that the results have: mean and 90th-percentile
    wait, share served within the target, share who gave up, and the dossiers' on-time share
    and overdue count when there is a back office. Intervals are clipped to what the metric can
    take (no negative waits, no share above 100%). None when no headline metric has a value
    (nobody came in any run).

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
    >>> figure = options_side_by_side(results)
    >>> [ax.get_title() for ax in figure.axes]
    ['Mean wait (min)', '90th-percentile wait (min)', 'Served within 15 min', 'Gave up waiting']
    >>> [float(line.get_xdata()[0]) for line in figure.axes[1].get_lines()
    ...  if line.get_gid() == "target"]
    [30.0]
    """
    text = _labels(labels)
    summary = results.summary.astype({"option": str})
    available = set(summary.loc[summary["mean"].notna(), "metric"])
    if metrics is None:
        metrics = [m for m in HEADLINE_METRICS if m in available]
        if not metrics:
            return None
    else:
        missing = [m for m in metrics if m not in set(summary["metric"])]
        if missing:
            raise ValueError(f"no metric {missing[0]!r} in the summary")
    if not metrics:
        raise ValueError("no metrics to compare")
    colours = _colours(results)
    options = list(colours)
    table = summary.set_index(["metric", "option"])
    columns = 2 if len(metrics) == 4 else min(len(metrics), 3)
    rows = -(-len(metrics) // columns)
    height = max(FIGURE_SIZE[1], 1.0 + rows * (0.9 + 0.32 * len(options)))
    with styled():
        figure = _figure(results, text, "options.title", size=(10.0, height))
        axes = figure.subplots(rows, columns, sharey=True, squeeze=False).ravel()
        for ax in axes[len(metrics):]:
            ax.remove()
        for ax, metric in zip(axes, metrics, strict=False):
            _metric_panel(ax, table.loc[metric].reindex(options), metric, colours, results, text)
        axes[0].set_yticks(range(len(options)), [_option_label(text, o) for o in options])
        axes[0].invert_yaxis()  # baseline on top
        if any(line.get_gid() == "target" for ax in axes for line in ax.get_lines()):
            figure.legend(handles=[Line2D([], [], color=TARGET_COLOUR, linestyle="--",
                                          label=text["target"])], loc="outside upper right")
    return figure


class ResultPlots:
    """The figures of one results set; ``results.plot`` returns one of these.

    Methods return a fresh :class:`~matplotlib.figure.Figure` each time (``backlog`` returns
    ``None`` without a back office); ``lang`` picks the language of the texts.

    >>> import sim
    >>> days = ["calendar.working_days=1"]  # a short run for the example
    >>> results = sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days)
    >>> plots = ResultPlots(results, lang="vi")
    >>> plots.queue().axes[0].get_ylabel()
    'Số người đang chờ (toàn trung tâm)'
    >>> list(plots.figures())  # no back office in the demo: no burn-down
    ['waits', 'waits_by_time_of_day', 'queue_through_day', 'utilisation_heatmap', \
'options_side_by_side']
    """

    def __init__(self, results: Results, lang: str = "en") -> None:
        _labels(lang)  # fails now on an unknown language
        self.results = results
        self.lang = lang

    def waits(self, lang: str | None = None) -> Figure:
        """ECDF of waits per option with the targets: see :func:`waits`."""
        return waits(self.results, lang or self.lang)

    def by_time_of_day(self, lang: str | None = None) -> Figure:
        """Mean and p90 wait by half-hour of arrival: see :func:`waits_by_time_of_day`."""
        return waits_by_time_of_day(self.results, lang or self.lang)

    def queue(self, lang: str | None = None) -> Figure:
        """Queue length through a typical day: see :func:`queue_through_day`."""
        return queue_through_day(self.results, lang or self.lang)

    def utilisation(self, option: str | None = None, lang: str | None = None) -> Figure:
        """Desk x half-hour utilisation of one option: see :func:`utilisation_heatmap`."""
        return utilisation_heatmap(self.results, option, lang or self.lang)

    def backlog(self, lang: str | None = None) -> Figure | None:
        """Back-office burn-down, or None without one: see :func:`backlog_burndown`."""
        return backlog_burndown(self.results, lang or self.lang)

    def options(self, metrics: Sequence[str] | None = None,
                lang: str | None = None) -> Figure | None:
        """Options side by side with confidence intervals: see :func:`options_side_by_side`."""
        return options_side_by_side(self.results, metrics, lang or self.lang)

    def figures(self, lang: str | None = None) -> dict[str, Figure]:
        """Every figure that applies, by file name (without extension), in a fixed order."""
        lang = lang or self.lang
        makers: dict[str, Callable[[], Figure | None]] = {
            "waits": lambda: self.waits(lang),
            "waits_by_time_of_day": lambda: self.by_time_of_day(lang),
            "queue_through_day": lambda: self.queue(lang),
            "utilisation_heatmap": lambda: self.utilisation(lang=lang),
            "backlog_burndown": lambda: self.backlog(lang),
            "options_side_by_side": lambda: self.options(lang=lang),
        }
        made = {name: make() for name, make in makers.items()}
        return {name: figure for name, figure in made.items() if figure is not None}

    def save_all(self, folder: str | Path, formats: Iterable[str] = ("png", "svg"),
                 lang: str | None = None) -> list[Path]:
        """Write every figure as ``<folder>/<name>.<format>`` (PNG at 120 dpi) and return the
        paths; the folder is created if needed and the burn-down skipped without a back office.

        >>> import sim, tempfile
        >>> days = ["calendar.working_days=1"]
        >>> plots = ResultPlots(sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     [path.name for path in plots.save_all(folder, formats=["svg"])][:2]
        ['waits.svg', 'waits_by_time_of_day.svg']
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        formats = tuple(formats)
        written = []
        for name, figure in self.figures(lang).items():
            for extension in formats:
                path = folder / f"{name}.{extension}"
                save_figure(figure, path)
                written.append(path)
        return written


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Save a figure of this module as PNG (120 dpi), SVG (text kept as text) or any format
    matplotlib knows from the extension, without the creation date, so that the same figure
    gives the same file."""
    path = Path(path)
    extension = path.suffix.lstrip(".").lower()
    metadata = {"png": {"Software": None}, "svg": {"Date": None},
                "pdf": {"CreationDate": None}}.get(extension)
    with styled():
        figure.savefig(path, dpi=DPI, metadata=metadata)
    return path


# --- helpers -------------------------------------------------------------------------------------
def _labels(labels: Labels) -> dict[str, str]:
    """English texts updated with a language of LABELS or a mapping of overrides."""
    if isinstance(labels, str):
        if labels not in LABELS:
            raise ValueError(f"no labels for language {labels!r}; known: " + ", ".join(LABELS))
        labels = LABELS[labels]
    return {**LABELS["en"], **(labels or {})}


def styled(extra: Mapping[str, object] | None = None) -> AbstractContextManager:
    """The figures' common look (fonts with Vietnamese letters, plain-text names)."""
    return mpl.rc_context({**STYLE, **(extra or {})})


def _figure(results: Results, text: Mapping[str, str], title: str,
            size: tuple[float, float] = FIGURE_SIZE, **fields: str) -> Figure:
    """A figure with the title on top and the scenario, replications and seed as a footer."""
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    figure.suptitle(text[title].format(**fields), x=0.01, ha="left")
    context = text["context"].format(scenario=results.scenarios.baseline.name,
                                     replications=len(results.seeds), seed=results.root_seed)
    figure.supxlabel(textwrap.shorten(context, width=130, placeholder="\u2026"), x=0.01,
                     ha="left", fontsize=8, color="0.4")
    return figure


def _colours(results: Results) -> dict[str, str]:
    """A fixed colour per option, the same in every figure: the baseline dark grey."""
    options = list(results.scenarios.options)
    palette = iter(OPTION_COLOURS * (1 + len(options) // len(OPTION_COLOURS)))
    return {option: BASELINE_COLOUR if index == 0 else next(palette)
            for index, option in enumerate(options)}


def _option_label(text: Mapping[str, str], option: str) -> str:
    return text.get(f"option.{option}", option)


def _option_names(results: Results, text: Mapping[str, str]) -> list[str]:
    return [_option_label(text, option) for option in results.scenarios.options]


def _widths(results: Results) -> dict[str, float]:
    """Line widths that shrink option by option, so that options with the same curve (common
    random numbers make that common) show as nested stripes rather than hiding each other."""
    return {option: max(1.2, 3.6 - 0.4 * index)
            for index, option in enumerate(results.scenarios.options)}


def _legend_above(ax: Axes, handles: Sequence[Artist]) -> None:
    """A legend between the figure's title and the (top) axes, in as many columns as fit."""
    columns, _ = _legend_shape([str(handle.get_label()) for handle in handles])
    ax.legend(handles=list(handles), loc="lower left", bbox_to_anchor=(0.0, 1.02),
              ncols=columns, frameon=False, borderaxespad=0.0)


def _legend_shape(names: Sequence[str]) -> tuple[int, int]:
    """Columns and rows of a legend across a figure of the usual width."""
    longest = max(len(name) for name in names)
    columns = max(1, min(4, len(names), 90 // (longest + 6)))
    return columns, -(-len(names) // columns)


def _taller(size: tuple[float, float], names: Sequence[str]) -> tuple[float, float]:
    """Room for a legend of these entries above the plots."""
    return size[0], size[1] + 0.22 * _legend_shape(names)[1]


def _clock(minutes: float) -> str:
    minutes = round(minutes) % MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _clock_axis(ax: Axes, slots: np.ndarray) -> None:
    """Minutes since midnight shown as clock times, hourly ticks, from the first to the last
    half-hour given."""
    if len(slots):
        ax.set_xlim(slots.min(), slots.max() + SLOT_MINUTES)
    span = (slots.max() - slots.min()) if len(slots) else 0
    ax.xaxis.set_major_locator(MultipleLocator(60 if span <= 14 * 60 else 120))
    ax.xaxis.set_minor_locator(MultipleLocator(SLOT_MINUTES))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _clock(value)))


def _counted_visits(results: Results) -> pd.DataFrame:
    """Visits that arrived after their option's warm-up, as the metrics count them."""
    visits = results.visits
    warmup = visits["option"].map(_warmups(results)).astype(float)
    return visits[visits["arrival"] >= warmup]


def _counted_intervals(results: Results) -> pd.DataFrame:
    """Intervals that start after their option's warm-up, with `slot`: minutes since midnight."""
    intervals = results.intervals
    clock = intervals["time"].astype(str)
    slot = clock.str[:2].astype(int) * 60 + clock.str[3:].astype(int)
    dates = results.daily[["option", "replication", "day", "date"]]
    midnight = intervals[["option", "replication", "day"]].merge(
        dates, on=["option", "replication", "day"], how="left")["date"]
    starts = {option: pd.Timestamp(scenario.calendar.start)
              for option, scenario in results.scenarios.options.items()}
    days = (pd.to_datetime(midnight.to_numpy())
            - pd.to_datetime(intervals["option"].map(starts).to_numpy())).days
    absolute = np.asarray(days) * MINUTES_PER_DAY + slot.to_numpy()
    warmup = intervals["option"].map(_warmups(results)).astype(float).to_numpy()
    return intervals.assign(slot=slot.to_numpy())[absolute >= warmup]


def _warmups(results: Results) -> dict[str, float]:
    return {option: scenario.warmup_minutes for option, scenario in
            results.scenarios.options.items()}


def _active_slots(intervals: pd.DataFrame, with_arrivals: bool = True,
                  with_queue: bool = True) -> np.ndarray:
    """Half-hours (minutes since midnight) from the first to the last in which a counter was
    open, or someone arrived, or someone waited (as asked)."""
    active = intervals["open_mean"] > 0
    if with_arrivals:
        active |= intervals["arrivals"] > 0
    if with_queue:
        active |= intervals["queue_mean"] > 0
    active = intervals.loc[active, "slot"]
    if active.empty:
        return np.array([], dtype=int)
    return np.arange(active.min(), active.max() + 1, SLOT_MINUTES)


def _metric_panel(ax: Axes, rows: pd.DataFrame, metric: str, colours: Mapping[str, str],
                  results: Results, text: Mapping[str, str]) -> None:
    """Bars of one metric per option with their confidence intervals and the target."""
    share = metric.endswith("_share") or metric.startswith("utilisation")
    upper_bound = 1.0 if share else np.inf
    mean = rows["mean"].to_numpy(dtype=float)
    low = np.clip(rows["ci_low"].to_numpy(dtype=float), 0, upper_bound)
    high = np.clip(rows["ci_high"].to_numpy(dtype=float), 0, upper_bound)
    errors = np.nan_to_num(np.vstack([mean - low, high - mean]), nan=0.0).clip(min=0)
    y = np.arange(len(rows))
    ax.barh(y, np.nan_to_num(mean), color=[colours[o] for o in rows.index], alpha=0.85,
            xerr=errors, error_kw={"ecolor": "0.2", "capsize": 4, "linewidth": 1.2})
    target = _target(results, metric)
    if target is not None:
        ax.axvline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.5, gid="target")
    ax.set_title(text.get(f"metric.{metric}", metric).format(
        minutes=target_minutes(results.scenarios.baseline)))
    right = max(np.nanmax(mean + errors[1], initial=0.0), target or 0.0) * 1.15 or 1.0
    ax.set_xlim(0, right)
    for position, value, end in zip(y, mean, mean + errors[1], strict=True):
        if not np.isfinite(value):
            continue
        label = (f"{value:.1%}" if value < 0.1 else f"{value:.0%}") if share else (
            f"{value:.1f}" if abs(value) < 100 else f"{value:.0f}")
        if value > 0.3 * right:  # inside the bar, at its start
            ax.annotate(label, xy=(0, position), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=8, color="white", fontweight="bold")
        else:
            ax.annotate(label, xy=(end, position), xytext=(4, 0), textcoords="offset points",
                        va="center", fontsize=8)
    if share:
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.grid(axis="y", visible=False)


def _target(results: Results, metric: str) -> float | None:
    """The baseline's target for a summary metric, if it sets one."""
    value = getattr(results.scenarios.baseline.targets, metric, None)
    if metric == "within_target_share" and value is not None:
        return float(value.at_least)
    return float(value) if value is not None else None
