"""The xlwings Lite bundle: one ``main.py`` that carries this package's own modules.

xlwings Lite runs Python in the Excel add-in (Pyodide, WebAssembly) and installs
packages from ``requirements.txt``; it cannot install this package, which is not
published. So ``aijri xlwings-lite -o DIR`` writes a ``main.py`` that embeds the source
of every package module the functions and the "Verify this workbook" script import,
unchanged, and a small importer that registers each one under its real dotted name
(``aijri_xl.method.rules``) in ``sys.modules`` when it is first imported. The modules
keep their own namespaces, so nothing is copied, renamed or flattened: the functions in
Excel are this package's functions, the script is ``aijri verify``'s checks.

``main.py`` is, in order: a header; the importer; each module's source as a raw string
literal, sorted by name; the imports that put the functions and the script into
``main`` (xlwings Lite reads them from there). Two modules are left out on purpose
(:data:`NOT_BUNDLED`); the top package ``aijri_xl`` is a stub naming the version, since
its ``__init__`` is the public API of the whole package (file readers, the register),
which Excel does not need. Writing twice gives the same bytes.
"""

from __future__ import annotations

import ast
from pathlib import Path

from aijri_xl._record import dataclass
from aijri_xl.method.parameters import METHOD

PACKAGE = "aijri_xl"
PACKAGE_DIR = Path(__file__).resolve().parents[1]

ENTRY_MODULES: tuple[str, ...] = ("aijri_xl.excel.functions", "aijri_xl.excel.verify_script")
"""What main.py imports; every package module these import (at any depth, at module level
or inside a function) is embedded, except :data:`NOT_BUNDLED`."""

NOT_BUNDLED: dict[str, str] = {
    "aijri_xl.sources": "reads files by suffix (YAML, reports, pages); Excel hands the "
                        "script an open workbook, and only verify_file() imports it",
    "aijri_xl.verify.evaluator": "evaluates a workbook file's formulas with formualizer, "
                                 "a native wheel; the script's workbook is values only, so "
                                 "the checks never import it",
}
"""Package modules imported only inside functions that never run in Excel, with why."""

REQUIREMENTS = "xlwings>=0.33,<1.0\n"
"""xlwings Lite installs what requirements.txt lists. main.py needs only the standard
library and xlwings (Lite's own pure-Python wheel): keep Lite's xlwings, below 1.0."""


class BundleError(Exception):
    """A module cannot be embedded as it is."""


@dataclass(frozen=True, slots=True)
class Module:
    name: str
    path: Path
    is_package: bool

    @property
    def relative(self) -> str:
        return self.path.relative_to(PACKAGE_DIR.parent).as_posix()


def _module(name: str) -> Module | None:
    """The package module ``name`` as a file, or ``None`` if there is no such module."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_DIR.joinpath(*parts[1:])
    if (base / "__init__.py").is_file():
        return Module(name, base / "__init__.py", True)
    if base.with_suffix(".py").is_file():
        return Module(name, base.with_suffix(".py"), False)
    return None


def _imported(module: Module) -> list[str]:
    """The package modules ``module`` imports anywhere in its code."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                raise BundleError(f"{module.relative} line {node.lineno}: a relative "
                                  "import; the package imports absolutely")
            target = node.module or ""
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                found.append(target)
                # ``from aijri_xl.excel import functions`` imports a submodule
                found += [f"{target}.{a.name}" for a in node.names
                          if _module(f"{target}.{a.name}") is not None]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names
                      if a.name == PACKAGE or a.name.startswith(PACKAGE + ".")]
    return found


def modules() -> list[Module]:
    """Every module main.py embeds, sorted by name: the closure of the entry modules'
    imports, with each module's parent packages, less :data:`NOT_BUNDLED` and the top
    package (a stub)."""
    wanted: dict[str, Module] = {}
    queue = list(ENTRY_MODULES)
    while queue:
        name = queue.pop()
        if name in wanted or name in NOT_BUNDLED or name == PACKAGE:
            continue
        module = _module(name)
        if module is None:
            raise BundleError(f"{name} is imported but is not a module of the package")
        wanted[name] = module
        parts = name.split(".")
        queue += [".".join(parts[:i]) for i in range(2, len(parts))]
        queue += _imported(module)
    return [wanted[k] for k in sorted(wanted)]


_IMPORTER = '''
import importlib.abc
import importlib.machinery
import linecache
import sys

_SOURCES: dict[str, tuple[str, bool, str]] = {}
"""Dotted name -> (file name, is a package, source) of every embedded module."""


def _embed(name, filename, is_package, source):
    _SOURCES[name] = (filename, is_package, source)


class _Bundle(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports the embedded modules under their own names, from their own sources."""

    aijri_bundle = True

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _SOURCES:
            return None
        filename, is_package, _ = _SOURCES[fullname]
        spec = importlib.machinery.ModuleSpec(fullname, self, origin=filename,
                                              is_package=is_package)
        spec.has_location = True
        return spec

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        filename, _, source = _SOURCES[module.__name__]
        # Tracebacks show the embedded lines, as for a module read from a file.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec", dont_inherit=True), module.__dict__)


def _install():
    """Put this bundle's importer first, replacing one a previous run of main.py left
    (xlwings Lite runs main.py again after every edit). A real aijri_xl that the host
    already imported is left alone and used."""
    for finder in [f for f in sys.meta_path if getattr(f, "aijri_bundle", False)]:
        sys.meta_path.remove(finder)
        for name, module in list(sys.modules.items()):
            if getattr(getattr(module, "__spec__", None), "loader", None) is finder:
                del sys.modules[name]
    sys.meta_path.insert(0, _Bundle())
'''


def _literal(module: Module, source: str) -> str:
    """The source as a raw string literal that reads back exactly, else its repr()."""
    literal = f"r'''{source}'''"
    if "'''" not in source and not source.endswith("\\"):
        try:
            if ast.literal_eval(literal) == source:
                return literal
        except (SyntaxError, ValueError):
            pass
    return repr(source)


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
        "It carries the aijri_xl modules these need, each under its own name; the\n"
        "importer below loads them. Documentation: docs/EXCEL.md of the aijri_xl project.\n"
        '"""\n'
    )


def bundle_source() -> str:
    """The text of main.py."""
    from aijri_xl._version import __version__
    from aijri_xl.excel.functions import DOCS_URL, FUNCTIONS

    parts = [_header(), _IMPORTER]
    stub = (f'"""aijri_xl, as the xlwings Lite bundle carries it: the modules the Excel '
            f'functions and the verify script need."""\n\n__version__ = {__version__!r}\n')
    parts.append(f"\n_embed({PACKAGE!r}, 'aijri_xl/__init__.py', True, {stub!r})\n")
    for module in modules():
        source = module.path.read_text(encoding="utf-8")
        parts.append(f"\n_embed({module.name!r}, {module.relative!r}, {module.is_package!r}, "
                     f"{_literal(module, source)})\n")
    names = "".join(f"    {f.__name__},\n" for f in FUNCTIONS)
    docs = "" if not DOCS_URL else (
        f"\nimport os\n\nos.environ.setdefault('AIJRI_DOCS_URL', {DOCS_URL!r})\n")
    parts.append(
        f"{docs}\n_install()\n\n"
        f"from aijri_xl.excel.functions import (  # noqa: E402, F401\n{names})\n"
        "from aijri_xl.excel.verify_script import verify_workbook  # noqa: E402, F401\n")
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
