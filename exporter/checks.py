"""Judging: turn Measurements into an Evaluation. Pure, no I/O."""

from __future__ import annotations

from functools import partial

from .baseline import baseline_days
from .config import Config, DropRule, Rate, Thresholds
from .model import CheckResult, DayRow, Evaluation, Measurements, Outcome
from .stats import as_number, baseline, exact_difference, fraction_of_median, robust_z

PASSED, WARNED, FAILED, NOT_EVALUATED = Outcome.PASSED, Outcome.WARNED, Outcome.FAILED, Outcome.NOT_EVALUATED
EXPECTED = Outcome.EXPECTED

CHECKS = ("row_present", "valid_value", "orders_with_traffic", "attribution_bound",
          "attribution_coverage", "reconciliation", "drop")
"""The catalogue of check names, in report order."""


def evaluate(m: Measurements, c: Config) -> Evaluation:
    """Every check of the three layers on the target day."""
    day = m.target_date
    today = [r for r in m.rows if r.day == day]
    if len(today) != 1:
        table = c.daily_table.display
        why = (f"no {table} row for {day}" if not today
               else f"{len(today)} {table} rows for {day}: the grain is broken")
        row_check = CheckResult("row_present", "daily_metrics", FAILED, why, value=len(today))
        return Evaluation(day, (row_check,), len(today))
    values = today[0].values
    by_day = _single_rows(m.rows, day)
    event = m.events.get(day)
    checks = [CheckResult("row_present", "daily_metrics", PASSED, f"one row for {day}", value=1)]
    checks += [_valid_value(name, values[name], _physical(c, name)) for name in c.volume_metrics]
    measures = {**{name: partial(_volume, name=name) for name in c.volume_metrics},
                **{rate.name: partial(_rate, rate=rate) for rate in c.rates}}
    drops = []
    for name, measure in measures.items():
        rule = c.drop_rule(name)
        history = baseline_days(by_day, day, rule.baseline, m.events)
        drops.append(_drop(name, measure(values), [measure(v) for v in history], rule, event))
    events_drop = next(d for d in drops if d.metric == "events")
    checks.append(_orders_with_traffic(values, _traffic_normal(events_drop, c.drop_rule("events").thresholds)))
    for model in c.attribution_models:
        for base, column, tolerance in (("orders", model.orders, 0.0),
                                        ("revenue", model.revenue, c.thresholds.revenue_tolerance)):
            checks.append(_attribution_bound(model.name, column, values[column], base, values[base], tolerance))
    checks += [_coverage(model.name, model.orders, values, c.thresholds) for model in c.attribution_models]
    fact = c.fact.table.display
    checks.append(_reconcile("orders", values["orders"], m.fact_orders, 0.0, f"{fact} count(*)"))
    revenue_expr = f"{fact} sum({c.fact.revenue_column})"
    if m.fact_revenue is None and not _is_zero(m.fact_orders) and as_number(m.fact_orders)[0] is not None:
        checks.append(CheckResult("reconciliation", "revenue", FAILED,
                                  f"{fact} has {fmt(as_number(m.fact_orders)[0])} rows for {day} but "
                                  f"{revenue_expr} is NULL: every {c.fact.revenue_column} is NULL",
                                  value=_volume(values, "revenue")))
    else:
        fact_revenue = 0 if m.fact_revenue is None else m.fact_revenue
        checks.append(_reconcile("revenue", values["revenue"], fact_revenue, c.thresholds.revenue_tolerance,
                                 revenue_expr))
    return Evaluation(day, tuple(checks + drops), 1, event)


def classify(z: float, frac: float | None, t: Thresholds) -> Outcome:
    """A drop is CRITICAL/WARN when both frac (strict) and z (inclusive) cross their thresholds."""
    if frac is None:
        return PASSED
    if frac < t.critical_frac and z <= t.critical_z:
        return FAILED
    if frac < t.warn_frac and z <= t.warn_z:
        return WARNED
    return PASSED


def _single_rows(rows: tuple[DayRow, ...], day) -> dict:
    """Values by day, before `day`, of the days that have exactly one row."""
    by_day: dict = {}
    for r in rows:
        if r.day < day:
            by_day.setdefault(r.day, []).append(r.values)
    return {d: found[0] for d, found in by_day.items() if len(found) == 1}


def _volume(values, name: str) -> float | None:
    return as_number(values[name])[0]


def _rate(values, rate: Rate) -> float | None:
    num, den = as_number(values[rate.numerator])[0], as_number(values[rate.denominator])[0]
    return None if num is None or not den else num / den


def _is_zero(value) -> bool:
    return as_number(value)[0] == 0


