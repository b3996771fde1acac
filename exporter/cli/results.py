"""`results init`: create the results ledger and its day-trust view, or print their DDL (part of the CLI)."""

from __future__ import annotations

from ..errors import ConfigError
from .context import Run, stdout
from .exitcodes import ExitCode


def command(run: Run) -> int:
    from ..warehouse.connection import redact
    from ..warehouse.ledger import views_of
    from ..warehouse.ledger_sql import ddl, grants

    config = run.config(run.args.config)
    r = config.results
    if r.table is None:
        raise ConfigError(f"results.table is not set in {config.source}: there is no ledger to create")
    url = run.results(run.warehouse() if run.settings.dsn else None)
    if run.args.print_sql:
        dialect = url.get_dialect()()
        sources = (config.daily_table, *((config.fact.table,) if config.fact else ()),
                   *((config.calendar_table.table,) if config.calendar_table else ()))
        statements = ddl(r, dialect, *views_of(config))
        stdout("\n\n".join(f"{statement};" for statement in statements) + "\n\n"
               + "\n".join(grants(r, dialect, sources)))
        return ExitCode.OK
    from ..warehouse.ledger import create

    create(url, config)
    stdout(f"results ledger {r.ledger.display if r.ledger else r.table} and view {r.view.display} ready "
           f"in {redact(url)}")
    return ExitCode.OK
