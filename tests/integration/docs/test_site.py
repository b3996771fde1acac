"""The documentation site builds with `mkdocs build --strict` (a broken link, anchor or snippet fails), and the
generated reference pages are the code's current word (a stale page fails, as `render --check` does)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from exporter.cli import reference

ROOT = Path(__file__).resolve().parents[3]


def test_the_site_builds_strict(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "site" / "reference" / "alerts" / "index.html").exists()
    runbook = (tmp_path / "site" / "runbook" / "index.html").read_text()
    assert 'id="dailymetricssharpdrop"' in runbook  # the anchor alerts' runbook_url points at


def test_the_committed_reference_pages_are_not_stale(capsys):
    assert reference.main(["--check", "--out", str(ROOT)]) == 0, capsys.readouterr().err


def test_a_stale_page_is_named_and_exits_4(tmp_path, capsys):
    assert reference.main(["--out", str(tmp_path)]) == 0
    page = tmp_path / reference.DIRECTORY / "metrics.md"
    page.write_text(page.read_text().replace("dmm_up", "dmm_down"))
    assert reference.main(["--check", "--out", str(tmp_path)]) == 4
    assert capsys.readouterr().err.strip() == f"stale: {page} (run: python -m exporter.cli.reference)"


def test_every_example_is_on_the_examples_page():
    page = (ROOT / "docs" / "examples.md").read_text()
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        assert f'--8<-- "{path.relative_to(ROOT).as_posix()}"' in page, path


def test_every_page_is_in_the_navigation():
    import yaml

    nav = (ROOT / "mkdocs.yml").read_text()
    pages = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert {page for page in pages if f": {page}\n" not in nav} == set()
    assert yaml.safe_load(nav)["strict"] is True
