"""Vietnam's commune-level units after 1 July 2025, read offline from `vietnamadminunits`.

Why this package: it is the one on PyPI (MIT licence) that ships, inside the wheel, all the new
3,321 units (2,621 communes, 687 wards, 13 special zones) with their codes, types, centroids and
areas, the 10,040 pre-reform units and the old-to-new map. It has no population, and nothing here
touches the network. Only `sim province init` needs it, so it is the optional extra ``admin``
(``pip install -e '.[admin]'`` in the project folder); without it the functions here raise
AdminDataMissing.

The two tables of units are read through the package's documented database API
(``vietnamadminunits.database.get_data``). The old-to-new map is not in that database and the
package documents no way to list it: its ``convert_address`` turns one old address into one new
unit, and sends an old commune that was split between new ones to a single default unit, so it
cannot give the communes merged into each new unit (a split commune counts in each), which the
published counts need. The map is therefore read from the tables that ``convert_address`` itself
uses, the module-level ``DICT_PROVINCE``, ``DICT_PROVINCE_WARD_NO_DIVIDED`` and
``DICT_PROVINCE_WARD_DIVIDED`` of ``vietnamadminunits.converter.converter_2025`` (public names,
loaded when the package is imported; the version is pinned in the extra).
"""

from __future__ import annotations

import difflib
import importlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from types import ModuleType
from typing import NamedTuple

import numpy as np
import pandas as pd

PACKAGE = "vietnamadminunits"
INSTALL = "pip install -e '.[admin]' in the project folder"
KINDS = {"Xã": "commune", "Phường": "ward", "Đặc khu": "special_zone"}
COLUMNS = ["code", "name", "kind", "area_km2", "latitude", "longitude", "population",
           "old_communes", "old_districts", "merged_from"]
_PREFIXES = ("thanhpho", "tinh", "tp")
_WARD_FIELDS = ["wardCode", "ward", "wardType", "wardAreaKm2", "wardLat", "wardLon", "wardKey",
                "provinceKey"]


class AdminDataMissing(ModuleNotFoundError):
    """The optional administrative-unit package (extra ``admin``) is not installed."""

    def __init__(self, missing: str | None):
        ours = missing is None or missing.split(".")[0] == PACKAGE
        what = "is not installed" if ours else (
            f"cannot be imported (its dependency {missing.split('.')[0]} is missing)")
        super().__init__(f"province data comes from the package {PACKAGE}, which {what}: "
                         f"{INSTALL}", name=missing)


@dataclass(frozen=True)
class Source:
    """Where the administrative data comes from, for the header of files written from it."""

    package: str
    version: str
    licence: str
    homepage: str


def source() -> Source:
    """The installed data package, its version and licence (from its own metadata)."""
    try:
        meta = metadata.metadata(PACKAGE)
    except metadata.PackageNotFoundError:
        raise AdminDataMissing(PACKAGE) from None
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
    merged = _merged_into(key)
    old = _legacy()
    records = []
    for ward in _wards(key):
        olds = [old[k] for k in merged[ward["wardKey"]]]
        records.append({
            "code": ward["wardCode"], "name": ward["ward"], "kind": KINDS[ward["wardType"]],
            "area_km2": ward["wardAreaKm2"] or np.nan, "latitude": ward["wardLat"],
            "longitude": ward["wardLon"],
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


class _Modules(NamedTuple):
    """The two modules of the package that are read."""

    database: ModuleType  # the units, through get_data
    converter: ModuleType  # the old-to-new tables


@cache
def _package() -> _Modules:
    """The package's database and converter modules, imported on first use: the import takes
    about a second (it loads the package's address parser too)."""
    try:
        return _Modules(importlib.import_module(f"{PACKAGE}.database"),
                        importlib.import_module(f"{PACKAGE}.converter.converter_2025"))
    except ModuleNotFoundError as err:
        raise AdminDataMissing(err.name) from None


def _rows(table: str, fields: list[str]) -> list[dict]:
    """The distinct rows of a table of the package (``admin_units``: the new units,
    ``admin_units_legacy``: the pre-reform ones), as dictionaries."""
    return _package().database.get_data(fields=fields, table=table)


@cache
def _province_table() -> pd.DataFrame:
    rows = _rows("admin_units", ["provinceCode", "provinceShort", "provinceKey",
                                 "provinceKeywords"])
    return pd.DataFrame(
        [{"code": r["provinceCode"], "name": r["provinceShort"], "key": r["provinceKey"],
          "keywords": tuple(json.loads(r["provinceKeywords"]))}
         for r in sorted(rows, key=lambda r: r["provinceCode"])])


@cache
def _old_provinces() -> dict[str, tuple[str, str]]:
    """Keyword of a pre-2025 province -> (its name, the new province it is now part of)."""
    new_name = dict(zip(_province_table()["key"], _province_table()["name"], strict=True))
    now_in = {old: new_name[new] for new, olds in _converter().DICT_PROVINCE.items()
              for old in olds}
    rows = _rows("admin_units_legacy", ["provinceKey", "provinceShort", "provinceKeywords"])
    return {word: (r["provinceShort"], now_in[r["provinceKey"]]) for r in rows
            for word in json.loads(r["provinceKeywords"])
            if now_in[r["provinceKey"]] != r["provinceShort"]}


def _province_key(name: str) -> str:
    table = _province_table()
    return str(table.loc[table["name"] == name, "key"].iloc[0])


def _converter() -> ModuleType:
    """The module whose tables map the old units to the new (see the module docstring)."""
    return _package().converter


def _merged_into(province_key: str) -> dict[str, list[str]]:
    """New ward key -> old ``province_district_ward`` keys, whole units first, then split ones."""
    data = _converter()
    merged = {ward: list(olds)
              for ward, olds in data.DICT_PROVINCE_WARD_NO_DIVIDED[province_key].items()}
    for old_key, parts in data.DICT_PROVINCE_WARD_DIVIDED.get(province_key, {}).items():
        for part in parts:
            merged.setdefault(part["newWardKey"], []).append(old_key)
    return merged


@cache
def _all_wards() -> tuple[dict, ...]:
    return tuple(sorted(_rows("admin_units", _WARD_FIELDS), key=lambda r: r["wardCode"]))


def _wards(province_key: str) -> list[dict]:
    """The province's new units, ordered by code."""
    return [r for r in _all_wards() if r["provinceKey"] == province_key]


def _new_codes(province_key: str) -> dict[str, str]:
    return {r["wardKey"]: r["wardCode"] for r in _wards(province_key)}


@cache
def _legacy() -> dict[str, _OldUnit]:
    """Old ``province_district_ward`` key -> the old unit (an island district has no ward)."""
    fields = ["provinceKey", "districtKey", "wardKey", "wardCode", "ward", "districtCode",
              "district", "province"]
    return {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": _OldUnit(
                r["wardCode"], r["ward"] or r["district"], r["districtCode"], r["district"],
                r["province"])
            for r in _rows("admin_units_legacy", fields)}
