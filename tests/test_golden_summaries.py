"""Results do not change by accident: the sha256 of `summary.csv` of two small bundled scenarios
(every option, 2 replications, `calendar.working_days=5`, as `tests/summary_digests.py` runs
them) is pinned here.

The same holds for the `summary.csv` of `sim province run` of the test province (2
replications), whose seeds also carry each centre's id.

A change meant to change results (a model fix, a new random stream drawn before an old one)
updates these digests deliberately, saying so in its commit: run
`PYTHONPATH=. python tests/summary_digests.py OUT_DIR` and copy the two lines (the province's
from `province_digest` in that file). A refactoring must leave them as they are; so should
anything else, except an upgrade of numpy, scipy or pandas that changes the last digits of a
quantile or of a printed float (then compare the summaries by eye before updating).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from summary_digests import BUNDLED, province_digest, summary_digest

GOLDEN = {
    "theory/erlang_a.yaml": "149cae749d4bcd1a4700e445010fe53346fe5e869da22ccc6f85360fd03f0a96",
    "centres/highland_commune.yaml":
        "8e618fe2d7aa3a934023bdd04695c0be004a6c0b10b4265862b8d57ea8a8de12",
}


# `sim province run` of the test province (4 centres, 2 options), 2 replications, default seed.
PROVINCE = Path(__file__).parent / "fixtures" / "province" / "province.yaml"
PROVINCE_GOLDEN = "5cc92182c1635fff26be0f5300073950f0c648607cab3bbfac83412b3784ccef"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_summary_csv_is_unchanged(name: str, tmp_path: Path) -> None:
    assert summary_digest(BUNDLED / name, tmp_path / "results") == GOLDEN[name], (
        f"{name}: summary.csv changed; if that is meant, update GOLDEN (see the docstring)")


def test_province_summary_csv_is_unchanged(tmp_path: Path) -> None:
    assert province_digest(PROVINCE, tmp_path / "results") == PROVINCE_GOLDEN, (
        "the province's summary.csv changed; if that is meant, update PROVINCE_GOLDEN (see "
        "the docstring)")
