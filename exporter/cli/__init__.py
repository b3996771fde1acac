"""The command line: the only package that prints and exits; one module per command."""

from __future__ import annotations

from . import accept, backtest, check, demo, render
from .arguments import build_parser
from .context import Run
from .exitcodes import ExitCode

COMMANDS = {"check": check.command, "demo": demo.command, "backtest": backtest.command, "render": render.command,
            "accept": accept.command}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run = Run(args, demo=args.command == "demo")
    try:
        return COMMANDS[args.command](run)
    except Exception as exc:  # noqa: BLE001 - every failure is one line and exit 2
        run.error(exc)
        return ExitCode.NOT_EVALUATED
