"""The whole country: a country file names province files; its run is one experiment over
every centre, with the same numbers for a centre as its own province's run, and a page that
ranks the provinces. `sim country init` writes the files from the administrative-unit data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from sim.cli import main
from sim.scenario.province.country import load_country
from sim.scenario.province.init import HIGHLAND_KM2

FIXTURES = Path(__file__).parent / "fixtures"
COUNTRY = FIXTURES / "country" / "country.yaml"
PROVINCE = FIXTURES / "province" / "province.yaml"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def country_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("country") / "out"
    result = invoke("country", "run", str(COUNTRY), "-n", "3", "-q", "--jobs", "2", "--out",
                    str(out))
    assert result.exit_code == 0, result.output
    return out


def test_a_centre_has_the_same_numbers_in_the_country_as_in_its_province(
        country_run: Path, tmp_path: Path) -> None:
    """Seeds depend on the centre's code, never on the other centres: the country's rows of
    the test province are its own run's, byte for byte once the other province is left out."""
    result = invoke("province", "run", str(PROVINCE), "-n", "3", "-q", "--out",
                    str(tmp_path / "p"))
    assert result.exit_code == 0, result.output
    province = pd.read_csv(tmp_path / "p" / "replications.csv", dtype={"centre": str})
    country = pd.read_csv(country_run / "replications.csv", dtype={"centre": str})
    ours = country[country["centre"].isin(province["centre"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, province)
    assert set(country["centre"]) == {"101", "102", "103", "104", "201", "202", "203"}


def test_provinces_are_ranked_by_the_share_of_centres_that_miss_a_target(
        country_run: Path) -> None:
    ranking = pd.read_csv(country_run / "province.csv", dtype={"centre": str})
    provinces = pd.read_csv(country_run / "provinces.csv", dtype={"worst_centre": str})
    home = {c.id: p.province.province for p in load_country(COUNTRY).provinces
            for c in p.centres}
    missing = (ranking[ranking["option"] == "baseline"].assign(
        province=lambda t: t["centre"].map(home), miss=lambda t: t["meets_target"] != "yes")
        .groupby(["province", "centre"])["miss"].any().groupby("province").agg(["sum", "size"]))
    for row in provinces.itertuples():
        assert (row.missing, row.centres) == tuple(missing.loc[row.province])
        assert row.missing_share == pytest.approx(row.missing / row.centres)
    assert list(provinces["missing_share"]) == sorted(provinces["missing_share"], reverse=True)
    page = (country_run / "report.html").read_text(encoding="utf-8")
    assert "Xếp hạng tỉnh, thành phố" in page and "Tỉnh hai" in page


def test_the_provinces_filter_runs_only_those(tmp_path: Path) -> None:
    result = invoke("country", "run", str(COUNTRY), "--provinces", "Tinh Hai", "-n", "2", "-q",
                    "--visits", "none", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    summary = pd.read_csv(tmp_path / "out" / "summary.csv", dtype={"centre": str})
    assert set(summary["centre"]) == {"201", "202", "203"}
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<h1>Nước thử: two provinces — Tỉnh hai</h1>" in page, "says which provinces ran"


def test_an_unknown_province_is_refused_naming_those_there_are(tmp_path: Path) -> None:
    result = invoke("country", "run", str(COUNTRY), "--provinces", "Atlantis", "--out",
                    str(tmp_path / "out"))
    assert result.exit_code == 2 and "atlantis" in result.output
    assert "province, tinh_hai" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_centre_code_in_two_provinces_is_refused_naming_both_files(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "country" / "tinh_hai.yaml", tmp_path / "a.yaml")
    shutil.copy(FIXTURES / "country" / "tinh_hai.yaml", tmp_path / "b.yaml")
    (tmp_path / "centre_template.yaml").write_bytes(
        (FIXTURES / "province" / "centre_template.yaml").read_bytes())
    for name in ("a.yaml", "b.yaml"):
        path = tmp_path / name
        path.write_text(path.read_text().replace("../province/", ""), encoding="utf-8")
    (tmp_path / "c.yaml").write_text("name: c\nprovinces: [a.yaml, b.yaml]\n")
    result = invoke("country", "run", str(tmp_path / "c.yaml"))
    assert result.exit_code == 2, result.output
    assert "a.yaml" in result.output and "b.yaml" in result.output and "201" in result.output


def test_allocation_over_a_country(tmp_path: Path) -> None:
    result = invoke("allocate", str(COUNTRY), "-k", "3", "-n", "2", "-q", "--out",
                    str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    centres = pd.read_csv(tmp_path / "a" / "allocation_centres.csv", dtype={"centre": str})
    assert len(centres) == 7 and centres["people"].sum() == 3


def test_country_init_gives_each_kind_of_unit_its_template(tmp_path: Path) -> None:
    pytest.importorskip("vietnamadminunits")
    from sim.scenario.province.admin_units import communes

    result = invoke("country", "init", "--out", str(tmp_path / "vn"), "--provinces", "Lai Châu",
                    "--provinces", "hue")
    assert result.exit_code == 0, result.output
    moved = tmp_path / "moved"
    (tmp_path / "vn").rename(moved)  # the folder stands alone: its paths are relative
    country = load_country(moved / "country.yaml")
    assert [p.province.province for p in country.provinces] == ["Lai Châu", "Huế"]
    for province in country.provinces:
        units = communes(province.province.province).set_index("code")
        assert [c.id for c in province.centres] == list(units.index)
        for centre in province.centres:
            unit = units.loc[centre.id]
            kind = ("highland" if unit["kind"] == "commune" and unit["area_km2"] >= HIGHLAND_KM2
                    else unit["kind"])
            assert (centre.template or "../templates/commune.yaml") == (
                f"../templates/{kind}.yaml")
            assert list(province.scenarios[centre.id].options) == ["baseline"]


def test_country_init_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "vn").mkdir()
    (tmp_path / "vn" / "notes.txt").write_text("mine")
    result = invoke("country", "init", "--out", str(tmp_path / "vn"), "--provinces", "hue")
    assert result.exit_code == 2 and "not an empty folder" in result.output
    assert [p.name for p in (tmp_path / "vn").iterdir()] == ["notes.txt"]
