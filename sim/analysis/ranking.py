"""The province view: centres ranked by how far they miss their targets."""

from __future__ import annotations

import pandas as pd

from sim.analysis.targets import Target, scenario_targets
from sim.scenario.load import ScenarioSet
from sim.scenario.province.load import ProvinceSet
from sim.scenario.province.schema import Centre

COLUMNS = ["option", "centre", "name", "kind", "latitude", "longitude", "metric", "target",
           "mean", "ci_low", "ci_high", "meets_target", "miss", "total_miss", "rank"]


def rank_centres(summary: pd.DataFrame, province: ProvinceSet) -> pd.DataFrame:
    """One row per option, centre and target: the mean, its CI, the verdict and the miss
    (shortfall relative to the target); `rank` 1 is the centre furthest from its targets."""
    by_key = summary.set_index(["option", "centre", "metric"])
    rows = [row for centre in province.centres
            for row in _centre_rows(by_key, centre, province.scenarios[centre.id])]
    table = pd.DataFrame(rows, columns=COLUMNS[:-2])
    if table.empty:
        return table.reindex(columns=COLUMNS)
    return _ranked(table)


def _centre_rows(by_key: pd.DataFrame, centre: Centre, scenarios: ScenarioSet) -> list[dict]:
    """The rows of one centre: each option's targets that the summary has a metric for."""
    rows = []
    for option, scenario in scenarios.options.items():
        for target in scenario_targets(scenario.targets):
            key = (option, centre.id, target.metric)
            if key not in by_key.index:
                continue
            row = by_key.loc[key]
            rows.append({
                "option": option, "centre": centre.id, "name": centre.name,
                "kind": centre.kind, "latitude": centre.latitude,
                "longitude": centre.longitude, "metric": target.metric,
                "target": target.describe(), "mean": row["mean"], "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "meets_target": target.verdict(row["ci_low"], row["ci_high"]),
                "miss": _relative_miss(target, row["mean"]),
            })
    return rows


def _relative_miss(target: Target, mean: float) -> float:
    """The shortfall as a share of the target (the shortfall itself for a target of 0)."""
    return target.shortfall(mean) / abs(target.value) if target.value else target.shortfall(mean)


def _ranked(table: pd.DataFrame) -> pd.DataFrame:
    """The table with each centre's total miss and its rank within its option."""
    total = table.groupby(["option", "centre"], sort=False)["miss"].transform("sum")
    table["total_miss"] = total
    # Centres share a rank when they miss by the same total (dense: 1, 2, 3 over centres).
    table["rank"] = table.groupby("option", sort=False)["total_miss"].rank(
        method="dense", ascending=False).astype(int)
    return table.sort_values(["option", "rank", "centre", "metric"], kind="stable",
                             ignore_index=True)
