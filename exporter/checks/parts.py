"""The parts of the model a config may leave out, each with the note a report prints when it is left out. Pure."""

from __future__ import annotations

from ..config import Config
from .spec import Part

FACT = Part(lambda c: c.fact is not None, "no reconciliation: fct_orders is null in the config")
TRAFFIC = Part(lambda c: c.traffic is not None, "no orders_with_traffic check: metrics.traffic is null in the config")
ATTRIBUTION = Part(lambda c: bool(c.attribution_models),
                   "no attribution checks: metrics.attribution_models is empty in the config")
PARTS = (FACT, TRAFFIC, ATTRIBUTION)
"""In the order of the config's sections (the notes' order)."""


def notes(c: Config) -> tuple[str, ...]:
    """One line per part of the model the config leaves out."""
    return tuple(p.note for p in PARTS if not p.present(c))
