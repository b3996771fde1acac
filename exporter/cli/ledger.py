"""The results ledger in a run (part of the CLI): read what it judged, add `restated`, append the verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import MonitorError
from ..judge.model import Evaluation, Measurements
from .context import Run

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


@dataclass(frozen=True)
class Ledger:
    """Where this run's verdicts go: the ledger's database (a URL) and the pipeline its rows carry."""

    url: URL
    pipeline: str


def ledger_for(run: Run, config: Config, warehouse: URL, pipeline: str) -> Ledger | None:
    """None when the config names no ledger table."""
    return Ledger(run.results(warehouse), pipeline) if config.results.table else None


def restated(ledger: Ledger | None, config: Config, m: Measurements,
             evaluation: Evaluation) -> tuple[Evaluation, MonitorError | None]:
    """The evaluation with `restated` per volume metric, from one read of the ledger; a failed read: not evaluated,
    and the read's error (said by `record` only when the write works, else the write's error says it)."""
    if ledger is None:
        return evaluation, None
    from ..judge.restatement import with_restatements
    from ..warehouse.ledger import judged

    try:
        found = judged(ledger.url, config, ledger.pipeline, m.target_date) if config.restatement.days else ()
    except MonitorError as exc:
        return with_restatements(evaluation, m, None, config), exc
    return with_restatements(evaluation, m, found, config), None


def record(run: Run, ledger: Ledger | None, config: Config, kind: str, evaluations: list[Evaluation],
           optional: bool, unread: MonitorError | None = None) -> bool:
    """Append the verdicts in one transaction; False (after one line on stderr) when the write failed."""
    if ledger is None:
        return True
    from ..warehouse.ledger import append, new_run

    try:
        append(ledger.url, config, new_run(kind, ledger.pipeline), evaluations)
    except MonitorError as exc:
        run.error(exc, "warning" if optional else "error")
        return False
    if unread:
        run.say("warning", f"{unread}; `restated` was not evaluated")
    return True
