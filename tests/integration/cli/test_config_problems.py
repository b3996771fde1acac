"""All problems of a config at once (issue 31): a wrong segments.columns, rank_by and fact_columns are three
lines of one validate run (they were one a run), and `check` names them all on its one line."""

import pytest

from exporter.cli import main
from exporter.config import from_mapping
from exporter.errors import ConfigProblems

SEGMENTS = "segments: {columns: [orders], rank_by: checkout_rate, fact_columns: {channel: shop_channel}}\n"
PROBLEMS = ["segments.rank_by: 'checkout_rate' is not in metrics.volume",
            "segments.columns: 'orders' is already the column of metric 'orders'",
            "segments.fact_columns.channel: not one of segments.columns"]


def test_every_problem_of_the_segments_section_at_once():
    with pytest.raises(ConfigProblems) as raised:
        from_mapping({"segments": {"columns": ["orders"], "rank_by": "checkout_rate",
                                   "fact_columns": {"channel": "shop_channel"}}})
    assert raised.value.problems == PROBLEMS


def test_validate_lists_them_one_a_line_and_check_on_one_line(tmp_path, capsys):
    config = tmp_path / "seg.yaml"
    config.write_text(SEGMENTS)
    assert main(["validate", "--config", str(config)]) == 2
    assert capsys.readouterr().out.splitlines() == [*(f"config {config}: {p}" for p in PROBLEMS),
                                                    "INVALID: 3 problems in 1 of 1 config"]
    assert main(["check", "--config", str(config), "--no-push"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and all(p in err for p in PROBLEMS)
