"""The verdict ribbon of the backtest page: one SVG cell per day, its date and verdict on hover. Builds text."""

from __future__ import annotations

import html

from ..escape import printable
from ..judge.model import Evaluation, Severity
from .days import COLOURS, DAY_KINDS, day_kind

CELL, HEIGHT = 10, 22


def ribbon(evaluations: list[Evaluation]) -> str:
    """An inline SVG: a coloured cell per day (OK, WARN, CRITICAL, not evaluated, known event), then a legend."""
    cells = [_cell(i, e) for i, e in enumerate(evaluations)]
    width = CELL * len(evaluations)
    first, last = evaluations[0].target_date, evaluations[-1].target_date
    labels = (f'<text x="0" y="{HEIGHT + 13}" font-size="11">{first}</text>'
              f'<text x="{width}" y="{HEIGHT + 13}" font-size="11" text-anchor="end">{last}</text>')
    legend = " ".join(f'<span class="key"><i style="background:{COLOURS[k]}"></i>{k}</span>' for k in DAY_KINDS)
    return (f'<section id="ribbon"><h2>Verdict per day</h2>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT + 18}" '
            f'viewBox="0 0 {width} {HEIGHT + 18}" role="img" aria-label="verdict per day, {first} to {last}">'
            + "".join(cells) + labels + f"</svg>\n<p class=\"legend\">{legend}</p></section>")


def _cell(i: int, e: Evaluation) -> str:
    kind = day_kind(e)
    failing = sorted({f"{c.name} {c.subject}" for c in e.checks if c.severity is not Severity.OK})
    event = f" (known event: {e.known_event})" if e.known_event else ""
    title = f"{e.target_date} {e.target_date:%a}: {kind.upper()}{event}" + (f": {', '.join(failing)}" if failing
                                                                           else "")
    rect = (f'<rect class="day {kind.replace(" ", "-")}" data-date="{e.target_date}" x="{i * CELL}" y="0" '
            f'width="{CELL - 1}" height="{HEIGHT}" fill="{COLOURS[kind]}">'
            f'<title>{html.escape(printable(title))}</title></rect>')
    return rect if kind in ("ok", "known event") else f'<a href="#day-{e.target_date}">{rect}</a>'  # its day below
