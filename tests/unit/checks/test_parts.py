"""Optional parts of the model (issue 20): no attribution, no fact table, another or no traffic metric, fail_on."""

import pytest
from prometheus_client import generate_latest

from exporter.config import from_mapping
from exporter.errors import ConfigError
from exporter.judge import evaluate
from exporter.judge.model import Severity
from exporter.publish.gauges import RunInfo, build_registry
from exporter.render import dashboard, rule_tests, rules
from tests.support.factories import measurements, row, series
from tests.support.services import samples

BARE = {"fct_orders": None, "metrics": {"attribution_models": {}, "traffic": None}}


def checks(ev):
    return {(str(c.name), c.metric): c for c in ev.checks}


def test_defaults_keep_every_part():
    c = from_mapping({})
    assert (c.fact is not None, c.traffic, len(c.attribution_models), c.fail_on) == (True, "events", 2, "critical")


def test_null_fact_table_empty_attribution_and_no_traffic_are_accepted():
    c = from_mapping(BARE)
    assert (c.fact, c.attribution_models, c.traffic) == (None, (), None)
    assert c.logical_columns == ("events", "users", "sessions", "orders", "revenue", "add_to_cart_users",
                                 "checkout_users", "purchase_users")


@pytest.mark.parametrize("data, message", [
    ({"metrics": {"volume": ["orders", "revenue"]}},
     "metrics.traffic: 'events' is not in metrics.volume: name the volume metric that counts your traffic, "
     "or set metrics.traffic: null"),
    ({"metrics": {"traffic": "visits"}}, "metrics.traffic: 'visits' is not in metrics.volume"),
    ({"metrics": {"volume": ["events", "orders"]}}, "metrics.volume: must include 'revenue'"),
    ({"fail_on": "error"}, "fail_on: expected one of critical, warn, got 'error'"),
    ({"metrics": {"attribution_models": None}}, "metrics.attribution_models: expected a mapping ({} for none)"),
])
def test_what_remains_required_names_the_key(data, message):
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(").replace(")", r"\)")
                       .replace("{", r"\{").replace("}", r"\}")):
        from_mapping(data)


def test_no_fact_table_means_no_reconciliation_whatever_the_fact_numbers():
    c = from_mapping(BARE)
    ev = evaluate(measurements(row(), fact_orders=1, fact_revenue=5.0), c)  # would be CRITICAL with a fact table
    assert ev.severity is Severity.OK
    assert {name for name, _ in checks(ev)} == {"row_present", "valid_value", "drop"}
    assert ev.notes == ("no reconciliation: fct_orders is null in the config",
                        "no orders_with_traffic check: metrics.traffic is null in the config",
                        "no attribution checks: metrics.attribution_models is empty in the config")


def test_the_traffic_metric_can_be_another_volume_metric():
    c = from_mapping({"metrics": {"volume": ["sessions", "orders", "revenue"], "rates": {}, "traffic": "sessions"}})
    zero = row(orders=0, revenue=0.0, events=None)  # no events column at all in this mart: never read
    check = checks(evaluate(measurements(zero, series("sessions", [30_000] * 7)), c))[("orders_with_traffic",
                                                                                       "orders")]
    assert check.severity is Severity.CRITICAL
    assert check.message == "orders = 0 while traffic is normal (sessions = 30,000)"


def test_rules_dashboard_and_gauges_follow_what_is_configured():
    c = from_mapping(BARE)
    names = {a.name for a in rules.alerts(c)}
    assert not names & {"DailyMetricsReconciliationMismatch", "DailyMetricsAttributionCoverageLow",
                        "DailyMetricsOverAttribution", "DailyMetricsOrdersMissing"}
    assert "DailyMetricsSharpDrop" in names and "DailyMetricsRowMissing" in names
    tested = {t["alertname"] for case in rule_tests.test_file(c, "r.yml")["tests"] for t in case["alert_rule_test"]}
    assert tested <= names and "DailyMetricsRowMissing" in tested
    titles = {p["title"] for p in dashboard.dashboard(c)["panels"]}
    assert not titles & {"Attribution coverage", "Reconciliation difference (daily_metrics - fct_orders)"}
    found = samples(generate_latest(build_registry(c, RunInfo(1.0, 2.0), evaluate(measurements(row()), c))).decode())
    families = {key[0] for key in found}
    assert not families & {"dmm_threshold_attribution_coverage_min_ratio",
                           "dmm_threshold_reconciliation_revenue_tolerance", "dmm_reconciliation_difference",
                           "dmm_attribution_coverage_ratio"}
    assert ("dmm_threshold_warn_fraction_ratio", ("metric", "orders")) in found
