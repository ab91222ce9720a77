"""The compact tables a planner sees at the end of `sim run` and `sim compare`, in English
unless told otherwise; the words come from the catalogues (:mod:`sim.output.translations`).

Names (of the scenario, options, centres) are printed as plain text: rich would read
`Phường [/bold] 1` as markup and fail, or drop `[mới]`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sim.analysis.targets import scenario_targets
from sim.decide.recommendation import recommend
from sim.output.metric_text import metric_amount, metric_name, metric_title, metric_value
from sim.output.names import option_name
from sim.output.province_report import ranking_caution
from sim.output.recommendation_text import page_lines, stored_sentence
from sim.output.translations import N_, Translator, translator
from sim.scenario.schema import Scenario

HEADLINE: tuple[tuple[str, str], ...] = (  # metric, column heading (short: a terminal is narrow)
    ("arrived", N_("visits")),
    ("wait_mean", N_("mean wait (min)")),
    ("wait_p90", N_("p90 wait (min)")),
    ("within_target_share", N_("served in target")),
    ("abandoned_share", N_("gave up")),
    ("sent_home_share", N_("sent home")),
    ("trips_per_citizen", N_("trips")),
    ("utilisation", N_("utilisation")),
)
DOSSIER_HEADLINE: tuple[tuple[str, str], ...] = (  # shown when the scenario has a back office
    ("dossiers", N_("dossiers")),
    ("on_time_share", N_("on time")),
    ("overdue", N_("overdue")),
    ("lateness_p90", N_("p90 lateness (days)")),
)


def headline(summary: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """The columns of the summary table: the dossiers' too where the run has them."""
    metrics = set(summary["metric"])
    return HEADLINE + tuple(item for item in DOSSIER_HEADLINE if item[0] in metrics)


def summary_table(summary: pd.DataFrame, title: str, lang: str = "en",
                  scenario: Scenario | None = None) -> Table:
    """Options as rows (by their names, given the scenario), headline metrics as columns, each
    'mean ±half-width of the 95% CI'."""
    t = translator(lang)
    intervals = summary["ci_low"].notna().any()  # none with one replication
    table = Table(title=Text(title), title_justify="left",
                  caption=t.gettext("mean ± half-width of 95% CI") if intervals else
                  t.gettext("one replication: no confidence interval"))
    table.add_column(t.gettext("option"), style="bold")
    columns = headline(summary)
    for _, heading in columns:
        table.add_column(t.gettext(heading), justify="right")
    by_key = summary.set_index(["option", "metric"])
    for option in summary["option"].drop_duplicates():
        cells = [_cell(by_key, option, metric, t) for metric, _ in columns]
        table.add_row(Text(option_name(scenario, lang, str(option))), *cells)
    return table


def _cell(by_key: pd.DataFrame, option: str, metric: str, t: Translator) -> str:
    if (option, metric) not in by_key.index:
        return "-"
    row = by_key.loc[(option, metric)]
    if math.isnan(row["mean"]):
        return "-"
    text = metric_value(t, metric, row["mean"])
    if not math.isnan(row["ci_low"]) and row["ci_high"] > row["ci_low"]:
        text += " ±" + metric_value(t, metric, (row["ci_high"] - row["ci_low"]) / 2)
    return text


PIPE_WIDTH = 160  # a log or a pipe has no width; rich's 80 would cut option names and headings


def terminal() -> Console:
    """The console for tables: as wide as the terminal, or PIPE_WIDTH into a pipe."""
    console = Console()
    if not console.is_terminal:
        console.width = PIPE_WIDTH
    return console


def run_title(scenario_name: str, replications: int, lang: str) -> str:
    """The summary table's title: the scenario and how many replications it shows."""
    t = translator(lang)
    return t.ngettext("{name}: {count} replication", "{name}: {count} replications",
                      replications).format(name=scenario_name, count=t.number(replications))


def written_to(folder: Path, lang: str) -> str:
    """The last line of a run: where its results are."""
    return translator(lang).gettext("results written to {folder}").format(folder=folder)


