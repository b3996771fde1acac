"""The CLI's stderr stays one line (issue 31): whatever an error names, and whatever psycopg logs on its own."""


def test_an_error_line_stays_one_line_whatever_it_names(tmp_path, capsys):
    from exporter.cli import main

    assert main(["check", "--config", str(tmp_path / "x\n[OK] all good\x1b[2J.yaml"), "--no-push"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "x\\n[OK] all good\\x1b[2J.yaml" in err


def test_psycopgs_own_warnings_never_add_a_line_to_stderr_unless_debug(tmp_path):
    """In a process of its own: pytest's log capture would hide Python's last-resort stderr handler."""
    import subprocess
    import sys

    script = ("import logging, sys; from exporter.cli import main; main(sys.argv[1:]); "
              "logging.getLogger('psycopg').warning('error ignored in rollback')")
    args = ["check", "--config", str(tmp_path / "missing.yaml"), "--no-push"]
    quiet = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60)
    assert quiet.stderr.count("\n") == 1 and "error ignored" not in quiet.stderr
    debug = subprocess.run([sys.executable, "-c", script, *args, "--debug"], capture_output=True, text=True,
                           timeout=60)
    assert debug.stderr.endswith("error ignored in rollback\n")
