"""`accept`: the calendar.shifts entry that accepts a change of level, printed or added to the config (CLI).

The config stays the user's file: without --write the entry is printed; with --write it is inserted in
place (comments and layout kept), the result is loaded as a config before it replaces the file, and the
file is replaced atomically.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..config import from_mapping
from ..config.reader import text
from ..errors import ConfigError
from .context import Run, stdout
from .exitcodes import ExitCode


def command(run: Run) -> int:
    args = run.args
    name = text(args.name, "--name")
    config = run.config(args.config)
    unknown = [m for m in args.metric or [] if m not in config.drop_metrics]
    if unknown:
        raise ConfigError(f"--metric {unknown[0]}: not a volume metric or rate of the config "
                          f"(one of {', '.join(config.drop_metrics)})")
    entry = _entry(args.date.isoformat(), name, args.metric or [])
    if not args.write:
        stdout(f"# add to calendar.shifts in {args.config or 'your config'}:\n- {entry}")
        return ExitCode.OK
    if not args.config:
        raise ConfigError("--write needs --config: the file to add the shift to")
    path = Path(args.config)
    updated = insert_shift(path.read_text(encoding="utf-8"), entry)
    _check(updated, args.config, args.date, name)
    _replace(path, updated)
    print(f"added to calendar.shifts in {path}: {entry}")
    return ExitCode.OK


def _entry(day: str, name: str, metrics: list[str]) -> str:
    import json

    fields = [f"date: {day}", f"name: {json.dumps(name)}"] + ([f"metrics: [{', '.join(metrics)}]"] if metrics else [])
    return "{" + ", ".join(fields) + "}"


def insert_shift(content: str, entry: str) -> str:
    """The YAML text with `entry` appended to calendar.shifts, creating the keys where they are missing."""
    import yaml

    lines = content.splitlines()
    root = yaml.compose(content) if content.strip() else None
    calendar = _value(root, "calendar")
    if calendar is None:
        return "\n".join([*lines, "calendar:", "  shifts:", f"  - {entry}"]) + "\n"
    if isinstance(calendar, yaml.ScalarNode):  # `calendar:` with nothing (or null) under it
        at = calendar.start_mark.line
        return "\n".join([*lines[:at], "calendar:", "  shifts:", f"  - {entry}", *lines[at + 1:]]) + "\n"
    if calendar.flow_style:
        raise ConfigError("calendar: is written in flow style ({...}); add the printed entry by hand")
    shifts = _value(calendar, "shifts")
    if shifts is None:
        indent = " " * calendar.value[0][0].start_mark.column
        at = calendar.start_mark.line
        return "\n".join([*lines[:at], f"{indent}shifts:", f"{indent}- {entry}", *lines[at:]]) + "\n"
    if shifts.flow_style or not shifts.value:
        start, end = shifts.start_mark, shifts.end_mark
        inner = content[start.index + 1:end.index - 1].strip() if shifts.value else ""
        replacement = "[" + (inner + ", " if inner else "") + entry + "]"
        return content[:start.index] + replacement + content[end.index:]
    last = shifts.value[-1]
    indent = " " * (last.start_mark.column - 2)
    at = last.end_mark.line + (1 if last.end_mark.column else 0)
    return "\n".join([*lines[:at], f"{indent}- {entry}", *lines[at:]]) + "\n"


def _value(node, key: str):
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _check(updated: str, source: str, day, name: str) -> None:
    """The updated text must load as a config holding the new shift, or nothing is written."""
    import yaml

    config = from_mapping(yaml.safe_load(updated) or {}, source=source)
    if not any(s.day == day and s.name == name for s in config.calendar_shifts):
        raise ConfigError(f"config {source}: could not add the shift in place; add the printed entry by hand")


def _replace(path: Path, content: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(content)
        os.replace(tmp, path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
