"""Talk to a workshop hub as a person would: log in, wait for the server, use its API.

Used by the end-to-end test and the load benchmark; needs ``requests`` (and
``websocket-client`` to run code in a kernel), which JupyterLab's environment has.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field

import requests

COURSE_ID = "cda-governance-trust"


class HubClientError(RuntimeError):
    """The hub or the person's server did not answer as expected."""


@dataclass
class HubUser:
    """One person's browser-like session with the hub."""

    base: str
    name: str
    password: str
    session: requests.Session = field(default_factory=requests.Session)
    reconnections: int = 0

    @property
    def server(self) -> str:
        return f"{self.base}/user/{self.name}"

    def login(self, timeout: float = 180) -> requests.Response:
        """Post the login form; return the hub's answer (403 for a wrong password)."""
        self.session.get(f"{self.base}/hub/login", timeout=timeout)
        return self.session.post(
            f"{self.base}/hub/login",
            data={
                "username": self.name,
                "password": self.password,
                "_xsrf": self.session.cookies.get("_xsrf", path="/hub/") or "",
            },
            timeout=timeout,
        )

    def wait_for_server(self, timeout: float = 240) -> float:
        """Wait until the person's JupyterLab answers; return the seconds waited."""
        start = time.monotonic()
        last = None
        while time.monotonic() - start < timeout:
            last = self.session.get(f"{self.server}/lab", timeout=60)
            if last.status_code == 200 and last.url.startswith(f"{self.server}/lab"):
                return time.monotonic() - start
            time.sleep(1)
        status = last.status_code if last is not None else "no answer"
        raise HubClientError(f"{self.name}'s server was not ready after {timeout:.0f} s ({status})")

    def _headers(self) -> dict[str, str]:
        xsrf = self.session.cookies.get("_xsrf", path=f"/user/{self.name}/")
        return {"X-XSRFToken": xsrf} if xsrf else {}

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(f"{self.server}/{path}", timeout=120, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.session.post(
            f"{self.server}/{path}", headers=self._headers(), timeout=300, **kwargs
        )

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.session.put(
            f"{self.server}/{path}", headers=self._headers(), timeout=120, **kwargs
        )

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.session.delete(
            f"{self.server}/{path}", headers=self._headers(), timeout=120, **kwargs
        )

    # -- files (Jupyter's contents API) -------------------------------------------------

    def read(self, path: str) -> dict:
        answer = self.get(f"api/contents/{path}", params={"content": 1})
        if answer.status_code != 200:
            raise HubClientError(f"{self.name} could not read {path}: {answer.status_code}")
        return answer.json()

    def write_notebook(self, path: str, notebook: dict) -> None:
        body = {"type": "notebook", "format": "json", "content": notebook}
        answer = self.put(f"api/contents/{path}", data=json.dumps(body))
        if answer.status_code not in (200, 201):
            raise HubClientError(f"{self.name} could not save {path}: {answer.text[:300]}")

    def make_folder(self, path: str) -> None:
        answer = self.put(f"api/contents/{path}", data=json.dumps({"type": "directory"}))
        if answer.status_code not in (200, 201):
            raise HubClientError(f"{self.name} could not make {path}: {answer.text[:300]}")

    def write_text(self, path: str, text: str) -> None:
        body = {"type": "file", "format": "text", "content": text}
        answer = self.put(f"api/contents/{path}", data=json.dumps(body))
        if answer.status_code not in (200, 201):
            raise HubClientError(f"{self.name} could not save {path}: {answer.text[:300]}")

    # -- nbgrader's Assignments panel (the same server API the panel calls) ------------------

    def assignments(self) -> list[dict]:
        answer = self.get("assignments", params={"course_id": COURSE_ID})
        data = answer.json()
        if answer.status_code != 200 or not data.get("success"):
            raise HubClientError(f"{self.name}: listing assignments failed: {answer.text[:500]}")
        return data["value"]

    def assignment_action(self, action: str, assignment: str) -> list[dict]:
        """``fetch``, ``submit`` or ``fetch_feedback``, as the panel's buttons do."""
        answer = self.post(
            f"assignments/{action}", data={"course_id": COURSE_ID, "assignment_id": assignment}
        )
        data = answer.json()
        if answer.status_code != 200 or not data.get("success"):
            raise HubClientError(f"{self.name}: {action} {assignment} failed: {answer.text[:800]}")
        return data["value"]

    # -- running code in a kernel ------------------------------------------------------

    def start_kernel(self, notebook: str | None = None) -> str:
        """Start a kernel; with ``notebook``, as JupyterLab does (in the notebook's folder)."""
        if notebook:
            body = {"path": notebook, "type": "notebook", "name": "", "kernel": {"name": "python3"}}
            answer = self.post("api/sessions", data=json.dumps(body))
        else:
            answer = self.post("api/kernels", data=json.dumps({"name": "python3"}))
        if answer.status_code not in (200, 201):
            raise HubClientError(f"{self.name}: no kernel: {answer.text[:300]}")
        data = answer.json()
        return data["kernel"]["id"] if notebook else data["id"]

    def stop_kernel(self, kernel_id: str) -> None:
        self.delete(f"api/kernels/{kernel_id}")

    def run_cells(self, kernel_id: str, sources: list[str], timeout: float = 300) -> list[str]:
        """Run code cells one after another in a kernel; return the errors (empty: all ran).

        Like JupyterLab, it reconnects when the server drops the connection (as a loaded
        server may) and picks up the kernel's messages the server kept meanwhile;
        ``reconnections`` counts how often that happened.
        """
        import websocket  # websocket-client, a dependency of jupyter_server

        session = uuid.uuid4().hex
        url = (
            self.server.replace("http", "ws", 1)
            + f"/api/kernels/{kernel_id}/channels?session_id={session}"
        )

        def connect():
            cookies = "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)
            return websocket.create_connection(
                url,
                header=[f"Cookie: {cookies}", *[f"{k}: {v}" for k, v in self._headers().items()]],
                origin=self.base,
                timeout=timeout,
            )

        ws = connect()
        errors = []
        try:
            for source in sources:
                msg_id = uuid.uuid4().hex
                ws.send(json.dumps(_execute_request(msg_id, session, self.name, source)))
                while True:
                    try:
                        message = json.loads(ws.recv())
                    except websocket.WebSocketConnectionClosedException:
                        if self.reconnections >= 5:
                            raise
                        self.reconnections += 1
                        time.sleep(1)
                        ws = connect()
                        continue
                    if message.get("parent_header", {}).get("msg_id") != msg_id:
                        continue
                    if message["msg_type"] == "execute_reply":
                        content = message["content"]
                        if content.get("status") != "ok":
                            errors.append(f"{content.get('ename')}: {content.get('evalue')}")
                        break
        finally:
            ws.close()
        return errors


def terminal_output(user: HubUser, command: str, timeout: float = 60) -> str:
    """Type ``command`` in a new JupyterLab terminal of ``user``; return what it printed."""
    import websocket

    answer = user.post("api/terminals")
    if answer.status_code not in (200, 201):
        raise HubClientError(f"{user.name}: no terminal: {answer.text[:300]}")
    name = answer.json()["name"]
    url = user.server.replace("http", "ws", 1) + f"/terminals/websocket/{name}"
    cookies = "; ".join(f"{c.name}={c.value}" for c in user.session.cookies)
    ws = websocket.create_connection(
        url,
        header=[f"Cookie: {cookies}", *[f"{k}: {v}" for k, v in user._headers().items()]],
        origin=user.base,
        timeout=timeout,
    )
    marker = uuid.uuid4().hex[:8]
    output = ""
    try:
        ws.send(json.dumps(["stdin", f"{command}; echo END-{marker}-$?\r"]))
        deadline = time.monotonic() + timeout
        finished = re.compile(rf"END-{marker}-\d")
        while not finished.search(output) and time.monotonic() < deadline:
            kind, *data = json.loads(ws.recv())
            if kind == "stdout":
                output += data[0]
    finally:
        ws.close()
        user.delete(f"api/terminals/{name}")
    return output


def _execute_request(msg_id: str, session: str, username: str, code: str) -> dict:
    return {
        "header": {
            "msg_id": msg_id,
            "username": username,
            "session": session,
            "msg_type": "execute_request",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "channel": "shell",
        "content": {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        },
    }
