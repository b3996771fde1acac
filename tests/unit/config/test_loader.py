"""Config loading and validation: defaults, every key, errors that name the key."""

import pytest

from exporter.config import Config, from_mapping, load
from exporter.errors import ConfigError


def test_no_file_gives_the_documented_defaults():
    c = load(None)
    assert c == Config()
    t = c.thresholds
    assert (t.warn_frac, t.warn_z, t.critical_frac, t.critical_z) == (0.6, -3.0, 0.3, -5.0)
    assert (t.coverage_min, t.revenue_tolerance) == (0.1, 0.01)
    b = c.baseline
    assert (b.mode, b.days, b.min_days, b.weeks, b.min_weeks) == ("rolling", 7, 5, 4, 3)
    assert (t.spike_warn_frac, t.spike_warn_z, t.spike_critical_frac, t.spike_critical_z) == (1.667, 3, 3.333, 5)
    assert b.exclude_alerted is True and c.calendar_shifts == ()
    # exclude_alerted: a reach of 6 x 7 = 42 days, ceil(42 / ceil(7 / 2)) = 11 levels, so (11 + 1) x 42 days read,
    # and escalate_after_days 3 judges the 2 days before D as well: 504 + 2
    assert c.overrides == () and c.calendar_events == () and c.calendar_table is None and c.lookback == 506
    assert {c.drop_rule(m).direction for m in c.drop_metrics} == {"drop"}
    assert c.volume_metrics == ("events", "users", "sessions", "orders", "revenue")
    assert [(r.name, r.numerator, r.denominator) for r in c.rates] == [
        ("add_to_cart_rate", "add_to_cart_users", "users"),
        ("checkout_rate", "checkout_users", "add_to_cart_users"),
        ("purchase_rate", "purchase_users", "checkout_users")]
    assert [m.name for m in c.attribution_models] == ["first_click", "last_click"]
    assert (c.fact.table.name, c.fact.date_column, c.fact.revenue_column) == ("fct_orders", "order_date", "revenue")


