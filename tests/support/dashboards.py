"""The committed dashboard's queries, for the tests that run them against a real Prometheus."""

from __future__ import annotations

import json
from pathlib import Path

from exporter.config import Config
from exporter.render import dashboard_path

ROOT = Path(__file__).resolve().parents[2]


def dashboard_queries(annotations: bool = True) -> list[str]:
    """Every query of the committed dashboard: panels, annotations (unless told not), variables."""
    board = json.loads((ROOT / dashboard_path(Config())).read_text())
    exprs = [t["expr"] for p in board["panels"] for t in p.get("targets", [])]
    marks = [a["expr"] for a in board["annotations"]["list"]]
    assert len(marks) == 3  # CRITICAL and WARN alerts, known events
    return exprs + (marks if annotations else []) + [v["query"]["query"] for v in board["templating"]["list"]]
