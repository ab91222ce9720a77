"""The words of the calibration and backtest pages and figures: Vietnamese first, English
beside, as one table of (vi, en) pairs keyed by what they say.

Placeholders in braces are filled in by the page and the figures; numbers are formatted
there. Words, not ids: procedures are shown by the names citizens know.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Hiệu chỉnh mô hình từ số liệu của trung tâm",
              "Calibration from the centre's own records"),
    "sources": ("Nguồn số liệu", "Records used"),
    "period": ("Thời kỳ", "Period"),
    "tickets_file": ("Nhật ký phiếu xếp hàng", "Queue-ticket log"),
    "dossiers_file": ("Hồ sơ một cửa", "One-door dossier export"),
    "mapping_file": ("Tệp ánh xạ cột", "Column mapping file"),
    "rows": ("{read:,} dòng đọc, {used:,} phiếu dùng trong {days} ngày làm việc",
             "{read:,} rows read, {used:,} tickets used over {days} working days"),
    "skipped": ("Dòng bị bỏ qua (--skip-bad)", "Rows left out (--skip-bad)"),
    "none_skipped": ("Không có dòng nào bị bỏ qua.", "No row was left out."),
    "findings": ("Kết luận chính", "Main findings"),
    "arrivals": ("Lượt đến", "Arrivals"),
    "per_day": ("Lượt đến trong một ngày làm việc bình thường (lượt đầu)",
                "Visitors on an ordinary working day (first trips)"),
    "weekday": ("Thứ", "Weekday"),
    "days": ("Số ngày", "Days"),
    "mean_per_day": ("Trung bình mỗi ngày", "Mean per day"),
    "factor": ("Hệ số", "Factor"),
    "interval": ("Khoảng tin cậy 95%", "95% interval"),
    "weekdays_differ": ("Số lượt đến khác nhau giữa các thứ (p = {p:.2g}).",
                        "Visitor numbers differ between weekdays (p = {p:.2g})."),
    "weekdays_same": ("Không thấy khác biệt giữa các thứ (p = {p:.2g}); không ghi hệ số thứ.",
                      "Weekdays do not differ (p = {p:.2g}); no weekday factor is written."),
    "poisson": ("Kiểm định giả thiết Poisson", "Tests of the Poisson assumption"),
    "test": ("Kiểm định", "Test"),
    "statistic": ("Thống kê", "Statistic"),
    "p_value": ("Giá trị p", "p-value"),
    "verdict": ("Kết luận", "Verdict"),
    "cu_test": ("Vị trí đều trong khối {block:g} phút (KS)",
                "Uniform positions within {block:g}-minute blocks (KS)"),
    "lewis_test": ("Khoảng cách giữa các lượt đến (Lewis, KS)",
                   "Spacings between arrivals (Lewis, KS)"),
    "dispersion_test": ("Độ phân tán giữa các ngày (chỉ số phân tán)",
                        "Dispersion across days (dispersion index)"),
    "rejects": ("bác bỏ Poisson", "rejects Poisson"),
    "fits": ("phù hợp Poisson", "consistent with Poisson"),
    "poisson_ok": ("Trong ngày, lượt đến phù hợp với quá trình Poisson không thuần nhất mà mô "
                   "hình giả định.",
                   "Within days, arrivals are consistent with the non-homogeneous Poisson "
                   "process the model assumes."),
    "poisson_rejected": ("Số liệu bác bỏ giả thiết Poisson trong ngày: lượt đến theo nhóm, "
                         "theo lịch hẹn hoặc thay đổi nhanh hơn hồ sơ nửa giờ; kết quả mô "
                         "phỏng về thời gian chờ cần thận trọng.",
                         "The data reject Poisson arrivals within days: people come in groups, "
                         "by appointment, or faster-changing than the half-hour profile; treat "
                         "simulated waits with care."),
    "overdispersed": ("Số lượt đến biến động giữa các ngày nhiều hơn Poisson (tỉ số "
                      "phương sai/trung bình {ratio:.2f}); khoảng tin cậy của per_day được "
                      "mở rộng theo độ phân tán thực.",
                      "Daily numbers vary more than Poisson allows (variance/mean "
                      "{ratio:.2f}); the interval of per_day is widened to their real spread."),
    "not_overdispersed": ("Số lượt đến giữa các ngày biến động như Poisson (tỉ số {ratio:.2f}).",
                          "Daily numbers vary as Poisson allows (variance/mean {ratio:.2f})."),
    "service": ("Thời gian phục vụ tại quầy", "Minutes at the counter"),
    "procedure": ("Thủ tục", "Procedure"),
    "desk": ("Quầy", "Desk"),
    "n": ("Cỡ mẫu", "Sample"),
    "distribution": ("Phân phối", "Distribution"),
    "mean_minutes": ("Trung bình (phút)", "Mean (minutes)"),
    "cv": ("Hệ số biến thiên", "cv"),
    "ad_p": ("Anderson-Darling p", "Anderson-Darling p"),
    "pooled": ("ít số liệu ({n}): dùng số liệu gộp của quầy {desk}",
               "few records ({n}): the {desk} desk's pooled fit"),
    "implausible": ("{count:,} thời gian phục vụ bất hợp lý (dưới 5 giây hoặc trên 8 giờ) bị "
                    "loại.",
                    "{count:,} implausible durations (under 5 seconds or over 8 hours) left "
                    "out."),
    "gof_rejects": ("Phân phối chọn cho {names} khác số liệu (p < 0.05); xem biểu đồ Q-Q.",
                    "The chosen distribution of {names} departs from the data (p < 0.05); see "
                    "the Q-Q figure."),
    "patience": ("Thời gian kiên nhẫn chờ", "Patience"),
    "patience_line": ("{absent:,} người vắng mặt khi được gọi, {answered:,} người có mặt; "
                      "phân phối {dist}, trung bình {mean:.1f} phút, khoảng 95%: {low:.1f} "
                      "đến {high}.",
                      "{absent:,} absent when called, {answered:,} answered; {dist}, mean "
                      "{mean:.1f} minutes, 95% interval {low:.1f} to {high}."),
    "no_upper": ("không có cận trên", "no upper bound"),
    "patience_weeks": ("Với khoảng {weeks} tuần số liệu, khoảng tin cậy sẽ thu hẹp còn ±20% "
                       "trung bình (hiện có {now:.1f} tuần).",
                       "About {weeks} weeks of records would narrow the interval to ±20% of "
                       "the mean (now {now:.1f} weeks)."),
    "patience_unbounded": ("Số người bỏ về quá ít: dữ liệu không giới hạn được trung bình; "
                           "cần thêm nhiều tuần số liệu.",
                           "Too few gave up: the data do not bound the mean; many more weeks "
                           "of records are needed."),
    "patience_none": ("Không ai vắng mặt khi được gọi: không ước lượng được thời gian kiên "
                      "nhẫn (không ghi patience).",
                      "Nobody was absent when called: patience cannot be estimated (no "
                      "patience is written)."),
    "counters": ("Quầy mở theo giờ", "Open counters by time of day"),
    "sessions": ("Giờ làm việc suy ra", "Opening hours inferred"),
    "schedule": ("Số quầy mở (ngày trung vị)", "Open counters (median day)"),
    "seen": ("Số quầy thấy hoạt động", "Counters seen"),
    "shares": ("Cơ cấu thủ tục và đối tượng ưu tiên", "Procedure mix and priority classes"),
    "share": ("Tỉ lệ", "Share"),
    "incomplete": ("Thiếu giấy tờ", "Missing a paper"),
    "priority_class": ("Đối tượng", "Class"),
    "normal": ("Thường", "Normal"),
    "priority": ("Ưu tiên", "Priority"),
    "elderly": ("Người cao tuổi", "Elderly"),
    "dossiers": ("Hồ sơ và bộ phận xử lý", "Dossiers and the back office"),
    "received": ("Tiếp nhận", "Received"),
    "deadline": ("Thời hạn (ngày làm việc)", "Deadline (working days)"),
    "online": ("Tỉ lệ nộp không trực tiếp", "Share filed without a visit"),
    "processing": ("Xử lý: trung vị / phân vị 90 (ngày)", "Processing: median / 90th pct (days)"),
    "on_time": ("Đúng hạn", "On time"),
    "backlog": ("Tồn tại {date}", "Open at {date}"),
    "hours_line": ("Với {staff} cán bộ × {hours:g} giờ/ngày, mỗi hồ sơ cần nhiều nhất khoảng "
                   "{per:.2f} giờ công ({finished:,} hồ sơ hoàn thành trong {days} ngày làm "
                   "việc) — một ước lượng, không phải số đo.",
                   "With {staff} staff × {hours:g} hours a day, a dossier takes at most about "
                   "{per:.2f} staff-hours ({finished:,} dossiers finished in {days} working "
                   "days) — an estimate, not a measurement."),
    "no_staff": ("Chưa cho số cán bộ (--back-office-staff): bộ phận xử lý hồ sơ không được "
                 "ghi vào kịch bản.",
                 "No staff count given (--back-office-staff): the back office is not written "
                 "into the scenario."),
    "figures": ("Biểu đồ", "Figures"),
    "provenance": ("Nguồn gốc", "Provenance"),
    "provenance_line": ("Tạo bởi sim calibrate ({versions}), {date}.",
                        "Made by sim calibrate ({versions}), {date}."),
    # figures
    "fig.profile": ("Lượt đến theo nửa giờ", "Arrivals by half-hour"),
    "fig.profile.y": ("Lượt mỗi giờ", "Visitors per hour"),
    "fig.profile.x": ("Giờ lấy số", "Time the ticket was printed"),
    "fig.profile.observed": ("quan sát, khoảng 95%", "observed, 95% interval"),
    "fig.daily": ("Lượt đến mỗi ngày", "Visitors per day"),
    "fig.daily.y": ("Lượt đầu trong ngày", "First trips that day"),
    "fig.daily.band": ("90% theo Poisson với hệ số thứ", "90% under Poisson, weekday means"),
    "fig.qq": ("Thời gian phục vụ (Q-Q)", "Minutes at the counter (Q-Q)"),
    "fig.qq.x": ("Phân vị lý thuyết (phút)", "Fitted quantile (minutes)"),
    "fig.qq.y": ("Phân vị quan sát (phút)", "Observed quantile (minutes)"),
    "fig.patience": ("Thời gian kiên nhẫn: tỉ lệ còn chờ", "Patience: share still waiting"),
    "fig.patience.x": ("Phút chờ", "Minutes waited"),
    "fig.patience.y": ("Tỉ lệ còn kiên nhẫn", "Share still willing to wait"),
    "fig.patience.npmle": ("phi tham số (kiểu Kaplan-Meier)", "nonparametric (Kaplan-Meier type)"),
    "fig.patience.fit": ("phân phối chọn", "fitted distribution"),
    "fig.counters": ("Số quầy mở theo nửa giờ", "Open counters by half-hour"),
    "fig.counters.y": ("Quầy mở", "Open counters"),
    "fig.counters.band": ("ít nhất–nhiều nhất trong các ngày", "fewest to most over the days"),
    "fig.counters.median": ("ngày trung vị", "median day"),
    # backtest
    "fig.backtest": ("Quan sát so với mô phỏng", "Observed against simulated"),
    "fig.backtest.observed": ("quan sát", "observed"),
    "fig.backtest.band": ("mô phỏng, khoảng {level:.0%}", "simulated, {level:.0%} interval"),
    "fig.backtest.mean": ("trung bình mô phỏng", "simulated mean"),
    "fig.backtest.slots": ("Theo nửa giờ đến, gộp các ngày", "By half-hour of arrival, pooled"),
    "metric.visits": ("Lượt đến", "Visits"),
    "metric.wait_mean": ("Chờ trung bình (phút)", "Mean wait (min)"),
    "metric.wait_p90": ("Chờ phân vị 90 (phút)", "90th-percentile wait (min)"),
    "metric.wait_max": ("Chờ lâu nhất (phút)", "Longest wait (min)"),
    "metric.abandoned_share": ("Tỉ lệ không được phục vụ", "Share not served"),
    "metric.served_per_counter": ("Phục vụ mỗi quầy", "Served per counter"),
    "metric.slot_visits": ("Lượt đến mỗi ngày", "Visits per day"),
    "metric.slot_wait_mean": ("Chờ trung bình (phút)", "Mean wait (min)"),
}


def words(key: str, **fields: object) -> dict[str, str]:
    """The Vietnamese and English of one entry, placeholders filled."""
    vi, en = WORDS[key]
    return {"vi": vi.format(**fields), "en": en.format(**fields)}


def both(key: str, **fields: object) -> str:
    """Vietnamese, then English, in one line (for figures)."""
    pair = words(key, **fields)
    return f"{pair['vi']} / {pair['en']}"
