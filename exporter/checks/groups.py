"""The drop rules of a config as PromQL: metrics grouped by the thresholds they share. Pure."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from ..config import Config, DropRule

K = TypeVar("K", bound=Hashable)


def judged(c: Config, direction: str | None) -> tuple[str, ...]:
    """The metrics judged in `direction` (None: every metric and rate)."""
    return tuple(m for m in c.drop_metrics if direction is None or direction in c.drop_rule(m).directions)


def groups(c: Config, key: Callable[[DropRule], K],
           direction: str | None = None) -> list[tuple[str, tuple[str, ...], K]]:
    """[(metric matcher, metrics, key value)] of the metrics judged in `direction`: the default rule's group first,
    matching every metric not in another group (nor judged the other way only); empty groups are left out.

    With no overrides there is one group and no matcher, so the rules stay as plain as a single threshold.
    """
    default = key(DropRule(c.baseline, c.thresholds))
    by_value: dict[K, list[str]] = {default: []}
    for metric in judged(c, direction):
        by_value.setdefault(key(c.drop_rule(metric)), []).append(metric)
    mine = by_value.pop(default)
    others = sorted(m for m in c.drop_metrics if m not in mine)
    out = [(f',metric!~"{"|".join(others)}"' if others else "", tuple(mine), default)] if mine else []
    return out + [(f',metric=~"{"|".join(metrics)}"', tuple(metrics), value) for value, metrics in by_value.items()]


def either(c: Config, key: Callable[[DropRule], K], term: Callable[[str, K], str], direction: str | None = None) -> str:
    """`term(matcher, value)` for each group, joined with `or` (one group: the term alone)."""
    terms = [term(matcher, value) for matcher, _, value in groups(c, key, direction)]
    return terms[0] if len(terms) == 1 else " or ".join(f"({t})" for t in terms)


def described(c: Config, key: Callable[[DropRule], K], text: Callable[[K], str], direction: str | None = None) -> str:
    """`text(value)` of the default group, then 'metrics: text' for each overridden group."""
    found = groups(c, key, direction)
    plain = [text(value) for matcher, _, value in found if not matcher.startswith(',metric=~')]
    return "; ".join(plain + [f"{', '.join(metrics)}: {text(value)}" for matcher, metrics, value in found
                              if matcher.startswith(',metric=~')])
