"""Writing the demo warehouse (I/O): (re)create daily_metrics and fct_orders with portable types and load them;
a `country` in the daily rows (the segmented demo) is a column of both tables."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from ..errors import DatabaseError
from .connection import first_line, redact
from .ledger_sql import indexed


def write_warehouse(url: URL, daily: list[dict], orders: list[dict], daily_table: str = "daily_metrics",
                    fact_table: str = "fct_orders") -> None:
    """(Re)create both tables and load the rows: for the demo and the test fixtures."""
    import warnings

    md = sa.MetaData()
    daily_t = sa.Table(daily_table, md, *(_column_for(name) for name in daily[0]))
    segment = [_column_for("country")] if "country" in daily[0] else []
    fact_t = sa.Table(fact_table, md, sa.Column("order_id", sa.String(32), primary_key=True),
                      sa.Column("order_date", sa.Date, nullable=False), *segment,
                      sa.Column("revenue", sa.Numeric(18, 2)))
    indexed(sa.Index(f"ix_{fact_table}_order_date", fact_t.c.order_date))
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*Decimal objects natively.*")
            with engine.begin() as conn:
                md.drop_all(conn)
                md.create_all(conn)
                conn.execute(daily_t.insert(), daily)
                if orders:
                    conn.execute(fact_t.insert(), orders)
    except sa.exc.SQLAlchemyError as exc:
        raise DatabaseError(f"cannot write the demo warehouse to {redact(url)}: {first_line(exc, url)}") from None
    finally:
        engine.dispose()


def _column_for(name: str) -> sa.Column:
    if name == "event_date":
        return sa.Column(name, sa.Date, nullable=False)
    if name == "country":
        return sa.Column(name, sa.String(2), nullable=False)
    return sa.Column(name, sa.Numeric(18, 2) if "revenue" in name else sa.BigInteger)
