"""Start a real JupyterLab on a scratch copy of the course, and drive it with chromium.

Used by the browser tests. The server runs from the project's environment on
127.0.0.1 with a known token and clean settings, so the tests see what a new
trainee sees. Chromium is Debian's (``/usr/bin/chromium``), driven by Playwright.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

# The same browser and flags as the course's own printing.
from cdatools.printing import CHROMIUM, CHROMIUM_ARGS

TOKEN = "cda-browser-test"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@dataclass
class LabServer:
    """A running JupyterLab: its base URL and the folder it serves."""

    url: str
    root: Path
    log: Path

    def lab_url(self, path: str) -> str:
        return f"{self.url}/lab/tree/{path}?token={TOKEN}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(url: str, token: str = TOKEN) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code


@contextmanager
def running_lab(root: Path, scratch: Path) -> Iterator[LabServer]:
    """Run ``jupyter lab`` serving ``root`` until the block ends."""
    settings = scratch / "lab-settings"
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    env = dict(os.environ)
    # Widgets should save next to the notebook, as they do for a trainee.
    env.pop("CDATOOLS_WORK_DIR", None)
    env.update(
        JUPYTER_CONFIG_DIR=str(scratch / "jupyter-config"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(scratch / "lab-workspaces"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
    )
    port = free_port()
    log = scratch / "jupyter-lab.log"
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [
        str(jupyter),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        "--allow-root",
        f"--ServerApp.root_dir={root}",
    ]
    url = f"http://127.0.0.1:{port}"
    with serving(command, env=env, cwd=root, log=log, url=url, token=TOKEN):
        yield LabServer(url=url, root=root, log=log)


@contextmanager
def serving(
    command: list[str], *, env: dict, cwd: Path, log: Path, url: str, token: str
) -> Iterator[None]:
    """Run a Jupyter server command until the block ends; fail fast if it dies."""
    with log.open("w") as stream:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            tail = log.read_text(errors="replace")[-4000:]
            if process.poll() is not None:
                pytest.fail(f"{command[0]} exited with {process.returncode}:\n{tail}")
            try:
                if _status(f"{url}/api/status", token) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 90 s:\n{tail}")
            time.sleep(0.5)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def copy_course(destination: Path) -> Path:
    """Copy ``course/`` without anything a trainee saved, and return the copy."""
    source = Path(__file__).resolve().parents[1] / "course"
    shutil.copytree(
        source, destination, ignore=shutil.ignore_patterns("my-work", ".ipynb_checkpoints")
    )
    return destination


def require_chromium() -> None:
    """Skip with a clear reason where the browser is missing (a trainee's laptop)."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (.ci/run installs it)")
    pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (dev extra)")


@contextmanager
def chromium_page() -> Iterator[object]:
    """A Playwright page in headless Debian chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            yield page
        finally:
            browser.close()


ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""
SOME_CELL_STARTED = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .some(p => /\\[(\\d+|\\*)\\]/.test(p.textContent))"""


def open_notebook_and_run_all(page, server: LabServer, path: str) -> None:
    """Open a notebook in JupyterLab, wait for its kernel, run all cells, wait for the end.

    On a loaded machine a menu click can come before the notebook is ready for it, so
    the run is started again when no cell has started within 30 s; the function returns
    only when every code cell shows an execution count.
    """
    page.goto(server.lab_url(path))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    idle = ".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']"
    page.wait_for_selector(idle, timeout=90_000)
    for attempt in range(3):
        page.click(".jp-Notebook .jp-Cell >> nth=0")
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        try:
            page.wait_for_function(SOME_CELL_STARTED, timeout=30_000)
            break
        except Exception:
            if attempt == 2:
                screenshot(page, f"run-all-did-not-start-{Path(path).stem}")
                raise
    try:
        page.wait_for_function(ALL_CELLS_RAN, timeout=240_000)
    except Exception:
        screenshot(page, f"run-all-did-not-finish-{Path(path).stem}")
        raise


def screenshot(page, name: str) -> Path:
    """Save a screenshot under ``test-artifacts/`` and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    return target
