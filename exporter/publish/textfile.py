"""Writing the metrics for node_exporter's textfile collector (I/O), atomically, by the same rules as the push."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from prometheus_client import CollectorRegistry, write_to_textfile
from prometheus_client.parser import text_string_to_metric_families

from ..errors import PushError
from .delivery import DATA_DATE, Delivery, data_day, moves_back


def write_textfile(path: str, registry: CollectorRegistry, day: date | None, replace_group: bool = True,
                   force: bool = False) -> Delivery:
    """Write the metrics, atomically, unless the file holds a later day (or `force`); a failed run merges."""
    try:
        old = Path(path).read_text(encoding="utf-8") if os.path.exists(path) else ""
        families = list(text_string_to_metric_families(old))
    except (OSError, ValueError) as exc:
        raise PushError(f"cannot read textfile {path}: {getattr(exc, 'strerror', None) or exc}") from None
    held = None if force else data_day(s.value for f in families for s in f.samples if s.name == DATA_DATE)
    if moves_back(held, day):
        return Delivery(f"textfile {path}", held)
    if not replace_group:
        registry = _merged(families, registry)
    try:
        write_to_textfile(path, registry)
    except OSError as exc:
        raise PushError(f"cannot write textfile {path}: {exc.strerror or exc}") from None
    return Delivery(f"textfile {path}")


def _merged(families, registry: CollectorRegistry) -> CollectorRegistry:
    """The old families with the registry's families put over them (what a POST does on the gateway)."""
    new = {m.name for m in registry.collect()}
    merged = CollectorRegistry()
    merged.register(_Fixed([f for f in families if f.name not in new] + list(registry.collect())))
    return merged


class _Fixed:
    def __init__(self, families):
        self.families = families

    def collect(self):
        return self.families
