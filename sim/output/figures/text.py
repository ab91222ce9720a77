"""The words of the figures: titles, axis labels, legends and notes, in each language.

One flat table per language, keyed ``<figure>.<part>`` (``metric.<name>`` for the titles of the
options figure's panels, ``caption.<figure>`` for the report's caption of each figure,
``map.<part>`` for the province map), so that a translator adds a language by copying one
block; the placeholders in braces are filled in by the drawing code. A later step moves these
tables into gettext catalogues; until then this module is their one home.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "context": "{scenario} \u00b7 replications: {replications} \u00b7 seed {seed}",
        "band": "10\u201390% of replications",
        "target": "target",
        "clock": "Time of day",
        "waits.title": "How long citizens wait at the counters",
        "waits.x": "Wait (minutes)",
        "waits.y": "Share of visits",
        "waits.legend": "Share of visits waiting at most x minutes",
        "waits.target_p90": "Target: 90% wait at most {minutes:g} min",
        "waits.target_within": "Target: {share:.0%} served within {minutes:g} min",
        "waits.cut": "x axis ends at the 99th percentile wait",
        "by_time.title": "Wait by time of arrival (pooled over days and replications)",
        "by_time.mean": "Mean wait (min)",
        "by_time.p90": "90th-percentile wait (min)",
        "by_time.x": "Time of arrival (half-hour)",
        "queue.title": "Citizens waiting at the counters through a typical day",
        "queue.y": "Citizens waiting (whole centre)",
        "queue.line": "median day",
        "util.title": "Counter utilisation by desk and half-hour \u2013 {option}",
        "util.x": "Half-hour starting at (grey: desk closed)",
        "util.y": "Desk",
        "util.colour": "Busy counters / open counters",
        "backlog.title": ("Back-office dossiers open at the end of each day "
                          "(mean over replications)"),
        "backlog.open": "Open dossiers",
        "backlog.transferred": "of which transferred from the district",
        "backlog.overdue": "Overdue dossiers",
        "backlog.overdue_line": "overdue (past deadline, still open)",
        "backlog.x": "Date (day/month)",
        "options.title": "Options compared: mean and 95% confidence interval over replications",
        "metric.wait_mean": "Mean wait (min)",
        "metric.wait_p50": "Median wait (min)",
        "metric.wait_p90": "90th-percentile wait (min)",
        "metric.wait_p95": "95th-percentile wait (min)",
        "metric.wait_max": "Longest wait (min)",
        "metric.within_target_share": "Served within {minutes:g} min",
        "metric.abandoned_share": "Gave up waiting",
        "metric.sent_home_share": "Sent home at closing",
        "metric.utilisation": "Counter utilisation",
        "metric.trips_per_citizen": "Trips per citizen",
        "metric.on_time_share": "Dossiers done on time",
        "metric.overdue": "Dossiers overdue at the end",
        "metric.lateness_p90": "90th-percentile lateness (working days)",
        "metric.back_office_utilisation": "Back-office utilisation",
        "caption.waits": "How long visitors waited: share served within each number of minutes.",
        "caption.waits_by_time_of_day": ("Mean and 90th-percentile wait by the time of day "
                                         "people arrived."),
        "caption.queue_through_day": ("People waiting through a typical day (band: 10-90% over "
                                      "replications)."),
        "caption.utilisation_heatmap": "How busy each desk was, by half-hour.",
        "caption.backlog_burndown": "Open dossiers and the transferred backlog, day by day.",
        "caption.options_side_by_side": "The options side by side, with 95% confidence intervals.",
        "map.title": "{name}\nhow far each centre misses its targets ({option})",
        "map.colour": "total relative miss (0: every target met)",
        "map.x": "longitude",
        "map.y": "latitude",
        "map.note": "centres without coordinates are not shown",
    },
    "vi": {
        "context": "{scenario} \u00b7 số lần mô phỏng: {replications} \u00b7 seed {seed}",
        "band": "10\u201390% các lần mô phỏng",
        "target": "mục tiêu",
        "clock": "Giờ trong ngày",
        "waits.title": "Người dân chờ tại quầy bao lâu",
        "waits.x": "Thời gian chờ (phút)",
        "waits.y": "Tỷ lệ lượt đến",
        "waits.legend": "Tỷ lệ lượt đến chờ không quá x phút",
        "waits.target_p90": "Mục tiêu: 90% chờ không quá {minutes:g} phút",
        "waits.target_within": "Mục tiêu: {share:.0%} được phục vụ trong {minutes:g} phút",
        "waits.cut": "trục hoành dừng ở phân vị 99 của thời gian chờ",
        "by_time.title": "Thời gian chờ theo giờ đến (gộp mọi ngày và lần mô phỏng)",
        "by_time.mean": "Chờ trung bình (phút)",
        "by_time.p90": "Chờ phân vị 90 (phút)",
        "by_time.x": "Giờ đến (theo nửa giờ)",
        "queue.title": "Số người chờ tại quầy trong một ngày điển hình",
        "queue.y": "Số người đang chờ (toàn trung tâm)",
        "queue.line": "ngày trung vị",
        "util.title": "Mức sử dụng quầy theo lĩnh vực và nửa giờ \u2013 {option}",
        "util.x": "Nửa giờ bắt đầu lúc (màu xám: quầy đóng)",
        "util.y": "Lĩnh vực",
        "util.colour": "Số quầy bận / số quầy mở",
        "backlog.title": ("Hồ sơ chưa giải quyết xong vào cuối mỗi ngày "
                          "(trung bình các lần mô phỏng)"),
        "backlog.open": "Hồ sơ đang giải quyết",
        "backlog.transferred": "trong đó hồ sơ cấp huyện chuyển về",
        "backlog.overdue": "Hồ sơ quá hạn",
        "backlog.overdue_line": "quá hạn (đã quá hạn, chưa xong)",
        "backlog.x": "Ngày (ngày/tháng)",
        "options.title": "So sánh các phương án: trung bình và khoảng tin cậy 95%",
        "metric.wait_mean": "Chờ trung bình (phút)",
        "metric.wait_p50": "Chờ trung vị (phút)",
        "metric.wait_p90": "Chờ phân vị 90 (phút)",
        "metric.wait_p95": "Chờ phân vị 95 (phút)",
        "metric.wait_max": "Chờ lâu nhất (phút)",
        "metric.within_target_share": "Được phục vụ trong {minutes:g} phút",
        "metric.abandoned_share": "Bỏ về vì chờ lâu",
        "metric.sent_home_share": "Phải về khi hết giờ",
        "metric.utilisation": "Mức sử dụng quầy",
        "metric.trips_per_citizen": "Số lần đến mỗi người",
        "metric.on_time_share": "Hồ sơ giải quyết đúng hạn",
        "metric.overdue": "Hồ sơ quá hạn cuối kỳ",
        "metric.lateness_p90": "Trễ hạn phân vị 90 (ngày làm việc)",
        "metric.back_office_utilisation": "Mức sử dụng bộ phận xử lý hồ sơ",
        "caption.waits": "Thời gian chờ: tỷ lệ người được phục vụ trong từng số phút.",
        "caption.waits_by_time_of_day": "Thời gian chờ trung bình và mức 90% theo giờ đến.",
        "caption.queue_through_day": ("Số người đang chờ trong một ngày điển hình (dải: 10-90% "
                                      "qua các lần mô phỏng)."),
        "caption.utilisation_heatmap": "Mức bận của từng quầy theo nửa giờ.",
        "caption.backlog_burndown": "Hồ sơ đang giải quyết và hồ sơ tồn chuyển giao, theo ngày.",
        "caption.options_side_by_side": "So sánh các phương án, kèm khoảng tin cậy 95%.",
        "map.title": "{name}\nmức chưa đạt chỉ tiêu của từng trung tâm ({option})",
        "map.colour": "tổng mức chưa đạt (0: đạt mọi chỉ tiêu)",
        "map.x": "kinh độ",
        "map.y": "vĩ độ",
        "map.note": "không hiển thị trung tâm thiếu tọa độ",
    },
}

Labels = Mapping[str, str] | str | None
"""A language code of LABELS, or English texts overridden by key (``"option.<name>"`` renames
an option in legends), or None for English."""


def figure_text(labels: Labels) -> dict[str, str]:
    """English texts updated with a language of LABELS or a mapping of overrides, so that a key
    a language lacks still has words."""
    if isinstance(labels, str):
        if labels not in LABELS:
            raise ValueError(f"no labels for language {labels!r}; known: " + ", ".join(LABELS))
        labels = LABELS[labels]
    return {**LABELS["en"], **(labels or {})}


def option_label(text: Mapping[str, str], option: str) -> str:
    """An option's name in legends: its own name unless the texts rename it."""
    return text.get(f"option.{option}", option)


def option_names(options: Iterable[str], text: Mapping[str, str]) -> list[str]:
    """The legend names of the options, in their order."""
    return [option_label(text, option) for option in options]
