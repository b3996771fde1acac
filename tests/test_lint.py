"""The code style gate: ruff with the rules in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if not ruff:
        unavailable("ruff is not installed (pip install -e '.[test]')")
    result = subprocess.run([ruff, "check", "exporter", "tests", "bench", "deploy"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout
