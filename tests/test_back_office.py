"""The back office against exact answers: a fluid check on the transferred backlog, M/M/c in
staff-hours, and the bookkeeping of dossiers (every dossier completed or still open)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.analysis.confidence import t_interval
from sim.analysis.dossier_metrics import dossier_metrics
from sim.analysis.offered_load import back_office_load
from sim.analysis.theory import erlang_c
from sim.model.back_office import DONE
from sim.model.centre import simulate
from sim.scenario.load import load_scenario, scenario_from_document

THEORY = Path(__file__).resolve().parent.parent / "scenarios" / "theory"


def backlog_only(count: int, hours: float, staff: int, hours_per_day: float,
                 **back_office: object) -> dict:
    """A centre whose back office has only the transferred backlog to do: no new dossiers."""
    return {
        "name": "backlog only",
        "calendar": {"start": "2025-07-01", "working_days": 60},
        "arrivals": {"per_day": 1},
        "procedures": [
            {"id": "certification", "name": "Chứng thực", "share": 1.0, "desk": "general",
             "service": {"dist": "exponential", "mean": 5}},
            {"id": "land", "name": "Đất đai", "share": 0.0, "desk": "general",
             "service": {"dist": "exponential", "mean": 30},
             "back_office": {"hours": {"dist": "deterministic", "mean": hours}},
             "deadline": {"working_days": 15}},
        ],
        "desks": {"general": {"counters": 1}},
        "back_office": {"staff": staff, "hours_per_day": hours_per_day, **back_office},
        "backlog": [{"procedure": "land", "count": count,
                     "days_left": {"dist": "uniform", "low": -5, "high": 20}}],
    }


@pytest.mark.parametrize(("count", "hours", "staff", "hours_per_day"), [
    (120, 6.0, 3, 6.0),  # 720 staff-hours at 18 a day: exactly 40 days
    (90, 4.0, 2, 6.5),  # 360 at 13 a day: 27.7, so day 28
    (300, 1.5, 5, 7.0),  # 450 at 35 a day: 12.9, so day 13
])
def test_backlog_clears_on_the_fluid_day(count: int, hours: float, staff: int,
                                         hours_per_day: float) -> None:
    """N dossiers of fixed work w, capacity K staff-hours a day, no new demand: the backlog
    clears on working day ceil(N w / K), when the work divides evenly among the staff."""
    assert count % staff == 0, "the fluid answer is exact when every staff member gets N/staff"
    document = backlog_only(count, hours, staff, hours_per_day)
    scenario = scenario_from_document(document, "fluid").baseline
    metrics = dossier_metrics(simulate(scenario, seed=1), scenario)
    expected = math.ceil(round(count * hours / (staff * hours_per_day), 9))
    assert metrics["backlog_cleared_day"] == expected
    assert metrics["backlog_peak"] == count


def test_backlog_never_clears_when_capacity_is_short() -> None:
    document = backlog_only(600, 6.0, 1, 6.0)  # 600 days of work in 60 working days
    scenario = scenario_from_document(document, "short").baseline
    metrics = dossier_metrics(simulate(scenario, seed=1), scenario)
    assert math.isnan(metrics["backlog_cleared_day"])
    assert metrics["overdue"] > 0


def test_earliest_deadline_first_keeps_deadlines_that_fifo_misses() -> None:
    """300 one-hour dossiers, 2 staff at 10 staff-hours a day: exactly 20 dossiers are finished
    on each working day, in the queue's order. So each dossier's completion day follows from
    its place in the order, and whether it is on time from its due date: earliest deadline
    first keeps every deadline (the 20k dossiers due soonest are all due on day k or later),
    first in, first out (here: the order of transfer, unrelated to the deadlines) misses those
    whose place comes too late. The same dossiers in both runs (common random numbers)."""
    shares = {}
    for order in ("earliest_deadline", "first_in_first_out"):
        document = backlog_only(300, 1.0, 2, 10.0, order=order)
        document["backlog"][0]["days_left"] = {"dist": "uniform", "low": 1, "high": 20}
        scenario = scenario_from_document(document, order).baseline
        record = simulate(scenario, seed=4)
        due = record.dossiers["due"]
        in_order = np.sort(due, kind="stable") if order == "earliest_deadline" else due
        per_day = 2 * 10.0 / 1.0  # staff x hours_per_day / hours per dossier
        finished_on = np.array([day.closes for day in record.timeline.days])[
            (np.arange(len(due)) // per_day).astype(int)]
        shares[order] = dossier_metrics(record, scenario)["on_time_share"]
        assert shares[order] == np.mean(in_order >= finished_on), order
    assert shares["earliest_deadline"] == 1 > shares["first_in_first_out"], shares


def test_handoff_delay_is_added_in_working_days() -> None:
    document = backlog_only(2, 1.0, 2, 6.0)
    document["procedures"][1]["back_office"]["handoff"] = "registry"
    document["back_office"]["handoffs"] = {"registry": {"delay_days": 3}}
    scenario = scenario_from_document(document, "handoff").baseline
    record = simulate(scenario, seed=1)
    completed = record.dossiers["completed"]
    # Work ends on Tue 1 July; three working days later is Fri 4 July, at 17:00.
    assert (completed == 3 * 1440 + 17 * 60).all(), completed


# --- M/M/c in staff-hours ------------------------------------------------------------------------
# Three statistical checks run on the one root seed of the M/M/c run below (mean wait,
# utilisation, dossiers open at the end): each at level ALPHA / 3 (Bonferroni).
ALPHA = 0.05
MMC_CHECKS = 3
MMC = THEORY / "back_office_mmc.yaml"


@pytest.fixture(scope="module")
def back_office_run() -> sim.Results:
    return sim.run(MMC, replications=20)


def back_office_queue() -> tuple[int, float, float]:
    """(staff, dossiers per hour, mean staff-hours per dossier) of the M/M/c scenario, after
    checking what makes it M/M/c: exponential work, first in, first out, one staff-hour per
    hour around the clock, and in-person plus online dossiers both Poisson."""
    scenario = load_scenario(MMC).baseline
    office, (procedure,) = scenario.back_office, scenario.procedures
    assert office.order == "first_in_first_out" and office.policy == "dedicated"
    assert scenario.calendar.sessions == ["00:00-24:00"] and office.hours_per_day == 24
    assert procedure.back_office.hours.dist == "exponential" and procedure.deadline is None
    # Online dossiers at in-person x s / (1 - s): in all, in-person / (1 - s) an hour.
    rate = scenario.arrivals.per_hour / (1 - procedure.online_share)
    return office.staff, rate, procedure.back_office.hours.expected()


def test_back_office_behaves_as_mmc_in_staff_hours(back_office_run: sim.Results) -> None:
    """Mean wait before processing starts, per replication, against Erlang C (in hours); the
    interval must be narrow enough to reject a back office with one more staff member."""
    staff, rate, work = back_office_queue()
    theory = erlang_c(staff, rate, 1 / work)
    visits = back_office_run.visits
    assert (visits["wait"] == 0).all(), "nobody waits at intake: its departures are Poisson"
    dossiers = back_office_run.dossiers
    # After the one-day warm-up, and at least a day before the end so that all are done.
    steady = dossiers[(dossiers["received"] >= 1440) & (dossiers["received"] < 19 * 1440)]
    assert steady["completed"].notna().all()
    waits = (steady["completed"] - steady["received"]) / 60 - steady["work_hours"]
    per_run = waits.groupby(steady["replication"]).mean().to_numpy()
    _, low, high = t_interval(per_run, 1 - ALPHA / MMC_CHECKS)
    assert low <= theory.wait_mean <= high, (
        f"Erlang C wait {theory.wait_mean:.4f} h outside the CI [{low:.4f}, {high:.4f}]")
    other = erlang_c(staff + 1, rate, 1 / work).wait_mean
    assert (high - low) / 2 < abs(theory.wait_mean - other) / 2, (
        f"CI [{low:.4f}, {high:.4f}] too wide to reject one more staff member ({other:.4f} h)")


def test_back_office_utilisation_is_rho(back_office_run: sim.Results) -> None:
    staff, rate, work = back_office_queue()
    per_run = back_office_run.replications
    values = per_run.loc[per_run["metric"] == "back_office_utilisation", "value"].to_numpy()
    _, low, high = t_interval(values, 1 - ALPHA / MMC_CHECKS)
    rho, other = rate * work / staff, rate * work / (staff + 1)
    assert low <= rho <= high, (rho, low, high)
    assert (high - low) / 2 < abs(rho - other) / 2, (
        f"CI [{low:.4f}, {high:.4f}] too wide to reject one more staff member ({other:.4f})")


# --- bookkeeping ------------------------------------------------------------------------------
def test_daily_open_dossiers_match_the_dossier_table(back_office_run: sim.Results) -> None:
    daily = back_office_run.daily
    dossiers = back_office_run.dossiers
    run = dossiers[dossiers["replication"] == 0]
    last = daily[daily["replication"] == 0].iloc[-1]
    end_of_day = last["day"] * 1440.0
    still_open = (run["received"] <= end_of_day) & ~(run["completed"] <= end_of_day)
    assert last["open_dossiers"] == still_open.sum()
    completed_per_day = daily[daily["replication"] == 0]["completed"]
    assert int(completed_per_day.sum()) == run["completed"].notna().sum()


def test_every_dossier_is_completed_or_open(back_office_run: sim.Results) -> None:
    """Completed no sooner than received plus its work (less the DONE staff-hours below which
    a dossier counts as processed); and few still open at the end. In
    M/M/c the number in the system N has P(N >= c + k) = C rho^k (C the Erlang C probability
    of waiting), so N at the end of a long run is below c + k for the k with C rho^k at most
    the check's level."""
    staff, rate, work = back_office_queue()
    dossiers = back_office_run.dossiers
    dossiers = dossiers[dossiers["replication"] == 0]
    done = dossiers["completed"].notna()
    finished = dossiers[done]
    slack = 60 * DONE + 4 * math.ulp(float(finished["completed"].max()))
    assert (finished["completed"] - finished["received"] >= finished["work_hours"] * 60
            - slack).all()
    rho, waiting = rate * work / staff, erlang_c(staff, rate, 1 / work).waited_share
    k = math.ceil(math.log(ALPHA / MMC_CHECKS / waiting) / math.log(rho))
    assert (~done).sum() < staff + k, f"{(~done).sum()} open at the end, bound {staff + k}"


def test_check_reports_back_office_load_by_hand_arithmetic() -> None:
    """40 visitors x share 0.5 / (1 - 0.2 online) x 1.5 staff-hours = 37.5 staff-hours of new
    work a day, against 3 staff x 6 h = 18; the backlog is 100 x 1.5 = 150 staff-hours."""
    document = backlog_only(100, 2.0, 3, 6.0)
    document["arrivals"] = {"per_day": 40}
    document["procedures"][0]["share"] = 0.5
    document["procedures"][1].update({"share": 0.5, "online_share": 0.2})
    document["procedures"][1]["back_office"]["hours"] = {"dist": "deterministic", "mean": 1.5}
    load = back_office_load(scenario_from_document(document, "load").baseline)
    assert load["new_work_per_day"] == pytest.approx(37.5)
    assert load["capacity_per_day"] == 18.0
    assert load["load"] == pytest.approx(37.5 / 18)
    assert load["backlog_hours"] == pytest.approx(150.0)
    assert load["backlog_days_at_spare_capacity"] == float("inf")
