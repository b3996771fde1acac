"""The process exit codes and the one function that maps a run to them. Pure."""

from __future__ import annotations

import enum

from ..judge.model import Evaluation, Severity


class ExitCode(enum.IntEnum):
    OK = 0  # every check OK or WARN (OK only, with --fail-on warn)
    CRITICAL = 1  # at least one CRITICAL check (or WARN, with --fail-on warn)
    NOT_EVALUATED = 2  # bad arguments or config, database unreachable, query failed
    PUSH_FAILED = 3  # verdict OK/WARN but the push (or the results ledger write) failed, without its --*-optional
    STALE = 4  # render --check: a committed rendered file differs from what the config renders
    INTERRUPTED = 130  # SIGINT (Ctrl-C): 128 + 2, as a shell reports a process the signal ended
    TERMINATED = 143  # SIGTERM (a scheduler's kill, systemd's stop): 128 + 15


class Interrupted(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt: (signal name, exit code)."""


WORST_FIRST = (ExitCode.CRITICAL, ExitCode.NOT_EVALUATED, ExitCode.PUSH_FAILED, ExitCode.OK)
"""Several configs in one run exit with the first of these that any of them came to."""


def exit_code_for(evaluation: Evaluation | None, push_failed: bool = False, fail_on: str = "critical") -> ExitCode:
    """Failing data wins over everything; a failed push never hides the data verdict."""
    if evaluation is None:
        return ExitCode.NOT_EVALUATED
    if evaluation.severity >= Severity.of(fail_on):  # --fail-on / fail_on: the least severity that exits 1
        return ExitCode.CRITICAL
    if push_failed:
        return ExitCode.PUSH_FAILED
    return ExitCode.OK


def worst(codes: list[ExitCode]) -> ExitCode:
    """The exit code of several configs judged in one run: data first, then could not evaluate, then the push."""
    return next(code for code in WORST_FIRST if code in codes)
