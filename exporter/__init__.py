"""daily-metrics-monitor: judge yesterday's daily_metrics before the dashboards refresh."""

__version__ = "0.1.0"
