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


def get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
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


ASSIGNMENTS = [
    "01-workplan",
    "02-governance",
    "03-trust",
    "04-joint-actions",
    "05-capstone-chontales",
]


@pytest.fixture
def no_stray_gradebook():
    """The formgrader opens exercises/gradebook.db; remove it afterwards if the test made it."""
    gradebook = REPO_ROOT / "exercises" / "gradebook.db"
    existed = gradebook.exists()
    before = set(os.listdir(REPO_ROOT))
    yield before
    if not existed:
        gradebook.unlink(missing_ok=True)


@pytest.mark.slow
@pytest.mark.parametrize("lab_server", [["ROLE=trainer"]], indirect=True)
def test_the_trainers_formgrader_serves_the_exercises(no_stray_gradebook, lab_server):
    base, log = lab_server
    # The first request creates the gradebook (a few seconds on a loaded machine).
    status, body = get(f"{base}/formgrader/api/assignments", timeout=60)
    assert status == 200, body[:500]
    assignments = json.loads(body)
    assert [a["name"] for a in assignments] == ASSIGNMENTS
    assert all(a["source_path"] == f"source/{a['name']}" for a in assignments)
    status, page = get(f"{base}/formgrader/manage_assignments", timeout=60)
    assert status == 200
    text = page.decode()
    assert "Manage Assignments" in text
    # One machine, no exchange: no warning about it; no configuration panel leaking the token.
    assert "warning-exchange" not in text and "exchange directory" not in text
    assert TOKEN not in text and "Current configuration" not in text
    assert "alert-warning" not in text, "no warning at all on the formgrader's first page"
    assert set(os.listdir(REPO_ROOT)) == no_stray_gradebook, "nothing new at the repository root"
    assert not (REPO_ROOT / "gradebook.db").exists()
    assert "No nbgrader_config.py file found" not in log.read_text(errors="replace")


def test_a_course_that_is_not_one_is_refused(tmp_path):
    result = subprocess.run(
        ["make", "-s", "lab", "ROLE=trainer", f"COURSE={tmp_path}", f"VENV={sys.prefix}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert (
        f"COURSE must be an nbgrader course folder (with nbgrader_config.py), not '{tmp_path}'"
        in result.stderr
    )
    assert list(tmp_path.iterdir()) == []
