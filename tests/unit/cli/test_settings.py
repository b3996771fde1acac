"""The run's settings, resolved once: the command line over the environment; the demo reads only its own DSN."""

import argparse

import pytest

from exporter.cli.context import Run
from exporter.cli.settings import Settings, resolve
from exporter.config import from_mapping
from exporter.errors import ConfigError

ENV = {"DMM_DSN": "sqlite:///env.sqlite", "DMM_RESULTS_DSN": "sqlite:///ledger.sqlite",
       "DMM_PUSHGATEWAY_URL": "http://gw:9091", "DMM_JOB": "env_job", "DMM_PIPELINE": "env_pipe",
       "DMM_DEMO_DSN": "sqlite:///demo.sqlite", "DMM_PUSHGATEWAY_TOKEN": "t"}


def args(**given) -> argparse.Namespace:
    return argparse.Namespace(**{"dsn": None, "results_dsn": None, "pushgateway": None, "no_push": False,
                                 "job": None, "pipeline": None, **given})


def test_the_environment_fills_what_the_command_line_leaves_out():
    s = resolve(args(), demo=False, environ=ENV)
    assert (s.dsn, s.results_dsn, s.pushgateway, s.job, s.pipeline) == (
        "sqlite:///env.sqlite", "sqlite:///ledger.sqlite", "http://gw:9091", "env_job", "env_pipe")


def test_the_command_line_wins_over_the_environment():
    s = resolve(args(dsn="sqlite:///a", results_dsn="sqlite:///b", pushgateway="http://c", job="j", pipeline="p"),
                demo=False, environ=ENV)
    assert (s.dsn, s.results_dsn, s.pushgateway, s.job, s.pipeline) == ("sqlite:///a", "sqlite:///b", "http://c",
                                                                        "j", "p")


def test_no_push_silences_the_gateway_variable_but_not_an_explicit_gateway():
    assert resolve(args(no_push=True), demo=False, environ=ENV).pushgateway is None
    assert resolve(args(pushgateway="http://c"), demo=False, environ=ENV).pushgateway == "http://c"


def test_the_demo_reads_none_of_the_jobs_variables():
    s = resolve(args(), demo=True, environ=ENV)
    assert (s.dsn, s.results_dsn, s.pushgateway, s.job, s.pipeline) == ("sqlite:///demo.sqlite", None, None, None,
                                                                        "demo")


def test_nothing_given_is_nothing():
    assert resolve(args(), demo=False, environ={}) == Settings()


def test_a_config_file_is_read_once_in_a_run_and_its_error_too(tmp_path, monkeypatch):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("push: {pipeline: shop_eu}\n")
    bad.write_text("push: {pipeline: [\n")
    reads = []
    import exporter.cli.context as context

    monkeypatch.setattr(context, "load", lambda path: reads.append(path) or from_mapping({}))
    run = Run(args())
    assert run.config(str(good)) is run.config(str(good))
    assert reads == [str(good)]
    monkeypatch.undo()
    run = Run(args())
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid YAML"):
            run.config(str(bad))
    assert list(run.configs) == [str(bad)]
