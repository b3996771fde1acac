"""Soda Core beside the floor: the same checks of one day as a contract Soda Core runs (issue 29).

    python bench/soda.py ROWS YYYY-MM-DD WORKDIR     # writes WORKDIR/soda-config.yml, WORKDIR/soda-checks.yml

The checks are those `daily-metrics-monitor check` makes of the day without the drop statistics: exactly one
daily_metrics row, every volume metric present (not NULL) and non-negative, and the reconciliation sums (the
day's orders equal fct_orders count(*), its revenue equals sum(revenue) within 0.01). Soda Core runs in its
own virtualenv (`soda-core-postgres` 3.5, e.g. /tmp/soda-venv), its telemetry off in WORKDIR/.soda/config.yml
(run with HOME=WORKDIR; else each scan waits ~8 s on a host it cannot reach); bench/run.py --soda runs its
`soda scan -d bench -c WORKDIR/soda-config.yml WORKDIR/soda-checks.yml` interleaved with the floor and the
check.
"""

from __future__ import annotations

import sys
from pathlib import Path

VOLUME = ("events", "users", "sessions", "orders", "revenue")

CONFIG = """data_source bench:
  type: postgres
  host: 127.0.0.1
  port: "5432"
  username: postgres
  password: ""
  database: test
  schema: public
"""


def checks(daily: str, fact: str, day: str) -> str:
    """SodaCL: the day's row of daily_metrics filtered, its values, and the two reconciliation differences."""
    values = "\n".join(f"  - missing_count({m}) = 0\n  - min({m}) >= 0" for m in VOLUME)
    return f"""filter {daily} [day]:
  where: event_date = DATE '{day}'

checks for {daily} [day]:
  - row_count = 1
{values}

checks for {daily}:
  - orders_difference = 0:
      orders_difference query: |
        SELECT abs(d.orders - (SELECT count(*) FROM {fact} WHERE order_date = DATE '{day}'))
        FROM {daily} d WHERE d.event_date = DATE '{day}'
  - revenue_difference <= 0.01:
      revenue_difference query: |
        SELECT abs(d.revenue - (SELECT coalesce(sum(revenue), 0) FROM {fact} WHERE order_date = DATE '{day}'))
        FROM {daily} d WHERE d.event_date = DATE '{day}'
"""


def write(rows: int, day: str, workdir: Path) -> tuple[Path, Path]:
    """The data source and the checks of the bench tables of `rows` fact rows, for `day`."""
    config, contract = workdir / "soda-config.yml", workdir / "soda-checks.yml"
    config.write_text(CONFIG)
    (workdir / ".soda").mkdir(exist_ok=True)
    (workdir / ".soda" / "config.yml").write_text("send_anonymous_usage_stats: false\n")
    contract.write_text(checks(f"bench_daily_metrics_{rows}", f"bench_fct_orders_{rows}", day))
    return config, contract


if __name__ == "__main__":
    print(*write(int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])))
