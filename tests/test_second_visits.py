"""Visits after the submission against exact identities and their distributions: collecting
results (none wasted when every dossier is on time, the wasted ones exactly those before
completion), the lag of pick-ups and of returns, and desks closed part of the day."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from scipy import stats

from sim.analysis.columns import tidy_frame
from sim.analysis.daily_frames import daily_columns
from sim.analysis.trip_metrics import trip_metrics
from sim.model.back_office import SOURCES
from sim.model.calendar import MINUTES_PER_DAY
from sim.model.centre import simulate
from sim.model.deadlines import WorkingCalendar
from sim.model.pickup import IN_PERSON, draw_width
from sim.model.record import ABANDONED, INQUIRY, NOT_READY, PICKUP, SERVED, SUBMIT, RunRecord
from sim.model.streams import streams
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.errors import ScenarioError
from sim.scenario.load import load_scenario, scenario_from_document
from sim.scenario.schema import Scenario

ALPHA = 0.001  # per test; tests with several checks divide it among them (Bonferroni)
COUNTER = SOURCES.index("counter")


def land_centre(days: int = 20, **changes: object) -> dict:
    """A land desk with back-office work and a pick-up of results."""
    document = {
        "name": "land", "calendar": {"start": "2025-07-01", "working_days": days},
        "arrivals": {"per_day": 40},
        "procedures": [{
            "id": "land", "name": "Đất đai", "share": 1.0, "desk": "land",
            "service": {"dist": "exponential", "mean": 5},
            "back_office": {"hours": {"dist": "deterministic", "mean": 0.01}},
            "deadline": {"working_days": 2},
            "pickup": {"in_person": 0.6, "service": {"dist": "exponential", "mean": 3},
                       "lag_days": 1}}],
        "desks": {"land": {"counters": 4}},
        "back_office": {"staff": 2, "hours_per_day": 6},
        "at_closing": "serve_all",
    }
    document.update(changes)
    return document


def scenario_of(document: dict) -> Scenario:
    return scenario_from_document(document, "second_visits.yaml").baseline


def submitter_of_dossiers(record: RunRecord) -> np.ndarray:
    """The citizen who submitted each counter dossier (by the end of their served visit)."""
    visits, dossiers = record.visits, record.dossiers
    served = (visits["purpose"] == SUBMIT) & (visits["outcome"] == SERVED)
    by_end = dict(zip(visits["end"][served].tolist(), visits["citizen"][served].tolist(),
                      strict=True))
    return np.array([by_end[t] for t in dossiers["received"].tolist()])


def test_no_trip_is_wasted_when_every_dossier_is_on_time() -> None:
    """Dossiers done within minutes, collected from the day after their 2-day deadline: no
    pick-up is wasted, and a dossier gets its collector exactly when its citizen's own draw
    says in person (for dossiers whose pick-up day lies in the run), about 60% of them."""
    scenario = scenario_of(land_centre())
    seed = 3
    record = simulate(scenario, seed)
    visits, dossiers = record.visits, record.dossiers
    pickup = visits["purpose"] == PICKUP
    assert pickup.any() and not (visits["outcome"][pickup] == NOT_READY).any()
    assert trip_metrics(record)["wasted_trip_share"] == 0
    citizens = int((visits["purpose"] == SUBMIT).sum())
    draws = streams(seed)["pickup"].random((citizens, draw_width(scenario)))
    in_person = draws[submitter_of_dossiers(record), IN_PERSON] < 0.6
    # Due two working days after receipt (three after the cut-off), collected the working day
    # after: within the run for every dossier received up to working day 16 of 20.
    early = dossiers["received"] < WorkingCalendar(scenario.calendar).after_working_days(0, 15)
    collected = np.zeros(len(dossiers["received"]), dtype=bool)
    collected[visits["dossier"][pickup]] = True
    assert (collected[early] == in_person[early]).all()
    assert (visits["trip"][pickup] == 1).all()  # every result was there on the first trip
    assert stats.binomtest(int(in_person[early].sum()), int(early.sum()), 0.6).pvalue > ALPHA


def test_a_trip_is_wasted_exactly_when_it_comes_before_completion() -> None:
    """A back office far too slow: most pick-ups on the promised date find the dossier open.
    The wasted share is what the dossier table says, visit by visit, and every wasted trip is
    followed by another one `again_days` working days later (while the run lasts)."""
    document = land_centre(back_office={"staff": 1, "hours_per_day": 6})
    document["procedures"][0]["back_office"]["hours"] = {"dist": "exponential", "mean": 0.5}
    document["procedures"][0]["pickup"].update(lag_days=0, again_days=3)
    scenario = scenario_of(document)
    record = simulate(scenario, seed=4)
    visits, dossiers = record.visits, record.dossiers
    looked = (visits["purpose"] == PICKUP) & np.isin(visits["outcome"], (SERVED, NOT_READY))
    completed = dossiers["completed"][visits["dossier"][looked]]
    before = ~(completed <= visits["start"][looked])  # open (NaN) or completed later
    assert 0.2 < before.mean() < 1
    assert trip_metrics(record)["wasted_trip_share"] == before.mean()
    assert ((visits["outcome"][looked] == NOT_READY) == before).all()
    working = WorkingCalendar(scenario.calendar)
    wasted = np.flatnonzero(looked)[before]
    follow = {(c, t): a for c, t, a in zip(visits["citizen"].tolist(), visits["trip"].tolist(),
                                           visits["arrival"].tolist(), strict=True)}
    for visit in wasted.tolist():
        again = follow.get((int(visits["citizen"][visit]), int(visits["trip"][visit]) + 1))
        expected = working.after_working_days(float(visits["end"][visit]), 3)
        if expected <= record.horizon_end:
            assert again is not None and again // MINUTES_PER_DAY == expected // MINUTES_PER_DAY


def working_days_between(scenario: Scenario, early: np.ndarray, late: np.ndarray) -> np.ndarray:
    working = WorkingCalendar(scenario.calendar)
    return np.busday_count(working.dates(early), working.dates(late), weekmask=working.weekmask,
                           holidays=working.holidays)


def test_pick_ups_come_after_the_promised_date_by_the_lag_distribution() -> None:
    """`lag_days` empirical on 0..3: the working days from the promised date (the ticket's
    `promised_days`, here 3) to the first pick-up trip follow it (chi-square)."""
    document = land_centre(days=60)
    document["procedures"][0]["pickup"].update(
        in_person=1.0, promised_days=3, lag_days={"dist": "empirical", "values": [0, 1, 2, 3]})
    scenario = scenario_of(document)
    record = simulate(scenario, seed=5)
    visits, dossiers = record.visits, record.dossiers
    first = (visits["purpose"] == PICKUP) & (visits["trip"] == 1)
    received = dossiers["received"][visits["dossier"][first]]
    promised = WorkingCalendar(scenario.calendar).due(received, np.full(len(received), 3))
    lag = working_days_between(scenario, promised, visits["arrival"][first])
    # Only dossiers whose longest lag still falls within the run.
    inside = received < WorkingCalendar(scenario.calendar).after_working_days(0, 52)
    observed = np.bincount(lag[inside], minlength=4)
    assert len(observed) == 4 and observed.sum() > 500
    assert stats.chisquare(observed).pvalue > ALPHA


def test_returns_come_back_after_the_configured_lag() -> None:
    """`return_lag_days` empirical on 1..3 opening days: who gave up comes back that many
    opening days later, in those proportions (chi-square); without it, on the next day."""
    base = land_centre(days=80, patience={"dist": "exponential", "mean": 2},
                       return_probability=1, max_trips=2, desks={"land": {"counters": 1}})
    del base["procedures"][0]["pickup"]
    lags = {}
    for name, lag in (("lagged", {"dist": "empirical", "values": [1, 2, 3]}), ("next", None)):
        document = copy.deepcopy(base)
        if lag is not None:
            document["return_lag_days"] = lag
        record = simulate(scenario_of(document), seed=6)
        lags[name] = opening_days_to_second_trip(record)
    assert set(np.unique(lags["next"])) == {1}
    observed = np.bincount(lags["lagged"], minlength=4)[1:]
    assert observed.sum() > 500
    assert stats.chisquare(observed).pvalue > ALPHA


def opening_days_to_second_trip(record: RunRecord) -> np.ndarray:
    """Opening days from each abandoned first trip (of one that came back) to the second."""
    visits = record.visits
    midnights = np.array([day.midnight for day in record.timeline.days])
    day = np.searchsorted(midnights, visits["arrival"], side="right") - 1
    first = {c: d for c, t, d, o in zip(visits["citizen"].tolist(), visits["trip"].tolist(),
                                        day.tolist(), visits["outcome"].tolist(), strict=True)
             if t == 1 and o == ABANDONED}
    second = [(c, d) for c, t, d in zip(visits["citizen"].tolist(), visits["trip"].tolist(),
                                        day.tolist(), strict=True) if t == 2]
    # Returns whose day would lie beyond the run are not simulated: leave out the last days.
    last = len(midnights) - 4
    return np.array([d - first[c] for c, d in second if first[c] < last], dtype=np.int64)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_desk_closed_part_of_the_day_receives_nobody_while_closed(seed: int) -> None:
    """A land desk open mornings only: nobody arrives there in the afternoon session, and
    every day brings it exactly as many citizens as with the desk open all day (the same
    citizens, moved to its open hours); the other desk is untouched."""
    open_all_day = land_centre(days=10, desks={"land": {"counters": 2},
                                               "general": {"counters": 2}})
    open_all_day["procedures"].append({"id": "certification", "name": "Chứng thực",
                                       "share": 0.5, "desk": "general",
                                       "service": {"dist": "exponential", "mean": 5}})
    open_all_day["procedures"][0]["share"] = 0.5
    open_all_day["at_closing"] = "send_home"
    mornings = copy.deepcopy(open_all_day)
    mornings["desks"]["land"]["schedule"] = {"07:30": 2, "13:30": 0}
    runs = [simulate(scenario_of(document), seed) for document in (open_all_day, mornings)]
    for run in runs:
        assert (run.visits["purpose"] != SUBMIT).any()
    submissions = [run.visits["purpose"] == SUBMIT for run in runs]
    first = [(run.visits["trip"] == 1) & mine for run, mine in zip(runs, submissions,
                                                                     strict=True)]
    land = [run.visits["desk"] == 0 for run in runs]
    clock = runs[1].visits["arrival"] % MINUTES_PER_DAY
    assert not (land[1] & (clock >= 13.5 * 60) & (clock < 17 * 60)).any()
    for desk in (0, 1):
        per_day = [np.bincount((run.visits["arrival"][f & (run.visits["desk"] == desk)]
                                // MINUTES_PER_DAY).astype(int), minlength=20)
                   for run, f in zip(runs, first, strict=True)]
        assert (per_day[0] == per_day[1]).all()
    general = [run.visits["arrival"][f & (run.visits["desk"] == 1)]
               for run, f in zip(runs, first, strict=True)]
    assert np.array_equal(general[0], general[1])


def test_inquiries_follow_the_two_rates_while_the_dossier_is_open() -> None:
    """Transferred dossiers that stay open (no back-office staff), due on working day 4:
    inquiries on days 1-4 and on the days after are Poisson with means count x 4 x per_day
    and count x (W - 4) x overdue_per_day (exact two-sided Poisson tests, Bonferroni over the
    two); with staff, no inquiry comes once its dossier is completed."""
    count, days, per_day, overdue = 200, 20, 0.05, 0.2
    document = land_centre(days=days, desks={"land": {"counters": 1},
                                             "feedback": {"counters": 3}},
                           back_office={"staff": 0, "hours_per_day": 6},
                           backlog=[{"procedure": "land", "count": count, "days_left": 3}],
                           inquiries={"desk": "feedback", "per_day": per_day,
                                      "overdue_per_day": overdue,
                                      "service": {"dist": "exponential", "mean": 4}})
    del document["procedures"][0]["pickup"]
    document["arrivals"] = {"per_day": 1}
    scenario = scenario_of(document)
    record = simulate(scenario, seed=7)
    visits = record.visits
    inquiry = visits["purpose"] == INQUIRY
    assert (visits["outcome"][inquiry] == SERVED).all()
    # Due three working days after the start date: at the close of its fourth working day.
    due = WorkingCalendar(scenario.calendar).due_from_start(np.array([3.0]))[0]
    early = int((visits["arrival"][inquiry] <= due).sum())
    late = int(inquiry.sum()) - early
    for observed, mean in ((early, count * 4 * per_day), (late, count * (days - 4) * overdue)):
        assert late > 0 and two_sided_poisson(observed, mean) > ALPHA / 2, (observed, mean)
    document["back_office"] = {"staff": 1, "hours_per_day": 2}  # dossiers finish over weeks
    record = simulate(scenario_of(document), seed=7)
    inquiry = record.visits["purpose"] == INQUIRY
    completed = record.dossiers["completed"][record.visits["dossier"][inquiry]]
    assert inquiry.any() and not (completed <= record.visits["arrival"][inquiry]).any()


def two_sided_poisson(observed: int, mean: float) -> float:
    """The exact two-sided p-value of a Poisson count (twice the smaller tail, at most 1)."""
    tails = stats.poisson.cdf(observed, mean), stats.poisson.sf(observed - 1, mean)
    return min(1.0, 2 * min(tails))


def test_the_daily_table_counts_visits_by_purpose() -> None:
    """Each day's visits for submitting, collecting and asking add up to its arrivals, and its
    not-ready count is the day's pick-ups that found the result not ready."""
    document = land_centre(days=15, desks={"land": {"counters": 2},
                                           "feedback": {"counters": 1}},
                           back_office={"staff": 1, "hours_per_day": 6},
                           backlog=[{"procedure": "land", "count": 60, "days_left": 2}],
                           inquiries={"desk": "feedback", "per_day": 0.1,
                                      "overdue_per_day": 0.3,
                                      "service": {"dist": "exponential", "mean": 4}})
    document["procedures"][0]["back_office"]["hours"] = {"dist": "exponential", "mean": 0.4}
    scenario = scenario_of(document)
    record = simulate(scenario, seed=8)
    daily = tidy_frame([daily_columns(record, scenario)])
    purposes = daily[["submit_visits", "pickup_visits", "inquiry_visits"]].sum(axis=1)
    assert (purposes == daily["arrivals"]).all()
    assert (daily[["pickup_visits", "inquiry_visits", "not_ready"]].sum() > 0).all()
    visits = record.visits
    midnights = np.array([day.midnight for day in record.timeline.days])
    day = np.searchsorted(midnights, visits["arrival"], side="right") - 1
    wasted = np.bincount(day[visits["outcome"] == NOT_READY], minlength=len(midnights))
    assert (daily["not_ready"].to_numpy() == wasted).all()


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["procedures"][0].pop("back_office"),
     "procedures[0].pickup: got 'a pickup'; allowed: a pickup only on a procedure with "
     "back_office work"),
    (lambda d: d["procedures"][0].pop("deadline"),
     "procedures[0].pickup.promised_days: got nothing; allowed: working days from receipt"),
    (lambda d: d["procedures"][0]["pickup"].update(desk="resluts"),
     "procedures[0].pickup.desk: got 'resluts'; allowed: a desk defined under desks (or "
     "sites): land"),
    (lambda d: d.update(inquiries={"desk": "feedback", "per_day": 0.1, "overdue_per_day": 0.2,
                                   "service": {"dist": "exponential", "mean": 3}}),
     "inquiries.desk: got 'feedback'; allowed: a desk defined under desks (or sites): land"),
    (lambda d: d.update(return_lag_days=0),
     "return_lag_days: got 0; allowed: greater than or equal to 1 and less than or equal to "
     "2,000"),
])
def test_second_visit_sections_name_what_is_wrong(change, message: str) -> None:
    document = land_centre()
    change(document)
    with pytest.raises(ScenarioError) as error:
        scenario_of(document)
    assert message in str(error.value)


