"""The `spark://HOST:PORT/DATABASE` SQLAlchemy dialect (I/O): PyHive's Hive dialect, corrected for Spark SQL.

What PyHive 0.7's `hive://` gets wrong on Spark 4 with SQLAlchemy 2, and what this one does instead: Date is
DATE (not TIMESTAMP) and Numeric keeps its precision; an INSERT keeps its column list and many rows go in one
statement (one Spark job: all of them or none); the catalog is read from `SHOW TABLES`' table name (not its
namespace), a missing table is `has_table` False, and column types come from `DESCRIBE TABLE`.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from pyhive.sqlalchemy_hive import HiveCompiler, HiveDialect, HiveTypeCompiler
from sqlalchemy.sql.compiler import DDLCompiler, GenericTypeCompiler, SQLCompiler

from . import spark

TYPES = {"date": sa.Date, "timestamp": sa.DateTime, "timestamp_ntz": sa.DateTime, "decimal": sa.Numeric,
         "string": sa.String, "varchar": sa.String, "char": sa.String, "boolean": sa.Boolean,
         "tinyint": sa.SmallInteger, "smallint": sa.SmallInteger, "int": sa.Integer, "integer": sa.Integer,
         "bigint": sa.BigInteger, "long": sa.BigInteger, "float": sa.Float, "real": sa.Float, "double": sa.Double,
         "binary": sa.LargeBinary}
"""Spark's type names (DESCRIBE TABLE) -> SQLAlchemy's; another (array, map, struct …) is NullType."""


class SparkTypeCompiler(HiveTypeCompiler):
    def visit_DATE(self, type_, **kw):
        return "DATE"

    def visit_NUMERIC(self, type_, **kw):
        return GenericTypeCompiler.visit_NUMERIC(self, type_, **kw)

    def visit_DECIMAL(self, type_, **kw):
        return GenericTypeCompiler.visit_DECIMAL(self, type_, **kw)


class SparkCompiler(HiveCompiler):
    def visit_insert(self, *args, **kwargs):  # Spark takes the column list PyHive removes
        return SQLCompiler.visit_insert(self, *args, **kwargs)


class SparkDDLCompiler(DDLCompiler):
    def visit_primary_key_constraint(self, constraint, **kw):
        return None  # not enforced by Spark, and refused in a CREATE TABLE of its own catalog


class SparkDialect(HiveDialect):
    name = "spark"
    driver = "pyhive"
    statement_compiler = SparkCompiler
    ddl_compiler = SparkDDLCompiler
    type_compiler = type_compiler_cls = SparkTypeCompiler  # PyHive sets the legacy name, which SQLAlchemy reads first
    supports_statement_cache = True
    use_insertmanyvalues = True
    use_insertmanyvalues_wo_returning = True
    insertmanyvalues_page_size = insertmanyvalues_max_parameters = 2 ** 31
    """executemany is one multi-row INSERT: one Spark job, whose commit writes every row or none."""

    @classmethod
    def import_dbapi(cls):
        return spark

    def create_connect_args(self, url):
        args = {"host": url.host or "127.0.0.1", "port": url.port or 10000, "username": url.username,
                "password": url.password, "database": url.database or "default", **url.query}
        return [], {k: v for k, v in args.items() if v is not None}

    def get_table_names(self, connection, schema=None, **kw):
        return [row[1] for row in connection.exec_driver_sql(f"SHOW TABLES{self._in(schema)}")
                if not row[2]]  # not a temporary view

    def get_view_names(self, connection, schema=None, **kw):
        return [row[1] for row in connection.exec_driver_sql(f"SHOW VIEWS{self._in(schema)}")]

    def has_table(self, connection, table_name, schema=None, **kw):
        pattern = table_name.replace("\\", "\\\\").replace("'", "\\'")
        found = connection.exec_driver_sql(f"SHOW TABLES{self._in(schema)} LIKE '{pattern}'").all()
        return any(row[1].lower() == table_name.lower() for row in found)

    def get_columns(self, connection, table_name, schema=None, **kw):
        if not self.has_table(connection, table_name, schema):
            raise sa.exc.NoSuchTableError(table_name)
        name = self.identifier_preparer.format_table(sa.table(table_name, schema=schema))
        columns = []
        for column, type_name, _ in connection.exec_driver_sql(f"DESCRIBE TABLE {name}"):
            if not column or column.startswith("#"):
                break  # the partitioning and detail sections repeat columns
            base = re.sub(r"\W.*", "", type_name.strip()).lower()  # decimal(14,2) -> decimal
            columns.append({"name": column, "type": TYPES.get(base, sa.types.NullType)(), "nullable": True,
                            "default": None})
        return columns

    def get_pk_constraint(self, connection, table_name, schema=None, **kw):
        return {"constrained_columns": [], "name": None}

    def get_indexes(self, connection, table_name, schema=None, **kw):
        return []

    def has_index(self, connection, table_name, index_name, schema=None, **kw):
        return False

    def _in(self, schema: str | None) -> str:
        return f" IN {self.identifier_preparer.quote_identifier(schema)}" if schema else ""
