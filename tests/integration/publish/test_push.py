"""The Pushgateway export against the real prometheus-pushgateway binary."""

import calendar
import json
import math
import time
from datetime import date, timedelta

import pytest

from exporter.cli import main
from tests.support.services import free_port, garbage_server, get, pushgateway, recording_server, samples

GROUP = (("instance", ""), ("job", "daily_metrics_monitor"), ("pipeline", "daily_metrics"))
BCRYPT_OF_GW_PASSWORD = "$2b$04$daDopi5ND.Laf/erLyQvlOMMzvdHwtdxnU.YTAeMKiBmbw6HLfajG"  # "gw-Pa55word"


@pytest.fixture
def gateway(tmp_path):
    with pushgateway(tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_wh(make_warehouse, tmp_path):
    return lambda scenario="healthy": make_warehouse(f"sqlite:///{tmp_path / (scenario + '.sqlite')}", scenario)


def run(capsys, args):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def gauge(found, name, **labels):
    key = (f"dmm_{name}", *sorted({**dict(GROUP), **labels}.items()))
    return found.get(key)


def assert_same(pushed, reported):
    if reported is None:
        assert pushed is None
    else:
        assert pushed == pytest.approx(reported, rel=1e-12)


@pytest.mark.parametrize("scenario", ["healthy", "orders_drop", "reconciliation_mismatch", "coverage_collapse",
                                      "null_revenue", "insufficient_history"])
def test_every_reported_number_is_scraped_with_the_same_value(capsys, gateway, sqlite_wh, scenario):
    wh = sqlite_wh(scenario)
    _code, out, err = run(capsys, wh.args("--format", "json", "--pushgateway", gateway))
    assert err == ""
    doc = json.loads(out)
    found = samples(get(gateway + "/metrics"), "dmm_")
    assert gauge(found, "up") == 1
    assert gauge(found, "status") == {"ok": 0, "warn": 1, "critical": 2}[doc["status"]]
    assert gauge(found, "daily_rows") == 1
    assert gauge(found, "threshold_critical_zscore", metric="orders") == -5
    assert gauge(found, "threshold_warn_fraction_ratio", metric="checkout_rate") == 0.6
    assert gauge(found, "threshold_min_baseline_size", metric="events") == 5 and gauge(found, "known_event") == 0
    day = time.mktime(time.strptime(doc["date"], "%Y-%m-%d")) - time.timezone
    assert gauge(found, "data_date_timestamp_seconds") == day
    assert gauge(found, "last_success_timestamp_seconds") == gauge(found, "last_run_timestamp_seconds")
    assert 0 < gauge(found, "run_duration_seconds") < 30
    for c in doc["checks"]:
        labels = {"check": c["name"], "metric": c["metric"]}
        assert gauge(found, "check_status", **labels) == {"ok": 0, "warn": 1, "critical": 2}[c["severity"]]
        assert gauge(found, "check_evaluated", **labels) == (0 if c["outcome"] == "not_evaluated" else 1)
        m = {"metric": c["metric"]}
        if c["name"] == "drop":
            assert_same(gauge(found, "metric_value", **m), c["value"])
            assert_same(gauge(found, "baseline_median", **m), c["median"])
            assert_same(gauge(found, "baseline_mad", **m), c["mad"])
            assert_same(gauge(found, "fraction_of_median_ratio", **m), c["frac"])
            assert_same(gauge(found, "baseline_size", **m), c["baseline_days"])
            if c.get("note"):
                assert math.isinf(gauge(found, "zscore", **m))
            else:
                assert_same(gauge(found, "zscore", **m), c["z"])
        if c["name"] == "attribution_coverage":
            assert_same(gauge(found, "attribution_coverage_ratio", model=c["model"], metric=c["metric"]), c["coverage"])
        if c["name"] == "attribution_bound":
            assert_same(gauge(found, "metric_value", **m), c["value"])
        if c["name"] == "reconciliation":
            assert_same(gauge(found, "reconciliation_daily_value", **m), c["value"])
            assert_same(gauge(found, "reconciliation_fact_value", **m), c["expected"])
            assert_same(gauge(found, "reconciliation_difference", **m), c["difference"])
    pushed = [dict(k[1:]) for k in found if k[0] == "dmm_check_status"]
    reported = {(c["name"], c["metric"]) for c in doc["checks"]}
    assert {(labels["check"], labels["metric"]) for labels in pushed} == reported


def test_default_config_series_count(capsys, gateway, sqlite_wh):
    wh = sqlite_wh("healthy")
    assert run(capsys, wh.args("--pushgateway", gateway))[0] == 0
    found = samples(get(gateway + "/metrics"), "dmm_")
    families = {k[0] for k in found}
    assert len(families) == 28
    # 23 checks x (status + evaluated) + 8 drops x 7 (value, median, MAD, z, frac, baseline size, escalation
    # streak) + 4 attributed values + 2 coverage + 2 x 3 reconciliation
    # + 8 drops x 5 thresholds + 2 other thresholds + 8 run/overall gauges (up, last run, duration, data date,
    # last success, status, daily rows, known event)
    assert len(found) == 46 + 56 + 4 + 2 + 6 + 40 + 2 + 8


def test_second_push_replaces_the_group(capsys, gateway, sqlite_wh):
    first = sqlite_wh("healthy")
    assert run(capsys, first.args("--pushgateway", gateway))[0] == 0
    before = samples(get(gateway + "/metrics"))
    push_time = next(v for k, v in before.items() if k[0] == "push_time_seconds")
    assert gauge(before, "check_status", check="drop", metric="events") == 0
    time.sleep(0.05)
    missing = sqlite_wh("missing_day")
    assert run(capsys, missing.args("--pushgateway", gateway))[0] == 1
    after = samples(get(gateway + "/metrics"))
    assert gauge(after, "check_status", check="drop", metric="events") is None  # stale series gone
    assert gauge(after, "metric_value", metric="orders") is None
    assert gauge(after, "check_status", check="row_present", metric="daily_metrics") == 2
    assert gauge(after, "daily_rows") == 0
    assert next(v for k, v in after.items() if k[0] == "push_time_seconds") > push_time
    assert len([k for k in after if k[0] == "dmm_check_status"]) == 1


def test_database_down_still_pushes_up_zero(capsys, gateway, monkeypatch):
    monkeypatch.setenv("DMM_DSN", "postgresql+psycopg://monitor:db-Secret@127.0.0.1:1/test")
    code, out, err = run(capsys, ["check", "--date", "2026-11-01", "--pushgateway", gateway])
    assert code == 2 and out == "" and "cannot connect" in err and "db-Secret" not in err
    found = samples(get(gateway + "/metrics"), "dmm_")
    assert set(k[0] for k in found) == {"dmm_up", "dmm_last_run_timestamp_seconds", "dmm_run_duration_seconds"}
    assert gauge(found, "up") == 0


def test_a_failed_run_keeps_the_last_verdict(capsys, gateway, sqlite_wh):
    """A rerun that cannot read the database adds up=0; the CRITICAL verdict and its alerts stay."""
    wh = sqlite_wh("orders_drop")
    assert run(capsys, wh.args("--pushgateway", gateway))[0] == 1
    before = samples(get(gateway + "/metrics"), "dmm_")
    down = ["check", "--dsn", "postgresql+psycopg://monitor@127.0.0.1:1/test", "--config", str(wh.config_path),
            "--date", wh.last_day.isoformat(), "--pushgateway", gateway]
    assert run(capsys, down)[0] == 2
    after = samples(get(gateway + "/metrics"), "dmm_")
    assert gauge(after, "up") == 0
    assert gauge(after, "check_status", check="drop", metric="orders") == 2
    assert gauge(after, "data_date_timestamp_seconds") == gauge(before, "data_date_timestamp_seconds")
    assert gauge(after, "last_success_timestamp_seconds") == gauge(before, "last_success_timestamp_seconds")
    assert gauge(after, "last_run_timestamp_seconds") > gauge(before, "last_run_timestamp_seconds")


def test_bad_config_pushes_nothing_unless_the_group_is_named(capsys, gateway, tmp_path):
    """A config that cannot be read cannot tell its group: it never writes the default (someone else's) group."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("push: {job: shop_dq, pipeline: shop_eu}\nthresholds: {warn: {frac: 2}}\n")
    args = ["check", "--dsn", "sqlite://", "--config", str(bad), "--pushgateway", gateway]
    code, out, err = run(capsys, args)
    assert code == 2 and out == "" and "thresholds.warn.frac" in err
    assert "nothing pushed" in err and "--pipeline" in err and err.count("\n") == 2
    assert samples(get(gateway + "/metrics"), "dmm_") == {}
    assert run(capsys, [*args, "--pipeline", "shop_eu", "--job", "shop_dq"])[0] == 2
    found = samples(get(gateway + "/metrics"), "dmm_up")
    assert found == {("dmm_up", ("instance", ""), ("job", "shop_dq"), ("pipeline", "shop_eu")): 0.0}


def test_pipeline_from_option_and_environment(capsys, gateway, sqlite_wh, monkeypatch):
    wh = sqlite_wh("healthy")
    monkeypatch.setenv("DMM_PIPELINE", "from_env")
    assert run(capsys, wh.args("--pushgateway", gateway))[0] == 0
    assert run(capsys, wh.args("--pushgateway", gateway, "--pipeline", "from_option"))[0] == 0
    groups = {dict(k[1:])["pipeline"] for k in samples(get(gateway + "/metrics"), "dmm_up")}
    assert groups == {"from_env", "from_option"}
    with pytest.raises(SystemExit) as exit_:
        main(wh.args("--pipeline", "shop eu"))
    assert exit_.value.code == 2 and "--pipeline: expected an identifier" in capsys.readouterr().err


def test_grouping_key_comes_from_config(capsys, gateway, sqlite_wh):
    wh = sqlite_wh("healthy")
    wh.config_path.write_text(wh.config_path.read_text() + "push: {job: dq_job, pipeline: shop_eu}\n")
    assert run(capsys, wh.args("--pushgateway", gateway))[0] == 0
    found = samples(get(gateway + "/metrics"), "dmm_up")
    assert found == {("dmm_up", ("instance", ""), ("job", "dq_job"), ("pipeline", "shop_eu")): 1.0}


def test_textfile_has_the_same_metrics(capsys, gateway, sqlite_wh, tmp_path):
    wh = sqlite_wh("orders_drop")
    path = tmp_path / "dmm.prom"
    assert run(capsys, wh.args("--pushgateway", gateway, "--textfile", str(path)))[0] == 1
    from_file = samples(path.read_text(), "dmm_")
    pushed = {(k[0], *[kv for kv in k[1:] if kv[0] not in ("job", "instance", "pipeline")]): v
              for k, v in samples(get(gateway + "/metrics"), "dmm_").items()}
    volatile = {"dmm_last_run_timestamp_seconds", "dmm_last_success_timestamp_seconds", "dmm_run_duration_seconds"}
    assert {k: v for k, v in from_file.items() if k[0] not in volatile} == \
           {k: v for k, v in pushed.items() if k[0] not in volatile}
    assert not list(tmp_path.glob("dmm.prom.*"))  # the temporary file was renamed away


def test_gateway_down_exit_3_bounded_and_verdict_kept(capsys, sqlite_wh):
    wh = sqlite_wh("healthy")
    dead = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    code, out, err = run(capsys, wh.args("--pushgateway", dead))
    assert time.monotonic() - started < 10  # 3 attempts, 1 s + 2 s backoff
    assert code == 3
    assert out.splitlines()[-1].startswith("OK: daily_metrics")
    assert err.count("\n") == 1 and "failed after 3 attempt(s)" in err and "refused" in err.lower()


def test_push_optional_turns_a_failed_push_into_a_warning(capsys, sqlite_wh):
    wh = sqlite_wh("healthy")
    code, _, err = run(capsys, wh.args("--pushgateway", f"http://127.0.0.1:{free_port()}", "--push-optional",
                                       "--push-attempts", "1"))
    assert code == 0 and err.startswith("daily-metrics-monitor: warning: push to")


def test_critical_data_wins_over_a_failed_push(capsys, sqlite_wh):
    wh = sqlite_wh("orders_drop")
    code, out, err = run(capsys, wh.args("--pushgateway", f"http://127.0.0.1:{free_port()}", "--push-attempts", "1"))
    assert code == 1 and "[CRITICAL] orders:" in out and "push to" in err


def test_gateway_500_is_retried_and_its_body_shown(capsys, sqlite_wh):
    wh = sqlite_wh("healthy")
    with recording_server(500, "storage on fire") as (httpd, url):
        code, _, err = run(capsys, wh.args("--pushgateway", url))
    assert code == 3
    puts = [r for r in httpd.requests if r[0] == "PUT"]
    assert len(puts) == 3 and len(httpd.requests) == 6  # each attempt reads the held day first
    assert puts[0][1] == "/metrics/job/daily_metrics_monitor/pipeline/daily_metrics"
    assert "HTTP 500: storage on fire" in err


def test_gateway_400_is_not_retried(capsys, sqlite_wh):
    wh = sqlite_wh("healthy")
    with recording_server(400, "pushed metrics are invalid or inconsistent") as (httpd, url):
        code, _, err = run(capsys, wh.args("--pushgateway", url))
    assert code == 3 and [r[0] for r in httpd.requests] == ["GET", "PUT"]
    assert "rejected (HTTP 400: pushed metrics are invalid or inconsistent)" in err


def test_slow_gateway_times_out(capsys, sqlite_wh):
    wh = sqlite_wh("healthy")
    with recording_server(200, "", delay=3) as (httpd, url):
        started = time.monotonic()
        code, _, err = run(capsys, wh.args("--pushgateway", url, "--push-timeout", "0.5", "--push-attempts", "2"))
    assert code == 3 and time.monotonic() - started < 5
    assert len(httpd.requests) == 2 and "timed out" in err


@pytest.mark.binaries
def test_basic_auth(capsys, sqlite_wh, tmp_path, monkeypatch):
    web = tmp_path / "web.yml"
    web.write_text(f"basic_auth_users:\n  dmm: {BCRYPT_OF_GW_PASSWORD}\n")
    wh = sqlite_wh("healthy")
    with pushgateway(tmp_path, web) as url:
        monkeypatch.setenv("DMM_PUSHGATEWAY_USERNAME", "dmm")
        monkeypatch.setenv("DMM_PUSHGATEWAY_PASSWORD", "wrong-Pa55")
        code, _, err = run(capsys, wh.args("--pushgateway", url))
        assert code == 3 and "HTTP 401" in err and "wrong-Pa55" not in err
        monkeypatch.setenv("DMM_PUSHGATEWAY_PASSWORD", "gw-Pa55word")
        code, _, err = run(capsys, wh.args("--pushgateway", url))
        assert (code, err) == (0, "")
        assert gauge(samples(get(url + "/metrics", ("dmm", "gw-Pa55word")), "dmm_"), "up") == 1


def test_credentials_in_the_url_are_used_and_hidden(capsys, sqlite_wh):
    wh = sqlite_wh("healthy")
    with recording_server(401, "unauthorized") as (httpd, url):
        code, _, err = run(capsys, wh.args("--pushgateway", url.replace("http://", "http://me:url-Secret@")))
    assert code == 3 and "url-Secret" not in err and "me:" not in err
    assert httpd.requests[0][2]["Authorization"].startswith("Basic ")


def test_bearer_token(capsys, sqlite_wh, monkeypatch):
    wh = sqlite_wh("healthy")
    monkeypatch.setenv("DMM_PUSHGATEWAY_TOKEN", "tok-123")
    with recording_server(200) as (httpd, url):
        assert run(capsys, wh.args("--pushgateway", url))[0] == 0
    assert httpd.requests[0][2]["Authorization"] == "Bearer tok-123"


def test_pushgateway_from_environment(capsys, gateway, sqlite_wh, monkeypatch):
    monkeypatch.setenv("DMM_PUSHGATEWAY_URL", gateway)
    assert run(capsys, sqlite_wh("healthy").args())[0] == 0
    assert gauge(samples(get(gateway + "/metrics"), "dmm_"), "up") == 1


def test_invalid_gateway_url(capsys, sqlite_wh):
    code, _out, err = run(capsys, sqlite_wh("healthy").args("--pushgateway", "ftp://gw"))
    assert code == 2 and "invalid Pushgateway URL" in err


def _self_signed(tmp_path):
    """A CA and a server certificate for 127.0.0.1, made with the openssl binary."""
    import subprocess

    from tests.support.services import binary

    openssl = binary("openssl")
    run_ = lambda *args: subprocess.run([openssl, *args], cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    run_("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
         "-subj", "/CN=dmm test CA")
    run_("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "gw.key", "-out", "gw.csr", "-subj", "/CN=127.0.0.1")
    (tmp_path / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    run_("x509", "-req", "-in", "gw.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "gw.crt",
         "-days", "2", "-extfile", "san.ext")


@pytest.mark.binaries
def test_tls_gateway_with_ca_file(capsys, sqlite_wh, tmp_path, monkeypatch):
    import ssl
    import urllib.request

    from tests.support.services import server

    _self_signed(tmp_path)
    web = tmp_path / "web-tls.yml"
    web.write_text(f"tls_server_config:\n  cert_file: {tmp_path / 'gw.crt'}\n  key_file: {tmp_path / 'gw.key'}\n")
    port = free_port()
    wh = sqlite_wh("healthy")
    with server("prometheus-pushgateway", [f"--web.listen-address=127.0.0.1:{port}", f"--web.config.file={web}",
                                           f"--persistence.file={tmp_path / 'tls.data'}"], port, "/-/ready", tmp_path,
                ready_codes=(200, 400)):
        url = f"https://127.0.0.1:{port}"
        code, _, err = run(capsys, wh.args("--pushgateway", url, "--push-attempts", "1"))
        assert code == 3 and "CERTIFICATE_VERIFY_FAILED" in err
        monkeypatch.setenv("DMM_PUSHGATEWAY_CA_FILE", str(tmp_path / "ca.crt"))
        code, _, err = run(capsys, wh.args("--pushgateway", url))
        assert (code, err) == (0, "")
        context = ssl.create_default_context(cafile=str(tmp_path / "ca.crt"))
        with urllib.request.urlopen(url + "/metrics", context=context, timeout=5) as r:
            assert gauge(samples(r.read().decode(), "dmm_up"), "up") == 1


def _day_held(gateway: str, pipeline: str = "daily_metrics") -> float | None:
    found = samples(get(gateway + "/metrics"), "dmm_data_date")
    return next((v for k, v in found.items() if ("pipeline", pipeline) in k), None)


def test_a_rerun_of_an_older_day_never_replaces_the_live_group(capsys, gateway, make_warehouse, tmp_path):
    """The live group holds a CRITICAL day; a healthy older day is judged and reported, but not pushed."""
    wh = make_warehouse(f"sqlite:///{tmp_path / 'wh.sqlite'}", "orders_drop", days=40)
    assert run(capsys, wh.args("--pushgateway", gateway))[0] == 1
    live = _day_held(gateway)
    older = (wh.last_day - timedelta(days=15)).isoformat()
    rerun = ["check", "--dsn", wh.dsn, "--config", str(wh.config_path), "--date", older, "--pushgateway", gateway]
    code, out, err = run(capsys, rerun)
    assert code == 0 and out.splitlines()[-1].startswith(f"OK: daily_metrics for {older}")
    assert err == (f"daily-metrics-monitor: note: push skipped: the Pushgateway {gateway} holds {wh.last_day}, "
                   f"a later day than {older}; the live verdict stays (--force-push replaces it)\n")
    found = samples(get(gateway + "/metrics"), "dmm_")
    assert gauge(found, "check_status", check="drop", metric="orders") == 2 and _day_held(gateway) == live
    # the same day again (a retry) replaces, as does an operator who means it
    assert run(capsys, wh.args("--pushgateway", gateway))[0:3:2] == (1, "")
    assert run(capsys, [*rerun, "--force-push"])[0] == 0
    assert _day_held(gateway) == live - 15 * 86400
    assert gauge(samples(get(gateway + "/metrics"), "dmm_"), "check_status", check="drop", metric="orders") == 0


def test_a_failed_rerun_of_an_older_day_leaves_the_group_alone(capsys, gateway, sqlite_wh):
    wh = sqlite_wh("orders_drop")
    assert run(capsys, wh.args("--pushgateway", gateway))[0] == 1
    older = (wh.last_day - timedelta(days=3)).isoformat()
    code, _, err = run(capsys, ["check", "--dsn", "postgresql+psycopg://x@127.0.0.1:1/test", "--date", older,
                                "--config", str(wh.config_path), "--pushgateway", gateway])
    assert code == 2 and "push skipped" in err
    assert gauge(samples(get(gateway + "/metrics"), "dmm_"), "up") == 1


def test_textfile_follows_the_same_rule(capsys, sqlite_wh, tmp_path):
    wh = sqlite_wh("orders_drop")
    path = tmp_path / "dmm.prom"
    assert run(capsys, wh.args("--textfile", str(path)))[0] == 1
    before = path.read_text()
    older = (wh.last_day - timedelta(days=2)).isoformat()
    args = ["check", "--dsn", wh.dsn, "--config", str(wh.config_path), "--textfile", str(path)]
    code, _, err = run(capsys, [*args, "--date", older])
    assert code == 0 and f"push skipped: textfile {path} holds {wh.last_day}" in err
    assert path.read_text() == before
    assert run(capsys, [*args, "--dsn", "postgresql+psycopg://x@127.0.0.1:1/test"])[0] == 2  # today, db down
    found = samples(path.read_text(), "dmm_")
    assert found[("dmm_up",)] == 0 and found[("dmm_check_status", ("check", "drop"), ("metric", "orders"))] == 2


def test_no_push_wins_over_the_environment(capsys, sqlite_wh, monkeypatch):
    with recording_server() as (httpd, url):
        monkeypatch.setenv("DMM_PUSHGATEWAY_URL", url)
        assert run(capsys, sqlite_wh("healthy").args("--no-push"))[0:3:2] == (0, "")
    assert httpd.requests == []


def test_demo_never_pushes_into_a_production_group(capsys, gateway, monkeypatch, tmp_path):
    monkeypatch.setenv("DMM_PUSHGATEWAY_URL", gateway)
    monkeypatch.setenv("DMM_PIPELINE", "daily_metrics")
    demo = ["demo", "--scenario", "orders_drop", "--path", str(tmp_path / "demo.sqlite")]
    assert run(capsys, demo)[0] == 1
    assert samples(get(gateway + "/metrics"), "dmm_") == {}
    assert run(capsys, [*demo, "--pushgateway", gateway])[0] == 1
    assert {dict(k[1:])["pipeline"] for k in samples(get(gateway + "/metrics"), "dmm_up")} == {"demo"}
    assert run(capsys, [*demo, "--pushgateway", gateway, "--pipeline", "demo_b2b"])[0] == 1
    assert {dict(k[1:])["pipeline"] for k in samples(get(gateway + "/metrics"), "dmm_up")} == {"demo", "demo_b2b"}


@pytest.mark.parametrize("scenario, extra, code", [("orders_drop", [], 1), ("healthy", [], 3),
                                                   ("healthy", ["--push-optional"], 0)])
def test_a_gateway_that_speaks_garbage_is_a_failed_push(capsys, sqlite_wh, scenario, extra, code):
    wh = sqlite_wh(scenario)
    with garbage_server() as (connections, url):
        got, out, err = run(capsys, wh.args("--pushgateway", url, "--push-attempts", "2", *extra))
    assert got == code
    assert out.splitlines()[-1].startswith(("CRITICAL", "OK"))  # the report is printed first
    assert len(connections) == 2  # retried like a refused connection
    assert err.count("\n") == 1 and "failed after 2 attempt(s)" in err and "BadStatusLine" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("api", ["<html>proxy error</html>", '{"status": "success", "data": {"x": 1}}'])
def test_a_gateway_api_that_answers_garbage_is_a_failed_push(capsys, sqlite_wh, api):
    with recording_server(api=api) as (httpd, url):
        code, _, err = run(capsys, sqlite_wh("healthy").args("--pushgateway", url, "--push-attempts", "2"))
    assert code == 3 and "not its JSON" in err
    assert [r[0] for r in httpd.requests] == ["GET", "GET"]


def test_the_pushed_exposition_lints_clean(capsys, gateway, sqlite_wh):
    import subprocess

    from tests.support.services import binary

    assert run(capsys, sqlite_wh("orders_drop").args("--pushgateway", gateway))[0] == 1
    result = subprocess.run([binary("promtool"), "check", "metrics"], input=get(gateway + "/metrics"),
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_held_day_does_not_depend_on_the_servers_time_zone(capsys, gateway, make_warehouse, tmp_path, monkeypatch):
    """At UTC+14 the data date is still D at 00:00 UTC: the same day replaces, an older day is skipped."""
    wh = make_warehouse(f"sqlite:///{tmp_path / 'wh.sqlite'}", "orders_drop", days=20)
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert run(capsys, wh.args("--pushgateway", gateway, "--timezone", "Pacific/Kiritimati"))[0] == 1
        code, _, err = run(capsys, wh.args("--pushgateway", gateway, "--timezone", "America/Los_Angeles"))
        assert (code, err) == (1, "")
        older = ["check", "--dsn", wh.dsn, "--config", str(wh.config_path), "--pushgateway", gateway,
                 "--date", (wh.last_day - timedelta(days=1)).isoformat()]
        assert "push skipped" in run(capsys, older)[2]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert _day_held(gateway) == calendar.timegm(wh.last_day.timetuple())


def test_the_held_day_is_read_from_this_runs_own_group(capsys, gateway, make_warehouse, tmp_path):
    """Another pipeline (or job) holding a later day never stops this pipeline's push."""
    wh = make_warehouse(f"sqlite:///{tmp_path / 'wh.sqlite'}", "healthy", days=20)
    assert run(capsys, wh.args("--pushgateway", gateway, "--pipeline", "shop_eu"))[0] == 0
    assert run(capsys, wh.args("--pushgateway", gateway, "--pipeline", "shop_us", "--job", "other_job"))[0] == 0
    older = (wh.last_day - timedelta(days=2)).isoformat()
    code, _, err = run(capsys, ["check", "--dsn", wh.dsn, "--config", str(wh.config_path), "--date", older,
                                "--pushgateway", gateway, "--pipeline", "shop_us"])
    assert (code, err) == (0, "")
    assert _day_held(gateway, "shop_us") == calendar.timegm(date.fromisoformat(older).timetuple())


def test_a_gateway_that_hangs_up_is_retried_then_a_failed_push(capsys, sqlite_wh):
    with garbage_server(reply=b"") as (connections, url):
        code, _out, err = run(capsys, sqlite_wh("healthy").args("--pushgateway", url, "--push-attempts", "2"))
    assert code == 3 and len(connections) == 2 and "RemoteDisconnected" in err and "Traceback" not in err


def test_a_redirect_loop_is_a_failed_push(capsys, sqlite_wh):
    with recording_server(302, api=None, headers=(("Location", "/api/v1/metrics"),)) as (_httpd, url):
        code, out, err = run(capsys, sqlite_wh("orders_drop").args("--pushgateway", url))
    assert code == 1 and "[CRITICAL] orders:" in out  # the data verdict wins
    assert err.count("\n") == 1 and "HTTP 302" in err and "redirect" in err.lower()
