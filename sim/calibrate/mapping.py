"""The mapping file (`--columns map.yaml`): how to read another vendor's exports.

It renames the export's columns to the fields `sim` knows (`sim.calibrate.fields`), says how
its dates are written, turns its words (statuses, reasons, priority classes) into ours, and its
procedure and counter codes into scenario procedure ids and desks. Every part is optional: an
export with the default field names, ISO dates and our words needs no mapping file at all.
The file is read as strictly as a scenario: an unknown key or a misspelt field is an error that
names its path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from sim.scenario.errors import ScenarioError
from sim.scenario.problems import problems_from
from sim.scenario.strict import StrictModel
from sim.scenario.types import Identifier, Name
from sim.scenario.yaml_loader import read_yaml_file

TicketField = Literal["id", "number", "counter_id", "procedure_id", "priority", "status",
                      "created_at", "called_at", "served_at", "completed_at",
                      "completion_reason"]
DossierField = Literal["MaHoSo", "MaTTHC", "TenTTHC", "NgayTiepNhan", "NgayHenTra",
                       "NgayKetThucXuLy", "NgayTra", "HinhThuc", "TrangThaiHoSo"]
Word = Annotated[str, Field(min_length=1, max_length=200)]
DEFAULT_DESK = "general"


class ProcedureCode(StrictModel):
    """What an export's procedure code stands for in the scenario."""

    id: Identifier = Field(description="the scenario's procedure id")
    name: Name = Field(default="", description="the name citizens know (default: the id)")
    desk: Identifier = Field(default=DEFAULT_DESK, description="the desk that serves it")


class TicketWords(StrictModel):
    """The export's words for the coded ticket fields, each mapped to ours."""

    status: dict[Word, Literal["done", "expired"]] = Field(default={})
    completion_reason: dict[Word, Literal["success", "document_missing", "customer_absent"]] = (
        Field(default={}))
    priority: dict[Word, Literal["normal", "priority", "elderly"]] = Field(default={})


class TicketMapping(StrictModel):
    """How to read the kiosk's ticket log."""

    columns: dict[TicketField, Word] = Field(default={}, description="field -> column")
    date_format: Word | None = Field(default=None, description="strftime format, e.g. "
                                                              "'%d/%m/%Y %H:%M:%S'")
    dayfirst: bool = Field(default=False, description="dates are day first (01/07/2025)")
    values: TicketWords = Field(default_factory=TicketWords)
    procedures: dict[Word, ProcedureCode] = Field(
        default={}, description="procedure code -> scenario procedure (default: the code)")
    counters: dict[Word, Identifier] = Field(default={}, description="counter code -> desk")


class DossierMapping(StrictModel):
    """How to read the one-door system's dossier export."""

    columns: dict[DossierField, Word] = Field(default={}, description="field -> column")
    date_format: Word | None = None
    dayfirst: bool = False
    procedures: dict[Word, Identifier] = Field(
        default={}, description="MaTTHC -> scenario procedure id (default: none mapped)")


class Mapping(StrictModel):
    """The whole mapping file."""

    tickets: TicketMapping = Field(default_factory=TicketMapping)
    dossiers: DossierMapping = Field(default_factory=DossierMapping)


def load_mapping(path: Path | None) -> Mapping:
    """The mapping file, or the defaults when none is given."""
    if path is None:
        return Mapping()
    document = read_yaml_file(path)
    try:
        return Mapping.model_validate(document if document is not None else {})
    except ValidationError as err:
        raise ScenarioError(str(path), problems_from(err, Mapping)) from None
