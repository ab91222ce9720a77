"""Generate the example records: simulate the known ward centre once and write its visits and
dossiers as the kiosk's ticket log and the one-door system's export, with the mapping file.

The same truth and seed give the same records, so the tests know what the records hold and
which parameters made them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from ruamel.yaml import YAML

from sim.analysis.columns import tidy_frame
from sim.analysis.daily_frames import dossiers_columns
from sim.analysis.frames import visits_columns
from sim.calibrate.example.codes import counter_codes, mapping_document
from sim.calibrate.example.kiosk import kiosk_tickets
from sim.calibrate.example.portal import portal_dossiers
from sim.calibrate.example.vendor import (
    vendor_dossiers,
    vendor_tickets,
    write_dossiers,
    write_tickets,
)
from sim.model.centre import simulate
from sim.model.record import RunRecord
from sim.scenario.bundled import BUNDLED_SCENARIOS
from sim.scenario.load import load_scenario
from sim.scenario.schema import Scenario

RECORDS = BUNDLED_SCENARIOS / "records"
TRUTH = RECORDS / "ward_truth.yaml"
SEED = 20250701
TICKETS_FILE, DOSSIERS_FILE, MAPPING_FILE = ("ward_tickets.csv", "ward_dossiers.xlsx",
                                             "ward_columns.yaml")
MAPPING_HEADER = (
    "How to read the example ward's exports (see docs/records.md): the kiosk vendor's column\n"
    "names, its date format and words, and its service and counter codes as scenario\n"
    "procedures and desks; the dossier export keeps the national portal's field names, so\n"
    "only its procedure codes (MaTTHC) are mapped. Written by python -m sim.calibrate.example.")


@dataclass(frozen=True)
class ExampleRecords:
    """A generated set of records, with the run that made them."""

    scenario: Scenario  # the truth
    record: RunRecord
    tickets: pd.DataFrame  # canonical fields, times in minutes since the start date
    dossiers: pd.DataFrame  # canonical fields, times in minutes since the start date
    vendor_tickets: pd.DataFrame  # as written: the vendor's columns, codes and text
    vendor_dossiers: pd.DataFrame
    mapping: dict


def example_records(truth: Path = TRUTH, seed: int = SEED,
                    overrides: Sequence[str] = ()) -> ExampleRecords:
    """Simulate the truth once with `seed` and make its records (`overrides` as for --set)."""
    scenario = load_scenario(truth, overrides=overrides).baseline
    record = simulate(scenario, seed)
    rng = [np.random.default_rng([seed, stream]) for stream in range(4)]
    counters = {name: desk.counters for name, desk in (scenario.desks or {}).items()}
    visits = tidy_frame([visits_columns(record, scenario)])
    tickets = kiosk_tickets(record, visits, counters, rng[0])
    dossiers = portal_dossiers(tidy_frame([dossiers_columns(record, scenario)]), scenario,
                               record.horizon_end, rng[1])
    start = scenario.calendar.start
    mapping = mapping_document({p.id: p.name for p in scenario.procedures},
                               {p.id: p.desk for p in scenario.procedures}, counters)
    return ExampleRecords(scenario, record, tickets, dossiers,
                          vendor_tickets(tickets, start, counter_codes(counters), rng[2]),
                          vendor_dossiers(dossiers, start, rng[3]), mapping)


def write_example_records(folder: Path, records: ExampleRecords) -> dict[str, Path]:
    """Write the ticket CSV, the dossier workbook and the mapping file into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "tickets": write_tickets(records.vendor_tickets, folder / TICKETS_FILE),
        "dossiers": write_dossiers(records.vendor_dossiers, folder / DOSSIERS_FILE),
        "mapping": write_mapping(records.mapping, folder / MAPPING_FILE),
    }


def write_mapping(document: dict, path: Path) -> Path:
    """The mapping file, with a header comment saying what it is."""
    yaml = YAML()
    yaml.width = 100
    yaml.allow_unicode = True
    with path.open("w", encoding="utf-8") as stream:
        stream.write("".join(f"# {line}\n" for line in MAPPING_HEADER.splitlines()))
        yaml.dump(document, stream)
    return path
