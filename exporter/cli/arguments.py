"""The command line's grammar (part of the CLI): subcommands, options, and their one-line errors with exit 2."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from .. import __version__
from ..config import FAIL_ON
from .exitcodes import ExitCode

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
    add_config(common, "check: repeat it to judge several tables in one run, each pushed to its own group, "
                       "exiting with the worst (default: built-in defaults)", several=True)
    common.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    common.add_argument("--fail-on", choices=FAIL_ON, default=None,
                        help="exit 1 on CRITICAL (critical) or on any WARN too (warn) (default: the config's "
                             "fail_on, else critical)")
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
    demo.add_argument("--segments", action="store_true",
                      help="one daily_metrics row per day and country (5 countries, no total row), judged per "
                           "country (without --config: the defaults plus segments.columns [country])")
    demo.add_argument("--list-scenarios", action="store_true", help="list the scenarios and exit")
    _add_push_options(demo, demo=True)
    backtest = sub.add_parser("backtest", help="judge every day of a past range as check --date would, in one read")
    backtest.add_argument("--from", dest="first", type=_iso_date, required=True, metavar="YYYY-MM-DD",
                          help="first day of the range")
    backtest.add_argument("--to", dest="last", type=_iso_date, required=True, metavar="YYYY-MM-DD",
                          help="last day of the range (not after today)")
    add_config(backtest, "default: built-in defaults")
    backtest.add_argument("--format", choices=("text", "json", "csv"), default="text",
                          help="report format (default: text)")
    backtest.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    backtest.add_argument("--compare", metavar="OTHER_CONFIG",
                          help="also judge the range under this config and list the verdicts that differ")
    backtest.add_argument("--openmetrics", metavar="FILE", help="write every day's gauges, timestamped, for "
                                                                 "promtool tsdb create-blocks-from openmetrics")
    backtest.add_argument("--html", metavar="FILE", help="write a self-contained incident report: verdict "
                                                          "ribbon, incidents, summary, a chart per metric (the report "
                                                          "extra: matplotlib)")
    backtest.add_argument("--dsn", help="SQLAlchemy URL (default: $DMM_DSN)")
    backtest.add_argument("--timezone", default="UTC", help="time zone that defines the days (default: UTC)")
    backtest.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    _add_accept(sub)
    _add_ledger(sub, check, backtest)
    _add_validate_and_render(sub)
    return parser


def _add_accept(sub) -> None:
    accept = sub.add_parser("accept", help="accept a change of level: the calendar.shifts entry for the config")
    accept.add_argument("--date", type=_iso_date, required=True, metavar="YYYY-MM-DD",
                        help="the first day of the new level")
    accept.add_argument("--name", required=True, help="why the level changed (shown in reports)")
    accept.add_argument("--metric", action="append", help="a metric or rate it applies to, once per metric "
                                                          "(default: every volume metric and rate)")
    add_config(accept, "the entry is for")
    accept.add_argument("--write", action="store_true", help="add the entry to --config in place (default: print it)")
    accept.add_argument("--debug", action="store_true", help="show tracebacks on errors")


def add_config(parser: argparse.ArgumentParser, what: str, several: bool = False) -> None:
    """--config, declared once: one FILE, or (several) a list of them in the order given."""
    parser.add_argument("--config", action="append" if several else "store", metavar="FILE",
                        help=f"YAML config file; {what}")


def _add_ledger(sub, check: argparse.ArgumentParser, backtest: argparse.ArgumentParser) -> None:
    """The results ledger's options of check and backtest, and the `results init` command."""
    check.add_argument("--results-dsn", metavar="URL", help="where the results ledger is appended (default: "
                                                             "$DMM_RESULTS_DSN, else the warehouse DSN)")
    check.add_argument("--results-optional", action="store_true",
                       help="a failed ledger write is a warning (exit 0) instead of exit 3 when the verdict is OK/WARN")
    backtest.add_argument("--results", action="store_true",
                          help="append the range's verdicts to the results ledger, marked run_kind backtest")
    backtest.add_argument("--results-dsn", metavar="URL",
                          help="the ledger's database (default: $DMM_RESULTS_DSN, else the warehouse DSN)")
    results = sub.add_parser("results", help="the results ledger and its day-trust view")
    init = results.add_subparsers(dest="action", metavar="init", required=True, parser_class=_Parser).add_parser(
        "init", help="create the ledger table and the trust view (the job never creates tables)")
    add_config(init, "naming results.table")
    init.add_argument("--results-dsn", metavar="URL",
                      help="the ledger's database (default: $DMM_RESULTS_DSN, else the warehouse DSN)")
    init.add_argument("--dsn", metavar="URL", help="the warehouse DSN, as every command takes it (default: $DMM_DSN)")
    init.add_argument("--print-sql", action="store_true", help="print the DDL for review instead of running it")
    init.add_argument("--debug", action="store_true", help="show tracebacks on errors")


def _add_validate_and_render(sub) -> None:
    validate = sub.add_parser("validate", help="check configs, and with a DSN every table and mapped column, "
                                                "reading no rows")
    add_config(validate, "repeatable (default: built-in defaults)", several=True)
    validate.add_argument("--dsn", help="SQLAlchemy URL: also inspect the warehouse (default: $DMM_DSN; "
                                        "none: the configs only)")
    validate.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    validate.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    render = sub.add_parser("render", help="render alert rules, their tests, alertmanager.yml and the dashboard")
    add_config(render, "once per pipeline: render them all in one call, so that deploy/alertmanager.yml routes "
                       "every pipeline (default: built-in defaults)", several=True)
    render.add_argument("--out", default=".", help="directory to write into (default: the current directory)")
    render.add_argument("--check", action="store_true", help="write nothing; exit 4 when a file under --out is stale")
    render.add_argument("--kubernetes", action="store_true",
                        help="also write each pipeline's rules as a PrometheusRule and its dashboard as a ConfigMap "
                             "for the Grafana sidecar, under kubernetes/ (kube-prometheus-stack's labels)")
    render.add_argument("--debug", action="store_true", help="show tracebacks on errors")


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
    from ..config.reader import IDENTIFIER

    if not IDENTIFIER.match(text):
        raise argparse.ArgumentTypeError(f"expected an identifier (letters, digits, _; at most 63), got {text!r}")
    return text


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 300:  # NaN and inf too: a socket timeout must be finite
        raise argparse.ArgumentTypeError(f"expected seconds in (0, 300], got {text!r}")
    return value
