"""The Pushgateway export against the real prometheus-pushgateway binary."""

import json
import math
import time

import pytest

from exporter.cli import main
from tests.services import free_port, get, pushgateway, recording_server, samples

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
    code, out, err = run(capsys, wh.args("--format", "json", "--pushgateway", gateway))
    assert err == ""
    doc = json.loads(out)
    found = samples(get(gateway + "/metrics"), "dmm_")
    assert gauge(found, "up") == 1
    assert gauge(found, "status") == {"ok": 0, "warn": 1, "critical": 2}[doc["status"]]
    assert gauge(found, "daily_rows") == 1
    assert gauge(found, "threshold_critical_zscore") == -5 and gauge(found, "threshold_warn_fraction_ratio") == 0.6
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
            assert_same(gauge(found, "baseline_days", **m), c["baseline_days"])
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
    assert len(families) == 26
    # 23 checks x (status + evaluated) + 8 drops x 6 + 4 attributed values + 2 coverage + 2 x 3 reconciliation
    # + 7 thresholds + 8 run/overall gauges (up, last run, duration, data date, last success, status, daily rows)
    assert len(found) == 46 + 48 + 4 + 2 + 6 + 7 + 7


def test_second_push_replaces_the_group(capsys, gateway, sqlite_wh):
    first = sqlite_wh("healthy")
    assert run(capsys, first.args("--pushgateway", gateway))[0] == 0
    before = samples(get(gateway + "/metrics"))
    push_time = [v for k, v in before.items() if k[0] == "push_time_seconds"][0]
    assert gauge(before, "check_status", check="drop", metric="events") == 0
    time.sleep(0.05)
    missing = sqlite_wh("missing_day")
    assert run(capsys, missing.args("--pushgateway", gateway))[0] == 1
    after = samples(get(gateway + "/metrics"))
    assert gauge(after, "check_status", check="drop", metric="events") is None  # stale series gone
    assert gauge(after, "metric_value", metric="orders") is None
    assert gauge(after, "check_status", check="row_present", metric="daily_metrics") == 2
    assert gauge(after, "daily_rows") == 0
    assert [v for k, v in after.items() if k[0] == "push_time_seconds"][0] > push_time
    assert len([k for k in after if k[0] == "dmm_check_status"]) == 1


def test_database_down_still_pushes_up_zero(capsys, gateway, monkeypatch):
    monkeypatch.setenv("DMM_DSN", "postgresql+psycopg://monitor:db-Secret@127.0.0.1:1/test")
    code, out, err = run(capsys, ["check", "--date", "2026-11-01", "--pushgateway", gateway])
    assert code == 2 and out == "" and "cannot connect" in err and "db-Secret" not in err
    found = samples(get(gateway + "/metrics"), "dmm_")
    assert gauge(found, "up") == 0
    assert gauge(found, "last_success_timestamp_seconds") is None
    assert gauge(found, "data_date_timestamp_seconds") is not None
    assert not [k for k in found if k[0] == "dmm_check_status"]


def test_bad_config_still_pushes_up_zero(capsys, gateway, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("thresholds: {warn: {frac: 2}}\n")
    code, _, err = run(capsys, ["check", "--dsn", "sqlite://", "--config", str(bad), "--pushgateway", gateway])
    assert code == 2 and "thresholds.warn.frac" in err
    assert gauge(samples(get(gateway + "/metrics"), "dmm_"), "up") == 0


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
    assert len(httpd.requests) == 3 and all(r[0] == "PUT" for r in httpd.requests)
    assert httpd.requests[0][1] == "/metrics/job/daily_metrics_monitor/pipeline/daily_metrics"
    assert "HTTP 500: storage on fire" in err


def test_gateway_400_is_not_retried(capsys, sqlite_wh):
    wh = sqlite_wh("healthy")
    with recording_server(400, "pushed metrics are invalid or inconsistent") as (httpd, url):
        code, _, err = run(capsys, wh.args("--pushgateway", url))
    assert code == 3 and len(httpd.requests) == 1
    assert "rejected (HTTP 400: pushed metrics are invalid or inconsistent)" in err


def test_slow_gateway_times_out(capsys, sqlite_wh):
    wh = sqlite_wh("healthy")
    with recording_server(200, "", delay=3) as (httpd, url):
        started = time.monotonic()
        code, _, err = run(capsys, wh.args("--pushgateway", url, "--push-timeout", "0.5", "--push-attempts", "2"))
    assert code == 3 and time.monotonic() - started < 5
    assert len(httpd.requests) == 2 and "timed out" in err


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
    code, out, err = run(capsys, sqlite_wh("healthy").args("--pushgateway", "ftp://gw"))
    assert code == 2 and "invalid Pushgateway URL" in err


def _self_signed(tmp_path):
    """A CA and a server certificate for 127.0.0.1, made with the openssl binary."""
    import subprocess

    from tests.services import binary

    openssl = binary("openssl")
    run_ = lambda *args: subprocess.run([openssl, *args], cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    run_("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
         "-subj", "/CN=dmm test CA")
    run_("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "gw.key", "-out", "gw.csr", "-subj", "/CN=127.0.0.1")
    (tmp_path / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    run_("x509", "-req", "-in", "gw.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "gw.crt",
         "-days", "2", "-extfile", "san.ext")


def test_tls_gateway_with_ca_file(capsys, sqlite_wh, tmp_path, monkeypatch):
    import ssl
    import urllib.request

    from tests.services import server

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