def test_transferred_dossiers_are_collected_from_their_due_date() -> None:
    """Transferred dossiers (no citizen comes to submit) are collected on their due date, the
    ticket's `promised_days` notwithstanding, or on the day they arrive when already overdue;
    with lag 0 the first pick-up falls on that very date."""
    document = land_centre(days=20, arrivals={"per_day": 1},
                           backlog=[{"procedure": "land", "count": 80,
                                     "days_left": {"dist": "empirical", "values": [-2, 4]}}])
    document["procedures"][0]["pickup"].update(in_person=1.0, promised_days=9, lag_days=0)
    scenario = scenario_of(document)
    record = simulate(scenario, seed=9)
    visits, dossiers = record.visits, record.dossiers
    first = ((visits["purpose"] == PICKUP) & (visits["trip"] == 1)
             & (dossiers["source"][visits["dossier"]] == SOURCES.index("backlog")))
    mine = visits["dossier"][first]
    assert first.sum() == 80
    promised = np.maximum(dossiers["due"][mine], dossiers["received"][mine])
    assert (visits["arrival"][first] // MINUTES_PER_DAY == promised // MINUTES_PER_DAY).all()


@pytest.mark.parametrize("name", ["urban_ward_two_sites", "mid_size_ward",
                                  "rural_merged_commune", "highland_commune"])
def test_the_bundled_centres_hand_over_their_results(name: str) -> None:
    path = BUNDLED_SCENARIOS / "centres" / f"{name}.yaml"
    scenario = load_scenario(path, options=["baseline"]).baseline
    with_work = [p.id for p in scenario.procedures if p.back_office is not None]
    collected = [p.id for p in scenario.procedures if p.pickup is not None]
    assert {"land_transfer", "land_first_certificate"} <= set(collected) <= set(with_work)
    if name != "urban_ward_two_sites":  # the others collect every result with back-office work
        assert collected == with_work
    short = load_scenario(path, options=["baseline"],
                          overrides=["calendar.working_days=15"]).baseline
    visits = simulate(short, seed=3).visits
    assert (visits["purpose"] == PICKUP).sum() > 0, name
