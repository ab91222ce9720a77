"""`sim.analysis.staffing`: the fewest counters per desk and time block that meet targets.

Correctness as the issue states it: on a stationary M/M/c (and M/M/c+M) queue the theory step
and the simulation-checked answer both equal the Erlang C (Erlang A) minimum found directly;
on a day with a morning peak the schedule found meets the target in a fresh simulation with
another seed. Every run is seeded; scenarios are small so that the file stays fast.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

import sim
from sim.analysis.metrics import run_metrics
from sim.analysis.staffing import (
    Block,
    QueueModel,
    arrivals_per_minute,
    erlang_c_waiting,
    per_desk_metrics,
    staffing_targets,
    theory_schedule,
    time_blocks,
)
from sim.analysis.targets import Target, parse_target
from sim.analysis.theory import erlang_a, erlang_c
from sim.api import DEMO_SCENARIO
from sim.decide.staffing import (
    add_option_text,
    compact_schedule,
    staff,
    write_staffed_copy,
)
from sim.experiment.seeds import replication_seed
from sim.model.arrivals import build_intensity
from sim.model.calendar import build_timeline
from sim.model.centre import simulate
from sim.scenario.distributions import Exponential
from sim.scenario.load import load_scenario

TINY = Path(__file__).parent / "fixtures" / "tiny.yaml"
PER_HOUR = 60.0

# A stationary queue open around the clock: 15 arrivals an hour, 10-minute exponential service
# (offered load 2.5), first day discarded as warm-up. Patience is added for the Erlang A case.
STATIONARY = """\
name: "Stationary M/M/c"
calendar:
  start: 2025-07-01
  working_days: 6
  weekdays: [mon, tue, wed, thu, fri, sat, sun]
  sessions: ["00:00-24:00"]
arrivals: {per_hour: %(per_hour)s}
procedures:
  - {id: any, name: "Thủ tục", share: 1.0, desk: counters, service: {dist: exponential, mean: 10}}
desks:
  counters: {counters: 3}
at_closing: serve_all
warmup_minutes: 1440
"""

# An ordinary office day with a morning peak, a queue at the door from 07:00 and a lunch break;
# gamma service. The morning needs clearly more counters than the afternoon.
PEAKED = """\
# A peaked day for the staffing tests.
name: "Morning peak"
calendar:
  start: 2025-07-01
  working_days: 10
  sessions: ["07:30-11:30", "13:30-17:00"]
arrivals:
  per_day: 260
  profile:                # the morning peak
    "07:00": 0.5          # a queue at the door
    "07:30": 2.0
    "09:30": 1.2
    "11:30": 0.0
    "13:30": 0.8
    "15:30": 0.5
    "17:00": 0.0
procedures:
  - {id: any, name: "Thủ tục", share: 1.0, desk: general, service: {dist: gamma, mean: 10, cv: 0.7}}
desks:
  general: {counters: 4}  # too few on purpose
options:
  one_more:
    desks.general.counters: 5   # an option the search must leave alone
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _p_wait_over(theory, servers: int, rate: float, service_rate: float, minutes: float) -> float:
    """Erlang C: P(W > t) = C exp(-(c mu - lambda) t)."""
    return theory.waited_share * math.exp(-(servers * service_rate - rate) * minutes)


def _erlang_c_minimum(rate: float, service_rate: float, minutes: float, share: float) -> int:
    """Fewest servers with P(W > minutes) <= share, straight from the formula."""
    servers = math.ceil(rate / service_rate)
    while True:
        if rate / service_rate < servers and _p_wait_over(
                erlang_c(servers, rate, service_rate), servers, rate, service_rate,
                minutes) <= share:
            return servers
        servers += 1


def _erlang_a_minimum(rate: float, service_rate: float, patience_rate: float,
                      share: float) -> int:
    servers = 1
    while erlang_a(servers, rate, service_rate, patience_rate).abandoned_share > share:
        servers += 1
    return servers


# --- 1. stationary: the Erlang C / Erlang A minimum ---------------------------------------------


