"""`validate`: check the configs and, with a DSN, every table and mapped column they name, reading no rows (CLI)."""

from __future__ import annotations

import json
from datetime import date

from ..errors import ConfigError, ConfigProblems
from .context import Run, stdout
from .exitcodes import ExitCode


def command(run: Run) -> int:
    """Every problem at once, each naming the config key to fix; exit 0 when there is none, else 2."""
    from ..warehouse.connection import redact
    from ..warehouse.inspection import problems
    from ..warehouse.ledger_inspection import ledger_problems

    paths = run.args.config or [None]
    url = run.warehouse() if run.settings.dsn else None
    found: dict[str | None, list[str]] = {}
    pipelines: dict[tuple[str, str], str | None] = {}
    for path in paths:
        try:
            config = run.config(path)
        except ConfigProblems as exc:
            found[path] = [p.removeprefix(f"config {path}: ") for p in exc.problems]  # each a line
            continue
        except ConfigError as exc:
            found[path] = [str(exc).removeprefix(f"config {path}: ")]
            continue
        found[path] = problems(url, config, date.today()) if url else []
        if url and config.results.table:
            found[path] += ledger_problems(run.results(url), config)
        group = (config.job, config.pipeline)
        if group in pipelines:
            found[path].append(f"push.pipeline: {config.pipeline} is also the pipeline of {pipelines[group]}: "
                               "each config needs its own push group")
        pipelines.setdefault(group, path)
    count = sum(len(p) for p in found.values())
    where = redact(url) if url else None
    if run.args.format == "json":
        stdout(json.dumps({"status": "invalid" if count else "ok", "warehouse": where,
                           "configs": [{"config": path, "problems": p} for path, p in found.items()]}, indent=2))
    else:
        stdout(_text(found, count, where))
    return ExitCode.NOT_EVALUATED if count else ExitCode.OK


def _text(found: dict[str | None, list[str]], count: int, where: str | None) -> str:
    lines = [f"config {path or '(defaults)'}: {problem}" for path, p in found.items() for problem in p]
    bad = sum(1 for p in found.values() if p)
    inspected = f"every table and column found in {where}" if where else "the warehouse not inspected (no --dsn)"
    lines.append(f"INVALID: {count} problem{'s' * (count != 1)} in {bad} of {len(found)} config"
                 f"{'s' * (len(found) != 1)}{f' (warehouse {where})' if where else ''}" if count else
                 f"OK: {len(found)} config{'s' * (len(found) != 1)} valid, {inspected}")
    return "\n".join(lines)
