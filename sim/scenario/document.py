"""A validated scenario written back in the scenario format itself.

Results folders store the scenarios they ran in this form, and read them back with the same
validation as a scenario file, so what is written is exactly what the loader reads.
"""

from __future__ import annotations

from typing import Any

from sim.scenario.schema import Scenario


def scenario_document(scenario: Scenario, with_options: bool = False) -> dict[str, Any]:
    """The scenario as a JSON- and YAML-ready mapping of the scenario format (field aliases
    such as `from`, moments as 'YYYY-MM-DD HH:MM'); validating it gives the scenario back.

    >>> import sim
    >>> from sim.scenario.load import load_scenario
    >>> demo = load_scenario(sim.DEMO_SCENARIO).baseline
    >>> Scenario.model_validate(scenario_document(demo, with_options=True)) == demo
    True
    """
    return scenario.model_dump(mode="json", by_alias=True,
                               exclude=None if with_options else {"options"})
