"""One self-contained page for a provincial planner: which centres miss their targets, where
they are, and how far they miss; figures embedded, nothing fetched."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pandas as pd

from sim.output.pages import page_template, write_page
from sim.output.province_map import province_map

TOP = 25
TEXT = {
    "en": {"question": "Which commune centres will miss their targets in the first months?",
           "summary_heading": "In short", "map_heading": "Centres on the map",
           "ranking_heading": "Centres furthest from their targets (baseline)",
           "rank": "Rank", "centre": "Centre", "missed": "Targets not met with 95% confidence",
           "provenance": "Provenance",
           "summary": "{missing} of {total} centres do not meet every target with 95% "
                      "confidence in the baseline; the furthest is {worst}.",
           "all_met": "Every one of the {total} centres meets its targets with 95% confidence."},
    "vi": {"question": "Trung tâm cấp xã nào sẽ không đạt chỉ tiêu trong những tháng đầu?",
           "summary_heading": "Tóm tắt", "map_heading": "Các trung tâm trên bản đồ",
           "ranking_heading": "Các trung tâm xa chỉ tiêu nhất (phương án gốc)",
           "rank": "Thứ hạng", "centre": "Trung tâm",
           "missed": "Chỉ tiêu chưa đạt với độ tin cậy 95%", "provenance": "Nguồn gốc kết quả",
           "summary": "{missing} trên {total} trung tâm chưa đạt mọi chỉ tiêu với độ tin cậy "
                      "95% ở phương án gốc; xa nhất là {worst}.",
           "all_met": "Cả {total} trung tâm đều đạt chỉ tiêu với độ tin cậy 95%."},
}


def write_province_report(ranking: pd.DataFrame, name: str, provenance: str, path: Path,
                          lang: str = "vi") -> Path:
    """Render the province page to ``path`` (written whole or not at all)."""
    text = TEXT[lang]
    baseline = ranking[ranking["option"] == ranking["option"].iloc[0]] if len(ranking) else ranking
    rows, missing = [], 0
    for (rank, centre, centre_name), group in baseline.groupby(["rank", "centre", "name"],
                                                               sort=True):
        failing = group[group["meets_target"] != "yes"]
        missing += not failing.empty
        if len(rows) < TOP and not failing.empty:
            rows.append({"rank": rank, "centre": centre, "name": centre_name, "misses": [
                {"verdict": r.meets_target, "text": f"{r.target} ({r.mean:.3g})"}
                for r in failing.itertuples()]})
    total = baseline["centre"].nunique()
    summary = (text["summary"].format(missing=missing, total=total, worst=rows[0]["name"])
               if rows else text["all_met"].format(total=total))
    template = page_template("province.html.j2")
    html = template.render(lang=lang, t=text, name=name, summary=summary, rows=rows,
                           map_png=_map_png(ranking, name, lang) if len(ranking) else None,
                           provenance=provenance)
    return write_page(html, path)


def _map_png(ranking: pd.DataFrame, name: str, lang: str) -> str:
    buffer = io.BytesIO()
    province_map(ranking, name, lang=lang).savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
