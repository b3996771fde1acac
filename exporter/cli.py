"""The command line: the only module that prints and exits."""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from .arguments import PROG, build_parser
from .errors import ConfigError, MonitorError
from .exitcodes import ExitCode, exit_code_for


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    secrets: list[str] = []
    try:
        if args.command == "demo":
            return _demo(args, secrets)
        if args.command == "render":
            return _render(args)
        if args.command == "backtest":
            return _backtest(args, secrets)
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


def _target_date(args, day: date | None = None, option: str = "--date") -> date:
    """`day` (default: --date), never after today in --timezone; none given: yesterday there."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        today = datetime.now(ZoneInfo(args.timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {args.timezone!r}") from None
    day = day or args.date
    if day is None:
        return today - timedelta(days=1)
    if day > today:
        raise ConfigError(f"{option} {day} is in the future (today is {today} in {args.timezone})")
    return day


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


def _warehouse(args, secrets: list[str], dsn: str | None = None):
    """The warehouse URL from `dsn`, --dsn or $DMM_DSN; its password joins the secrets no output may show."""
    from . import db

    dsn = dsn or args.dsn or os.environ.get("DMM_DSN")
    if not dsn:
        raise ConfigError("no database: pass --dsn or set DMM_DSN")
    url = db.parse_dsn(dsn)
    secrets.append(str(url.password or ""))
    return url


def _evaluate(args, config, day: date, dsn: str | None, secrets: list[str]):
    from . import db
    from .checks import evaluate

    return evaluate(db.measure(_warehouse(args, secrets, dsn), config, day, args.timezone), config)


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

    _stdout(report.to_json(evaluation) if args.format == "json" else report.text(evaluation))


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

    url = _warehouse(args, secrets, dsn)
    warehouse = demo.build(args.scenario, last_day=_target_date(args), profile=args.profile)
    db.write_warehouse(url, list(warehouse.daily), list(warehouse.orders))
    print(f"demo warehouse {db.redact(url)}{note}: scenario {args.scenario}, {len(warehouse.daily)} days, "
          f"{len(warehouse.orders)} orders; checking {warehouse.last_day}", file=sys.stderr)
    args.date, args.dsn = warehouse.last_day, None
    return _check(args, secrets, dsn=dsn, demo=True)


def _backtest(args, secrets: list[str]) -> int:
    """Read the range once, judge every day, write the report (and the OpenMetrics history)."""
    from . import db, history
    from .config import load

    last = _target_date(args, args.last, "--to")
    if args.first > last:
        raise ConfigError(f"--from {args.first} is after --to {last}")
    if (last - args.first).days + 1 > history.MAX_DAYS:
        raise ConfigError(f"the range has {(last - args.first).days + 1} days: at most {history.MAX_DAYS}")
    url = _warehouse(args, secrets)

    def judge(config):
        return history.backtest(db.measure_range(url, config, args.first, last, args.timezone), config)

    config = load(args.config)
    evaluations = judge(config)
    differences = history.compare(evaluations, judge(load(args.compare))) if args.compare else None
    if args.format == "json":
        out = history.to_json(args.first, last, evaluations, differences)
    elif args.format == "csv":
        out = history.to_csv(evaluations)
    else:
        out = history.text(evaluations, differences)
    if args.html:
        from .html_report import page

        _write(args.html, page(config, evaluations))
    if args.openmetrics:
        from .openmetrics import exposition

        _write(args.openmetrics, exposition(config, evaluations))
    if args.output:
        _write(args.output, out)
    else:
        _stdout(out)
    return ExitCode.OK


def _stdout(text: str) -> None:
    """The report on stdout; a reader that hung up (`| head`) never changes the verdict, the push or the exit code."""
    try:
        print(text, end="" if text.endswith("\n") else "\n", flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own advice for SIGPIPE


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None


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
