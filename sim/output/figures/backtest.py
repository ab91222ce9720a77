"""The backtest figure: each metric day by day, and waits and visits by half-hour, the observed
values as points over the simulated 90% prediction band and mean."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.calibrate.backtest import Backtest
from sim.calibrate.backtest_metrics import DAY_METRICS, SLOT_METRICS
from sim.output.calibration_text import both
from sim.output.figures.style import BAND_ALPHA, DPI, OPTION_COLOURS, styled

OBSERVED, SIMULATED = "#222222", OPTION_COLOURS[0]
COLUMNS = 2


def _panel(ax: Axes, rows: pd.DataFrame, x: np.ndarray, labels: list[str], metric: str) -> None:
    ax.fill_between(x, rows["low"], rows["high"], color=SIMULATED, alpha=BAND_ALPHA * 2,
                    step="mid", label=both("fig.backtest.band", level=0.9))
    ax.plot(x, rows["sim_mean"], color=SIMULATED, linewidth=1, label=both("fig.backtest.mean"))
    outside = rows["inside"].to_numpy() == 0
    ax.plot(x[~outside], rows["observed"].to_numpy()[~outside], "o", color=OBSERVED,
            markersize=3, label=both("fig.backtest.observed"))
    ax.plot(x[outside], rows["observed"].to_numpy()[outside], "o", color=OPTION_COLOURS[1],
            markersize=4)
    step = max(1, len(x) // 10)
    ax.set_xticks(x[::step], labels[::step], rotation=90, fontsize=7)
    ax.set_title(both(f"metric.{metric}"), fontsize=9)


def backtest_figure(backtest: Backtest) -> Figure:
    """Every day metric by date, then the half-hour metrics by clock time."""
    day_metrics = [m for m in (*DAY_METRICS, "dossiers_completed")
                   if (backtest.days["metric"] == m).any()]
    panels = len(day_metrics) + len(SLOT_METRICS)
    rows = math.ceil(panels / COLUMNS)
    nominal = float(backtest.coverage["nominal"].dropna().min())
    with styled():
        figure = Figure(figsize=(9.0, 2.4 * rows + 0.8), dpi=DPI, layout="constrained")
        figure.suptitle(both("fig.backtest", level=nominal), x=0.01, ha="left")
        for index, metric in enumerate(day_metrics):
            table = backtest.days[backtest.days["metric"] == metric].dropna(subset=["low"])
            _panel(figure.add_subplot(rows, COLUMNS, index + 1), table,
                   np.arange(len(table)), [f"{d:%d/%m}" for d in table["date"]], metric)
        for index, metric in enumerate(SLOT_METRICS, start=len(day_metrics)):
            table = backtest.slots[backtest.slots["metric"] == metric].dropna(subset=["low"])
            _panel(figure.add_subplot(rows, COLUMNS, index + 1), table,
                   np.arange(len(table)), list(table["time"]), metric)
        handles, labels = figure.axes[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8)
    return figure
