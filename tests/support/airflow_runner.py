"""Run the shipped DAG once with dag.test() in a real Airflow; print each task's state as one JSON line.

Run in its own process (Airflow reads AIRFLOW_HOME once, at import): python airflow_runner.py DAG_FILE RUN_CONF
"""

import importlib.util
import json
import sys
from datetime import datetime, timezone

spec = importlib.util.spec_from_file_location("dag_file", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
run = module.daily_metrics_monitor_dag.test(logical_date=datetime(2026, 11, 26, tzinfo=timezone.utc),
                                            run_conf=json.loads(sys.argv[2]))
states = {ti.task_id: {"state": str(ti.state), "try_number": ti.try_number} for ti in run.get_task_instances()}
print("TASK STATES " + json.dumps(states))
