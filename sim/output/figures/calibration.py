"""The calibration page's figures: the arrival profile, visitors per day, service Q-Q plots,
the patience curve and open counters, each set against what was fitted.

Titles and labels are Vietnamese first, English beside (`sim.output.calibration_text`);
procedures are named as citizens know them.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from scipy import stats

from sim.calibrate.arrivals_fit import SLOT
from sim.calibrate.calibration import Calibration
from sim.calibrate.families import cdf, quantiles
from sim.calibrate.service_fit import ServiceFit
from sim.output.calibration_text import both
from sim.output.figures.layout import clock_label
from sim.output.figures.style import BAND_ALPHA, DPI, FIGURE_SIZE, OPTION_COLOURS, styled

OBSERVED, FITTED = "#222222", OPTION_COLOURS[1]
QQ_COLUMNS = 3
QQ_POINTS = 1000


def _figure(title: str, size: tuple[float, float] = FIGURE_SIZE) -> Figure:
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    figure.suptitle(title, x=0.01, ha="left")
    return figure


def _clock_axis(ax, minutes: np.ndarray) -> None:
    ticks = np.arange(math.floor(minutes.min() / 60) * 60, minutes.max() + 60, 60)
    ax.set_xticks(ticks, [clock_label(tick) for tick in ticks])


def profile_figure(calibration: Calibration) -> Figure:
    """Visitors per hour in each half-hour, with the 95% interval of each."""
    with styled():
        figure = _figure(both("fig.profile"))
        ax = figure.add_subplot()
        items = list(calibration.arrivals.profile.items())[:-1]
        starts = np.array([int(c[:2]) * 60 + int(c[3:]) for c, _ in items])
        values = np.array([estimate.value for _, estimate in items])
        errors = np.array([[e.value - e.low for _, e in items],
                           [e.high - e.value for _, e in items]])
        ax.bar(starts + SLOT / 2, values, width=SLOT * 0.9, color="#9ecae1",
               label=both("fig.profile.observed"))
        ax.errorbar(starts + SLOT / 2, values, yerr=errors, fmt="none", color=OBSERVED,
                    capsize=2, linewidth=1)
        _clock_axis(ax, starts)
        ax.set_xlabel(both("fig.profile.x"))
        ax.set_ylabel(both("fig.profile.y"))
        ax.legend(loc="upper right")
    return figure


def daily_figure(calibration: Calibration) -> Figure:
    """First trips each day against a 90% Poisson band around each weekday's mean."""
    daily = calibration.arrivals.daily
    means = {w.weekday: w.mean.value for w in calibration.arrivals.weekdays}
    expected = daily["weekday"].map(means).to_numpy()
    x = np.arange(len(daily))
    with styled():
        figure = _figure(both("fig.daily"))
        ax = figure.add_subplot()
        ax.fill_between(x, stats.poisson.ppf(0.05, expected), stats.poisson.ppf(0.95, expected),
                        step="mid", color=FITTED, alpha=BAND_ALPHA, label=both("fig.daily.band"))
        ax.plot(x, daily["first_trips"], "o-", color=OBSERVED, markersize=3)
        ax.set_xticks(x, [f"{d:%d/%m}" for d in daily["date"]], rotation=90)
        ax.set_ylabel(both("fig.daily.y"))
        ax.legend(loc="upper right")
    return figure


def qq_figure(calibration: Calibration) -> Figure:
    """Observed against fitted quantiles of each procedure's (own or pooled) fit."""
    fits = calibration.services
    rows = math.ceil(len(fits) / QQ_COLUMNS)
    with styled():
        figure = _figure(both("fig.qq"), (FIGURE_SIZE[0], 2.6 * rows + 0.6))
        for index, fit in enumerate(fits):
            _qq_panel(figure.add_subplot(rows, QQ_COLUMNS, index + 1), fit, calibration)
        figure.supxlabel(both("fig.qq.x"), fontsize=9)
        figure.supylabel(both("fig.qq.y"), fontsize=9)
    return figure


def _qq_panel(ax, fit: ServiceFit, calibration: Calibration) -> None:
    """At most QQ_POINTS quantiles, evenly spread (a year of tickets would be 50,000 dots)."""
    sample, best = fit.fit.sample, fit.fit.best
    ranks = np.unique(np.linspace(0, len(sample) - 1, min(len(sample), QQ_POINTS)).astype(int))
    q = (ranks + 0.5) / len(sample)
    theoretical = quantiles(best.dist, best.mean, best.cv, q)
    ax.plot(theoretical, sample[ranks], ".", color=OBSERVED, markersize=2)
    top = float(max(theoretical[-1], sample[-1]))
    ax.plot([0, top], [0, top], color=FITTED, linewidth=1)
    name = calibration.procedures[fit.procedure].name
    note = " *" if fit.pooled else ""
    ax.set_title(f"{name}{note}\n{best.dist}, n = {fit.fit.n:,}", fontsize=8)


def patience_figure(calibration: Calibration) -> Figure | None:
    """The nonparametric survival of patience beside the fitted one."""
    fit = calibration.patience
    if fit is None:
        return None
    with styled():
        figure = _figure(both("fig.patience"))
        ax = figure.add_subplot()
        minutes, survival = _steps(fit.curve_minutes, fit.curve_survival)
        ax.step(minutes, survival, where="post", color=OBSERVED,
                label=both("fig.patience.npmle"))
        grid = np.linspace(0, max(fit.curve_minutes.max(), 1.0), 200)
        ax.plot(grid, 1 - cdf(fit.dist, fit.mean.value, fit.cv, grid), color=FITTED,
                label=both("fig.patience.fit"))
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(both("fig.patience.x"))
        ax.set_ylabel(both("fig.patience.y"))
        ax.legend(loc="lower left")
    return figure


def _steps(minutes: np.ndarray, survival: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The curve's corners only: where the survival changes, and its two ends."""
    keep = np.append(True, survival[1:] != survival[:-1])
    keep[-1] = True
    return minutes[keep], survival[keep]


def counters_figure(calibration: Calibration) -> Figure:
    """Open counters by half-hour per desk: the median day and the range over days."""
    daily = calibration.counters.daily
    with styled():
        figure = _figure(both("fig.counters"))
        ax = figure.add_subplot()
        grid = np.arange(daily["slot"].min(), daily["slot"].max() + SLOT, SLOT)
        for colour, (desk, rows) in zip(OPTION_COLOURS, daily.groupby("desk"), strict=False):
            summary = rows.groupby("slot")["open"].agg(["min", "median", "max"]).reindex(grid)
            edges = np.append(grid, grid[-1] + SLOT).astype(float)
            ax.stairs(summary["max"], edges, baseline=summary["min"], fill=True, color=colour,
                      alpha=BAND_ALPHA)
            ax.stairs(summary["median"], edges, baseline=None, color=colour, linewidth=2,
                      label=str(desk))
        _clock_axis(ax, grid.astype(float))
        ax.set_ylim(bottom=0)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylabel(both("fig.counters.y"))
        ax.legend(loc="upper right", title=both("fig.counters.median"))
    return figure


def calibration_figures(calibration: Calibration) -> dict[str, Figure]:
    """Every figure of the page by file name (without extension)."""
    figures = {"arrival_profile": profile_figure(calibration),
               "arrivals_per_day": daily_figure(calibration),
               "service_qq": qq_figure(calibration),
               "patience": patience_figure(calibration),
               "open_counters": counters_figure(calibration)}
    return {name: figure for name, figure in figures.items() if figure is not None}
