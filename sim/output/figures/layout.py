"""Parts every results figure shares: the canvas with its title and footer, the legend above
the plots, and clock-time axes."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MultipleLocator

from sim.analysis.frames import SLOT_MINUTES
from sim.experiment.runner import Results
from sim.model.calendar import MINUTES_PER_DAY
from sim.output.figures.style import DPI, FIGURE_SIZE, line_widths, option_colours
from sim.output.figures.text import FigureText, option_label
from sim.output.names import Names
from sim.output.translations import Translator


def new_figure(results: Results, text: FigureText, title: str,
               size: tuple[float, float] = FIGURE_SIZE, **fields: str) -> Figure:
    """A figure (without pyplot: no global state, no display) with the title on top and the
    scenario, replications and seed as a footer, so that a copied figure says what it is."""
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    figure.suptitle(text[title].format(**fields), x=0.01, ha="left")
    scenario = Names(results.scenarios.baseline, text.t.lang).title()
    context = text["context"].format(scenario=scenario,
                                     replications=len(results.seeds), seed=results.root_seed)
    figure.supxlabel(textwrap.shorten(context, width=130, placeholder="\u2026"), x=0.01,
                     ha="left", fontsize=8, color="0.4")
    return figure


@dataclass(frozen=True)
class OptionLook:
    """How an option's lines look in every figure, and its name in legends."""

    colour: str
    width: float
    label: str


def each_option(table: pd.DataFrame, results: Results,
                text: Mapping[str, str]) -> Iterator[tuple[OptionLook, pd.DataFrame]]:
    """Each option's look and its rows of a figure-data table (column ``option``), in the
    options' order, so that the baseline is drawn first and every figure colours alike."""
    options = results.scenarios.options
    widths = line_widths(options)
    for option, colour in option_colours(options).items():
        look = OptionLook(colour, widths[option], option_label(text, option))
        yield look, table[table["option"] == option]


def legend_above(ax: Axes, handles: Sequence[Artist]) -> None:
    """A legend between the figure's title and the (top) axes, in as many columns as fit."""
    columns, _ = legend_shape([str(handle.get_label()) for handle in handles])
    ax.legend(handles=list(handles), loc="lower left", bbox_to_anchor=(0.0, 1.02),
              ncols=columns, frameon=False, borderaxespad=0.0)


def legend_shape(names: Sequence[str]) -> tuple[int, int]:
    """Columns and rows of a legend across a figure of the usual width."""
    longest = max(len(name) for name in names)
    columns = max(1, min(4, len(names), 90 // (longest + 6)))
    return columns, -(-len(names) // columns)


def taller(size: tuple[float, float], names: Sequence[str]) -> tuple[float, float]:
    """Room for a legend of these entries above the plots."""
    return size[0], size[1] + 0.22 * legend_shape(names)[1]


def clock_label(minutes: float) -> str:
    """Minutes since midnight as "HH:MM"."""
    minutes = round(minutes) % MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def percent_ticks(t: Translator) -> FuncFormatter:
    """Shares on an axis as percentages written the language's way (``12,5%`` in Vietnamese)."""
    return FuncFormatter(lambda value, _: t.percent(value, None))


def slot_middles(slots: np.ndarray) -> np.ndarray:
    """Where a half-hour's value is drawn: the middle of the half-hour."""
    return slots + SLOT_MINUTES / 2


def clock_axis(ax: Axes, slots: np.ndarray) -> None:
    """Minutes since midnight shown as clock times, hourly ticks, from the first to the last
    half-hour given."""
    if len(slots):
        ax.set_xlim(slots.min(), slots.max() + SLOT_MINUTES)
    span = (slots.max() - slots.min()) if len(slots) else 0
    ax.xaxis.set_major_locator(MultipleLocator(60 if span <= 14 * 60 else 120))
    ax.xaxis.set_minor_locator(MultipleLocator(SLOT_MINUTES))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: clock_label(value)))
