"""The words of an allocation: the gain's unit, where a person works, the terminal table and the
rows of the province page, in the reader's language (the catalogues of
:mod:`sim.output.translations`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd
from rich.table import Table
from rich.text import Text

from sim.output.names import Names
from sim.output.translations import N_, Translator, translator
from sim.scenario.schema import Scenario

GAIN_UNITS = {  # objective -> what one unit of its gain, as shown, is
    "waiting": N_("hours of waiting saved (all citizens of the period together, mean over "
                  "replications)"),
    "overdue": N_("overdue dossiers fewer at the end of the period (mean over replications)"),
}
# What one shown unit is in allocation.csv's: waiting is stored in minutes, read in hours
# (a month's gain at a busy centre runs to thousands of minutes).
SHOWN_PER_STORED = {"waiting": 60.0, "overdue": 1.0}
GOALS = {  # objective -> what the people were placed for, and the other way to place them
    "waiting": N_("The extra staff were placed where they cut citizens' waiting most (sim "
                  "allocate --objective waiting). Where dossiers are late, --objective overdue "
                  "places them where overdue dossiers fall most instead."),
    "overdue": N_("The extra staff were placed where they cut overdue dossiers most (sim "
                  "allocate --objective overdue). --objective waiting places them where "
                  "citizens' waiting falls most instead."),
}
BACK_OFFICE = "back_office"  # where: one more person processing dossiers


class Allocation(NamedTuple):
    """An allocation as the province page shows it."""

    steps: pd.DataFrame  # allocation.csv
    centres: pd.DataFrame  # allocation_centres.csv: people placed at each centre, for the map
    objective: str
    rising: pd.DataFrame  # centre, person, clear: where a later person gains more
    scenarios: Mapping[str, Scenario]  # each centre's baseline, whose labels name its desks


def allocation_section(allocation: Allocation, lang: str) -> dict[str, object]:
    """What the page's allocation section shows: its rows and sentences."""
    return {"rows": allocation_rows(allocation.steps, allocation.objective, lang,
                                    allocation.scenarios),
            "rising": rising_words(allocation.rising, lang, centre_names(allocation.centres)),
            **allocation_words(allocation.steps, allocation.objective, lang)}


def gain_unit(t: Translator, objective: str) -> str:
    return t.gettext(GAIN_UNITS[objective])


def where_text(t: Translator, where: str, names: Names | None) -> str:
    """Where the person works, in words: the back office, or one more counter at a desk called
    by its name in the centre's scenario (its id only for a centre no scenario is known of)."""
    if where == BACK_OFFICE:
        return t.gettext("back office")
    desk = names.desk(where) if names is not None else where
    return t.gettext("{desk}: one more counter").format(desk=desk)


def crosses_zero(low: float, high: float) -> bool:
    """Whether the gain's 95% interval holds 0: the gain may be noise, not a gain."""
    return not low > 0 and not high < 0


def allocation_rows(steps: pd.DataFrame, objective: str, lang: str,
                    scenarios: Mapping[str, Scenario]) -> list[dict[str, object]]:
    """The rows of the allocation table as a page shows them, gains in the objective's shown
    unit and numbers written the language's way, desks by the names ``scenarios`` (each
    centre's) give them; `doubtful` marks a gain whose interval holds 0."""
    t = translator(lang)
    per = SHOWN_PER_STORED[objective]
    names = {centre: Names(scenarios[centre], lang) for centre in steps["centre"].unique()
             if centre in scenarios}
    return [{"step": int(row.step), "centre": str(row.centre), "name": str(row.name),
             "where": where_text(t, str(row.where), names.get(row.centre)),
             "gain": t.number(row.gain / per, 1),
             "interval": f"{t.number(row.gain_ci_low / per, 1)} – "
                         f"{t.number(row.gain_ci_high / per, 1)}",
             "cumulative": t.number(row.cumulative_gain / per, 1),
             "doubtful": crosses_zero(row.gain_ci_low, row.gain_ci_high)}
            for row in steps.itertuples()]


def allocation_words(steps: pd.DataFrame, objective: str, lang: str) -> dict[str, str]:
    """The page's sentences about an allocation: what it was placed for, the unit and, when
    some gains may be noise, the warning."""
    t = translator(lang)
    doubtful = sum(crosses_zero(r.gain_ci_low, r.gain_ci_high) for r in steps.itertuples())
    warning = t.ngettext(
        "Warning: for {count} person placed, the 95% interval of the gain includes 0: the gain "
        "may be noise; more replications would tell.",
        "Warning: for {count} people placed, the 95% interval of the gain includes 0: the gain "
        "may be noise; more replications would tell.", doubtful).format(count=doubtful)
    return {"goal": t.gettext(GOALS[objective]),
            "unit": t.gettext("Gain: {unit}.").format(unit=gain_unit(t, objective)),
            "warning": warning if doubtful else ""}


def allocation_table(steps: pd.DataFrame, title: str, objective: str, lang: str,
                     scenarios: Mapping[str, Scenario]) -> Table:
    """The terminal table: one row per person placed; '!' where the interval holds 0."""
    t = translator(lang)
    words = allocation_words(steps, objective, lang)
    table = Table(title=Text(title), title_justify="left",
                  caption=" ".join(w for w in (words["unit"], words["warning"]) if w))
    for heading in (N_("person"), N_("centre"), N_("where"), N_("gain"), N_("95% interval"),
                    N_("total gain")):
        table.add_column(t.gettext(heading), justify="left" if heading in (
            "centre", "where") else "right")
    for row in allocation_rows(steps, objective, lang, scenarios):
        table.add_row(str(row["step"]), Text(f"{row['name']} ({row['centre']})"),
                      Text(str(row["where"])), f"{row['gain']}{' !' if row['doubtful'] else ''}",
                      str(row["interval"]), str(row["cumulative"]))
    return table


def centre_names(centres: pd.DataFrame) -> dict[str, str]:
    """Each centre's name by its id, from a table with both (allocation_centres.csv has every
    centre, placed or not: a centre where gains rise may have received nobody)."""
    return dict(zip(centres["centre"].astype(str), centres["name"].astype(str), strict=True))


def rising_words(rising: pd.DataFrame, lang: str, names: Mapping[str, str]) -> str:
    """Where gains do not diminish, so greedy placement may not be the best one, the centres
    by name and code (by code where ``names`` lacks one); '' if none."""
    if rising.empty:
        return ""
    t = translator(lang)
    clear = rising[rising["clear"]]
    centres = ", ".join(f"{names[c]} ({c})" if c in names else c
                        for c in dict.fromkeys(rising["centre"].astype(str)))
    return t.ngettext(
        "At {count} centre ({centres}) a later person gains more than an earlier one "
        "({clear} clearly, with 95% confidence): there the placement, one person at a time by "
        "the largest gain, may not be the best.",
        "At {count} centres ({centres}) a later person gains more than an earlier one "
        "({clear} clearly, with 95% confidence): there the placement, one person at a time by "
        "the largest gain, may not be the best.", rising["centre"].nunique()).format(
            count=rising["centre"].nunique(), centres=centres, clear=len(clear))
