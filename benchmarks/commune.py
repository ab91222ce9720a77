"""The commune centre the speed benchmarks simulate, and a province of it written as a planner
gets one (`init_province` over the template, demand from init's proxy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.scenario.province.init import init_province
from sim.scenario.province.load import ProvinceSet

SEED = 20250701
OPTION = "baseline"  # the template has no options, so units = centres x replications

# A commune centre of the size most of a province's centres are: three old communes merged, two
# general counters and a civil-status counter, two officials on dossiers, land dossiers handed
# over from the abolished district. Values follow scenarios/centres/rural_merged_commune.yaml,
# simplified; arrivals.per_day is replaced per centre by init's proxy (8-99 a day in Thanh Hóa).
TEMPLATE: dict[str, Any] = {
    "name": "Benchmark commune centre",
    "description": "A mid-size merged rural commune; one month from the reform's first day.",
    "calendar": {
        "start": "2025-07-01", "working_days": 22, "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "sessions": ["07:30-11:30", "13:30-17:00"], "cutoff": "15:00",
    },
    "arrivals": {
        "per_day": 28,
        "profile": {"07:00": 0.5, "07:30": 1.6, "09:30": 1.3, "10:30": 0.8, "11:30": 0.0,
                    "13:30": 0.9, "15:00": 0.5, "16:30": 0.2, "17:00": 0.0},
        "weekday_factor": {"mon": 1.1},
        "surges": [{"from": "2025-07-07", "to": "2025-07-18", "factor": 1.3}],
    },
    "procedures": [
        {"id": "certification", "name": "Chứng thực bản sao từ bản chính", "share": 0.6,
         "desk": "general", "service": {"dist": "gamma", "mean": 10, "cv": 0.5},
         "incomplete": 0.05},
        {"id": "civil_status", "name": "Đăng ký khai sinh, khai tử, kết hôn", "share": 0.15,
         "desk": "civil_status", "service": {"dist": "gamma", "mean": 12, "cv": 0.6},
         "guidance": 0.3, "incomplete": 0.15,
         "back_office": {"hours": {"dist": "lognormal", "mean": 0.2, "cv": 0.5}},
         "deadline": {"working_days": 0}, "online_share": 0.2},
        {"id": "land_transfer", "name": "Đăng ký biến động đất đai", "share": 0.1,
         "desk": "general", "service": {"dist": "lognormal", "mean": 20, "cv": 0.6},
         "guidance": 0.3, "incomplete": 0.25,
         "back_office": {"hours": {"dist": "lognormal", "mean": 0.6, "cv": 0.6},
                         "handoff": "registry"},
         "deadline": {"working_days": 8}, "online_share": 0.1},
        {"id": "social_protection", "name": "Trợ cấp xã hội, bảo trợ xã hội", "share": 0.15,
         "desk": "general", "service": {"dist": "triangular", "low": 5, "mode": 10, "high": 20},
         "incomplete": 0.1},
    ],
    "desks": {"general": {"counters": 2}, "civil_status": {"counters": 1}},
    "guidance": {"staff": 1, "service": {"dist": "exponential", "mean": 8}},
    "back_office": {
        "staff": 2, "hours_per_day": 6, "order": "earliest_deadline",
        "handoffs": {"registry": {"delay_days": {"dist": "triangular", "low": 2, "mode": 4,
                                                 "high": 9}}},
    },
    "backlog": [{"procedure": "land_transfer", "count": 30, "spread_days": 5,
                 "days_left": {"dist": "uniform", "low": -1, "high": 8}}],
    "patience": {"dist": "gamma", "mean": 180, "cv": 0.5},
    "return_probability": 0.7,
    "max_trips": 3,
    "at_closing": "send_home",
    "targets": {"wait_p90": 40, "on_time_share": 0.9},  # so the ranking and map are made too
}



def write_province(name: str, folder: Path) -> Path:
    """The template and the province file, written as `sim province init` writes them."""
    template = folder / "centre_template.yaml"
    template.write_text(yaml.safe_dump(TEMPLATE, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return init_province(name, template, None, folder / "province.yaml")


def subset(province: ProvinceSet, count: int | None) -> ProvinceSet:
    """``count`` centres spread evenly through the file, so small runs keep the demand mix."""
    centres = province.centres
    if count is None or count >= len(centres):
        return province
    chosen = [centres[i * len(centres) // count] for i in range(count)]
    return ProvinceSet(province.source, province.province.model_copy(update={"centres": chosen}),
                       {c.id: province.scenarios[c.id] for c in chosen})
