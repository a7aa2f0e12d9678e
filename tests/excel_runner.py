"""Run the Excel functions and the verify script on a corpus, as JSON in and out.

``python excel_runner.py package|bundle DIR`` reads ``{"office_js": bool, "calls": [[name,
args], ...], "payloads": [workbook payload, ...]}`` from standard input and prints what
each call returned (or raised) and the table the script wrote for each payload. With
``bundle`` it imports the xlwings Lite ``main.py`` in ``DIR`` and nothing of the package
from disk; with ``package``, the package. The tests compare the two outputs.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys


def main() -> None:
    mode, directory = sys.argv[1], sys.argv[2]
    job = json.load(sys.stdin)
    if job["office_js"]:
        os.environ["XLWINGS_ON_SERVER"] = "true"
        os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
    if mode == "bundle":
        sys.path.insert(0, directory)
        import main as functions  # the Lite bundle

        scripts = functions
    else:
        import aijri_xl.excel.functions as functions
        import aijri_xl.excel.verify_script as scripts
    import xlwings as xw

    out: dict = {"calls": [], "scripts": [], "modules": {}}
    for name, args in job["calls"]:
        try:
            if job["office_js"]:
                from xlwings.server import custom_functions_call

                data = {"func_name": name, "args": args, "version": xw.__version__,
                        "client": "Office.js", "runtime": "1.4"}
                value = asyncio.run(custom_functions_call(data, functions))
            else:
                value = getattr(functions, name)(*args)
        except Exception as exc:
            value = {"raised": [type(exc).__name__, str(exc)]}
        out["calls"].append(value)
    if job["office_js"]:
        from xlwings.server import custom_scripts_call

        for payload in job["payloads"]:
            book = xw.Book(json=payload)
            asyncio.run(custom_scripts_call(scripts, "verify_workbook",
                                            typehint_to_value={xw.Book: book}))
            (write,) = [a for a in book.json()["actions"] if a["func"] == "setValues"]
            out["scripts"].append(write["values"])
    for key, module in sorted(sys.modules.items()):
        if key == "aijri_xl" or key.startswith("aijri_xl."):
            loader = type(getattr(module.__spec__, "loader", None)).__name__
            out["modules"][key] = [getattr(module, "__file__", None), loader]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
