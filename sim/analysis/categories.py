"""The categories of the text columns of the tidy tables, the same in every table of a run.

A researcher who joins the visits to the dossiers, or the intervals to the visits, gets
categoricals with the same categories on both sides (every option, procedure, desk, outcome and
dossier source the scenario set can produce, in the scenario's order), whichever options
produced rows and whether the tables were kept in memory or read back from a results folder.
"""

from __future__ import annotations

import pandas as pd

from sim.model.back_office import SOURCES
from sim.model.citizens import counter_pools
from sim.model.record import OUTCOMES
from sim.scenario.load import ScenarioSet


def table_categories(scenarios: ScenarioSet) -> dict[str, list[str]]:
    """Column -> categories, for every categorical column any table of the set can hold."""
    every = [scenarios.baseline, *scenarios.options.values()]
    procedures = [p.id for scenario in every for p in scenario.procedures]
    desks = [pool.label(scenario.sites is None)
             for scenario in every for pool in counter_pools(scenario)]
    return {"option": list(scenarios.options), "procedure": list(dict.fromkeys(procedures)),
            "desk": list(dict.fromkeys(desks)), "outcome": list(OUTCOMES.values()),
            "source": list(SOURCES)}


def categorised(frame: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """The frame with each of its columns named in ``categories`` as that categorical."""
    for column in frame.columns.intersection(list(categories)):
        frame[column] = pd.Categorical(frame[column].astype(str),
                                       categories=categories[column])
    return frame
