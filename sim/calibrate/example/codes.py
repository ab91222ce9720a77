"""The example vendor's column names and codes, and the mapping file that turns them into
the fields and words `sim` knows (scenario procedure ids and desks).

One table serves both directions: the generator writes the vendor's codes with it, and the
mapping file written from it reads them back, so the two cannot drift apart.
"""

from __future__ import annotations

from sim.calibrate.fields import TICKET

# The kiosk vendor's column headers, by the field they hold.
TICKET_HEADERS = {
    TICKET.id: "Mã vé",
    TICKET.number: "Số thứ tự",
    TICKET.counter: "Quầy",
    TICKET.procedure: "Mã dịch vụ",
    TICKET.priority: "Đối tượng",
    TICKET.status: "Trạng thái",
    TICKET.created: "Giờ lấy số",
    TICKET.called: "Giờ gọi",
    TICKET.served: "Giờ bắt đầu",
    TICKET.completed: "Giờ kết thúc",
    TICKET.reason: "Kết quả",
}
DAY_FIRST_FORMAT = "%d/%m/%Y %H:%M:%S"
# The vendor's words for the coded ticket fields.
TICKET_WORDS = {
    TICKET.status: {"done": "Đã gọi", "expired": "Hết lượt"},
    TICKET.reason: {"success": "Hoàn thành", "document_missing": "Thiếu giấy tờ",
                    "customer_absent": "Vắng mặt"},
    TICKET.priority: {"normal": "Thường", "priority": "Ưu tiên", "elderly": "Người cao tuổi"},
}
# Kiosk service codes by scenario procedure id; counter codes by desk.
SERVICE_CODES = {"certification": "DV01", "civil_status": "DV02", "residence": "DV03",
                 "land": "DV11", "business": "DV12"}
# The national procedure codes (MaTTHC) of the dossiers, by scenario procedure id: example
# codes in the portal's form, not the real codes of these procedures.
PORTAL_CODES = {"civil_status": "1.001193", "land": "1.004227", "business": "2.000720"}
DOSSIER_STATUS = {"open": "Đang xử lý", "finished": "Đã có kết quả", "returned": "Đã trả kết quả"}


def counter_codes(counters: dict[str, int]) -> dict[str, list[str]]:
    """The vendor numbers counters Q01, Q02, ... through the desks in order."""
    codes, number = {}, 0
    for desk, count in counters.items():
        codes[desk] = [f"Q{number + k + 1:02d}" for k in range(count)]
        number += count
    return codes


def mapping_document(names: dict[str, str], desks: dict[str, str],
                     counters: dict[str, int]) -> dict:
    """The mapping file for this vendor: columns, date format, words and codes."""
    words = {field: {vendor: ours for ours, vendor in table.items()}
             for field, table in TICKET_WORDS.items()}
    return {
        "tickets": {
            "columns": dict(TICKET_HEADERS),
            "date_format": DAY_FIRST_FORMAT,
            "values": words,
            "procedures": {code: {"id": procedure, "name": names[procedure],
                                  "desk": desks[procedure]}
                           for procedure, code in SERVICE_CODES.items()},
            "counters": {code: desk for desk, codes in counter_codes(counters).items()
                         for code in codes},
        },
        "dossiers": {
            "procedures": {code: procedure for procedure, code in PORTAL_CODES.items()},
        },
    }

