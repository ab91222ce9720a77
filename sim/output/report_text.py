"""The words of the report in Vietnamese and English, and a readable summary of a scenario."""

from __future__ import annotations

from sim.scenario.schema import Scenario

KPI_FORMATS: dict[str, str] = {  # metric: how its values are written (in the report's order)
    "wait_mean": "{:.1f}",
    "wait_p90": "{:.1f}",
    "within_target_share": "{:.0%}",
    "abandoned_share": "{:.1%}",
    "sent_home_share": "{:.1%}",
    "trips_per_citizen": "{:.2f}",
    "utilisation": "{:.0%}",
    "on_time_share": "{:.1%}",
    "overdue": "{:.0f}",
    "lateness_p90": "{:.1f}",
    "backlog_cleared_day": "{:.0f}",
}

TEXT: dict[str, dict] = {
    "en": {
        "title": "Staffing options report",
        "question": "Which staffing option meets the centre's service targets, at what cost in "
                    "staff time, and how sure can we be?",
        "recommendation": "Recommendation",
        "options": "Options compared",
        "option": "Option",
        "changes": "Change from the baseline",
        "no_change": "the scenario as written",
        "cost": "Staff-hours (with overtime)",
        "kpis": "Key figures",
        "kpi_note": "Mean over replications with its 95% confidence interval. ✓ meets the "
                    "target with 95% confidence, ✗ does not, ? not yet certain.",
        "ci": "95% CI",
        "figures": "Figures",
        "assumptions": "Assumptions",
        "provenance": "Provenance",
        "provenance_line": "Scenario file {source}; root seed {seed}; {replications} "
                           "replications per option; {versions}; produced {date}.",
        "metrics": {
            "wait_mean": "Mean wait (min)", "wait_p90": "90% wait within (min)",
            "within_target_share": "Served within target", "abandoned_share": "Gave up",
            "sent_home_share": "Sent home", "trips_per_citizen": "Trips per citizen",
            "utilisation": "Counter utilisation", "on_time_share": "Dossiers on time",
            "overdue": "Overdue at the end", "lateness_p90": "90% lateness (working days)",
            "backlog_cleared_day": "Backlog cleared on working day",
        },
        "fields": {
            "period": "Period", "opening": "Opening hours", "saturday": "Saturday sessions",
            "demand": "Demand", "procedures": "Procedures", "counters": "Counters",
            "patience": "Patience and returns", "back_office": "Back office",
            "backlog": "Transferred backlog", "disruptions": "Disruptions",
            "targets": "Targets", "guidance": "Guidance team",
        },
        "words": {
            "working_days": "working days from", "per_day": "visitors on an ordinary day",
            "per_hour": "visitors per hour", "surge": "surge", "minutes": "min",
            "share": "share", "mean_patience": "mean patience", "returns": "come back",
            "at_closing": "at closing", "staff": "staff", "hours": "hours a day each",
            "order": "order", "policy": "policy", "dossiers": "dossiers", "none": "none",
            "sites": "site",
        },
    },
    "vi": {
        "title": "Báo cáo phương án bố trí nhân sự",
        "question": "Phương án bố trí nhân sự nào đạt các chỉ tiêu phục vụ của Trung tâm, tốn "
                    "bao nhiêu giờ công, và mức độ chắc chắn ra sao?",
        "recommendation": "Khuyến nghị",
        "options": "Các phương án được so sánh",
        "option": "Phương án",
        "changes": "Thay đổi so với phương án gốc",
        "no_change": "giữ nguyên kịch bản",
        "cost": "Giờ công (kể cả làm thêm)",
        "kpis": "Chỉ số chính",
        "kpi_note": "Giá trị trung bình qua các lần mô phỏng, kèm khoảng tin cậy 95%. ✓ đạt chỉ "
                    "tiêu với độ tin cậy 95%, ✗ không đạt, ? chưa chắc chắn.",
        "ci": "KTC 95%",
        "figures": "Biểu đồ",
        "assumptions": "Giả định",
        "provenance": "Nguồn gốc kết quả",
        "provenance_line": "Tệp kịch bản {source}; hạt giống ngẫu nhiên {seed}; {replications} "
                           "lần mô phỏng cho mỗi phương án; {versions}; lập lúc {date}.",
        "metrics": {
            "wait_mean": "Thời gian chờ trung bình (phút)",
            "wait_p90": "90% người chờ không quá (phút)",
            "within_target_share": "Được phục vụ trong thời gian chỉ tiêu",
            "abandoned_share": "Bỏ về", "sent_home_share": "Hết giờ phải về",
            "trips_per_citizen": "Số lượt đến mỗi người",
            "utilisation": "Hiệu suất quầy", "on_time_share": "Hồ sơ đúng hạn",
            "overdue": "Hồ sơ quá hạn cuối kỳ", "lateness_p90": "90% hồ sơ trễ không quá (ngày)",
            "backlog_cleared_day": "Giải quyết xong hồ sơ tồn vào ngày làm việc",
        },
        "fields": {
            "period": "Thời gian", "opening": "Giờ làm việc", "saturday": "Làm việc sáng thứ Bảy",
            "demand": "Lượng người đến", "procedures": "Thủ tục", "counters": "Quầy",
            "patience": "Kiên nhẫn và quay lại", "back_office": "Bộ phận xử lý hồ sơ",
            "backlog": "Hồ sơ tồn từ cấp huyện", "disruptions": "Sự cố",
            "targets": "Chỉ tiêu", "guidance": "Tổ hướng dẫn",
        },
        "words": {
            "working_days": "ngày làm việc từ", "per_day": "người trong một ngày bình thường",
            "per_hour": "người mỗi giờ", "surge": "cao điểm", "minutes": "phút",
            "share": "tỷ lệ", "mean_patience": "kiên nhẫn trung bình", "returns": "quay lại",
            "at_closing": "khi hết giờ", "staff": "người", "hours": "giờ mỗi ngày mỗi người",
            "order": "thứ tự", "policy": "cách bố trí", "dossiers": "hồ sơ", "none": "không có",
            "sites": "điểm",
        },
    },
}

