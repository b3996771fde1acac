"""What one invocation knows and how it speaks (part of the CLI): arguments, demo or not, secrets, output."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config, load
from ..errors import ConfigError, MonitorError
from ..escape import printable
from .arguments import PROG
from .settings import Settings, resolve

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


@dataclass
class Run:
    """One command's arguments and settings, whether it is the demo, the configs it read (each file once) and the
    secrets no line it prints may show."""

    args: argparse.Namespace
    demo: bool = False
    secrets: set[str] = field(default_factory=set)
    settings: Settings = field(init=False)
    configs: dict[str | None, Config | ConfigError] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.settings = resolve(self.args, self.demo, os.environ)

    def config(self, path: str | None) -> Config:
        """The config at `path` (None: the defaults), read and validated once in a run; its error, once too."""
        if path not in self.configs:
            try:
                self.configs[path] = load(path)
            except ConfigError as exc:
                self.configs[path] = exc
        found = self.configs[path]
        if isinstance(found, ConfigError):
            raise found
        return found

    def keep_secret(self, *values: str | None) -> None:
        self.secrets.update(v for v in values if v)

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):  # a longer secret may hold a shorter
            text = text.replace(secret, "***")
        return text

    def error(self, exc: Exception, level: str = "error", prefix: str = "") -> None:
        """One line on stderr; the traceback only with --debug; never a secret."""
        if self.args.debug:
            import traceback

            print(self.redact(traceback.format_exc()), end="", file=sys.stderr)
        self.say(level, prefix + message_of(exc))

    def fail(self, exc: Exception, prefix: str = "", **about: str | None) -> None:
        """The run could not evaluate: the error line, and with --format json also a JSON document on stdout."""
        self.error(exc, prefix=prefix)
        if getattr(self.args, "format", None) == "json":
            import json

            stdout(json.dumps({**about, "status": "error", "error": self.redact(prefix + message_of(exc))}))

    def say(self, level: str, message: str) -> None:
        print(f"{PROG}: {level}: {printable(self.redact(message))}", file=sys.stderr)  # one line, whatever the data

    def warehouse(self, dsn: str | None = None) -> URL:
        """The warehouse URL from `dsn`, --dsn or $DMM_DSN; its password joins the secrets."""
        from ..warehouse.connection import parse_dsn

        dsn = dsn or self.settings.dsn
        if not dsn:
            raise ConfigError("no database: pass --dsn or set DMM_DSN")
        url = parse_dsn(dsn)
        self.keep_secret(None if url.password is None else str(url.password))
        return url

    def results(self, warehouse: URL | None) -> URL:
        """The ledger's URL: --results-dsn, else $DMM_RESULTS_DSN (never in the demo), else the warehouse's."""
        from ..warehouse.connection import parse_dsn

        dsn = self.settings.results_dsn
        if not dsn:
            if warehouse is None:
                raise ConfigError("no ledger database: pass --results-dsn or set DMM_RESULTS_DSN or DMM_DSN")
            return warehouse
        url = parse_dsn(dsn)
        self.keep_secret(None if url.password is None else str(url.password))
        return url

    def target_date(self, day: date | None = None, option: str = "--date") -> date:
        """`day` (default: --date), never after today in --timezone; none given: yesterday there."""
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            today = datetime.now(ZoneInfo(self.args.timezone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"unknown time zone {self.args.timezone!r}") from None
        day = day or self.args.date
        if day is None:
            return today - timedelta(days=1)
        if day > today:
            raise ConfigError(f"{option} {day} is in the future (today is {today} in {self.args.timezone})")
        return day


def message_of(exc: Exception) -> str:
    """What the user is told: a MonitorError as it is, anything else named as unexpected."""
    return str(exc) if isinstance(exc, MonitorError) else f"unexpected error: {type(exc).__name__}: {exc}"


def reachable(c, day: date, option: str) -> None:
    """The days a judgement of `day` reads (its lookback, a segmented table's ranking month) start after year 1."""
    reach = c.lookback + (62 if c.segments else 0)
    if (day - date.min).days < reach:
        raise ConfigError(f"{option} {day}: the days it is judged against reach back {reach} days, before "
                          f"{date.min}; the earliest day this config can judge is {date.min + timedelta(days=reach)}")


def stdout(text: str) -> None:
    """The report on stdout; a reader that hung up (`| head`) never changes the verdict, the push or the exit code."""
    try:
        print(text, end="" if text.endswith("\n") else "\n", flush=True)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own advice for SIGPIPE


def write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