@pytest.mark.parametrize(("target", "minutes", "share"), [
    ("wait_p90<=20", 20.0, 0.10),  # 3 counters: P(W > 20) = 0.26; 4: 0.016
    ("wait_p90<=5", 5.0, 0.10),    # 4 counters: P(W > 5) = 0.15; 5: 0.037
])
def test_stationary_answer_is_the_erlang_c_minimum(tmp_path: Path, target: str, minutes: float,
                                                   share: float) -> None:
    rate, service_rate = 15 / PER_HOUR, 1 / 10
    expected = _erlang_c_minimum(rate, service_rate, minutes, share)
    assert expected in (4, 5)  # not one of the knife-edge cases: neighbours are far off
    path = _write(tmp_path, "mmc.yaml", STATIONARY % {"per_hour": 15})
    scenario = load_scenario(path, options=["baseline"]).baseline

    plan = theory_schedule(scenario, [target])
    assert plan.model == "Erlang C"
    assert set(plan.counters["counters"]) == {expected}

    result = staff(path, [target], seed=11, replications=10)
    assert result.met
    assert result.theory["counters"] == plan.counters["counters"]
    assert set(result.counters["counters"]) == {expected}, result.history
    assert result.schedule("counters") == {"00:00": expected}
    assert result.changes == {"desks.counters.counters": expected,
                              "desks.counters.schedule": {"00:00": expected}}
    # One counter fewer would fail the formula clearly, so there was nothing to take away.
    assert result.evaluations == 1


def test_stationary_with_patience_is_the_erlang_a_minimum(tmp_path: Path) -> None:
    rate, service_rate, patience_rate = 21 / PER_HOUR, 1 / 10, 1 / 20
    expected = _erlang_a_minimum(rate, service_rate, patience_rate, 0.03)
    assert expected == 6  # 5 counters: 5.1% give up; 6: 2.0%
    text = STATIONARY % {"per_hour": 21} + "patience: {dist: exponential, mean: 20}\n"
    path = _write(tmp_path, "mmcm.yaml", text)
    result = staff(path, ["abandoned_share<=0.03"], seed=5, replications=10)
    assert result.model.startswith("Erlang A")
    assert set(result.theory["counters"]) == {expected}
    assert result.met and set(result.counters["counters"]) == {expected}, result.history
    # The check's 95% interval holds the Erlang A value, and is narrow enough to tell it from
    # one counter fewer's (half-width under half the distance between the two values).
    row = result.check.iloc[0]
    assert row["ci_high"] <= 0.03
    theory = erlang_a(expected, rate, service_rate, patience_rate).abandoned_share
    fewer = erlang_a(expected - 1, rate, service_rate, patience_rate).abandoned_share
    assert row["ci_low"] <= theory <= row["ci_high"], row.to_dict()
    assert (row["ci_high"] - row["ci_low"]) / 2 < (fewer - theory) / 2, row.to_dict()


# --- 2. a time-varying day ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def peaked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("peaked")
    path = _write(folder, "peaked.yaml", PEAKED)
    result = staff(path, ["wait_p90<=20"], seed=101, replications=10, out=folder / "out")
    return path, result


def test_time_varying_schedule_meets_the_target_with_a_fresh_seed(peaked) -> None:
    _, result = peaked
    assert result.met, result.history
    assert "every target met" in result.report()
    counts = dict(zip([b.label for b in result.blocks], result.counters["general"], strict=True))
    assert counts["07:30-08:30"] > counts["15:30-16:30"]  # the schedule follows the peak
    # Fresh seed, more replications, from the written copy, as `sim compare` would run it.
    fresh = sim.run(result.written, replications=20, seed=202, options=[result.option])
    row = fresh.summary.set_index("metric").loc["wait_p90"]
    # The search required the upper 95% bound to hold at its own seed, so the true p90 lies
    # below 20 with high confidence and an independent estimate's mean must too. Requiring the
    # fresh upper bound as well would fail about half the time for a schedule that is just
    # enough, which is what "fewest" aims at; so the fresh check is on the mean.
    assert row["mean"] <= 20, row.to_dict()
    assert row["ci_low"] > 5  # busy enough for the target to matter: waits are far from zero


def test_the_answer_is_confirmed_on_fresh_replications(peaked) -> None:
    """The final schedule is simulated again on replications none of whose seeds the search
    tuned on, as `sim run --seed <confirmation seed>` on the written copy would; the report says
    what that found."""
    _, result = peaked
    tuned = {replication_seed(result.seed, r) for r in range(result.replications)}
    fresh = sim.run(result.written, replications=result.replications,
                    seed=result.confirmation_seed, options=[result.option])
    assert tuned.isdisjoint(fresh.seeds)
    scenario = load_scenario(result.written, options=[result.option]).options[result.option]
    mine = per_desk_metrics(fresh.visits, scenario.warmup_minutes, 15.0, ["general"])
    p90 = mine.loc[mine["metric"] == "wait_p90", "value"].mean()
    assert result.confirmation.set_index("target").loc["wait_p90<=20", "mean"] == (
        pytest.approx(p90))
    line = result.report().splitlines()[-2]
    assert line.startswith(f"targets confirmed on 10 fresh replications (seed "
                           f"{result.confirmation_seed}" if result.confirmed else
                           "targets NOT confirmed on 10 fresh replications"), line
    assert result.confirmed == bool(result.confirmation["met"].all()), result.confirmation


