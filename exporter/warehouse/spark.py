"""The DBAPI of a Spark Thrift server (I/O): PyHive's HiveServer2 client with Spark's literals, types and errors.

PyHive binds parameters by formatting them into the statement; it writes a date as a plain string (which Spark's
ANSI mode refuses beside a DATE) and refuses a Decimal. Here a date is `DATE '…'`, a datetime `TIMESTAMP '…'`
(read in the session's time zone), a Decimal `…BD`. A DATE result comes back as a date, not a string. The socket
has a timeout (the connect timeout, then a backstop for a server gone silent), and an error is Spark's own message.
"""

from __future__ import annotations

import logging
import math
import re
from datetime import date, datetime
from decimal import Decimal

import thrift.transport.TSocket
import thrift.transport.TTransport
import thrift_sasl
from pyhive import hive
from pyhive.exc import (  # noqa: F401 - the DBAPI's names
    DatabaseError,
    DataError,
    Error,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    Warning,
)

apilevel, threadsafety, paramstyle = "2.0", 2, "pyformat"
RESULTS = {"DATE_TYPE": date.fromisoformat, "TIMESTAMP_TYPE": hive._parse_timestamp, "DECIMAL_TYPE": Decimal}
"""Spark's result types that arrive as strings -> the Python value."""
NOT_REACHED = (thrift.transport.TTransport.TTransportException, OSError, EOFError)
logging.getLogger("thrift").addHandler(logging.NullHandler())  # TSocket logs a refused connect: it is raised too


class Escaper(hive.HiveParamEscaper):
    """A parameter as a Spark SQL literal of its type."""

    def escape_item(self, item):
        if isinstance(item, bool):
            return "TRUE" if item else "FALSE"
        if isinstance(item, float):
            return f"{item!r}D" if math.isfinite(item) else f"CAST('{item}' AS DOUBLE)"
        if isinstance(item, Decimal):
            return f"{item:f}BD"
        if isinstance(item, datetime):
            return f"TIMESTAMP '{item.isoformat(sep=' ')}'"
        if isinstance(item, date):
            return f"DATE '{item.isoformat()}'"
        return super().escape_item(item)


ESCAPER = Escaper()


def message(exc: BaseException) -> str:
    """Spark's own words for a failed request: its error class and message, without the Java class names."""
    response = exc.args[0] if exc.args else None
    status = getattr(response, "status", None)
    text = (getattr(status, "errorMessage", None) or str(exc) or type(exc).__name__).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if first.endswith("found TIMEDOUT"):  # what Spark says of a statement its queryTimeout cancelled
        return f"the statement timed out on the server (spark.sql.thriftServer.queryTimeout): {first}"
    return re.sub(r"^(Error running query: )?(\[[\w.]+\] )?([\w$]+\.)+\w*(Exception|Error): ", "", first)


class Cursor(hive.Cursor):
    """PyHive's cursor with Spark's literals, DATE results as dates, and Spark's message on a failure."""

    def execute(self, operation, parameters=None, **kwargs):
        sql = operation if parameters is None else operation % ESCAPER.escape_args(parameters)
        try:
            super().execute(sql, **kwargs)
        except (OperationalError, *NOT_REACHED) as exc:
            raise OperationalError(message(exc)) from exc

    def _fetch_more(self):
        if not self._operationHandle.hasResultSet:
            raise ProgrammingError("No result set")
        request = hive.ttypes.TFetchResultsReq(operationHandle=self._operationHandle,
                                               orientation=hive.ttypes.TFetchOrientation.FETCH_NEXT,
                                               maxRows=self.arraysize)
        try:
            response = self._connection.client.FetchResults(request)
            hive._check_status(response)
            schema = self.description
        except (OperationalError, *NOT_REACHED) as exc:
            raise OperationalError(message(exc)) from exc
        columns = []
        # strict=False as PyHive: the answer to a statement without rows (an INSERT) has a schema and no columns
        for column, (_, type_code, *_) in zip(response.results.columns, schema, strict=False):
            convert = RESULTS.get(type_code)
            values = hive._unwrap_column(column)
            columns.append([v if v is None or convert is None else convert(v) for v in values])
        rows = list(zip(*columns, strict=True))
        self._data += rows
        if not rows:
            self._state = self._STATE_FINISHED


class Connection(hive.Connection):
    """A Thrift session whose cursors are Spark's."""

    def cursor(self, *args, **kwargs):
        return Cursor(self, *args, **kwargs)

    def close(self):
        try:
            super().close()
        except (OperationalError, *NOT_REACHED):
            pass  # the server has gone or closed the session already: nothing is left open here


def connect(host: str = "127.0.0.1", port: int = 10000, username: str | None = None, password: str | None = None,
            database: str = "default", auth: str | None = None, connect_timeout: float | None = None,
            read_timeout: float | None = None, **kwargs) -> Connection:
    """A session on the Thrift server. Authentication NONE, LDAP or CUSTOM (SASL PLAIN) and NOSASL get a socket
    timeout: `connect_timeout` seconds for the handshake, `read_timeout` for every answer afterwards; any other
    (KERBEROS, http) is PyHive's own transport, without one."""
    auth = (auth or "NONE").upper()
    if auth not in ("NONE", "LDAP", "CUSTOM", "NOSASL") or "scheme" in kwargs or "thrift_transport" in kwargs:
        return _open(host=host, port=port, username=username, password=password, database=database, auth=auth,
                     **kwargs)
    socket = thrift.transport.TSocket.TSocket(host, int(port))
    if connect_timeout:
        socket.setTimeout(connect_timeout * 1000)
    user = username or "anonymous"
    if auth == "NOSASL":
        transport = thrift.transport.TTransport.TBufferedTransport(socket)
    else:
        transport = thrift_sasl.TSaslClientTransport(
            lambda: hive.get_installed_sasl(host=host, sasl_auth="PLAIN", username=user, password=password or "x"),
            "PLAIN", socket)
    connection = _open(thrift_transport=transport, username=user, database=database, **kwargs)
    socket.setTimeout(read_timeout * 1000 if read_timeout else None)
    return connection


def _open(**kwargs) -> Connection:
    try:
        return Connection(**kwargs)
    except (OperationalError, *NOT_REACHED) as exc:
        raise OperationalError(message(exc)) from exc
