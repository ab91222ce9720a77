"""The kiosk's ticket log, read and checked row by row into one tidy table.

A row is bad when a time cannot be read, the times are out of order (called before the ticket
was printed, finished before service began), a coded field holds a word the mapping does not
know, or a procedure or counter code is not in the mapping. Each bad row is named with its
column (`sim.calibrate.problems`); with `skip_bad` it is left out and counted by reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.calibrate.fields import (
    CUSTOMER_ABSENT,
    DONE,
    EXPIRED,
    PRIORITIES,
    REASONS,
    STATUSES,
    SUCCESS,
    TICKET,
    TICKET_TIMES,
)
from sim.calibrate.mapping import DEFAULT_DESK, ProcedureCode, TicketMapping
from sim.calibrate.problems import RowCheck, cell_text, settle
from sim.calibrate.records import IDENTIFIER, Export, read_export
from sim.calibrate.timestamps import parse_times, time_checks

REQUIRED = (TICKET.procedure, TICKET.status, *TICKET_TIMES, TICKET.reason)
OPTIONAL = (TICKET.id, TICKET.number, TICKET.counter, TICKET.priority)


@dataclass(frozen=True)
class Procedure:
    """A procedure as the records name it: scenario id, name and desk."""

    id: str
    name: str
    desk: str


@dataclass(frozen=True)
class Tickets:
    """The usable tickets of one export and what was skipped."""

    source: str
    frame: pd.DataFrame  # row, id, counter, desk, procedure, priority, status, reason, times
    procedures: dict[str, Procedure]  # by id, in the mapping's order (or first seen)
    skipped: dict[str, int]  # reason -> rows left out with --skip-bad
    rows_read: int
    seconds: bool  # times are written to the second (else to the minute)


def read_tickets(path: Path, mapping: TicketMapping, skip_bad: bool = False) -> Tickets:
    """Read and check a ticket export; a bad row is an error unless `skip_bad`."""
    export = read_export(path, mapping.columns, REQUIRED, OPTIONAL)
    table = export.table
    times = {field: parse_times(table[field], mapping.date_format, mapping.dayfirst)
             for field in TICKET_TIMES}
    frame = pd.DataFrame({field: parsed.times for field, parsed in times.items()})
    frame[TICKET.status] = _words(table[TICKET.status], mapping.values.status)
    frame[TICKET.reason] = _words(table[TICKET.reason], mapping.values.completion_reason)
    frame[TICKET.priority] = _words(_column(table, TICKET.priority, "normal"),
                                    mapping.values.priority).replace("", "normal")
    codes = _procedure_codes(table[TICKET.procedure].astype(str).str.strip(), mapping)
    frame["procedure"] = codes.map(lambda code: code.id if code else "")
    frame["desk"] = codes.map(lambda code: code.desk if code else "")
    counter = _column(table, TICKET.counter, "").astype(str).str.strip()
    frame["counter"] = counter
    frame["counter_desk"] = [mapping.counters.get(code, desk)
                             for code, desk in zip(counter, frame["desk"], strict=True)]
    checks = (time_checks(export, times, mapping, TICKET.created, missing="missing created_at",
                          what="the time the ticket was printed")
              + _word_checks(export, frame, mapping, codes, counter)
              + _order_checks(export, frame))
    settled = settle(checks, export.rows, export.source, skip_bad)
    frame.insert(0, "row", export.rows)
    frame.insert(1, "id", _column(table, TICKET.id, "").astype(str).to_numpy())
    kept = frame[settled.keep].reset_index(drop=True)
    return Tickets(export.source, kept, _procedures(codes[settled.keep], mapping),
                   settled.skipped, len(frame), _to_the_second(kept))


def _column(table: pd.DataFrame, field: str, default: str) -> pd.Series:
    return table[field] if field in table else pd.Series(default, index=table.index)


def _words(values: pd.Series, words: dict[str, str]) -> pd.Series:
    """The export's words as ours (a word the mapping does not list stays as written)."""
    text = values.map(lambda value: "" if value is None else str(value).strip())
    return text.map(lambda word: words.get(word, word))


def _procedure_codes(codes: pd.Series, mapping: TicketMapping) -> pd.Series:
    """Each row's procedure; None for a code the mapping does not know (or, without a
    mapping, a code that cannot be a scenario id)."""
    if mapping.procedures:
        return codes.map(mapping.procedures.get)
    valid = codes.str.fullmatch(IDENTIFIER)
    return pd.Series([ProcedureCode(id=code, desk=DEFAULT_DESK) if ok else None
                      for code, ok in zip(codes, valid, strict=True)], index=codes.index)


