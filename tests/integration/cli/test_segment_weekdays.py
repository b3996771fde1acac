"""The segmented demo's outage judged on each of the seven weekdays: no verdict depends on the day of the week."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import date, timedelta

import pytest

from exporter.cli import main
from exporter.warehouse.demo_data import build
from tests.support import db

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize("day", [MONDAY + timedelta(days=k) for k in range(7)], ids=lambda d: d.strftime("%a"))
def test_a_countrys_outage_is_critical_on_every_weekday_and_nothing_else_drops(day, tmp_path):
    """LU loses every order: its orders drop is CRITICAL whatever the weekday, its revenue WARN or worse (z is
    -4.6 on this Wednesday), and neither the total nor another country alerts."""
    config = tmp_path / "by_country.yaml"
    config.write_text("segments: {columns: [country], fact_columns: {country: country}}\n")
    wh = build("segment_outage", last_day=day, days=60, segments=True)
    url = db.parse_dsn(f"sqlite:///{tmp_path / 'wh.sqlite'}")
    db.write_warehouse(url, list(wh.daily), list(wh.orders))
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", "--dsn", str(url), "--date", day.isoformat(), "--config", str(config), "--no-push",
                     "--format", "json"])
    checks = json.loads(out.getvalue())["checks"]
    drops = {(c["metric"], (c["segment"] or {}).get("country")): c["severity"] for c in checks if c["name"] == "drop"}
    assert code == 1
    assert drops[("orders", "LU")] == "critical"
    assert drops[("revenue", "LU")] in ("warn", "critical")
    assert {key for key, severity in drops.items() if severity != "ok" and key[1] != "LU"} == set()
