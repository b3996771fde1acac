"""The rows folded into `other`, validated as its own check: what its sums would hide. Pure, no I/O.

`other` is one SUM a day over every segment not judged, so a NULL value (SUM skips it), a negative one or a
segment's second row of the day (a broken grain) would pass unseen; the statement counts them in SQL.
"""

from __future__ import annotations

from ..config import Config
from .model import CheckName, CheckResult, Folded, Outcome


def folded_checks(c: Config, folded: Folded | None, checks: list[CheckResult]) -> list[CheckResult]:
    """`other`'s checks with its grain judged first (row_present) and each volume metric's valid_value failed
    where a folded row is NULL or negative."""
    f = folded or Folded()
    if f.duplicates:
        grain = CheckResult(CheckName.ROW_PRESENT, "daily_metrics", Outcome.FAILED,
                            f"{f.duplicates} duplicate {_rows(f.duplicates)} among the segments folded into other: "
                            "the grain is broken", value=f.duplicates)
    else:
        grain = CheckResult(CheckName.ROW_PRESENT, "daily_metrics", Outcome.PASSED,
                            "one row a day for each segment folded into other", value=0)
    return [grain, *(_valid(c, f, check) for check in checks)]


def _valid(c: Config, f: Folded, check: CheckResult) -> CheckResult:
    if check.name is not CheckName.VALID_VALUE or check.metric not in c.volume_metrics:
        return check
    null, negative = f.null.get(check.metric, 0), f.negative.get(check.metric, 0)
    if not null and not negative:
        return check
    said = [f"{null} folded {_rows(null)} NULL (SUM skips them)"] if null else []
    said += [f"{negative} folded {_rows(negative)} negative"] if negative else []
    return CheckResult(CheckName.VALID_VALUE, check.metric, Outcome.FAILED, f"{check.metric}: {', '.join(said)}",
                       value=check.value)


def _rows(n: int) -> str:
    return "row" if n == 1 else "rows"
