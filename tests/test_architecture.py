"""The package's shape: layers that import only downwards, no import cycle, small modules.

Every import is read from the source, function-level ones included: a cycle that only
holds because its back edge is imported inside a function is still a cycle.
docs/ARCHITECTURE.md draws the layers this test enforces.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aijri_xl"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "_record", "method"),
    ("styles",),
    ("workbook",),
    ("house",),
    ("sources",),
    ("catalogue", "occupations"),
    ("verify",),
    ("analytics",),
    ("registry",),
    ("excel",),
    ("cli", "cli_support", "cli_reference", "examples", "udfs", "xlwings_verify", "__init__",
     "__main__"),
)
"""Low to high. A module may import from its own layer or any layer below it."""

MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    top = module.split(".")[0]
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"aijri_xl.{module} is in no layer of LAYERS")


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> list[str]:
    """The package modules an import names (relative imports resolved)."""
    if node.level:
        base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    elif node.module and node.module.split(".")[0] == "aijri_xl":
        target = node.module.removeprefix("aijri_xl").lstrip(".")
    else:
        return []
    out = []
    for alias in node.names:  # `from aijri_xl.method import engine` names a module
        sub = f"{target}.{alias.name}" if target else alias.name
        out.append(sub if sub in MODULES else target or "__init__")
    return out


def _imports(module: str, path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.update(_resolve(module, path, node))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "aijri_xl":
                    name = alias.name.removeprefix("aijri_xl").lstrip(".")
                    found.add(name or "__init__")
    found.discard(module)
    return {m for m in found if m in MODULES or m == "__init__"}


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_every_module_is_in_a_layer():
    for module in MODULES:
        _layer(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_goes_up_a_layer(module):
    upward = sorted(t for t in GRAPH[module] if _layer(t) > _layer(module))
    assert not upward, f"aijri_xl.{module} imports from a higher layer: {upward}"


def test_no_import_cycle():
    # Tarjan's strongly connected components over every import, function-level included.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(GRAPH.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_sees_a_function_level_back_edge(tmp_path):
    """The import reader is not blind to what a cycle hides in a function body."""
    source = "def f():\n    from aijri_xl.verify.file import verify_file\n"
    path = tmp_path / "probe.py"
    path.write_text(source)
    assert "verify.file" in _imports("method.probe", path)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_small(module):
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"aijri_xl.{module} has {lines} lines (at most {MAX_LINES})"


THIRD_PARTY_ALLOWED_IN_METHOD: frozenset[str] = frozenset()
"""The method layer is pure: the standard library only (it is what xlwings Lite embeds)."""


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) == 0))
def test_the_method_layer_imports_only_the_standard_library(module):
    import sys

    outside = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                 [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                 else [])
        for name in names:
            top = name.split(".")[0]
            if top and top != "aijri_xl" and top not in sys.stdlib_module_names \
                    and top not in THIRD_PARTY_ALLOWED_IN_METHOD:
                outside.add(top)
    assert not outside, f"aijri_xl.{module} imports {sorted(outside)}"


_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b(?![0-9A-Za-z-])")


def _colour_literals(path: Path) -> list[str]:
    """Every string constant (docstrings aside) that holds a hex colour, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef |
                                ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [f"line {node.lineno}: {match}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings
            for match in _COLOUR.findall(node.value)]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "styles"))
def test_colours_come_from_the_styles_table(module):
    """Every colour a writer uses is named in aijri_xl/styles.py, none typed where used."""
    assert _colour_literals(MODULES[module]) == []


def test_the_colour_check_sees_a_typed_colour(tmp_path):
    path = tmp_path / "m.py"
    path.write_text('"""Doc #FFFFFF."""\nCSS = "a{color:#1f2328}b{color:#fff}"\n'
                    'LINK = "#top"\n', encoding="utf-8")
    assert _colour_literals(path) == ["line 2: #1f2328", "line 2: #fff"]