def test_time_varying_theory_is_close_and_the_simulation_decides(peaked) -> None:
    _, result = peaked
    theory = np.array(result.theory["general"])
    final = np.array(result.counters["general"])
    assert np.abs(final - theory).max() <= 2, result.table()
    # Gamma service with cv 0.7 varies less than the exponential service Erlang C assumes, so
    # theory errs on the safe side, and the simulation takes counters away.
    assert final.sum() < theory.sum(), result.history
    table = result.table()
    assert list(table.columns) == ["desk", "start", "end", "theory", "counters"]
    assert len(table) == len(result.blocks) == 8
    assert table["start"].iloc[0] == "07:30" and table["end"].iloc[-1] == "17:00"


def test_per_desk_metrics_agree_with_the_centre_metrics_for_one_desk(peaked) -> None:
    path, _ = peaked
    scenario = load_scenario(path, options=["baseline"]).baseline
    results = sim.run(path, replications=1, seed=7, options=["baseline"])
    record = simulate(scenario, results.seeds[0])
    mine = per_desk_metrics(results.visits, scenario.warmup_minutes, 15.0)
    centre = run_metrics(record, scenario)
    for metric, value in mine.set_index("metric")["value"].items():
        assert value == pytest.approx(centre[metric]), metric


# --- 3. targets and the written copy -----------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("wait_p90<=30", Target("wait_p90", "<=", 30.0)),
    (" wait_mean <= 7.5 ", Target("wait_mean", "<=", 7.5)),
    ("within_target_share>=0.8", Target("within_target_share", ">=", 0.8)),
    ("within_target_share>=80%", Target("within_target_share", ">=", 0.8)),
    ("abandoned_share=<0.05", Target("abandoned_share", "<=", 0.05)),
    ("wait_p95<=10", Target("wait_p95", "<=", 10.0)),
])
def test_parse_target_accepts(text: str, expected: Target) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(("text", "says"), [
    ("wait_p90", "METRIC<=VALUE"),
    ("wait_p90<=", "METRIC<=VALUE"),
    ("wait_p99<=30", "unknown metric 'wait_p99'"),
    ("utilisation<=0.8", "unknown metric"),
    ("wait_p90>=30", "write wait_p90<=30"),
    ("within_target_share<=0.8", "write within_target_share>=0.8"),
    ("wait_p90<30", "write wait_p90<=30"),
    ("wait_p90<=thirty", "not a number"),
    ("wait_p90<=0", "positive"),
    ("wait_p90<=nan", "finite"),
    ("abandoned_share<=1.5", "between 0 and 1"),
    ("within_target_share>=100%", "between 0 and 1"),
])
def test_parse_target_rejects_with_a_clear_message(text: str, says: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_target(text)
    assert says in str(error.value)
    assert repr(text) in str(error.value)  # the message names what was given


def test_scenario_targets_are_the_default() -> None:
    demo = load_scenario(DEMO_SCENARIO, options=["baseline"]).baseline
    assert [str(t) for t in staffing_targets(demo)] == ["wait_p90<=30",
                                                         "within_target_share>=0.8"]


def test_written_copy_loads_keeps_comments_and_leaves_the_original(peaked) -> None:
    path, result = peaked
    assert path.read_text(encoding="utf-8") == PEAKED  # the original is untouched
    assert result.written == path.parent / "out" / "peaked_staffed.yaml"
    assert result.comments_kept
    text = result.written.read_text(encoding="utf-8")
    assert text.startswith(PEAKED.rstrip("\n"))  # everything before is kept, comments too
    assert "# too few on purpose" in text and "sim staff: wait_p90<=20" in text
    loaded = load_scenario(result.written)
    assert list(loaded.options) == ["baseline", "one_more", "staffed"]
    desk = loaded.options["staffed"].desks["general"]
    assert desk.counters == max(result.counters["general"])
    assert desk.schedule == result.schedule("general")
    assert loaded.options["one_more"].desks["general"].counters == 5


def test_option_text_without_options_and_in_flow_style(tmp_path: Path) -> None:
    changes = {"desks.general.counters": 3, "desks.general.schedule": {"07:30": 3, "09:30": 2}}
    plain = TINY.read_text(encoding="utf-8").split("options:")[0]  # no options at all
    added = add_option_text(plain, "staffed", changes, "note")
    parsed = yaml.safe_load(added)
    assert parsed["options"] == {"staffed": changes}
    assert add_option_text("name: x\noptions: {a: {}}\n", "b", changes) is None
    source = _write(tmp_path, "flow.yaml", plain + "options: {bigger: {desks.land.counters: 2}}\n")
    written, kept, name = write_staffed_copy(source, tmp_path / "out", "staffed", changes)
    assert not kept and name == "staffed"
    assert list(load_scenario(written).options) == ["baseline", "bigger", "staffed"]
    # A name already taken gets a suffix rather than replacing the planner's option.
    again, _, second = write_staffed_copy(written, tmp_path / "again", "staffed", changes)
    assert second == "staffed_2"
    assert list(load_scenario(again).options) == ["baseline", "bigger", "staffed", "staffed_2"]


def test_desks_and_targets_that_cannot_be_searched(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown desk 'lands'.*general, land"):
        staff(TINY, ["wait_p90<=30"], desks=["lands"])
    no_patience = _write(tmp_path, "mmc.yaml", STATIONARY % {"per_hour": 15})
    with pytest.raises(ValueError, match="nobody gives up"):
        staff(no_patience, ["abandoned_share<=0.05"])
    with pytest.raises(ValueError, match="no targets"):
        staff(no_patience, [])


def test_one_desk_only_and_unreachable_targets_are_reported() -> None:
    # A queue at the door before opening makes waiting certain for a few: waited_share <= 1%
    # cannot be met at the general desk however many counters open.
    result = staff(TINY, ["waited_share<=0.01"], desks=["general"], seed=3, replications=4,
                   max_evaluations=8)
    assert list(result.counters) == ["general"]
    assert not result.met
    assert result.counters == result.theory  # counters that did not help are not kept
    assert "NOT every target met" in result.report()
    assert not result.confirmed
    assert "targets NOT confirmed on 4 fresh replications" in result.report()
    assert "general waited_share<=0.01 (mean" in result.report().splitlines()[-1]
    assert set(result.changes) == {"desks.general.counters", "desks.general.schedule"}
    assert result.evaluations <= 8


# --- pieces ------------------------------------------------------------------------------------


def test_erlang_a_values_match_theory() -> None:
    model = QueueModel(mu=0.1, theta=0.05, patience=Exponential(dist="exponential", mean=20))
    for servers, load in ((3, 3.5), (5, 3.5), (2, 0.4)):
        waited, _, wait_mean, abandoned = model.stationary(servers, np.array([load]))
        exact = erlang_a(servers, load * 0.1, 0.1, 0.05)
        assert waited[0] == pytest.approx(exact.waited_share, rel=1e-9)
        assert wait_mean[0] == pytest.approx(exact.wait_mean, rel=1e-9)
        assert abandoned[0] == pytest.approx(exact.abandoned_share, rel=1e-9)


def test_erlang_c_waiting_matches_theory() -> None:
    loads = np.array([0.5, 2.5, 3.9, 7.0])
    for servers in (1, 4, 8):
        expected = [erlang_c(servers, a, 1.0).waited_share if a < servers else 1.0
                    for a in loads]
        assert erlang_c_waiting(servers, loads) == pytest.approx(expected, rel=1e-12)


def test_arrivals_per_minute_matches_mass_until() -> None:
    scenario = load_scenario(TINY, options=["baseline"]).baseline
    timeline = build_timeline(scenario.calendar)
    intensity = build_intensity(scenario.arrivals, scenario.calendar, timeline)
    minutes = 3 * 1440
    per_minute = arrivals_per_minute(intensity, minutes)
    edges = [0, 400, 451, 700, 1900, 2000, minutes]
    for low, high in itertools.pairwise(edges):
        assert per_minute[low:high].sum() == pytest.approx(
            intensity.mass_until(high) - intensity.mass_until(low))
    assert per_minute.sum() == pytest.approx(intensity.expected_total)


def test_blocks_and_compact_schedule() -> None:
    scenario = load_scenario(TINY, options=["baseline"]).baseline
    assert [b.label for b in time_blocks(scenario)] == [
        "07:30-08:30", "08:30-09:30", "09:30-10:30", "10:30-11:30", "13:30-14:30",
        "14:30-15:30", "15:30-16:30", "16:30-17:00"]
    assert [b.label for b in time_blocks(scenario, None)] == ["07:30-11:30", "13:30-17:00"]
    with pytest.raises(ValueError, match="block_minutes"):
        time_blocks(scenario, 0)
    blocks = [Block(450, 510), Block(510, 570), Block(810, 870), Block(870, 930)]
    assert compact_schedule(blocks, [3, 3, 3, 2]) == {"07:30": 3, "14:30": 2}
