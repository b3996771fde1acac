"""The backtest's page, opened in a real browser (Debian's headless Chromium): every chart is drawn."""

import re
import subprocess

import pytest

from exporter.cli import main
from exporter.config import Config
from tests.services import binary

pytestmark = pytest.mark.binaries

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The demo's 90 days (an orders drop on the last) as the backtest's HTML page."""
    tmp = tmp_path_factory.mktemp("html")
    assert main(["demo", "--scenario", "orders_drop", "--path", str(tmp / "demo.sqlite"), "--date", "2026-11-25"]) == 1
    path = tmp / "backtest.html"
    assert main(["backtest", "--dsn", f"sqlite:///{tmp / 'demo.sqlite'}", "--from", "2026-08-28",
                 "--to", "2026-11-25", "--html", str(path), "--output", str(tmp / "report.txt")]) == 0
    return path


def chromium(page, tmp_path, *args):
    return subprocess.run([binary("chromium"), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args,
                           f"file://{page}"], capture_output=True, text=True, timeout=120)


def test_the_page_needs_no_network(page):
    text = page.read_text()
    assert "<script" not in text and not re.search(r'(src|href)="(https?:)?//', text)
    assert text.count('<section class="chart"') == len(Config().drop_metrics) == 8


def test_chromium_draws_every_chart_without_a_console_error(page, tmp_path):
    result = chromium(page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    charts = re.findall(r'<section class="chart" data-metric="(\w+)">\s*<svg', dom)
    assert charts == list(Config().drop_metrics)
    assert dom.count("<path") > 8 * 4  # lines drawn in every chart
    assert 'id="summary"' in dom and ">critical</th>" in dom
    assert not [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    shot = tmp_path / "page.png"
    result = chromium(page, tmp_path, "--window-size=1200,2400", f"--screenshot={shot}")
    assert result.returncode == 0 and shot.stat().st_size > 50_000  # a drawn page, not a blank one
