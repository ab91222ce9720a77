"""The national view: provinces ranked by the share of their centres that miss a target.

Like the centres' ranking (sim.analysis.ranking), it never adds up shortfalls of unlike
metrics: a province's centres are counted by the targets they miss."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

PROVINCE_COLUMNS = ["rank", "province", "centres", "missing", "missing_share", "mean_missed",
                    "worst_centre", "worst_name"]


def rank_provinces(ranking: pd.DataFrame, province_of: Mapping[str, str]) -> pd.DataFrame:
    """One row per province from the centres' ranking (its first option, the baseline): how
    many centres are not shown to meet every target with 95% confidence (a target missed or
    unclear), their share, the mean number of targets a centre misses, and the centre ranked
    furthest from its targets. Rank 1 has the largest share missing (ties: the larger mean
    missed; dense ranks)."""
    if ranking.empty:
        return pd.DataFrame(columns=PROVINCE_COLUMNS)
    baseline = ranking[ranking["option"] == ranking["option"].iloc[0]]
    centres = baseline.groupby("centre", sort=False).agg(
        name=("name", "first"), missed=("missed", "first"), rank=("rank", "first"),
        missing=("meets_target", lambda verdicts: bool((verdicts != "yes").any())))
    centres["province"] = [province_of[str(c)] for c in centres.index]
    rows = [_province_row(province, group) for province, group in
            centres.groupby("province", sort=False)]
    table = pd.DataFrame(rows).sort_values(["missing_share", "mean_missed", "province"],
                                           ascending=[False, False, True], kind="stable",
                                           ignore_index=True)
    pair = table[["missing_share", "mean_missed"]]
    table.insert(0, "rank", pair.ne(pair.shift()).any(axis=1).cumsum().astype(int))
    return table


def _province_row(province: str, centres: pd.DataFrame) -> dict[str, object]:
    worst = centres["rank"].idxmin()
    return {"province": province, "centres": len(centres), "missing": int(centres["missing"].sum()),
            "missing_share": float(centres["missing"].mean()),
            "mean_missed": float(centres["missed"].mean()), "worst_centre": str(worst),
            "worst_name": str(centres.loc[worst, "name"])}
