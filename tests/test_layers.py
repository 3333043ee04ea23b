"""Imports go one way only: model → loaders → store → analysis → output → service → CLI / app.

Every import in every module (lazy ones inside functions too) is read from the source and
checked against the layer of the importing module: a module may import its own layer and the
layers below it, never one above. The two front ends do not import each other. A new
sub-package of chain_graph or chain_graph_app must be given a layer here before it can land.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("chain_graph", "loaders", "chain_graph_app")

# the longest matching prefix decides a module's layer
LAYERS = {
    "chain_graph": 0,  # the model and its rules: model, settings, dataset, validation, units, i18n …
    "chain_graph.i18n": 0,
    "loaders": 1,
    "chain_graph.store": 2,
    "chain_graph.analysis": 3,
    "chain_graph.output": 4,
    "chain_graph_app": 5,
    "chain_graph_app.service": 5,
    "chain_graph_app.cli": 6,
    "chain_graph_app.web": 6,
}
NAMES = {0: "model", 1: "loaders", 2: "store", 3: "analysis", 4: "output", 5: "service", 6: "front end"}
FRONT_ENDS = ("chain_graph_app.cli", "chain_graph_app.web")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> tuple[str, int] | None:
    prefixes = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    if not prefixes:
        return None
    prefix = max(prefixes, key=len)
    return prefix, LAYERS[prefix]


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]  # `from pkg import module`
    return found


def sources() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_every_sub_package_has_a_layer():
    unplaced = []
    for package in ("chain_graph", "chain_graph_app"):
        for init in (ROOT / package).rglob("__init__.py"):
            name = module_name(init)
            if name not in LAYERS:
                unplaced.append(name)
    assert not unplaced, f"give these packages a layer in tests/test_layers.py: {unplaced}"


def test_no_module_imports_a_layer_above_its_own():
    wrong = []
    for path in sources():
        name = module_name(path)
        own_prefix, own = layer_of(name)
        for line, target in imports(path):
            placed = layer_of(target)
            if placed is None:
                continue  # a third-party or standard module
            prefix, layer = placed
            if layer > own:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({NAMES[own]}) imports {target} ({NAMES[layer]})")
            elif own_prefix in FRONT_ENDS and prefix in FRONT_ENDS and prefix != own_prefix:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: one front end imports the other ({target})")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_package_cycle():
    """chain_graph holds layers on both sides of loaders, so it may not import loaders at all:
    the packages import chain_graph_app → loaders → chain_graph, never back."""
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {target}"
             for path in (ROOT / "chain_graph").rglob("*.py")
             for line, target in imports(path) if target == "loaders" or target.startswith("loaders.")]
    assert not wrong, "chain_graph imports loaders:\n" + "\n".join(wrong)


def test_the_checker_sees_an_upward_import(tmp_path):
    """The rule can fail: an analysis module importing the CLI is caught."""
    fake = ROOT / "chain_graph" / "analysis" / "_layer_probe.py"
    fake.write_text("from chain_graph_app.cli import app\nfrom ..output import rows\n", encoding="utf-8")
    try:
        found = [t for _, t in imports(fake)]
        assert "chain_graph_app.cli" in found and "chain_graph.output" in found
        assert layer_of("chain_graph_app.cli")[1] > layer_of(module_name(fake))[1]
        assert layer_of("chain_graph.output.rows")[1] > layer_of(module_name(fake))[1]
    finally:
        fake.unlink()
