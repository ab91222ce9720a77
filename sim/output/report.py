"""One self-contained HTML page for a leader: the question, the options, the recommendation in
one sentence, the key figures with their confidence intervals, the pictures, the assumptions and
where the numbers come from. Figures are embedded as PNG data, so the page needs nothing else.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import math
from pathlib import Path

import pandas as pd

from sim.analysis.comparison import comparison_table
from sim.analysis.targets import scenario_targets
from sim.decide.recommendation import option_costs, recommend
from sim.experiment.runner import Results
from sim.output.figures.text import figure_text
from sim.output.manifest import package_versions
from sim.output.pages import page_template, write_page
from sim.output.plots import ResultPlots
from sim.output.report_text import KPI_FORMATS, TEXT, assumptions

LANGUAGES = ("vi", "en")


def render_report(results: Results, lang: str = "vi", comparison: pd.DataFrame | None = None,
                  recommendation: dict | None = None) -> str:
    """The report as HTML text; the comparison and recommendation are computed when not given."""
    text = TEXT[lang]
    targets = scenario_targets(results.scenarios.baseline.targets)
    if comparison is None:
        comparison = comparison_table(results.summary, results.replications, targets)
    if recommendation is None:
        recommendation = recommend(comparison, targets)
    template = page_template("report.html.j2")
    baseline = results.scenarios.baseline
    columns = [m for m in KPI_FORMATS if m in set(comparison["metric"])]
    return template.render(
        lang=lang,
        t=text,
        name=baseline.name,
        recommended=recommendation["recommended"],
        sentence=recommendation["sentence_vi" if lang == "vi" else "sentence"],
        options=_options(results, comparison, text),
        kpi_columns=[text["metrics"].get(m, m) for m in columns],
        kpi_rows=_kpi_rows(comparison, columns, text),
        figures=_figures(results, lang),
        assumptions=assumptions(baseline, lang),
        provenance=_provenance(results, text),
    )


def write_report(results: Results, path: Path, lang: str = "vi",
                 comparison: pd.DataFrame | None = None,
                 recommendation: dict | None = None) -> Path:
    """Render and write the report; written whole or not at all."""
    html = render_report(results, lang, comparison, recommendation)
    return write_page(html, path)


def _options(results: Results, comparison: pd.DataFrame, text: dict) -> list[dict]:
    costs = option_costs(comparison)
    changes = results.scenarios.baseline.options
    return [{"name": name,
             "changes": "; ".join(f"{path} = {value}" for path, value in
                                  changes.get(name, {}).items()) or text["no_change"],
             "cost": f"{costs.get(name, math.nan):,.0f}"}
            for name in results.scenarios.options]


def _kpi_rows(comparison: pd.DataFrame, columns: list[str], text: dict) -> list[dict]:
    by_key = comparison.set_index(["option", "metric"])
    rows = []
    for option in comparison["option"].drop_duplicates():
        cells = []
        for metric in columns:
            row = by_key.loc[(option, metric)]
            fmt = KPI_FORMATS[metric]
            verdict = row["meets_target"] if isinstance(row["meets_target"], str) else ""
            interval = (f"{text['ci']} {_format(fmt, row['ci_low'])} – "
                        f"{_format(fmt, row['ci_high'])}")
            cells.append({
                "value": _format(fmt, row["mean"]),
                "ci": interval if not math.isnan(row["ci_low"]) else "",
                "verdict": verdict,
                "mark": {"yes": "✓", "no": "✗", "unclear": "?"}.get(verdict, ""),
            })
        rows.append({"option": option, "cells": cells})
    return rows


def _format(fmt: str, value: float) -> str:
    return "–" if value is None or math.isnan(value) else fmt.format(value)


def _figures(results: Results, lang: str) -> list[dict]:
    """Every figure as PNG data with its caption, so that the page needs no other file."""
    embedded = []
    captions = figure_text(lang)
    for name, figure in ResultPlots(results, lang=lang).figures().items():
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110)
        embedded.append({"png": base64.b64encode(buffer.getvalue()).decode("ascii"),
                         "caption": captions.get(f"caption.{name}", name)})
    return embedded


def _provenance(results: Results, text: dict) -> str:
    versions = ", ".join(f"{name} {version}" for name, version in package_versions().items())
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return text["provenance_line"].format(
        source=results.scenarios.source, seed=results.root_seed,
        replications=len(results.seeds), versions=versions, date=now)
