"""SIGINT and SIGTERM end a run with one line, the documented exit code, no traceback, nothing half-written."""

import os
import signal
import subprocess
import sys
import time

import pytest

from exporter.cli.exitcodes import ExitCode
from tests.support.services import samples, silent_listener


@pytest.fixture
def wh(make_warehouse, tmp_path):
    return make_warehouse(f"sqlite:///{tmp_path / 'wh.sqlite'}")


@pytest.mark.parametrize("signum,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_the_push_is_one_line_and_its_exit_code(wh, tmp_path, signum, code):
    """The gateway accepts and never answers; the signal lands while the run waits for it (the push's GET)."""
    textfile = tmp_path / "dmm.prom"
    with silent_listener() as (port, held):
        process = subprocess.Popen([sys.executable, "-m", "exporter", *wh.args(
            "--pushgateway", f"http://127.0.0.1:{port}", "--push-timeout", "30", "--textfile", str(textfile))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not held and time.monotonic() < deadline:
            time.sleep(0.05)
        assert held, "the run never reached the gateway"
        time.sleep(0.2)
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    assert process.returncode == code
    name = signal.Signals(signum).name
    assert err == (f"daily-metrics-monitor: interrupted: {name} received, the run stopped; the push group and the "
                   "textfile hold what the last complete write left (each is one request, or one rename)\n")
    assert out.startswith("[OK]")  # the report came before the delivery
    # the textfile is written before the push: whole, never a torn file, no temporary file left beside it
    assert samples(textfile.read_text(), "dmm_")[("dmm_up",)] == 1
    assert [p for p in os.listdir(tmp_path) if p.startswith("dmm.prom")] == ["dmm.prom"]


def test_the_exit_codes_are_the_shells():
    assert (ExitCode.INTERRUPTED, ExitCode.TERMINATED) == (128 + signal.SIGINT, 128 + signal.SIGTERM)


def test_a_signal_during_the_textfile_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    """Fault injection at the one instant a file could tear: the old file stays whole, the temporary goes."""
    from prometheus_client import CollectorRegistry, Gauge

    from exporter.publish import textfile

    path = tmp_path / "dmm.prom"
    path.write_text("dmm_up 1.0\n")
    registry = CollectorRegistry()
    Gauge("dmm_up", "up", registry=registry).set(0)

    def interrupted(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(textfile.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        textfile.write_textfile(str(path), registry, None)
    assert path.read_text() == "dmm_up 1.0\n" and os.listdir(tmp_path) == ["dmm.prom"]
