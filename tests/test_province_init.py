"""`sim province init`: administrative data from `vietnamadminunits` and the province file.

fixtures/province/province_counts.csv gives, per province, the new communes and the old communes
and old districts mapped into them, counted from the old-to-new map of `vietnamadminunits` 1.0.4
(docs/sources.md, Structure: communes per province); the tests check that the package still gives
those counts.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sim.cli import main
from sim.scenario.load import load_scenario
from sim.scenario.province.admin_units import (
    COLUMNS,
    communes,
    find_province,
    old_units,
    provinces,
    source,
)
from sim.scenario.province.init import (
    PER_OLD_COMMUNE,
    init_province,
    proxy_visitors,
    scaled_counters,
)

TESTS = Path(__file__).parent
COUNTS = TESTS / "fixtures" / "province" / "province_counts.csv"
DEMO = TESTS.parent / "scenarios" / "demo.yaml"
TWO_SITES = TESTS.parent / "scenarios" / "centres" / "urban_ward_two_sites.yaml"
VALID = TESTS / "broken" / "valid.yaml"
# Vietnam's mainland and islands, Trường Sa included
LAT, LON = (8.0, 23.5), (102.0, 117.9)
CENTRE_KEYS = ["id", "name", "kind", "latitude", "longitude", "area_km2", "merged_from", "set"]
HAC_THANH = "14797"  # Phường Hạc Thành, Thanh Hóa's provincial capital ward


def _counts() -> list[dict[str, str]]:
    with COUNTS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- administrative data -------------------------------------------------------------------

@pytest.mark.parametrize("row", _counts(), ids=lambda row: row["province_key"])
def test_counts_per_province_match_province_counts_csv(row: dict[str, str]) -> None:
    units, old = communes(row["province_key"]), old_units(row["province_key"])
    assert len(units) == int(row["new_communes"])
    assert len(old) == int(row["old_communes_mapped"])
    assert old["district_code"].nunique() == int(row["old_districts_mapped"])


def test_national_totals_match_the_published_structure() -> None:
    # docs/sources.md, Structure: provinces and commune-level units.
    names = provinces()
    kinds = [kind for name in names for kind in communes(name)["kind"]]
    assert len(names) == 34 and len(kinds) == 3321
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "commune": 2621, "ward": 687, "special_zone": 13}


def test_communes_have_the_promised_columns_and_plausible_values() -> None:
    units = communes("Thanh Hóa")
    assert list(units.columns) == COLUMNS
    assert units["code"].is_unique and units["code"].str.fullmatch(r"\d{5}").all()
    assert units["latitude"].between(*LAT).all() and units["longitude"].between(*LON).all()
    assert (units["area_km2"].dropna() > 0).all()
    assert units["population"].isna().all()  # the package has none
    assert (units["merged_from"].map(len) == units["old_communes"]).all()
    assert (units["old_districts"] >= 1).all()
    assert (units["old_districts"] <= units["old_communes"]).all()
    hac_thanh = units.set_index("code").loc[HAC_THANH]
    assert hac_thanh["name"] == "Phường Hạc Thành" and hac_thanh["kind"] == "ward"
    assert {"Phường Điện Biên", "Phường Lam Sơn"} <= set(hac_thanh["merged_from"])


def test_island_districts_without_communes_are_their_own_old_unit() -> None:
    special = communes("Hải Phòng").set_index("name").loc["Đặc khu Bạch Long Vĩ"]
    assert special["kind"] == "special_zone"
    assert special["merged_from"] == ["Huyện Bạch Long Vĩ"]


def test_source_names_package_version_and_licence() -> None:
    data = source()
    assert data.package == "vietnamadminunits" and data.version
    assert "MIT" in data.licence


@pytest.mark.parametrize("text", ["Thanh Hóa", "thanh hoa", "Thanh Hoa", "THANH HOÁ",
                                  "Tỉnh Thanh Hóa", "tinhthanhhoa", "38"])
def test_find_province_accepts_usual_spellings(text: str) -> None:
    assert find_province(text) == "Thanh Hóa"


def test_find_province_knows_cities_by_their_short_names() -> None:
    assert find_province("TP Hồ Chí Minh") == find_province("hcm") == "Hồ Chí Minh"
    assert find_province("ha noi") == "Hà Nội"


def test_unknown_province_suggests_close_matches() -> None:
    with pytest.raises(ValueError, match=r"unknown province 'Thanh Hoaa'; did you mean Thanh Hóa"):
        find_province("Thanh Hoaa")


def test_unknown_province_without_close_match_lists_all() -> None:
    with pytest.raises(ValueError, match=r"the 34 provinces are Hà Nội, .*Cà Mau") as err:
        find_province("Atlantis")
    assert "Thanh Hóa" in str(err.value)


def test_old_province_points_to_the_new_one() -> None:
    with pytest.raises(ValueError, match="until 1 July 2025 and is now part of Đà Nẵng"):
        find_province("Quảng Nam")


# --- the province file ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def thanh_hoa(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thanh Hóa without a demand CSV, written to a folder away from the template."""
    out = tmp_path_factory.mktemp("provinces") / "nested" / "thanh_hoa.yaml"
    return init_province("thanh hoa", DEMO, None, out)


