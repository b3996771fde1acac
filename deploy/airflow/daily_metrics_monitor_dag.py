"""daily_metrics_monitor: transform -> monitor gate -> refresh_dashboards, once a day (Airflow 3).

The gate judges the day whose data interval just closed (a run at 2026-11-26 00:00 judges 2026-11-25):
- exit 0 (OK or WARN): success, the refresh runs; a WARN is in the gate's task log;
- exit 1 (CRITICAL data, or any WARN with fail_on warn): fails at once, never retried; refresh_dashboards is
  upstream_failed;
- exit 2 or 3 (could not evaluate, push failed): retried `retries` times, then failed; the refresh does not run.
Install the package next to Airflow, from a clone: pip install '.[airflow,postgresql]'.

Settings, all optional:
- Airflow connection `dmm_warehouse` (its URI, postgres:// included), else the DMM_DSN environment variable;
- DMM_PUSHGATEWAY_URL, DMM_PIPELINE and the rest of the job's environment, read by the check itself;
- DMM_CONFIG: the job's YAML config, or several separated by ':' (one gate judges them all in one process,
  each pushed to its own group, and fails with the worst); DMM_SCHEDULE (cron, default "0 6 * * *"),
  DMM_TIMEZONE (default UTC); DMM_FAIL_ON=warn: any WARN fails the gate as a CRITICAL does;
- DMM_GATE_RETRIES (default 2) and DMM_GATE_RETRY_DELAY_SECONDS (default 300);
- run conf / params: {"push_optional": true} makes a failed push a warning (exit 0) instead of a retry;
  {"fail_on": "warn"} (or "critical") wins over DMM_FAIL_ON and the configs' fail_on for that run.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import BaseHook, Param, dag, task
from airflow.timetables.trigger import CronTriggerTimetable

TIMEZONE = os.environ.get("DMM_TIMEZONE", "UTC")
CONFIGS = [path for path in os.environ.get("DMM_CONFIG", "").split(os.pathsep) if path]


def notify_data_owner(context) -> None:
    """on_failure_callback hook point: page or message the data owner here (Alertmanager pages already)."""
    ti = context["task_instance"]
    print(f"daily_metrics_monitor: {ti.task_id} failed for run {context['run_id']}")


def warehouse_url() -> str:
    """The Airflow connection dmm_warehouse, else DMM_DSN."""
    try:
        return BaseHook.get_connection("dmm_warehouse").get_uri()
    except Exception:  # no such connection: fall back to the environment
        dsn = os.environ.get("DMM_DSN")
        if not dsn:
            raise RuntimeError("no warehouse: define the Airflow connection dmm_warehouse or set DMM_DSN") from None
        return dsn


@dag(
    dag_id="daily_metrics_monitor",
    # A trigger timetable with a one-day interval: each run's data interval is the day that just closed.
    schedule=CronTriggerTimetable(os.environ.get("DMM_SCHEDULE", "0 6 * * *"), timezone=TIMEZONE,
                                  interval=timedelta(days=1)),
    start_date=datetime(2026, 1, 1),
    # No catchup: a new deployment judges yesterday, not every day since start_date. Backfill on purpose
    # (`airflow backfill create`): older days are judged and reported, and never replace the live verdict.
    catchup=False,
    # One run at a time: two runs would race for the same Pushgateway group.
    max_active_runs=1,
    params={"push_optional": Param(False, type="boolean"),
            "fail_on": Param(os.environ.get("DMM_FAIL_ON") or None, type=["null", "string"],
                             enum=[None, "critical", "warn"])},
    default_args={"on_failure_callback": notify_data_owner},
    tags=["data-quality"],
)
def daily_metrics_monitor():
    @task
    def transform() -> None:
        """Stand-in for the dbt build of daily_metrics and fct_orders."""

    @task(retries=int(os.environ.get("DMM_GATE_RETRIES", "2")),
          retry_delay=timedelta(seconds=float(os.environ.get("DMM_GATE_RETRY_DELAY_SECONDS", "300"))))
    def monitor_gate(data_interval_start=None, params=None) -> dict:
        from exporter.integrations.airflow import run_gate

        day = data_interval_start.in_timezone(TIMEZONE).date()
        return run_gate(day, warehouse_url(), config=CONFIGS, push_optional=bool(params["push_optional"]),
                        fail_on=params["fail_on"])

    @task
    def refresh_dashboards() -> None:
        """Stand-in for the BI refresh: runs only when the gate succeeded."""

    transform() >> monitor_gate() >> refresh_dashboards()


daily_metrics_monitor_dag = daily_metrics_monitor()
