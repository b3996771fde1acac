"""DSNs that cannot work are one line naming the fix, before any connection (pure)."""

import pytest

from exporter.cli import main


@pytest.mark.parametrize("command", ["check", "demo"])
def test_a_sqlite_dsn_with_a_user_and_password_is_one_line(capsys, tmp_path, monkeypatch, command):
    """Was `unexpected error: ArgumentError: Invalid SQLite URL …` over five lines in the demo."""
    monkeypatch.chdir(tmp_path)
    assert main([command, "--dsn", "sqlite://monitor:pa55-word@/demo.sqlite"]) == 2
    _out, err = capsys.readouterr()
    assert err == ("daily-metrics-monitor: error: invalid DSN sqlite://monitor:***@/demo.sqlite: a SQLite DSN "
                   "names a file only, sqlite:///relative/path.sqlite or sqlite:////absolute/path.sqlite\n")
    assert list(tmp_path.iterdir()) == []
