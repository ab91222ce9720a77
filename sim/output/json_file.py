"""JSON files of a results folder: always valid JSON.

Python's json writes NaN and Infinity as bare words that no other JSON reader accepts; a
statistic that does not exist (the interval of one replication, a ratio of nothing) is written
as null instead.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def json_text(value: Any) -> str:
    """Indented UTF-8 JSON with every non-finite number as null.

    >>> json_text({"mean": float("nan"), "cis": [1.5, float("inf")]})
    '{\\n  "mean": null,\\n  "cis": [\\n    1.5,\\n    null\\n  ]\\n}'
    """
    return json.dumps(_finite(value), indent=2, ensure_ascii=False, allow_nan=False)


def write_json(value: Any, path: Path) -> None:
    path.write_text(json_text(value), encoding="utf-8")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
