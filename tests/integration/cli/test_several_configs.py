"""Several configs in one run and --fail-on warn, against a real Pushgateway (issue 20, parts 2 and 3)."""

import itertools
import json
from datetime import date, timedelta

import pytest

from exporter.cli import main
from exporter.warehouse.demo_data import build
from tests.support import db
from tests.support.services import free_port, get, pushgateway, samples

pytestmark = pytest.mark.binaries
DAY = date.today() - timedelta(days=1)
VERDICTS = {"ok": "healthy", "warn": "coverage_collapse", "critical": "orders_drop", "error": None}
"""Each verdict a config can come to, and the demo scenario that brings it (None: its table does not exist)."""


def expected_code(verdicts, push_fails: bool) -> int:
    """The README's order, by hand: 1 if any is CRITICAL, else 2 if any could not evaluate, else 3, else 0."""
    if "critical" in verdicts:
        return 1
    if "error" in verdicts:
        return 2
    return 3 if push_fails else 0


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """One SQLite warehouse holding a daily and a fact table per scenario, and a config per (slot, verdict)."""
    tmp = tmp_path_factory.mktemp("several")
    url = f"sqlite:///{tmp / 'wh.sqlite'}"
    for scenario in filter(None, VERDICTS.values()):
        wh = build(scenario, last_day=DAY, days=30, scale=0.1)
        db.write_warehouse(db.parse_dsn(url), list(wh.daily), list(wh.orders), f"dm_{scenario}", f"fo_{scenario}")
    configs = {}
    for slot, (verdict, scenario) in itertools.product("ab", VERDICTS.items()):
        path = tmp / f"{slot}_{verdict}.yaml"
        table = scenario or "missing"
        path.write_text(f"daily_metrics: {{table: dm_{table}}}\nfct_orders: {{table: fo_{table}}}\n"
                        f"push: {{pipeline: {slot}_{verdict}}}\n")
        configs[slot, verdict] = str(path)
    return url, configs


@pytest.fixture(scope="module")
def gateway(tmp_path_factory):
    with pushgateway(tmp_path_factory.mktemp("gateway")) as url:
        yield url


def groups(gateway: str, job: str) -> dict[str, float]:
    """pipeline -> dmm_up of every group of `job` on the gateway."""
    return {dict(key[1:])["pipeline"]: value for key, value in samples(get(gateway + "/metrics"), "dmm_up").items()
            if dict(key[1:]).get("job") == job}


@pytest.mark.parametrize("first, second", list(itertools.product(VERDICTS, VERDICTS)))
def test_two_configs_exit_with_the_worst_and_push_two_groups(warehouse, gateway, capsys, first, second):
    url, configs = warehouse
    job = f"j_{first}_{second}"
    code = main(["check", "--dsn", url, "--date", DAY.isoformat(), "--config", configs["a", first],
                 "--config", configs["b", second], "--pushgateway", gateway, "--job", job, "--format", "json"])
    out, err = capsys.readouterr()
    docs = [json.loads(line) for line in out.splitlines()]  # JSON lines: one document per config
    assert code == expected_code((first, second), push_fails=False), out + err
    assert [(d["config"], d["status"]) for d in docs] == [(configs["a", first], first), (configs["b", second], second)]
    assert groups(gateway, job) == {f"a_{first}": float(first != "error"), f"b_{second}": float(second != "error")}


@pytest.mark.parametrize("first, second", list(itertools.product(VERDICTS, VERDICTS)))
def test_a_failed_push_ranks_below_data_and_errors(warehouse, capsys, first, second):
    url, configs = warehouse
    code = main(["check", "--dsn", url, "--date", DAY.isoformat(), "--config", configs["a", first],
                 "--config", configs["b", second], "--pushgateway", f"http://127.0.0.1:{free_port()}",
                 "--push-attempts", "1"])
    err = capsys.readouterr().err
    assert code == expected_code((first, second), push_fails=True)
    assert err.count("failed after 1 attempt(s)") == 2  # each config tried its own group


def test_the_text_report_is_headed_by_each_config(warehouse, capsys):
    url, configs = warehouse
    assert main(["check", "--dsn", url, "--date", DAY.isoformat(), "--config", configs["a", "ok"],
                 "--config", configs["b", "warn"]]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"config {configs['a', 'ok']} (pipeline a_ok):\n[OK] ")
    assert f"\nconfig {configs['b', 'warn']} (pipeline b_warn):\n[WARN] attribution_coverage" in out


@pytest.mark.parametrize("args, message", [
    (["--pipeline", "x"], "--pipeline / DMM_PIPELINE name one push group"),
    (["--textfile", "/tmp/x.prom"], "--textfile holds one push group"),
])
def test_one_group_options_are_refused_with_several_configs(warehouse, capsys, args, message):
    url, configs = warehouse
    assert main(["check", "--dsn", url, "--config", configs["a", "ok"], "--config", configs["b", "ok"], *args]) == 2
    assert capsys.readouterr().err.startswith(f"daily-metrics-monitor: error: {message}")


def test_two_configs_naming_one_group_are_refused(warehouse, capsys):
    url, configs = warehouse
    assert main(["check", "--dsn", url, "--config", configs["a", "ok"], "--config", configs["a", "ok"]]) == 2
    assert "name the same push group (job daily_metrics_monitor, pipeline a_ok)" in capsys.readouterr().err


@pytest.mark.parametrize("fail_on, from_config, verdict, code", [
    (None, False, "warn", 0), ("warn", False, "warn", 1), ("warn", False, "ok", 0), ("warn", False, "critical", 1),
    (None, True, "warn", 1), ("critical", True, "warn", 0),  # the option wins over the config's fail_on
])
def test_fail_on_warn(warehouse, tmp_path, capsys, fail_on, from_config, verdict, code):
    url, configs = warehouse
    config = tmp_path / "c.yaml"
    config.write_text(open(configs["a", verdict]).read() + ("fail_on: warn\n" if from_config else ""))
    args = ["check", "--dsn", url, "--date", DAY.isoformat(), "--config", str(config), "--no-push"]
    assert main(args + (["--fail-on", fail_on] if fail_on else [])) == code
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"{verdict.upper()}: daily_metrics for {DAY}")


def test_a_config_that_cannot_be_read_does_not_stop_the_others(warehouse, tmp_path, capsys):
    url, configs = warehouse
    bad = tmp_path / "bad.yaml"
    bad.write_text("thresholds: {warn: {frac: 2}}\n")
    code = main(["check", "--dsn", url, "--date", DAY.isoformat(), "--config", str(bad), "--config",
                 configs["b", "critical"], "--format", "json"])
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1 and [d["status"] for d in docs] == ["error", "critical"]
    assert docs[0] == {"config": str(bad), "status": "error",
                       "error": f"config {bad}: thresholds.warn.frac: must be in (0, 1], got 2"}
