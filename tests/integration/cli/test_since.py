"""Since when: `check` follows each failing check back through the days before (judged from the same read) and
pushes its run's first day and length; the notification says NEW or CONTINUING, rendered by Alertmanager's own
template code (amtool)."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime, timedelta, timezone

import pytest

from exporter.cli import main
from exporter.config import Config
from exporter.judge.since import SINCE_DAYS
from exporter.render.alertmanager import templates
from tests.support import incident_mart, segmented
from tests.support.services import binary, samples

TARGET = segmented.TARGET


def midnight(day) -> float:
    return datetime.combine(day, datetime.min.time(), timezone.utc).timestamp()


def gauges(capsys, dsn: str, config, tmp_path, day=TARGET) -> dict[tuple, float]:
    out = tmp_path / "dmm.prom"
    main(["check", "--dsn", dsn, "--config", str(config), "--date", day.isoformat(), "--no-push",
          "--textfile", str(out)])
    capsys.readouterr()
    return samples(out.read_text(), "dmm_check_incident")


def key(family: str, check: str, metric: str, segment: str) -> tuple:
    return f"dmm_check_incident_{family}", ("check", check), ("metric", metric), ("segment", segment)


def test_a_three_day_outage_is_day_3_since_its_first_day(backend_dsn, mart, tmp_path, capsys):
    outage = {TARGET - timedelta(days=n) for n in range(3)}
    daily = [dict(r, orders=0, revenue=0) if r["country"] == "NL" and r["event_date"] in outage else r
             for r in segmented.rows()]
    found = gauges(capsys, backend_dsn, mart(daily), tmp_path)
    # NL: 0 vs median 100 on each of the three days (the alerted days leave the baseline): one run of 3 days
    assert found[key("day", "drop", "orders", "country=NL")] == 3
    assert found[key("start_timestamp_seconds", "drop", "orders", "country=NL")] == midnight(TARGET - timedelta(2))
    assert found[key("day", "drop", "revenue", "country=NL")] == 3
    assert not any(dict(k[1:]).get("segment") == "country=DE" for k in found)  # an OK check has none


def test_a_run_longer_than_the_window_counts_the_window(backend_dsn, mart, tmp_path, capsys):
    outage = TARGET - timedelta(days=20)
    daily = [dict(r, orders=0, revenue=0) if r["country"] == "NL" and r["event_date"] >= outage else r
             for r in segmented.rows()]
    found = gauges(capsys, backend_dsn, mart(daily), tmp_path)
    assert found[key("day", "drop", "orders", "country=NL")] == SINCE_DAYS == 14  # 14: 14 or more
    assert found[key("start_timestamp_seconds", "drop", "orders", "country=NL")] == midnight(TARGET - timedelta(13))


def test_the_check_agrees_with_the_backtests_open_incidents(tmp_path, capsys):
    """On the 12-segment mart: every check of every open incident starts (within the window) where the backtest's
    incident starts, and counts its days."""
    dsn = f"sqlite:///{tmp_path / 'mart.sqlite'}"
    config = incident_mart.load(dsn, tmp_path)
    last = incident_mart.LAST
    found = gauges(capsys, dsn, config, tmp_path, last)
    assert main(["backtest", "--dsn", dsn, "--config", config, "--from", incident_mart.FIRST.isoformat(),
                 "--to", last.isoformat(), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    open_incidents = [i for i in doc["incidents"] if i["open"] and i["kind"] == "alert"]
    # paid/ios's drop at least (the counts judge email/android's refunds spike a closed WARN incident)
    assert {"channel": "paid", "platform": "ios"} in [i["segment"] for i in open_incidents]
    for incident in open_incidents:
        segment = ",".join(f"{k}={v}" for k, v in incident["segment"].items())
        first = max(date.fromisoformat(incident["first"]), last - timedelta(days=SINCE_DAYS - 1))
        for check in incident["checks"]:
            assert found[key("start_timestamp_seconds", check["check"], check["metric"], segment)] == midnight(first)
            assert found[key("day", check["check"], check["metric"], segment)] == (last - first).days + 1


@pytest.mark.binaries
def test_alertmanagers_template_code_says_new_or_continuing(tmp_path):
    labels = {"job": "dmm", "pipeline": "shop", "severity": "critical"}
    alert = {"status": "firing", "labels": {**labels, "alertname": "DailyMetricsSharpDrop", "check": "drop"}}
    payload = {"receiver": "shop-pager", "status": "firing", "externalURL": "http://am.invalid",
               "groupLabels": {"job": "dmm", "pipeline": "shop"}, "commonLabels": labels,
               "commonAnnotations": {"data_date": "2026-11-30"},
               "alerts": [{**alert, "labels": {**alert["labels"], "metric": "orders", "segment": "country=NL"},
                           "annotations": {"description": "orders [country=NL] = 0 vs 7-day median 100.",
                                           "incident": "CONTINUING: orders [country=NL] down since 2026-11-28, "
                                                       "day 3"}},
                          {**alert, "labels": {**alert["labels"], "metric": "revenue"},
                           "annotations": {"description": "revenue = 10 vs 7-day median 1000.",
                                           "incident": "NEW: revenue down since 2026-11-30, day 1"}},
                          {**alert, "labels": {**alert["labels"], "metric": "events"},
                           "annotations": {"description": "events = 1 vs 7-day median 9.", "incident": ""}}]}
    (tmp_path / "payload.json").write_text(json.dumps(payload))
    (tmp_path / "dmm.tmpl").write_text(templates([Config()]))  # as `render` writes them
    result = subprocess.run([binary("amtool"), "template", "render", f"--template.glob={tmp_path / 'dmm.tmpl'}",
                             '--template.text={{ template "dmm.text" . }}',
                             f"--template.data={tmp_path / 'payload.json'}"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[CRITICAL] shop, data day 2026-11-30: 3 failing",
        "- drop orders [country=NL]: orders [country=NL] = 0 vs 7-day median 100.",
        "  CONTINUING: orders [country=NL] down since 2026-11-28, day 3",
        "- drop revenue: revenue = 10 vs 7-day median 1000.",
        "  NEW: revenue down since 2026-11-30, day 1",
        "- drop events: events = 1 vs 7-day median 9."]  # an older job pushed no start day: no line
