"""Grafana panel and query builders shared by the dashboard and the checks' own panels. Pure: builds data."""

from __future__ import annotations

from typing import Any

DATASOURCE = {"type": "prometheus", "uid": "dmm-prometheus"}


def target(expr: str, legend: str, ref: str = "A", instant: bool = False) -> dict:
    target: dict[str, Any] = {"datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "refId": ref}
    if instant:
        target.update(instant=True, range=False, format="table")
    return target


def panel(kind: str, title: str, targets: list[dict], description: str = "", unit: str | None = None,
           mappings=None, thresholds=None, options=None) -> dict:
    defaults: dict = {}
    if unit:
        defaults["unit"] = unit
    if mappings:
        defaults["mappings"] = mappings
    if thresholds:
        defaults.update(thresholds=thresholds, color={"mode": "thresholds"})
    for i, t in enumerate(targets):
        t["refId"] = chr(ord("A") + i)
    return {"type": kind, "title": title, "description": description, "datasource": DATASOURCE,
            "targets": targets, "fieldConfig": {"defaults": defaults, "overrides": []}, "options": options or {}}
