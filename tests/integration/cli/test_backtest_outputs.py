"""The backtest's command line: statements, errors, formats, --compare, and --openmetrics into a real Prometheus."""

import csv
import io
import json
import subprocess
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta, timezone

import pytest

from exporter.cli import main
from tests.support.db import recorded_statements
from tests.support.services import binary, free_port, server


@pytest.fixture
def demo_wh(make_warehouse, tmp_path):
    """30 days of the orders_drop scenario in SQLite: the last day is CRITICAL, the first days lack history."""
    return make_warehouse(f"sqlite:///{tmp_path / 'wh.sqlite'}", "orders_drop", days=30)


def backtest(wh, *extra):
    first = (wh.last_day - timedelta(days=29)).isoformat()
    return ["backtest", "--dsn", wh.dsn, "--config", str(wh.config_path), "--from", first,
            "--to", wh.last_day.isoformat(), *extra]


def test_exactly_two_statements_for_any_range(pg_warehouse, capsys):
    for days in (1, 30, 365):
        with recorded_statements() as statements:
            assert main(["backtest", "--dsn", pg_warehouse.dsn, "--config", str(pg_warehouse.config_path),
                         "--from", (pg_warehouse.last_day - timedelta(days=days - 1)).isoformat(),
                         "--to", pg_warehouse.last_day.isoformat(), "--format", "json"]) == 0
        capsys.readouterr()
        assert len(statements) == 2, statements
        assert "GROUP BY" in statements[1] and "count(*)" in statements[1]


@pytest.fixture
def pg_warehouse(make_warehouse):
    from tests.conftest import SERVER_DSNS, _reachable, unavailable

    problem = _reachable(SERVER_DSNS["postgresql"])
    if problem:
        unavailable(f"postgresql is not reachable: {problem}")
    return make_warehouse(SERVER_DSNS["postgresql"], "healthy", days=40)


@pytest.mark.parametrize("args, message", [
    (["--from", "2026-11-10", "--to", "2026-11-01"], "--from 2026-11-10 is after --to 2026-11-01"),
    (["--from", "2026-11-10", "--to", "2999-01-01"], "--to 2999-01-01 is in the future (today is "),
    (["--from", "2010-01-01", "--to", "2026-11-01"], "the range has 6149 days: at most 3660"),
])
def test_bad_ranges_are_one_line_errors(capsys, args, message):
    assert main(["backtest", "--dsn", "sqlite://", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"daily-metrics-monitor: error: {message}") and err.count("\n") == 1


def test_json_has_every_day_and_the_summary(demo_wh, capsys):
    assert main(backtest(demo_wh, "--format", "json")) == 0  # exit 0 whatever the verdicts
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["days"]) == 30 and doc["to"] == demo_wh.last_day.isoformat()
    s = doc["summary"]
    # by hand: days 1-5 have fewer than 5 baseline days (WARN), the last day is the orders drop (CRITICAL)
    assert s["days"] == 30 and s["status"] == {"ok": 24, "warn": 5, "critical": 1}
    assert s["longest_warn_run"] == {"days": 5, "from": doc["from"],
                                     "to": (date.fromisoformat(doc["from"]) + timedelta(days=4)).isoformat()}
    assert {"check": "drop", "metric": "orders", "severity": "critical", "days": 1} in s["checks"]


def test_csv_is_one_row_per_day_and_check(demo_wh, capsys, tmp_path):
    out = tmp_path / "bt.csv"
    assert main(backtest(demo_wh, "--format", "csv", "--output", str(out))) == 0
    assert capsys.readouterr().out == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 30 * 23
    last = [r for r in rows if r["date"] == demo_wh.last_day.isoformat() and r["check"] == "drop"
            and r["metric"] == "orders"]
    assert last[0]["severity"] == "critical" and float(last[0]["frac"]) < 0.3


def test_text_lists_the_incidents_one_line_each(demo_wh, capsys):
    assert main(backtest(demo_wh)) == 0
    lines = capsys.readouterr().out.splitlines()
    first = demo_wh.last_day - timedelta(days=29)
    assert lines[:3] == [
        "incidents: 1 alerts (1 open), 0 not evaluated, 1 start-up",
        f"  CRITICAL open revenue, orders, purchase_rate down since {demo_wh.last_day}, day 1: 208.02 vs median "
        f"1,704.38 (frac 0.12) on {demo_wh.last_day}",  # the demo's numbers; one cause: one line
        f"  START-UP {first} .. {first + timedelta(days=4)} (5 days): too little history for 8 checks (not alerts)"]
    assert f"{demo_wh.last_day - timedelta(days=29)} .. {demo_wh.last_day}: 30 days, 24 ok, 5 warn, 1 critical" \
        in lines
    assert "  longest run of WARN or worse: 5 days" in "\n".join(lines)


