"""Writing the metrics for node_exporter's textfile collector (I/O), atomically, by the same rules as the push."""

from __future__ import annotations

import os
import stat
from datetime import date

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from ..errors import PushError
from .delivery import DATA_DATE, Delivery, data_day, moves_back


def write_textfile(path: str, registry: CollectorRegistry, day: date | None, replace_group: bool = True,
                   force: bool = False) -> Delivery:
    """Write the metrics, atomically, unless the file holds a later day (or `force`); a failed run merges."""
    try:
        families = list(text_string_to_metric_families(_read_regular(path)))
    except (OSError, ValueError) as exc:
        raise PushError(f"cannot read textfile {path}: {getattr(exc, 'strerror', None) or exc}") from None
    held = None if force else data_day(s.value for f in families for s in f.samples if s.name == DATA_DATE)
    if moves_back(held, day):
        return Delivery(f"textfile {path}", held)
    if not replace_group:
        registry = _merged(families, registry)
    try:
        _replace(path, generate_latest(registry))
    except OSError as exc:
        raise PushError(f"cannot write textfile {path}: {exc.strerror or exc}") from None
    return Delivery(f"textfile {path}")


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))


def _read_regular(path: str) -> str:
    """The file's text ("" when there is none); anything but a regular file is refused, never read or replaced."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return ""
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise PushError(f"textfile {path} is {kind}, not a regular file: refusing to read or replace it")
    with open(path, encoding="utf-8") as f:
        return f.read()


def _replace(path: str, content: bytes) -> None:
    """Write a temporary file beside `path` and rename it over `path` (atomic); no temporary file survives."""
    tmp = f"{path}.{os.getpid()}.tmp"  # not *.prom: the collector never reads a half-written file
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:  # a signal too: the old file stays whole and the temporary file goes
        if os.path.lexists(tmp):
            os.unlink(tmp)
        raise


def _merged(families, registry: CollectorRegistry) -> CollectorRegistry:
    """The old families with the registry's families put over them (what a POST does on the gateway)."""
    new = {m.name for m in registry.collect()}
    merged = CollectorRegistry()
    merged.register(_Fixed([f for f in families if f.name not in new] + list(registry.collect())))
    return merged


class _Fixed:
    def __init__(self, families):
        self.families = families

    def collect(self):
        return self.families