def test_written_file_has_the_agreed_format(thanh_hoa: Path) -> None:
    document = _load(thanh_hoa)
    assert list(document) == ["name", "label", "province", "template", "centres"]
    assert document["province"] == "Thanh Hóa" and "Thanh Hóa" in document["name"]
    assert document["label"] == {"vi": "Thanh Hóa: các trung tâm cấp xã",
                                 "en": "Thanh Hóa: commune centres"}, "a name for each page"
    centres = document["centres"]
    assert len(centres) == 166
    ids = [centre["id"] for centre in centres]
    assert all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids)
    for centre in centres:
        assert list(centre) == CENTRE_KEYS
        assert centre["kind"] in {"commune", "ward", "special_zone"}
        assert LAT[0] <= centre["latitude"] <= LAT[1] and LON[0] <= centre["longitude"] <= LON[1]
        assert centre["area_km2"] is None or centre["area_km2"] > 0
        assert centre["merged_from"] and all(isinstance(n, str) for n in centre["merged_from"])
        assert list(centre["set"]) == ["arrivals.per_day"]


def test_template_path_is_relative_to_the_file(thanh_hoa: Path) -> None:
    template = _load(thanh_hoa)["template"]
    assert not Path(template).is_absolute()
    assert (thanh_hoa.parent / template).resolve() == DEMO.resolve()


def test_proxy_demand_is_old_communes_times_the_documented_rate(thanh_hoa: Path) -> None:
    units = communes("Thanh Hóa").set_index("code")
    for centre in _load(thanh_hoa)["centres"]:
        old = units.loc[centre["id"], "old_communes"]
        assert centre["set"]["arrivals.per_day"] == max(1, math.floor(old * PER_OLD_COMMUNE + 0.5))
    assert round(PER_OLD_COMMUNE, 2) == 8.26  # 64 x 0.40 / 3.1


def test_header_names_source_licence_date_and_proxy(thanh_hoa: Path) -> None:
    header = thanh_hoa.read_text(encoding="utf-8").split("\nname:")[0]
    assert all(line.startswith("#") for line in header.strip().splitlines())
    assert f"vietnamadminunits {source().version}" in header and "MIT" in header
    assert "Written by `sim province init` on 20" in header
    assert "166 centres from a proxy: old communes merged x 8.26" in header


def test_proxy_uses_population_when_known() -> None:
    assert proxy_visitors(3) == 25 and proxy_visitors(3, population=61_000) == 51
    assert proxy_visitors(0, population=10) == 1  # at least one visitor a day


def test_init_without_out_writes_into_the_working_folder(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Not into scenarios/, where the bundled scenarios (and their tests) live."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["province", "init", "Lai Châu", "--template",
                                       str(VALID.resolve())])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["lai_chau.yaml"]
    assert "đã ghi tệp tỉnh vào lai_chau.yaml" in result.output


