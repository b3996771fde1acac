"""The errors the job reports as one line and exit code 2 (or 3 for a push)."""


class MonitorError(Exception):
    """A failure with a message fit to show the user as it is."""


class ConfigError(MonitorError):
    """The config or the command line is invalid."""


class DatabaseError(MonitorError):
    """The warehouse could not be read."""


class PushError(MonitorError):
    """The Pushgateway did not accept the metrics."""
