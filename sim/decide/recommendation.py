"""The recommendation a leader reads: the cheapest option that meets every target with 95%
confidence, or, when none does, which target fails and by how much.

Cost is staff time: planned staff-hours plus overtime staff-hours (means over replications).
"""

from __future__ import annotations

import math

import pandas as pd

from sim.analysis.targets import NO, YES, Target

COST_METRICS = ("staff_hours", "overtime_staff_hours")


def option_costs(comparison: pd.DataFrame) -> dict[str, float]:
    """Mean staff-hours (planned plus overtime) of each option."""
    costs = comparison[comparison["metric"].isin(COST_METRICS)]
    return {str(option): float(group["mean"].sum())
            for option, group in costs.groupby("option", sort=False)}


def recommend(comparison: pd.DataFrame, targets: list[Target]) -> dict:
    """A JSON-ready recommendation with one sentence in English and one in Vietnamese."""
    costs = option_costs(comparison)
    assessments = [_assess(option, comparison, targets, costs[option]) for option in costs]
    meeting = [a for a in assessments if a["meets_all"]]
    if not targets:
        best = None
        sentences = _no_targets()
    elif meeting:
        best = min(meeting, key=lambda a: a["cost_staff_hours"])
        sentences = _recommended(best, costs)
    else:
        best = None
        closest = min(assessments, key=lambda a: (len(a["failing"]), a["relative_shortfall"]))
        sentences = _none_meets(closest)
    return {
        "recommended": best["option"] if best else None,
        "sentence": sentences[0],
        "sentence_vi": sentences[1],
        "confidence": 0.95,
        "targets": [t.describe() for t in targets],
        "options": assessments,
    }


def _assess(option: str, comparison: pd.DataFrame, targets: list[Target], cost: float) -> dict:
    rows = comparison[comparison["option"] == option].set_index("metric")
    failing = []
    for target in targets:
        if target.metric not in rows.index:
            continue
        row = rows.loc[target.metric]
        verdict = target.verdict(row["ci_low"], row["ci_high"])
        if verdict != YES:
            failing.append({
                "metric": target.metric, "target": target.describe(), "verdict": verdict,
                "mean": _number(row["mean"]), "ci_low": _number(row["ci_low"]),
                "ci_high": _number(row["ci_high"]), "short_by": target.shortfall(row["mean"]),
            })
    relative = sum(f["short_by"] / abs(t.value) for f in failing for t in targets
                   if t.describe() == f["target"] and t.value)
    return {"option": option, "cost_staff_hours": round(cost, 1), "meets_all": not failing,
            "failing": failing, "relative_shortfall": relative}


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _recommended(best: dict, costs: dict[str, float]) -> tuple[str, str]:
    extra = best["cost_staff_hours"] - costs.get("baseline", best["cost_staff_hours"])
    more = f"{extra:+,.0f} staff-hours against the baseline"
    more_vi = f"{extra:+,.0f} giờ công so với phương án gốc"
    return (
        f"Recommended: {best['option']}, the cheapest option that meets every target with 95% "
        f"confidence ({best['cost_staff_hours']:,.0f} staff-hours, {more}).",
        f"Khuyến nghị: {best['option']}, phương án ít tốn kém nhất đạt mọi chỉ tiêu với độ tin "
        f"cậy 95% ({best['cost_staff_hours']:,.0f} giờ công, {more_vi}).",
    )


def _none_meets(closest: dict) -> tuple[str, str]:
    english, vietnamese = zip(*(_shortfall_text(f) for f in closest["failing"]), strict=True)
    return (
        f"No option meets every target with 95% confidence; the closest, {closest['option']}, "
        + "; ".join(english) + ".",
        f"Không phương án nào đạt mọi chỉ tiêu với độ tin cậy 95%; gần nhất là "
        f"{closest['option']}: " + "; ".join(vietnamese) + ".",
    )


def _shortfall_text(failing: dict) -> tuple[str, str]:
    mean, low, high = (_short(failing[k]) for k in ("mean", "ci_low", "ci_high"))
    ci = f"mean {mean}, 95% CI {low} to {high}"
    ci_vi = f"trung bình {mean}, khoảng tin cậy 95% {low} đến {high}"
    if failing["verdict"] == NO:
        return (f"misses {failing['target']} by {failing['short_by']:.3g} ({ci})",
                f"chưa đạt {failing['target']}, thiếu {failing['short_by']:.3g} ({ci_vi})")
    return (f"is not shown to meet {failing['target']} with 95% confidence ({ci})",
            f"chưa chắc chắn đạt {failing['target']} ({ci_vi})")


def _short(value: float | None) -> str:
    """Three significant digits; a dash where there is no value (one replication: no CI)."""
    return "-" if value is None else f"{value:.3g}"


def _no_targets() -> tuple[str, str]:
    return (
        "The scenario sets no targets, so no option can be recommended; compare the table.",
        "Kịch bản chưa đặt chỉ tiêu nên không có khuyến nghị; hãy so sánh bảng kết quả.",
    )
