"""``make lab PORT=... BROWSER=no`` serves the course's start page, as a trainee or trainer."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.jupyter_lab import free_port, serving

REPO_ROOT = Path(__file__).resolve().parents[1]
TOKEN = "cda-test-token"


def get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


@pytest.fixture
def lab_server(tmp_path, request):
    extra = getattr(request, "param", [])
    if sys.prefix == sys.base_prefix:
        pytest.skip("make lab is tested from the project's virtual environment (run 'make test')")
    port = free_port()
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[name] = str(tmp_path / name.lower())
    command = [
        "make",
        "-s",
        "lab",
        f"PORT={port}",
        "BROWSER=no",
        f"TOKEN={TOKEN}",
        f"VENV={sys.prefix}",
        *extra,
    ]
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "lab.log"
    with serving(command, env=env, cwd=REPO_ROOT, log=log, url=base, token=TOKEN):
        yield base, log


@pytest.mark.slow
def test_make_lab_serves_the_start_page(lab_server):
    base, log = lab_server
    status, body = get(f"{base}/api/contents/course/00-start-here.ipynb")
    assert status == 200, body[:500]
    content = json.loads(body)
    assert content["type"] == "notebook"
    assert content["content"]["cells"][0]["source"].startswith("# Start here")

    request = urllib.request.Request(f"{base}/api/contents/course/00-start-here.ipynb")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    refused.value.close()
    assert refused.value.code == 403, "the server must not serve files without the token"

    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(urllib.request.Request(f"{base}/?token={TOKEN}"), timeout=5)
    redirect.value.close()
    assert redirect.value.code == 302
    location = urllib.parse.urlsplit(redirect.value.headers["Location"])
    assert location.path == "/lab/tree/course/00-start-here.ipynb"
    assert f"{base}/" in log.read_text(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


INSTRUCTOR_TOOLS = ["@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:menu"]


def page_config(base: str) -> dict:
    status, body = get(f"{base}/lab?token={TOKEN}")
    assert status == 200
    found = re.search(
        rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S
    )
    assert found, "the lab page should carry its page config"
    return json.loads(found.group(1))


@pytest.mark.slow
def test_trainees_do_not_see_the_instructor_tools(lab_server):
    base, _ = lab_server
    disabled = page_config(base)["disabledExtensions"]
    assert set(INSTRUCTOR_TOOLS) <= set(disabled)
    assert "@jupyter/nbgrader:validate-assignment" not in disabled


@pytest.mark.slow
@pytest.mark.parametrize("lab_server", [["ROLE=trainer"]], indirect=True)
def test_trainers_see_the_instructor_tools(lab_server):
    base, _ = lab_server
    disabled = page_config(base).get("disabledExtensions", [])
    assert not set(INSTRUCTOR_TOOLS) & set(disabled)


def test_an_unknown_role_is_refused():
    result = subprocess.run(
        ["make", "-s", "lab", "ROLE=student", f"VENV={sys.prefix}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ROLE must be trainee or trainer, not 'student'" in result.stderr
