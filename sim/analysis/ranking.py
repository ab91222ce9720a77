"""The province view: centres ranked by the targets they miss.

Shortfalls of unlike metrics (minutes of waiting, a share of dossiers, a count of overdue
dossiers) are never added up. A centre's place is decided, within its option, by

1. the number of targets it misses (the whole 95% interval on the wrong side), most first;
2. then the number it is not shown to meet (*unclear*: the interval crosses the target);
3. then, one target at a time in the order the scenario lists them, how far it misses that
   target, in the target's own unit (``short_by``: the mean's distance on the wrong side;
   a target whose mean is missing, such as the waiting of a centre nobody was served at,
   counts as the furthest).

Centres equal on all three share a rank (dense: 1, 2, 3) and are listed by centre code."""

from __future__ import annotations

import math

import pandas as pd

from sim.analysis.targets import NO, UNCLEAR, scenario_targets
from sim.scenario.load import ScenarioSet
from sim.scenario.province.load import ProvinceSet
from sim.scenario.province.schema import Centre

# Below this many replications a centre's intervals are wide (the t quantile of 2 degrees of
# freedom is 4.3) or, when every replication gives the same value, of no width at all, so the
# order of the centres can change when more are run.
FEW_REPLICATIONS = 10

COLUMNS = ["option", "centre", "name", "kind", "latitude", "longitude", "metric", "target",
           "mean", "ci_low", "ci_high", "meets_target", "short_by", "missed", "unclear",
           "rank"]


def rank_centres(summary: pd.DataFrame, province: ProvinceSet) -> pd.DataFrame:
    """One row per option, centre and target: the mean, its CI, the verdict and the shortfall
    in the target's unit; each centre's count of targets missed and unclear, and its `rank`
    (1: the centre that misses most). Options come in the province's order, the baseline
    first, whatever their ids: readers take the first rows' option as the baseline."""
    by_key = {(option, centre, metric): (mean, low, high)
              for option, centre, metric, mean, low, high in zip(
                  summary["option"].astype(str), summary["centre"].astype(str),
                  summary["metric"], summary["mean"], summary["ci_low"], summary["ci_high"],
                  strict=True)}
    rows = [row for centre in province.centres
            for row in _centre_rows(by_key, centre, province.scenarios[centre.id])]
    table = pd.DataFrame(rows, columns=COLUMNS[:-3])
    if table.empty:
        return table.reindex(columns=COLUMNS)
    table["option"] = pd.Categorical(table["option"], categories=province.option_names())
    return _ranked(table)


def only_unclear(centres: pd.DataFrame) -> pd.Series:
    """Of rows with a centre's counts, those that miss no target clearly but are not shown to
    meet every one: neither a centre that meets its targets nor one that misses."""
    return (centres["missed"] == 0) & (centres["unclear"] > 0)


def verdict_counts(centres: pd.DataFrame) -> tuple[int, int, int]:
    """Of rows with a centre's counts (one per centre), how many meet every target with 95%
    confidence, miss one clearly, and are unclear only."""
    missing, unclear = int((centres["missed"] > 0).sum()), int(only_unclear(centres).sum())
    return len(centres) - missing - unclear, missing, unclear


def _centre_rows(by_key: dict[tuple, tuple[float, float, float]], centre: Centre,
                 scenarios: ScenarioSet) -> list[dict]:
    """The rows of one centre: each option's targets that the summary has a metric for
    (`by_key`: (option, centre, metric) -> mean, ci_low, ci_high)."""
    rows = []
    for option, scenario in scenarios.options.items():
        for target in scenario_targets(scenario.targets):
            found = by_key.get((option, centre.id, target.metric))
            if found is None:
                continue
            mean, low, high = found
            rows.append({
                "option": option, "centre": centre.id, "name": centre.name,
                "kind": centre.kind, "latitude": centre.latitude,
                "longitude": centre.longitude, "metric": target.metric,
                "target": target.describe(), "mean": mean, "ci_low": low, "ci_high": high,
                "meets_target": target.verdict(low, high), "short_by": target.shortfall(mean),
            })
    return rows


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """The table with each centre's counts of targets missed and unclear, and its rank; its
    rows by option (in its categories' order), then by rank."""
    keys = [table["option"], table["centre"]]
    for column, verdict in (("missed", NO), ("unclear", UNCLEAR)):
        table[column] = (table["meets_target"] == verdict).groupby(
            keys, sort=False, observed=True).transform("sum").astype(int)
    ranks = pd.concat([_option_ranks(group) for _, group in
                       table.groupby("option", sort=False, observed=True)], ignore_index=True)
    ranks["option"] = ranks["option"].astype(table["option"].dtype)  # the merge keeps it so
    table = table.merge(ranks, on=["option", "centre"], how="left")
    return table.sort_values(["option", "rank", "centre", "metric"], kind="stable",
                             ignore_index=True)


def _option_ranks(rows: pd.DataFrame) -> pd.DataFrame:
    """The rank of each centre of one option: the order of the module's docstring."""
    metrics = list(dict.fromkeys(rows["metric"]))  # the targets in the scenario's order
    # A target without a mean (nothing to measure it on) counts as missed furthest, as the
    # recommendation counts it; a target the summary has no row for does not count.
    shortfalls = rows.assign(short_by=rows["short_by"].fillna(math.inf)).pivot_table(
        index="centre", columns="metric", values="short_by",
        aggfunc="first").reindex(columns=metrics).fillna(0.0)
    counts = rows.drop_duplicates("centre").set_index("centre")[["missed", "unclear"]]
    keys = counts.join(shortfalls)
    ordered = keys.sort_values(list(keys.columns), ascending=False, kind="stable")
    tuples = [tuple(values) for values in ordered.to_numpy()]
    rank, ranks = 0, []
    for number, key in enumerate(tuples):
        rank += number == 0 or key != tuples[number - 1]
        ranks.append(rank)
    return pd.DataFrame({"option": rows["option"].iloc[0], "centre": ordered.index,
                         "rank": ranks})
