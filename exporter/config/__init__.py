"""The configuration: its schema (frozen dataclasses), and loading it from YAML, validated at the boundary."""

from .loader import from_mapping, load
from .schema import (
    DIRECTIONS,
    EVENT_REACH,
    FAIL_ON,
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
    Restatement,
    Results,
    Shift,
    TableRef,
    Thresholds,
)
from .segments import Segments

__all__ = ["DIRECTIONS", "EVENT_REACH", "FAIL_ON", "MODES", "ROLES", "Alerting", "AttributionModel",
           "BaselineWindow", "CalendarTable", "Config", "DropRule", "FactTable", "Rate", "Restatement", "Results",
           "Segments", "Shift", "TableRef", "Thresholds", "from_mapping", "load"]
