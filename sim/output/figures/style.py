"""The figures' common look and how they are saved: fonts, sizes, colours and deterministic
files, shared by the results figures and the province map."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

FIGURE_SIZE = (8.0, 4.5)  # inches
TALL_FIGURE_SIZE = (8.0, 6.0)
DPI = 120
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
# Legend entries that explain a line's style, not an option: a mid grey, so that none reads
# as the baseline's near-black line.
STYLE_KEY_COLOUR = "0.6"
OPTION_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                  "#17becf", "#bcbd22", "#7f7f7f")
TARGET_COLOUR = "#c0392b"
BAND_ALPHA = 0.15  # fill of the bands over replications


def styled(extra: Mapping[str, object] | None = None) -> AbstractContextManager:
    """The figures' common look (fonts with Vietnamese letters, plain-text names)."""
    return mpl.rc_context({**STYLE, **(extra or {})})


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Save a figure as PNG (120 dpi), SVG (text kept as text) or any format matplotlib knows
    from the extension, without the creation date, so that the same figure gives the same
    file."""
    path = Path(path)
    extension = path.suffix.lstrip(".").lower()
    metadata = {"png": {"Software": None}, "svg": {"Date": None},
                "pdf": {"CreationDate": None}}.get(extension)
    with styled():
        figure.savefig(path, dpi=DPI, metadata=metadata)
    return path


def option_colours(options: Iterable[str]) -> dict[str, str]:
    """A fixed colour per option, the same in every figure: the baseline (first) dark grey."""
    options = list(options)
    palette = iter(OPTION_COLOURS * (1 + len(options) // len(OPTION_COLOURS)))
    return {option: BASELINE_COLOUR if index == 0 else next(palette)
            for index, option in enumerate(options)}


WIDEST_LINE, NARROWEST_LINE = 4.0, 1.2  # points: the baseline's, and the last option's


def line_widths(options: Iterable[str]) -> dict[str, float]:
    """Line widths that shrink evenly from the baseline's to the last option's, so that
    options with the same curve (common random numbers make that common) show as nested
    stripes, each wide enough to see round the next, rather than hiding each other."""
    options = list(options)
    step = (WIDEST_LINE - NARROWEST_LINE) / max(len(options) - 1, 1)
    return {option: WIDEST_LINE - step * index for index, option in enumerate(options)}
