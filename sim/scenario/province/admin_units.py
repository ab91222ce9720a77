"""Vietnam's commune-level units after 1 July 2025, read offline from `vietnamadminunits`.

Why this package: it is the one on PyPI (MIT licence) that ships, inside the wheel, all the new
3,321 units (2,621 communes, 687 wards, 13 special zones) with their codes, types, centroids and
areas (table ``admin_units`` of ``data/dataset.db``), the 10,040 pre-reform units (table
``admin_units_legacy``) and the old-to-new map (``data/converter_2025.json``). It has no
population. We read its data files directly instead of importing it: the import loads its address
parser and geocoder, which we do not need, and nothing here touches the network.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
import sqlite3
import unicodedata
from contextlib import closing
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

PACKAGE = "vietnamadminunits"
KINDS = {"Xã": "commune", "Phường": "ward", "Đặc khu": "special_zone"}
COLUMNS = ["code", "name", "kind", "area_km2", "latitude", "longitude", "population",
           "old_communes", "old_districts", "merged_from"]
_PREFIXES = ("thanhpho", "tinh", "tp")


@dataclass(frozen=True)
class Source:
    """Where the administrative data comes from, for the header of files written from it."""

    package: str
    version: str
    licence: str
    homepage: str


def source() -> Source:
    """The installed data package, its version and licence (from its own metadata)."""
    meta = metadata.metadata(PACKAGE)
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    licence = meta.get("License-Expression") or (
        classifiers[0].rsplit("::", 1)[1].strip() if classifiers else meta.get("License", "?"))
    return Source(PACKAGE, metadata.version(PACKAGE), licence, meta.get("Home-page", ""))


def provinces() -> list[str]:
    """The 34 province-level units, short names with diacritics, in official code order."""
    return list(_province_table()["name"])


def find_province(name: str) -> str:
    """The province's short name for any usual spelling ("thanh hoa", "Tỉnh Thanh Hóa", "38").

    >>> find_province("thanh hoa"), find_province("TP Hồ Chí Minh"), find_province("hn")
    ('Thanh Hóa', 'Hồ Chí Minh', 'Hà Nội')
    """
    table = _province_table()
    wanted = _plain(name)
    candidates = {wanted, *(wanted[len(p):] for p in _PREFIXES if wanted.startswith(p))}
    for row in table.itertuples():
        if candidates & set(row.keywords) or name.strip() == row.code:
            return str(row.name)
    merged = _old_provinces().get(wanted) or next(
        (_old_provinces()[wanted[len(p):]] for p in _PREFIXES
         if wanted.startswith(p) and wanted[len(p):] in _old_provinces()), None)
    if merged:
        raise ValueError(f"{name!r} ({merged[0]}) was a province until 1 July 2025 and is now "
                         f"part of {merged[1]}: give {merged[1]!r}")
    by_key = {key: str(row.name) for row in table.itertuples() for key in row.keywords}
    close = difflib.get_close_matches(wanted, list(by_key), n=4, cutoff=0.75)
    suggestions = list(dict.fromkeys(by_key[key] for key in close))
    hint = ("did you mean " + " or ".join(suggestions) + "?" if suggestions
            else "the 34 provinces are " + ", ".join(table["name"]))
    raise ValueError(f"unknown province {name!r}; {hint}")


def communes(province: str) -> pd.DataFrame:
    """The province's new commune-level units, one row each, ordered by code.

    ``old_communes`` counts the old communes, wards and towns (whole or part: an old commune split
    between two new ones counts in both) and ``old_districts`` the old districts they lay in;
    ``merged_from`` names them. For the island districts that had no communes (Bạch Long Vĩ, Cồn
    Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) the old unit is the district itself. ``area_km2`` is NaN where
    the package gives none or 0; ``population`` is always NaN (the package has none).
    """
    key = _province_key(find_province(province))
    rows = _query("SELECT wardCode, ward, wardType, wardAreaKm2, wardLat, wardLon, wardKey "
                  "FROM admin_units WHERE provinceKey = ? ORDER BY wardCode", key)
    merged = _merged_into(key)
    old = _legacy()
    records = []
    for code, name, kind, area, lat, lon, ward_key in rows:
        olds = [old[k] for k in merged[ward_key]]
        records.append({
            "code": code, "name": name, "kind": KINDS[kind],
            "area_km2": area if area else np.nan, "latitude": lat, "longitude": lon,
            "population": np.nan, "old_communes": len(olds),
            "old_districts": len({o.district_code for o in olds}),
            "merged_from": [o.name for o in olds],
        })
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def old_units(province: str) -> pd.DataFrame:
    """The pre-reform communes (or island districts) that went into the province, one row each.

    Columns ``code, name, district_code, district, old_province, new_codes`` (the new units it
    went into: more than one when it was split).
    """
    key = _province_key(find_province(province))
    new_codes = _new_codes(key)
    into: dict[str, list[str]] = {}
    for ward_key, olds in _merged_into(key).items():
        for old_key in olds:
            into.setdefault(old_key, []).append(new_codes[ward_key])
    old = _legacy()
    return pd.DataFrame.from_records(
        [{"code": old[k].code, "name": old[k].name, "district_code": old[k].district_code,
          "district": old[k].district, "old_province": old[k].province, "new_codes": codes}
         for k, codes in into.items()],
        columns=["code", "name", "district_code", "district", "old_province", "new_codes"])


@dataclass(frozen=True)
class _OldUnit:
    code: str | None
    name: str
    district_code: str
    district: str
    province: str


def _plain(text: str) -> str:
    """Lower-case ASCII letters and digits only: how the package keys names.

    >>> _plain("Tỉnh Thanh Hoá"), _plain("Đắk Lắk")
    ('tinhthanhhoa', 'daklak')
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def _data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)  # finds the folder without importing the package
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {PACKAGE} package is needed for province data: "
                                  f"pip install {PACKAGE}")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _query(sql: str, *params: str) -> list[tuple]:
    """Rows of the package's database, opened read-only (site-packages may not be writable)."""
    uri = (_data_dir() / "dataset.db").as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


