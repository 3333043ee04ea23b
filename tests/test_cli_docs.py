"""docs/cli.md is the CLI's contract: this test fails when the command, its options or its JSON drift.

It reads three things from the document and checks each against the code:
- the command table: every command and every option the CLI has is named there, and nothing else;
- each `### `command`` section's key list (`A list of objects: `id, name, …``): the JSON keys;
- each JSON example under a quoted command line: run on the shipped data, the example's keys and
  values must be what the command prints (lists in an example may be cut, never changed).
When it fails it prints what the command prints now, so the document can be brought up to date.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from chain_graph_app.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
DATA = ROOT / "data"
# options every report shares, documented once below the table
SHARED = {"--format", "-f", "--help"}
LIST_KEYS = ("id", "key", "status", "rank")  # how an example's list element finds its counterpart


def commands() -> dict[str, set[str]]:
    """Every command of the CLI (groups flattened as `group sub`) with its long options."""
    root = typer.main.get_command(app)
    found: dict[str, set[str]] = {}

    def walk(command, prefix: str) -> None:
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            for name, sub in command.commands.items():
                walk(sub, f"{prefix} {name}".strip())
            return
        found[prefix] = {o for p in command.params for o in (*p.opts, *getattr(p, "secondary_opts", ())) if o.startswith("--")} - SHARED

    walk(root, "")
    return found


def documented() -> dict[str, set[str]]:
    """The command table: `| `name [--opt …]` | … |` rows."""
    found: dict[str, set[str]] = {}
    for match in re.finditer(r"^\| `([a-z][^`]*)` \|", DOC, flags=re.M):
        words = match.group(1).split()
        name = " ".join(w for w in words[:2] if re.fullmatch(r"[a-z][a-z-]*", w) and w.upper() != w)
        found[name] = set(re.findall(r"--[a-z][a-z-]*", match.group(1))) - SHARED
    return found


def test_every_command_and_option_is_documented_and_nothing_else():
    actual, doc = commands(), documented()
    assert set(actual) == set(doc), f"commands in the CLI but not in docs/cli.md: {sorted(set(actual) - set(doc))}; " \
                                    f"documented but gone: {sorted(set(doc) - set(actual))}"
    drift = {name: (sorted(actual[name] - doc[name]), sorted(doc[name] - actual[name]))
             for name in actual if actual[name] != doc[name]}
    assert not drift, f"options (undocumented, documented but gone) per command: {drift}"


def global_options() -> set[str]:
    root = typer.main.get_command(app)
    return {o for p in root.params for o in p.opts if o.startswith("--")} - SHARED


def test_every_global_option_is_documented():
    table = re.findall(r"^\| `(--[a-z-]+)", DOC, flags=re.M)
    assert set(table) == global_options()


def run_json(argv: list[str]):
    result = CliRunner().invoke(app, ["--data", str(DATA), *argv])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def examples() -> list[tuple[str, str]]:
    """(command line, example) for every ```json block whose lead-in quotes a `chain-graph … -f json` line."""
    found = []
    for match in re.finditer(r"`(chain-graph [^`]*-f json)`(?:[^\n]*\n){1,3}?```json\n(.*?)\n```", DOC, flags=re.S):
        found.append((match.group(1), match.group(2)))
    return found


def same(example, actual, where: str) -> list[str]:
    """Where the example says something the actual output does not (lists may be cut in the example)."""
    if isinstance(example, dict):
        if not isinstance(actual, dict):
            return [f"{where}: an object in the example, {type(actual).__name__} in the output"]
        if set(example) != set(actual):
            return [f"{where}: keys {sorted(example)} in the example, {sorted(actual)} in the output"]
        return [d for k in example for d in same(example[k], actual[k], f"{where}.{k}")]
    if isinstance(example, list):
        if not isinstance(actual, list):
            return [f"{where}: a list in the example, {type(actual).__name__} in the output"]
        problems = []
        for i, item in enumerate(example):
            problems += same(item, counterpart(item, actual, i), f"{where}[{i}]")
        return problems
    if isinstance(example, float) and isinstance(actual, (int, float)):
        digits = len(repr(example).split(".")[1]) if "." in repr(example) else 0
        return [] if round(actual, digits) == example else [f"{where}: {example} in the example, {actual} in the output"]
    return [] if example == actual else [f"{where}: {example!r} in the example, {actual!r} in the output"]


def counterpart(item, actual: list, position: int):
    if isinstance(item, dict):
        for key in LIST_KEYS:
            if key in item:
                return next((a for a in actual if isinstance(a, dict) and a.get(key) == item[key]), None)
    return actual[position] if position < len(actual) else None


@pytest.mark.parametrize("line,example", examples(), ids=[e[0] for e in examples()])
def test_every_json_example_is_what_the_command_prints(line, example):
    argv = shlex.split(line)[1:]
    actual = run_json(argv)
    problems = same(json.loads(example), actual, "$")
    assert not problems, ("docs/cli.md drifted from `" + line + "`:\n" + "\n".join(problems[:20])
                          + "\nthe command prints now (first 3000 characters):\n"
                          + json.dumps(actual, ensure_ascii=False)[:3000])


def section_keys() -> dict[str, list[str]]:
    """`### `name`` sections whose first line lists the object keys: `A list of objects: `a, b``."""
    found = {}
    for match in re.finditer(r"^### `([a-z ]+)`\nA list of objects:\s*`([^`]+)`", DOC, flags=re.M):
        found[match.group(1)] = [k.strip() for k in match.group(2).split(",")]
    return found


@pytest.mark.parametrize("name,keys", sorted(section_keys().items()))
def test_every_listed_key_is_what_the_command_prints(name, keys):
    rows = run_json([*name.split(), "-f", "json"])
    assert rows, f"`{name}` printed nothing on the shipped data"
    assert set(rows[0]) == set(keys), f"docs/cli.md lists {keys} for `{name}`; it prints {sorted(rows[0])}"


def test_the_document_has_examples_to_check():
    assert len(examples()) >= 4 and len(section_keys()) >= 2
