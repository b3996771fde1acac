"""End to end on real binaries: job -> Pushgateway -> Prometheus (the rendered rules) -> Alertmanager -> pager.

The set of non-OK (check, metric, severity) the job reports must equal the set of firing alerts.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack, redirect_stdout
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from exporter.cli import main
from exporter.config import from_mapping
from exporter.render import ALERTMANAGER_TEMPLATES, dashboard_path, render_all, rules_path, write
from exporter.warehouse.demo_data import build
from tests.support import db
from tests.support.dashboards import dashboard_queries
from tests.support.services import binary, free_port, pushgateway, recording_server, server
from tests.support.stack import alertmanager_config, firing, prometheus_config, slack, wait_for

pytestmark = pytest.mark.binaries

ROOT = Path(__file__).resolve().parents[3]
SCENARIOS = ["healthy", "orders_drop", "checkout_rate_drop", "missing_day", "over_attribution",
             "reconciliation_mismatch", "null_revenue", "coverage_collapse", "zero_orders", "insufficient_history",
             "persistent_drop"]
JOB, NOT_RUN_JOB = "daily_metrics_monitor", "dmm_not_run"
SEVERITY = {"warn": "warning", "critical": "critical"}
LOOSE = {"thresholds": {"warn": {"frac": 0.3, "z": -10}, "critical": {"frac": 0.1, "z": -20}}}
"""shop_us judges drops more loosely than shop_eu: the same checkout-rate drop is WARN for one, OK for the other."""
HOLIDAY = {"calendar": {"events": [{"date": (date.today() - timedelta(days=1)).isoformat(), "name": "E2E holiday"}]}}
"""The demo's last day (yesterday) is a known event: its orders drop is expected, and no drop alert fires."""
FAST = {"alerts": {"scrape_interval_seconds": 1}}
"""keep_firing_for 4 s instead of 2 min: a fixed day resolves within the test."""
PIPELINES = {**{name: {} for name in SCENARIOS}, "database_down": {}, "shop_eu": {}, "shop_us": LOOSE, "rerun": {},
             "holiday": HOLIDAY, "fixed": FAST, "segments": {},
             "by_country": {"segments": {"columns": ["country"], "fact_columns": {"country": "country"}}}}
SEGMENT_DAY = date(2026, 11, 25)
"""A Wednesday, pinned: LU's revenue falls to z = -4.6 there (WARN, not CRITICAL), the day a Thursday run judged."""
NOT_RUN = {"alerts": {"not_run_warning_hours": 0.001, "not_run_critical_hours": 0.002, "absent_for_minutes": 0}}


