"""Sending the registry to the Pushgateway (I/O): one PUT, with auth, TLS and bounded retries.

A run never moves its group backwards: before it writes, it reads which data day the group holds, and a run
for an older day leaves the group alone. A run that could not evaluate only updates its run gauges (POST), so
the last verdict and its alerts stay in place.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass, replace
from datetime import date
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import HTTPSHandler, Request, build_opener

from prometheus_client import CollectorRegistry, push_to_gateway, pushadd_to_gateway

from ..errors import PushError
from .delivery import DATA_DATE, Delivery, data_day, moves_back


@dataclass(frozen=True)
class PushTarget:
    url: str
    job: str
    grouping_key: tuple[tuple[str, str], ...]
    username: str | None = None
    password: str | None = None
    token: str | None = None
    ca_file: str | None = None
    timeout: float = 10.0
    attempts: int = 3
    max_total_seconds: float = 30.0

    @classmethod
    def from_environment(cls, url: str, env, timeout: float = 10.0, attempts: int = 3) -> PushTarget:
        """Credentials from DMM_PUSHGATEWAY_* variables (or user:password@ in the URL), never from options."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PushError(f"invalid Pushgateway URL: expected http(s)://host:port, got scheme {parts.scheme!r}")
        username = env.get("DMM_PUSHGATEWAY_USERNAME") or parts.username
        password = env.get("DMM_PUSHGATEWAY_PASSWORD") or parts.password
        target = cls(url=url, job="", grouping_key=(), username=username, password=password,
                     token=env.get("DMM_PUSHGATEWAY_TOKEN") or None,
                     ca_file=env.get("DMM_PUSHGATEWAY_CA_FILE") or None, timeout=timeout, attempts=attempts)
        return replace(target, url=target.display_url) if parts.username else target

    def with_group(self, job: str, pipeline: str) -> PushTarget:
        """The push group: the job plus the pipeline label; never a date or run id."""
        return replace(self, job=job, grouping_key=(("pipeline", pipeline),))

    @property
    def group_labels(self) -> dict[str, str]:
        return {"job": self.job, **dict(self.grouping_key)}

    @property
    def secrets(self) -> list[str]:
        return [s for s in (self.password, self.token) if s]

    @property
    def display_url(self) -> str:
        """The gateway URL without any credentials in it."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


class _Retry(Exception):
    """A failure worth another attempt (connection, TLS, protocol, HTTP 5xx, a garbage answer)."""


def push(target: PushTarget, registry: CollectorRegistry, day: date | None, replace_group: bool = True,
         force: bool = False, sleep=time.sleep) -> Delivery:
    """Write the group unless it holds a later day than `day` (or `force`), with bounded retries.

    `replace_group` PUTs the whole group; otherwise the registry's families are POSTed over the group's.
    Reading the held day and writing are one attempt: both are retried together.
    """
    where = f"the Pushgateway {target.display_url}"
    send = push_to_gateway if replace_group else pushadd_to_gateway

    def write():
        send(target.url, job=target.job, registry=registry, grouping_key=dict(target.grouping_key),
             timeout=target.timeout, handler=_handler(target))

    deadline = time.monotonic() + target.max_total_seconds
    for attempt in range(1, target.attempts + 1):
        try:
            held = None if force else _held_on_gateway(target)
            if moves_back(held, day):
                return Delivery(where, held)
            _talk(target, write)
            return Delivery(where)
        except _Retry as exc:
            problem = str(exc)
        backoff = min(2.0 ** (attempt - 1), 8.0)
        if attempt == target.attempts or time.monotonic() + backoff + target.timeout > deadline:
            break
        sleep(backoff)
    raise PushError(f"push to {target.display_url} failed after {attempt} attempt(s): {problem}")


def _held_on_gateway(target: PushTarget) -> date | None:
    """The data day the live group holds, from the gateway's API (None: no such group or no day in it)."""
    url = target.url.rstrip("/") + "/api/v1/metrics"
    body = _talk(target, lambda: _get(target, url))
    try:
        groups = json.loads(body)["data"]
        ours = [g for g in groups if {k: v for k, v in g["labels"].items() if v} == target.group_labels]
        values = [m["value"] for g in ours for m in g.get(DATA_DATE, {}).get("metrics", [])]
        return data_day(float(v) for v in values)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _Retry(f"the gateway's API answered something that is not its JSON ({type(exc).__name__})") from None


def _talk(target: PushTarget, call):
    """Run one exchange with the gateway; sort every failure into rejected (raised) or worth a retry."""
    try:
        return call()
    except HTTPError as exc:
        problem = f"HTTP {exc.code}: {_body(exc)}"
        if exc.code < 500:
            raise PushError(f"push to {target.display_url} rejected ({problem})") from None
        raise _Retry(problem) from None
    except PushError:
        raise
    except ValueError as exc:  # a malformed URL
        raise PushError(f"invalid Pushgateway URL {target.display_url!r}: {exc}") from None
    except Exception as exc:  # refused, reset, TLS, timeout, bad status line: all worth a retry
        inner = getattr(exc, "reason", None)
        reason = inner if isinstance(inner, BaseException) else exc  # URLError wraps the real failure
        text = str(reason).strip()
        raise _Retry(f"{type(reason).__name__}: {text}" if text else type(reason).__name__) from None


def _get(target: PushTarget, url: str) -> str:
    handle = _handler(target)(url, "GET", target.timeout, [("Accept", "application/json")], None)
    return handle().decode("utf-8", errors="replace")


def _handler(target: PushTarget):
    """prometheus_client's handler seam: adds auth headers and the TLS CA; returns the response body."""
    context = None
    if target.ca_file:
        import ssl

        if not os.path.exists(target.ca_file):
            raise PushError(f"Pushgateway CA file {target.ca_file} does not exist")
        context = ssl.create_default_context(cafile=target.ca_file)
    opener = build_opener(HTTPSHandler(context=context)) if context else build_opener()

    def handler(url, method, timeout, headers, data):
        def handle() -> bytes:
            request = Request(url, data=data, method=method)
            for key, value in headers:
                request.add_header(key, value)
            if target.token:
                request.add_header("Authorization", f"Bearer {target.token}")
            elif target.username is not None:
                pair = f"{target.username}:{target.password or ''}".encode()
                request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode())
            with opener.open(request, timeout=timeout) as response:
                return response.read()

        return handle

    return handler


def _body(exc: HTTPError) -> str:
    try:
        text = exc.read().decode(errors="replace").strip()
    except Exception:  # the body is a courtesy
        text = ""
    return " ".join((text or str(exc.reason)).split())[:300]  # one line, whatever the server said