def print_summary(summary: pd.DataFrame, title: str, lang: str = "en",
                  scenario: Scenario | None = None) -> None:
    terminal().print(summary_table(summary, title, lang, scenario))


def comparison_table_view(table: pd.DataFrame, costs: dict[str, float],
                          lang: str = "en", scenario: Scenario | None = None) -> Table:
    """Options as rows; each target metric with its verdict, and the cost in staff-hours."""
    t = translator(lang)
    verdicts = table["meets_target"].fillna("").astype(str)  # empty when read back from CSV
    targeted = list(table.loc[verdicts != "", "metric"].drop_duplicates())
    view = Table(title=t.gettext("Options against the targets (95% confidence)"),
                 title_justify="left",
                 caption=t.gettext("difference from the baseline in brackets"))
    view.add_column(t.gettext("option"), style="bold")
    for metric in targeted:
        view.add_column(metric_title(t, metric, scenario), justify="right")
    view.add_column(t.gettext("staff-hours with overtime"), justify="right")
    by_key = table.set_index(["option", "metric"])
    options = list(table["option"].drop_duplicates())
    for option in options:
        cells = []
        for metric in targeted:
            row = by_key.loc[(option, metric)]
            mark = {"yes": "[green]✓[/]", "no": "[red]✗[/]"}.get(row["meets_target"], "?")
            # The baseline (first) is what the others differ from: no "(0)" beside it.
            difference = "" if option == options[0] else (
                f" ({metric_amount(t, metric, row['diff_mean'], signed=True)})")
            cells.append(f"{metric_amount(t, metric, row['mean'])}{difference} {mark}")
        cells.append(t.number(costs[str(option)]))
        view.add_row(Text(option_name(scenario, lang, str(option))), *cells)
    return view


def print_comparison(table: pd.DataFrame, recommendation: dict, title: str,
                     lang: str = "en", scenario: Scenario | None = None) -> None:
    """The comparison table and the recommendation's sentences (a recommendation.json record,
    written again with the options' names given the scenario)."""
    console = terminal()
    console.print(Text(title, style="bold"))
    costs = {o["option"]: o["cost_staff_hours"] for o in recommendation["options"]}
    console.print(comparison_table_view(table, costs, lang, scenario))
    if scenario is None:
        console.print(Text(stored_sentence(recommendation, lang)))
        return
    targets = scenario_targets(scenario.targets)
    for line in page_lines(recommend(table, targets), recommendation, lang, scenario):
        console.print(Text(line))


RANKED = 15  # centres in the terminal's ranking


def print_ranking(ranking: pd.DataFrame, title: str, lang: str = "en",
                  replications: int | None = None, scenario: Scenario | None = None) -> None:
    """The centres furthest from their targets under the first option: rank, code, name,
    the targets missed and those unclear, by their names, under the option's name (given the
    template's ``scenario``); a caution below when the ranking rests on too few
    replications."""
    t = translator(lang)
    console = terminal()
    if ranking.empty:
        console.print(Text(t.gettext("The template sets no targets: no ranking.")))
        return
    first = ranking[ranking["option"] == ranking["option"].iloc[0]]
    option = option_name(scenario, lang, str(first["option"].iloc[0]))
    table = Table(title=Text(t.gettext("{province}: centres furthest from their targets "
                                       "({option})").format(province=title, option=option)),
                  title_justify="left")
    for heading in (N_("rank"), N_("centre"), N_("name"), N_("targets missed"), N_("unclear")):
        table.add_column(t.gettext(heading), justify="left" if heading != "rank" else "right")
    for (rank, centre, name), group in list(first.groupby(["rank", "centre", "name"],
                                                          sort=True))[:RANKED]:
        cells = [", ".join(metric_name(t, m) for m in group.loc[group["meets_target"] == verdict,
                                                                 "metric"]) or "-"
                 for verdict in ("no", "unclear")]
        table.add_row(str(rank), Text(str(centre)), Text(str(name)), *cells)
    console.print(table)
    caution = ranking_caution(t, replications)
    if caution:
        console.print(Text(caution.strip()))
