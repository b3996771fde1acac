"""The results ledger in a run (part of the CLI): where it is, and appending the verdicts to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import MonitorError
from ..judge.model import Evaluation
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


def record(run: Run, ledger: Ledger | None, config: Config, kind: str, evaluations: list[Evaluation],
           optional: bool, unread: str | None = None) -> bool:
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
