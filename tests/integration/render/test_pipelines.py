"""Two pipelines of one job on one Prometheus: hand-written promtool cases against their rendered rules."""

import shutil
import subprocess
from pathlib import Path

import pytest

from exporter.cli import main
from exporter.config import from_mapping
from exporter.render import rules_path
from tests.support.services import binary

pytestmark = pytest.mark.binaries

HERE = Path(__file__).resolve().parents[2]  # tests/
SHOP_EU = {"push": {"pipeline": "shop_eu"}}
SHOP_US = {"push": {"pipeline": "shop_us"}, "alerts": {"scrape_interval_seconds": 60},
           "thresholds": {"warn": {"frac": 0.3, "z": -10}, "critical": {"frac": 0.1, "z": -20}}}
SEASONAL = {"push": {"pipeline": "seasonal"}, "metrics": {"overrides": {
    "checkout_rate": {"thresholds": {"warn": {"frac": 0.8, "z": -2}, "critical": {"frac": 0.5, "z": -4}}},
    "revenue": {"thresholds": {"warn": {"frac": 0.4, "z": -4}, "critical": {"frac": 0.2, "z": -6}}},
    "orders": {"baseline": {"mode": "same_weekday"}}}}}
SPIKY = {"push": {"pipeline": "spiky"}, "metrics": {"volume": ["events", "users", "sessions", "orders", "revenue",
                                                               "refunds"],
                                                    "overrides": {"refunds": {"direction": "spike"},
                                                                  "revenue": {"direction": "both"}}}}
BY_COUNTRY = {"push": {"pipeline": "by_country"}, "segments": {"columns": ["country"]}}
CASES = ("pipelines.test.yml", "seasonality.test.yml", "spikes.test.yml", "segments.test.yml")


@pytest.fixture
def rendered(tmp_path):
    """Both pipelines rendered side by side in one call, with the hand-written cases beside their rules."""
    import yaml

    paths = []
    for name, mapping in (("eu", SHOP_EU), ("us", SHOP_US), ("seasonal", SEASONAL), ("spiky", SPIKY),
                          ("by_country", BY_COUNTRY)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(mapping))
        paths += ["--config", str(path)]
    assert main(["render", "--out", str(tmp_path), *paths]) == 0
    rules = tmp_path / "alert_rules"
    for cases in CASES:
        shutil.copy(HERE / "promtool" / cases, rules)
    return rules


def promtool_test(rules: Path, cases: str = "pipelines.test.yml"):
    return subprocess.run([binary("promtool"), "test", "rules", cases], cwd=rules,
                          capture_output=True, text=True, timeout=60)


def broken_rules_test(rendered: Path, rule_file: str, mutation: str, broken: str, cases: str):
    """promtool's run of `cases` after every `mutation` in the rendered `rule_file` became `broken`."""
    rules = rendered / rule_file
    assert mutation in rules.read_text()
    rules.write_text(rules.read_text().replace(mutation, broken))  # every occurrence
    return promtool_test(rendered, cases)


