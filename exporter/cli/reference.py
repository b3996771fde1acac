"""The documentation's generated reference pages, written or checked: `python -m exporter.cli.reference [--check]`.

Commands and exit codes come from the CLI itself (the argument parser, ExitCode); the configuration keys, checks,
metrics and alerts from `exporter.render.reference`. `--check` writes nothing and exits 4 when a page is stale.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from pathlib import Path

from ..render import reference, stale, write
from . import exitcodes
from .arguments import PROG, build_parser
from .exitcodes import ExitCode

DIRECTORY = "docs/reference"


def pages() -> dict[str, str]:
    """Relative path -> Markdown of every generated page."""
    return {f"{DIRECTORY}/{name}.md": text for name, text in (
        ("commands", commands()), ("configuration", reference.configuration()), ("checks", reference.checks()),
        ("metrics", reference.metrics()), ("alerts", reference.alerts_page()), ("exit-codes", exit_codes()))}


def commands() -> str:
    parser = build_parser()
    out = [reference.GENERATED.format(what="the argument parser (exporter.cli.arguments)"), "# Commands\n\n",
           f"`{PROG} --version` prints the version. Every command takes `--help`.\n"]
    for name, sub, about in _subcommands(parser):
        out.append(f"\n## {PROG} {name}\n\n{about}\n\n")
        rows = [("`" + ", ".join(action.option_strings) + _takes(action) + "`",
                 ("repeatable: " if isinstance(action, argparse._AppendAction) else "")
                 + (action.help or "").replace("%%", "%") + _default(action))
                for action in sub._actions if action.option_strings and action.dest != "help"]
        out.append(reference.table(("option", "meaning"), rows))
    return "".join(out)


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> list[tuple[str, argparse.ArgumentParser, str]]:
    """(name, parser, its one-line help) of every command, a nested one (`results init`) under its parent's name."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                sub = action.choices[choice.dest]
                name = prefix + choice.dest
                found += _subcommands(sub, f"{name} ") or [(name, sub, choice.help or "")]
    return found


def _takes(action: argparse.Action) -> str:
    if action.nargs == 0:
        return ""
    if action.choices is not None and not isinstance(action.choices, range):
        return " {" + ",".join(map(str, action.choices)) + "}"
    return f" {action.metavar or action.dest.upper()}"


def _default(action: argparse.Action) -> str:
    shown = action.default not in (None, False) and "default" not in (action.help or "")
    return f" (default: {action.default})" if shown and action.default is not argparse.SUPPRESS else ""


def exit_codes() -> str:
    """Each ExitCode with the comment beside it in exitcodes.py: the code's own words."""
    comments = dict(re.findall(r"^\s+([A-Z_]+) = \d+\s+# (.+)$", inspect.getsource(exitcodes.ExitCode), re.M))
    rows = [(f"`{code.value}`", f"`{code.name}`", comments.get(code.name, "")) for code in ExitCode]
    return (reference.GENERATED.format(what="exporter.cli.exitcodes.ExitCode") + "# Exit codes\n\n"
            "Several configs in one `check` exit with the worst: "
            + ", ".join(f"`{code.value}`" for code in exitcodes.WORST_FIRST) + ", in that order.\n\n"
            + reference.table(("code", "name", "when"), rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exporter.cli.reference", description=__doc__)
    parser.add_argument("--out", default=".", help="the repository's root (default: the current directory)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 4 when a page is stale")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if args.check:
        found = stale(pages(), out)
        for name in found:
            print(f"stale: {out / name} (run: python -m exporter.cli.reference)", file=sys.stderr)
        return ExitCode.STALE if found else ExitCode.OK
    for path in write(pages(), out):
        print(f"wrote {path}")
    return ExitCode.OK


if __name__ == "__main__":
    raise SystemExit(main())