def _procedures(codes: pd.Series, mapping: TicketMapping) -> dict[str, Procedure]:
    listed = list(mapping.procedures.values()) or list(dict.fromkeys(codes))
    seen = {code.id for code in codes}
    return {code.id: Procedure(code.id, code.name or code.id, code.desk)
            for code in listed if code.id in seen}


def _word_checks(export: Export, frame: pd.DataFrame, mapping: TicketMapping,
                 codes: pd.Series, counter: pd.Series) -> list[RowCheck]:
    table, columns = export.table, export.columns
    checks = [
        _vocabulary("unknown status", TICKET.status, frame, export, STATUSES),
        _vocabulary("unknown completion reason", TICKET.reason, frame, export, ("", *REASONS)),
        RowCheck("unknown procedure code", columns[TICKET.procedure], codes.isna().to_numpy(),
                 table[TICKET.procedure], _known_codes(mapping)),
    ]
    if TICKET.priority in columns:
        checks.append(_vocabulary("unknown priority", TICKET.priority, frame, export,
                                  PRIORITIES))
    if mapping.counters and TICKET.counter in columns:
        unknown = (counter != "") & ~counter.isin(list(mapping.counters))
        checks.append(RowCheck("unknown counter code", columns[TICKET.counter],
                               unknown.to_numpy(), table[TICKET.counter],
                               "a counter code of the mapping file: "
                               + ", ".join(mapping.counters)))
    return checks


def _vocabulary(reason: str, field: str, frame: pd.DataFrame, export: Export,
                words: tuple[str, ...]) -> RowCheck:
    failing = ~frame[field].isin(words).to_numpy()
    shown = ", ".join(repr(word) for word in words if word)
    return RowCheck(reason, export.columns[field], failing, export.table[field],
                    f"one of {shown} (or the export's word for it, in the mapping file's "
                    f"tickets.values.{field})")


def _known_codes(mapping: TicketMapping) -> str:
    if mapping.procedures:
        return "a procedure code of the mapping file: " + ", ".join(mapping.procedures)
    return ("a scenario procedure id (lower-case letters, digits and _), or a code listed "
            "in a mapping file's tickets.procedures (--columns)")


def _order_checks(export: Export, frame: pd.DataFrame) -> list[RowCheck]:
    """Times in the order a ticket lives them, and the times each ending needs."""
    created, called = frame[TICKET.created], frame[TICKET.called]
    served, completed = frame[TICKET.served], frame[TICKET.completed]
    status, reason = frame[TICKET.status], frame[TICKET.reason]
    began = served.fillna(called)
    rules = [
        ("called before created", TICKET.called, called < created, TICKET.created),
        ("served before called", TICKET.served, served < called, TICKET.called),
        ("completed before served", TICKET.completed, completed < began, TICKET.served),
        ("called ticket without a call time", TICKET.called,
         (status == DONE) & called.isna(), None),
        ("served ticket without service times", TICKET.served,
         reason.isin([SUCCESS, "document_missing"]) & (served.isna() | completed.isna()), None),
        ("expired ticket with a call time", TICKET.called,
         (status == EXPIRED) & called.notna(), None),
        ("absent ticket without a call time", TICKET.called,
         (reason == CUSTOMER_ABSENT) & called.isna(), None),
    ]
    return [_order_check(export, *rule) for rule in rules]


def _order_check(export: Export, reason: str, field: str, failing: pd.Series,
                 after: str | None) -> RowCheck:
    columns, table = export.columns, export.table
    if after is None:
        allowed = f"a time here ({reason} otherwise)" if "without" in reason else (
            "no time here: an expired ticket was never called")
        return RowCheck(reason, columns[field], failing.to_numpy(), table[field], allowed)
    earlier = table[after]
    return RowCheck(reason, columns[field], failing.to_numpy(), table[field],
                    lambda row: f"a time at or after {columns[after]} "
                                f"({cell_text(earlier.iloc[row])})")


def _to_the_second(frame: pd.DataFrame) -> bool:
    """Whether any time carries seconds (else the export rounds to the minute)."""
    seconds = pd.concat([frame[field].dropna().dt.second for field in TICKET_TIMES])
    return bool((seconds != 0).any())