def test_renders_of_two_pipelines_live_side_by_side(rendered):
    names = sorted(p.name for p in rendered.rglob("*.yml"))
    assert names == ["by_country.rules.yml", "by_country.test.yml", "pipelines.test.yml", "seasonal.rules.yml",
                     "seasonal.test.yml", "seasonality.test.yml", "segments.test.yml", "shop_eu.rules.yml",
                     "shop_eu.test.yml", "shop_us.rules.yml", "shop_us.test.yml", "spikes.test.yml", "spiky.rules.yml",
                     "spiky.test.yml"]
    assert sorted(p.name for p in (rendered.parent / "grafana" / "dashboards").iterdir()) == \
        ["by_country.json", "seasonal.json", "shop_eu.json", "shop_us.json", "spiky.json"]
    for pipeline in ("shop_eu", "shop_us", "seasonal", "spiky", "by_country"):  # and each passes its own rendered tests
        result = subprocess.run([binary("promtool"), "test", "rules", f"tests/{pipeline}.test.yml"], cwd=rendered,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("cases", CASES)
def test_hand_written_cases_pass(rendered, cases):
    result = promtool_test(rendered, cases)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("mutation, broken, failing_case", [
    ("unless on (job, pipeline) dmm_known_event", "unless on (job, pipeline) dmm_known_event_gone",
     "known-event day holds"),
    ('metric=~"checkout_rate"} < 0.8', 'metric=~"checkout_rate"} <= 0.8', "exactly at the override's frac"),
    ('metric!~"checkout_rate|revenue"', 'metric=~".+"', "between the default and the override"),
    ('metric=~"orders"} < 3', 'metric=~"orders"} < 5', "each metric's own minimum"),
])
def test_the_seasonality_cases_catch_a_broken_rule(rendered, mutation, broken, failing_case):
    result = broken_rules_test(rendered, "seasonal.rules.yml", mutation, broken, "seasonality.test.yml")
    assert result.returncode == 1 and failing_case in result.stdout + result.stderr


@pytest.mark.parametrize("mutation, broken, failing_case", [
    ("> 3.333 and", ">= 3.333 and", "frac exactly at the CRITICAL level"),
    (">= 3)", "> 3)", "z exactly at the WARN level"),
    ('metric!~"refunds"', 'metric=~".+"', "a fall of refunds is no incident"),
    ('metric!~"add_to_cart_rate|checkout_rate|events|orders|purchase_rate|sessions|users"', 'metric=~".+"',
     "a tripling of orders is no spike"),
])
def test_the_spike_cases_catch_a_broken_rule(rendered, mutation, broken, failing_case):
    result = broken_rules_test(rendered, "spiky.rules.yml", mutation, broken, "spikes.test.yml")
    assert result.returncode == 1 and failing_case in result.stdout + result.stderr


@pytest.mark.parametrize("mutation, failing_case", [
    ('pipeline="shop_eu"', "fires by each pipeline's own thresholds"),  # a rule that selects on job only
    ("on (job, pipeline, metric)", "not a drop"),  # a rule that matches across metrics
    ("keep_firing_for: 120s", "one missed scrape"),
])
def test_the_cases_catch_a_broken_rule(rendered, mutation, failing_case):
    broken = {'pipeline="shop_eu"': 'pipeline=~".+"', "on (job, pipeline, metric)": "on (job, pipeline)",
              "keep_firing_for: 120s": "keep_firing_for: 0s"}[mutation]
    result = broken_rules_test(rendered, "shop_eu.rules.yml", mutation, broken, "pipelines.test.yml")
    assert result.returncode == 1 and failing_case in result.stdout + result.stderr


@pytest.mark.parametrize("mutation, broken, failing_case", [
    ("on (job, pipeline, metric, segment)", "on (job, pipeline, metric)", "the bounds match within a segment"),
    ("{{ with $labels.segment }} [{{ . }}]{{ end }}", "", "fires with its segment"),
    ("segment=%q}", "}", "fires with its segment"),  # the description's numbers of another series
    ("unless on (job, pipeline, metric, segment)\n", "unless on (job, pipeline, metric)\n", "stays WARN"),
])
def test_the_segment_cases_catch_a_broken_rule(rendered, mutation, broken, failing_case):
    result = broken_rules_test(rendered, "by_country.rules.yml", mutation, broken, "segments.test.yml")
    assert result.returncode == 1 and failing_case in result.stdout + result.stderr


def test_two_configs_for_one_pipeline_are_refused(tmp_path, capsys):
    config = tmp_path / "a.yaml"
    config.write_text("push: {pipeline: shop_eu}\n")
    assert main(["render", "--out", str(tmp_path), "--config", str(config), "--config", str(config)]) == 2
    assert "two configs name the same pipeline" in capsys.readouterr().err
    assert not (tmp_path / rules_path(from_mapping(SHOP_EU))).exists()


@pytest.mark.parametrize("labels, receiver", [
    (["severity=critical", "pipeline=shop_us", "job=daily_metrics_monitor"], "shop_us-pager"),
    (["severity=warning", "pipeline=shop_us", "job=daily_metrics_monitor"], "shop_us-notify"),
    (["severity=critical", "pipeline=shop_eu", "job=daily_metrics_monitor"], "shop_eu-pager"),
    (["severity=warning", "pipeline=shop_eu", "job=daily_metrics_monitor"], "shop_eu-notify"),
    (["severity=critical", "pipeline=unknown", "job=daily_metrics_monitor"], "shop_eu-pager"),
])
def test_each_pipeline_routes_to_its_own_receivers(rendered, labels, receiver):
    config = rendered.parent / "deploy" / "alertmanager.yml"
    assert subprocess.run([binary("amtool"), "check-config", str(config)], capture_output=True).returncode == 0
    result = subprocess.run([binary("amtool"), "config", "routes", "test", f"--config.file={config}", *labels],
                            capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == receiver, result.stderr
