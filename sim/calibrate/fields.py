"""The records' fields as `sim` knows them, and the words each coded field may hold.

Tickets default to the fields of a commune queue-ticket kiosk; dossiers to the national public
service portal's field names. Another vendor's export is renamed to these by the mapping file
(`sim.calibrate.mapping`), which also turns its codes into these words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TicketFields:
    """One kiosk ticket; times are local date-times."""

    id: str = "id"
    number: str = "number"
    counter: str = "counter_id"
    procedure: str = "procedure_id"
    priority: str = "priority"
    status: str = "status"
    created: str = "created_at"
    called: str = "called_at"
    served: str = "served_at"
    completed: str = "completed_at"
    reason: str = "completion_reason"


@dataclass(frozen=True)
class DossierFields:
    """One dossier of the one-door system, with the national portal's field names."""

    id: str = "MaHoSo"
    procedure: str = "MaTTHC"
    procedure_name: str = "TenTTHC"
    received: str = "NgayTiepNhan"
    due: str = "NgayHenTra"
    finished: str = "NgayKetThucXuLy"
    returned: str = "NgayTra"
    channel: str = "HinhThuc"
    status: str = "TrangThaiHoSo"


TICKET = TicketFields()
DOSSIER = DossierFields()
TICKET_COLUMNS = tuple(TicketFields.__dataclass_fields__[name].default
                       for name in TicketFields.__dataclass_fields__)
DOSSIER_COLUMNS = tuple(DossierFields.__dataclass_fields__[name].default
                        for name in DossierFields.__dataclass_fields__)
TICKET_TIMES = (TICKET.created, TICKET.called, TICKET.served, TICKET.completed)
DOSSIER_TIMES = (DOSSIER.received, DOSSIER.due, DOSSIER.finished, DOSSIER.returned)

# Ticket status: called (and then finished for a reason), or never called before the day ended.
DONE, EXPIRED = "done", "expired"
STATUSES = (DONE, EXPIRED)
# Why a called ticket ended: served; served but a paper was missing; nobody answered the call.
SUCCESS, DOCUMENT_MISSING, CUSTOMER_ABSENT = "success", "document_missing", "customer_absent"
REASONS = (SUCCESS, DOCUMENT_MISSING, CUSTOMER_ABSENT)
PRIORITIES = ("normal", "priority", "elderly")
# Dossier channel (HinhThuc): in person, online, by post.
IN_PERSON, ONLINE, POST = 1, 2, 3
CHANNELS = (IN_PERSON, ONLINE, POST)
