"""`render`: write the alert rules, their tests, the routing and the dashboards, or check them (part of the CLI)."""

from __future__ import annotations

import sys
from pathlib import Path

from .arguments import PROG
from .context import Run
from .exitcodes import ExitCode


def command(run: Run) -> int:
    from .. import render

    files = render.render_all(*(run.config(path) for path in run.args.config or [None]), kube=run.args.kubernetes)
    out = Path(run.args.out)
    if run.args.check:
        stale = render.stale(files, out)
        for path in stale:
            print(f"stale: {out / path} (run: {PROG} render)", file=sys.stderr)
        return ExitCode.STALE if stale else ExitCode.OK
    for written in render.write(files, out):
        print(f"wrote {written}")
    return ExitCode.OK