def fmt(value: float) -> str:
    """A number as people read it: 98,412 / 12,345.67 / 0.123."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 100 else f"{value:.3g}"


def _physical(c: Config, name: str) -> str:
    """Where a logical metric lives, for messages: ' (marts.kpi_daily.visits)' when that is not obvious."""
    column = c.column(name)
    if column == name and c.daily_table.display == "daily_metrics":
        return ""
    return f" ({c.daily_table.display}.{column})"


def shown(value: float, decimals: int, levels: tuple[float, ...]) -> str:
    """`value` rounded to `decimals`, with more digits where rounding would put it on the other side of a level
    (frac 0.5999 against 0.6 reads 0.5999, never 0.60)."""
    for places in range(decimals, 16):
        text = f"{value:.{places}f}"
        rounded = float(text)
        if all((rounded < level) == (value < level) and (rounded == level) == (value == level) for level in levels):
            return text
    return repr(value)


def _valid_value(name: str, raw, where: str = "") -> CheckResult:
    value, problem = as_number(raw)
    if problem is None and value < 0:
        problem = f"is negative ({fmt(value)})"
    if problem:
        return CheckResult("valid_value", name, FAILED, f"{name}{where} {problem}", value=value)
    return CheckResult("valid_value", name, PASSED, f"{name} = {fmt(value)}", value=value)


def _drop(name: str, today: float | None, history: list[float | None], rule: DropRule,
          event: str | None = None) -> CheckResult:
    """Today against the median and MAD of the usable baseline days; a known-event day is expected to differ."""
    t, b = rule.thresholds, rule.baseline
    usable = [v for v in history if v is not None]
    if today is None:
        return CheckResult("drop", name, NOT_EVALUATED, "value undefined for the target day",
                           baseline_days=len(usable))
    if len(usable) < b.minimum:
        return CheckResult("drop", name, NOT_EVALUATED,
                           f"insufficient history ({len(usable)}/{len(b.offsets)} {b.unit})",
                           value=today, baseline_days=len(usable))
    base = baseline(usable)
    z, frac = robust_z(today, base), fraction_of_median(today, base)
    outcome = classify(z, frac, t)
    z_text = "flat baseline" if base.mad == 0 else f"z={shown(z, 1, (t.warn_z, t.critical_z))}"
    frac_text = "median 0" if frac is None else f"frac={shown(frac, 2, (t.warn_frac, t.critical_frac))}"
    median = "median" if b.mode == "rolling" else f"{b.name} median"
    numbers = f"{fmt(today)} vs {median} {fmt(base.median)}"
    message = (f"within normal range ({numbers}, {z_text}, {frac_text})" if outcome is PASSED
               else f"{numbers} ({z_text}, {frac_text})")
    if event:
        outcome, message = EXPECTED, f"expected on a known event ({event}): {numbers}, {z_text}, {frac_text}"
    return CheckResult("drop", name, outcome, message, value=today, median=base.median, mad=base.mad,
                       z=z, frac=frac, baseline_days=base.days)


def _traffic_normal(events_drop: CheckResult, t: Thresholds) -> bool:
    """Events did not drop: passed, too little history to tell, or on a known event within its thresholds."""
    if events_drop.outcome is EXPECTED:
        return classify(events_drop.z, events_drop.frac, t) is PASSED
    return events_drop.outcome in (PASSED, NOT_EVALUATED)


def _orders_with_traffic(values, traffic_normal: bool) -> CheckResult:
    orders, events = _volume(values, "orders"), _volume(values, "events")
    if orders is None or events is None or orders < 0 or events < 0:
        return CheckResult("orders_with_traffic", "orders", NOT_EVALUATED, "not evaluated: orders or events invalid")
    if orders == 0 and events > 0 and traffic_normal:
        return CheckResult("orders_with_traffic", "orders", FAILED,
                           f"orders = 0 while traffic is normal (events = {fmt(events)})", value=orders)
    why = "orders > 0" if orders > 0 else "no orders, but traffic is not normal either"
    return CheckResult("orders_with_traffic", "orders", PASSED, why, value=orders)


def _attribution_bound(model: str, column: str, raw, base: str, raw_base, tolerance: float) -> CheckResult:
    """Attributed <= base, money within the same tolerance as reconciliation (exact decimal arithmetic)."""
    attributed, total = as_number(raw)[0], as_number(raw_base)[0]
    if attributed is None or total is None:
        return CheckResult("attribution_bound", column, NOT_EVALUATED,
                           f"not evaluated: {column if attributed is None else base} is not a number", model=model)
    difference = exact_difference(raw, raw_base)
    if difference > tolerance:
        return CheckResult("attribution_bound", column, FAILED,
                           f"{column} {fmt(attributed)} exceeds {base} {fmt(total)}",
                           value=attributed, expected=total, difference=difference, model=model)
    return CheckResult("attribution_bound", column, PASSED, f"{column} {fmt(attributed)} <= {base} {fmt(total)}",
                       value=attributed, expected=total, difference=difference, model=model)


def _coverage(model: str, column: str, values, t: Thresholds) -> CheckResult:
    attributed, orders = _volume(values, column), _volume(values, "orders")
    if attributed is None or orders is None or orders <= 0:
        return CheckResult("attribution_coverage", column, NOT_EVALUATED,
                           "not evaluated: needs orders > 0 and attributed orders", model=model)
    coverage = attributed / orders
    outcome = WARNED if coverage < t.coverage_min else PASSED
    relation = "below" if outcome is WARNED else "at or above"
    return CheckResult("attribution_coverage", column, outcome,
                       f"{model} coverage {coverage:.1%} {relation} minimum {t.coverage_min:.0%}",
                       value=attributed, coverage=coverage, model=model)


def _reconcile(metric: str, raw, raw_fact, tolerance: float, fact_expr: str) -> CheckResult:
    value, fact = as_number(raw)[0], as_number(raw_fact)[0]
    if value is None or fact is None:
        return CheckResult("reconciliation", metric, NOT_EVALUATED,
                           f"not evaluated: {metric} or {fact_expr} is not a number")
    difference = exact_difference(raw, raw_fact)
    outcome = FAILED if abs(difference) > tolerance else PASSED
    return CheckResult("reconciliation", metric, outcome,
                       f"{metric} {fmt(value)} vs {fact_expr} {fmt(fact)} "
                       f"(difference {fmt(round(difference, 4))})",
                       value=value, expected=fact, difference=difference)
