"""The registry built from an evaluation (pure: no push)."""

import math

from prometheus_client import generate_latest

from exporter.config import Config
from exporter.families import FAMILIES
from exporter.judge import evaluate
from exporter.publish.gauges import RunInfo, build_registry
from tests.support.factories import measurements, row, series
from tests.support.services import samples


def scrape(evaluation):
    return samples(generate_latest(build_registry(Config(), RunInfo(100.0, 103.5), evaluation)).decode())


def test_flat_baseline_z_is_pushed_as_infinity():
    found = scrape(evaluate(measurements(row(orders=10), series("orders", [400] * 7)), Config()))
    assert found[("dmm_zscore", ("metric", "orders"))] == -math.inf
    assert found[("dmm_baseline_mad", ("metric", "orders"))] == 0


def test_undefined_values_get_no_series():
    found = scrape(evaluate(measurements(row(checkout_users=0)), Config()))
    assert ("dmm_metric_value", ("metric", "purchase_rate")) not in found
    assert ("dmm_zscore", ("metric", "purchase_rate")) not in found
    assert found[("dmm_check_status", ("check", "drop"), ("metric", "purchase_rate"))] == 1
    assert found[("dmm_check_evaluated", ("check", "drop"), ("metric", "purchase_rate"))] == 0
    assert found[("dmm_baseline_size", ("metric", "purchase_rate"))] == 7


def test_data_date_is_the_judged_day_at_midnight_utc():
    found = scrape(evaluate(measurements(row()), Config()))
    assert found[("dmm_data_date_timestamp_seconds",)] == 1795564800  # date -u -d 2026-11-25 +%s


def test_failed_run_has_only_run_health():
    found = scrape(None)
    assert found == {("dmm_up",): 0.0, ("dmm_last_run_timestamp_seconds",): 103.5,
                     ("dmm_run_duration_seconds",): 3.5}


def test_every_family_is_prefixed_and_named_by_convention():
    for name, labels in ((f.short, f.labels) for f in FAMILIES.values()):
        assert set(labels) <= {"metric", "check", "model"}
        assert not name.endswith("_total")
