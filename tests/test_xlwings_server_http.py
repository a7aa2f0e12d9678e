"""``aijri xlwings-server DIR`` and the real xlwings Server running it on localhost.

The test starts the ``xlwings-server`` app (uvicorn, 127.0.0.1 only, a free port, at
most a minute, stopped by the test) in the folder the command wrote, and calls it over
HTTP exactly as the Office.js add-in's custom-functions code does (POST
``/xlwings/custom-functions-call`` with the invocation's body), and as its task pane runs
a script (POST ``/xlwings/custom-scripts-call/verify_workbook`` with the workbook's
payload). Skipped where the ``xlwings-server`` package is not installed (the ``server``
extra).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from office_js import payload_from_xlsx
from rule_corpus import EXAMPLE

from aijri_xl.cli import main as cli_main
from aijri_xl.excel.functions import FUNCTIONS
from aijri_xl.excel.server_project import NAMESPACE, project_files, write_project

pytest.importorskip("xlwings_server", reason="xlwings-server is not installed (extra 'server')")
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = tmp_path_factory.mktemp("xlwings-server")
    write_project(project)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XLWINGS")}
    env.update(XLWINGS_PROJECT_DIR=str(project), XLWINGS_LICENSE_KEY="noncommercial",
               XLWINGS_ENVIRONMENT="prod", PYTHONPATH=str(ROOT))
    log = (project / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "xlwings_server.main:main_app",
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/xlwings/custom-functions-meta", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("xlwings-server did not start:\n"
                                + (project / "server.log").read_text(errors="replace"))
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def post(url: str, body: dict) -> tuple[int, str]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def invocation(function: str, *args) -> dict:
    """The body custom-functions-code.js posts for ``=XLWINGS.FUNCTION(args)``."""
    import xlwings

    return {"client": "Office.js", "func_name": function, "args": list(args),
            "caller_address": "[Book1.xlsx]Sheet1!H2", "session_id": "test",
            "culture_info_name": "en-US", "date_format": "M/d/yyyy",
            "version": xlwings.__version__, "runtime": "1.4"}


PCTS = [25, 20, 15, 10, 10, 10, 5, 5]
SCORES = [2, 2, 3, 3, 2, 2, 3, 1]


def test_the_command_writes_modules_that_import_the_package(tmp_path, capsys):
    assert cli_main(["xlwings-server", str(tmp_path / "p")]) == 0
    assert "README.md" in capsys.readouterr().out
    for name, text in project_files().items():
        assert (tmp_path / "p" / name).read_text(encoding="utf-8") == text
    functions = (tmp_path / "p" / "custom_functions" / "__init__.py").read_text()
    assert all(f.__name__ in functions for f in FUNCTIONS)
    readme = (tmp_path / "p" / "README.md").read_text()
    assert "PolyForm Noncommercial" in readme and "commercial use" in readme
    assert "xlwings-server run" in readme and "manifest" in readme


def test_aijri_score_over_http_with_desktop_and_web_blanks(server):
    for blank in (0, None):  # Excel desktop, Excel on the web
        times = [[p] for p in PCTS] + [[blank]] * 4
        scores = [[s] for s in SCORES] + [[blank]] * 4
        status, text = post(f"{server}/xlwings/custom-functions-call", invocation(
            "AIJRI_SCORE", times, scores, [[1, 1, 1, 1, 1]], [[0]], [[1]]))
        assert (status, json.loads(text)) == (200, {"result": [[52.8]]}), blank


def test_a_problem_is_a_400_with_its_reason_even_in_production(server):
    """custom-functions-code.js turns a non-2xx answer into
    CustomFunctions.Error(invalidValue, message): #VALUE!, the message on hover."""
    status, text = post(f"{server}/xlwings/custom-functions-call", invocation(
        "AIJRI_SCORE", [[25], [75]], [[2], [7]], [[5]], [[0]], [[1]]))
    assert (status, text) == (400, "task 2: score must be 1 to 5, found 7")


def test_an_unknown_parameter_is_a_real_na(server):
    status, text = post(f"{server}/xlwings/custom-functions-call",
                        invocation("AIJRI_PARAM", "GREN_MIN"))
    assert status == 200
    assert json.loads(text) == {"result": [[{"type": "Error", "errorType": "NotAvailable"}]]}


def test_the_manifest_puts_the_functions_under_the_xlwings_namespace(server):
    with urllib.request.urlopen(f"{server}/manifest", timeout=10) as response:
        manifest = response.read().decode()
    assert f'id="Functions.Namespace" DefaultValue="{NAMESPACE}"' in manifest
    with urllib.request.urlopen(f"{server}/xlwings/custom-functions-meta",
                                timeout=10) as response:
        meta = json.loads(response.read())
    assert {f["name"] for f in meta["functions"]} == {f.__name__ for f in FUNCTIONS}


def test_verify_this_workbook_over_http(server):
    import xlwings

    status, text = post(f"{server}/xlwings/custom-scripts-call/verify_workbook",
                        payload_from_xlsx(xlwings.__version__, EXAMPLE))
    assert status == 200, text
    (write,) = [a for a in json.loads(text)["actions"] if a["func"] == "setValues"]
    assert write["values"][0][:2] == ["Verdict", "PASS"]
