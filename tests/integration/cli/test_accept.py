"""`accept`: the calendar.shifts entry printed, or written into the user's config in place."""

import pytest

from exporter.cli import main

ENTRY = '{date: 2026-11-10, name: "new checkout"}'


def accept(*extra):
    return main(["accept", "--date", "2026-11-10", "--name", "new checkout", *extra])


def test_the_entry_is_printed_and_the_config_left_alone(tmp_path, capsys):
    config = tmp_path / "dmm.yaml"
    config.write_text("push: {pipeline: shop}\n")
    assert accept("--config", str(config)) == 0
    assert capsys.readouterr().out == f"# add to calendar.shifts in {config}:\n- {ENTRY}\n"
    assert config.read_text() == "push: {pipeline: shop}\n"


@pytest.mark.parametrize("before, after", [
    ("# mine\npush: {pipeline: shop}  # the group\n",
     f"# mine\npush: {{pipeline: shop}}  # the group\ncalendar:\n  shifts:\n  - {ENTRY}\n"),
    ("calendar:\n  events: [{date: 2026-12-25, name: Christmas}]\n",
     f"calendar:\n  shifts:\n  - {ENTRY}\n  events: [{{date: 2026-12-25, name: Christmas}}]\n"),
    ("calendar:\n    shifts:\n    - {date: 2026-01-01, name: old}\n# end\n",
     f"calendar:\n    shifts:\n    - {{date: 2026-01-01, name: old}}\n    - {ENTRY}\n# end\n"),
    ("calendar:\n  shifts: []\n", f"calendar:\n  shifts: [{ENTRY}]\n"),
    ("calendar:\n", f"calendar:\n  shifts:\n  - {ENTRY}\n"),
])
def test_write_adds_the_entry_in_place(tmp_path, capsys, before, after):
    config = tmp_path / "dmm.yaml"
    config.write_text(before)
    assert accept("--config", str(config), "--write") == 0
    assert config.read_text() == after
    assert capsys.readouterr().out == f"added to calendar.shifts in {config}: {ENTRY}\n"


def test_the_written_shift_is_judged(tmp_path, capsys):
    config = tmp_path / "dmm.yaml"
    config.write_text("push: {pipeline: shop}\n")
    assert accept("--config", str(config), "--write", "--metric", "orders") == 0
    from exporter.config import load

    [shift] = load(config).calendar_shifts
    assert (shift.day.isoformat(), shift.name, shift.metrics) == ("2026-11-10", "new checkout", ("orders",))


@pytest.mark.parametrize("args, content, message", [
    (["--metric", "nope"], "", "--metric nope: not a volume metric or rate of the config"),
    (["--write"], None, "--write needs --config"),
    (["--write"], "calendar: {events: []}\n", "calendar: is written in flow style"),
    (["--write"], "calendar: [1]\n", "calendar: expected a mapping"),
])
def test_bad_input_is_one_line_and_exit_2_and_the_file_is_kept(tmp_path, capsys, args, content, message):
    config = tmp_path / "dmm.yaml"
    if content is not None:
        config.write_text(content)
        args = [*args, "--config", str(config)]
    assert accept(*args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    if content is not None:
        assert config.read_text() == content
