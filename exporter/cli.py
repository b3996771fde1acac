"""The command line: the only module that prints and exits."""

from __future__ import annotations

import argparse
import os
import sys
import time
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
    _add_push_options(check)
    demo = sub.add_parser("demo", parents=[common], help="build the embedded demo warehouse and check its last day")
    demo.add_argument("--scenario", default="healthy", help="failure to inject (see --list-scenarios)")
    where = demo.add_mutually_exclusive_group()
    where.add_argument("--path", help="SQLite file to (re)create and keep (default: a new file per run, removed after)")
    where.add_argument("--dsn", help="write the demo into this database instead (default: $DMM_DEMO_DSN): it "
                                     "DROPS and recreates daily_metrics and fct_orders there")
    demo.add_argument("--profile", choices=("shop", "retail", "b2b"), default="shop",
                      help="weekly traffic pattern: shop (quieter weekends, the default), retail (busier "
                           "weekends), b2b (weekends at 35%%: try it with baseline.mode same_weekday)")
    demo.add_argument("--list-scenarios", action="store_true", help="list the scenarios and exit")
    _add_push_options(demo, demo=True)
    render = sub.add_parser("render", help="render alert rules, their tests, alertmanager.yml and the dashboard")
    render.add_argument("--config", action="append",
                        help="YAML config file, once per pipeline: render them all in one call, so that "
                             "deploy/alertmanager.yml routes every pipeline (default: built-in defaults)")
    render.add_argument("--out", default=".", help="directory to write into (default: the current directory)")
    render.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file under --out is stale")
    render.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return parser


def _add_push_options(parser: argparse.ArgumentParser, demo: bool = False) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--pushgateway", metavar="URL",
                       help="push every computed value to this Pushgateway" + (
                           " (the demo never reads $DMM_PUSHGATEWAY_URL)" if demo
                           else " (default: $DMM_PUSHGATEWAY_URL; none: no push)"))
    where.add_argument("--no-push", action="store_true", help="do not push, whatever $DMM_PUSHGATEWAY_URL says")
    parser.add_argument("--pipeline", type=_identifier,
                        help="the push group's pipeline label" + (" (default: demo)" if demo else
                                                                  " (default: $DMM_PIPELINE, else push.pipeline)"))
    parser.add_argument("--job", type=_identifier,
                        help="the push group's job label" + ("" if demo else " (default: $DMM_JOB, else push.job)"))
    parser.add_argument("--force-push", action="store_true",
                        help="replace the group even when it holds a later day (a rerun that means it)")
    parser.add_argument("--textfile", metavar="PATH",
                        help="also write the metrics to PATH for node_exporter's textfile collector")
    parser.add_argument("--push-optional", action="store_true",
                        help="a failed push is a warning (exit 0) instead of exit 3 when the verdict is OK/WARN")
    parser.add_argument("--push-timeout", type=_positive, default=10.0, metavar="SECONDS",
                        help="timeout of one push attempt (default: 10)")
    parser.add_argument("--push-attempts", type=int, choices=range(1, 11), default=3, metavar="N",
                        help="attempts on connection errors and 5xx, 30 s in all at most (default: 3)")


def _identifier(text: str) -> str:
    from .validate import IDENTIFIER

    if not IDENTIFIER.match(text):
        raise argparse.ArgumentTypeError(f"expected an identifier (letters, digits, _; at most 63), got {text!r}")
    return text


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    secrets: list[str] = []
    try:
        if args.command == "demo":
            return _demo(args, secrets)
        if args.command == "render":
            return _render(args)
        return _check(args, secrets)
    except Exception as exc:  # noqa: BLE001 - every failure is one line and exit 2
        _error(args, exc, secrets)
        return ExitCode.NOT_EVALUATED


def _error(args, exc: Exception, secrets: list[str], level: str = "error") -> None:
    """One line on stderr; the traceback only with --debug; never a secret."""
    if args.debug:
        import traceback

        print(_redact(traceback.format_exc(), secrets), end="", file=sys.stderr)
    message = str(exc) if isinstance(exc, MonitorError) else f"unexpected error: {type(exc).__name__}: {exc}"
    print(f"{PROG}: {level}: {_redact(message, secrets)}", file=sys.stderr)


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


def _check(args, secrets: list[str], dsn: str | None = None, demo: bool = False) -> int:
    """Evaluate, report, then deliver; a run that cannot evaluate still delivers up=0."""
    from .config import load

    started = time.time()
    target = _push_target(args, secrets, demo)
    config, day, evaluation = None, None, None
    try:
        day = _target_date(args)
        config = load(args.config)
        evaluation = _evaluate(args, config, day, dsn, secrets)
    except Exception as exc:  # noqa: BLE001 - reported, delivered as up=0, exit 2
        _error(args, exc, secrets)
        _deliver(args, target, config, started, day, None, secrets, demo)
        return ExitCode.NOT_EVALUATED
    _print_report(args, evaluation)
    delivered = _deliver(args, target, config, started, day, evaluation, secrets, demo)
    return exit_code_for(evaluation, push_failed=not delivered, push_optional=args.push_optional)


