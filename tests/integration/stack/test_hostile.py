"""Hostile segment values (issue 31) through every output, on real binaries: check (text and JSON), backtest
(text, JSON, CSV, page), the push, the rendered rules on a real Prometheus, Alertmanager's shipped template
(Slack) and the results ledger. Text never shows a value's control or bidi characters raw, JSON keeps the
exact value, labels never collide, and every alert description reads its numbers."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request
from contextlib import ExitStack, redirect_stdout
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
import yaml

from exporter.cli import main
from exporter.config import from_mapping
from exporter.render import render_all, rules_path, write
from tests.support import segmented
from tests.support.segmented import TARGET
from tests.support.services import free_port, pushgateway, recording_server, server
from tests.support.stack import alertmanager_config, firing, prometheus_config, slack, wait_for

pytestmark = pytest.mark.binaries

HOSTILE = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "Côte d'Ivoire", 'say "hi"',
           "a\rb", "x\n[OK] injected", "\x1b[2J", "\u202e0123", "x,channel=y", "x=y,", "a\\b", "K" * 10_000, "",
           "<!channel>"]
"""Every one of them a judged segment (equal shares of 20 orders a day); NULL rows join `other`."""
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
"""What a person's screen must never receive raw from data (a newline only between lines)."""
PIPELINE = "hostile"


def config_of(table: str, fact: str | None = None) -> dict:
    return {"daily_metrics": {"table": table}, "fct_orders": None,
            "metrics": {"volume": ["orders", "revenue"], "rates": {}, "attribution_models": {}, "traffic": None},
            "segments": {"columns": ["country"], "top_n": 20, "min_share": 0.05},
            "results": {"table": "dmm_results_hostile"}, "push": {"job": "dmm_hostile", "pipeline": PIPELINE}}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    dsn = f"sqlite:///{tmp / 'wh.sqlite'}"
    daily = segmented.rows(dict.fromkeys(HOSTILE, 20), today=dict.fromkeys(HOSTILE, 0))
    daily += [{"event_date": r["event_date"], "country": None, "orders": 3, "revenue": 30}
              for r in daily if r["country"] == ""]
    config_path = segmented.load(dsn, tmp, daily, country=sa.Text())
    table = yaml.safe_load(config_path.read_text())["daily_metrics"]["table"]
    config = tmp / "hostile.yaml"
    config.write_text(yaml.safe_dump(config_of(table)))
    return tmp, dsn, config


def run(*args) -> tuple[int, str]:
    with redirect_stdout(io.StringIO()) as out:
        code = main(list(args))
    return code, out.getvalue()


def assert_printable(text: str) -> None:
    assert not UNSAFE.findall(text)
    assert not [line for line in text.splitlines() if line.startswith("[OK] injected")]


