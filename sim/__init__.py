"""Discrete-event simulation of commune Public Administrative Service Centres in Vietnam."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.api import DEMO_SCENARIO, Comparison, compare, run, run_scenarios
from sim.experiment.runner import Results
from sim.model.centre import simulate
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.errors import ScenarioError
from sim.scenario.load import ScenarioSet, load_scenario

if TYPE_CHECKING:
    from sim.output.plots import ResultPlots

__all__ = [
    "BUNDLED_SCENARIOS",
    "DEMO_SCENARIO",
    "Comparison",
    "ResultPlots",
    "Results",
    "ScenarioError",
    "ScenarioSet",
    "compare",
    "load_scenario",
    "run",
    "run_scenarios",
    "simulate",
]


def __getattr__(name: str) -> Any:
    """``sim.ResultPlots`` on first use: matplotlib loads only for those who draw, not for every
    run, worker process or command."""
    if name == "ResultPlots":
        from sim.output.plots import ResultPlots

        return ResultPlots
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
