"""The command line: the only module that prints and exits."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from datetime import date, datetime, timedelta
from pathlib import Path

from . import __version__
from .errors import ConfigError, MonitorError
from .exitcodes import ExitCode, exit_code_for

PROG = "daily-metrics-monitor"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2, as documented
        print(f"{PROG}: error: {message}", file=sys.stderr)
        raise SystemExit(ExitCode.NOT_EVALUATED)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Judge a day of daily_metrics before the dashboards refresh.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    common = _Parser(add_help=False)
    common.add_argument("--date", type=_iso_date, help="target day YYYY-MM-DD (default: yesterday in --timezone)")
    common.add_argument("--config", help="YAML config file (default: built-in defaults)")
    common.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    common.add_argument("--timezone", default="UTC", help="time zone that defines 'yesterday' (default: UTC)")
    common.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    check = sub.add_parser("check", parents=[common], help="check the target day in a warehouse")
    check.add_argument("--dsn", help="SQLAlchemy URL (default: $DMM_DSN); prefer the variable, "
                                     "a DSN on the command line shows its password in the process list")
    demo = sub.add_parser("demo", parents=[common], help="build the embedded demo warehouse and check its last day")
    demo.add_argument("--scenario", default="healthy", help="failure to inject (see --list-scenarios)")
    demo.add_argument("--path", help="SQLite file to (re)create (default: dmm-demo.sqlite in the temp dir)")
    demo.add_argument("--list-scenarios", action="store_true", help="list the scenarios and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    secrets: list[str] = []
    try:
        if args.command == "demo":
            return _demo(args, secrets)
        return _check(args, secrets)
    except MonitorError as exc:
        return _fail(args, str(exc), secrets)
    except Exception as exc:  # a bug or an unforeseen driver error: still one line, still exit 2
        return _fail(args, f"unexpected error: {type(exc).__name__}: {exc}", secrets)


def _fail(args, message: str, secrets: list[str]) -> int:
    if args.debug:
        traceback.print_exc()
    print(f"{PROG}: error: {_redact(message, secrets)}", file=sys.stderr)
    return ExitCode.NOT_EVALUATED


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _target_date(args) -> date:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        today = datetime.now(ZoneInfo(args.timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {args.timezone!r}") from None
    if args.date is None:
        return today - timedelta(days=1)
    if args.date > today:
        raise ConfigError(f"--date {args.date} is in the future (today is {today} in {args.timezone})")
    return args.date


def _check(args, secrets: list[str], dsn: str | None = None) -> int:
    from . import config as config_mod, db

    config = config_mod.load(args.config)
    day = _target_date(args)
    dsn = dsn or args.dsn or os.environ.get("DMM_DSN")
    if not dsn:
        raise ConfigError("no database: pass --dsn or set DMM_DSN")
    url = db.parse_dsn(dsn)
    secrets.append(str(url.password or ""))
    from .checks import evaluate

    evaluation = evaluate(db.measure(url, config, day), config)
    _print_report(args, evaluation)
    return exit_code_for(evaluation)


def _print_report(args, evaluation) -> None:
    from . import report

    print(report.to_json(evaluation) if args.format == "json" else report.text(evaluation))


def _demo(args, secrets: list[str]) -> int:
    from . import db, demo

    if args.list_scenarios:
        for name, description in demo.SCENARIOS.items():
            print(f"{name:24} {description}")
        return ExitCode.OK
    if args.scenario not in demo.SCENARIOS:
        raise ConfigError(f"unknown scenario {args.scenario!r}: see --list-scenarios")
    path = Path(args.path or Path(tempfile.gettempdir()) / "dmm-demo.sqlite").resolve()
    warehouse = demo.build(args.scenario, last_day=_target_date(args))
    url = db.parse_dsn(f"sqlite:///{path}")
    db.write_warehouse(url, list(warehouse.daily), list(warehouse.orders))
    print(f"demo warehouse {path}: scenario {args.scenario}, {len(warehouse.daily)} days, "
          f"{len(warehouse.orders)} orders; checking {warehouse.last_day}", file=sys.stderr)
    args.date = warehouse.last_day
    return _check(args, secrets, dsn=str(url))
