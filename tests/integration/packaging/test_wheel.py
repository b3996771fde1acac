"""The product as users get it: the built wheel, installed into a fresh venv (not editable), runs every command."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from exporter import __version__

ROOT = Path(__file__).resolve().parents[3]
PROG = "daily-metrics-monitor"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel, venv bin dir): the wheel built from this tree, installed with its dependencies only."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"  # a copy: building writes build/ and *.egg-info next to the sources
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                                                 ".pytest_cache", ".hypothesis", "*.sqlite"))
    # built with the test venv's setuptools (the test extra pins the build requirement), installed into a venv of
    # its own without pip by the outer pip: the same wheel and the same fresh venv, without a build environment
    # and ensurepip to set up each time
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                            str(source), "-w", str(tmp)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    wheel = next(tmp.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp / "venv")], check=True, timeout=120)
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(tmp / "venv" / "bin" / "python"),
                              "install", "-q", str(wheel)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr
    return wheel, tmp / "venv" / "bin"


def run(bin_dir: Path, *args, cwd=None):
    return subprocess.run([str(bin_dir / PROG), *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_the_wheel_holds_every_module_and_the_license(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    tree = {str(p.relative_to(ROOT)) for p in (ROOT / "exporter").rglob("*.py") if "__pycache__" not in p.parts}
    assert tree <= names, f"missing from the wheel: {sorted(tree - names)}"
    assert {n for n in names if n.startswith("exporter/")} == tree
    assert any(n.endswith("LICENSE") for n in names)


def test_it_runs_from_the_installed_wheel_not_the_checkout(installed, tmp_path):
    _, bin_dir = installed
    where = subprocess.run([str(bin_dir / "python"), "-c", "import exporter; print(exporter.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert "site-packages" in where.stdout and str(ROOT) not in where.stdout


def test_every_command_works_from_the_wheel(installed, tmp_path):
    _, bin_dir = installed
    assert run(bin_dir, "--version").stdout.startswith(f"{PROG} {__version__}")
    healthy = run(bin_dir, "demo", "--path", str(tmp_path / "demo.sqlite"), "--date", "2026-11-20", cwd=tmp_path)
    assert healthy.returncode == 0 and healthy.stdout.splitlines()[-1].startswith("OK: daily_metrics for 2026-11-20")
    drop = run(bin_dir, "demo", "--scenario", "orders_drop", cwd=tmp_path)
    assert drop.returncode == 1 and "[CRITICAL] orders:" in drop.stdout
    check = run(bin_dir, "check", "--dsn", f"sqlite:///{tmp_path / 'demo.sqlite'}", "--date", "2026-11-20",
                "--format", "json")
    assert check.returncode == 0 and '"status": "ok"' in check.stdout
    listed = run(bin_dir, "demo", "--list-scenarios")
    assert listed.returncode == 0 and "orders_drop" in listed.stdout
    backtest = run(bin_dir, "backtest", "--dsn", f"sqlite:///{tmp_path / 'demo.sqlite'}", "--from", "2026-11-01",
                   "--to", "2026-11-20", "--format", "csv")
    assert backtest.returncode == 0 and len(backtest.stdout.splitlines()) == 1 + 20 * 23
    html = run(bin_dir, "backtest", "--dsn", f"sqlite:///{tmp_path / 'demo.sqlite'}", "--from", "2026-11-01",
               "--to", "2026-11-20", "--html", str(tmp_path / "page.html"))
    assert html.returncode == 2 and "pip install '.[report]' in a clone" in html.stderr  # no extras here


def test_render_from_the_wheel_equals_the_committed_files(installed, tmp_path):
    _, bin_dir = installed
    rendered = run(bin_dir, "render", "--out", str(tmp_path))
    assert rendered.returncode == 0, rendered.stderr
    for path in rendered.stdout.split():
        if path.startswith(str(tmp_path)):
            relative = Path(path).relative_to(tmp_path)
            assert Path(path).read_text() == (ROOT / relative).read_text(), relative
    assert run(bin_dir, "render", "--out", str(ROOT), "--check").returncode == 0


def test_a_missing_driver_names_the_extra(installed):
    _, bin_dir = installed
    for dsn, extra in (("postgres://u@127.0.0.1:1/db", "postgresql"), ("mysql://root@127.0.0.1:1/db", "mysql"),
                       ("spark://u@127.0.0.1:1/db", "spark")):
        result = run(bin_dir, "check", "--dsn", dsn, "--date", "2026-11-20")
        wheel = f"daily_metrics_monitor-{__version__}-py3-none-any.whl"
        assert result.returncode == 2 and (f"install the {extra} extra: pip install '.[{extra}]' in a clone of the "
                                           f"repository, or pip install '{wheel}"
                                           f"[{extra}]' from a built wheel") in result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
