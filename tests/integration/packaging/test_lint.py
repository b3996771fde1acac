"""The maintainer's gate in the suite: ruff with the rules in pyproject.toml (mypy is .ci/run's own step)."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[3]


def tool(name: str) -> str:
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not path:
        unavailable(f"{name} is not installed (pip install -e '.[test]')")
    return path


def test_ruff_is_clean():
    result = subprocess.run([tool("ruff"), "check", "exporter", "tests", "bench", "deploy"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
