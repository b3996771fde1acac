"""Judging (pure, no I/O): measurements in, verdicts out; the check of one day is the backtest of one day.

`evaluate` and `backtest` are loaded when first asked for (PEP 562): a command that only needs the judge's
vocabulary (`--help`, `render`, `validate`) never imports NumPy.
"""

from __future__ import annotations

from typing import Any

_LAZY = {"evaluate": ".evaluate", "backtest": ".backtest"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    found = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = found  # the function, not the submodule the import bound under the same name
    return found


__all__ = ["backtest", "evaluate"]
