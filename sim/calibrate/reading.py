"""Both exports read and checked before either stops the command: one run names the bad rows
of every file (`RecordErrors`), so that a planner does not fix the ticket log only to meet the
dossier export's bad rows on the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sim.calibrate.dossiers import Dossiers, read_dossiers
from sim.calibrate.mapping import Mapping
from sim.calibrate.problems import RecordError, RecordErrors
from sim.calibrate.tickets import Tickets, read_tickets

Read = TypeVar("Read")


def read_records(tickets: Path, dossiers: Path | None, mapping: Mapping,
                 skip_bad: bool) -> tuple[Tickets, Dossiers | None]:
    """The ticket log and, if given, the dossier export; raises one RecordErrors naming
    every file with bad records (unless `skip_bad` leaves their bad rows out)."""
    errors: list[RecordError] = []
    ticket_log = _checked(lambda: read_tickets(tickets, mapping.tickets, skip_bad), errors)
    export = (_checked(lambda: read_dossiers(dossiers, mapping.dossiers, skip_bad), errors)
              if dossiers is not None else None)
    if errors:
        raise RecordErrors(errors)
    return ticket_log, export


def _checked(read: Callable[[], Read], errors: list[RecordError]) -> Read | None:
    """What `read` returns, or None with its error kept for the one error at the end."""
    try:
        return read()
    except RecordError as err:
        errors.append(err)
        return None


def skipped_by_file(tickets: Tickets, dossiers: Dossiers | None
                    ) -> list[tuple[str, dict[str, int]]]:
    """Each file's name and its rows left out by reason, the files apart: one reason can
    occur in both, and merged counts would hide a file's rows."""
    read: list[Tickets | Dossiers] = [tickets] + ([dossiers] if dossiers else [])
    return [(Path(records.source).name, records.skipped) for records in read]
