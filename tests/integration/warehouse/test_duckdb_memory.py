"""DuckDB runs inside the job's process: its session takes `database.memory_limit_mb` (issue 31: a check at
100,000 segment values took 1.5 GB of the job's RSS), read-only or writing the ledger, on a file or in memory."""

from dataclasses import replace

import duckdb
import pytest

from exporter.config import Config
from exporter.warehouse.connection import make_engine, parse_dsn


@pytest.fixture
def duckdb_file(tmp_path):
    path = tmp_path / "wh.duckdb"
    duckdb.connect(str(path)).close()
    return path


def _limit(url, config, write=None) -> str:
    engine = make_engine(url, config, write=write)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT current_setting('memory_limit')").scalar_one()
    finally:
        engine.dispose()


@pytest.mark.parametrize(("limit_mb", "shown"), [(100, "95.3 MiB"), (1024, "976.5 MiB")])  # 10^6 B / 2^20
def test_the_session_takes_the_configured_limit(duckdb_file, limit_mb, shown):
    config = replace(Config(), memory_limit_mb=limit_mb)
    assert _limit(parse_dsn(f"duckdb:///{duckdb_file}"), config) == shown
    assert _limit(parse_dsn(f"duckdb:///{duckdb_file}"), config, write="append") == shown
    assert _limit(parse_dsn("duckdb:///:memory:"), config) == shown


def test_the_default_is_a_gigabyte_not_most_of_the_machine(duckdb_file):
    assert Config().memory_limit_mb == 1024
    assert _limit(parse_dsn(f"duckdb:///{duckdb_file}"), Config()) == "976.5 MiB"
