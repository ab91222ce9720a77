"""One self-contained HTML page for a leader: the question, the options, the recommendation in
one sentence, the key figures with their confidence intervals, the pictures, the assumptions and
where the numbers come from. Figures are embedded as PNG data, so the page needs nothing else.
Every word comes from the catalogues (:mod:`sim.output.translations`): the template calls
``_()``, the rest is written here and in :mod:`sim.output.report_text`.
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
from sim.analysis.ticket_metrics import class_wait_metrics
from sim.decide.recommendation import option_costs, recommend
from sim.experiment.runner import Results
from sim.output.figures.text import figure_text
from sim.output.indicator_text import indicator_headings, indicator_rows, months_note
from sim.output.manifest import package_versions
from sim.output.metric_text import (
    METRIC_FORMATS,
    metric_format,
    metric_title,
    metric_value,
    possible,
)
from sim.output.names import Names
from sim.output.pages import page_template, write_page
from sim.output.plots import ResultPlots
from sim.output.recommendation_text import page_lines
from sim.output.report_text import assumptions, option_changes
from sim.output.translations import Translator, translator

MARKS = {"yes": "✓", "no": "✗", "unclear": "?"}


def render_report(results: Results, lang: str = "vi", comparison: pd.DataFrame | None = None,
                  recommendation: dict | None = None) -> str:
    """The report as HTML text; the comparison is computed when not given. The recommendation
    is decided again from the comparison and written in the page's language with the options'
    names; ``recommendation`` (a recommendation.json record) adds its note of a precision goal
    not reached."""
    t = translator(lang)
    targets = scenario_targets(results.scenarios.baseline.targets)
    if comparison is None:
        comparison = comparison_table(results.summary, results.replications, targets)
    decision = recommend(comparison, targets)
    template = page_template("report.html.j2")
    baseline = results.scenarios.baseline
    names = Names(baseline, lang)
    columns = [m for m in METRIC_FORMATS if m in set(comparison["metric"])]
    lead, *others = page_lines(decision, recommendation or {}, lang, baseline)
    by_class = class_wait_metrics(comparison["metric"])
    return template.render(
        lang=lang,
        _=t.gettext,
        name=names.title(),
        recommended=decision.recommended,
        sentence=lead,
        reasons=others,
        options=_options(results, comparison, names),
        kpi_columns=[metric_title(t, m, baseline) for m in columns],
        kpi_rows=_kpi_rows(comparison, columns, names),
        indicator_columns=indicator_headings(names),
        indicator_rows=indicator_rows(results, names),
        months_note=months_note(t, baseline.calendar),
        class_columns=[metric_title(t, m, baseline) for m in by_class],
        class_rows=_kpi_rows(comparison, by_class, names) if by_class else [],
        figures=_figures(results, lang),
        assumptions=assumptions(baseline, t),
        provenance=_provenance(results, t),
    )


def write_report(results: Results, path: Path, lang: str = "vi",
                 comparison: pd.DataFrame | None = None,
                 recommendation: dict | None = None) -> Path:
    """Render and write the report; written whole or not at all."""
    html = render_report(results, lang, comparison, recommendation)
    return write_page(html, path)


def _options(results: Results, comparison: pd.DataFrame, names: Names) -> list[dict]:
    """Each option by its name, what it changes in words and its cost."""
    costs = option_costs(comparison)
    t = names.t
    return [{"name": names.option(name),
             "changes": "; ".join(option_changes(results.scenarios.baseline, scenario, t))
                        or t.gettext("the scenario as written"),
             "cost": t.number(costs.get(name, math.nan))}
            for name, scenario in results.scenarios.options.items()]


def _kpi_rows(comparison: pd.DataFrame, columns: list[str], names: Names) -> list[dict]:
    t = names.t
    by_key = comparison.set_index(["option", "metric"])
    rows = []
    for option in comparison["option"].drop_duplicates():
        cells = []
        for metric in columns:
            row = by_key.loc[(option, metric)]
            verdict = row["meets_target"] if isinstance(row["meets_target"], str) else ""
            low, high = possible(row["ci_low"], row["ci_high"], metric_format(metric).share)
            interval = t.gettext("95% CI {low} – {high}").format(
                low=metric_value(t, metric, low), high=metric_value(t, metric, high))
            cells.append({
                "value": metric_value(t, metric, row["mean"]),
                "ci": interval if not math.isnan(row["ci_low"]) else "",
                "verdict": verdict,
                "mark": MARKS.get(verdict, ""),
            })
        rows.append({"option": names.option(option), "cells": cells})
    return rows


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


def _provenance(results: Results, t: Translator) -> str:
    versions = ", ".join(f"{name} {version}" for name, version in package_versions().items())
    now = t.moment(dt.datetime.now(dt.UTC))
    replications = len(results.seeds)
    return t.ngettext(
        "Scenario file {source}; root seed {seed}; {replications} replication per option; "
        "{versions}; produced {date}.",
        "Scenario file {source}; root seed {seed}; {replications} replications per option; "
        "{versions}; produced {date}.", replications).format(
        source=results.scenarios.source, seed=results.root_seed, replications=replications,
        versions=versions, date=now)
