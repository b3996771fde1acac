"""Shared fixtures: real warehouses on every backend, with per-test table names."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from exporter.warehouse.demo_data import build
from tests.support import db, segmented
from tests.support.factories import DAY

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

SERVER_DSNS = {
    "postgresql": os.environ.get("DMM_TEST_POSTGRES_DSN", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("DMM_TEST_MARIADB_DSN", "mysql+pymysql://root@127.0.0.1:3306/test"),
}


def unavailable(reason: str):
    """In CI a missing service fails the test; on a laptop it skips."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


def _reachable(dsn: str) -> str | None:
    engine = sa.create_engine(dsn, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        return None
    except Exception as exc:  # any failure means "not reachable"
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        engine.dispose()


@contextmanager
def server_engine(name: str):
    """(DSN, engine) of a test server; unavailable (a failure with CI=true) when it is not reachable."""
    dsn = SERVER_DSNS[name]
    problem = _reachable(dsn)
    if problem:
        unavailable(f"{name} is not reachable: {problem}")
    engine = sa.create_engine(dsn, poolclass=sa.pool.NullPool)
    try:
        yield dsn, engine
    finally:
        engine.dispose()


def execute(engine, *statements: str) -> None:
    """Run SQL statements in one transaction (setting up and tearing down a test's tables and roles)."""
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))


@dataclass
class Warehouse:
    """A loaded warehouse and a config file naming its tables."""

    dsn: str
    daily_table: str
    fact_table: str
    config_path: Path
    last_day: object

    def args(self, *extra: str) -> list[str]:
        return ["check", "--dsn", self.dsn, "--config", str(self.config_path),
                "--date", self.last_day.isoformat(), *extra]


BACKENDS = ["sqlite", "duckdb", "postgresql", "mariadb", "spark"]
FIXTURE_MARKS = {"pg": "postgresql", "pg_warehouse": "postgresql", "gateway": "binaries", "stack": "binaries",
                 "rendered": "binaries", "spark_dsn": "spark"}
"""Fixtures that start or need a service, and the marker that says so (the fast lane deselects them)."""


SPARK_SCENARIOS = {"healthy", "missing_day", "null_revenue", "reconciliation_mismatch"}
"""The demo scenarios run on Spark: every scenario sends the same statements (only the data differs, and the judge
after them is tested on the other backends); these four cover a full day, a missing row, NULLs and a fact mismatch."""


NOT_YET_ON_SPARK = {"test_counts_backends.py", "test_folded.py", "test_ledger_bounded.py", "test_results_init_dsn.py",
                    "test_segment_edges.py", "test_segment_equality.py", "test_segment_trust.py", "test_since.py",
                    "test_validate_ledger.py", "test_why.py"}
"""Backend tests that issues 27, 28 and 31 wrote while Spark joined the matrix (issue 30): they run on the other
four backends; bringing them to Spark is open work (some use SQL Spark lacks: UPDATE, TEXT)."""


def pytest_collection_modifyitems(config, items):
    """Mark each test by the services it needs: `-m "not binaries and not postgresql and not mariadb and not spark"`
    needs none. On Spark (a statement costs it ~0.3 s), the scenario matrices run SPARK_SCENARIOS only."""
    extra = [item for item in items if getattr(item, "callspec", None) and item.callspec.params.get("backend_dsn")
             == "spark" and (item.callspec.params.get("scenario", "healthy") not in SPARK_SCENARIOS
                             or item.path.name in NOT_YET_ON_SPARK)]
    if extra:
        config.hook.pytest_deselected(items=extra)
        items[:] = [item for item in items if item not in extra]
    for item in items:
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in item.fixturenames:
                item.add_marker(mark)
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend_dsn") if callspec else None
        if backend in ("postgresql", "mariadb", "spark"):
            item.add_marker(backend)


@pytest.fixture(scope="session")
def spark_dsn(tmp_path_factory):
    """One Spark Thrift server for the whole session, started on first use (~20 s), stopped at the end."""
    from tests.support.spark import SMALL_DATA, thrift_server

    with thrift_server(tmp_path_factory.mktemp("spark"), SMALL_DATA) as dsn:
        yield dsn


@pytest.fixture(params=BACKENDS)
def backend_dsn(request, tmp_path):
    name = request.param
    if name == "spark":
        return request.getfixturevalue("spark_dsn")
    if name == "sqlite":
        return f"sqlite:///{tmp_path / 'wh.sqlite'}"
    if name == "duckdb":
        return f"duckdb:///{tmp_path / 'wh.duckdb'}"
    dsn = SERVER_DSNS[name]
    problem = _reachable(dsn)
    if problem:
        unavailable(f"{name} at {dsn} is not reachable: {problem}")
    return dsn


@pytest.fixture
def make_warehouse(tmp_path, request):
    """Load a scenario into uniquely named tables; drop them after the test."""
    created = []

    def load(dsn: str, scenario: str = "healthy", days: int = 30, config_extra: str = "") -> Warehouse:
        suffix = uuid.uuid4().hex[:8]
        daily, fact = f"dm_{suffix}", f"fo_{suffix}"
        wh = build(scenario, last_day=DAY, days=days, scale=0.1)
        url = db.parse_dsn(dsn)
        created.append((url, daily, fact))
        db.write_warehouse(url, list(wh.daily), list(wh.orders), daily, fact)
        config = tmp_path / f"config-{suffix}.yaml"
        config.write_text(f"daily_metrics:\n  table: {daily}\nfct_orders:\n  table: {fact}\n{config_extra}")
        return Warehouse(dsn, daily, fact, config, wh.last_day)

    yield load
    for url, daily, fact in created:
        db.drop_tables(url, daily, fact)


@pytest.fixture
def mart(backend_dsn, tmp_path):
    """A segmented mart (tests/support/segmented.py) on the backend, its tables dropped after the test."""
    created = []

    def make(daily, **kwargs):
        return segmented.load(backend_dsn, tmp_path, daily, created=created, **kwargs)

    yield make
    for url, table, fact in created:
        db.drop_tables(url, table, fact)