def test_empty_file_is_the_defaults(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("")
    assert load(path) == Config()


def test_every_key_is_read(tmp_path):
    path = tmp_path / "full.yaml"
    path.write_text("""
daily_metrics: {table: dm, schema: marts, date_column: day, columns: {events: hits}}
fct_orders: {table: orders, schema: core, timestamp_column: created_at, revenue_column: amount}
metrics:
  volume: [events, orders, revenue]
  rates: {conversion: {numerator: orders, denominator: events}}
  attribution_models: {linear: {orders: lin_orders, revenue: lin_revenue}}
  overrides: {revenue: {direction: both}}
baseline: {days: 14, min_days: 10, exclude_alerted: false}
calendar: {shifts: [{date: 2026-11-10, name: new checkout, metrics: [orders]}]}
thresholds:
  warn: {frac: 0.7, z: -2.5}
  critical: {frac: 0.4, z: -4}
  spike: {warn: {frac: 1.5, z: 2.5}, critical: {frac: 3, z: 4}}
  attribution_coverage_min: 0.2
  reconciliation_revenue_tolerance: 1
database: {connect_timeout_seconds: 3, statement_timeout_seconds: 5}
push: {job: dq, pipeline: shop}
alerts: {not_run_warning_hours: 25, not_run_critical_hours: 49, data_lag_max_hours: 50}
""")
    c = load(path)
    assert (c.daily_table.display, c.date_column, c.column("events"), c.column("orders")) == \
           ("marts.dm", "day", "hits", "orders")
    assert (c.fact.table.display, c.fact.date_column, c.fact.timestamp_column, c.fact.revenue_column) == \
           ("core.orders", None, "created_at", "amount")
    assert c.volume_metrics == ("events", "orders", "revenue")
    assert [(r.name, r.numerator, r.denominator) for r in c.rates] == [("conversion", "orders", "events")]
    assert [(m.name, m.orders, m.revenue) for m in c.attribution_models] == [("linear", "lin_orders", "lin_revenue")]
    t = c.thresholds
    assert (t.warn_frac, t.warn_z, t.critical_frac, t.critical_z, t.coverage_min, t.revenue_tolerance) == \
           (0.7, -2.5, 0.4, -4.0, 0.2, 1.0)
    assert (t.spike_warn_frac, t.spike_warn_z, t.spike_critical_frac, t.spike_critical_z) == (1.5, 2.5, 3, 4)
    assert (c.baseline.days, c.baseline.min_days, c.baseline.exclude_alerted, c.lookback) == (14, 10, False, 16)
    assert c.drop_rule("revenue").direction == "both" and c.drop_rule("orders").direction == "drop"
    assert [(s.day.isoformat(), s.name, s.metrics) for s in c.calendar_shifts] == \
           [("2026-11-10", "new checkout", ("orders",))]
    assert (c.connect_timeout_seconds, c.statement_timeout_seconds, c.job, c.pipeline) == (3, 5, "dq", "shop")
    assert (c.alerting.not_run_warning_hours, c.alerting.not_run_critical_hours, c.alerting.data_lag_max_hours) == \
           (25, 49, 50)
    assert c.logical_columns == ("events", "orders", "revenue", "lin_orders", "lin_revenue")


@pytest.mark.parametrize("data,message", [
    ({"thresholds": {"warm": {}}}, "thresholds.warm: unknown key"),
    ({"thresholds": {"warn": {"frac": "high"}}}, "thresholds.warn.frac: expected a number, got 'high'"),
    ({"thresholds": {"warn": {"z": True}}}, "thresholds.warn.z: expected a number"),
    ({"baseline": {"days": 7.5}}, "baseline.days: expected an integer"),
    ({"baseline": {"min_days": 8}}, "baseline.min_days: must be between 1 and baseline.days"),
    ({"thresholds": {"critical": {"frac": -0.3}}}, "thresholds.critical.frac: must be in (0, 1]"),
    ({"thresholds": {"attribution_coverage_min": -0.1}}, "thresholds.attribution_coverage_min: must be in [0, 1]"),
    ({"thresholds": {"reconciliation_revenue_tolerance": -1}},
     "thresholds.reconciliation_revenue_tolerance: must be in [0, 1000000000], got -1"),
    ({"thresholds": {"warn": {"frac": 0.2}}}, "thresholds.warn.frac: WARN must not be stricter than CRITICAL"),
    ({"thresholds": {"warn": {"z": -6}}}, "thresholds.warn.z: WARN must not be stricter than CRITICAL"),
    ({"thresholds": {"critical": {"z": 5}}}, "thresholds.critical.z: must be in [-1000, 0), got 5"),
    ({"daily_metrics": {"table": "orders; DROP TABLE x"}}, "daily_metrics.table: expected an identifier"),
    ({"daily_metrics": {"columns": {"events": 'ev"ents'}}}, "daily_metrics.columns.events: expected an identifier"),
    ({"fct_orders": {"revenue_column": "a b"}}, "fct_orders.revenue_column: expected an identifier"),
    ({"fct_orders": {"date_column": None}}, "fct_orders: set exactly one of date_column and timestamp_column"),
    ({"fct_orders": {"date_column": "d", "timestamp_column": "t"}}, "set exactly one"),
    ({"metrics": {"volume": ["events", "orders"]}}, "metrics.volume: must include 'revenue'"),
    ({"metrics": {"volume": []}}, "metrics.volume: expected a non-empty list"),
    ({"metrics": {"rates": {"r": {"numerator": "a"}}}}, "metrics.rates.r.denominator: required"),
    ({"metrics": {"rates": {"r": {"numerator": "a", "denominator": "b", "x": 1}}}}, "metrics.rates.r.x: unknown key"),
    ({"metrics": {"rates": {"events": {"numerator": "a", "denominator": "b"}}}}, "names must be unique"),
    ({"metrics": {"attribution_models": []}}, "metrics.attribution_models: expected a mapping ({} for none), got list"),
    ({"database": {"statement_timeout_seconds": 0}}, "database.statement_timeout_seconds: must be in (0, 3600], got 0"),
    ({"push": {"job": "my job"}}, "push.job: expected an identifier"),
    ({"alerts": {"not_run_warning_hours": 60}}, "alerts.not_run_warning_hours: must be at most not_run_critical_hours"),
    (["a"], "top level: expected a mapping, got list"),
    ({"daily_metrics": 3}, "daily_metrics: expected a mapping, got int"),
])
def test_invalid_config_names_the_key(data, message):
    with pytest.raises(ConfigError) as info:
        from_mapping(data)
    assert message in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("thresholds:\n  warn: [\n")
    with pytest.raises(ConfigError, match=r"bad.yaml: invalid YAML at line \d"):
        load(path)


def test_an_unknown_logical_column_names_the_key_and_the_closest_metric():
    with pytest.raises(ConfigError, match=r"^daily_metrics.columns.sesions: unknown metric \(did you mean "
                                          r"'sessions'\?\)$"):
        from_mapping({"daily_metrics": {"columns": {"sesions": "visits"}}})
    with pytest.raises(ConfigError, match=r"^daily_metrics.columns.zzz: unknown metric: a key is one of events, "):
        from_mapping({"daily_metrics": {"columns": {"zzz": "visits"}}})


def test_an_unknown_key_suggests_the_closest_known_key():
    with pytest.raises(ConfigError, match=r"^thresholds.critcal: unknown key \(did you mean 'critical'\?\)$"):
        from_mapping({"thresholds": {"critcal": {"frac": 0.2}}})
    with pytest.raises(ConfigError, match=r"^bogus: unknown key$"):
        from_mapping({"bogus": 1})


def test_invalid_yaml_says_what_the_parser_found(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("thresholds:\n  warn: {frac: 0.5\n  x: [\n")
    with pytest.raises(ConfigError) as error:
        load(path)
    assert str(error.value) == (f"config {path}: invalid YAML at line 3: expected ',' or '}}', but got ':' "
                                "(while parsing a flow mapping)")


@pytest.mark.parametrize("mapping, message", [
    ({"baseline": {"mode": "weekly"}}, "baseline.mode: expected one of rolling, same_weekday, got 'weekly'"),
    ({"baseline": {"weeks": 0}}, "baseline.weeks: must be in [1, 52], got 0"),
    ({"baseline": {"weeks": 4, "min_weeks": 5}}, "baseline.min_weeks: must be between 1 and baseline.weeks"),
    ({"metrics": {"overrides": {"ordrs": {}}}}, "metrics.overrides.ordrs: unknown metric or rate (did you mean "
                                                "'orders'?)"),
    ({"metrics": {"overrides": {"orders": {"thresholds": {"warn": {"frac": 0.1}}}}}},
     "metrics.overrides.orders.thresholds.warn.frac: WARN must not be stricter than CRITICAL"),
    ({"metrics": {"overrides": {"orders": {"thresholds": {"attribution_coverage_min": 0.5}}}}},
     "metrics.overrides.orders.thresholds.attribution_coverage_min: unknown key"),
    ({"metrics": {"overrides": {"orders": {"baseline": {"mode": "same_weekday", "min_weeks": 9}}}}},
     "metrics.overrides.orders.baseline.min_weeks: must be between 1 and baseline.weeks"),
    ({"calendar": {"events": [{"date": "2026-13-01", "name": "x"}]}},
     "calendar.events[0].date: expected a date YYYY-MM-DD, got '2026-13-01'"),
    ({"calendar": {"events": [{"date": "2026-12-25"}]}}, "calendar.events[0]: needs both date and name"),
    ({"calendar": {"events": [{"date": "2026-12-25", "name": "two\nlines"}]}}, "calendar.events[0].name: expected"),
    ({"calendar": {"table": {"date_column": "day"}}}, "calendar.table.name: required"),
    ({"calendar": {"table": {"name": "dim_holidays", "colour": "x"}}}, "calendar.table.colour: unknown key"),
])
def test_seasonality_keys_are_validated_with_the_key_named(mapping, message):
    with pytest.raises(ConfigError) as error:
        from_mapping(mapping)
    assert str(error.value).startswith(message)
