"""The page's words: Vietnamese first with English beside, from the gettext catalogues, and
its numbers as the report writes them (in Vietnamese: ``21,7``, ``50%``)."""

from __future__ import annotations

import pandas as pd

from sim.app.setting import desks
from sim.output.metric_text import metric_amount, metric_name, metric_value
from sim.output.names import Names
from sim.output.translations import translator
from sim.scenario.schema import Scenario

VI, EN = translator("vi"), translator("en")


def both(message: str, **fields: object) -> str:
    """A message (an English msgid, marked with N_ where it is written) in Vietnamese, then in
    English, its placeholders filled in each language's way."""
    return f"{VI.fill(VI.gettext(message), **fields)} · {EN.fill(EN.gettext(message), **fields)}"


def metric_words(metric: str) -> str:
    """A metric's name in both languages."""
    return f"{metric_name(VI, metric)} · {metric_name(EN, metric)}"


def desk_words(scenario: Scenario, label: str) -> str:
    """A desk in words: the names of the procedures it serves (their labels, or the names
    citizens know them by) in Vietnamese, then in English, with its site when the centre has
    several."""
    pool = desks(scenario)[label]
    words = " · ".join(Names(scenario, lang).desk_procedures(pool.desk) for lang in ("vi", "en"))
    return words if scenario.sites is None else f"{pool.site}: {words}"


def estimate(metric: str, row: pd.Series) -> str:
    """A mean with its 95% interval: ``21,7 (17,5–25,9)``."""
    low, high = (metric_value(VI, metric, row[key]) for key in ("ci_low", "ci_high"))
    return f"{metric_value(VI, metric, row['mean'])} ({low}–{high})"


def difference(metric: str, row: pd.Series) -> str:
    """The paired difference from the baseline with its 95% interval: ``-7,86 (-11,1; -4,66)``."""
    low, high = (metric_amount(VI, metric, row[key], signed=True)
                 for key in ("diff_ci_low", "diff_ci_high"))
    return f"{metric_amount(VI, metric, row['diff_mean'], signed=True)} ({low}; {high})"
