"""``make lab PORT=... BROWSER=no`` serves the course's start page."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
TOKEN = "cda-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    log = (tmp_path / "lab.log").open("w")
    process = subprocess.Popen(
        ["make", "-s", "lab", f"PORT={port}", "BROWSER=no", f"TOKEN={TOKEN}", f"VENV={sys.prefix}"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"make lab exited with {process.returncode}:\n{_read(tmp_path)}")
            try:
                if get(f"{base}/api/status")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within 90 s:\n{_read(tmp_path)}")
            time.sleep(0.5)
        yield base, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _read(tmp_path: Path) -> str:
    return (tmp_path / "lab.log").read_text(errors="replace")[-3000:]


@pytest.mark.slow
def test_make_lab_serves_the_start_page(lab_server):
    base, tmp_path = lab_server
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
    assert f"http://127.0.0.1:{base.rsplit(':', 1)[1]}/" in _read(tmp_path)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
