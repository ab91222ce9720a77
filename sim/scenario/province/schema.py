"""The province file: a centre template plus, for each commune centre, its own changes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.labels import Label
from sim.scenario.schema import OptionChanges
from sim.scenario.strict import StrictModel
from sim.scenario.types import Identifier, Name


class Centre(StrictModel):
    """One commune or ward centre: where it is, and how it differs from the template."""

    id: Annotated[Name, Field(min_length=1, max_length=40, description="the commune's code")]
    name: Name
    kind: Literal["commune", "ward", "special_zone"] = "commune"
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    area_km2: Annotated[float, Field(ge=0)] | None = None
    merged_from: list[str] = Field(default=[], description="old units merged into it")
    template: str | None = Field(default=None, description="another template for this centre")
    set: OptionChanges = Field(default={}, description="dotted-path changes to the template")


class Province(StrictModel):
    """A province's centres, each a template scenario with its own changes."""

    name: Name
    label: Label | None = Field(default=None, description="the file's name on pages, {vi, en}; "
                                                           "default: its name")
    province: str = ""
    template: str = Field(description="centre template scenario, relative to this file")
    centres: Annotated[list[Centre], Field(
        min_length=1, description="the commune centres, each with an id no other centre has")]
    options: dict[Identifier, OptionChanges] | None = Field(
        default=None, description="options for every centre (default: the template's)")

