"""One self-contained page for a provincial planner: which centres miss their targets, where
they are, and how far they miss; figures embedded, nothing fetched. Its words come from the
catalogues (:mod:`sim.output.translations`)."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from statistics import median
from typing import NamedTuple

import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.ranking import FEW_REPLICATIONS, verdict_counts
from sim.output.allocation_text import Allocation, allocation_section
from sim.output.indicator_text import COLUMNS, months_note
from sim.output.metric_text import metric_value, target_text
from sim.output.names import option_name
from sim.output.pages import page_template, write_page
from sim.output.province_map import allocation_map, province_map
from sim.output.report_text import Row, assumptions
from sim.output.translations import Translator, translator
from sim.scenario.schema import Calendar, Scenario

TOP = 25
# province.csv keeps each target as text, "wait_p90 <= 30": its bound and value, for the words
STORED_TARGET = re.compile(r"(<=|>=)\s*(\S+)\s*$")


def write_province_report(ranking: pd.DataFrame, name: str, provenance: str, path: Path,
                          lang: str = "vi", scenario: Scenario | None = None,
                          indicators: list[dict] | None = None,
                          allocation: Allocation | None = None,
                          provinces: pd.DataFrame | None = None,
                          replications: int | None = None,
                          centres: list[Scenario] | None = None,
                          calendar: Calendar | None = None) -> Path:
    """Render the province page to ``path`` (written whole or not at all); ``scenario`` (the
    template's, as a centre resolves it) names the option shown, ``indicators`` are the
    centres' months (:func:`sim.output.indicator_text.province_indicator_rows`); with the table
    of `sim allocate` when there is one, and for a country the provinces ranked. With the
    ``centres``' baselines (a province's), what they share of the template's assumptions too;
    with the ``calendar`` every centre runs, which days the monthly indicators' first and last
    months hold."""
    t = translator(lang)
    baseline = ranking[ranking["option"] == ranking["option"].iloc[0]] if len(ranking) else ranking
    rows, missing = _rows(t, baseline)
    option = str(baseline["option"].iloc[0]) if len(baseline) else ""
    label = option_name(scenario, lang, option)
    total = baseline["centre"].nunique()
    summary = (t.ngettext("{missing} of {total} centres does not meet every target with 95% "
                          "confidence in the baseline; the furthest is {worst}.",
                          "{missing} of {total} centres do not meet every target with 95% "
                          "confidence in the baseline; the furthest is {worst}.", missing)
               .format(missing=missing, total=total, worst=rows[0]["name"]) if rows else
               t.ngettext("The {total} centre meets its targets with 95% confidence.",
                          "Every one of the {total} centres meets its targets with 95% "
                          "confidence.", total).format(total=total))
    if rows:
        _, clear, unclear = verdict_counts(baseline.drop_duplicates("centre"))
        summary += " " + t.gettext(
            "Missing a target clearly: {clear}; unclear: {unclear} (an interval crosses a "
            "target; more replications would settle it).").format(
                clear=t.number(clear), unclear=t.number(unclear))
        summary += ranking_caution(t, replications)
    shown = (t.gettext("The {shown} furthest of the {count} centres that do not meet every "
                       "target; province.csv has them all.").format(
        shown=t.number(TOP), count=t.number(missing)) if missing > TOP else "")
    template = page_template("province.html.j2")
    html = template.render(lang=lang, _=t.gettext, name=name, summary=summary, rows=rows,
                           shown=shown,
                           option=label, indicator_rows=indicators or [],
                           indicator_columns=[t.gettext(h) for _, h, _ in COLUMNS],
                           map_png=_map_png(ranking, name, lang, label) if len(ranking) else None,
                           provenance=provenance,
                           allocation=_allocation(allocation, name, lang) if allocation else None,
                           provinces=province_rows(provinces, lang) if provinces is not None
                           else None, options=option_rows(ranking, lang, scenario),
                           best_option=best_option_words(ranking, lang, scenario),
                           months_note=months_note(t, calendar) if calendar is not None
                           else "",
                           assumptions=shared_rows(t, centres) if centres else [])
    return write_page(html, path)


def ranking_caution(t: Translator, replications: int | None) -> str:
    """A warning, after the ranking, that it rests on too few replications to act on ("" from
    FEW_REPLICATIONS on): with 3, a centre whose runs happen to agree misses "clearly" while a
    far worse one is only unclear."""
    if replications is None or replications >= FEW_REPLICATIONS:
        return ""
    if replications == 1:  # two sentences, not one in two plural forms (Vietnamese has one)
        return " " + t.gettext("With one replication per centre there is no confidence "
                               "interval and the order of the centres is not reliable; run at "
                               "least {enough} before acting on it.").format(
            enough=FEW_REPLICATIONS)
    return " " + t.gettext(
        "With only {replications} replications per centre the intervals are wide and the order "
        "of the centres can change with more; run at least {enough} before acting on it."
    ).format(replications=replications, enough=FEW_REPLICATIONS)


class OptionScore(NamedTuple):
    """One option across the centres."""

    meeting: int  # centres meeting every target with 95% confidence
    missing: int  # centres missing one clearly
    unclear: int  # centres unclear only
    mean_missed: float  # targets missed clearly, per centre


def option_scores(ranking: pd.DataFrame) -> dict[str, OptionScore]:
    """Each option's score, in the province's order: the ranking's option categories, or the
    order its rows give (the baseline's first) when the column is plain text."""
    centres = ranking.drop_duplicates(["option", "centre"])
    column = centres["option"]
    order = (list(column.cat.categories) if isinstance(column.dtype, pd.CategoricalDtype)
             else list(dict.fromkeys(column)))
    scores = {}
    for option in order:
        group = centres[column == option]
        if len(group):
            scores[str(option)] = OptionScore(*verdict_counts(group),
                                              float(group["missed"].mean()))
    return scores


def option_rows(ranking: pd.DataFrame, lang: str,
                scenario: Scenario | None) -> list[dict[str, object]]:
    """Each option across the centres, in the province's order: how many centres meet every
    target with 95% confidence, miss one, or are unclear only; [] with one option."""
    t = translator(lang)
    scores = option_scores(ranking)
    if len(scores) < 2:
        return []
    return [{"option": option_name(scenario, lang, option), "meeting": t.number(score.meeting),
             "missing": t.number(score.missing), "unclear": t.number(score.unclear),
             "mean_miss": t.number(score.mean_missed, 2)} for option, score in scores.items()]


def shared_rows(t: Translator, centres: list[Scenario]) -> list[Row]:
    """The assumptions as a centre's page gives them, where every centre has the same; a row
    a centre changes or lacks (its counters, its staff from the demand CSV, another template)
    says it differs; the visitors of an ordinary day as their range over the centres."""
    rows = [dict(assumptions(centre, t)) for centre in centres]
    demand = t.gettext("Demand")
    differs = t.gettext("differs from centre to centre")
    shared = []
    for label in dict.fromkeys(label for row in rows for label in row):
        values = {row.get(label) for row in rows}
        if label == demand:
            shared.append((label, _demand_range(t, centres, [row[label] for row in rows],
                                                differs)))
        else:
            shared.append((label, values.pop() if len(values) == 1 else differs))
    return shared


def _demand_range(t: Translator, centres: list[Scenario], texts: list[str],
                  differs: str) -> str:
    """The demand rows of the centres (``texts``) as one: the visitors of an ordinary day as
    their range (the sentence itself when every centre has the same), with the surges when
    every centre has the same ones."""
    heads = {text.split("; ")[0] for text in texts}
    visitors = [c.arrivals.per_day for c in centres]
    if len(heads) == 1:
        head = heads.pop()
    elif all(v is not None for v in visitors):
        head = t.gettext("{low} to {high} visitors on an ordinary day, by centre (median "
                         "{median})").format(low=t.general(min(visitors)),
                                             high=t.general(max(visitors)),
                                             median=t.general(round(median(visitors), 1)))
    else:
        head = differs
    same = all(c.arrivals.surges == centres[0].arrivals.surges for c in centres)
    surges = texts[0].split("; ")[1:] if same else [t.gettext("surges differ from centre to "
                                                              "centre")]
    return "; ".join([head, *surges])


def best_option_words(ranking: pd.DataFrame, lang: str, scenario: Scenario | None) -> str:
    """Which option does best across the centres: the most centres meeting every target, then
    the fewest missing one, then the fewest targets missed per centre; "" with one option.
    The options' costs differ by centre, so this reads the targets alone and says so."""
    scores = option_scores(ranking)
    if len(scores) < 2:
        return ""
    t = translator(lang)
    baseline = next(iter(scores))  # the province's order: the baseline first; ties keep it
    best = min(scores, key=lambda o: (-scores[o].meeting, scores[o].missing,
                                      scores[o].mean_missed))
    now, chosen = scores[baseline], scores[best]
    name = {"baseline": option_name(scenario, lang, baseline),
            "option": option_name(scenario, lang, best)}
    if best == baseline:
        return t.gettext("No option does better across the centres than {baseline}, by the "
                         "targets alone.").format(**name)
    if chosen.meeting > now.meeting:
        return t.ngettext("By the targets alone (not their cost), {option} does best across "
                          "the centres: {meeting} centre meets every target, against {now} "
                          "with {baseline}.",
                          "By the targets alone (not their cost), {option} does best across "
                          "the centres: {meeting} centres meet every target, against {now} "
                          "with {baseline}.", chosen.meeting).format(
            meeting=t.number(chosen.meeting), now=t.number(now.meeting), **name)
    if chosen.missing < now.missing:
        return t.ngettext("By the targets alone (not their cost), {option} does best across "
                          "the centres: as many meet every target as with {baseline}, and "
                          "{missing} centre misses one clearly, against {now}.",
                          "By the targets alone (not their cost), {option} does best across "
                          "the centres: as many meet every target as with {baseline}, and "
                          "{missing} centres miss one clearly, against {now}.",
                          chosen.missing).format(missing=t.number(chosen.missing),
                                                 now=t.number(now.missing), **name)
    return t.gettext("By the targets alone (not their cost), {option} does best across the "
                     "centres: as many meet every target and miss one as with {baseline}, and "
                     "a centre misses {mean} targets on average, against {now}.").format(
        mean=t.number(chosen.mean_missed, 2), now=t.number(now.mean_missed, 2), **name)


def province_rows(provinces: pd.DataFrame, lang: str) -> list[dict[str, object]]:
    """The provinces ranked as the national page shows them, numbers the language's way."""
    t = translator(lang)
    return [{"rank": int(r.rank), "province": r.province, "centres": t.number(r.centres),
             "missing": t.number(r.missing), "share": t.percent(r.missing_share, 0),
             "mean_miss": t.number(r.mean_missed, 2),
             "worst": f"{r.worst_name} ({r.worst_centre})"}
            for r in provinces.itertuples()]


def _rows(t: Translator, baseline: pd.DataFrame) -> tuple[list[dict], int]:
    """The centres that do not meet every target, in rank order (at most TOP), and how many
    there are (counted at once: a country has thousands of centres, the page shows TOP)."""
    failing = baseline["meets_target"] != "yes"
    keys = ["rank", "centre", "name"]
    missing_centres = baseline.loc[failing, keys].drop_duplicates().sort_values(keys)
    shown = missing_centres.head(TOP).merge(baseline, on=keys, how="left", sort=False)
    rows = []
    for (rank, centre, centre_name), group in shown.groupby(keys, sort=True):
        row = {"rank": rank, "centre": centre, "name": centre_name}
        for verdict, column in (("no", "missed"), ("unclear", "unclear")):
            targets = group[group["meets_target"] == verdict]
            row[column] = len(targets)
            row[f"{column}_texts"] = [_miss(t, r.metric, r.target, r.mean)
                                      for r in targets.itertuples()]
        rows.append(row)
    return rows, len(missing_centres)


def _miss(t: Translator, metric: str, stored: str, mean: float) -> str:
    """A target a centre misses, in words, with the centre's mean."""
    found = STORED_TARGET.search(str(stored))
    words = (target_text(t, metric, found.group(1) == ">=", float(found.group(2)))
             if found else str(stored))
    return t.gettext("{target} (simulated: {value})").format(
        target=words, value=metric_value(t, metric, mean))


def _allocation(allocation: Allocation, name: str, lang: str) -> dict[str, object]:
    """The allocation section: its table and sentences, and the map of people placed."""
    return {**allocation_section(allocation, lang),
            "map_png": _png(allocation_map(allocation.centres, name, lang))}


def _map_png(ranking: pd.DataFrame, name: str, lang: str, label: str) -> str:
    return _png(province_map(ranking, name, lang=lang, label=label))


def _png(figure: Figure) -> str:
    """The figure as a PNG for a data: address, so the page stands alone."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
