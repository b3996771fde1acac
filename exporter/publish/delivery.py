"""What a delivery did, and the rule every delivery keeps: a run never moves its group backwards. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from .. import families as F

DATA_DATE = str(F.DATA_DATE)


@dataclass(frozen=True)
class Delivery:
    """What a push or textfile write did: `held` is set when it skipped because the group holds a later day."""

    where: str
    held: date | None = None

    @property
    def skipped(self) -> bool:
        return self.held is not None


def moves_back(held: date | None, day: date | None) -> bool:
    """Would writing `day` over a group that holds `held` move it backwards? (An unknown day never overwrites.)"""
    return held is not None and (day is None or held > day)


def data_day(values: Iterable[float]) -> date | None:
    days = [datetime.fromtimestamp(v, timezone.utc).date() for v in values]
    return max(days) if days else None
