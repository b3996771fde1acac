"""A segment value compared byte for byte, so that the database and Python agree on what is one segment.

MariaDB's default collations (utf8mb4_general_ci) make `nl` equal `NL` and `Zürich` equal `Zurich`; a SQLite
column declared COLLATE NOCASE does the same. Grouping, ranking and matching segments on `exact(column)` keeps
them apart as Python does: MariaDB compares `BINARY column`, SQLite `column COLLATE BINARY`, DuckDB (a column
declared COLLATE NOCASE) `CAST(column AS VARCHAR) COLLATE "binary"` (DuckDB collates text only). PostgreSQL's
default collations are deterministic, so its comparison is already exact (a CHAR(n) value is stored padded, so
its column's values still compare exactly among themselves). Builds SQL, runs none.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class exact(FunctionElement):  # lower case: an SQL function's name
    """The expression compared byte for byte (see the module)."""

    inherit_cache = True

    def __init__(self, expression) -> None:
        super().__init__(expression)
        self.type = expression.type if isinstance(expression, sa.ColumnElement) else sa.types.NULLTYPE


@compiles(exact)
def _plain(element: exact, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(exact, "mysql")
@compiles(exact, "mariadb")
def _binary(element: exact, compiler, **kw) -> str:
    return f"BINARY {compiler.process(element.clauses, **kw)}"


@compiles(exact, "sqlite")
def _collate_binary(element: exact, compiler, **kw) -> str:
    return f"({compiler.process(element.clauses, **kw)} COLLATE BINARY)"


@compiles(exact, "duckdb")
def _cast_binary(element: exact, compiler, **kw) -> str:
    return f'(CAST({compiler.process(element.clauses, **kw)} AS VARCHAR) COLLATE "binary")'
