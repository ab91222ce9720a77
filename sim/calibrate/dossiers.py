"""The one-door system's dossier export, read and checked row by row into one tidy table.

A dossier needs a procedure code the mapping knows (`MaTTHC`), a receipt time, a channel
(`HinhThuc`: 1 in person, 2 online, 3 by post), and times that follow each other: promised
(`NgayHenTra`) and finished (`NgayKetThucXuLy`) not before the day it was received, returned
(`NgayTra`) not before it was finished. An empty promised date is a dossier without a
deadline; an empty finish, one still open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibrate.fields import CHANNELS, DOSSIER, DOSSIER_TIMES
from sim.calibrate.mapping import DossierMapping
from sim.calibrate.problems import RowCheck, cell_text, settle
from sim.calibrate.records import IDENTIFIER, Export, read_export
from sim.calibrate.timestamps import parse_times, time_checks

REQUIRED = (DOSSIER.procedure, DOSSIER.received, DOSSIER.due, DOSSIER.finished, DOSSIER.channel)
OPTIONAL = (DOSSIER.id, DOSSIER.procedure_name, DOSSIER.returned, DOSSIER.status)


@dataclass(frozen=True)
class Dossiers:
    """The usable dossiers of one export and what was skipped."""

    source: str
    frame: pd.DataFrame  # row, id, procedure, code, received, due, finished, returned, channel
    skipped: dict[str, int]
    rows_read: int


def read_dossiers(path: Path, mapping: DossierMapping, skip_bad: bool = False) -> Dossiers:
    """Read and check a dossier export; a bad row is an error unless `skip_bad`."""
    export = read_export(path, mapping.columns, REQUIRED, OPTIONAL)
    table = export.table
    times = {field: parse_times(table[field], mapping.date_format, mapping.dayfirst)
             for field in DOSSIER_TIMES if field in table}
    frame = pd.DataFrame({field: parsed.times for field, parsed in times.items()})
    code = table[DOSSIER.procedure].map(cell_text).str.strip()
    frame["code"] = code
    frame["procedure"] = (code.map(mapping.procedures) if mapping.procedures
                          else code.where(code.str.fullmatch(IDENTIFIER)))
    frame["channel"] = table[DOSSIER.channel].map(_channel)
    checks = (time_checks(export, times, mapping, DOSSIER.received, missing="missing NgayTiepNhan",
                          what="the time the dossier was received")
              + _code_checks(export, frame, mapping) + _order_checks(export, frame))
    settled = settle(checks, export.rows, export.source, skip_bad)
    frame.insert(0, "row", export.rows)
    frame.insert(1, "id", table[DOSSIER.id].map(cell_text) if DOSSIER.id in table else "")
    if DOSSIER.returned not in frame:
        frame[DOSSIER.returned] = pd.NaT
    kept = frame[settled.keep].reset_index(drop=True)
    kept["channel"] = kept["channel"].astype(int)
    return Dossiers(export.source, kept, settled.skipped, len(frame))


def _channel(value: object) -> float:
    """HinhThuc as a number (Excel may give 1.0, a CSV '1'); nan if not one of CHANNELS."""
    try:
        number = float(cell_text(value).strip())
    except ValueError:
        return np.nan
    return number if number in CHANNELS else np.nan


def _code_checks(export: Export, frame: pd.DataFrame, mapping: DossierMapping
                 ) -> list[RowCheck]:
    known = ("a procedure code (MaTTHC) of the mapping file: " + ", ".join(mapping.procedures)
             if mapping.procedures else
             "a scenario procedure id, or a code listed in a mapping file's dossiers.procedures")
    return [
        RowCheck("unknown procedure code", export.columns[DOSSIER.procedure],
                 frame["procedure"].isna().to_numpy(), frame["code"], known),
        RowCheck("unknown channel", export.columns[DOSSIER.channel],
                 frame["channel"].isna().to_numpy(), export.table[DOSSIER.channel],
                 "1 (in person), 2 (online) or 3 (by post)"),
    ]


def _order_checks(export: Export, frame: pd.DataFrame) -> list[RowCheck]:
    received = frame[DOSSIER.received]
    day = received.dt.normalize()
    rules = [("promised before received", DOSSIER.due, frame[DOSSIER.due] < day),
             ("finished before received", DOSSIER.finished, frame[DOSSIER.finished] < received)]
    if DOSSIER.returned in frame:
        rules.append(("returned before finished", DOSSIER.returned,
                      frame[DOSSIER.returned] < frame[DOSSIER.finished]))
    columns, table = export.columns, export.table
    return [RowCheck(reason, columns[field], failing.to_numpy(), table[field],
                     _not_before(table, columns, DOSSIER.finished if field == DOSSIER.returned
                                 else DOSSIER.received))
            for reason, field, failing in rules]


def _not_before(table: pd.DataFrame, columns: dict[str, str],
                earlier: str) -> Callable[[int], str]:
    """What a later time must be, with the earlier cell of the row."""
    return lambda row: (f"a time not before {columns[earlier]} "
                        f"({cell_text(table[earlier].iloc[row])})")
