"""The one translation catalogue (chain_graph/i18n/*.yaml): every key in both languages with the same
values, every key named in code present, no key unused, no sentence translated inline."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from chain_graph import i18n
from chain_graph.i18n import CATALOG, CatalogError, Failure, Message, msg, t

ROOT = Path(__file__).resolve().parent.parent
CODE = [p for folder in ("chain_graph", "loaders", "chain_graph_app") for p in (ROOT / folder).rglob("*.py")]
CALLS = {"t", "tr", "msg", "Message"}  # the calls whose first argument is a catalogue key
KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
PREFIX = re.compile(r"^[a-z0-9_]+\.[a-z0-9_.]*$")  # the start of f"status.{value}", f"val.unknown_{what}"


def _calls() -> list[tuple[Path, ast.Call]]:
    found = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name in CALLS:
                    found.append((path, node))
    return found


def _legacy(node: ast.Call) -> bool:
    """tr("中文", "English"): the inline pair being converted."""
    return (getattr(node.func, "id", None) == "tr" and len(node.args) == 2
            and not any(isinstance(a, ast.Name) and a.id == "lang" for a in node.args))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_values():
    for key, (zh, en) in CATALOG.items():
        assert KEY.match(key), f"{key}: keys are area.name in lower case"
        assert zh.strip() and en.strip(), key
        assert _placeholders(zh) == _placeholders(en), f"{key} ({i18n.HOME[key]}): {{values}} differ between zh and en"


def test_every_key_named_in_code_exists_with_the_values_it_needs():
    missing, wrong = [], []
    for path, node in _calls():
        first = node.args[0]
        if _legacy(node) or not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        key = first.value
        if key not in CATALOG:
            missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {key}")
            continue
        names = {k.arg for k in node.keywords}
        if None not in names and getattr(node.func, "id", None) in ("msg", "tr"):
            needed = _placeholders(CATALOG[key][0])
            if names != needed:
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: {key} takes {sorted(needed)}, got {sorted(names)}")
    assert not missing, "keys not in the catalogue:\n" + "\n".join(missing)
    assert not wrong, "\n".join(wrong)


def test_no_key_is_unused():
    """A key counts as used when code names it as a string, or builds it as f"prefix.{...}" in a call."""
    constants, prefixes = set(), set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                if PREFIX.match(str(node.values[0].value)):
                    prefixes.add(node.values[0].value)
    unused = [f"{i18n.HOME[key]}: {key}" for key in CATALOG
              if key not in constants and not any(key.startswith(p) for p in prefixes)]
    assert not unused, "keys no code uses (remove them):\n" + "\n".join(unused)


def test_no_inline_translation():
    """tr(zh, en) was the old way: sentences belong in the catalogue."""
    offenders = sorted({path.name for path, node in _calls() if _legacy(node)})
    assert not offenders, f"use catalogue keys (chain_graph/i18n/*.yaml), not tr(zh, en), in {offenders}"


def test_messages_render_in_either_language_and_nest():
    inner = msg("status.missing")
    outer = Message("why.evidence", {"evidence": inner})
    assert outer.text("zh") == "依据：缺链"
    assert outer.text("en") == "evidence: missing"
    assert str(Failure(outer)) == "依据：缺链" and Failure(outer).text("en") == "evidence: missing"
    assert t("no.such_key", "en") == "no.such_key"  # a gap shows, it does not crash a page


def test_a_key_in_two_files_or_without_english_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text('x.one: ["一", "one"]\n', encoding="utf-8")
    (tmp_path / "b.yaml").write_text('x.one: ["一", "one"]\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="b.yaml:1: x.one is also in a.yaml"):
        i18n._read_catalog(tmp_path)
    (tmp_path / "b.yaml").write_text('x.two: ["二"]\nyes: ["是", "yes"]\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="x.two needs"):
        i18n._read_catalog(tmp_path)
    (tmp_path / "b.yaml").write_text('yes: ["是", "yes"]\n', encoding="utf-8")
    assert i18n._read_catalog(tmp_path)[0]["yes"] == ("是", "yes")  # a word, not a boolean
