"""The queue of a desk, and the rule by which its counters call the next ticket.

Every desk's `queue` offers `append(visit)`, `popleft()` (the next visit to call), `peek()`,
iteration over the visits in it, `clear()` and `len`. Without priority tickets or appointments
it is `FifoQueue`, the first-come-first-served deque the centre has always used, whose
`popleft` may hand back a visit that has since given up (the centre skips those, as it always
has). With them it is `TicketQueue`: one line per ticket class, and the rule of the scenario.

`TicketQueue` calls, among the visits still waiting:

- booked citizens first (rule `booked_first`), or, under rule `reserved`, booked citizens only
  at the counters reserved for them and everyone else only at the other counters (at closing,
  under `serve_all`, every counter serves anyone);
- then priority tickets before walk-ins (rule `strict`), or every k-th call to the
  longest-waiting priority ticket and the other calls in ticket order, first come first served
  over both lines (rule `every_k`: k = 1 would be strict, a very large k first come first
  served). The count is of calls since the last priority call, whatever called it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence

from sim.model.desk import Desk
from sim.model.record import BOOKED, IN_SERVICE, PRIORITY, TICKET_CLASSES, WAITING, WALK_IN
from sim.scenario.schema import Scenario


class FifoQueue(deque):
    """First come, first served: a deque of visit ids, with `peek`. (No __slots__: on
    CPython 3.11 a deque subclass with slots calls its methods measurably slower.)"""

    def __init__(self, outcome: list[int]) -> None:
        super().__init__()
        self.outcome = outcome  # the visits' outcome column: who is still waiting

    def peek(self) -> int | None:
        """The visit `popleft` would call, dropping visits no longer waiting from the front."""
        outcome = self.outcome
        while self and outcome[self[0]] != WAITING:
            self.popleft()
        return self[0] if self else None

    def call_at_once(self, visit: int) -> bool:
        """Whether a visit finding nobody waiting and a counter free is called at once."""
        return True


class TicketQueue:
    """A desk's tickets by class, called by the scenario's rule (see the module)."""

    __slots__ = ("desk", "every", "joined", "lines", "on_reserved", "outcome", "reserved",
                 "since_priority", "ticket")

    def __init__(self, desk: Desk, columns: tuple[list[int], list[float], list[int]],
                 every: int, reserved: int) -> None:
        self.desk = desk
        self.outcome, self.joined, self.ticket = columns  # the visits' columns
        self.lines: tuple[deque[int], ...] = tuple(deque() for _ in TICKET_CLASSES)
        self.every = every  # 1: strict priority
        self.reserved = reserved  # counters reserved for booked citizens (0: booked_first)
        self.since_priority = 0  # calls since the last priority call
        self.on_reserved: list[int] = []  # booked visits called to a reserved counter

    def append(self, visit: int) -> None:
        self.lines[self.ticket[visit]].append(visit)

    def __len__(self) -> int:
        return sum(map(len, self.lines))

    def __iter__(self) -> Iterator[int]:
        for line in self.lines:
            yield from line

    def clear(self) -> None:
        for line in self.lines:
            line.clear()

    def peek(self) -> int | None:
        """The visit `popleft` would call now; None when no free counter may call anyone."""
        chosen = self._choose()
        return None if chosen is None else self.lines[chosen][0]

    def popleft(self) -> int | None:
        """Call the next visit under the rule (always one still waiting), or None when the
        free counters may call nobody waiting (reserved ones with no booked citizen)."""
        chosen = self._choose()
        if chosen is None:
            return None
        visit = self.lines[chosen].popleft()
        self._called(chosen, visit)
        return visit

    def call_at_once(self, visit: int) -> bool:
        """Whether a visit finding nobody waiting and a counter free is called at once: under
        `reserved`, only at a counter of its kind. A visit called counts as a call."""
        kind = self.ticket[visit]
        if self.reserved and not self.desk.overtime and not (
                self._reserved_free() if kind == BOOKED else self._general_free()):
            return False
        self._called(kind, visit)
        return True

    def _called(self, kind: int, visit: int) -> None:
        if kind == BOOKED:
            if self.reserved and not self.desk.overtime:
                self.on_reserved.append(visit)
            return
        self.since_priority = 0 if kind == PRIORITY else self.since_priority + 1

    def _choose(self) -> int | None:
        """The line to call from, or None."""
        booked = self._head(BOOKED)
        if not self.reserved or self.desk.overtime:
            if booked is not None:
                return BOOKED
        else:
            if booked is not None and self._reserved_free():
                return BOOKED
            if not self._general_free():
                return None
        return self._priority_or_walk_in()

    def _priority_or_walk_in(self) -> int | None:
        priority, walk_in = self._head(PRIORITY), self._head(WALK_IN)
        if priority is None or walk_in is None:
            return (None if priority is None and walk_in is None
                    else PRIORITY if walk_in is None else WALK_IN)
        if self.since_priority >= self.every - 1:
            return PRIORITY
        joined = self.joined
        return PRIORITY if (joined[priority], priority) < (joined[walk_in], walk_in) else WALK_IN

    def _head(self, kind: int) -> int | None:
        """The first visit of a line still waiting (those who left are dropped)."""
        line, outcome = self.lines[kind], self.outcome
        while line and outcome[line[0]] != WAITING:
            line.popleft()
        return line[0] if line else None

    def _reserved_busy(self) -> int:
        outcome = self.outcome
        self.on_reserved = [v for v in self.on_reserved if outcome[v] == IN_SERVICE]
        return len(self.on_reserved)

    def _reserved_free(self) -> bool:
        return self._reserved_busy() < min(self.reserved, self.desk.open)

    def _general_free(self) -> bool:
        general_open = self.desk.open - min(self.reserved, self.desk.open)
        return self.desk.busy - self._reserved_busy() < general_open


def install_queues(scenario: Scenario, desks: Sequence[Desk], desk_of_pool: Sequence[str],
                   guides: Sequence[Desk],
                   columns: tuple[list[int], list[float], list[int]]) -> bool:
    """Give every desk its queue: a counter desk `TicketQueue` when the scenario has priority
    tickets or appointments (True is returned), else `FifoQueue`, as every guidance team.
    ``columns`` are the visits' outcome, joined and ticket-class lists, which the queues read."""
    for guide in guides:
        guide.queue = FifoQueue(columns[0])
    tickets, booking = scenario.tickets, scenario.appointments
    if tickets is None and booking is None:
        for desk in desks:
            desk.queue = FifoQueue(columns[0])
        return False
    every = tickets.every if tickets is not None and tickets.every else 1
    reserved = booking.reserved if booking is not None and booking.rule == "reserved" else {}
    for desk, name in zip(desks, desk_of_pool, strict=True):
        desk.queue = TicketQueue(desk, columns, every, reserved.get(name, 0))
    return True
