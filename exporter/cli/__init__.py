"""The command line: the only package that prints and exits; one module per command."""

from __future__ import annotations

import logging
import signal
import threading

from . import accept, backtest, check, demo, render, results, validate
from .arguments import build_parser
from .context import Run
from .exitcodes import ExitCode, Interrupted

COMMANDS = {"check": check.command, "demo": demo.command, "backtest": backtest.command, "render": render.command,
            "accept": accept.command, "results": results.command, "validate": validate.command}


def main(argv: list[str] | None = None) -> int:
    main_thread = threading.current_thread() is threading.main_thread()  # signals reach the main thread only
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        args = build_parser().parse_args(argv)
        _quiet_driver_logs(getattr(args, "debug", False))
        run = Run(args, demo=args.command == "demo")
        try:
            return COMMANDS[args.command](run)
        except Exception as exc:  # every failure is one line and exit 2 (and JSON with --format json)
            run.fail(exc)
            return ExitCode.NOT_EVALUATED
    except KeyboardInterrupt as exc:  # SIGINT, or SIGTERM by way of _terminated
        if main_thread:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second signal must not break the one line
        return _interrupted(exc)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, signal.default_int_handler)


def _quiet_driver_logs(debug: bool) -> None:
    """psycopg logs what it ignores (a failed rollback of a dead connection) at WARNING, and without a handler
    Python prints it on stderr: a second line beside the run's one. Kept with --debug."""
    log = logging.getLogger("psycopg")
    quiet = [h for h in log.handlers if isinstance(h, logging.NullHandler)]
    if debug:
        for handler in quiet:
            log.removeHandler(handler)
    elif not quiet:
        log.addHandler(logging.NullHandler())


def _terminated(signum: int, _frame) -> None:
    raise Interrupted(signal.Signals(signum).name, ExitCode.TERMINATED)


def _interrupted(exc: KeyboardInterrupt) -> int:
    import sys

    from .arguments import PROG

    name, code = (exc.args if isinstance(exc, Interrupted) else ("SIGINT", ExitCode.INTERRUPTED))
    print(f"{PROG}: interrupted: {name} received, the run stopped; the push group and the textfile hold what the "
          "last complete write left (each is one request, or one rename)", file=sys.stderr)
    return code
