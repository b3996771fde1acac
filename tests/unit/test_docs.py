"""The documentation is the user's contract: the hand-written pages name every scenario, check, metric and
alert the code has, and their configuration block is the defaults (moved with the text out of the README)."""

from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def page(name: str) -> str:
    return (DOCS / name).read_text()


def test_every_scenario_is_documented():
    from exporter.warehouse.demo_data import SCENARIOS

    for name in SCENARIOS:
        assert f"| `{name}` |" in page("commands.md")


def test_every_check_is_documented():
    from exporter.judge.model import CheckName

    for name in CheckName:
        assert f"| `{name}` |" in page("concepts/checks.md")


def test_every_metric_family_is_in_the_metrics_table():
    import re

    from exporter.families import FAMILIES

    for family in FAMILIES.values():
        cell = re.escape(", ".join(f"`{label}`" for label in family.labels))
        assert re.search(rf"^\| `{family.name}` \| *{cell} *\| \S", page("operations/metrics.md"), re.M), family.name


def test_every_alert_is_documented():
    from exporter.config import Config, from_mapping
    from exporter.render.rules import alerts

    spikes = from_mapping({"metrics": {"overrides": {"revenue": {"direction": "both"}}}})
    for alert in alerts(Config()) + alerts(spikes):
        assert f"| `{alert.name}` | {alert.severity.alert} |" in page("operations/alerts.md"), alert.name


def test_the_documented_config_is_valid_and_is_the_defaults():
    """The configuration page's block, read as a config, is exactly the built-in defaults."""
    import yaml

    from exporter.config import Config, from_mapping

    section = page("configuration.md")
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert from_mapping(yaml.safe_load(block)) == Config()
