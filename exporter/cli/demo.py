"""`demo`: build the embedded demo warehouse and check its last day (part of the CLI)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ..config import load
from ..errors import ConfigError
from . import check
from .context import Run
from .exitcodes import ExitCode


def command(run: Run) -> int:
    from ..warehouse import demo_data

    args = run.args
    if args.list_scenarios:
        for name, description in demo_data.SCENARIOS.items():
            print(f"{name:24} {description}")
        return ExitCode.OK
    if len(args.config or []) > 1:
        raise ConfigError("demo: one --config at most (the demo pushes to one group)")
    if args.scenario not in demo_data.SCENARIOS:
        raise ConfigError(f"unknown scenario {args.scenario!r}: see --list-scenarios")
    dsn = args.dsn or os.environ.get("DMM_DEMO_DSN")
    if dsn or args.path:
        return _demo_in(run, dsn or f"sqlite:///{Path(args.path).resolve()}", "")
    with tempfile.TemporaryDirectory(prefix="dmm-demo-") as tmp:  # each run its own file: runs never collide
        return _demo_in(run, f"sqlite:///{Path(tmp) / 'demo.sqlite'}",
                        " (removed after the run; --path keeps it)")


def _demo_in(run: Run, dsn: str, note: str) -> int:
    from ..warehouse import demo_data
    from ..warehouse.connection import redact
    from ..warehouse.demo_writer import write_warehouse

    url = run.warehouse(dsn)
    warehouse = demo_data.build(run.args.scenario, last_day=run.target_date(), profile=run.args.profile)
    write_warehouse(url, list(warehouse.daily), list(warehouse.orders))
    _own_ledger(run, url)
    print(f"demo warehouse {redact(url)}{note}: scenario {run.args.scenario}, {len(warehouse.daily)} days, "
          f"{len(warehouse.orders)} orders; checking {warehouse.last_day}", file=sys.stderr)
    return check.command(run, dsn=dsn, day=warehouse.last_day)


def _own_ledger(run: Run, url) -> None:
    """The demo's own ledger and view, next to its tables (kept across runs with --path), when the config names one;
    a config that cannot be read is left to `check`, which reports it (and pushes up=0)."""
    try:
        config = load((run.args.config or [None])[0])  # the demo takes one --config at most
    except ConfigError:
        return
    if config.results.table:
        from ..warehouse.ledger import create

        create(url, config)
