"""The files a workshop hub reads, as pure functions of its settings.

``make hub`` writes them into the hub's folder (``HUB_DIR``):

- ``hub-settings.json``: what this module computes from the roster and the options;
- ``jupyterhub_config.py``: JupyterHub's configuration, which reads that JSON file;
- ``etc/jupyter/{common,trainee,trainer}/``: the Jupyter configuration of every user's
  server (on ``JUPYTER_CONFIG_PATH``), with nbgrader's course id and exchange for all,
  the course root and formgrader for trainers only.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

COURSE_ID = "cda-governance-trust"
START_PAGE = "course/00-start-here.ipynb"
TRAINERS_GROUP = "cda-trainers"
# nbgrader's JupyterLab plugins and server extensions that only trainers need.
TRAINER_ONLY_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
)
TRAINER_ONLY_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)
ALL_SERVER_EXTENSIONS = (
    *TRAINER_ONLY_SERVER_EXTENSIONS,
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.validate_assignment",
)


@dataclass(frozen=True)
class HubSettings:
    """Everything the hub's configuration files depend on."""

    hub_dir: str
    user_env: str
    host: str = "0.0.0.0"
    port: int = 8000
    idle_timeout: int = 3600
    memory_mb: int = 2048
    ssl_cert: str = ""
    ssl_key: str = ""
    trainers: list[str] = field(default_factory=list)
    trainees: list[str] = field(default_factory=list)
    proxy_command: list[str] = field(default_factory=list)
    course_id: str = COURSE_ID

    @property
    def tls(self) -> bool:
        return bool(self.ssl_cert and self.ssl_key)

    @property
    def app_dir(self) -> str:
        """The hub's copy of the course and the package (readable by every user)."""
        return str(Path(self.hub_dir) / "app")

    @property
    def course_root(self) -> str:
        """nbgrader's course root (``exercises/``), shared by the trainers only."""
        return str(Path(self.hub_dir) / "exercises")

    @property
    def exchange(self) -> str:
        """nbgrader's exchange folder."""
        return str(Path(self.hub_dir) / "exchange")

    @property
    def config_dir(self) -> str:
        """The Jupyter configuration of the users' servers."""
        return str(Path(self.hub_dir) / "etc" / "jupyter")

    def address(self, host: str | None = None) -> str:
        scheme = "https" if self.tls else "http"
        shown = host or self.host
        if ":" in shown:
            shown = f"[{shown}]"
        return f"{scheme}://{shown}:{self.port}/"


def hub_settings_json(settings: HubSettings) -> str:
    """``hub-settings.json``: the data ``jupyterhub_config.py`` reads."""
    data = asdict(settings)
    data.update(
        app_dir=settings.app_dir,
        course_root=settings.course_root,
        exchange=settings.exchange,
        config_dir=settings.config_dir,
        bind_url=settings.address(),
        start_page=f"/lab/tree/{START_PAGE}",
    )
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


JUPYTERHUB_CONFIG = '''"""JupyterHub configuration of the workshop hub, written by `make hub`.

Do not edit: run `make hub` again. The values come from hub-settings.json beside this file.
"""

import json
import socket
from pathlib import Path

HERE = Path(__file__).resolve().parent
S = json.loads((HERE / "hub-settings.json").read_text(encoding="utf-8"))
ENV_BIN = Path(S["user_env"]) / "bin"
TRAINERS = set(S["trainers"])

c = get_config()  # noqa: F821 - provided by JupyterHub


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Where people connect; the hub's own API and the proxy's API stay on this machine.
c.JupyterHub.bind_url = S["bind_url"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.command = S["proxy_command"]
if S["ssl_cert"] and S["ssl_key"]:
    c.JupyterHub.ssl_cert = S["ssl_cert"]
    c.JupyterHub.ssl_key = S["ssl_key"]
c.JupyterHub.db_url = f"sqlite:///{HERE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HERE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # Ctrl+C stops the users' servers too

# Unix passwords (PAM); only the roster may log in; trainers are admins.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = set(S["trainers"]) | set(S["trainees"])
c.Authenticator.admin_users = set(S["trainers"])
c.JupyterHub.load_groups = {
    "trainers": {"users": sorted(S["trainers"])},
    "trainees": {"users": sorted(S["trainees"])},
}

# Each person's server runs as their Unix user, from the environment every user can run.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(ENV_BIN / "python"), "-m", "cdatools.hub.singleuser"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = S["start_page"]
c.Spawner.disable_user_config = True
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180


def _role(spawner):
    return "trainer" if spawner.user.name in TRAINERS else "trainee"


def _config_path(spawner):
    return f"{S['config_dir']}/{_role(spawner)}:{S['config_dir']}/common"


def _memory(spawner):
    return "" if _role(spawner) == "trainer" else str(S["memory_mb"])


c.Spawner.environment = {
    "CDA_HUB_ROLE": _role,
    "CDA_HUB_MEMORY_MB": _memory,
    "CDA_HUB_COURSE": str(Path(S["app_dir"]) / "course"),
    "CDA_HUB_COURSE_ROOT": S["course_root"],
    "JUPYTER_CONFIG_PATH": _config_path,
    "JUPYTER_PLATFORM_DIRS": "1",
    "PATH": f"{ENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    # One trainee's kernel should not take every core or reserve memory for threads.
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
}

# Idle servers are stopped (jupyterhub-idle-culler, as a hub service).
if S["idle_timeout"] > 0:
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [
                str(ENV_BIN / "python"),
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={S['idle_timeout']}",
                f"--cull-every={max(30, min(300, S['idle_timeout'] // 2))}",
            ],
        }
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    ]
'''


