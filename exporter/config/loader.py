"""Loading the config (reads the YAML file): validated once at the boundary, every error naming its key."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ConfigProblems
from .drops import drop_rule, events, override, shifts
from .holidays import countries
from .reader import (
    Range,
    Section,
    did_you_mean,
    identifier,
    identifier_list,
    integer,
    number,
    one_of,
    pair,
    text,
    url,
    within,
)
from .schema import (
    FAIL_ON,
    ROLES,
    Alerting,
    AttributionModel,
    CalendarTable,
    Config,
    DropRule,
    FactTable,
    Rate,
    Restatement,
    Results,
    TableRef,
)
from .segments import read_segments, segment_problems
from .yaml_limits import bounded_loader


def load(path: str | Path | None) -> Config:
    """Read and validate a YAML config; None gives the defaults."""
    if path is None:
        return Config()
    import yaml  # only a run with --config pays for the import

    try:
        content = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from None
    try:
        data = yaml.load(content, Loader=bounded_loader(yaml))  # a SafeLoader with limits
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "not YAML"
        context = getattr(exc, "context", None)
        raise ConfigError(f"config {path}: invalid YAML{where}: {problem}"
                          + (f" ({context})" if context else "")) from None
    except ValueError as exc:  # PyYAML's int() of more than 4,300 digits
        raise ConfigError(f"config {path}: invalid YAML: {exc}") from None
    try:
        return from_mapping({} if data is None else data, source=str(path))
    except ConfigProblems as exc:
        raise ConfigProblems([f"config {path}: {p}" for p in exc.problems]) from None
    except ConfigError as exc:
        raise ConfigError(f"config {path}: {exc}") from None


def from_mapping(data: Any, source: str = "mapping") -> Config:
    """Build a Config from plain data, naming the key of the first error."""
    root = Section(data, "")
    dm, fact, metrics, th = (root.section(k) for k in ("daily_metrics", "fct_orders", "metrics", "thresholds"))
    calendar, db, push, alerts = (root.section(k) for k in ("calendar", "database", "push", "alerts"))
    d = Config()
    timestamp = fact.get("timestamp_column", identifier, None, nullable=True)
    columns = dm.mapping("columns", {}, value=identifier, allow_empty=True)
    rates = metrics.mapping("rates", None, value=_Rate, allow_empty=True)
    models = metrics.mapping("attribution_models", None, value=_Model, allow_empty=True)
    default_rule, overrides = _drop_rules(root, th, metrics, d)
    config = Config(
        daily_table=TableRef(dm.get("table", identifier, d.daily_table.name),
                             dm.get("schema", identifier, None, nullable=True)),
        date_column=dm.get("date_column", identifier, d.date_column),
        columns=tuple(sorted(columns.items())),
        volume_metrics=tuple(metrics.get("volume", identifier_list, list(d.volume_metrics))),
        rates=d.rates if rates is None else tuple(Rate(n, *v) for n, v in rates.items()),
        attribution_models=d.attribution_models
        if models is None
        else tuple(AttributionModel(n, *v) for n, v in models.items()),
        fact=None if "fct_orders" in root.data and root.data["fct_orders"] is None else _fact(fact, timestamp),
        traffic=metrics.get("traffic", identifier, d.traffic, nullable=True),
        fail_on=root.get("fail_on", one_of(FAIL_ON), d.fail_on),
        thresholds=default_rule.thresholds,
        baseline=default_rule.baseline,
        overrides=tuple(sorted(overrides.items())),
        calendar_events=events(calendar),
        calendar_countries=countries(calendar.get("countries", lambda v, where: v, None, nullable=True)),
        calendar_table=None if calendar.data.get("table") is None else _calendar_table(calendar.section("table")),
        connect_timeout_seconds=db.get("connect_timeout_seconds", _IN["connect"], d.connect_timeout_seconds),
        statement_timeout_seconds=db.get("statement_timeout_seconds", _IN["statement"], d.statement_timeout_seconds),
        memory_limit_mb=db.get("memory_limit_mb", _IN["memory_mb"], d.memory_limit_mb),
        job=push.get("job", identifier, d.job),
        pipeline=push.get("pipeline", identifier, d.pipeline),
        alerting=Alerting(**{f.name: alerts.get(f.name, _ALERT_KEYS[f.name], getattr(d.alerting, f.name),
                                                nullable=f.name == "runbook_url")
                             for f in fields(Alerting)}),
        currency=metrics.get("currency", text, None, nullable=True),
        results=_results(root.section("results")),
        restatement=_restatement(root.section("restatement")),
        segments=read_segments(root.section("segments")),
        source=source,
    )
    calendar.get("table", lambda v, where: v, None, nullable=True)
    config = replace(config, calendar_shifts=shifts(calendar, config.drop_metrics))
    for section in (root, dm, fact, metrics, th, calendar, db, push, alerts):
        section.reject_unknown()
    _check_consistency(config)
    return config


def _drop_rules(root: Section, th: Section, metrics: Section, d: Config) -> tuple[DropRule, dict[str, DropRule]]:
    """The default drop rule (baseline and thresholds) and each metric's override of it."""
    rule = drop_rule(root.section("baseline"), th, DropRule(d.baseline, d.thresholds))
    thresholds = replace(rule.thresholds,
                         coverage_min=th.get("attribution_coverage_min", _IN["coverage"], d.thresholds.coverage_min),
                         revenue_tolerance=th.get("reconciliation_revenue_tolerance", _IN["tolerance"],
                                                  d.thresholds.revenue_tolerance))
    default_rule = DropRule(rule.baseline, thresholds)  # what an override leaves unsaid
    overrides = metrics.mapping("overrides", {}, value=lambda v, where: override(Section(v, where), default_rule),
                                allow_empty=True)
    return default_rule, overrides