def test_hostile_values_through_every_output(warehouse, capsys):
    tmp, dsn, config = warehouse
    labels = {value: segmented_label(value) for value in HOSTILE}
    assert len(set(labels.values())) == len(HOSTILE)
    with ExitStack() as stack:
        pager, pager_url = stack.enter_context(recording_server())
        gateway = stack.enter_context(pushgateway(tmp))
        rendered = tmp / "rendered"
        write(render_all(from_mapping(yaml.safe_load(config.read_text()))), rendered)
        am_port, prom_port = free_port(), free_port()
        am_config = rendered / "deploy" / "alertmanager.test.yml"
        am_config.write_text(yaml.safe_dump(alertmanager_config(rendered, pager_url)))
        alertmanager = stack.enter_context(server(
            "prometheus-alertmanager", [f"--config.file={am_config}", f"--storage.path={tmp / 'am'}",
                                        f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
            am_port, "/-/ready", tmp))
        (tmp / "prometheus.yml").write_text(yaml.safe_dump(prometheus_config(
            gateway.removeprefix("http://"), alertmanager.removeprefix("http://"),
            [rendered / rules_path(from_mapping(yaml.safe_load(config.read_text())))])))
        prometheus = stack.enter_context(server(
            "prometheus", [f"--config.file={tmp / 'prometheus.yml'}", f"--storage.tsdb.path={tmp / 'tsdb'}",
                           f"--web.listen-address=127.0.0.1:{prom_port}", "--rules.alert.resend-delay=1s"],
            prom_port, "/-/ready", tmp))

        assert run("results", "init", "--config", str(config), "--results-dsn", dsn)[0] == 0
        common = ["--dsn", dsn, "--config", str(config), "--date", TARGET.isoformat()]
        code, text = run("check", *common, "--no-push", "--results-dsn", dsn)
        assert code == 1
        assert_printable(text)
        code, document = run("check", *common, "--format", "json", "--pushgateway", gateway, "--results-dsn", dsn)
        assert code == 1 and capsys.readouterr().err == ""
        doc = json.loads(document)
        dropped = {c["segment"]["country"] for c in doc["checks"]
                   if c["name"] == "drop" and c["severity"] == "critical" and "country" in (c["segment"] or {})}
        assert dropped == set(HOSTILE)  # JSON keeps each exact value

        _backtest_outputs(tmp, dsn, config, labels)
        _ledger(dsn, labels)
        _alerts(prometheus, labels)
        _slack(pager, labels)


def segmented_label(value: str) -> str:
    from exporter.judge.model import Segment

    return Segment((("country", value),)).label


def _backtest_outputs(tmp, dsn, config, labels) -> None:
    common = ["backtest", "--dsn", dsn, "--config", str(config), "--from", TARGET.isoformat(),
              "--to", TARGET.isoformat()]
    code, text = run(*common)
    assert code == 0  # a backtest reports, it does not page
    assert_printable(text)
    code, document = run(*common, "--format", "json")
    checks = json.loads(document)["days"][0]["checks"]
    assert {c["segment"]["country"] for c in checks if c["segment"] and "country" in c["segment"]} == set(HOSTILE)
    code, table = run(*common, "--format", "csv")
    read = list(csv.DictReader(io.StringIO(table, newline="")))
    assert len(read) == len(checks)  # a CR or LF inside a value never splits a row
    assert {r["segment"] for r in read} >= set(labels.values())
    page = tmp / "page.html"
    run(*common, "--html", str(page), "--output", str(tmp / "report.txt"))
    html = page.read_text()
    assert_printable(html)
    tags = _Tags()
    tags.feed(html)
    assert not tags.found & {"script", "img"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.found.add(tag)


def _ledger(dsn, labels) -> None:
    engine = sa.create_engine(dsn)
    with engine.connect() as conn:
        stored = {r[0] for r in conn.exec_driver_sql(
            "SELECT DISTINCT segment FROM dmm_results_hostile WHERE check_name = 'drop'")}
    engine.dispose()
    long_label = labels["K" * 10_000]
    assert long_label not in stored and len({s for s in stored if s and s.startswith(long_label[:50])}) == 1
    assert {label for label in labels.values() if len(label) <= 63} <= stored
    assert len(stored) == len(labels) + 2  # every segment apart, other, the total (NULL)


def _alerts(prometheus, labels) -> None:
    def drops():
        return {a.get("segment") for a in firing(prometheus)
                if a.get("pipeline") == PIPELINE and a["alertname"] == "DailyMetricsSharpDrop"
                and a.get("metric") == "orders"}
    assert wait_for(lambda: drops() >= set(labels.values()), 60)
    with urllib.request.urlopen(prometheus + "/api/v1/alerts", timeout=5) as r:
        alerts = [a for a in json.load(r)["data"]["alerts"] if a["labels"].get("pipeline") == PIPELINE
                  and a["labels"]["alertname"] == "DailyMetricsSharpDrop" and a["labels"]["metric"] == "orders"
                  and a["labels"].get("segment")]
    assert len(alerts) == len(labels)
    for a in alerts:  # each description's numbers queried by its own labels: 0 against a median of 20
        description = a["annotations"]["description"]
        assert "error expanding" not in description and " = 0 vs 7-day median 20 (z=-" in description, description
        assert_printable(description)


def _slack(pager, labels) -> None:
    def lines():
        return [line for m in slack(pager, f"{PIPELINE}-pager") for line in m["text"].splitlines()
                if line.startswith("- drop orders [")]
    assert wait_for(lambda: len(lines()) >= len(labels), 60)
    text = "\n".join(m["text"] for m in slack(pager, f"{PIPELINE}-pager"))
    assert "<!channel>" not in text and "<script" not in text
    assert_printable(text)
    # every line names its segment, and so does the description Prometheus rendered for it
    named = {m.group(1) for m in (re.match(r"- drop orders \[(.*)\]: orders \[\1\] = 0 vs", line) for line in lines())
             if m}
    assert named == set(labels.values())
