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
from sample_path_checks import (
    check_areas,
    check_dossiers,
    check_ends_empty,
    check_purposes,
    check_visits,
)

from sim.analysis.dossier_metrics import dossier_metrics
from sim.model.centre import simulate
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
    "theory/priority_mmc.yaml",
    "theory/pooled.yaml",
)]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.relative_to(BUNDLED).as_posix())
def test_bundled_scenario_conserves_citizens_and_dossiers(path: Path) -> None:
    scenarios = load_scenario(path)
    for name, scenario in scenarios.options.items():
        record = simulate(scenario, seed=11)
        for check in (check_visits, check_ends_empty, check_dossiers, check_areas,
                      check_purposes):
            check(record, scenario, f"{path.name} {name}")
        dossiers = record.dossiers
        if len(dossiers["received"]):
            overdue = dossier_metrics(record, scenario)["overdue"]
            still_open = (np.isnan(dossiers["completed"])
                          & (dossiers["received"] >= record.warmup_end)).sum()
            assert overdue <= still_open, name
