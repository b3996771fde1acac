"""The check catalogue: one module per check, each one frozen spec (`spec.Check`).

The judge evaluates the catalogue in its order (the report's order); the gauges, the alert rules, their
promtool tests, the dashboard and the documentation read it. A new check is one module here and one
`CheckName` member.
"""

from . import (
    attribution_bound,
    attribution_coverage,
    change,
    orders_with_traffic,
    reconciliation,
    restated,
    row_present,
    valid_value,
)
from .spec import Check

CATALOGUE: tuple[Check, ...] = (row_present.CHECK, valid_value.CHECK, orders_with_traffic.CHECK,
                                attribution_bound.CHECK, attribution_coverage.CHECK, reconciliation.CHECK,
                                change.CHECK, restated.CHECK)


def spec_of(name: str) -> Check:
    """The spec that reports under `name`."""
    return next(check for check in CATALOGUE if name in check.names)


__all__ = ["CATALOGUE", "Check", "spec_of"]
