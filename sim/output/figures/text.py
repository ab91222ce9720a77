"""The words of the figures: titles, axis labels, legends and notes, by the part they label.

The drawing code looks texts up by a key (``<figure>.<part>``; ``metric.<name>`` for the panels
of the options figure, ``caption.<figure>`` for the report's caption of each figure, ``map.<part>``
for the province map); the words themselves are English msgids translated by the catalogues of
:mod:`sim.output.translations`. Placeholders in braces are filled in by the drawing code, with
numbers already written the language's way (:attr:`FigureText.t`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from sim.output.metric_text import METRIC_NAMES
from sim.output.names import Names
from sim.output.translations import N_, Translator, translator
from sim.scenario.schema import Scenario

FIGURE_TEXT: dict[str, str] = {
    "context": N_("{scenario} \u00b7 replications: {replications} \u00b7 seed {seed}"),
    "band": N_("10\u201390% of replications"),
    "target": N_("target"),
    "clock": N_("Time of day"),
    "waits.title": N_("How long citizens wait at the counters"),
    "waits.x": N_("Wait (minutes)"),
    "waits.y": N_("Share of visits"),
    "waits.legend": N_("Share of visits waiting at most x minutes"),
    "waits.target_p90": N_("Target: 90% wait at most {minutes} min"),
    "waits.target_within": N_("Target: {share} served within {minutes} min"),
    "waits.cut": N_("x axis ends at the 99th percentile wait"),
    "by_time.title": N_("Wait by time of arrival (pooled over days and replications)"),
    "by_time.mean": N_("Mean wait (min)"),
    "by_time.p90": N_("90th-percentile wait (min)"),
    "by_time.x": N_("Time of arrival (half-hour)"),
    "queue.title": N_("Citizens waiting at the counters through a typical day"),
    "queue.y": N_("Citizens waiting (whole centre)"),
    "queue.line": N_("median day"),
    "util.title": N_("Counter utilisation by desk and half-hour \u2013 {option}"),
    "util.x": N_("Half-hour starting at (grey: desk closed)"),
    "util.y": N_("Desk"),
    "util.colour": N_("Busy counters / open counters"),
    "backlog.title": N_("Back-office dossiers open at the end of each day "
                        "(mean over replications)"),
    "backlog.open": N_("Open dossiers"),
    "backlog.transferred": N_("of which transferred from the district"),
    "backlog.overdue": N_("Overdue dossiers"),
    "backlog.target": N_("target for the end of the period"),
    "backlog.overdue_line": N_("overdue (past deadline, still open)"),
    "backlog.x": N_("Date (day/month)"),
    "options.title": N_("Options compared: mean and 95% confidence interval over replications"),
    "classes.title": N_("Waits by ticket class: mean and 95% confidence interval over "
                        "replications"),
    "metric.within_target_share": N_("Served within {minutes} min"),
    "caption.waits": N_("How long visitors waited: share served within each number of minutes."),
    "caption.waits_by_time_of_day": N_("Mean and 90th-percentile wait by the time of day "
                                       "people arrived."),
    "caption.queue_through_day": N_("People waiting through a typical day (band: 10-90% over "
                                    "replications)."),
    "caption.utilisation_heatmap": N_("How busy each desk was, by half-hour."),
    "caption.backlog_burndown": N_("Open dossiers and the transferred backlog, day by day."),
    "caption.options_side_by_side": N_("The options side by side, with 95% confidence "
                                       "intervals."),
    "caption.waits_by_ticket_class": N_("How long walk-in, booked and priority tickets waited, "
                                        "option by option, with 95% confidence intervals."),
    "map.title": N_("{name}\ntargets each centre misses ({option})"),
    "map.colour": N_("targets missed with 95% confidence"),
    "map.unclear": N_("none missed clearly, but not every target met with 95% confidence"),
    "map.x": N_("longitude"),
    "map.y": N_("latitude"),
    "map.note": N_("centres without coordinates are not shown"),
    "allocation.title": N_("{name}\nwhere the extra staff go"),
    "allocation.colour": N_("extra staff placed at the centre"),
}

Labels = Mapping[str, str] | str | None
"""A language of :data:`sim.output.translations.LANGUAGES`, or English texts overridden by key
(``"option.<name>"`` renames an option in legends), or None for English."""


class FigureText(Mapping[str, str]):
    """The texts of the figures by key in one language, and its translator for numbers."""

    def __init__(self, words: Mapping[str, str], t: Translator) -> None:
        self.words = dict(words)
        self.t = t

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


def figure_text(labels: Labels, scenario: Scenario | None = None) -> FigureText:
    """The texts in a language, or the English texts updated with a mapping of overrides;
    with a scenario, its options and desks by their names (``option.<id>``, ``desk.<id>``)."""
    t = translator(labels if isinstance(labels, str) else "en")
    words = {f"metric.{metric}": t.gettext(name) for metric, name in METRIC_NAMES.items()}
    words |= {key: t.gettext(message) for key, message in FIGURE_TEXT.items()}
    if scenario is not None:
        words |= scenario_names(Names(scenario, t.lang))
    if not isinstance(labels, str):
        words |= labels or {}
    return FigureText(words, t)


def scenario_names(names: Names) -> dict[str, str]:
    """The legend keys of a scenario's options and desks (``site.desk`` with sites)."""
    scenario = names.scenario
    desks = [*scenario.desk_names(), *(f"{site}.{desk}" for site, site_desks in
                                       (scenario.sites or {}).items() for desk in site_desks)]
    return ({f"option.{option}": names.option(option) for option in names.options}
            | {f"desk.{desk}": names.desk(desk) for desk in desks})


def option_label(text: Mapping[str, str], option: str) -> str:
    """An option's name in legends: its own name unless the texts rename it."""
    return text.get(f"option.{option}", option)


def option_names(options: Iterable[str], text: Mapping[str, str]) -> list[str]:
    """The legend names of the options, in their order."""
    return [option_label(text, option) for option in options]
