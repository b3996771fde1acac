"""No secret in any output of a real run: a --debug traceback and a gateway's echo of its token."""

from exporter.cli import main


def test_debug_traceback_carries_no_password(capsys, monkeypatch):
    monkeypatch.setenv("DMM_DSN", "postgresql+psycopg://monitor:tb-Secret-9@127.0.0.1:1/test")
    code = main(["check", "--date", "2026-11-01", "--debug"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" in err and "tb-Secret-9" not in err


def test_gateway_token_is_never_printed(capsys, make_warehouse, tmp_path, monkeypatch):
    from tests.support.services import recording_server

    wh = make_warehouse(f"sqlite:///{tmp_path / 'wh.sqlite'}")
    monkeypatch.setenv("DMM_PUSHGATEWAY_TOKEN", "tok-Secret-7")
    with recording_server(403, "token tok-Secret-7 is not allowed") as (_, url):
        code = main(wh.args("--pushgateway", url, "--debug"))
    err = capsys.readouterr().err
    assert code == 3 and "HTTP 403" in err and "tok-Secret-7" not in err
