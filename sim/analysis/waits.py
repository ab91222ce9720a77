"""Wait statistics of a set of visits: the one definition of each wait metric.

The run metrics apply them to the visits of a whole centre, the staffing check to each desk's
own visits, and the staffing criteria average the same per-visit quantities over a time block,
so that ``wait_p90`` or ``within_target_share`` means the same thing everywhere. A visit's wait
runs from joining the queue to the start of service, or to giving up or being sent home.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.model.record import ABANDONED, OUTCOMES

#: The percentile metrics and their percent (numpy's default, linear, method).
PERCENTILES: dict[str, int] = {"wait_p50": 50, "wait_p90": 90, "wait_p95": 95}
WAIT_METRICS: tuple[str, ...] = (
    "wait_mean", "wait_served_mean", *PERCENTILES, "wait_max", "waited_share",
    "within_target_share", "abandoned_share")


@dataclass(frozen=True)
class VisitWaits:
    """Visits, one entry each: how long each waited and how its visit ended."""

    wait: np.ndarray  # minutes
    reached: np.ndarray  # bool: reached a counter (an incomplete dossier was still served)
    abandoned: np.ndarray  # bool: gave up

    @classmethod
    def of_frame(cls, visits: pd.DataFrame) -> VisitWaits:
        """From rows of the visits table (columns wait, start, outcome)."""
        return cls(visits["wait"].to_numpy(dtype=float), visits["start"].notna().to_numpy(),
                   (visits["outcome"] == OUTCOMES[ABANDONED]).to_numpy())

    def __len__(self) -> int:
        return len(self.wait)


def waited(wait: np.ndarray) -> np.ndarray:
    """Visits that waited at all (waited_share)."""
    return wait > 0


def waited_longer(wait: np.ndarray, minutes: float) -> np.ndarray:
    """Visits that waited longer than `minutes` (a percentile is at most `minutes` exactly when
    few enough of these are)."""
    return wait > minutes


def served_within(visits: VisitWaits, minutes: float) -> np.ndarray:
    """Visits that reached a counter within `minutes` (within_target_share): someone who gave up
    after 10 minutes was not served in 15."""
    return visits.reached & (visits.wait <= minutes)


def share(flags: np.ndarray) -> float:
    """The share of visits flagged; NaN without visits."""
    return float(flags.mean()) if len(flags) else np.nan


def wait_statistics(visits: VisitWaits, within_minutes: float) -> dict[str, float]:
    """Every metric of `WAIT_METRICS` over the visits (NaN for all without visits)."""
    wait = visits.wait
    if len(wait) == 0:
        return dict.fromkeys(WAIT_METRICS, np.nan)
    reached = visits.reached
    percentiles = np.percentile(wait, list(PERCENTILES.values()))
    return {
        "wait_mean": float(wait.mean()),
        "wait_served_mean": float(wait[reached].mean()) if reached.any() else np.nan,
        **{name: float(value) for name, value in zip(PERCENTILES, percentiles, strict=True)},
        "wait_max": float(wait.max()),
        "waited_share": share(waited(wait)),
        "within_target_share": share(served_within(visits, within_minutes)),
        "abandoned_share": share(visits.abandoned),
    }
