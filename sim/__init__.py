"""Discrete-event simulation of commune Public Administrative Service Centres in Vietnam."""

from sim.api import DEMO_SCENARIO, Comparison, compare, run, run_scenarios
from sim.experiment.runner import Results
from sim.model.centre import simulate
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.errors import ScenarioError
from sim.scenario.load import ScenarioSet, load_scenario

__all__ = [
    "BUNDLED_SCENARIOS",
    "DEMO_SCENARIO",
    "Comparison",
    "Results",
    "ScenarioError",
    "ScenarioSet",
    "compare",
    "load_scenario",
    "run",
    "run_scenarios",
    "simulate",
]
