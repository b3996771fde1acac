"""A row's values as read: one tuple per row, the name index shared by every row of a read. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any


class Values(Mapping[str, Any]):
    """The values of one row by logical column: a tuple and the read's shared name index (a dict per row of a
    long read cost ~650 bytes, this ~200)."""

    __slots__ = ("index", "raw")

    def __init__(self, index: dict[str, int], raw: tuple[Any, ...]):
        self.index = index
        """Each name's position in `raw` (`index_of`: one per read)."""
        self.raw = raw

    def __getitem__(self, name: str) -> Any:
        return self.raw[self.index[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def __repr__(self) -> str:
        return repr(dict(self))


@lru_cache(maxsize=16)
def index_of(names: tuple[str, ...]) -> dict[str, int]:
    """The name index of rows of these columns, the same object for every read of them."""
    return {name: i for i, name in enumerate(names)}
