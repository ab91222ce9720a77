"""Positions (physical counters) and the guidance schedule: what `sim check` refuses, and that
`sim staff` stays within positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis.staffing import theory_schedule
from sim.decide.staffing import staff
from sim.experiment.runner import run_experiment
from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario

# A stationary M/M/c queue (15 an hour, 10-minute service, load 2.5): wait_p90<=20 needs 4
# counters by Erlang C (3 give P(W > 20) = 0.26), but the desk has only 3 positions.
STATIONARY = """\
name: "Stationary M/M/c"
calendar:
  start: 2025-07-01
  working_days: 4
  weekdays: [mon, tue, wed, thu, fri, sat, sun]
  sessions: ["00:00-24:00"]
arrivals: {per_hour: 15}
procedures:
  - {id: any, name: "Thủ tục", share: 1.0, desk: counters, service: {dist: exponential, mean: 10}}
desks:
  counters: {counters: 3, positions: 3}
at_closing: serve_all
warmup_minutes: 1440
"""

GUIDED = """\
name: "Guided"
calendar: {start: 2025-07-01, working_days: 3, sessions: ["07:30-11:30", "13:30-17:00"]}
arrivals: {per_day: 150}
procedures:
  - {id: any, name: "Thủ tục", share: 1.0, desk: general, guidance: 0.6,
     service: {dist: gamma, mean: 8, cv: 0.5}}
desks:
  general: {counters: 3}
guidance: %s
"""


def _write(folder: Path, text: str) -> Path:
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_option_opening_more_counters_than_positions_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, STATIONARY + "options:\n  more:\n    desks.counters.counters: 4\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = caught.value.message()
    assert str(path) in message and "options.more.desks.counters" in message
    assert "4 counters but the desk has only 3 positions" in message


def test_staff_stays_within_positions_and_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, STATIONARY)
    scenario = load_scenario(path, options=["baseline"]).baseline
    plan = theory_schedule(scenario, ["wait_p90<=20"])
    assert set(plan.counters["counters"]) == {3} and not any(plan.feasible["counters"])
    result = staff(path, ["wait_p90<=20"], seed=3, replications=4, max_evaluations=6)
    assert not result.met
    assert max(result.counters["counters"]) == 3
    assert any("positions" in line for line in result.history), result.history
    assert "cannot be met within its positions" in result.report()


def test_a_guidance_schedule_is_a_smaller_team_when_it_names_one_level(tmp_path: Path) -> None:
    """An exact identity: 3 guides with a schedule of 2 from the first opening on are 2 guides,
    citizen for citizen (the same seed, the same streams)."""
    scheduled = load_scenario(_write(tmp_path, GUIDED % '{staff: 3, schedule: {"07:30": 2}, '
                                                      'service: {dist: exponential, mean: 6}}'))
    results = run_experiment(scheduled, 2, 11)
    plain = load_scenario(_write(tmp_path, GUIDED % "{staff: 2, service: {dist: exponential, "
                                                     "mean: 6}}"))
    other = run_experiment(plain, 2, 11)
    assert results.visits.drop(columns="option").equals(other.visits.drop(columns="option"))
    fewer = load_scenario(_write(tmp_path, GUIDED % '{staff: 3, schedule: {"07:30": 1}, '
                                                    'service: {dist: exponential, mean: 6}}'))
    assert not run_experiment(fewer, 2, 11).visits["wait"].equals(results.visits["wait"])


def test_a_guidance_schedule_above_its_staff_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GUIDED % '{staff: 2, schedule: {"07:30": 3}, '
                                     'service: {dist: exponential, mean: 6}}')
    with pytest.raises(ScenarioError, match=r"guidance.*3 guides at 07:30 but there are only 2"):
        load_scenario(path)
