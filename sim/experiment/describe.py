"""A short ``repr`` of results for a notebook: what ran, how often, and the key metrics of
each option with their 95% intervals, in a few lines rather than pages of frames."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from sim.experiment.runner import Results

KEY_METRICS = ("wait_mean", "within_target_share", "on_time_share")
TABLES = ("visits", "intervals", "dossiers", "daily")


def results_repr(results: Results) -> str:
    """Scenario, options, replications and seed, key metrics per option, table sizes."""
    scenarios = results.scenarios
    head = (f"<Results {scenarios.baseline.name!r} from {scenarios.source}: "
            f"{len(scenarios.options)} options x {len(results.seeds)} replications, "
            f"root seed {results.root_seed}>")
    sizes = ", ".join(f"{name} {len(getattr(results, name)):,}" for name in TABLES)
    return "\n".join([head, *metric_lines(results.summary), f"  rows: {sizes}"])


def metric_lines(summary: pd.DataFrame, by: tuple[str, ...] = ("option",)) -> list[str]:
    """One line per option (or per ``by`` group): each key metric the summary has, as mean
    [ci_low, ci_high]."""
    rows = summary[summary["metric"].isin(KEY_METRICS)]
    lines = []
    for key, group in rows.groupby(list(by), observed=True, sort=False):
        label = " ".join(str(part) for part in (key if isinstance(key, tuple) else (key,)))
        cells = [f"{row.metric} {row.mean:.3g} [{row.ci_low:.3g}, {row.ci_high:.3g}]"
                 for row in group.itertuples()]
        lines.append(f"  {label}: " + "; ".join(cells))
    return lines
