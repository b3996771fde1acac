"""The configuration's shape: frozen dataclasses with the defaults. Pure, no I/O.

Every threshold the job, the alert rules and the dashboard use lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .segments import Segments

ROLES = ("orders", "revenue")
"""Logical metrics the hard rules need; they must be volume metrics (the traffic metric, when set, too)."""
FAIL_ON = ("critical", "warn")
"""The severities that can fail a run (exit 1): `critical` (the default) or anything from `warn` up."""
MODES = ("rolling", "same_weekday")
DIRECTIONS = ("drop", "spike", "both")
EVENT_REACH = 2
"""same_weekday: how many weeks further back a baseline may reach to replace known-event weeks."""
TRUST_REACH = {"rolling": 6, "same_weekday": 3}
"""exclude_alerted: a window may reach back this many times its size to replace alerted days."""


@dataclass(frozen=True)
class TableRef:
    name: str
    schema: str | None = None

    @property
    def display(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class Rate:
    name: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class AttributionModel:
    name: str
    orders: str
    revenue: str


@dataclass(frozen=True)
class CalendarTable:
    """A warehouse table of known events (holidays, outages, campaigns): one row per day."""

    table: TableRef
    date_column: str = "day"
    name_column: str = "name"


@dataclass(frozen=True)
class FactTable:
    table: TableRef = TableRef("fct_orders")
    date_column: str | None = "order_date"
    timestamp_column: str | None = None
    revenue_column: str = "revenue"

    @property
    def day_column(self) -> str:
        """The column that dates a fact row (exactly one of date_column and timestamp_column is set at load)."""
        return self.timestamp_column or self.date_column or ""


@dataclass(frozen=True)
class Thresholds:
    warn_frac: float = 0.6
    warn_z: float = -3.0
    critical_frac: float = 0.3
    critical_z: float = -5.0
    coverage_min: float = 0.10
    revenue_tolerance: float = 0.01
    spike_warn_frac: float = 1.667
    spike_warn_z: float = 3.0
    spike_critical_frac: float = 3.333
    spike_critical_z: float = 5.0
    escalate_after_days: int = 3  # a WARN standing this many consecutive days becomes CRITICAL; 0: never


@dataclass(frozen=True)
class BaselineWindow:
    """Which earlier days a drop is judged against.

    `rolling`: D-days .. D-1. `same_weekday`: D-7, D-14, ... D-7*weeks (weekly seasonality).
    """

    mode: str = "rolling"
    days: int = 7
    min_days: int = 5
    weeks: int = 4
    min_weeks: int = 3
    exclude_alerted: bool = True

    @property
    def offsets(self) -> tuple[int, ...]:
        """How many days before D each baseline day lies."""
        if self.mode == "same_weekday":
            return tuple(7 * k for k in range(1, self.weeks + 1))
        return tuple(range(1, self.days + 1))

    @property
    def minimum(self) -> int:
        """Fewer usable days than this: insufficient history."""
        return self.min_weeks if self.mode == "same_weekday" else self.min_days

    @property
    def slots(self) -> int:
        """How many baseline days (rolling) or weeks (same_weekday) the window holds."""
        return self.weeks if self.mode == "same_weekday" else self.days

    @property
    def step(self) -> int:
        """Days between two candidate baseline days: 1 (rolling) or 7 (same_weekday)."""
        return 7 if self.mode == "same_weekday" else 1

    @property
    def reach(self) -> int:
        """Candidates back a window may look: its slots (+ EVENT_REACH weeks), or TRUST_REACH x its slots."""
        plain = self.slots + (EVENT_REACH if self.mode == "same_weekday" else 0)
        return max(plain, TRUST_REACH[self.mode] * self.slots) if self.exclude_alerted else plain

    @property
    def levels(self) -> int:
        """How many times earlier days are re-judged to find the alerted ones (0: exclude_alerted is off).

        Each level lets an unbroken run of alerted days grow by half a window, so this many levels carry a
        persistent loss across the whole reach; a check reads (levels + 1) reaches back for it.
        """
        return -(-self.reach // -(-self.slots // 2)) if self.exclude_alerted else 0

    @property
    def span(self) -> int:
        """Most days before D one window reads: its days (+ same weekdays reach // 7 weeks back) or weeks."""
        if self.mode == "same_weekday":
            return self.step * self.reach
        return self.slots + 7 * (max(self.reach // 7, 1) - 1) if self.exclude_alerted else self.slots

    def lookback(self, calendar: bool) -> int:
        """Days before D a judgement of D reads (without a calendar a plain same-weekday window: its weeks)."""
        span = self.span if calendar or self.exclude_alerted else self.step * self.slots
        return span * (self.levels + 1)

    @property
    def name(self) -> str:
        """How reports call it: '7-day' or '4-week same-weekday'."""
        return f"{self.weeks}-week same-weekday" if self.mode == "same_weekday" else f"{self.days}-day"

    @property
    def unit(self) -> str:
        return "same weekdays" if self.mode == "same_weekday" else "days"


@dataclass(frozen=True)
class DropRule:
    """How one metric's change is judged: its baseline window, its thresholds and which way is bad."""

    baseline: BaselineWindow
    thresholds: Thresholds
    direction: str = "drop"
    statistic: str = "auto"  # robust (median, MAD), count (judge/counts.py) or auto (judge/counting.counted)

    @property
    def directions(self) -> tuple[str, ...]:
        """The directions judged: ('drop',), ('spike',) or both."""
        return ("drop", "spike") if self.direction == "both" else (self.direction,)


@dataclass(frozen=True)
class Shift:
    """An accepted change of level: from `day` on, baselines of its metrics use only days from `day` on."""

    day: date
    name: str
    metrics: tuple[str, ...] = ()
    """The metrics it applies to; empty: every volume metric and rate."""


@dataclass(frozen=True)
class Alerting:
    not_run_warning_hours: float = 26.0
    not_run_critical_hours: float = 50.0
    data_lag_max_hours: float = 60.0
    absent_for_minutes: float = 15.0
    scrape_interval_seconds: float = 30.0
    runbook_url: str | None = None
    pager_webhook_url: str = "http://data-owner-pager.invalid/alerts"
    notify_webhook_url: str = "http://data-owner-notify.invalid/alerts"


@dataclass(frozen=True)
class Results:
    """The results ledger: an append-only table of every check of every run, and the trust views over it."""

    table: str | None = None  # None: no ledger (the default)
    schema: str | None = None
    trust_view: str = "dmm_day_trust"
    segment_trust_view: str | None = None  # None: dmm_segment_trust, or <trust_view>_segment when that is renamed

    @property
    def ledger(self) -> TableRef | None:
        return TableRef(self.table, self.schema) if self.table else None

    @property
    def view(self) -> TableRef:
        return TableRef(self.trust_view, self.schema)

    @property
    def segment_view(self) -> TableRef:
        return TableRef(self.segment_trust_view or ("dmm_segment_trust" if self.trust_view == "dmm_day_trust"
                                                    else f"{self.trust_view}_segment"), self.schema)


@dataclass(frozen=True)
class Restatement:
    """Re-check D-1 .. D-days against the values the ledger stored when they were judged."""

    days: int = 3
    tolerance: float = 0.01
    """The relative change that counts as a restatement (more than this)."""


@dataclass(frozen=True)
class Config:
    daily_table: TableRef = TableRef("daily_metrics")
    date_column: str = "event_date"
    columns: tuple[tuple[str, str], ...] = ()
    volume_metrics: tuple[str, ...] = ("events", "users", "sessions", "orders", "revenue")
    rates: tuple[Rate, ...] = (
        Rate("add_to_cart_rate", "add_to_cart_users", "users"),
        Rate("checkout_rate", "checkout_users", "add_to_cart_users"),
        Rate("purchase_rate", "purchase_users", "checkout_users"),
    )
    attribution_models: tuple[AttributionModel, ...] = (
        AttributionModel("first_click", "attributed_orders_first_click", "attributed_revenue_first_click"),
        AttributionModel("last_click", "attributed_orders_last_click", "attributed_revenue_last_click"),
    )
    fact: FactTable | None = FactTable()  # None (`fct_orders: null`): no reconciliation
    traffic: str | None = "events"
    """The volume metric `orders_with_traffic` compares orders with; None: that check is left out."""
    fail_on: str = "critical"
    thresholds: Thresholds = Thresholds()
    baseline: BaselineWindow = BaselineWindow()
    overrides: tuple[tuple[str, DropRule], ...] = ()
    """Metrics or rates with a baseline or drop thresholds of their own."""
    calendar_events: tuple[tuple[date, str], ...] = ()
    calendar_table: CalendarTable | None = None
    calendar_shifts: tuple[Shift, ...] = ()
    calendar_countries: tuple[str, ...] = ()  # calendar.countries: their public holidays are known events
    connect_timeout_seconds: float = 10.0
    statement_timeout_seconds: float = 60.0
    memory_limit_mb: int = 1024  # DuckDB's, inside the job's process: past it a query spills to disk
    job: str = "daily_metrics_monitor"
    pipeline: str = "daily_metrics"
    alerting: Alerting = Alerting()
    currency: str | None = None
    """The unit of revenue (EUR, USD, ...): only the backtest page's axis label uses it."""
    results: Results = Results()
    restatement: Restatement = Restatement()
    segments: Segments | None = None
    """None: the daily table has one row per day (no segments)."""
    source: str = field(default="defaults", compare=False)

    @property
    def drop_metrics(self) -> tuple[str, ...]:
        return self.volume_metrics + tuple(r.name for r in self.rates)

    def drop_rule(self, metric: str) -> DropRule:
        return dict(self.overrides).get(metric) or DropRule(self.baseline, self.thresholds)

    @property
    def lookback(self) -> int:
        """Days before D the window reads: the longest-reaching metric's (+ escalation's N - 1), restatement's."""
        calendar = bool(self.calendar_events or self.calendar_table or self.calendar_countries)
        restated = self.restatement.days if self.results.table else 0  # the days `restated` re-reads
        return max(restated, *(r.baseline.lookback(calendar) + max(r.thresholds.escalate_after_days - 1, 0)
                               for r in map(self.drop_rule, self.drop_metrics)))

    def shifts(self, metric: str) -> tuple[Shift, ...]:
        """The accepted shifts that apply to `metric`, oldest first."""
        return tuple(s for s in self.calendar_shifts if not s.metrics or metric in s.metrics)

    def column(self, logical: str) -> str:
        """The physical column behind a logical metric name."""
        return dict(self.columns).get(logical, logical)

    @property
    def logical_columns(self) -> tuple[str, ...]:
        """Every logical daily_metrics column a check reads, in a stable order."""
        names = list(self.volume_metrics)
        for rate in self.rates:
            names += [rate.numerator, rate.denominator]
        for model in self.attribution_models:
            names += [model.orders, model.revenue]
        return tuple(dict.fromkeys(names))
