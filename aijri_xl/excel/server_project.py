"""An xlwings Server project for the AIJRI functions: ``aijri xlwings-server DIR``.

xlwings Server (the ``xlwings-server`` package) is a FastAPI app that Excel reaches
through an Office.js add-in on every platform. It imports the project's
``custom_functions`` and ``custom_scripts`` packages from the folder it runs in; this
module writes those two, importing this package (so the server runs exactly the
package's functions and ``aijri verify``'s checks), and a README with the steps to run
the server and sideload its manifest, and the licence facts. Writing twice gives the
same bytes; files other than these three are left alone.
"""

from __future__ import annotations

from pathlib import Path

from aijri_xl.method.parameters import METHOD

NAMESPACE = "XLWINGS"
"""The namespace xlwings Server's manifest gives its functions by default
(``XLWINGS_FUNCTIONS_NAMESPACE``): Excel shows ``=XLWINGS.AIJRI_SCORE(...)``."""


def _functions_module() -> str:
    from aijri_xl.excel.functions import FUNCTIONS

    names = "".join(f"    {f.__name__},\n" for f in FUNCTIONS)
    return (
        f'"""The AIJRI method ({METHOD}) as xlwings Server custom functions.\n\n'
        "Written by `aijri xlwings-server`: the functions are the aijri_xl package's own\n"
        "(aijri_xl.excel.functions); upgrade the package to update them.\n"
        '"""\n\n'
        f"from aijri_xl.excel.functions import (  # noqa: F401\n{names})\n"
    )


def _scripts_module() -> str:
    return (
        '"""The "Verify this workbook" script for xlwings Server.\n\n'
        "Written by `aijri xlwings-server`: aijri verify's own checks on the open workbook\n"
        "(aijri_xl.excel.verify_script).\n"
        '"""\n\n'
        "from aijri_xl.excel.verify_script import verify_workbook  # noqa: F401\n"
    )


README = f"""\
# AIJRI functions on xlwings Server

Written by `aijri xlwings-server`. `custom_functions/` and `custom_scripts/` import the
`aijri_xl` package: the functions (`AIJRI_SCORE` and the others) and the script
*Verify this workbook* are the package's own. Excel shows the functions under the
server's namespace, `{NAMESPACE}.` by default: `={NAMESPACE}.AIJRI_SCORE(B5:B12, C5:C12,
G7:K7, G8:K8, G6)` (set `XLWINGS_FUNCTIONS_NAMESPACE` in `.env` to change it; outside
`XLWINGS_ENVIRONMENT=prod` the environment is appended, e.g. `{NAMESPACE}_DEV.`).

## Licence

xlwings Server and the xlwings PRO features it uses (Office.js custom functions and
scripts) are source-available, not open source: free under the PolyForm Noncommercial
License 1.0.0 for non-commercial use only, with `XLWINGS_LICENSE_KEY=noncommercial`.
Use inside a company or other organisation, internal use included, is commercial use
and needs a paid xlwings PRO licence key (https://www.xlwings.org). The aijri_xl package
itself is MIT-licensed.

## Run it

1. In a Python 3.11+ environment: `pip install xlwings-server` and this package
   (`pip install /path/to/aijri_xl`).
2. In this folder: `xlwings-server init .` (adds `pyproject.toml`, `.env`, `certs/`;
   it keeps the two packages written here).
3. In `.env`: `XLWINGS_LICENSE_KEY=noncommercial` (non-commercial use) or your paid key.
4. Office.js add-ins need HTTPS: create a development certificate with mkcert in
   `certs/` (`mkcert -install`, then in `certs/`: `mkcert localhost 127.0.0.1 ::1`).
5. `xlwings-server run` serves on https://127.0.0.1:8000.
6. Download the manifest from https://127.0.0.1:8000/manifest/download and sideload it:
   Excel on the web: *Home › Add-ins › More Settings › Upload My Add-in*; Excel for Mac:
   copy `manifest.xml` to `~/Library/Containers/com.microsoft.Excel/Data/Documents/wef`
   and restart Excel; Excel on Windows: share a folder holding `manifest.xml`, add it
   as a trusted catalog (*File › Options › Trust Center › Trusted Add-in Catalogs*),
   then *Home › Add-ins › Shared Folder*.
7. Type `={NAMESPACE}.AIJRI_SCORE(...)`; run *Verify this workbook* from the add-in's
   task pane or a button bound to the script.

A function that cannot compute shows `#VALUE!`; hover over the error flag for the reason
(xlwings Server shows an `XlwingsError`'s message even with `XLWINGS_ENVIRONMENT=prod`).
"""


def project_files() -> dict[str, str]:
    """The files of the project: path relative to its folder -> text."""
    return {"custom_functions/__init__.py": _functions_module(),
            "custom_scripts/__init__.py": _scripts_module(),
            "README.md": README}


def write_project(directory: str | Path) -> list[Path]:
    """Write the project's files into ``directory`` (created if needed)."""
    out = Path(directory)
    written = []
    for name, text in project_files().items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
