"""The compact tables a planner sees at the end of `sim run` and `sim compare`.

Names (of the scenario, options, centres) are printed as plain text: rich would read
`Phường [/bold] 1` as markup and fail, or drop `[mới]`.
"""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

HEADLINE: tuple[tuple[str, str, str], ...] = (
    # metric, column title, format
    ("arrived", "visits", "{:.0f}"),
    ("wait_mean", "mean wait (min)", "{:.1f}"),
    ("wait_p90", "p90 wait (min)", "{:.1f}"),
    ("within_target_share", "served in target", "{:.0%}"),
    ("abandoned_share", "gave up", "{:.1%}"),
    ("sent_home_share", "sent home", "{:.1%}"),
    ("trips_per_citizen", "trips", "{:.2f}"),
    ("utilisation", "utilisation", "{:.0%}"),
)


def summary_table(summary: pd.DataFrame, title: str) -> Table:
    """Options as rows, headline metrics as columns, each 'mean ±half-width of the 95% CI'."""
    table = Table(title=Text(title), title_justify="left",
                  caption="mean ± half-width of 95% CI")
    table.add_column("option", style="bold", no_wrap=True)
    for _, heading, _ in HEADLINE:
        table.add_column(heading, justify="right")
    by_key = summary.set_index(["option", "metric"])
    for option in summary["option"].drop_duplicates():
        cells = [_cell(by_key, option, metric, fmt) for metric, _, fmt in HEADLINE]
        table.add_row(Text(str(option)), *cells)
    return table


def _cell(by_key: pd.DataFrame, option: str, metric: str, fmt: str) -> str:
    if (option, metric) not in by_key.index:
        return "-"
    row = by_key.loc[(option, metric)]
    if math.isnan(row["mean"]):
        return "-"
    text = fmt.format(row["mean"])
    if not math.isnan(row["ci_low"]) and row["ci_high"] > row["ci_low"]:
        text += " ±" + fmt.format((row["ci_high"] - row["ci_low"]) / 2)
    return text


PIPE_WIDTH = 160  # a log or a pipe has no width; rich's 80 would cut option names and headings


def terminal() -> Console:
    """The console for tables: as wide as the terminal, or PIPE_WIDTH into a pipe."""
    console = Console()
    if not console.is_terminal:
        console.width = PIPE_WIDTH
    return console


def print_summary(summary: pd.DataFrame, title: str) -> None:
    terminal().print(summary_table(summary, title))


def comparison_table_view(table: pd.DataFrame, costs: dict[str, float]) -> Table:
    """Options as rows; each target metric with its verdict, and the cost in staff-hours."""
    targeted = list(table.loc[table["meets_target"] != "", "metric"].drop_duplicates())
    view = Table(title="Options against the targets (95% confidence)", title_justify="left",
                 caption="difference from the baseline in brackets")
    view.add_column("option", style="bold", no_wrap=True)
    for metric in targeted:
        view.add_column(metric, justify="right")
    view.add_column("staff-hours with overtime", justify="right")
    by_key = table.set_index(["option", "metric"])
    for option in table["option"].drop_duplicates():
        cells = []
        for metric in targeted:
            row = by_key.loc[(option, metric)]
            mark = {"yes": "[green]✓[/]", "no": "[red]✗[/]"}.get(row["meets_target"], "?")
            cells.append(f"{row['mean']:.3g} ({row['diff_mean']:+.3g}) {mark}")
        cells.append(f"{costs[str(option)]:,.0f}")
        view.add_row(Text(str(option)), *cells)
    return view


def print_comparison(table: pd.DataFrame, recommendation: dict, title: str) -> None:
    console = terminal()
    console.print(Text(title, style="bold"))
    costs = {o["option"]: o["cost_staff_hours"] for o in recommendation["options"]}
    console.print(comparison_table_view(table, costs))
    console.print(Text(recommendation["sentence"]))
