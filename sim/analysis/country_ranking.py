"""The national view: provinces ranked by the share of their centres that miss a target."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

PROVINCE_COLUMNS = ["rank", "province", "centres", "missing", "missing_share", "mean_miss",
                    "worst_centre", "worst_name"]


def rank_provinces(ranking: pd.DataFrame, province_of: Mapping[str, str]) -> pd.DataFrame:
    """One row per province from the centres' ranking (its first option, the baseline): how
    many centres do not meet every target with 95% confidence, their share, the mean total
    miss, and the centre that misses most. Rank 1 has the largest share missing (ties: the
    larger mean miss; dense ranks)."""
    if ranking.empty:
        return pd.DataFrame(columns=PROVINCE_COLUMNS)
    baseline = ranking[ranking["option"] == ranking["option"].iloc[0]]
    centres = baseline.groupby("centre", sort=False).agg(
        name=("name", "first"), total_miss=("total_miss", "first"),
        missing=("meets_target", lambda verdicts: bool((verdicts != "yes").any())))
    centres["province"] = [province_of[str(c)] for c in centres.index]
    rows = [_province_row(province, group) for province, group in
            centres.groupby("province", sort=False)]
    table = pd.DataFrame(rows).sort_values(["missing_share", "mean_miss", "province"],
                                           ascending=[False, False, True], kind="stable",
                                           ignore_index=True)
    pair = table[["missing_share", "mean_miss"]]
    table.insert(0, "rank", pair.ne(pair.shift()).any(axis=1).cumsum().astype(int))
    return table


def _province_row(province: str, centres: pd.DataFrame) -> dict[str, object]:
    worst = centres["total_miss"].idxmax()
    return {"province": province, "centres": len(centres), "missing": int(centres["missing"].sum()),
            "missing_share": float(centres["missing"].mean()),
            "mean_miss": float(centres["total_miss"].mean()), "worst_centre": str(worst),
            "worst_name": str(centres.loc[worst, "name"])}
