"""The base of every scenario model: unknown keys are errors and values never change."""

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Rejects unknown keys (a typo must not be silently ignored) and is immutable.

    Strict types: `counters: yes` is not one counter and `share: on` is not 1; infinities and
    NaN are not numbers a planner means.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, allow_inf_nan=False
    )
