"""Counter staff helping the back office (`back_office.policy: counter_first`).

While nobody waits at their desk, open counters that serve nobody take pieces of back-office
work of at most `chunk_minutes` each: the dossiers that free dedicated staff on duty cannot
take. The moment a citizen would wait for a counter, the counter that started its piece last is
recalled and the work done so far counts, so citizens wait exactly as under `dedicated`.

Contract with the centre that owns a `CounterHelp`:

- the centre calls `offer(desk)` whenever a counter desk may have counters with nothing to do
  (after serving its queue), and `recall(desk)` when a citizen needs a counter and every open
  counter that serves nobody is helping;
- `offer_everywhere` goes on the back office's `on_new_work`, so that a new dossier is offered
  to every desk;
- when a piece ends, `CounterHelp` calls the centre's `serve_queue(desk)` (which offers the
  desk's next piece) and logs the desk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import simpy

from sim.model.back_office import BackOffice
from sim.model.desk import Desk, Piece


class CounterHelp:
    """Pieces of back-office work taken by the counters of a run's desks."""

    def __init__(self, env: simpy.Environment, back_office: BackOffice, desks: Sequence[Desk],
                 chunk_minutes: float, horizon_end: float,
                 serve_queue: Callable[[Desk], object]) -> None:
        self.env = env
        self.back_office = back_office
        self.desks = desks
        self.chunk_minutes = chunk_minutes
        self.horizon_end = horizon_end  # no new piece after the last closing
        self.serve_queue = serve_queue

    def offer_everywhere(self) -> None:
        for desk in self.desks:
            self.offer(desk)

    def offer(self, desk: Desk) -> None:
        """Free counters of a desk with nobody waiting take a piece of back-office work each,
        while there is work to take."""
        env = self.env
        if desk.waiting or env.now >= self.horizon_end:
            return
        back_office = self.back_office
        while desk.busy + desk.helping < desk.open:
            dossier = back_office.take()
            if dossier is None:
                return
            minutes = min(self.chunk_minutes, back_office.remaining[dossier] * 60)
            desk.helping += 1
            desk.record(env.now)
            piece = Piece(dossier, env.now)
            desk.helpers.append(piece)
            env.timeout(minutes, (desk, piece)).callbacks.append(self._piece_ended)

    def recall(self, desk: Desk) -> None:
        """The counter that started its piece last returns to the counter; the work done so
        far counts."""
        self._stop(desk, desk.helpers[-1])

    def _piece_ended(self, event: simpy.Event) -> None:
        desk, piece = event.value
        if piece.active:  # not recalled to the counter in the meantime
            self._stop(desk, piece)
            self.serve_queue(desk)
            desk.record(self.env.now)

    def _stop(self, desk: Desk, piece: Piece) -> None:
        piece.active = False
        desk.helpers.remove(piece)
        desk.helping -= 1
        self.back_office.work_done(piece.dossier, (self.env.now - piece.started) / 60)
