"""The xlwings Lite bundle: one self-contained ``main.py`` plus ``requirements.txt``.

xlwings Lite runs Python in the Excel add-in (Pyodide, WebAssembly) and installs
packages from ``requirements.txt``; it cannot install this package, which is not
published. So ``aijri xlwings-lite -o DIR`` writes the modules the functions need into
one module, in dependency order::

    main.py
      header                  what this is, how to regenerate it
      aijri_xl/method.py      the method's parameters and tables
      aijri_xl/excel_math.py  Excel's ROUND, percent conversions
      aijri_xl/findings.py    finding codes
      aijri_xl/model.py       the assessment model
      aijri_xl/validate.py    the consistency rules
      aijri_xl/engine.py      the reference engine
      aijri_xl/udfs.py        the Excel functions (=AIJRI_SCORE, ...)
      aijri_xl/xlwings_verify.py  the "Verify this workbook" script

Each module's source is copied as it is, less its docstring (kept as a comment), its
``from __future__`` line and its imports from the package
(``from aijri_xl.method.engine import score``), whose names the earlier modules already
define. The bundler refuses a module that would not
survive this: a relative import with ``as``, a name it imports that no earlier module
defines, or a top-level name that two modules define differently. Writing twice gives
the same bytes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from aijri_xl.method.parameters import METHOD

BUNDLE_MODULES: tuple[str, ...] = (
    "method.parameters", "method.fields", "method.excel_math", "method.findings",
    "method.model",
    "method.rules", "method.engine", "method.compare",
    "excel.functions",
    "excel.verify_script",
)
"""The package modules in main.py, each after the modules it imports."""

REQUIREMENTS = "xlwings>=0.33,<1.0\n"
"""xlwings Lite installs what requirements.txt lists. main.py needs only the standard
library and xlwings (Lite's own pure-Python wheel): keep Lite's xlwings, below 1.0."""

PACKAGE_DIR = Path(__file__).resolve().parents[1]


class BundleError(Exception):
    """A module cannot be copied into main.py as it is."""


@dataclass(frozen=True, slots=True)
class _Module:
    name: str
    source: str


def _bound_names(tree: ast.Module, module: str) -> dict[str, str]:
    """Top-level names a module binds, each with where it comes from: an absolute import
    (``import:dataclasses.field``, the same wherever it is repeated) or this module."""
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names[node.name] = module
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for n in ast.walk(target):
                    if isinstance(n, ast.Name):
                        names[n.id] = module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = f"import:{alias.name}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("aijri_xl."):
            for alias in node.names:  # bundled: the name comes from that module's code
                names[alias.asname or alias.name] = (node.module or "").removeprefix(
                    "aijri_xl.")
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"import:{node.module}.{alias.name}"
    return names


def _strip(module: str, source: str, defined: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The module's code for main.py, and the top-level names it binds."""
    tree = ast.parse(source)
    drop: set[int] = set()  # 1-based line numbers
    doc = ""
    for i, node in enumerate(tree.body):
        is_doc = i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
            and isinstance(node.value.value, str)
        is_future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        is_relative = isinstance(node, ast.ImportFrom) and (
            node.level > 0 or (node.module or "").split(".")[0] == "aijri_xl")
        if isinstance(node, ast.ImportFrom) and is_relative:
            for alias in node.names:
                if alias.asname is not None or node.level > 0 or node.module == "aijri_xl":
                    raise BundleError(f"aijri_xl/{module}.py line {node.lineno}: only "
                                      "'from aijri_xl.module import name' can be bundled")
                if defined.get(alias.name) != (node.module or "").removeprefix("aijri_xl."):
                    raise BundleError(f"aijri_xl/{module}.py line {node.lineno}: "
                                      f"'{alias.name}' is not defined by aijri_xl/"
                                      f"{node.module}.py earlier in the bundle")
        if is_doc and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            doc = str(node.value.value)
        if is_doc or is_future or is_relative:
            drop.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    lines = source.splitlines()
    kept = [line for n, line in enumerate(lines, start=1) if n not in drop]
    while kept and not kept[0].strip():
        kept.pop(0)
    comment = [f"# {line}".rstrip() for line in doc.strip().splitlines()]
    code = "\n".join([*comment, "", *kept]).rstrip() + "\n"
    return code, _bound_names(tree, module)


def _header() -> str:
    from aijri_xl._version import __version__

    return (
        f'"""The AIJRI method ({METHOD}) as Excel functions, for xlwings Lite.\n'
        "\n"
        f"Generated by `aijri xlwings-lite` from aijri_xl {__version__}: do not edit, "
        "regenerate.\n"
        "Paste this file into xlwings Lite's main.py and requirements.txt next to it into\n"
        "its requirements.txt; the functions =AIJRI_SCORE(...) and the others then work\n"
        "in every sheet, and the script 'Verify this workbook' checks an AIJRI workbook.\n"
        "Documentation: docs/EXCEL.md of the aijri_xl project.\n"
        '"""\n'
        "\n"
        "from __future__ import annotations\n"
    )


def bundle_source() -> str:
    """The text of main.py."""
    defined: dict[str, str] = {}
    parts = [_header()]
    for module in BUNDLE_MODULES:
        source = (PACKAGE_DIR / f"{module.replace('.', '/')}.py").read_text(encoding="utf-8")
        code, names = _strip(module, source, defined)
        for name, origin in names.items():
            earlier = defined.get(name)
            if earlier is not None and earlier != origin:
                raise BundleError(f"aijri_xl/{module}.py defines '{name}', which "
                                  f"{earlier.removeprefix('import:')} already binds in "
                                  "the bundle")
            defined[name] = origin
        rule = "# " + "-" * 76
        parts.append(f"\n\n{rule}\n# aijri_xl/{module}.py\n{rule}\n{code}")
    text = "".join(parts)
    compile(text, "main.py", "exec")  # a bundling mistake fails here, not in Excel
    return text


def write_bundle(directory: str | Path) -> list[Path]:
    """Write main.py and requirements.txt into ``directory`` (created if needed)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    files = {"main.py": bundle_source(), "requirements.txt": REQUIREMENTS}
    written = []
    for name, text in files.items():
        path = out / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