def _results(r: Section) -> Results:
    d = Results()
    results = Results(r.get("table", identifier, d.table, nullable=True), r.get("schema", identifier, d.schema,
                                                                                 nullable=True),
                      r.get("trust_view", identifier, d.trust_view),
                      r.get("segment_trust_view", identifier, d.segment_trust_view, nullable=True))
    r.reject_unknown()
    return results


def _restatement(r: Section) -> Restatement:
    d = Restatement()
    restatement = Restatement(r.get("days", _IN["restated_days"], d.days),
                              r.get("tolerance", _IN["tolerance"], d.tolerance))
    r.reject_unknown()
    return restatement


def _fact(fact: Section, timestamp: str | None) -> FactTable:
    d = FactTable()
    return FactTable(
        table=TableRef(fact.get("table", identifier, d.table.name),
                       fact.get("schema", identifier, None, nullable=True)),
        date_column=fact.get("date_column", identifier, None if timestamp else d.date_column, nullable=True),
        timestamp_column=timestamp,
        revenue_column=fact.get("revenue_column", identifier, d.revenue_column),
    )


def _calendar_table(t: Section) -> CalendarTable:
    table = CalendarTable(TableRef(t.get("name", identifier, None), t.get("schema", identifier, None, nullable=True)),
                          t.get("date_column", identifier, "day"), t.get("name_column", identifier, "name"))
    t.reject_unknown()
    if table.table.name is None:
        raise ConfigError("calendar.table.name: required")
    return table


def _check_consistency(c: Config) -> None:
    rules = [
        (c.fact is None or (c.fact.date_column is None) != (c.fact.timestamp_column is None),
         "fct_orders: set exactly one of date_column and timestamp_column"),
        (c.traffic is None or c.traffic in c.volume_metrics,
         f"metrics.traffic: {c.traffic!r} is not in metrics.volume: name the volume metric that counts your "
         "traffic, or set metrics.traffic: null (no orders_with_traffic check)"),
        (c.alerting.not_run_warning_hours <= c.alerting.not_run_critical_hours,
         "alerts.not_run_warning_hours: must be at most not_run_critical_hours"),
        (c.results.trust_view != c.results.table, "results.trust_view: must differ from results.table"),
        (c.results.segment_view.name not in (c.results.table, c.results.trust_view),
         "results.segment_trust_view: must differ from results.table and results.trust_view"),
    ]
    for role in ROLES:
        rules.append((role in c.volume_metrics, f"metrics.volume: must include {role!r}"))
    for name, _ in c.overrides:
        hint = did_you_mean(name, c.drop_metrics) or f": a key is one of {', '.join(c.drop_metrics)}"
        rules.append((name in c.drop_metrics, f"metrics.overrides.{name}: unknown metric or rate{hint}"))
    for logical, _ in c.columns:
        hint = did_you_mean(logical, c.logical_columns) or f": a key is one of {', '.join(c.logical_columns)}"
        rules.append((logical in c.logical_columns, f"daily_metrics.columns.{logical}: unknown metric{hint}"))
    names = list(c.volume_metrics) + [r.name for r in c.rates]
    rules.append((len(names) == len(set(names)), "metrics: volume and rate names must be unique"))
    if c.segments:
        taken = {c.date_column: "daily_metrics.date_column",
                 **{c.column(n): f"the column of metric {n!r}" for n in c.logical_columns}}
        rules += [(False, problem) for problem in segment_problems(c.segments, c.volume_metrics, taken)]
    problems = [message for ok, message in rules if not ok]
    if len(problems) > 1:
        raise ConfigProblems(problems)
    if problems:
        raise ConfigError(problems[0])


RANGES = {"coverage": Range(0, 1), "tolerance": Range(0, 1e9), "connect": Range(0, 300, low_open=True),
          "statement": Range(0, 3600, low_open=True), "hours": Range(0, 8760, low_open=True),
          "minutes": Range(0, 10080), "scrape": Range(1, 3600)}
"""The documented range of each number outside the drop rule (drops.py holds those): a year of hours, a week
of minutes, five minutes to connect, an hour for a statement."""
_IN = {name: within(number, bounds) for name, bounds in RANGES.items()}
_IN["restated_days"] = within(integer, Range(0, 31))  # `restated` re-reads these days in the daily_metrics window
_IN["memory_mb"] = within(integer, Range(64, 1048576))  # DuckDB's own floor for a useful session .. 1 TiB
_ALERT_KEYS = {"not_run_warning_hours": _IN["hours"], "not_run_critical_hours": _IN["hours"],
               "data_lag_max_hours": _IN["hours"], "absent_for_minutes": _IN["minutes"],
               "scrape_interval_seconds": _IN["scrape"], "runbook_url": url,
               "pager_webhook_url": url, "notify_webhook_url": url}
_Rate = pair(("numerator", "denominator"))
_Model = pair(("orders", "revenue"))
