"""Every config number has a documented range; nesting, aliases and wrong types are one-line config errors."""

import copy
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.config import Config, from_mapping, load
from exporter.errors import ConfigError

CONFIGURATION = open("docs/configuration.md", encoding="utf-8").read()
DEFAULTS = yaml.safe_load(CONFIGURATION.split("```yaml\n", 1)[1].split("```", 1)[0])
BOMB = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'x'] * 10)}]\n" for i in range(7))


@pytest.mark.parametrize("text,message", [
    ("baseline: {days: 100000000}", "baseline.days: must be in [1, 365], got 100000000"),  # was 41-51 s, OverflowError
    ("baseline: {days: 366}", "baseline.days: must be in [1, 365], got 366"),
    ("baseline: {days: 365, min_days: 365}", None),
    ("baseline: {weeks: 53}", "baseline.weeks: must be in [1, 52], got 53"),
    ("baseline: {mode: same_weekday, weeks: 52, min_weeks: 52}", None),
    ("database: {connect_timeout_seconds: .inf}",
     "database.connect_timeout_seconds: expected a finite number, got inf"),
    ("database: {connect_timeout_seconds: 300.5}", "database.connect_timeout_seconds: must be in (0, 300], got 300.5"),
    ("database: {connect_timeout_seconds: 300, statement_timeout_seconds: 3600}", None),
    ("database: {statement_timeout_seconds: 3601}",
     "database.statement_timeout_seconds: must be in (0, 3600], got 3601"),
    ("database: {statement_timeout_seconds: .nan}", "database.statement_timeout_seconds: expected a finite number"),
    ("database: {memory_limit_mb: 64}", None),
    ("database: {memory_limit_mb: 63}", "database.memory_limit_mb: must be in [64, 1048576], got 63"),
    ("database: {memory_limit_mb: 1.5}", "database.memory_limit_mb: expected an integer, got 1.5"),
    ("thresholds: {warn: {z: -1001}, critical: {z: -1001}}", "thresholds.warn.z: must be in [-1000, 0), got -1001"),
    ("thresholds: {warn: {z: -1000}, critical: {z: -1000}}", None),
    ("thresholds: {warn: {z: 0}}", "thresholds.warn.z: must be in [-1000, 0), got 0"),
    ("thresholds: {critical: {frac: 0}}", "thresholds.critical.frac: must be in (0, 1], got 0"),
    ("thresholds: {warn: {frac: 1}}", None),
    ("thresholds: {spike: {critical: {frac: 1001}}}", "thresholds.spike.critical.frac: must be in (1, 1000], got 1001"),
    ("thresholds: {spike: {warn: {z: 0}}}", "thresholds.spike.warn.z: must be in (0, 1000], got 0"),
    ("thresholds: {reconciliation_revenue_tolerance: 1000000001}",
     "thresholds.reconciliation_revenue_tolerance: must be in [0, 1000000000], got 1000000001"),
    ("thresholds: {attribution_coverage_min: 1.01}",
     "thresholds.attribution_coverage_min: must be in [0, 1], got 1.01"),
    ("alerts: {not_run_warning_hours: 0}", "alerts.not_run_warning_hours: must be in (0, 8760], got 0"),
    ("alerts: {not_run_critical_hours: 8761}", "alerts.not_run_critical_hours: must be in (0, 8760], got 8761"),
    ("alerts: {not_run_warning_hours: 8760, not_run_critical_hours: 8760, data_lag_max_hours: 8760}", None),
    ("alerts: {data_lag_max_hours: 1e400}", "alerts.data_lag_max_hours: expected a number, got '1e400'"),
    ("alerts: {absent_for_minutes: 10081}", "alerts.absent_for_minutes: must be in [0, 10080], got 10081"),
    ("alerts: {absent_for_minutes: 0, scrape_interval_seconds: 3600}", None),
    ("alerts: {scrape_interval_seconds: 0.5}", "alerts.scrape_interval_seconds: must be in [1, 3600], got 0.5"),
    ("metrics: {overrides: {orders: {baseline: {days: 400}}}}",
     "metrics.overrides.orders.baseline.days: must be in [1, 365], got 400"),
    ("baseline: {days: " + "9" * 500 + "}", "baseline.days: must be in [1, 365], got 99999999999999999"),
    ("thresholds: {warn: {frac: 1" + "0" * 400 + "}}", "thresholds.warn.frac: expected a finite number, got 10000"),
    ('alerts: {"a\\nb": 1}', "alerts.'a\\nb': unknown key"),
    ("calendar: {table: 0}", "calendar.table: expected a mapping, got int"),  # was accepted silently
    ("calendar: {table: false}", "calendar.table: expected a mapping, got bool"),
    ("a: " + "[" * 3000 + "]" * 3000, "invalid YAML at line 1: nested deeper than 50 levels"),  # was RecursionError
    ("".join("  " * i + f"k{i}:\n" for i in range(3000)), "invalid YAML at line 50: nested deeper than 50 levels"),
    (BOMB + "daily_metrics: {table: *l6}", "invalid YAML at line 1: aliases expand to more than 100,000 values"),
    ("baseline: {days: " + "9" * 5000 + "}", "invalid YAML: Exceeds the limit (4300 digits)"),
])
def test_each_number_is_bounded_and_each_bad_document_is_one_config_error(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text + "\n")
    if message is None:
        assert isinstance(load(path), Config)
        return
    with pytest.raises(ConfigError) as error:
        load(path)
    assert str(error.value).startswith(f"config {path}: {message}") and "\n" not in str(error.value)
    assert len(str(error.value)) < 400


def test_the_cli_says_config_error_never_unexpected(tmp_path, capsys):
    from exporter.cli import main

    path = tmp_path / "c.yaml"
    path.write_text("a: " + "[" * 3000 + "]" * 3000 + "\n")
    assert main(["check", "--dsn", "sqlite:///nowhere.sqlite", "--config", str(path), "--no-push"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == (f"daily-metrics-monitor: error: config {path}: invalid YAML at line 1: "
                                 "nested deeper than 50 levels\n")


def _paths(data, prefix=()):
    """Every key path of the default config, leaves and sections."""
    for key, value in data.items():
        yield (*prefix, key)
        if isinstance(value, dict):
            yield from _paths(value, (*prefix, key))


junk = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
                 st.floats(), st.text(max_size=8), st.lists(st.integers(), max_size=3),
                 st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
                 st.sampled_from([sys.float_info.max, 10 ** 400, -0.0, 5e-324, [[[]]], {"": None}]))


@settings(max_examples=400, deadline=None)
@given(path=st.sampled_from(sorted(_paths(DEFAULTS))), value=junk)
def test_a_wrong_value_anywhere_is_a_config_error_naming_its_key(path, value):
    data = copy.deepcopy(DEFAULTS)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    try:
        from_mapping(data)
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).split(":")[0].split(".")[0].split("[")[0] in (*DEFAULTS, "top level")


@pytest.mark.parametrize("value", ["inf", "nan", "0", "301", "-1"])
def test_the_push_timeout_is_bounded(capsys, value):
    from exporter.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["check", "--push-timeout", value])
    assert exit_.value.code == 2
    assert f"--push-timeout: expected seconds in (0, 300], got '{value}'" in capsys.readouterr().err


def test_an_integer_too_long_to_print_is_named_by_its_size():
    """from_mapping with a Python int of 5,000 digits (YAML stops at 4,300): the message stays short."""
    with pytest.raises(ConfigError) as error:
        from_mapping({"baseline": {"days": 10 ** 5000}})
    assert str(error.value) == "baseline.days: must be in [1, 365], got an integer of about 5001 digits"
