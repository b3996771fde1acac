"""`backtest`: judge a past range from one read; its report, page, OpenMetrics and ledger rows (part of the CLI)."""

from __future__ import annotations

from ..config import Config
from ..errors import ConfigError
from ..judge.model import Evaluation
from .context import Run, reachable, stdout, write
from .exitcodes import ExitCode
from .ledger import ledger_for, record


def command(run: Run) -> int:
    from ..judge.backtest import MAX_DAYS, backtest, compare, judged_days, summary  # NumPy: only a command that judges
    from ..reports import history
    from ..warehouse.read import measure_range

    args = run.args
    last = run.target_date(args.last, "--to")
    if args.first > last:
        raise ConfigError(f"--from {args.first} is after --to {last}")
    if (last - args.first).days + 1 > MAX_DAYS:
        raise ConfigError(f"the range has {(last - args.first).days + 1} days: at most {MAX_DAYS}")
    url = run.warehouse()

    def judge(config: Config) -> list[Evaluation]:
        reachable(config, args.first, "--from")
        return backtest(measure_range(url, config, args.first, last, args.timezone), config)

    config = run.config(args.config)
    reachable(config, args.first, "--from")
    if args.results and not config.results.table:
        raise ConfigError(f"--results: results.table is not set in {config.source}")
    if args.format == "text" and not (args.compare or args.html or args.openmetrics or args.results):
        h = measure_range(url, config, args.first, last, args.timezone)
        _write(run, history.text(judged_days(h, config, everything=False)))  # it reads only what is not OK
        return ExitCode.OK  # the days summed up as they are judged: a long range is never held at once
    evaluations = judge(config)
    theirs = judge(run.config(args.compare)) if args.compare else None
    differences = compare(evaluations, theirs) if theirs is not None else None
    if args.format == "json":
        out = history.to_json(args.first, last, evaluations, differences,
                              summary(theirs) if theirs is not None else None)
    elif args.format == "csv":
        out = history.to_csv(evaluations)
    else:
        out = history.text(evaluations, differences, summary(theirs) if theirs is not None else None)
    if args.html:
        from ..reports.html import page

        write(args.html, page(config, evaluations))
    if args.openmetrics:
        from ..publish.openmetrics import exposition

        write(args.openmetrics, exposition(config, evaluations))
    _write(run, out)
    return ExitCode.OK if _recorded(run, config, url, evaluations) else ExitCode.PUSH_FAILED


def _write(run: Run, out: str) -> None:
    if run.args.output:
        write(run.args.output, out)
    else:
        stdout(out)


def _recorded(run: Run, config: Config, url, evaluations: list[Evaluation]) -> bool:
    """--results: the range's verdicts appended to the ledger as one backtest run (after the report is out)."""
    if not run.args.results:
        return True
    return record(run, ledger_for(run, config, url, config.pipeline), config, "backtest", evaluations, False)
