"""Sending the registry: one PUT to the Pushgateway (with auth, TLS and bounded retries), or a textfile."""

from __future__ import annotations

import base64
import os
import time
from dataclasses import dataclass, replace
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import HTTPSHandler, Request, build_opener

from prometheus_client import CollectorRegistry, push_to_gateway, write_to_textfile

from .errors import PushError


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
    def secrets(self) -> list[str]:
        return [s for s in (self.password, self.token) if s]

    @property
    def display_url(self) -> str:
        """The gateway URL without any credentials in it."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def push(target: PushTarget, registry: CollectorRegistry, sleep=time.sleep) -> int:
    """PUT the registry as the whole group; retry connection errors and 5xx. Returns the attempts used."""
    deadline = time.monotonic() + target.max_total_seconds
    for attempt in range(1, target.attempts + 1):
        try:
            push_to_gateway(target.url, job=target.job, registry=registry, grouping_key=dict(target.grouping_key),
                            timeout=target.timeout, handler=_handler(target))
            return attempt
        except HTTPError as exc:
            problem = f"HTTP {exc.code}: {_body(exc)}"
            if exc.code < 500:
                raise PushError(f"push to {target.display_url} rejected ({problem})") from None
        except (URLError, OSError) as exc:
            problem = str(getattr(exc, "reason", exc))
        except ValueError as exc:  # a malformed URL
            raise PushError(f"invalid Pushgateway URL {target.display_url!r}: {exc}") from None
        backoff = min(2.0 ** (attempt - 1), 8.0)
        if attempt == target.attempts or time.monotonic() + backoff + target.timeout > deadline:
            break
        sleep(backoff)
    raise PushError(f"push to {target.display_url} failed after {attempt} attempt(s): {problem}")


def write_textfile(path: str, registry: CollectorRegistry) -> None:
    """Write the metrics for node_exporter's textfile collector, atomically (temp file + rename)."""
    try:
        write_to_textfile(path, registry)
    except OSError as exc:
        raise PushError(f"cannot write textfile {path}: {exc.strerror or exc}") from None


def _handler(target: PushTarget):
    """prometheus_client's handler seam: adds auth headers and the TLS CA."""
    context = None
    if target.ca_file:
        import ssl

        if not os.path.exists(target.ca_file):
            raise PushError(f"Pushgateway CA file {target.ca_file} does not exist")
        context = ssl.create_default_context(cafile=target.ca_file)
    opener = build_opener(HTTPSHandler(context=context)) if context else build_opener()

    def handler(url, method, timeout, headers, data):
        def handle():
            request = Request(url, data=data, method=method)
            for key, value in headers:
                request.add_header(key, value)
            if target.token:
                request.add_header("Authorization", f"Bearer {target.token}")
            elif target.username is not None:
                pair = f"{target.username}:{target.password or ''}".encode()
                request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode())
            with opener.open(request, timeout=timeout) as response:
                response.read()

        return handle

    return handler


def _body(exc: HTTPError) -> str:
    try:
        text = exc.read().decode(errors="replace").strip()
    except Exception:  # noqa: BLE001 - the body is a courtesy
        text = ""
    return " ".join(text.split())[:300] or str(exc.reason)
