"""Judging (pure, no I/O): measurements in, verdicts out; the check of one day is the backtest of one day."""

from .backtest import backtest
from .evaluate import evaluate

__all__ = ["backtest", "evaluate"]
