"""--textfile writes only regular files: a device, FIFO, socket or directory is refused, never read or replaced."""

import os
import socket
import stat
import subprocess
import sys

import pytest

PROG = [sys.executable, "-m", "exporter"]


@pytest.fixture
def wh(make_warehouse, tmp_path):
    return make_warehouse(f"sqlite:///{tmp_path / 'wh.sqlite'}")


def _char_device(path):
    if os.geteuid() != 0:
        pytest.skip("mknod of a character device needs root")
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a copy of /dev/null: reads as empty, takes any write
    return "a character device", stat.S_ISCHR


def _fifo(path):
    os.mkfifo(path)
    return "a FIFO", stat.S_ISFIFO


def _directory(path):
    os.mkdir(path)
    return "a directory", stat.S_ISDIR


def _socket(path):
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    return "a socket", stat.S_ISSOCK


@pytest.mark.parametrize("make", [_char_device, _fifo, _directory, _socket])
@pytest.mark.parametrize("optional", [False, True])
def test_a_path_that_is_no_regular_file_is_refused(wh, tmp_path, make, optional):
    """Exit 3 (0 with --push-optional), one line naming the path and its kind; the node stays what it was.

    A subprocess with a timeout: before, a FIFO blocked the read for ever and a device copy was replaced."""
    path = tmp_path / "dmm.prom"
    kind, still = make(path)
    extra = ["--push-optional"] if optional else []
    result = subprocess.run([*PROG, *wh.args("--textfile", str(path), *extra)], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == (0 if optional else 3)
    level = "warning" if optional else "error"
    assert result.stderr == (f"daily-metrics-monitor: {level}: textfile {path} is {kind}, not a regular file: "
                             "refusing to read or replace it\n")
    assert still(os.lstat(path).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("dmm.prom")) == ["dmm.prom"]


def test_a_regular_file_is_replaced_atomically_and_readable(wh, tmp_path):
    path = tmp_path / "dmm.prom"
    path.write_text("# an old file\n")
    inode = os.stat(path).st_ino
    result = subprocess.run([*PROG, *wh.args("--textfile", str(path))], capture_output=True, text=True, timeout=60,
                            preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    assert os.stat(path).st_ino != inode  # renamed over, not rewritten in place
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o044 == 0o044  # node_exporter, another user, can read it
    assert "dmm_up 1.0" in path.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("dmm.prom")] == ["dmm.prom"]
