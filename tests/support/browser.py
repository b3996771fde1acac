"""Debian's headless Chromium, as the page tests run it: no sandbox, no network, no first-run noise."""

from __future__ import annotations

import subprocess

from tests.support.services import binary

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def chromium(page, tmp_path, *args):
    return subprocess.run([binary("chromium"), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args,
                           f"file://{page}"], capture_output=True, text=True, timeout=120)
