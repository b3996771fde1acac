"""`demo --dsn` into a real PostgreSQL database of its own: the password of the DSN is never printed."""

import uuid

import pytest
import sqlalchemy as sa

from exporter.cli import main
from tests.conftest import SERVER_DSNS, _reachable, unavailable


@pytest.fixture
def scratch_database():
    """A database created for this test only (the demo drops and recreates daily_metrics and fct_orders)."""
    dsn = SERVER_DSNS["postgresql"]
    problem = _reachable(dsn)
    if problem:
        unavailable(f"postgresql is not reachable: {problem}")
    name = f"dmm_demo_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(dsn, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield sa.make_url(dsn).set(database=name)
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.postgresql
def test_the_demo_line_hides_the_password_of_its_dsn(scratch_database, capsys):
    """The demo prints its warehouse with print(), outside Run.say: only the DSN hider stands in the way.

    The server trusts loopback, so any password connects; it must show as *** in the demo's line.
    """
    url = scratch_database.set(password="pa55-word")
    code = main(["demo", "--dsn", url.render_as_string(hide_password=False)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "pa55-word" not in out + err
    assert err.startswith(f"demo warehouse {url.render_as_string(hide_password=True)}: scenario healthy, 90 days")