def nbgrader_common_config(settings: HubSettings) -> str:
    """``nbgrader_config.py`` read by every user's server: the course id and the exchange."""
    return (
        '"""nbgrader settings for every server of the workshop hub (written by make hub)."""\n\n'
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {settings.course_id!r}\n"
        f"c.Exchange.root = {settings.exchange!r}\n"
    )


def nbgrader_trainer_config(settings: HubSettings) -> str:
    """``nbgrader_config.py`` of trainers' servers: the shared course root."""
    return (
        '"""nbgrader settings for trainers on the workshop hub (written by make hub)."""\n\n'
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {settings.course_root!r}\n"
        "# Several trainers share the course root and the exchange (group "
        f"{TRAINERS_GROUP}).\n"
        "c.CourseDirectory.groupshared = True\n"
    )


def server_config(role: str) -> dict:
    """``jupyter_server_config.json`` for a role: which nbgrader server extensions run."""
    if role == "trainer":
        enabled = dict.fromkeys(ALL_SERVER_EXTENSIONS, True)
    else:
        enabled = {
            name: name not in TRAINER_ONLY_SERVER_EXTENSIONS for name in ALL_SERVER_EXTENSIONS
        }
    # A hub-started server has no terminal, so Jupyter would open terminals as login
    # shells, and Debian's /etc/profile would drop the environment's bin folder from PATH
    # (no `nbgrader` or `cdatools` in a trainer's terminal). A plain bash keeps PATH.
    return {
        "ServerApp": {
            "jpserver_extensions": enabled,
            "terminado_settings": {"shell_command": ["/bin/bash"]},
        }
    }


def page_config(role: str) -> dict:
    """``labconfig/page_config.json`` for a role: nbgrader's JupyterLab plugins to hide."""
    if role == "trainer":
        return {"disabledExtensions": {}}
    return {"disabledExtensions": dict.fromkeys(TRAINER_ONLY_PLUGINS, True)}


LAB_OVERRIDES = {
    # No "news" pop-up and no update check: trainees' connections are slow.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def config_files(settings: HubSettings) -> dict[str, str]:
    """Every configuration file of the hub, by path relative to ``HUB_DIR``."""
    files = {
        "hub-settings.json": hub_settings_json(settings),
        "jupyterhub_config.py": JUPYTERHUB_CONFIG,
        "etc/jupyter/common/nbgrader_config.py": nbgrader_common_config(settings),
        "etc/jupyter/trainer/nbgrader_config.py": nbgrader_trainer_config(settings),
    }
    for role in ("trainee", "trainer"):
        files[f"etc/jupyter/{role}/jupyter_server_config.json"] = (
            json.dumps(server_config(role), indent=2) + "\n"
        )
        files[f"etc/jupyter/{role}/labconfig/page_config.json"] = (
            json.dumps(page_config(role), indent=2) + "\n"
        )
    return files


def kubernetes_roster_values(trainers: list[str], trainees: list[str]) -> dict:
    """Helm values for Zero to JupyterHub: who may log in, who is admin, the two groups."""
    return {
        "hub": {
            "config": {
                "Authenticator": {
                    "allowed_users": sorted(trainers + trainees),
                    "admin_users": sorted(trainers),
                },
                "JupyterHub": {
                    "load_groups": {
                        "trainers": {"users": sorted(trainers)},
                        "trainees": {"users": sorted(trainees)},
                    }
                },
            }
        }
    }


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address_notice(settings: HubSettings) -> list[str]:
    """What ``make hub`` prints about where the hub answers, with the HTTPS warning."""
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    lines = [f"the hub will answer at {settings.address(host)}  (Ctrl+C stops it)"]
    if settings.host in ("0.0.0.0", "::"):
        lines.append(
            f"people on other machines use this server's name or address: "
            f"{settings.address('<server>')}"
        )
    if not settings.tls and not _is_loopback(settings.host):
        lines.append(
            "warning: plain http. Passwords would cross the network unencrypted: put the hub "
            "behind HTTPS (a reverse proxy with a certificate) before people connect from "
            "other machines, or give SSL_CERT=... SSL_KEY=..."
        )
    return lines
