"""Frozen values passed between the layers: what was measured, what was judged. Pure, no I/O."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .explanations import Cause

from ..escape import label_value, printable


@dataclass(frozen=True)
class Segment:
    """One judged segment of a segmented table: its dimension values, or `other` (every segment not judged)."""

    values: tuple[tuple[str, Any], ...] = ()
    """(column, value) in the config's column order; empty for `other`."""

    @property
    def other(self) -> bool:
        return not self.values

    @property
    def label(self) -> str:
        """The `segment` label and the report's name: 'country=NL', 'country=NL,channel=web' or 'other'; in a value
        `\\`, `,`, `=`, control and bidi characters are escaped (two segments never share a label)."""
        return ",".join(f"{k}={label_value(str(_plain(v)))}" for k, v in self.values) if self.values else "other"

    @property
    def short(self) -> str:
        """The name in a contribution line: 'NL', 'NL/web' or 'other'."""
        return "/".join(printable(str(_plain(v))) for _, v in self.values) if self.values else "other"

    @property
    def document(self) -> dict[str, Any]:
        """In JSON: {"country": "NL"}, or {"other": true} for the fold."""
        return {k: _plain(v) for k, v in self.values} if self.values else {"other": True}


def _plain(value: Any) -> Any:
    """A segment value as JSON and labels show it: a whole Decimal as an int, a date as YYYY-MM-DD."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


OTHER = Segment()


@dataclass(frozen=True)
class DayRow:
    """One daily_metrics row: its date and raw values by logical metric name (and its segment, if segmented)."""

    day: date
    values: Mapping[str, Any]
    segment: Segment | None = None


@dataclass(frozen=True)
class StoredDay:
    """A day as the results ledger stored it at its latest judging: that run and its volume values."""

    day: date
    run_id: str
    values: Mapping[str, float | None]


@dataclass(frozen=True)
class LedgerRead:
    """What a check read of the results ledger: the stored days, or why they could not be read."""

    stored: tuple[StoredDay, ...] | None
    error: str | None = None


@dataclass(frozen=True)
class Folded:
    """What a day's rows folded into `other` hide from its sums: duplicate rows of a segment, and per logical
    column the rows whose value is NULL (SUM skips it) or negative."""

    duplicates: int = 0
    null: Mapping[str, int] = field(default_factory=dict)
    negative: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class History:
    """What the statements returned for a range of days: the rows from the first day's lookback on, and facts."""

    first: date
    """The first judged day: the facts are read from it on (the rows from its lookback on)."""
    last: date
    rows: tuple[DayRow, ...]
    facts: Mapping[date, tuple[Any, Any]]
    """fct_orders (count, sum of revenue) by day; a day without fact rows is absent (count 0, sum NULL)."""
    events: Mapping[date, str] = field(default_factory=dict)
    segments: tuple[Segment, ...] = ()
    """The judged segments, largest first, then `other` when it has rows (segmented tables only)."""
    segment_facts: Mapping[tuple[date, Segment], tuple[Any, Any]] = field(default_factory=dict)
    """fct_orders (count, sum of revenue) by day and judged segment, when the segments are reconciled."""
    ledger: LedgerRead | None = None
    """The results ledger as a check read it (for `restated`); None: not read (no ledger, or a backtest)."""
    folded: Mapping[date, Folded] = field(default_factory=dict)
    """The faults of the rows folded into `other`, by judged day (segmented tables only)."""


@dataclass(frozen=True)
class Measurements:
    """Everything the two queries returned for the target day and its baseline window."""

    target_date: date
    rows: tuple[DayRow, ...]
    fact_orders: Any
    fact_revenue: Any
    events: Mapping[date, str] = field(default_factory=dict)
    """Known events (holidays, outages): day -> name, from the config's calendar and its table."""
    segments: tuple[Segment, ...] = ()
    segment_facts: Mapping[Segment, tuple[Any, Any]] = field(default_factory=dict)
    ledger: LedgerRead | None = None
    folded: Folded | None = None

    @property
    def history(self) -> History:
        """The same reads as the history of one day: a check is the backtest of its day."""
        return History(self.target_date, self.target_date, self.rows,
                       {self.target_date: (self.fact_orders, self.fact_revenue)}, self.events, self.segments,
                       {(self.target_date, s): v for s, v in self.segment_facts.items()}, self.ledger,
                       {self.target_date: self.folded} if self.folded else {})


