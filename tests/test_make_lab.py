"""``make lab PORT=... BROWSER=no`` serves the course's start page."""

from __future__ import annotations

import json
import os
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
def lab_server(tmp_path):
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
