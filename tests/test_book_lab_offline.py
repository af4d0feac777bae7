"""``make lab`` makes no request to another host: no news, no update check, nothing else.

The trainee's JupyterLab is started with the README's command (``make lab``), a lesson
is opened and run in chromium with every request to another host blocked and recorded,
and the server's settings are checked: news and update checks are off for both roles.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.jupyter_lab import (
    chromium_page,
    free_port,
    open_notebook_and_run_all,
    require_chromium,
    serving,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
TOKEN = "cda-offline-test"
LESSON = "course/03-building-trust.ipynb"


class _Lab:
    def __init__(self, url: str, root: Path) -> None:
        self.url = url
        self.root = root

    def lab_url(self, path: str) -> str:
        return f"{self.url}/lab/tree/{path}?token={TOKEN}"


def get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def page_config(base: str) -> dict:
    request = urllib.request.Request(f"{base}/lab?token={TOKEN}")
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read().decode()
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S
    )
    assert found
    return json.loads(found.group(1))


@pytest.fixture
def make_lab(tmp_path):
    """``make lab`` as the README runs it, with clean user settings (a new trainee)."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("make lab is tested from the project's virtual environment (run 'make test')")
    env = dict(os.environ)
    env.pop("CDATOOLS_WORK_DIR", None)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[name] = str(tmp_path / name.lower())
    env["CDATOOLS_WORK_DIR"] = str(tmp_path / "my-work")
    port = free_port()
    command = [
        "make", "-s", "lab", f"PORT={port}", "BROWSER=no", f"TOKEN={TOKEN}",
        f"VENV={sys.prefix}", "ROLE=trainee",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with serving(command, env=env, cwd=REPO_ROOT, log=tmp_path / "lab.log", url=base, token=TOKEN):
        yield base


@pytest.mark.slow
def test_opening_and_running_a_lesson_asks_no_other_host(make_lab):
    require_chromium()
    base = make_lab
    config = page_config(base)
    assert config["news"] == {"disabled": True}, "the Jupyter news feed must be off"
    assert "@jupyterlab/apputils-extension:announcements" in config["disabledExtensions"]
    assert get_json(f"{base}/lab/api/news") == {"news": []}
    assert get_json(f"{base}/lab/api/update") == {"notification": None}

    elsewhere: list[str] = []
    failed: list[str] = []

    def block(route):
        elsewhere.append(route.request.url)
        route.abort()

    with chromium_page() as page:
        page.route(re.compile(r"^(?!http://127\.0\.0\.1:\d+/|data:|blob:|about:)"), block)
        page.on("requestfailed", lambda request: failed.append(request.url))
        open_notebook_and_run_all(page, _Lab(base, REPO_ROOT), LESSON)
        page.wait_for_selector(".jp-OutputArea-output img", timeout=60_000)
        page.wait_for_timeout(3000)  # time for any late news, update or font request
        toasts = page.locator(".Toastify__toast").all_inner_texts()
    assert not any("news" in toast.lower() for toast in toasts), toasts
    assert elsewhere == [], "JupyterLab asked another host for something"
    assert [url for url in failed if "127.0.0.1" not in url] == []


def test_both_roles_get_the_offline_settings():
    """The trainer's lab reads the same folder (the trainee's is started above)."""
    for role in ("trainee", "trainer"):
        result = subprocess.run(
            ["make", "-n", "lab", f"ROLE={role}", f"VENV={sys.prefix}"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert f"{REPO_ROOT}/jupyter-config/common" in result.stdout, role
    settings = json.loads(
        (REPO_ROOT / "jupyter-config/common/jupyter_server_config.json").read_text()
    )
    assert settings["LabApp"]["news_url"] is None
    assert settings["LabApp"]["check_for_updates_class"] == "jupyterlab.NeverCheckForUpdate"