def test_compare_lists_the_verdicts_that_differ(demo_wh, capsys, tmp_path):
    """Under loose thresholds the last day's drops are OK; and a 3-day baseline ends the insufficient history."""
    other = tmp_path / "loose.yaml"
    other.write_text(demo_wh.config_path.read_text()
                     + "thresholds: {warn: {frac: 0.1, z: -50}, critical: {frac: 0.05, z: -100}}\n"
                     + "baseline: {min_days: 3}\n")
    assert main(backtest(demo_wh, "--compare", str(other), "--format", "json")) == 0
    diff = json.loads(capsys.readouterr().out)["compare"]
    last = [d for d in diff["differences"] if d["date"] == demo_wh.last_day.isoformat()]
    assert {(d["metric"], d["severity"], d["other_severity"]) for d in last} >= {("orders", "critical", "ok"),
                                                                                 ("revenue", "critical", "ok")}
    # days 4 and 5 have 3 and 4 baseline days: WARN by default, judged (OK) with min_days 3
    first = date.fromisoformat(diff["differences"][0]["date"])
    assert first == demo_wh.last_day - timedelta(days=26)
    assert diff["days"] == 3


@pytest.mark.binaries
def test_openmetrics_backfills_a_real_prometheus(demo_wh, capsys, tmp_path):
    """promtool turns the file into blocks; Prometheus serves them; range queries give the backtest's days."""
    om = tmp_path / "history.om"
    assert main(backtest(demo_wh, "--format", "json", "--openmetrics", str(om))) == 0
    doc = json.loads(capsys.readouterr().out)
    text = om.read_text()
    assert text.endswith("# EOF\n") and '# TYPE dmm_status gauge' in text
    blocks = tmp_path / "data"
    result = subprocess.run([binary("promtool"), "tsdb", "create-blocks-from", "openmetrics",
                             "--max-block-duration=2400h", str(om), str(blocks)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    port = free_port()
    (tmp_path / "prometheus.yml").write_text("global: {scrape_interval: 1m}\n")
    first = datetime.combine(date.fromisoformat(doc["from"]) + timedelta(days=1), datetime.min.time(), timezone.utc)
    last = datetime.combine(demo_wh.last_day + timedelta(days=1), datetime.min.time(), timezone.utc)
    with server("prometheus", [f"--config.file={tmp_path / 'prometheus.yml'}", f"--storage.tsdb.path={blocks}",
                               f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=100y"],
                port, "/-/ready", tmp_path) as prometheus:
        def range_query(expr: str) -> dict:
            params = urllib.parse.urlencode({"query": expr, "start": first.timestamp(), "end": last.timestamp(),
                                             "step": "86400"})
            with urllib.request.urlopen(f"{prometheus}/api/v1/query_range?{params}", timeout=10) as r:
                return {tuple(sorted(s["metric"].items())): s["values"] for s in json.load(r)["data"]["result"]}

        status = range_query('dmm_status{job="daily_metrics_monitor",pipeline="daily_metrics"}')
        (values,) = status.values()
        assert [int(v) for _, v in values] == [{"ok": 0, "warn": 1, "critical": 2}[d["status"]] for d in doc["days"]]
        # the rendered SharpDrop expression over the history fires on the backtest's CRITICAL drop days only
        rules = (__import__("pathlib").Path(__file__).resolve().parents[3] / "alert_rules" /
                 "daily_metrics.rules.yml").read_text()
        import yaml

        sharp = next(r["expr"] for r in yaml.safe_load(rules)["groups"][0]["rules"]
                     if r["alert"] == "DailyMetricsSharpDrop")
        # every dashboard query but the live alerts table draws the history (no annotation: a backfill has no
        # ALERTS series and the demo's calendar is empty)
        from tests.support.dashboards import dashboard_queries

        empty = [expr for expr in dashboard_queries(annotations=False)
                 if not expr.startswith(("ALERTS", "label_values"))
                 and not range_query(expr.replace("$pipeline", ".*").replace("$metric", ".*"))]
        assert empty == []
        fired = {(dict(k)["metric"], int(t)) for k, points in range_query(sharp).items() for t, _ in points}
        expected = {(c["metric"], int((datetime.fromisoformat(d["date"]) + timedelta(days=1))
                                      .replace(tzinfo=timezone.utc).timestamp()))
                    for d in doc["days"] for c in d["checks"] if c["name"] == "drop" and c["severity"] == "critical"}
        assert fired == expected and expected
