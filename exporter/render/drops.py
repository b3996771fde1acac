"""The drop rules of a config as PromQL: metrics grouped by the thresholds they share."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from ..config import Config, DropRule

K = TypeVar("K", bound=Hashable)


def groups(c: Config, key: Callable[[DropRule], K]) -> list[tuple[str, tuple[str, ...], K]]:
    """[(metric matcher, metrics, key value)]: the default rule's group first, matching every metric not overridden.

    With no overrides there is one group and no matcher, so the rules stay as plain as a single threshold.
    """
    default = key(DropRule(c.baseline, c.thresholds))
    by_value: dict[K, list[str]] = {default: []}
    for metric in c.drop_metrics:
        by_value.setdefault(key(c.drop_rule(metric)), []).append(metric)
    others = sorted(m for value, metrics in by_value.items() if value != default for m in metrics)
    out = [(f',metric!~"{"|".join(others)}"' if others else "", tuple(by_value.pop(default)), default)]
    return out + [(f',metric=~"{"|".join(metrics)}"', tuple(metrics), value) for value, metrics in by_value.items()]


def either(c: Config, key: Callable[[DropRule], K], term: Callable[[str, K], str]) -> str:
    """`term(matcher, value)` for each group, joined with `or` (one group: the term alone)."""
    terms = [term(matcher, value) for matcher, _, value in groups(c, key)]
    return terms[0] if len(terms) == 1 else " or ".join(f"({t})" for t in terms)


def described(c: Config, key: Callable[[DropRule], K], text: Callable[[K], str]) -> str:
    """`text(value)` of the default group, then 'metrics: text' for each overridden group."""
    (_, _, default), *rest = groups(c, key)
    return "; ".join([text(default)] + [f"{', '.join(metrics)}: {text(value)}" for _, metrics, value in rest])
