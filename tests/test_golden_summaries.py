"""Results do not change by accident: the sha256 of `summary.csv` of every bundled scenario
(every option, 2 replications, `calendar.working_days=5`, as `tests/summary_digests.py` runs
them) is pinned here.

The same holds for the `summary.csv` of `sim province run` of the test province (2
replications), whose seeds also carry each centre's id.

A change meant to change results (a model fix, a new random stream drawn before an old one)
updates these digests deliberately, saying so in its commit: run
`PYTHONPATH=. python tests/summary_digests.py OUT_DIR` and copy the lines (the province's
from `province_digest` in that file). A refactoring must leave them as they are; so should
anything else, except an upgrade of numpy, scipy or pandas that changes the last digits of a
quantile or of a printed float (then compare the summaries by eye before updating).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from summary_digests import BUNDLED, province_digest, summary_digest

from sim.experiment import stream

GOLDEN = {  # every bundled scenario, as tests/summary_digests.py prints them
    "demo.yaml":
        "321c096f1fc3043012ccaa0f4d69abdaa9ed0c1d5055aa18e2c1363a1706c55e",
    "centres/urban_ward_two_sites.yaml":
        "0a95b03e56a3be8fe40d4ee5c9df3dc774b8e35e121559a1233833ecc0999777",
    "centres/mid_size_ward.yaml":
        "3ee4df1165f7ae915a2d45d64e33ade423c20d63dd00bc0110277e28ef9278df",
    "centres/rural_merged_commune.yaml":
        "75b71923c1f30cedf145c905cfb2effd794eb999c3eb7063b49863eb2d5952b3",
    "centres/highland_commune.yaml":
        "4b7e3601283cb0e47a0e293bd692b293a515b035080ba89ef706c016dc2a96b7",
    "theory/mmc.yaml":
        "e13ac5b5e93e5ecd48b2453baa6879a4e5fb7692ebeed41e25b285a45f983e3d",
    "theory/erlang_a.yaml":
        "149cae749d4bcd1a4700e445010fe53346fe5e869da22ccc6f85360fd03f0a96",
    "theory/md1.yaml":
        "075d89303fdcee4c28f9e398acd676929ef5f04fd545fa5d72507950e44fdc91",
    "theory/back_office_mmc.yaml":
        "19ab8d035a5fe94ec49a16d483bb26b9ee9bcbb7eedae56fe24ee13479979124",
    "theory/priority_mmc.yaml":
        "441c379da5bdac83672fd368ebd14d8600daa5ce7cc48efd0a27bf2d80cd41b5",
    "theory/pooled.yaml":
        "1009c97ca00c377779f810edef0f53116c211de66f0e6db718c8e82cee09838c",
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


def test_the_province_summary_made_a_batch_at_a_time_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A country's metric rows are summarised CHUNK_BATCHES batches at a time; one batch at a
    time gives the same summary.csv and replications.csv as all at once."""
    monkeypatch.setattr(stream, "CHUNK_BATCHES", 1)
    assert province_digest(PROVINCE, tmp_path / "one") == PROVINCE_GOLDEN
    monkeypatch.setattr(stream, "CHUNK_BATCHES", 10**6)
    province_digest(PROVINCE, tmp_path / "all")
    assert ((tmp_path / "one" / "replications.csv").read_bytes()
            == (tmp_path / "all" / "replications.csv").read_bytes())
