"""Scenario sections for the visits after the submission: collecting the result of a dossier,
inquiries about dossiers transferred from the abolished districts, and when a citizen who gave
up or was sent home comes back.

Each puts citizens back at the counters; they are how the back office's lateness reaches the
queue. docs/scenario-format.md explains every field with its unit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from sim.scenario.distributions import DelayDays, Duration, number_or
from sim.scenario.errors import NOTHING, Problem
from sim.scenario.limits import MAX_DEADLINE_DAYS, MAX_INQUIRIES_PER_DAY, MAX_RUN_DAYS
from sim.scenario.strict import StrictModel
from sim.scenario.types import Identifier, Share

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

ReturnLag = number_or(1, MAX_RUN_DAYS, "opening days")
"""Opening days until a citizen who gave up or was sent home comes back (1: the next one)."""


class Pickup(StrictModel):
    """How the results of a procedure's dossiers are collected: in person at a counter (the
    rest by post or online), on or after the date promised on the ticket."""

    in_person: Share = Field(description="share of results collected in person at a counter "
                                         "(the rest by post or online)")
    service: Duration = Field(description="minutes at the counter to hand over a result (or "
                                          "to find that it is not ready)")
    promised_days: Annotated[int, Field(ge=0, le=MAX_DEADLINE_DAYS)] | None = Field(
        default=None, description="working days from receipt to the date promised on the "
                                  "ticket; default: the procedure's deadline")
    lag_days: DelayDays = Field(
        default=0.0, description="working days after the promised date that the citizen comes "
                                 "(0: on the promised date)")
    again_days: DelayDays = Field(
        default=1.0, description="working days after a trip that found the result not ready "
                                 "that the citizen comes again (at least 1)")
    desk: Identifier | None = Field(
        default=None, description="the desk that hands over results; default: the "
                                  "procedure's desk (a separate results counter is an option)")


InquiryRate = Annotated[float, Field(ge=0, le=MAX_INQUIRIES_PER_DAY)]


class Inquiries(StrictModel):
    """Citizens asking about their transferred (backlog) dossier while it is still open, more
    often once it is overdue; none once it is completed."""

    desk: Identifier = Field(description="the desk that answers them (a feedback desk)")
    per_day: InquiryRate = Field(
        description="inquiries per open transferred dossier per working day, up to its due date")
    overdue_per_day: InquiryRate = Field(
        description="inquiries per open transferred dossier per working day once it is overdue")
    service: Duration = Field(description="minutes at the desk per inquiry")


At = Callable[..., str]


def second_visit_problems(scenario: Scenario, at: At) -> list[Problem]:
    """A pick-up needs a dossier to collect, a promised date, and a desk that exists; so do
    inquiries (a desk)."""
    problems = []
    desks = scenario.desk_names()
    inquiries = scenario.inquiries
    if inquiries is not None and inquiries.desk not in desks:
        problems.append(Problem(at("inquiries", "desk"), inquiries.desk,
                                "a desk defined under desks (or sites): " + ", ".join(desks)))
    for index, procedure in enumerate(scenario.procedures):
        pickup = procedure.pickup
        if pickup is None:
            continue
        if procedure.back_office is None:
            problems.append(Problem(at("procedures", index, "pickup"), "a pickup",
                                    "a pickup only on a procedure with back_office work (a "
                                    "procedure finished at the counter has no result to "
                                    "collect later)"))
        if pickup.promised_days is None and procedure.deadline is None:
            problems.append(Problem(at("procedures", index, "pickup", "promised_days"), NOTHING,
                                    "working days from receipt to the promised date (0 to 365), "
                                    "needed when the procedure has no deadline"))
        if pickup.desk is not None and pickup.desk not in desks:
            problems.append(Problem(at("procedures", index, "pickup", "desk"), pickup.desk,
                                    "a desk defined under desks (or sites): " + ", ".join(desks)))
    return problems
