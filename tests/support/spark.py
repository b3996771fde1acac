"""A Spark Thrift server for the tests: the installed pyspark's jars on a free loopback port, its own dirs."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import unavailable
from tests.support.services import free_port

START_SECONDS = 240
"""First `SELECT 1` took 17-24 s on 2 loaded cores; a generous deadline, polled."""


def spark_home() -> Path:
    """pyspark's directory (its jars and bin/spark-submit), with java on PATH; unavailable otherwise."""
    spec = importlib.util.find_spec("pyspark")
    if spec is None or not spec.origin:
        unavailable("pyspark is not installed (pip install -e '.[test]')")
    if not shutil.which("java"):
        unavailable("java is not installed (apt-get install openjdk-17-jre-headless)")
    return Path(spec.origin).parent


SMALL_DATA = {"spark.sql.codegen.wholeStage": "false", "spark.sql.adaptive.enabled": "false",
              "spark.sql.shuffle.partitions": "1"}
"""For the tests' tables of a few thousand rows: compiling generated code and re-planning cost more than they save
(test_backtest.py on Spark: 251 s -> 221 s on 2 loaded cores). The benchmark runs without them."""


def command(home: Path, port: int, tmp: Path, extra: dict[str, str]) -> list[str]:
    java = (f"-Dderby.system.home={tmp / 'derby'} -Djava.io.tmpdir={tmp / 'java'} "
            "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
    conf = {"spark.sql.warehouse.dir": tmp / "warehouse", "spark.local.dir": tmp / "local",
            "spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "2", "spark.driver.extraJavaOptions": java,
            "spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1", **extra}
    hive = {"hive.server2.thrift.port": port, "hive.server2.thrift.bind.host": "127.0.0.1",
            "hive.exec.scratchdir": tmp / "scratch", "hive.exec.local.scratchdir": tmp / "scratch-local",
            "hive.downloaded.resources.dir": tmp / "resources",
            "hive.server2.logging.operation.log.location": tmp / "operation-logs"}
    return [str(home / "bin" / "spark-submit"), "--class", "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2",
            "--master", "local[2]", "--driver-memory", "1g",
            *(a for k, v in conf.items() for a in ("--conf", f"{k}={v}")),
            *(a for k, v in hive.items() for a in ("--hiveconf", f"{k}={v}")), "spark-internal"]


@contextmanager
def thrift_server(tmp: Path, conf: dict[str, str] | None = None):
    """Start the server (with `conf` beside the defaults), yield its DSN once it answers `SELECT 1`, stop its
    process group afterwards."""
    home, port = spark_home(), free_port()
    for d in ("derby", "java", "local"):
        (tmp / d).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_CONF_DIR": str(tmp)}
    log = tmp / "thriftserver.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command(home, port, tmp, conf or {}), cwd=tmp, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        dsn = f"spark://127.0.0.1:{port}/default"
        _wait(process, port, log)
        yield dsn
    finally:
        _stop(process)


def _wait(process: subprocess.Popen, port: int, log: Path) -> None:
    from exporter.warehouse import spark

    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            connection = spark.connect("127.0.0.1", port, connect_timeout=2, read_timeout=60)
            try:
                cursor = connection.cursor()
                cursor.execute("SELECT 1")
                cursor.fetchall()
                return
            finally:
                connection.close()
        except spark.Error:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the Spark Thrift server did not answer on port {port}: "
                               f"{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.5)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to its process group (spark-submit's shell and the JVM), SIGKILL after 30 s."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
