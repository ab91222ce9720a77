"""The base of every scenario model: unknown keys are errors and values never change."""

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Rejects unknown keys (a typo must not be silently ignored) and is immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
