"""The configuration: its schema (frozen dataclasses), and loading it from YAML, validated at the boundary."""

from .loader import from_mapping, load
from .schema import (
    EVENT_REACH,
    MODES,
    ROLES,
    Alerting,
    AttributionModel,
    BaselineWindow,
    CalendarTable,
    Config,
    DropRule,
    FactTable,
    Rate,
    TableRef,
    Thresholds,
)

__all__ = ["EVENT_REACH", "MODES", "ROLES", "Alerting", "AttributionModel", "BaselineWindow", "CalendarTable",
           "Config", "DropRule", "FactTable", "Rate", "TableRef", "Thresholds", "from_mapping", "load"]
