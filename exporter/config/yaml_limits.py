"""A YAML SafeLoader with limits (pure): nesting depth and the size aliases expand to.

Without them a 3,000-deep nesting ends in RecursionError and a few lines of aliases ("billion laughs")
expand to more values than memory holds once anything walks them.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 50
"""Nesting levels: the config's deepest key (metrics.overrides.<m>.thresholds.warn.frac) is 6."""
MAX_NODES = 100_000
"""Values the document holds with every alias expanded: a config has a few hundred."""


def bounded_loader(yaml: Any) -> type:
    """yaml.SafeLoader refusing deeper nesting than MAX_DEPTH or more than MAX_NODES expanded values."""

    class BoundedLoader(yaml.SafeLoader):
        _depth = 0

        def compose_node(self, parent, index):
            self._depth += 1
            try:
                if self._depth > MAX_DEPTH:
                    raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels",
                                                      self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1

        def construct_document(self, node):
            if _expanded(yaml, node, {}) > MAX_NODES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"aliases expand to more than {MAX_NODES:,} values", node.start_mark)
            return super().construct_document(node)

    return BoundedLoader


def _expanded(yaml: Any, node: Any, seen: dict[int, int]) -> int:
    """How many values `node` stands for with its aliases expanded (each shared node counted once per use)."""
    if id(node) in seen:
        return seen[id(node)]
    children: list = []
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    seen[id(node)] = 1 + sum(_expanded(yaml, child, seen) for child in children)
    return seen[id(node)]