class Severity(enum.IntEnum):
    """The one severity: its value is the pushed status and the exit-code rank (worst wins), its label the word in
    reports, JSON, the ledger and `fail_on`, its alert level the `severity` label of the alert rules."""

    OK = 0
    WARN = 1
    CRITICAL = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def alert(self) -> str:
        """The alert rules' `severity` label: 'critical', 'warning' (none for OK)."""
        return {Severity.CRITICAL: "critical", Severity.WARN: "warning"}.get(self, "none")

    @classmethod
    def of(cls, label: str) -> Severity:
        """'critical' -> CRITICAL, 'warn' -> WARN, 'ok' -> OK."""
        return cls[label.upper()]


class Reason(str, enum.Enum):
    """Why a check was not evaluated (never a pass: reported as WARN)."""

    INSUFFICIENT_HISTORY = "insufficient history"
    SINCE_SHIFT = "too few days since an accepted shift"
    NOT_FINITE = "statistics not finite"
    UNDEFINED = "value undefined"
    INVALID_INPUTS = "inputs invalid"
    LEDGER_UNREAD = "results ledger unread"

    def __str__(self) -> str:
        return self.value


class CheckName(str, enum.Enum):
    """The catalogue of checks, in report order; the value is the name in reports, gauges and alerts."""

    ROW_PRESENT = "row_present"
    VALID_VALUE = "valid_value"
    ORDERS_WITH_TRAFFIC = "orders_with_traffic"
    ATTRIBUTION_BOUND = "attribution_bound"
    ATTRIBUTION_COVERAGE = "attribution_coverage"
    RECONCILIATION = "reconciliation"
    DROP = "drop"
    SPIKE = "spike"
    RESTATED = "restated"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


class Outcome(enum.Enum):
    """What a check concluded; NOT_EVALUATED is never a pass and reports as WARN."""

    PASSED = "passed"
    WARNED = "warned"
    FAILED = "failed"
    NOT_EVALUATED = "not_evaluated"
    EXPECTED = "expected"  # a drop check on a known-event day: judged OK, whatever the numbers

    @property
    def severity(self) -> Severity:
        return self._severity  # type: ignore[attr-defined]  # set once below: an enum's hash is slow


for _outcome, _severity in {Outcome.PASSED: Severity.OK, Outcome.WARNED: Severity.WARN,
                            Outcome.FAILED: Severity.CRITICAL, Outcome.NOT_EVALUATED: Severity.WARN,
                            Outcome.EXPECTED: Severity.OK}.items():
    _outcome._severity = _severity  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's verdict and the numbers it was judged on (None where they do not apply)."""

    name: CheckName
    metric: str
    outcome: Outcome
    message: str
    value: float | None = None
    median: float | None = None
    mad: float | None = None
    z: float | None = None
    frac: float | None = None
    baseline_days: int | None = None
    coverage: float | None = None
    expected: float | None = None
    difference: float | None = None
    model: str | None = None
    segment: Segment | None = None
    """None: the total (or an unsegmented table)."""
    reason: Reason | None = None
    """Why it was not evaluated (NOT_EVALUATED only)."""
    escalated: int | None = None
    """Drop and spike: the days a WARN stood when escalation made it CRITICAL (0: not escalated)."""

    @property
    def severity(self) -> Severity:
        return self.outcome.severity

    @property
    def subject(self) -> str:
        """The metric, and its segment when it has one: 'orders' or 'orders [country=NL]'."""
        return self.metric if self.segment is None else f"{self.metric} [{self.segment.label}]"


@dataclass(frozen=True)
class Part:
    """One segment's part in a metric's change: its value, baseline median, difference, share of the total's."""

    segment: Segment
    value: float
    median: float
    difference: float
    share: float
    """difference / the sum of the segments' falls (Contribution.falls)."""


@dataclass(frozen=True)
class Contribution:
    """The segments that explain a metric's drop, largest first (at most five)."""

    metric: str
    parts: tuple[Part, ...]
    falls: float = 0.0
    """The sum of every segment's fall (negative): what the shares are of."""
    causes: tuple[Cause, ...] = ()
    """With several segment columns: the dimension values that explain the falls, before the leaves."""


@dataclass(frozen=True)
class Evaluation:
    """The verdict on one target day."""

    target_date: date
    checks: tuple[CheckResult, ...] = field(default_factory=tuple)
    daily_rows: int = 0
    known_event: str | None = None
    notes: tuple[str, ...] = ()
    """The parts of the model the config leaves out (no fact table, no traffic metric, no attribution)."""
    segmented: bool = False
    """The table is segmented: the checks name their segment, the report shows contributions."""
    contributions: tuple[Contribution, ...] = ()
    complete: bool = True
    """False: only the checks that are not OK were built (and no contributions), for a reader of alerts alone
    (`judge.evaluate.iter_days`' partial days: the text backtest, the days before a check's own)."""

    @cached_property
    def severity(self) -> Severity:
        return max((c.severity for c in self.checks), default=Severity.OK)
