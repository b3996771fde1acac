"""Real servers for the tests: the Debian binaries on free loopback ports, and tiny HTTP stand-ins."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import unavailable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        unavailable(f"{name} is not installed (apt-get install prometheus prometheus-pushgateway "
                    "prometheus-alertmanager)")
    return path


@contextmanager
def server(name: str, args: list[str], port: int, ready_path: str, workdir: Path, ready_codes=(200,)):
    """Start a binary, wait until ready_path answers, stop it afterwards."""
    log = open(workdir / f"{name}-{port}.log", "wb")
    process = subprocess.Popen([binary(name), *args], stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + ready_path, timeout=1) as r:
                    if r.status in ready_codes:
                        break
            except urllib.error.HTTPError as exc:
                if exc.code in ready_codes:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(f"{name} did not start: {(workdir / log.name).read_text()[-2000:]}")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextmanager
def pushgateway(workdir: Path, web_config: Path | None = None):
    port = free_port()
    args = [f"--web.listen-address=127.0.0.1:{port}", f"--persistence.file={workdir / f'pg-{port}.data'}"]
    if web_config:
        args.append(f"--web.config.file={web_config}")
    with server("prometheus-pushgateway", args, port, "/-/ready", workdir, (200, 401)) as url:
        yield url


def get(url: str, auth: tuple[str, str] | None = None) -> str:
    request = urllib.request.Request(url)
    if auth:
        import base64

        request.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    with urllib.request.urlopen(request, timeout=5) as r:
        return r.read().decode()


def samples(text: str, prefix: str = "") -> dict[tuple, float]:
    """{(name, sorted labels...): value} of an exposition text."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name.startswith(prefix):
                out[(s.name, *sorted(s.labels.items()))] = s.value
    return out


EMPTY_GATEWAY = '{"status":"success","data":[]}'


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with the server's configured status and body, and records it."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        status, text = self.server.reply
        if self.command == "GET" and self.path == "/api/v1/metrics" and self.server.api is not None:
            status, text = 200, self.server.api  # the gateway's API: which groups it holds
        if self.server.delay:
            time.sleep(self.server.delay)
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        for key, value in self.server.headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(text.encode())

    do_GET = do_PUT = do_POST = do_DELETE = _answer

    def log_message(self, *args):
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that timed out and hung up is part of the test


@contextmanager
def recording_server(status: int = 200, body: str = "", delay: float = 0.0, api: str | None = EMPTY_GATEWAY,
                     headers: tuple[tuple[str, str], ...] = ()):
    """A local HTTP server that records requests: a stand-in gateway, or the pager behind Alertmanager.

    GET /api/v1/metrics answers `api` (an empty gateway), unless `api` is None: then the same as any request.
    """
    httpd = _QuietServer(("127.0.0.1", 0), Recorder)
    httpd.requests, httpd.reply, httpd.delay, httpd.api, httpd.headers = [], (status, body), delay, api, headers
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()



@contextmanager
def garbage_server(reply: bytes = b"SSH-2.0-OpenSSH_9.2 not a pushgateway\r\n"):
    """A TCP server that answers every connection with a line that is not HTTP, then hangs up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    connections, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                connections.append(conn.recv(65536))
                conn.sendall(reply)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield connections, f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


@contextmanager
def silent_listener():
    """A TCP port on loopback that accepts every connection and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], held
    finally:
        stop.set()
        thread.join()
        for s in [*held, listener]:
            s.close()
