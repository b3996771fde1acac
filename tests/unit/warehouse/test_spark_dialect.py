"""The spark:// dialect without a server: Spark's literals for parameters, Spark's types in DDL, the session settings
handed to the driver, and Spark's own words for an error (the run against a real server is tests/integration)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.schema import CreateTable

from exporter.config import from_mapping
from exporter.warehouse import ledger_sql, queries, spark
from exporter.warehouse.connection import make_engine, parse_dsn
from exporter.warehouse.spark_dialect import SparkDialect

DIALECT = sa.create_engine("spark://spark.example/marts").dialect
"""The dialect as an engine makes it (its DBAPI's paramstyle); nothing is reached."""


@pytest.mark.parametrize("value, literal", [
    (date(2026, 11, 25), "DATE '2026-11-25'"),
    (datetime(2026, 11, 25, 0, 0), "TIMESTAMP '2026-11-25 00:00:00'"),
    (datetime(2026, 11, 25, 23, 59, 59, 250), "TIMESTAMP '2026-11-25 23:59:59.000250'"),
    (Decimal("12.30"), "12.30BD"),
    (Decimal("-1E+2"), "-100BD"),
    (0.5, "0.5D"),
    (1e-05, "1e-05D"),
    (float("nan"), "CAST('nan' AS DOUBLE)"),
    (True, "TRUE"),
    (7, 7),
    (None, "NULL"),
    ("it's a \\ back\nslash", "'it\\'s a \\\\ back\\nslash'"),
])
def test_a_parameter_is_a_spark_literal_of_its_type(value, literal):
    assert spark.ESCAPER.escape_item(value) == literal


def test_the_ledger_and_the_demo_tables_have_spark_types_and_no_index():
    dialect = DIALECT
    assert isinstance(dialect, SparkDialect)
    t = sa.Table("t", sa.MetaData(), sa.Column("d", sa.Date, nullable=False), sa.Column("r", sa.Numeric(14, 2)),
                 sa.Column("at", sa.DateTime), sa.Column("s", sa.String(8), primary_key=True))
    ddl = str(CreateTable(t).compile(dialect=dialect))
    assert "`d` DATE NOT NULL" in ddl and "`r` NUMERIC(14, 2)" in ddl and "`at` TIMESTAMP" in ddl
    assert "`s` STRING NOT NULL" in ddl and "PRIMARY KEY" not in ddl
    statements = ledger_sql.ddl(from_mapping({"results": {"table": "dmm_results"}}).results, dialect)
    assert len(statements) == 3 and not any("INDEX" in s for s in statements)
    assert statements[1].startswith("CREATE OR REPLACE VIEW `dmm_day_trust` AS")
    assert statements[2].startswith("CREATE OR REPLACE VIEW `dmm_segment_trust` AS")


def test_an_insert_keeps_its_column_list_and_many_rows_are_one_statement():
    t = sa.table("t", sa.column("a"), sa.column("b"))
    assert str(t.insert().compile(dialect=DIALECT)) == "INSERT INTO `t` (`a`, `b`) VALUES (%(a)s, %(b)s)"
    assert SparkDialect.use_insertmanyvalues and SparkDialect.use_insertmanyvalues_wo_returning
    assert SparkDialect.insertmanyvalues_page_size >= 10 ** 9


def test_the_days_are_bound_as_typed_literals_in_the_statement_spark_runs():
    c = from_mapping({})
    statement = queries.daily_rows(c, date(2026, 11, 25), date(2026, 11, 25)).compile(dialect=DIALECT)
    sent = statement.string % spark.ESCAPER.escape_args(statement.params)
    first = date(2026, 11, 25) - timedelta(days=c.lookback)
    assert sent.endswith(f"WHERE `daily_metrics`.`event_date` BETWEEN DATE '{first}' AND DATE '2026-11-25'")


def test_the_session_zone_and_the_statement_timeout_are_the_sessions_configuration():
    """Given when the session is opened (`set:hiveconf:`), so a pooled connection never keeps another run's SET."""
    engine = make_engine(parse_dsn("spark://monitor@spark.example:10001/marts?auth=LDAP"),
                         from_mapping({"database": {"connect_timeout_seconds": 5, "statement_timeout_seconds": 2.5}}),
                         "America/New_York")
    seen = {}

    @sa.event.listens_for(engine, "do_connect")
    def capture(dialect, record, cargs, cparams):
        seen.update(cparams)
        raise ConnectionAbortedError("no server is reached")

    with pytest.raises(Exception, match="no server"):
        engine.connect()
    assert seen == {"host": "spark.example", "port": 10001, "username": "monitor", "database": "marts",
                    "auth": "LDAP", "connect_timeout": 5, "read_timeout": 8,
                    "configuration": {"set:hiveconf:spark.sql.session.timeZone": "America/New_York",
                                      "set:hiveconf:spark.sql.thriftServer.queryTimeout": "3s"}}


class Status:
    errorMessage = ("Error running query: [TABLE_OR_VIEW_NOT_FOUND] org.apache.spark.sql.AnalysisException: "
                    "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.\nSearch path: …")


class Response:
    status = Status()


def test_an_error_is_sparks_first_line_without_java_class_names():
    assert spark.message(spark.OperationalError(Response())) == (
        "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.")
    assert spark.message(spark.OperationalError("Expected state FINISHED, but found TIMEDOUT")) == (
        "the statement timed out on the server (spark.sql.thriftServer.queryTimeout): "
        "Expected state FINISHED, but found TIMEDOUT")
    assert spark.message(OSError("Could not connect to any of [('127.0.0.1', 1)]")) == (
        "Could not connect to any of [('127.0.0.1', 1)]")
