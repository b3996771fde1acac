"""What one run is told, resolved once: the command line over the environment (and, per config, over the config).

Every command reads its DSNs, push group and gateway from here, never from `os.environ` itself: the precedence
is written once. The demo reads none of the job's variables (it must never push to, or write into, a real
pipeline's places), only its own `DMM_DEMO_DSN`.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Settings:
    """The run's settings that have a command-line option and an environment variable (None: neither given)."""

    dsn: str | None = None
    """--dsn, else $DMM_DSN (the demo: $DMM_DEMO_DSN)."""
    results_dsn: str | None = None
    """--results-dsn, else $DMM_RESULTS_DSN (never in the demo); None: the warehouse's."""
    pushgateway: str | None = None
    """--pushgateway, else $DMM_PUSHGATEWAY_URL (not with --no-push, never in the demo)."""
    job: str | None = None
    """--job, else $DMM_JOB (never in the demo); None: each config's push.job."""
    pipeline: str | None = None
    """--pipeline, else $DMM_PIPELINE (the demo: 'demo'); None: each config's push.pipeline."""
    environment: Mapping[str, str] = field(default_factory=dict)
    """The variables a push reads its credentials from (DMM_PUSHGATEWAY_TOKEN, ...)."""


def resolve(args: argparse.Namespace, demo: bool, environ: Mapping[str, str]) -> Settings:
    """The command line over the environment; the demo reads only DMM_DEMO_DSN."""
    env: Mapping[str, str] = {} if demo else environ
    option = vars(args).get
    return Settings(
        dsn=option("dsn") or (environ.get("DMM_DEMO_DSN") if demo else env.get("DMM_DSN")),
        results_dsn=option("results_dsn") or env.get("DMM_RESULTS_DSN"),
        pushgateway=option("pushgateway") or (None if option("no_push") else env.get("DMM_PUSHGATEWAY_URL")),
        job=option("job") or env.get("DMM_JOB"),
        pipeline=option("pipeline") or env.get("DMM_PIPELINE") or ("demo" if demo else None),
        environment=dict(environ),
    )
