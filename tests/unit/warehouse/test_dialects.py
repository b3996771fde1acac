"""Every statement the job sends, compiled by the cloud warehouses' own SQLAlchemy dialects (compile-only:
these services cannot be reached from the test machines), and the session settings each driver is given."""

import re
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from exporter.config import from_mapping
from exporter.warehouse import queries
from exporter.warehouse.connection import make_engine, parse_dsn
from exporter.warehouse.inspection import expected

DSNS = {
    "bigquery": "bigquery://my-project/marts",
    "snowflake": "snowflake://monitor@my-account/analytics/marts?warehouse=wh",
    "redshift": "redshift+psycopg2://monitor@cluster.example:5439/analytics",
    "trino": "trino://monitor@trino.example:8080/hive",
    "databricks": "databricks://token:dapi-Secret@adb.example?http_path=/sql/1.0/warehouses/abc",
}
QUOTE = {"bigquery": "`", "snowflake": "", "redshift": "", "trino": "", "databricks": ""}
DAY, FIRST = date(2026, 11, 25), date(2026, 11, 1)
BY_DATE = {"daily_metrics": {"schema": "marts", "table": "kpi_daily", "date_column": "event_date"},
           "fct_orders": {"schema": "marts", "table": "fct_orders"},
           "calendar": {"table": {"schema": "marts", "name": "dim_holidays", "name_column": "holiday"}}}
BY_TIMESTAMP = {**BY_DATE, "fct_orders": {"schema": "marts", "table": "fct_orders", "date_column": None,
                                          "timestamp_column": "ordered_at"}}


def statements(config):
    """name -> statement: check, backtest, calendar, and validate's probes (the same cut to no rows)."""
    cal = config.calendar_table
    sent = {"check daily_metrics": queries.daily_rows(config, DAY, DAY),
            "check fct_orders": queries.fact_totals(config, DAY),
            "backtest daily_metrics": queries.daily_rows(config, FIRST, DAY),
            "backtest fct_orders": queries.fact_totals_by_day(config, FIRST, DAY),
            "calendar": queries.calendar_events(config, cal, FIRST, DAY)}
    for table in expected(config, DAY):
        sent[f"validate columns {table.key}"] = (sa.select(sa.text("*")).select_from(
            sa.table(table.table.name, schema=table.table.schema)).where(queries.NO_ROWS))
        sent[f"validate {table.key}"] = table.statement.where(queries.NO_ROWS)
    return sent


def compiled(name, statement):
    """The statement as the dialect sends it, with its DBAPI's own paramstyle (no engine: BigQuery's wants
    credentials at once)."""
    cls = sa.engine.make_url(DSNS[name]).get_dialect()
    return statement.compile(dialect=cls(paramstyle=cls.import_dbapi().paramstyle))


@pytest.mark.parametrize("name", list(DSNS))
@pytest.mark.parametrize("fact", ["date", "timestamp"])
def test_every_statement_compiles_with_bound_parameters(name, fact):
    config = from_mapping(BY_DATE if fact == "date" else BY_TIMESTAMP)
    q = QUOTE[name]
    for label, statement in statements(config).items():
        sql = str(compiled(name, statement))
        assert "2026-11" not in sql and "2026-10" not in sql, (label, sql)  # days are parameters, never text
        assert f"{q}marts{q}." in sql, (label, sql)  # the schema (BigQuery: the dataset) is kept
        if label.startswith("validate"):
            assert sql.rstrip().endswith("1 = 0"), (label, sql)  # validate reads no rows
        values = compiled(name, statement).params
        assert all(isinstance(v, date) for v in values.values()), (label, values)


@pytest.mark.parametrize("name", list(DSNS))
def test_a_timestamp_day_is_a_half_open_range_on_the_raw_column(name):
    config = from_mapping(BY_TIMESTAMP)
    for statement in (queries.fact_totals(config, DAY), queries.fact_totals_by_day(config, FIRST, DAY)):
        c = compiled(name, statement)
        where = str(c).split("WHERE", 1)[1]
        column = re.escape(f"{QUOTE[name]}fct_orders{QUOTE[name]}.{QUOTE[name]}ordered_at{QUOTE[name]}")
        raw = rf"(\S+\.)?{column}"  # the raw column, with its schema where the dialect writes it
        assert re.fullmatch(rf" {raw} >= \S+ AND {raw} < \S+( GROUP BY .*)?", where.strip("\n") + "", re.S), where
        assert c.params["start"] == datetime(2026, 11, FIRST.day if "GROUP BY" in str(c) else 25)
        assert c.params["end"] == datetime(2026, 11, 26)


def test_bigquery_binds_typed_parameters_and_groups_by_the_label():
    """BigQuery compares a TIMESTAMP only with a TIMESTAMP (never a DATETIME), and has no `anon_1` to group by."""
    config = from_mapping(BY_TIMESTAMP)
    by_day = str(compiled("bigquery", queries.fact_totals_by_day(config, FIRST, DAY)))
    assert "%(start:TIMESTAMP)s" in by_day and "%(end:TIMESTAMP)s" in by_day
    assert by_day.startswith("SELECT CAST(`fct_orders`.`ordered_at` AS DATE) AS `day`")
    assert by_day.rstrip().endswith("GROUP BY `day`")
    daily = str(compiled("bigquery", queries.daily_rows(config, DAY, DAY)))
    assert "BETWEEN %(start:DATE)s AND %(end:DATE)s" in daily
    by_date = str(compiled("bigquery", queries.fact_totals_by_day(from_mapping(BY_DATE), FIRST, DAY)))
    assert by_date.rstrip().endswith("GROUP BY `day`")


@pytest.mark.parametrize("name", ["snowflake", "redshift", "trino", "databricks"])
def test_the_day_of_a_timestamp_is_a_cast_to_date(name):
    sql = str(compiled(name, queries.fact_totals_by_day(from_mapping(BY_TIMESTAMP), FIRST, DAY)))
    assert sql.startswith("SELECT CAST(marts.fct_orders.ordered_at AS DATE) AS day")
    assert sql.rstrip().endswith("GROUP BY CAST(marts.fct_orders.ordered_at AS DATE)")


@pytest.mark.parametrize("name, expected", [
    ("snowflake", {"login_timeout": 10, "session_parameters": {"TIMEZONE": "America/New_York",
                                                               "STATEMENT_TIMEOUT_IN_SECONDS": 60}}),
    ("trino", {"timezone": "America/New_York", "request_timeout": 70,
               "session_properties": {"query_max_run_time": "60s"}}),
    ("databricks", {"session_configuration": {"spark.sql.session.timeZone": "America/New_York",
                                              "STATEMENT_TIMEOUT": "60"}}),
    ("redshift", {"connect_timeout": 10}),
])
def test_each_driver_gets_the_session_zone_and_timeouts(name, expected):
    """What the dialect hands its DBAPI's connect(), caught at SQLAlchemy's do_connect hook (nothing is reached)."""
    engine = make_engine(parse_dsn(DSNS[name]), from_mapping({}), "America/New_York")
    seen = {}

    @sa.event.listens_for(engine, "do_connect")
    def capture(dialect, record, cargs, cparams):
        seen.update(cparams)
        raise ConnectionAbortedError("compile-only: no warehouse is reached")

    with pytest.raises(Exception, match="compile-only"):
        engine.connect()
    assert {k: seen[k] for k in expected} == expected