def test_init_keeps_an_existing_province_file_unless_forced(tmp_path: Path) -> None:
    """A planner edits the file init wrote: running init again must not lose the edits."""
    out = tmp_path / "lai.yaml"
    args = ["province", "init", "Lai Châu", "--template", str(VALID.resolve()), "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    out.write_text(out.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 2 and "Traceback" not in again.output
    assert "lai.yaml: exists; allowed: a file that does not exist yet, or --force" in again.output
    assert out.read_text(encoding="utf-8").endswith("# edited\n")
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0
    assert not out.read_text(encoding="utf-8").endswith("# edited\n")


def test_init_never_writes_over_its_own_template(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(VALID.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["province", "init", "Lai Châu", "--template",
                                       str(template), "--out", str(template), "--force"])
    assert result.exit_code == 2 and "template.yaml: is the template" in result.output
    assert template.read_text(encoding="utf-8") == VALID.read_text(encoding="utf-8")


def test_init_without_the_admin_extra_exits_2_saying_how_to_install_it(tmp_path: Path) -> None:
    """The package is an optional extra: sim imports without it, and `sim province init`
    says in one message what to install (run in a fresh interpreter that cannot import it)."""
    blocked = ("import sys; sys.modules['vietnamadminunits'] = None; from sim.cli import main; "
               f"main(['province', 'init', 'Lai Châu', '--template', {str(VALID.resolve())!r}])")
    result = subprocess.run([sys.executable, "-c", blocked], cwd=tmp_path, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(TESTS.parent)},
                            check=False)
    assert result.returncode == 2, result.stderr
    assert "pip install -e '.[admin]' in the project folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not list(tmp_path.iterdir())


def test_written_file_loads_with_the_province_loader(tmp_path: Path) -> None:
    load = pytest.importorskip("sim.scenario.province.load")
    out = init_province("Lai Châu", VALID, None, tmp_path / "lai_chau.yaml")
    loaded = load.load_province(out)
    assert len(loaded.scenarios) == 38


def test_demand_csv_sets_visitors_and_scales_counters(tmp_path: Path) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text("code,visitors_per_day,staff,note\n"
                      f"{HAC_THANH},450,12,Hạc Thành\n14758,80,,\n14812,60.5,3,\n",
                      encoding="utf-8")
    out = init_province("Thanh Hóa", DEMO, demand, tmp_path / "th.yaml")
    centres = {c["id"]: c["set"] for c in _load(out)["centres"]}
    template = {name: desk.counters for name, desk in load_scenario(DEMO).baseline.desks.items()}
    assert centres[HAC_THANH] == {"arrivals.per_day": 450, **{
        f"desks.{desk}.counters": n for desk, n in scaled_counters(template, 12).items()}}
    assert sum(v for k, v in centres[HAC_THANH].items() if k.startswith("desks.")) == 12
    assert centres["14758"] == {"arrivals.per_day": 80}  # no staff: template counters
    assert centres["14812"]["arrivals.per_day"] == 60.5
    assert len(centres) == 166  # the others from the proxy
    header = out.read_text(encoding="utf-8")
    assert "3 centres from" in header and "163 centres from a proxy" in header


def test_codes_without_leading_zero_are_accepted(tmp_path: Path) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text("code,visitors_per_day\n6187,30\n", encoding="utf-8")  # Kỳ Lừa, 06187
    out = init_province("Lạng Sơn", VALID, demand, tmp_path / "ls.yaml")
    centres = {c["id"]: c for c in _load(out)["centres"]}
    assert centres["06187"]["set"] == {"arrivals.per_day": 30}
    assert centres["06187"]["area_km2"] is None  # the package gives 0 km²


def test_template_with_sites_keeps_its_counters(tmp_path: Path) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_text(f"code,visitors_per_day,staff\n{HAC_THANH},450,12\n", encoding="utf-8")
    out = init_province("Thanh Hóa", TWO_SITES, demand, tmp_path / "th.yaml")
    centres = {c["id"]: c["set"] for c in _load(out)["centres"]}
    assert centres[HAC_THANH]["arrivals.per_day"] == 450
    assert not [path for path in centres[HAC_THANH] if path.startswith(("desks", "sites"))]
    assert "it uses sites:, so the CSV's staff column is not applied" in out.read_text("utf-8")


def test_each_centre_inherits_a_backlog_in_proportion_to_its_visitors(tmp_path: Path) -> None:
    """The dossiers handed over from an old district grow with the commune, not the same
    number for every centre: each entry scaled by visitors per day against the template's."""
    load = pytest.importorskip("sim.scenario.province.load")
    out = init_province("Lai Châu", TWO_SITES, None, tmp_path / "lc.yaml")
    template = load_scenario(TWO_SITES).baseline
    province = load.load_province(out)
    sizes = set()
    for centre in province.centres:
        scenario = province.scenarios[centre.id].baseline
        factor = scenario.arrivals.per_day / template.arrivals.per_day
        assert [b.count for b in scenario.backlog] == [
            math.floor(b.count * factor + 0.5) for b in template.backlog], centre.id
        sizes.add(sum(b.count for b in scenario.backlog))
    assert len(sizes) > 1, "centres of different sizes inherit different backlogs"
    assert "Backlog (set backlog[i].count where it changes)" in out.read_text("utf-8")


def test_desk_schedules_are_scaled_within_the_new_counters(tmp_path: Path) -> None:
    load = pytest.importorskip("sim.scenario.province.load")
    template = tmp_path / "scheduled.yaml"
    text = VALID.read_text(encoding="utf-8").replace(
        "    counters: 2\n", '    counters: 4\n    schedule: {"07:30": 4, "13:30": 1}\n', 1
    ).replace("desks.general.counters: 3", "desks.general.counters: 5")
    template.write_text(text, encoding="utf-8")
    demand = tmp_path / "demand.csv"
    demand.write_text(f"code,visitors_per_day,staff\n{HAC_THANH},90,2\n", encoding="utf-8")
    out = init_province("Thanh Hóa", template, demand, tmp_path / "th.yaml")
    centres = {c["id"]: c["set"] for c in _load(out)["centres"]}
    assert centres[HAC_THANH] == {"arrivals.per_day": 90, "desks.general.counters": 2,
                                  "desks.general.schedule": {"07:30": 2, "13:30": 1}}
    load.load_province(out)


def test_template_with_per_hour_is_refused(tmp_path: Path) -> None:
    template = tmp_path / "per_hour.yaml"
    text = VALID.read_text(encoding="utf-8").replace(
        '  per_day: 100\n  profile: {"07:30": 1.0, "13:30": 0.5}', "  per_hour: 12")
    template.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"per_hour.*allowed: a template with arrivals\.per_day"):
        init_province("Thanh Hóa", template, None, tmp_path / "th.yaml")


