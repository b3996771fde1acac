"""Text from data made safe to show: control and bidi characters written as escapes, segment values that
cannot collide in a label. Every human-readable output (report, backtest, page, notifications) uses it. Pure."""

from __future__ import annotations

import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (newline, CR, ESC, NEL), the bidi marks, embeddings, overrides and isolates, and the
line and paragraph separators: each could forge a line, move the cursor or reorder what is shown."""
_LABEL = re.compile("[\\\\,=<>\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    if char in "\\,=":
        return "\\" + char
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """`text` with every control and bidi character written as an escape (\\n, \\r, \\x1b, \\u202e)."""
    return _UNSAFE.sub(_escape, text)


def label_value(value: str) -> str:
    """A segment value in a label: printable, `\\`, `,` and `=` written `\\\\`, `\\,` and `\\=`, so that two
    different segments never share a label ('country=x\\,channel\\=y,channel=z'), and `<`, `>` written `\\x3c`,
    `\\x3e`, so that no value makes a chat message's mention or link (Slack's `<!channel>`)."""
    return _LABEL.sub(_escape, value)