def assumptions(scenario: Scenario, lang: str) -> list[tuple[str, str]]:
    """(label, plain text) pairs describing the baseline scenario."""
    fields, w = TEXT[lang]["fields"], TEXT[lang]["words"]
    calendar, arrivals = scenario.calendar, scenario.arrivals
    rows = [
        (fields["period"], f"{calendar.working_days} {w['working_days']} {calendar.start}"),
        (fields["opening"], ", ".join(calendar.sessions)),
    ]
    if calendar.saturday_sessions:
        rows.append((fields["saturday"], ", ".join(calendar.saturday_sessions)))
    demand = (f"{arrivals.per_day:g} {w['per_day']}" if arrivals.per_day is not None
              else f"{arrivals.per_hour:g} {w['per_hour']}")
    demand += "".join(f"; {w['surge']} ×{s.factor:g} {s.start}–{s.end}"
                      for s in arrivals.surges)
    rows.append((fields["demand"], demand))
    rows.append((fields["procedures"], "; ".join(
        f"{p.name} ({w['share']} {p.share:.0%}, {p.service.expected():.0f} {w['minutes']})"
        for p in scenario.procedures)))
    rows.append((fields["counters"], "; ".join(
        f"{w['sites']} {site}: " * (scenario.sites is not None)
        + ", ".join(f"{name} {desk.counters}" for name, desk in desks.items())
        for site, desks in scenario.site_desks().items())))
    patience = (f"{w['mean_patience']} {scenario.patience.expected():.0f} {w['minutes']}; "
                if scenario.patience is not None else "")
    rows.append((fields["patience"], f"{patience}{w['returns']} {scenario.return_probability:.0%}"
                                     f"; {w['at_closing']}: {scenario.at_closing}"))
    rows += _transition(scenario, fields, w)
    rows.append((fields["targets"], ", ".join(
        f"{k} {v}" for k, v in scenario.targets.model_dump(exclude_none=True).items())
        or w["none"]))
    return rows


def _transition(scenario: Scenario, fields: dict, w: dict) -> list[tuple[str, str]]:
    rows = []
    if scenario.guidance is not None:
        rows.append((fields["guidance"], f"{scenario.guidance.staff} {w['staff']}"))
    office = scenario.back_office
    if office is not None:
        rows.append((fields["back_office"], f"{office.staff} {w['staff']}, {office.hours_per_day:g}"
                     f" {w['hours']}; {w['order']} {office.order}; {w['policy']} {office.policy}"))
    if scenario.backlog:
        rows.append((fields["backlog"], "; ".join(
            f"{item.procedure}: {item.count} {w['dossiers']}" for item in scenario.backlog)))
    if scenario.disruptions:
        rows.append((fields["disruptions"], "; ".join(
            f"{d.kind} {getattr(d, 'procedure', '')}".strip() for d in scenario.disruptions)))
    return rows