def pipeline_config(pipeline: str, job: str = JOB) -> dict:
    return {**PIPELINES.get(pipeline, NOT_RUN), "push": {"job": job, "pipeline": pipeline}}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stack")
    configs = [from_mapping(pipeline_config(p)) for p in PIPELINES]
    configs += [from_mapping(pipeline_config(p, NOT_RUN_JOB)) for p in ("not_run", "never_run")]
    rendered = tmp / "rendered"
    write(render_all(*configs), rendered)
    with ExitStack() as stack:
        pager, pager_url = stack.enter_context(recording_server())
        gateway = stack.enter_context(pushgateway(tmp))
        am_port, prom_port = free_port(), free_port()
        # beside the rendered one: its relative `templates:` path is the one the deployment uses
        am_config = rendered / "deploy" / "alertmanager.test.yml"
        am_config.write_text(yaml.safe_dump(alertmanager_config(rendered, pager_url)))
        alertmanager = stack.enter_context(server(
            "prometheus-alertmanager", [f"--config.file={am_config}", f"--storage.path={tmp / 'am'}",
                                        f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
            am_port, "/-/ready", tmp))
        (tmp / "prometheus.yml").write_text(yaml.safe_dump(prometheus_config(
            gateway.removeprefix("http://"), alertmanager.removeprefix("http://"),
            [rendered / rules_path(c) for c in configs])))
        prometheus = stack.enter_context(server(
            "prometheus", [f"--config.file={tmp / 'prometheus.yml'}", f"--storage.tsdb.path={tmp / 'tsdb'}",
                           f"--web.listen-address=127.0.0.1:{prom_port}",
                           # alerts found before the notifier knows Alertmanager wait one resend delay (1m)
                           "--rules.alert.resend-delay=1s"],
            prom_port, "/-/ready", tmp))
        yield {"tmp": tmp, "pager": pager, "gateway": gateway, "prometheus": prometheus,
               "alertmanager": alertmanager, "rendered": rendered}


def delivered(pager) -> dict[str, set]:
    """Firing alerts each kind of receiver got: pager/notify -> {(alertname, pipeline, check, metric)}.

    An alert must reach its own pipeline's receiver: `<pipeline>-pager` or `<pipeline>-notify`.
    """
    out: dict[str, set] = {"pager": set(), "notify": set()}
    for _, path, _, body in list(pager.requests):
        if path.startswith("/slack/"):
            continue
        receiver_pipeline, kind = path.strip("/").rsplit("-", 1)
        for alert in json.loads(body)["alerts"]:
            if alert["status"] == "firing":
                labels = alert["labels"]
                assert labels["pipeline"] == receiver_pipeline, (path, labels)
                out[kind].add((labels["alertname"], labels.get("pipeline"), labels.get("check"),
                               labels.get("metric")))
    return out


def run_job(stack, pipeline: str, scenario: str | None, job: str = JOB, day: str | None = None):
    """Run the job for one scenario (None: the database is down), pushing to its own pipeline group."""
    tmp = stack["tmp"]
    config = tmp / f"{pipeline}.yaml"
    config.write_text(yaml.safe_dump(pipeline_config(pipeline, job)))
    if scenario is None:  # the database is down
        args = ["--dsn", "postgresql+psycopg://monitor:db-Secret@127.0.0.1:1/test"]
    else:
        wh = build(scenario, days=30, scale=0.1)
        url = db.parse_dsn(f"sqlite:///{tmp / (pipeline + '.sqlite')}")
        db.write_warehouse(url, list(wh.daily), list(wh.orders))
        args = ["--dsn", str(url), "--date", day or wh.last_day.isoformat()]
    with redirect_stdout(io.StringIO()) as stdout:
        code = main(["check", *args, "--config", str(config), "--format", "json", "--pushgateway", stack["gateway"]])
    doc = json.loads(stdout.getvalue())
    return code, None if doc["status"] == "error" else doc  # an error is a JSON document too


@pytest.fixture(scope="module")
def verdicts(stack):
    """Every scenario run once into its own pipeline group: pipeline -> (exit code, JSON report or None)."""
    out = {name: run_job(stack, name, name) for name in SCENARIOS}
    out["database_down"] = run_job(stack, "database_down", None)
    # two pipelines of one job, judging the same drop by their own thresholds
    out["shop_eu"] = run_job(stack, "shop_eu", "checkout_rate_drop")
    out["shop_us"] = run_job(stack, "shop_us", "checkout_rate_drop")
    out["holiday"] = run_job(stack, "holiday", "orders_drop")
    return out


def test_job_verdicts_and_firing_alerts_agree(stack, verdicts):
    assert verdicts["shop_eu"][1]["status"] == "warn" and verdicts["shop_us"][1]["status"] == "ok"
    # day 6 of a loss that stays: its WARN level (its five earlier days left out of the baseline) has stood more
    # than escalate_after_days (3), so the job escalates it: CRITICAL, and the pager hears of it
    persistent = next(c for c in verdicts["persistent_drop"][1]["checks"]
                      if (c["name"], c["metric"]) == ("drop", "orders"))
    assert persistent["severity"] == "critical" and "5 alerted days left out" in persistent["message"]
    assert "WARN 3 days in a row: escalated" in persistent["message"]
    holiday_orders = next(c for c in verdicts["holiday"][1]["checks"] if (c["name"], c["metric"]) == ("drop", "orders"))
    assert verdicts["holiday"][1]["status"] == "ok" and holiday_orders["outcome"] == "expected"
    expected = {}
    for pipeline, (code, doc) in verdicts.items():
        if doc is None:
            assert code == 2
            expected[pipeline] = {("DailyMetricsMonitorDown", None, None, "critical")}
        else:
            expected[pipeline] = {(c["name"], c["metric"], SEVERITY[c["severity"]])
                                  for c in doc["checks"] if c["severity"] != "ok"}

    def by_pipeline():
        found = {p: set() for p in verdicts}
        for labels in firing(stack["prometheus"]):
            if labels.get("job") == JOB and labels.get("pipeline") in found:
                key = (labels.get("check"), labels.get("metric"), labels["severity"])
                if labels["alertname"] == "DailyMetricsMonitorDown":
                    key = ("DailyMetricsMonitorDown", None, None, "critical")
                found[labels["pipeline"]].add(key)
        return found

    found = wait_for(lambda: (lambda f: f if f == expected else None)(by_pipeline())) or by_pipeline()
    assert found == expected
    assert verdicts["healthy"][0] == 0 and expected["healthy"] == set()

    # Criticals page the owner; warnings reach the work queue unless a critical on the same metric inhibits them.
    alerts = [a for a in firing(stack["prometheus"]) if a.get("job") == JOB and a["pipeline"] in verdicts]
    critical = {(a["alertname"], a["pipeline"], a.get("check"), a.get("metric")) for a in alerts
                if a["severity"] == "critical"}
    critical_metrics = {(a["pipeline"], a.get("metric")) for a in alerts if a["severity"] == "critical"}
    warning = {(a["alertname"], a["pipeline"], a.get("check"), a.get("metric")) for a in alerts
               if a["severity"] == "warning" and (a["pipeline"], a.get("metric")) not in critical_metrics}
    inhibited = {(a["alertname"], a["pipeline"], a.get("check"), a.get("metric")) for a in alerts
                 if a["severity"] == "warning" and (a["pipeline"], a.get("metric")) in critical_metrics}
    got = wait_for(lambda: (lambda d: d if d["pager"] >= critical and
                            d["notify"] >= warning else None)(delivered(stack["pager"])))
    got = got or delivered(stack["pager"])
    ours = {r: {a for a in alerts_ if a[1] in verdicts} for r, alerts_ in got.items()}
    assert ours["pager"] == critical
    assert ours["notify"] == warning
    assert inhibited, "null_revenue has warnings on the metric of a critical: they must be inhibited"
    assert not any(a[1] == "healthy" for alerts_ in ours.values() for a in alerts_)
    _print_table(verdicts, found, ours)


def _print_table(verdicts, found, delivered_):
    print("\n| scenario | job verdict (exit) | alerts fired | receiver reached |")
    print("| --- | --- | --- | --- |")
    for pipeline, (code, doc) in verdicts.items():
        status = doc["status"] if doc else "not evaluated"
        receivers = sorted({r for r, alerts in delivered_.items() for a in alerts if a[1] == pipeline})
        names = sorted({a[0] for alerts in delivered_.values() for a in alerts if a[1] == pipeline})
        print(f"| {pipeline} | {status} ({code}) | {len(found[pipeline])}: {', '.join(names) or '-'} | "
              f"{', '.join(receivers) or 'nobody'} |")


def notifications(pager, status: str = "firing") -> dict[tuple[str, str], list[dict]]:
    """The webhook payloads of that status each receiver got: (pipeline, "pager" | "notify") -> payloads."""
    out: dict[tuple[str, str], list[dict]] = {}
    for _, path, _, body in list(pager.requests):
        payload = json.loads(body)
        if path.count("/") == 1 and payload["status"] == status:
            out.setdefault(tuple(path.strip("/").rsplit("-", 1)), []).append(payload)
    return out


def expected_notifications(doc: dict | None) -> tuple[int, int]:
    """(pager, work queue) for one pipeline's bad day: one notification per receiver that has something to say.

    The pager gets the day's CRITICALs; the work queue its WARNs, except those on a metric that is CRITICAL
    too (inhibited). A run that could not evaluate pages (DailyMetricsMonitorDown).
    """
    if doc is None:
        return 1, 0
    critical = {c["metric"] for c in doc["checks"] if c["severity"] == "critical"}
    warn = {c["metric"] for c in doc["checks"] if c["severity"] == "warn"} - critical
    return int(bool(critical)), int(bool(warn))


SPEC_NOTIFICATIONS = {"healthy": (0, 0), "orders_drop": (1, 0), "checkout_rate_drop": (0, 1),
                      "coverage_collapse": (0, 1), "insufficient_history": (0, 1), "holiday": (0, 0),
                      "database_down": (1, 0), "shop_eu": (0, 1), "shop_us": (0, 0), "persistent_drop": (1, 0)}
"""Issue 21's numbers and the README's verdict table: a WARN day reaches only the work queue; a WARN drop that
stood 3 days (escalate_after_days, issue 27) is CRITICAL and pages."""


def test_one_notification_per_receiver_per_bad_day(stack, verdicts):
    """Counted on the real Alertmanager: a pipeline's bad day is one notification per receiver, whatever its size."""
    expected = {p: expected_notifications(doc) for p, (_, doc) in verdicts.items()}
    assert {p: expected[p] for p in SPEC_NOTIFICATIONS} == SPEC_NOTIFICATIONS

    def counts():
        got = notifications(stack["pager"])
        return {p: (len(got.get((p, "pager"), [])), len(got.get((p, "notify"), []))) for p in verdicts}

    wait_for(lambda: all(a >= e for p in verdicts for a, e in zip(counts()[p], expected[p], strict=True)))
    time.sleep(4)  # four group intervals: a late alert would have made a second notification by now
    found = counts()
    print("\n| scenario | pager notifications | work-queue notifications |\n| --- | --- | --- |")
    for p in verdicts:
        print(f"| {p} | {found[p][0]} | {found[p][1]} |")
    assert found == expected
    assert found["zero_orders"][0] == 1 and found["zero_orders"][1] <= 1
    (page,) = notifications(stack["pager"])[("orders_drop", "pager")]
    assert sorted(a["labels"]["metric"] for a in page["alerts"]) == ["orders", "purchase_rate", "revenue"]


def _drop_line(pipeline: str, check: dict, level: str) -> str:
    """The description of a drop alert, by hand from the job's report (Go's %.4g is Python's .4g here)."""
    bounds = {"CRITICAL": "frac < 0.3 and z <= -5, or a WARN for 3 days in a row",  # escalate_after_days: 3
              "WARN": "frac < 0.6 and z <= -3"}[level]
    return (f"- drop {check['metric']}: {check['metric']} = {check['value']:.4g} vs 7-day median "
            f"{check['median']:.4g} (z={check['z']:.4g}, frac={check['frac']:.4g}) in pipeline {pipeline}. "
            f"{level}: {bounds}.")


def test_the_notification_reads_as_the_day_its_verdict_and_its_numbers(stack, verdicts, tmp_path):
    """The orders_drop page as Alertmanager renders it through the shipped templates, against a hand-written text."""
    _, doc = verdicts["orders_drop"]
    drops = sorted((c for c in doc["checks"] if c["severity"] == "critical"), key=lambda c: c["metric"])
    expected = [f"[CRITICAL] orders_drop, data day {doc['date']}: 3 failing",
                *[_drop_line("orders_drop", c, "CRITICAL") for c in drops],
                *[f"  NEW: {c['metric']} down since {doc['date']}, day 1" for c in drops]]  # the days before: OK
    (page,) = wait_for(lambda: slack(stack["pager"], "orders_drop-pager"))
    print("\n" + page["text"])
    assert page["title"] == expected[0]
    lines = page["text"].splitlines()
    assert lines[0] == expected[0] and sorted(lines[1:]) == sorted(expected[1:])
    # amtool renders the same text from the webhook payload Alertmanager delivered: how to preview a change
    (payload,) = notifications(stack["pager"])[("orders_drop", "pager")]
    (tmp_path / "payload.json").write_text(json.dumps(payload))
    result = subprocess.run([binary("amtool"), "template", "render",
                             f"--template.glob={stack['rendered'] / ALERTMANAGER_TEMPLATES}",
                             '--template.text={{ template "dmm.text" . }}',
                             f"--template.data={tmp_path / 'payload.json'}"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == page["text"].rstrip("\n")


def test_a_fixed_day_sends_one_resolved_notification(stack):
    """A rerun after the data was fixed clears the page: one resolved notification, and no new firing one."""
    code, doc = run_job(stack, "fixed", "orders_drop")
    assert code == 1
    assert wait_for(lambda: notifications(stack["pager"]).get(("fixed", "pager")))
    code, _ = run_job(stack, "fixed", "healthy")
    assert code == 0
    resolved = wait_for(lambda: notifications(stack["pager"], "resolved").get(("fixed", "pager")), 30)
    time.sleep(3)
    assert len(resolved) == 1 and len(notifications(stack["pager"])[("fixed", "pager")]) == 1
    assert sorted(a["labels"]["metric"] for a in resolved[0]["alerts"]) == ["orders", "purchase_rate", "revenue"]
    text = wait_for(lambda: [s["text"] for s in slack(stack["pager"], "fixed-pager") if "RESOLVED" in s["text"]])
    assert text[0].splitlines()[0] == f"[RESOLVED] fixed, data day {doc['date']}: all resolved"


def test_a_countrys_outage_fires_with_its_segment_and_pages_once(stack):
    """The segmented demo (five countries, LU loses every order) pushed for real: Prometheus fires the drop of
    LU with its `segment` label, the total does not drop, and the pager gets one notification."""
    tmp = stack["tmp"]
    config = tmp / "by_country.yaml"
    config.write_text(yaml.safe_dump(pipeline_config("by_country")))
    wh = build("segment_outage", last_day=SEGMENT_DAY, days=60, segments=True)
    url = db.parse_dsn(f"sqlite:///{tmp / 'by_country.sqlite'}")
    db.write_warehouse(url, list(wh.daily), list(wh.orders))
    with redirect_stdout(io.StringIO()):
        code = main(["check", "--dsn", str(url), "--date", wh.last_day.isoformat(), "--config", str(config),
                     "--pushgateway", stack["gateway"]])
    assert code == 1

    def drops():
        return {(a["alertname"], a["metric"], a.get("segment")) for a in firing(stack["prometheus"])
                if a["pipeline"] == "by_country" and a.get("check") == "drop"}
    assert wait_for(lambda: ("DailyMetricsSharpDrop", "orders", "country=LU") in drops())
    assert {m for _, m, segment in drops() if segment != "country=LU"} == set()  # the total and the others hold
    assert wait_for(lambda: notifications(stack["pager"]).get(("by_country", "pager")), 20)
    time.sleep(3)
    (page,) = notifications(stack["pager"])[("by_country", "pager")]
    assert ("orders", "country=LU") in {(a["labels"]["metric"], a["labels"].get("segment")) for a in page["alerts"]}
    assert "orders [country=LU] dropped sharply" in {a["annotations"]["summary"] for a in page["alerts"]}
    assert ("revenue", "country=LU") in {(m, segment) for _, m, segment in drops()}  # WARN on this Wednesday


def test_fifty_segment_alerts_of_one_day_are_one_notification(stack):
    """Fifty segments' alerts of one day carry a `segment` label, which is not in group_by: one page."""
    now = time.time()
    alerts = [{"labels": {"alertname": "DailyMetricsSharpDrop", "job": JOB, "pipeline": "segments",
                          "severity": "critical", "check": "drop", "metric": "orders", "segment": f"country_{i}"},
               "annotations": {"description": f"segment {i}"},
               "startsAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))} for i in range(50)]
    request = urllib.request.Request(stack["alertmanager"] + "/api/v2/alerts", json.dumps(alerts).encode(),
                                     {"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=5) as r:
        assert r.status == 200
    assert wait_for(lambda: notifications(stack["pager"]).get(("segments", "pager")), 20)
    time.sleep(3)
    (page,) = notifications(stack["pager"])[("segments", "pager")]
    assert len(page["alerts"]) == 50


def test_every_dashboard_query_returns_series(stack):
    """Runs after the scenarios above filled the gateway: a typo in a metric name fails here. The committed
    dashboard over every unsegmented pipeline; the segmented pipeline's own dashboard over its pipeline."""
    board = json.loads((stack["rendered"] / dashboard_path(from_mapping(pipeline_config("by_country")))).read_text())
    segmented = [t["expr"] for p in board["panels"] for t in p.get("targets", [])]
    assert any('segment=~"$segment"' in q for q in segmented)
    queries = [q.replace('pipeline=~"$pipeline"', 'pipeline=~".*",pipeline!="by_country"') for q in dashboard_queries()]
    queries += [q.replace("$pipeline", "by_country").replace("$segment", ".*") for q in segmented]
    empty = []
    for expr in queries:
        expr = expr.replace("$pipeline", ".*").replace("$metric", ".*")
        variable = re.fullmatch(r"label_values\((.*), (\w+)\)", expr)
        if variable:  # Grafana's variable query: the label's values on the matching series
            url = f"{stack['prometheus']}/api/v1/label/{variable[2]}/values?" + urllib.parse.urlencode(
                {"match[]": variable[1]})
        else:
            url = f"{stack['prometheus']}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        with urllib.request.urlopen(url, timeout=10) as r:
            data = json.load(r)["data"]
        if not (data if variable else data["result"]):
            empty.append(expr)
    assert empty == []


def test_job_that_did_not_run(stack):
    """Absent before the first push, then 'not run' once the push is older than the (rendered, tiny) limits."""
    prometheus = stack["prometheus"]

    def ours(name):
        return [a for a in firing(prometheus) if a["alertname"] == name and a.get("job") == NOT_RUN_JOB]

    def received(receiver, name, pipeline=None):
        return (name, pipeline, None, None) in delivered(stack["pager"])[receiver]

    def absent():
        return {a["pipeline"] for a in ours("DailyMetricsMonitorAbsent")}

    assert wait_for(lambda: absent() == {"not_run", "never_run"}, 20)
    assert wait_for(lambda: received("pager", "DailyMetricsMonitorAbsent", "not_run"), 20)
    code, doc = run_job(stack, "not_run", "healthy", job=NOT_RUN_JOB)
    assert code == 0 and doc["status"] == "ok"
    # per pipeline: the group that pushed is no longer absent, the one that never ran still is
    assert wait_for(lambda: absent() == {"never_run"}, 20)
    assert wait_for(lambda: ours("DailyMetricsMonitorNotRun") and ours("DailyMetricsMonitorNotRunCritical"), 30)
    assert wait_for(lambda: received("notify", "DailyMetricsMonitorNotRun", "not_run")
                    and received("pager", "DailyMetricsMonitorNotRunCritical", "not_run"), 20)
    assert {a["pipeline"] for a in ours("DailyMetricsMonitorNotRun")} == {"not_run"}


def test_a_rerun_of_an_older_day_keeps_the_live_alerts(stack):
    """The live day is CRITICAL; a healthy rerun of an older day is judged, not pushed, and the page stays."""
    prometheus = stack["prometheus"]

    def sharp_drops():
        return {a["metric"] for a in firing(prometheus)
                if a["alertname"] == "DailyMetricsSharpDrop" and a.get("pipeline") == "rerun"}

    code, doc = run_job(stack, "rerun", "orders_drop")
    assert code == 1
    assert wait_for(lambda: sharp_drops() == {"orders", "revenue", "purchase_rate"}, 30)
    older = (date.fromisoformat(doc["date"]) - timedelta(days=10)).isoformat()
    code, doc = run_job(stack, "rerun", "orders_drop", day=older)
    assert code == 0 and doc["status"] == "ok" and doc["date"] == older
    time.sleep(5)  # five rule evaluations and scrapes later
    assert sharp_drops() == {"orders", "revenue", "purchase_rate"}
    assert [a for a in firing(prometheus)
            if a["alertname"] == "DailyMetricsStaleData" and a.get("pipeline") == "rerun"] == []
