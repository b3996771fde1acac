"""`demo`: build the embedded demo warehouse and check its last day (part of the CLI)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ..config import Config, from_mapping
from ..errors import ConfigError
from . import check
from .context import Run
from .exitcodes import ExitCode

SEGMENTS = {"segments": {"columns": ["country"], "fact_columns": {"country": "country"}}}
"""What `demo --segments` adds to the defaults when no --config is given."""


def command(run: Run) -> int:
    from ..warehouse import demo_data

    args = run.args
    if args.list_scenarios:
        for name, description in demo_data.SCENARIOS.items():
            print(f"{name:24} {description}" + (" (needs --segments)" if name in demo_data.SEGMENT_SCENARIOS else ""))
        return ExitCode.OK
    if len(args.config or []) > 1:
        raise ConfigError("demo: one --config at most (the demo pushes to one group)")
    if args.scenario not in demo_data.SCENARIOS:
        raise ConfigError(f"unknown scenario {args.scenario!r}: see --list-scenarios")
    if args.scenario in demo_data.SEGMENT_SCENARIOS and not args.segments:
        raise ConfigError(f"scenario {args.scenario} needs --segments (it strikes one country of the segmented demo)")
    config = _segmented(run)
    dsn = run.settings.dsn
    if dsn or args.path:
        return _demo_in(run, dsn or f"sqlite:///{Path(args.path).resolve()}", "", config)
    with tempfile.TemporaryDirectory(prefix="dmm-demo-") as tmp:  # each run its own file: runs never collide
        return _demo_in(run, f"sqlite:///{Path(tmp) / 'demo.sqlite'}",
                        " (removed after the run; --path keeps it)", config)


def _segmented(run: Run) -> Config | None:
    """The config `check` is given: with --segments and no --config the defaults plus SEGMENTS, else None (check
    reads --config; with --segments it must have a segments section, a file that cannot be read is left to check)."""
    args = run.args
    if not args.segments:
        return None
    if not args.config:
        return from_mapping(SEGMENTS, "the defaults with demo --segments")
    try:
        segments = run.config(args.config[0]).segments
    except ConfigError:
        return None
    if segments is None:
        raise ConfigError(f"demo --segments: the config {args.config[0]} has no segments section")
    return None


def _demo_in(run: Run, dsn: str, note: str, config: Config | None) -> int:
    from ..warehouse import demo_data
    from ..warehouse.connection import redact
    from ..warehouse.demo_writer import write_warehouse

    url = run.warehouse(dsn)
    args = run.args
    warehouse = demo_data.build(args.scenario, last_day=run.target_date(), profile=args.profile,
                                segments=args.segments)
    write_warehouse(url, list(warehouse.daily), list(warehouse.orders))
    _own_ledger(run, url, config)
    days = len({row["event_date"] for row in warehouse.daily})
    countries = f"{len(demo_data.COUNTRIES)} countries, " if args.segments else ""
    print(f"demo warehouse {redact(url)}{note}: scenario {args.scenario}, {days} days, {countries}"
          f"{len(warehouse.orders)} orders; checking {warehouse.last_day}", file=sys.stderr)
    return check.command(run, dsn=dsn, day=warehouse.last_day, config=config)


def _own_ledger(run: Run, url, config: Config | None) -> None:
    """The demo's own ledger and view, next to its tables (kept across runs with --path), when the config names one;
    a config that cannot be read is left to `check`, which reports it (and pushes up=0)."""
    try:
        config = config or run.config((run.args.config or [None])[0])  # the demo takes one --config at most
    except ConfigError:
        return
    if config.results.table:
        from ..warehouse.ledger import create

        create(url, config)
