"""Airflow (I/O: runs a subprocess): `check` as a gate task whose exit code becomes the task state.

For Airflow (the `airflow` extra): exit 0 (OK or WARN) succeeds, exit 1 (CRITICAL data, or a WARN with
`fail_on="warn"`) fails at once and is never retried, exit 2/3 (could not evaluate, push failed) raise an ordinary error
that the task's `retries` retry. Airflow is imported only here, and only when a run failed.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date

from ..cli.exitcodes import ExitCode

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GateRun:
    """What the gate ran and what came of it (the task's return value, for XCom)."""

    date: str
    exit_code: int
    summary: str


class MonitorNotEvaluated(RuntimeError):
    """Exit 2 or 3: worth a retry (the database or the gateway may be back)."""


def check_command(day: date, config: str | list[str] | None = None, push_optional: bool = False,
                  extra: tuple[str, ...] = (), fail_on: str | None = None) -> list[str]:
    """The `check` command line for `day` (one --config per config: one process judges them all); the warehouse
    URL travels in DMM_DSN, never on the command line."""
    command = [sys.executable, "-m", "exporter", "check", "--date", day.isoformat()]
    for path in [config] if isinstance(config, str) else config or []:
        command += ["--config", path]
    if push_optional:
        command.append("--push-optional")
    if fail_on:
        command += ["--fail-on", fail_on]
    return command + list(extra)


def run_gate(day: date, dsn: str, config: str | list[str] | None = None, push_optional: bool = False,
             extra: tuple[str, ...] = (), timeout: float = 3600, fail_on: str | None = None) -> dict:
    """Run the check for `day`; return its outcome on exit 0, raise the error that sets the task state otherwise."""
    command = check_command(day, config, push_optional, extra, fail_on)
    log.info("running: %s", " ".join(command[1:]))
    result = subprocess.run(command, env={**os.environ, "DMM_DSN": dsn}, capture_output=True, text=True,
                            timeout=timeout)
    for line in result.stdout.splitlines():
        log.info("%s", line)
    for line in result.stderr.splitlines():
        log.warning("%s", line)
    summary = (result.stdout.strip().splitlines() or result.stderr.strip().splitlines() or [""])[-1]
    if result.returncode == ExitCode.OK:
        return GateRun(day.isoformat(), result.returncode, summary).__dict__
    if result.returncode == ExitCode.CRITICAL:
        from airflow.sdk.exceptions import AirflowFailException

        verdict = "is WARN or CRITICAL under fail_on warn" if fail_on == "warn" else "is CRITICAL"
        raise AirflowFailException(f"daily_metrics for {day} {verdict} (exit 1, not retried): {summary}")
    raise MonitorNotEvaluated(f"daily-metrics-monitor exit {result.returncode} for {day} (retried): {summary}")
