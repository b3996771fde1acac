"""`check`: judge the day, print the report, then push, write the textfile and append the ledger (part of the CLI)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import ConfigError, MonitorError
from ..judge.model import Evaluation
from .arguments import PROG
from .context import Run, reachable, stdout
from .exitcodes import ExitCode, exit_code_for, worst
from .ledger import ledger_for, record

if TYPE_CHECKING:  # the judge (NumPy) is imported when a command judges
    from ..judge.since import Since


@dataclass(frozen=True)
class Verdict:
    """What a run came to: its config and day where it got that far, and the evaluation where it got one."""

    started: float
    config: Config | None = None
    day: date | None = None
    evaluation: Evaluation | None = None
    since: Since | None = None


def command(run: Run, dsn: str | None = None, day: date | None = None, config: Config | None = None) -> int:
    """Judge each --config (the defaults without one) in turn; several exit with the worst (exitcodes.worst).
    `config`: without --config, judge it instead of the defaults (the segmented demo's)."""
    paths = run.args.config or [None]
    if len(paths) == 1:
        return _judge(run, paths[0], dsn, day, given=config)
    _check_several(run, paths)
    return worst([_judge(run, path, dsn, day, several=True) for path in paths])


def _judge(run: Run, path: str | None, dsn: str | None, day: date | None, several: bool = False,
           given: Config | None = None) -> ExitCode:
    """Evaluate, report, then deliver; a run that cannot evaluate still delivers up=0."""
    from ..judge.since import SINCE_DAYS, judged_since
    from ..warehouse.read import measure

    started = time.time()
    target = _push_target(run)
    config, target_day = None, None
    about = {"config": path} if several else {}
    try:
        target_day = run.target_date(day)
        config = given or run.config(path)
        url = run.warehouse(dsn)
        group = _group(run, config, path)
        ledger = ledger_for(run, config, url, group[1] if group else config.pipeline)
        reachable(config, target_day, "--date")
        measured = measure(url, config, target_day, run.args.timezone,
                           (ledger.url, ledger.pipeline) if ledger else None, before=SINCE_DAYS - 1)
        evaluation, started_on = judged_since(measured.history, config, measured.target_date)
    except Exception as exc:  # reported, delivered as up=0, exit 2
        run.fail(exc, f"config {path}: " if several and config else "", **about)
        _deliver(run, target, Verdict(started, config, target_day), path)
        return ExitCode.NOT_EVALUATED
    _print_report(run, evaluation, {**about, "pipeline": config.pipeline} if several else {})
    delivered = _deliver(run, target, Verdict(started, config, target_day, evaluation, started_on), path)
    results_optional = getattr(run.args, "results_optional", False)  # the demo has no such option
    unread = measured.ledger.error if measured.ledger else None
    recorded = record(run, ledger, config, "check", [evaluation], results_optional, unread)
    failed = (not delivered and not run.args.push_optional) or (not recorded and not results_optional)
    return exit_code_for(evaluation, push_failed=failed, fail_on=run.args.fail_on or config.fail_on)


def _check_several(run: Run, paths: list[str | None]) -> None:
    """Several configs: each pushes to the group its own config names, and no two to the same one."""
    if run.settings.pipeline and not run.demo:
        raise ConfigError("--pipeline / DMM_PIPELINE name one push group: with several --config each config's "
                          "push.pipeline names its own")
    if run.args.textfile:
        raise ConfigError("--textfile holds one push group: with several --config use the Pushgateway, "
                          "or one run per textfile")
    seen: dict[tuple[str, str], str | None] = {}
    for path in paths:
        try:
            config = run.config(path)
        except ConfigError:
            continue  # reported when its turn comes
        group = (run.settings.job or config.job, config.pipeline)
        if group in seen:
            raise ConfigError(f"--config {seen[group]} and {path} name the same push group (job {group[0]}, "
                              f"pipeline {group[1]}): give each its own push.pipeline")
        seen[group] = path


def _push_target(run: Run):
    """The Pushgateway to push to; None when there is none. The demo only pushes where --pushgateway says."""
    args, url = run.args, run.settings.pushgateway
    if not url:
        return None
    from ..publish.pushgateway import PushTarget

    target = PushTarget.from_environment(url, run.settings.environment, timeout=args.push_timeout,
                                         attempts=args.push_attempts)
    run.keep_secret(*target.secrets)
    return target


def _group(run: Run, config: Config | None, path: str | None) -> tuple[str, str] | None:
    """(job, pipeline) of this run's push group; None when a config that names it could not be read."""
    pipeline = run.settings.pipeline
    if config is None and path and not pipeline:
        return None
    base = config or Config()
    return run.settings.job or base.job, pipeline or base.pipeline


def _deliver(run: Run, target, verdict: Verdict, path: str | None) -> bool:
    """Push and/or write the textfile; False (after one line on stderr) when a delivery failed."""
    args = run.args
    if target is None and not args.textfile:
        return True
    from ..publish.gauges import RunInfo, build_registry
    from ..publish.pushgateway import push
    from ..publish.textfile import write_textfile

    registry = build_registry(verdict.config or Config(), RunInfo(verdict.started, time.time()), verdict.evaluation,
                              verdict.since)
    rules = {"day": verdict.day, "replace_group": verdict.evaluation is not None, "force": args.force_push}
    deliveries: list[Callable] = []
    if args.textfile:
        deliveries.append(lambda: write_textfile(args.textfile, registry, **rules))
    group = _group(run, verdict.config, path) if target else None
    if target and group is None:
        print(f"{PROG}: error: nothing pushed: the config could not be read, so this run cannot tell its push "
              "group; pass --pipeline (or set DMM_PIPELINE) to report the failure", file=sys.stderr)
    elif target and group:
        deliveries.append(lambda: push(target.with_group(*group), registry, **rules))
    delivered = True
    for deliver in deliveries:
        try:
            done = deliver()
        except MonitorError as exc:
            delivered = False
            run.error(exc, "warning" if args.push_optional and verdict.evaluation is not None else "error")
            continue
        if done.skipped:
            later = f", a later day than {verdict.day}" if verdict.day else ""
            print(f"{PROG}: note: push skipped: {done.where} holds {done.held}{later}; "
                  "the live verdict stays (--force-push replaces it)", file=sys.stderr)
    return delivered


def _print_report(run: Run, evaluation: Evaluation, about: dict) -> None:
    """The report; with several configs each is headed by its config (text) or is one JSON line naming it."""
    from ..reports import check as report

    if run.args.format == "json":
        stdout(json.dumps({**about, **report.document(evaluation)}, allow_nan=False) if about
               else report.to_json(evaluation))
    else:
        stdout((f"config {about['config']} (pipeline {about['pipeline']}):\n" if about else "")
               + report.text(evaluation))
