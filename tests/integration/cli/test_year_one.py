"""A day whose lookback reaches before year 1 (issue 31): one line naming the earliest day the config can
judge, exit 2 (it was `unexpected error: OverflowError`); that earliest day is judged without an error, the
day before it is refused."""

import re
from datetime import date, timedelta

import pytest

from exporter.cli import main
from tests.support.segmented import load as load_mart

LINE = re.compile(r"daily-metrics-monitor: error: (--date|--from) (\S+): the days it is judged against reach back "
                  r"\d+ days, before 0001-01-01; the earliest day this config can judge is (\S+)\n")


@pytest.fixture
def warehouse(tmp_path):
    dsn = f"sqlite:///{tmp_path / 'wh.sqlite'}"
    config = load_mart(dsn, tmp_path, [{"event_date": date(1, 3, 1), "country": "NL", "orders": 1, "revenue": 10}])
    return dsn, config


@pytest.mark.parametrize("command", [["check", "--no-push", "--date"], ["backtest", "--to", "0003-01-01", "--from"]])
def test_a_day_too_close_to_year_one_is_one_line_and_exit_2(warehouse, capsys, command):
    dsn, config = warehouse

    def run(day: date) -> int:
        return main([*command, day.isoformat(), "--dsn", dsn, "--config", str(config)])

    assert run(date(1, 1, 5)) == 2
    said = LINE.fullmatch(capsys.readouterr().err)
    assert said and said.group(1) == command[-1] and said.group(2) == "0001-01-05"
    earliest = date.fromisoformat(said.group(3))
    assert run(earliest - timedelta(days=1)) == 2 and LINE.fullmatch(capsys.readouterr().err)
    assert run(earliest) in (0, 1)
    assert "error" not in capsys.readouterr().err
