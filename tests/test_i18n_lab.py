"""``make lab LANG=fr`` (or es): JupyterLab's menus, cdatools and the start page in that language.

A real ``make lab`` serves the repository; chromium reads the menu bar, and a kernel started
by that server (as a notebook's would be) says which language cdatools speaks.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.jupyter_lab import chromium_page, free_port, require_chromium, screenshot, serving

REPO_ROOT = Path(__file__).resolve().parents[1]
TOKEN = "cda-i18n-token"
#: What JupyterLab's menu bar says in each language (from its language packs).
MENUS = {"fr": ["Fichier", "Noyau"], "es": ["Archivo", "Kernel"]}
START_TITLE = {"fr": "Commencer ici", "es": "Empiece aquí"}


def _request(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=body, method=method, headers={"Authorization": f"token {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def _kernel_says(base: str, code: str) -> str:
    """Run ``code`` in a new kernel of the server and return what it printed."""
    from tornado.websocket import websocket_connect

    _, body = _request(f"{base}/api/kernels", "POST", b"{}")
    kernel = json.loads(body)["id"]

    async def run() -> str:
        socket_url = base.replace("http", "ws") + f"/api/kernels/{kernel}/channels?token={TOKEN}"
        connection = await websocket_connect(socket_url)
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "username": "test",
            "session": uuid.uuid4().hex,
            "msg_type": "execute_request",
            "version": "5.3",
        }
        content = {"code": code, "silent": False, "store_history": False, "allow_stdin": False}
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
        printed = []
        try:
            await connection.write_message(json.dumps({**message, "channel": "shell"}))
            while True:
                raw = await asyncio.wait_for(connection.read_message(), timeout=90)
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = reply["header"]["msg_type"]
                if kind == "stream":
                    printed.append(reply["content"]["text"])
                elif kind == "error":
                    raise AssertionError("\n".join(reply["content"]["traceback"]))
                elif kind == "status" and reply["content"]["execution_state"] == "idle":
                    break
        finally:
            # Wait for the close handshake, so the socket is shut before the event loop
            # goes: a socket left to the garbage collector raises a ResourceWarning in
            # whichever later test it happens to be collected (warnings are errors here).
            connection.close()
            while await asyncio.wait_for(connection.read_message(), timeout=10) is not None:
                pass
        return "".join(printed)

    try:
        return asyncio.run(run())
    finally:
        _request(f"{base}/api/kernels/{kernel}", "DELETE")


@pytest.fixture
def lab_in(tmp_path, request):
    language = request.param
    if sys.prefix == sys.base_prefix:
        pytest.skip("make lab is tested from the project's virtual environment (run 'make test')")
    port = free_port()
    env = dict(os.environ)
    env.pop("CDATOOLS_LANGUAGE", None)
    env["LANG"] = "en_US.UTF-8"  # the trainee's shell: make must not take it for a choice
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env[name] = str(tmp_path / name.lower())
    settings = tmp_path / "jupyterlab_settings_dir" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    extra = [] if language == "en" else [f"LANG={language}"]
    command = ["make", "-s", "lab", f"PORT={port}", "BROWSER=no", f"TOKEN={TOKEN}"]
    command += [f"VENV={sys.prefix}", *extra]
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "lab.log"
    with serving(command, env=env, cwd=REPO_ROOT, log=log, url=base, token=TOKEN):
        yield language, base, log


def _start_page(base: str) -> str:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"{base}/?token={TOKEN}", timeout=10)
    redirect.value.close()
    return urllib.parse.urlsplit(redirect.value.headers["Location"]).path


@pytest.mark.slow
@pytest.mark.parametrize("lab_in", ["fr", "es", "en"], indirect=True)
def test_make_lab_in_a_language(lab_in):
    language, base, log = lab_in
    if language == "en":
        assert _start_page(base) == "/lab/tree/course/00-start-here.ipynb"
    else:
        assert _start_page(base) == f"/lab/tree/course/{language}/00-start-here.ipynb"
        assert "not translated into" not in log.read_text(errors="replace")

    printed = _kernel_says(
        base,
        "import cdatools, cdatools.i18n as i\n"
        "print(cdatools.get_language())\n"
        "print(i.gettext('Undo last change'))",
    )
    expected = {"fr": "Annuler la dernière modification", "es": "Deshacer el último cambio"}
    assert printed.split()[:1] == [language], printed
    assert expected.get(language, "Undo last change") in printed

    if language == "en":
        return  # the English interface is test_make_lab.py's; here: cdatools stays English
    require_chromium()
    with chromium_page() as page:
        page.goto(f"{base}/?token={TOKEN}")  # as the trainee's browser opens it
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_selector(".lm-MenuBar-itemLabel", timeout=30_000)
        labels = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput h1", timeout=30_000)
        title = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first.inner_text()
        screenshot(page, f"make-lab-{language}")
    assert title.startswith(START_TITLE[language]), f"start page in {language}: {title!r}"
    for word in MENUS[language]:
        assert word in labels, f"menu bar in {language}: {labels}"
    assert "File" not in labels


def test_make_lab_refuses_a_language_it_does_not_offer():
    result = subprocess.run(
        ["make", "-s", "lab", "LANG=de", "BROWSER=no", f"VENV={sys.prefix}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "LANG must be fr, es or en, not 'de'" in result.stderr
