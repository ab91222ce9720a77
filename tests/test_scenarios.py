"""Every bundled scenario loads, runs, and accounts for everyone and everything.

Conservation: every visit ends served, given up, sent home, sent back with an incomplete dossier
or sent back by a blocked procedure; every dossier that enters the back office is completed or
still open at the end (overdue or not yet due).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.analysis.dossier_metrics import dossier_metrics
from sim.analysis.metrics import run_metrics
from sim.model.centre import OUTCOMES, simulate
from sim.scenario.load import load_scenario

BUNDLED = Path(__file__).resolve().parent.parent / "scenarios"
# The bundled scenarios by name (the README's table), not a glob: a file a planner leaves in
# scenarios/ (a province file, a trial) is not one of them.
SCENARIOS = [BUNDLED / name for name in (
    "demo.yaml",
    "centres/urban_ward_two_sites.yaml",
    "centres/mid_size_ward.yaml",
    "centres/rural_merged_commune.yaml",
    "centres/highland_commune.yaml",
    "theory/mmc.yaml",
    "theory/erlang_a.yaml",
    "theory/md1.yaml",
    "theory/back_office_mmc.yaml",
)]
SHARES = ("abandoned_share", "sent_home_share", "incomplete_share", "blocked_share")


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.relative_to(BUNDLED).as_posix())
def test_bundled_scenario_conserves_citizens_and_dossiers(path: Path) -> None:
    scenarios = load_scenario(path)
    for name, scenario in scenarios.options.items():
        record = simulate(scenario, seed=11)
        visits = record.visits
        assert set(np.unique(visits["outcome"])) <= set(OUTCOMES), name
        metrics = run_metrics(record, scenario)
        counted = visits["arrival"] >= record.warmup_end
        served_share = (visits["outcome"][counted] == min(OUTCOMES)).mean() if counted.any() else 0
        if counted.any():
            total = served_share + sum(metrics[s] for s in SHARES)
            assert total == pytest.approx(1.0), f"{name}: outcomes do not add up ({total})"
        dossiers = record.dossiers
        done = ~np.isnan(dossiers["completed"])
        assert (dossiers["completed"][done] >= dossiers["received"][done]).all(), name
        assert (dossiers["completed"][done] <= record.horizon_end).all(), name
        if len(dossiers["received"]):
            overdue = dossier_metrics(record, scenario)["overdue"]
            still_open = (~done & (dossiers["received"] >= record.warmup_end)).sum()
            assert overdue <= still_open, name
