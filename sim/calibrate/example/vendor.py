"""The example records written the way one vendor exports them, ugly parts included.

Tickets: a CSV (UTF-8 with a byte-order mark, as spreadsheet programs write it) with the
kiosk vendor's Vietnamese headers, its own service, counter and status codes, and day-first
date-times to the second. Dossiers: an Excel workbook with the national portal's field names
and date-time cells. A few rows of each are broken on purpose, one way each
(`TICKET_DAMAGE`, `DOSSIER_DAMAGE`), so that `sim calibrate` must name them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibrate.example.codes import (
    DAY_FIRST_FORMAT,
    SERVICE_CODES,
    TICKET_HEADERS,
    TICKET_WORDS,
)
from sim.calibrate.fields import DOSSIER, DOSSIER_COLUMNS, TICKET, TICKET_COLUMNS, TICKET_TIMES

TICKET_DAMAGE = ("unparseable created_at", "called before created", "unknown service code",
                 "completed before served")
DOSSIER_DAMAGE = ("promised before received", "unknown procedure code")
UNKNOWN_SERVICE, UNKNOWN_PROCEDURE = "DV99", "9.999999"


def moments(minutes: pd.Series, start: dt.date) -> pd.Series:
    """Minutes since 00:00 of the start date as date-times to the whole second (NaT: none)."""
    seconds = np.floor(minutes.to_numpy(dtype=float) * 60)
    origin = pd.Timestamp(start)
    return pd.Series(origin + pd.to_timedelta(seconds, unit="s"), index=minutes.index)


def vendor_tickets(tickets: pd.DataFrame, start: dt.date, counters: dict[str, list[str]],
                   rng: np.random.Generator) -> pd.DataFrame:
    """The ticket log in the vendor's columns, codes and day-first text, a few rows broken;
    `counters` are the vendor's counter codes by desk."""
    table = tickets[list(TICKET_COLUMNS)].copy()
    table[TICKET.counter] = table[TICKET.counter].map(
        lambda counter: _counter_code(counter, counters))
    table[TICKET.procedure] = table[TICKET.procedure].map(SERVICE_CODES)
    for field, words in TICKET_WORDS.items():
        table[field] = table[field].map(lambda word, words=words: words.get(word, ""))
    for field in TICKET_TIMES:
        table[field] = moments(table[field], start)
    _break_tickets(table, rng)
    for field in TICKET_TIMES:
        table[field] = table[field].map(_day_first)
    return table.rename(columns=TICKET_HEADERS)


def _counter_code(counter: str, counters: dict[str, list[str]]) -> str:
    if not counter:
        return ""
    desk, number = counter.split(":")
    return counters[desk][int(number) - 1]


def _day_first(value: object) -> object:
    return value.strftime(DAY_FIRST_FORMAT) if isinstance(value, pd.Timestamp) else value


def _break_tickets(table: pd.DataFrame, rng: np.random.Generator) -> None:
    """Break one served ticket each way of TICKET_DAMAGE (times still date-times here)."""
    served = np.flatnonzero(table[TICKET.served].notna().to_numpy())
    rows = table.index[rng.choice(served, len(TICKET_DAMAGE), replace=False)]
    created = table.at[rows[0], TICKET.created]
    table[TICKET.created] = table[TICKET.created].astype(object)
    table.at[rows[0], TICKET.created] = f"32/{created:%m/%Y %H:%M:%S}"
    table.at[rows[1], TICKET.called] = table.at[rows[1], TICKET.created] - pd.Timedelta(minutes=7)
    table.at[rows[2], TICKET.procedure] = UNKNOWN_SERVICE
    table.at[rows[3], TICKET.completed] = table.at[rows[3], TICKET.served] - pd.Timedelta(
        minutes=3)


def vendor_dossiers(dossiers: pd.DataFrame, start: dt.date,
                    rng: np.random.Generator) -> pd.DataFrame:
    """The dossier export with date-time cells, a few rows broken."""
    table = dossiers[list(DOSSIER_COLUMNS)].copy()
    for field in (DOSSIER.received, DOSSIER.due, DOSSIER.finished, DOSSIER.returned):
        table[field] = moments(table[field], start)
    rows = table.index[rng.choice(len(table), len(DOSSIER_DAMAGE), replace=False)]
    table.at[rows[0], DOSSIER.due] = table.at[rows[0], DOSSIER.received] - pd.Timedelta(days=2)
    table.at[rows[1], DOSSIER.procedure] = UNKNOWN_PROCEDURE
    return table


def write_tickets(table: pd.DataFrame, path: Path) -> Path:
    """CSV with a byte-order mark and Windows line ends, as a spreadsheet program saves it."""
    table.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_dossiers(table: pd.DataFrame, path: Path) -> Path:
    """An Excel workbook, one sheet, the portal's field names as headers."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        table.to_excel(writer, index=False, sheet_name="HoSo")
        writer.book.properties.created = dt.datetime(2025, 8, 12, 8, 0)
        writer.book.properties.modified = dt.datetime(2025, 8, 12, 8, 0)
    return path
