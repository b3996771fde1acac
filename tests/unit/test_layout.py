"""The package's shape: imports point one way, judging does no I/O, modules and functions stay small."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "exporter"
RANK = {"": 0, "errors": 0, "numbers": 0, "escape": 0, "families": 0, "config": 1, "judge": 2, "checks": 2,
        "warehouse": 3, "publish": 3, "reports": 3, "render": 3, "cli": 4, "integrations": 5, "__main__": 6}
"""A module may import its own package and packages of a lower rank only; equal ranks are siblings, never linked,
except the two packages of judging: the judge's engine and the check catalogue (below: which way each goes)."""
JUDGING = {"judge", "checks"}
ORCHESTRATION = {"evaluate.py", "backtest.py", "__init__.py"}
"""The judge's modules that run the catalogue; the rest of the judge is the engine the checks are built on."""
JUDGE_NO_IO = {"sqlalchemy", "urllib", "http", "socket", "subprocess", "prometheus_client", "os", "pathlib", "yaml",
               "io", "tempfile", "shutil"}
NO_IO = {"config": {"sqlalchemy", "urllib", "http", "socket", "subprocess", "prometheus_client"},
         "checks": JUDGE_NO_IO,
         "judge": {"sqlalchemy", "urllib", "http", "socket", "subprocess", "prometheus_client", "os", "pathlib",
                   "yaml", "io", "tempfile", "shutil"},
         "reports": {"sqlalchemy", "urllib", "http", "socket", "subprocess", "prometheus_client", "pathlib"}}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def top(path: Path) -> str:
    """The first package under exporter/ a module belongs to ('' for exporter/__init__.py)."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return "" if parts == ("__init__",) else parts[0]


def imported(path: Path) -> list[tuple[str, int]]:
    """(package under exporter/, line) of every project import; ('!name', line) for modules outside it."""
    package = ("exporter", *path.relative_to(PACKAGE).parent.parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("exporter")):
            base = package[:len(package) - node.level + 1] if node.level else ()
            full = [*base, *(node.module.split(".") if node.module else [])]
            found += [(name, node.lineno) for name in ([full[1]] if len(full) > 1 else [a.name for a in node.names])]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(("!" + node.module.split(".")[0], node.lineno))
        elif isinstance(node, ast.Import):
            found += [("!" + alias.name.split(".")[0], node.lineno) for alias in node.names]
    return found


def test_imports_point_one_way():
    wrong = []
    for path in modules():
        mine = top(path)
        for target, line in imported(path):
            if target.startswith("!") or target == mine:
                continue
            rank = RANK.get(target, 0)  # a name from exporter/__init__.py (the version) is the base
            if rank and rank >= RANK[mine] and {mine, target} != JUDGING:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {mine or 'exporter'} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_engine_never_reads_the_catalogue_and_checks_never_run_the_judge():
    """checks/ builds on the judge's engine (model, statistics, rules, trust); only the judge's orchestration
    (evaluate, backtest) loops over the catalogue."""
    wrong = []
    for path in modules():
        if top(path) == "judge" and path.name not in ORCHESTRATION:
            wrong += [f"{path.name}:{line}" for target, line in imported(path) if target == "checks"]
        if top(path) == "checks":
            text = path.read_text()
            wrong += [f"{path.name} runs the judge" for name in ("judge.evaluate", "judge.backtest", "judge import")
                      if name in text]
    assert not wrong, "\n".join(wrong)


def test_judging_and_config_do_no_io():
    wrong = [f"{path.relative_to(PACKAGE)}:{line} imports {target[1:]}"
             for path in modules() for target, line in imported(path)
             if target.startswith("!") and target[1:] in NO_IO.get(top(path), ())]
    assert not wrong, "\n".join(wrong)


def test_every_module_says_what_it_is_and_stays_small():
    for path in modules():
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree) or path.name == "__main__.py", f"{path} has no docstring"
        assert len(path.read_text().splitlines()) <= 300, f"{path} has over 300 lines"


def test_no_function_over_60_lines():
    long = []
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > 60 and not _data_literal(node):
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, "\n".join(long)


def _data_literal(node: ast.FunctionDef) -> bool:
    """A function that is one data literal returned (a catalogue of alerts or cases), not logic."""
    returns = [n for n in node.body if isinstance(n, ast.Return)]
    return bool(returns) and isinstance(returns[-1].value, (ast.List, ast.Dict, ast.Tuple)) and \
        sum(n.end_lineno - n.lineno + 1 for n in returns) > (node.end_lineno - node.lineno + 1) / 2


def test_tests_mirror_the_package_and_never_import_each_other():
    """tests/unit and tests/integration hold one folder per subpackage (or concern); what tests share lives in
    conftest.py or tests/support, never in another test module."""
    tests = PACKAGE.parent / "tests"
    wrong = [f"{path.relative_to(tests)}:{line}" for path in sorted(tests.rglob("test_*.py"))
             for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("tests.unit", "tests.integration"))
             for line in [node.lineno]]
    assert not wrong, "\n".join(wrong)
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    unit = {p.name for p in (tests / "unit").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert unit <= packages, unit - packages