def _evaluate(args, config, day: date, dsn: str | None, secrets: list[str]):
    from . import db
    from .checks import evaluate

    dsn = dsn or args.dsn or os.environ.get("DMM_DSN")
    if not dsn:
        raise ConfigError("no database: pass --dsn or set DMM_DSN")
    url = db.parse_dsn(dsn)
    secrets.append(str(url.password or ""))
    return evaluate(db.measure(url, config, day, args.timezone), config)


def _push_target(args, secrets: list[str], demo: bool):
    """The Pushgateway to push to; None when there is none. The demo only pushes where --pushgateway says."""
    url = args.pushgateway or (None if demo or args.no_push else os.environ.get("DMM_PUSHGATEWAY_URL"))
    if not url:
        return None
    from .push import PushTarget

    target = PushTarget.from_environment(url, os.environ, timeout=args.push_timeout, attempts=args.push_attempts)
    secrets.extend(target.secrets)
    return target


def _group(args, config, demo: bool) -> tuple[str, str] | None:
    """(job, pipeline) of this run's push group; None when a config that names it could not be read."""
    from .config import Config

    env = {} if demo else os.environ
    pipeline = args.pipeline or env.get("DMM_PIPELINE") or ("demo" if demo else None)
    if config is None and args.config and not pipeline:
        return None
    base = config or Config()
    return args.job or env.get("DMM_JOB") or base.job, pipeline or base.pipeline


def _deliver(args, target, config, started: float, day, evaluation, secrets: list[str], demo: bool) -> bool:
    """Push and/or write the textfile; False (after one line on stderr) when a delivery failed."""
    if target is None and not args.textfile:
        return True
    from .config import Config
    from .metrics import RunInfo, build_registry
    from .push import push, write_textfile

    registry = build_registry(config or Config(), RunInfo(started, time.time()), evaluation)
    rules = {"day": day, "replace_group": evaluation is not None, "force": args.force_push}
    deliveries = []
    if args.textfile:
        deliveries.append(lambda: write_textfile(args.textfile, registry, **rules))
    group = _group(args, config, demo) if target else None
    if target and group is None:
        print(f"{PROG}: error: nothing pushed: the config could not be read, so this run cannot tell its push "
              "group; pass --pipeline (or set DMM_PIPELINE) to report the failure", file=sys.stderr)
    elif target:
        deliveries.append(lambda: push(target.with_group(*group), registry, **rules))
    delivered = True
    for deliver in deliveries:
        try:
            done = deliver()
        except MonitorError as exc:
            delivered = False
            level = "warning" if args.push_optional and evaluation is not None else "error"
            _error(args, exc, secrets, level)
            continue
        if done.skipped:
            later = f", a later day than {day}" if day else ""
            print(f"{PROG}: note: push skipped: {done.where} holds {done.held}{later}; "
                  "the live verdict stays (--force-push replaces it)", file=sys.stderr)
    return delivered


def _print_report(args, evaluation) -> None:
    from . import report

    print(report.to_json(evaluation) if args.format == "json" else report.text(evaluation))


def _demo(args, secrets: list[str]) -> int:
    from . import demo

    if args.list_scenarios:
        for name, description in demo.SCENARIOS.items():
            print(f"{name:24} {description}")
        return ExitCode.OK
    if args.scenario not in demo.SCENARIOS:
        raise ConfigError(f"unknown scenario {args.scenario!r}: see --list-scenarios")
    dsn = args.dsn or os.environ.get("DMM_DEMO_DSN")
    if dsn or args.path:
        return _demo_in(args, secrets, dsn or f"sqlite:///{Path(args.path).resolve()}", "")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dmm-demo-") as tmp:  # each run its own file: runs never collide
        return _demo_in(args, secrets, f"sqlite:///{Path(tmp) / 'demo.sqlite'}", " (removed after the run; "
                                                                                  "--path keeps it)")


def _demo_in(args, secrets: list[str], dsn: str, note: str) -> int:
    from . import db, demo

    url = db.parse_dsn(dsn)
    secrets.append(str(url.password or ""))
    warehouse = demo.build(args.scenario, last_day=_target_date(args), profile=args.profile)
    db.write_warehouse(url, list(warehouse.daily), list(warehouse.orders))
    print(f"demo warehouse {db.redact(url)}{note}: scenario {args.scenario}, {len(warehouse.daily)} days, "
          f"{len(warehouse.orders)} orders; checking {warehouse.last_day}", file=sys.stderr)
    args.date, args.dsn = warehouse.last_day, None
    return _check(args, secrets, dsn=dsn, demo=True)


def _render(args) -> int:
    from . import render
    from .config import load

    files = render.render_all(*(load(path) for path in args.config or [None]))
    out = Path(args.out)
    if args.check:
        stale = render.stale(files, out)
        for path in stale:
            print(f"stale: {out / path} (run: {PROG} render)", file=sys.stderr)
        return ExitCode.CRITICAL if stale else ExitCode.OK
    for path in render.write(files, out):
        print(f"wrote {path}")
    return ExitCode.OK