@given(counters=st.lists(st.integers(1, 20), min_size=1, max_size=6),
       staff=st.integers(1, 60))
def test_scaled_counters_add_up_to_staff_and_keep_one_per_desk(counters: list[int],
                                                               staff: int) -> None:
    desks = {f"d{i}": n for i, n in enumerate(counters)}
    scaled = scaled_counters(desks, staff)
    assert list(scaled) == list(desks) and min(scaled.values()) >= 1
    assert sum(scaled.values()) == max(staff, len(desks))


# --- bad demand CSVs -----------------------------------------------------------------------

BAD_CSVS = {
    "missing column": ("code,visitors\n14797,10\n", r"line 1: no column 'visitors_per_day'"),
    "empty file": ("", r"line 1: no column 'code' \(header: empty\)"),
    "unknown code": ("code,visitors_per_day\n14797,10\n99999,5\n",
                     r"line 3, column 'code': '99999' is not a commune code of Thanh Hóa; "
                     r"allowed: one of its 166 codes"),
    "code of another province": ("code,visitors_per_day\n00004,10\n",
                                 r"line 2, column 'code': '00004' is not a commune code"),
    "duplicate code": ("code,visitors_per_day\n14797,10\n14797,12\n",
                       r"line 3, column 'code': 14797 is given twice \(first on line 2\)"),
    "text visitors": ("code,visitors_per_day\n14797,many\n",
                      r"line 2, column 'visitors_per_day': 'many'; allowed: a number"),
    "empty visitors": ("code,visitors_per_day\n14797,\n",
                       r"line 2, column 'visitors_per_day': ''; allowed: a number"),
    "zero visitors": ("code,visitors_per_day\n14797,0\n", r"column 'visitors_per_day': '0'"),
    "infinite visitors": ("code,visitors_per_day\n14797,inf\n", r"'visitors_per_day': 'inf'"),
    "fractional staff": ("code,visitors_per_day,staff\n14797,10,2.5\n",
                         r"line 2, column 'staff': '2.5'; allowed: a whole number"),
    "zero staff": ("code,visitors_per_day,staff\n14797,10,0\n", r"column 'staff': '0'"),
    "text staff": ("code,visitors_per_day,staff\n14797,10,six\n", r"column 'staff': 'six'"),
}


