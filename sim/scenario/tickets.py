"""Scenario sections for who is called first: priority tickets (the elderly, people with
disabilities, pregnant women ...) and appointments booked ahead for a slot.

Both sections are optional; without them every desk calls its citizens first come, first
served, as before. docs/scenario-format.md explains every field with units and examples.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.distributions import number_or
from sim.scenario.limits import (
    MAX_BOOKING_DAYS,
    MAX_CALL_CYCLE,
    MAX_COUNTERS,
    MAX_PUNCTUALITY_MINUTES,
    MAX_SLOT_MINUTES,
)
from sim.scenario.strict import StrictModel
from sim.scenario.types import Identifier, Session, Share, session_minutes

Punctuality = number_or(-MAX_PUNCTUALITY_MINUTES, MAX_PUNCTUALITY_MINUTES, "minutes")
"""Minutes after the slot's start that a booked citizen arrives (negative: early)."""


class Tickets(StrictModel):
    """Priority tickets: classes of citizens called before the others, and the calling rule."""

    priority: Annotated[dict[Identifier, Share], Field(min_length=1)] = Field(
        description="share of citizens in each priority class (elderly, disabled, pregnant "
                    "...); together at most 1")
    rule: Literal["strict", "every_k"] = Field(
        default="strict",
        description="strict: a waiting priority ticket is always called first; every_k: "
                    "every k-th call goes to the longest-waiting priority ticket, the other "
                    "calls in ticket order")
    every: Annotated[int, Field(ge=2, le=MAX_CALL_CYCLE)] | None = Field(
        default=None, description="with rule every_k: k, the calls of one cycle")

    @model_validator(mode="after")
    def _rule_and_cycle(self) -> Tickets:
        if (self.rule == "every_k") != (self.every is not None):
            raise ValueError("give every (k) with rule every_k, and only then")
        total = sum(self.priority.values())
        if total > 1 + 1e-9:
            raise ValueError(f"priority shares add up to {total:g}; at most 1")
        return self


class Appointments(StrictModel):
    """Slots booked ahead: who books, the slots offered, how booked citizens arrive, and how
    they are called."""

    shares: Annotated[dict[Identifier, Share], Field(min_length=1)] = Field(
        description="share of each procedure's citizens who book a slot (by procedure id)")
    slot_minutes: Annotated[float, Field(gt=0, le=MAX_SLOT_MINUTES)] = Field(
        description="minutes of one slot")
    per_slot: Annotated[int, Field(ge=1, le=MAX_COUNTERS)] = Field(
        default=1, description="citizens booked into one slot, per desk (per site and desk)")
    hours: Annotated[list[Session], Field(min_length=1)] = Field(
        description="booking hours: slots start in these periods of each opening day and end "
                    "within them")
    days_ahead: Annotated[int, Field(ge=0, le=MAX_BOOKING_DAYS)] = Field(
        default=5, description="a citizen takes the first free slot from when they wanted to "
                               "come, at most this many opening days later; else walks in")
    punctuality: Punctuality = Field(
        default=0.0, description="minutes after the slot's start that a booked citizen "
                                 "arrives (negative: early)")
    late_limit: Annotated[float, Field(ge=0, le=MAX_PUNCTUALITY_MINUTES)] | None = Field(
        default=None, description="a booking is cancelled when the citizen comes more than "
                                  "this many minutes late: they take a walk-in ticket; none: "
                                  "never cancelled")
    no_show: Share = Field(default=0.0, description="share of booked citizens who do not come")
    rule: Literal["booked_first", "reserved"] = Field(
        default="booked_first",
        description="booked_first: booked citizens are called before everyone else; "
                    "reserved: counters reserved for them serve them only, the others serve "
                    "everyone else")
    reserved: dict[Identifier, Annotated[int, Field(ge=1, le=MAX_COUNTERS)]] = Field(
        default={}, description="with rule reserved: counters of each desk reserved for booked "
                                "citizens (by desk name)")

    @model_validator(mode="after")
    def _reserved_with_rule(self) -> Appointments:
        if (self.rule == "reserved") != bool(self.reserved):
            raise ValueError("give reserved counters with rule reserved, and only then")
        for session in self.hours:
            opens, closes = session_minutes(session)
            if closes - opens < self.slot_minutes:
                raise ValueError(f"booking hours {session!r} are shorter than one slot "
                                 f"({self.slot_minutes:g} minutes)")
        return self
