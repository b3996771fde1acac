"""The segment-trust view's SQL: one row per day and segment from the day's latest run. Builds, never runs.

The ledger's `segment` column holds the segment's label (`channel=paid,platform=ios`, or `other`), then a space
and the attribution model for a model's checks; the total's rows hold NULL or the model alone. The view keeps the
segments' rows, strips the model, and cuts each dimension's value out of the label with the dialect's own
substring functions (a value holding `,<next column>=` would be cut short).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

OTHER = "other"
FIXED = ("pipeline", "data_date", "segment", "status", "critical_checks", "warn_checks", "trusted", "judged_at",
         "run_id")
"""The view's own columns: a dimension of the same name gets `segment_` in front of it."""


def segment_trust_select(t: sa.Table, dimensions: Sequence[str], models: Sequence[str], dialect: Dialect) -> sa.Select:
    """Per (pipeline, data_date) its latest run's segment checks, per segment label: status, counts, trusted."""
    latest = (sa.select(t.c.pipeline, t.c.data_date, sa.func.max(t.c.run_id).label("run_id"))
              .group_by(t.c.pipeline, t.c.data_date).subquery("latest"))
    on = sa.and_(t.c.pipeline == latest.c.pipeline, t.c.data_date == latest.c.data_date, t.c.run_id == latest.c.run_id)
    raw = t.c.segment
    label = sa.case(*((raw.like(f"% {m}"), sa.func.substr(raw, 1, sa.func.char_length(raw) - len(m) - 1))
                      for m in models), else_=raw) if models else raw
    segments = (sa.select(t.c.pipeline, t.c.data_date, t.c.run_id, t.c.run_at, t.c.severity, label.label("segment"))
                .join_from(t, latest, on)
                .where(sa.or_(raw.like("%=%"), raw == OTHER, raw.like(f"{OTHER} %"))).subquery("segments"))
    s = segments.c
    critical = sa.func.sum(sa.case((s.severity == "critical", 1), else_=0))
    warn = sa.func.sum(sa.case((s.severity == "warn", 1), else_=0))
    values = [_value(s.segment, dimensions, k, dialect).label(f"segment_{d}" if d in FIXED else d)
              for k, d in enumerate(dimensions)]
    return (sa.select(s.pipeline, s.data_date, s.segment, *values,
                      sa.case((critical > 0, "critical"), (warn > 0, "warn"), else_="ok").label("status"),
                      critical.label("critical_checks"), warn.label("warn_checks"),
                      sa.case((critical > 0, sa.false()), else_=sa.true()).label("trusted"),
                      sa.func.max(s.run_at).label("judged_at"), s.run_id)
            .group_by(s.pipeline, s.data_date, s.segment, s.run_id))


def _value(label, dimensions: Sequence[str], k: int, dialect: Dialect):
    """The k-th dimension's value in 'd0=v0,d1=v1,...': from after 'dk=' to before ',d(k+1)=' (or the end)."""
    def find(needle: str):
        return sa.func.strpos(label, needle) if dialect.name == "postgresql" else sa.func.instr(label, needle)

    key = f"{dimensions[k]}=" if k == 0 else f",{dimensions[k]}="
    start = find(key) + len(key)
    end = find(f",{dimensions[k + 1]}=") if k + 1 < len(dimensions) else sa.func.char_length(label) + 1
    return sa.case((label == OTHER, sa.null()), else_=sa.func.substr(label, start, end - start))