@pytest.mark.parametrize("case", list(BAD_CSVS))
def test_bad_demand_csv_names_file_line_column_and_what_is_allowed(case: str,
                                                                   tmp_path: Path) -> None:
    text, message = BAD_CSVS[case]
    demand = tmp_path / "demand.csv"
    demand.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as err:
        init_province("Thanh Hóa", VALID, demand, tmp_path / "out.yaml")
    assert str(err.value).startswith(f"{demand}: ") and "allowed: " in str(err.value)
    assert not (tmp_path / "out.yaml").exists()


def test_missing_demand_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(ValueError, match=r"nowhere\.csv: no such demand file; allowed: a CSV"):
        init_province("Thanh Hóa", VALID, missing, tmp_path / "out.yaml")


def test_folder_as_demand_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"cannot read it .*allowed: a readable CSV"):
        init_province("Thanh Hóa", VALID, tmp_path, tmp_path / "out.yaml")


def test_non_utf8_demand_file_is_named(tmp_path: Path) -> None:
    demand = tmp_path / "demand.csv"
    demand.write_bytes("code,visitors_per_day\n14797,10\nHạc Thành\n".encode("utf-16"))
    with pytest.raises(ValueError, match=r"demand\.csv: not UTF-8 text"):
        init_province("Thanh Hóa", VALID, demand, tmp_path / "out.yaml")


def test_init_warns_of_centres_the_template_s_counters_cannot_keep_up_with(
        tmp_path: Path) -> None:
    """A centre given far more visitors than its template's counters serve is counted in one
    warning after init, as `sim check` would flag it, before a run ranks it first."""
    pytest.importorskip("sim.scenario.province.load")
    from sim.analysis.offered_load import offered_load
    from sim.cli.province import busiest_desks, load_centres_or_fail

    demand = tmp_path / "demand.csv"
    demand.write_text(f"code,visitors_per_day\n{HAC_THANH},900\n", encoding="utf-8")
    out = tmp_path / "th.yaml"
    result = CliRunner().invoke(main, ["province", "init", "Thanh Hóa", "--template",
                                       str(VALID.resolve()), "--demand", str(demand),
                                       "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    loaded = load_centres_or_fail(out)
    table = busiest_desks(loaded)
    direct = [offered_load(loaded.scenarios[c.id].baseline)["day_load"].max()
              for c in loaded.centres]
    assert list(table["day_load"]) == direct, "one load per distinct scenario, the same loads"
    over = table[table["day_load"] >= 1]
    assert HAC_THANH in set(over["centre"]), "900 visitors a day on the template's 2 counters"
    verb = "has" if len(over) == 1 else "have"
    assert (f"warning: {len(over)} of {len(table)} centres {verb} an offered load of 1 or more"
            in result.output)
    assert result.output.count("warning:") == 1, "one line, however many centres"
