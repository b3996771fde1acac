"""The README is the user's contract: its commands are the ones CI runs, it fits on a screen or two, and its
links lead into the documentation site."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def _code_lines():
    return [line for line in README.splitlines() if line.startswith((".venv/", "python3 ", "apt-get "))]


def test_two_setup_commands_and_ci_runs_the_test_command():
    commands = _code_lines()
    assert len(commands) == 2, commands
    install_demo, install_test = commands
    assert install_demo.endswith("daily-metrics-monitor demo")
    assert install_test.endswith("python -m pytest --cov")  # the coverage gate is part of the suite
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert install_test in ci
    types = next(i for i, line in enumerate(ci) if line.endswith("&& .venv/bin/mypy"))
    assert types < ci.index(install_test)  # the types are checked first, as their own step


def test_every_link_of_the_readme_leads_to_a_file():
    for target in re.findall(r"\]\(([^)#\s]+)", README):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target


def test_the_readme_fits_on_a_screen_or_two():
    assert len(README.splitlines()) <= 200


def test_the_readme_example_is_the_segmented_example_and_valid():
    """The ten-minute walkthrough's config is the segmented example's, shortened: the same checks."""
    import yaml

    from exporter.config import from_mapping, load

    block = README.split("```yaml\n", 1)[1].split("```", 1)[0]
    shown, example = from_mapping(yaml.safe_load(block)), load(ROOT / "examples" / "segmented.yaml")
    assert (shown.segments, shown.overrides, shown.fact, shown.pipeline) == (
        example.segments, example.overrides, example.fact, example.pipeline)


def test_the_walkthrough_commands_are_the_getting_started_pages():
    page = (ROOT / "docs" / "getting-started.md").read_text()
    for line in README.splitlines():
        if line.startswith(("daily-metrics-monitor ", "promtool ", "amtool ")):
            assert line.split("#")[0].strip() in page, line
