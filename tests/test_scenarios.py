"""Every bundled scenario loads, runs, and accounts for everyone and everything.

Each option of each file under scenarios/ is simulated once and its sample path is checked with
the identities of tests/sample_path_checks.py: every visit ends in one of the five outcomes with
times that fit it, the centre ends empty, every dossier that enters the back office comes from
a served visit, an online filing or the backlog and is completed (not before its work allows,
not after the end of the run) or still open, and the queue and busy areas equal the sum of
waits and of service times. The dossier metrics then count no more overdue dossiers than are
open.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sample_path_checks import check_areas, check_dossiers, check_ends_empty, check_visits

from sim.analysis.dossier_metrics import dossier_metrics
from sim.model.centre import simulate
from sim.scenario.load import load_scenario

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").rglob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.relative_to(p.parents[1]).as_posix()
                         if p.parent.name != "scenarios" else p.name)
def test_bundled_scenario_conserves_citizens_and_dossiers(path: Path) -> None:
    scenarios = load_scenario(path)
    for name, scenario in scenarios.options.items():
        record = simulate(scenario, seed=11)
        for check in (check_visits, check_ends_empty, check_dossiers, check_areas):
            check(record, scenario, f"{path.name} {name}")
        dossiers = record.dossiers
        if len(dossiers["received"]):
            overdue = dossier_metrics(record, scenario)["overdue"]
            still_open = (np.isnan(dossiers["completed"])
                          & (dossiers["received"] >= record.warmup_end)).sum()
            assert overdue <= still_open, name
