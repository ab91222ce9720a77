"""Names a leader reads for what the planner named with an id: an option, a procedure, a desk,
a site, in each language of the pages. Ids stay the keys (options, `--option`, paths, tables);
a label only changes what a page, a figure or a terminal table shows."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from sim.scenario.strict import StrictModel
from sim.scenario.types import Name

LabelText = Annotated[Name, Field(min_length=1)]


class Label(StrictModel):
    """One name in each language of the pages."""

    vi: LabelText = Field(description="the name in Vietnamese")
    en: LabelText = Field(description="the name in English")

    def text(self, lang: str) -> str:
        """The name in a language (English for a language without one)."""
        return self.vi if lang == "vi" else self.en


def label_field(what: str) -> Any:
    """The optional `label` field of a procedure, desk or site."""
    return Field(default=None, description=f"the {what}'s name on pages, {{vi, en}}; "
                                           "default: a readable form of the id")


def replace_options(document: dict, options: dict) -> None:
    """Give a scenario document other options in place of its own: the names (`labels`) of
    the options it drops go with them, the baseline's stays."""
    document["options"] = options
    labels = document.get("labels")
    if isinstance(labels, dict):
        document["labels"] = {option: label for option, label in labels.items()
                              if option in options or option == "baseline"}
