"""Every computed value as Prometheus gauges, in a fresh registry per run. Builds, never sends (no I/O)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Gauge

from .. import families as F
from ..checks import CATALOGUE, spec_of
from ..config import Config
from ..families import Family
from ..judge.model import CheckName, Evaluation, Outcome
from ..numbers import midnight

if TYPE_CHECKING:  # the judge (NumPy) is imported when a command judges
    from ..judge.since import Since


@dataclass(frozen=True)
class RunInfo:
    """When the run started and ended."""

    started: float
    finished: float


def build_registry(config: Config, run: RunInfo, evaluation: Evaluation | None,
                   since: Since | None = None) -> CollectorRegistry:
    """A fresh registry holding this run's gauges; `evaluation` None means the run could not evaluate; `since`:
    each failing check's run (judge/since.py)."""
    registry = CollectorRegistry()
    gauges: dict[str, Gauge] = {}
    segmented = config.segments is not None

    def put(family: Family, value: float | None, **labels: str) -> None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return  # an undefined value gets no series, never a fake 0
        if family.name not in gauges:  # created on first use: an unlabelled Gauge would export a 0 at once
            names = (*family.labels, "segment") if segmented and family.per_segment else family.labels
            gauges[family.name] = Gauge(family.name, family.help, names, registry=registry)
        gauge = gauges[family.name]
        (gauge.labels(**labels) if labels else gauge).set(value)

    put(F.UP, 0 if evaluation is None else 1)
    put(F.LAST_RUN, run.finished)
    put(F.RUN_DURATION, run.finished - run.started)
    if evaluation is None:  # only the run gauges: put over the group, they leave the last verdict in place
        return registry
    put(F.DATA_DATE, midnight(evaluation.target_date))
    for spec in CATALOGUE:  # the thresholds of the checks the config has, and only those
        if spec.enabled(config):
            for family, value, labels in spec.thresholds(config, evaluation.target_date):
                put(family, value, **labels)
    put(F.KNOWN_EVENT, 1 if evaluation.known_event else 0)
    put(F.LAST_SUCCESS, run.finished)
    put(F.STATUS, int(evaluation.severity))
    put(F.DAILY_ROWS, evaluation.daily_rows)
    _checks(put, evaluation, segmented, since or {})
    for metric, days in restatements(evaluation).items():  # the total's: the ledger records the total
        put(F.RESTATEMENTS, days, metric=metric)
    return registry


def _checks(put, evaluation: Evaluation, segmented: bool, since: Since) -> None:
    """Each check's status and numbers (its spec's gauges), labelled with its metric (and segment: empty for the
    total)."""
    for c in evaluation.checks:
        of = {"metric": c.metric, **({"segment": c.segment.label if c.segment else ""} if segmented else {})}
        put(F.CHECK_STATUS, int(c.severity), check=c.name, **of)
        put(F.CHECK_EVALUATED, 0 if c.outcome is Outcome.NOT_EVALUATED else 1, check=c.name, **of)
        for family, value, labels in spec_of(c.name).gauges(c):
            put(family, value, **labels, **of)
        if c.severity and (c.name, c.metric, c.segment) in since:
            first, days = since[(c.name, c.metric, c.segment)]
            put(F.INCIDENT_START, midnight(first), check=c.name, **of)
            put(F.INCIDENT_DAY, days, check=c.name, **of)


def restatements(evaluation: Evaluation) -> dict[str, int]:
    """Per volume metric, how many days `restated` reported (0: none); a metric it could not evaluate is absent."""
    checks = [c for c in evaluation.checks if c.name is CheckName.RESTATED and c.outcome is not Outcome.NOT_EVALUATED]
    return {m: sum(c.outcome is Outcome.WARNED for c in checks if c.metric == m) for m in dict.fromkeys(
        c.metric for c in checks)}
