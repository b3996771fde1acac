"""The errors the job reports as one line and exit code 2 (or 3 for a push)."""


class MonitorError(Exception):
    """A failure with a message fit to show the user as it is."""


class ConfigError(MonitorError):
    """The config or the command line is invalid."""


class ConfigProblems(ConfigError):
    """Several problems of one config, found at once: each names its key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class DatabaseError(MonitorError):
    """The warehouse could not be read."""


class PushError(MonitorError):
    """The Pushgateway did not accept the metrics."""


def install_hint(extra: str) -> str:
    """How to add an extra: the package is installed from a clone or a built wheel, not from an index."""
    from . import __version__

    return (f"install the {extra} extra: pip install '.[{extra}]' in a clone of the repository, or "
            f"pip install 'daily_metrics_monitor-{__version__}-py3-none-any.whl[{extra}]' from a built wheel")
