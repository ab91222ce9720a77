"""Discrete-event simulation of commune Public Administrative Service Centres in Vietnam."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.api import DEMO_SCENARIO, Comparison, compare, load, run, run_scenarios
from sim.experiment.runner import Results
from sim.model.centre import simulate
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.errors import ScenarioError
from sim.scenario.load import ScenarioSet, load_scenario

if TYPE_CHECKING:
    from sim.output.plots import ResultPlots
    from sim.output.province_results import ProvinceResults

__all__ = [
    "BUNDLED_SCENARIOS",
    "DEMO_SCENARIO",
    "Comparison",
    "ProvinceResults",
    "ResultPlots",
    "Results",
    "ScenarioError",
    "ScenarioSet",
    "compare",
    "load",
    "load_scenario",
    "run",
    "run_scenarios",
    "simulate",
]


def __getattr__(name: str) -> Any:
    """``sim.ResultPlots`` and ``sim.ProvinceResults`` on first use: matplotlib loads only for
    those who draw or read a province folder, not for every run, worker process or command."""
    if name == "ResultPlots":
        from sim.output.plots import ResultPlots

        return ResultPlots
    if name == "ProvinceResults":
        from sim.output.province_results import ProvinceResults

        return ProvinceResults
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
