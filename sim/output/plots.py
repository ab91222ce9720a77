"""Every figure of a results set by name, in each language, and the files ``sim plot`` writes.

:class:`ResultPlots` is what ``sim plot``, the report and researchers use; the figures
themselves are drawn in :mod:`sim.output.figures` from the numbers of
:mod:`sim.analysis.figure_data`. Like the metrics, the figures count only what happens after
each option's warm-up.

>>> import sim
>>> days = ["calendar.working_days=1"]  # a short run for the example
>>> plots = ResultPlots(sim.run(sim.DEMO_SCENARIO, replications=1, overrides=days))
>>> [ax.get_ylabel() for ax in plots.waits().axes]
['Share of visits']
>>> plots.waits(lang="vi").axes[0].get_xlabel()
'Thời gian chờ (phút)'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from matplotlib.figure import Figure

from sim.analysis.ticket_metrics import class_wait_metrics
from sim.experiment.runner import Results
from sim.output.figures.backlog import backlog_burndown
from sim.output.figures.counters import queue_through_day, utilisation_heatmap
from sim.output.figures.options import options_side_by_side
from sim.output.figures.style import save_figure
from sim.output.figures.text import figure_text
from sim.output.figures.waits import waits, waits_by_time_of_day


class ResultPlots:
    """The figures of one results set: ``ResultPlots(results).waits()`` and so on.

    Methods return a fresh :class:`~matplotlib.figure.Figure` each time (``backlog`` returns
    ``None`` without a back office, ``options`` when nobody came); ``lang`` picks the language
    of the texts.

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
        figure_text(lang)  # fails now on an unknown language
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
        """Options side by side with confidence intervals, or None when nobody came: see
        :func:`options_side_by_side`."""
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
            "waits_by_ticket_class": lambda: self.by_ticket_class(lang),
        }
        made = {name: make() for name, make in makers.items()}
        return {name: figure for name, figure in made.items() if figure is not None}

    def by_ticket_class(self, lang: str | None = None) -> Figure | None:
        """Mean and p90 wait of each ticket class per option, or None for a scenario without
        priority tickets or appointments: :func:`options_side_by_side` of those metrics."""
        metrics = class_wait_metrics(self.results.summary["metric"].astype(str))
        if not metrics:
            return None
        return options_side_by_side(self.results, metrics, lang or self.lang, "classes.title")

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