@cache
def _province_table() -> pd.DataFrame:
    rows = _query("SELECT DISTINCT provinceCode, provinceShort, provinceKey, provinceKeywords "
                  "FROM admin_units ORDER BY provinceCode")
    return pd.DataFrame(
        [{"code": code, "name": name, "key": key, "keywords": tuple(json.loads(words))}
         for code, name, key, words in rows])


@cache
def _old_provinces() -> dict[str, tuple[str, str]]:
    """Keyword of a pre-2025 province -> (its name, the new province it is now part of)."""
    new_name = dict(zip(_province_table()["key"], _province_table()["name"], strict=True))
    now_in = {old: new_name[new] for new, olds in _converter()["DICT_PROVINCE"].items()
              for old in olds}
    rows = _query("SELECT DISTINCT provinceKey, provinceShort, provinceKeywords "
                  "FROM admin_units_legacy")
    return {word: (short, now_in[key]) for key, short, words in rows
            for word in json.loads(words) if now_in[key] != short}


def _province_key(name: str) -> str:
    table = _province_table()
    return str(table.loc[table["name"] == name, "key"].iloc[0])


@cache
def _converter() -> dict:
    return json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))


def _merged_into(province_key: str) -> dict[str, list[str]]:
    """New ward key -> old ``province_district_ward`` keys, whole units first, then split ones."""
    data = _converter()
    merged = {ward: list(olds)
              for ward, olds in data["DICT_PROVINCE_WARD_NO_DIVIDED"][province_key].items()}
    for old_key, parts in data["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).items():
        for part in parts:
            merged.setdefault(part["newWardKey"], []).append(old_key)
    return merged


def _new_codes(province_key: str) -> dict[str, str]:
    return dict(_query("SELECT wardKey, wardCode FROM admin_units WHERE provinceKey = ?",
                       province_key))


@cache
def _legacy() -> dict[str, _OldUnit]:
    """Old ``province_district_ward`` key -> the old unit (an island district has no ward)."""
    rows = _query("SELECT provinceKey, districtKey, wardKey, wardCode, ward, districtCode, "
                  "district, province FROM admin_units_legacy")
    return {f"{pk}_{dk}_{wk or ''}": _OldUnit(code, ward or district, dcode, district, province)
            for pk, dk, wk, code, ward, dcode, district, province in rows}
