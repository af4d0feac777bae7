"""The sandbox each trainee's kernel runs in while ``cdatools grade`` grades it.

A trainee's notebook is code, and grading runs it. Without a sandbox it runs as the
trainer, sees the trainer's disk and network, and could read the solutions, the other
trainees' submissions or the gradebook and print them into its own graded copy. So each
kernel is started inside bubblewrap (``bwrap``, the sandbox Flatpak uses), where:

- the only writable places are the submission's private working copy, a private
  ``/tmp`` and the kernel's own connection folder (its ZMQ sockets);
- the rest of the disk is not there at all, except what Python and the course's
  libraries need, read-only: ``/usr``, a few files of ``/etc``, the Python installation
  and its environment, the ``cdatools`` package and the course's datasets;
- there is no network: the kernel has its own empty network namespace and talks to
  the grader over Unix sockets in its connection folder (ZMQ's ``ipc`` transport);
- the kernel runs without the grader's privileges: when grading as root it runs as
  ``nobody`` with every capability dropped, otherwise in a user namespace;
- it has its own process namespace, so everything it starts is killed when the kernel
  stops or the grader stops it.

Where bubblewrap cannot run, :func:`unavailable_reason` says why; ``cdatools grade``
then refuses to grade unless the trainer passes ``--no-sandbox``.

Examples
--------
>>> kernel_environment({"LANG": "fr_FR.UTF-8", "PGPASSWORD": "secret"}, ["/venv/bin"])["LANG"]
'fr_FR.UTF-8'
>>> "PGPASSWORD" in kernel_environment({"PGPASSWORD": "secret"}, ["/venv/bin"])
False
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

NO_SANDBOX_WARNING = (
    "WARNING: grading WITHOUT the sandbox (--no-sandbox). Each trainee's code runs as "
    "you: a notebook can read the solutions and hidden tests, the other trainees' "
    "submissions and the gradebook and copy them into its graded copy and feedback, "
    "change or delete your files and use the network. Use --no-sandbox only for "
    "notebooks you trust."
)
HOW_TO_PROCEED = (
    "Grade on a Linux machine with bubblewrap (on Windows: inside WSL 2), or, only for "
    "notebooks you trust, grade without the sandbox: cdatools grade ASSIGNMENT --no-sandbox "
    "(trainees' code then runs as you, with access to your files and network)."
)

# Inside the sandbox: the private temporary folder, and where matplotlib keeps its cache.
SANDBOX_TMP = "/tmp"
MATPLOTLIB_DIR = "/tmp/matplotlib"
# Size of the private shared-memory folder /dev/shm (it lives in memory).
SHM_BYTES = 64 * 1024**2

# Variables a kernel keeps from the grader's environment; the others (passwords,
# tokens, database URLs, paths into the trainer's home) are left out.
KEPT_VARIABLES = frozenset(
    {
        "LANG",
        "LANGUAGE",
        "TZ",
        "TERM",
        "PYTHONHASHSEED",
        "PYTHONIOENCODING",
        "PYTHONUTF8",
        "PYTHONDONTWRITEBYTECODE",
        # Folders on it that the sandbox does not show are simply not found there.
        "PYTHONPATH",
        "MPLBACKEND",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_MAX_THREADS",
        "PYDEVD_DISABLE_FILE_VALIDATION",
        "CDATOOLS_DATA_DIR",
    }
)
KEPT_PREFIXES = ("LC_", "JPY_", "NBGRADER_")

# Files and folders of /etc that Python and its libraries read (read-only; the rest of
# /etc, with its configuration and possibly passwords, is not shown).
ETC_PATHS = (
    "/etc/ld.so.cache",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/alternatives",
    "/etc/fonts",
    "/etc/mime.types",
)
# Top-level names that are links into /usr on merged-/usr systems (or folders elsewhere).
TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")

# What the probe runs in a first sandbox: it checks that Python and the course's
# libraries start there, and builds matplotlib's font cache once for the whole run.
_PROBE = """
import importlib.util, json, sys
found = {"cdatools": importlib.util.find_spec("cdatools") is not None}
if importlib.util.find_spec("matplotlib") is not None:
    import matplotlib.font_manager  # writes the font cache into MPLCONFIGDIR
print(json.dumps(found))
"""


class SandboxError(RuntimeError):
    """The sandbox cannot run here; the message says why and how to proceed."""


def unavailable_reason(platform: str | None = None) -> str | None:
    """Why the sandbox cannot run on this machine, or None when it can (as far as known).

    Parameters
    ----------
    platform : str, optional
        ``sys.platform`` by default.

    Returns
    -------
    str or None
        A plain-language reason, or None. :class:`Probe` checks the rest by starting
        a real sandbox.

    Examples
    --------
    >>> print(unavailable_reason("darwin"))  # doctest: +ELLIPSIS
    the sandbox for trainees' code needs Linux and bubblewrap; this machine runs macOS...
    """
    platform = platform or sys.platform
    if not platform.startswith("linux"):
        name = {"darwin": "macOS", "win32": "Windows", "cygwin": "Windows"}.get(platform, platform)
        return (
            f"the sandbox for trainees' code needs Linux and bubblewrap; this machine runs {name}"
        )
    if shutil.which("bwrap") is None:
        return (
            "the sandbox for trainees' code needs bubblewrap (the program bwrap), which is "
            "not installed or not on PATH; install it (Debian, Ubuntu: sudo apt-get install "
            "bubblewrap; Fedora: sudo dnf install bubblewrap)"
        )
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return (
            "grading as root runs trainees' code as the user 'nobody', which needs setpriv "
            "(package util-linux), and setpriv was not found"
        )
    return None


def _data_dir() -> Path:
    # As cdatools.datasets.data_dir() finds it (without importing pandas here).
    override = os.environ.get("CDATOOLS_DATA_DIR")
    import cdatools

    return Path(override) if override else Path(cdatools.__file__).resolve().parents[1] / "datasets"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def library_paths() -> list[str]:
    """The folders a kernel needs to see (read-only) besides ``/usr``.

    Returns
    -------
    list of str
        Python's installation and environment (``sys.prefix`` and friends, user
        site-packages), the ``cdatools`` package folder and the datasets folder,
        as absolute paths without any folder inside another or inside ``/usr``.
        Never the whole repository: only these parts of it.
    """
    import cdatools

    wanted: list[Path] = []
    for prefix in {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix}:
        wanted += [Path(os.path.abspath(prefix)), Path(prefix).resolve()]
    for entry in sys.path:
        # Only installed-package folders: '' and the current folder (the course!) never.
        if entry and entry.rstrip("/").endswith(("site-packages", "dist-packages")):
            wanted.append(Path(os.path.abspath(entry)))
    package = Path(cdatools.__file__).resolve().parent
    wanted.append(package)
    data = _data_dir()
    if data.is_dir():
        wanted += [Path(os.path.abspath(data)), data.resolve()]
    python = Path(sys.executable)
    wanted.append(python.resolve().parent.parent)
    existing = sorted({p for p in wanted if p.is_dir()}, key=lambda p: (len(p.parts), str(p)))
    kept: list[Path] = []
    for path in existing:
        if _inside(path, Path("/usr")) or any(_inside(path, k) for k in kept):
            continue
        kept.append(path)
    return [str(p) for p in kept]


@dataclass(frozen=True)
class Sandbox:
    """How kernels are sandboxed in one grading run (sent to every grading process).

    Parameters
    ----------
    bwrap : str
        The bubblewrap program.
    readonly : tuple of str
        Host folders shown read-only at the same place (see :func:`library_paths`).
    etc : str
        A folder holding the ``passwd`` and ``group`` files shown in the sandbox.
    seed : str, optional
        A matplotlib cache folder copied into each sandbox's ``/tmp``.
    setpriv : str, optional
        The setpriv program, when grading as root.
    uid, gid : int, optional
        The user and group trainees' code runs as when grading as root (``nobody``);
        None means "in a user namespace, as the grader's own user id".
    """

    bwrap: str
    readonly: tuple[str, ...]
    etc: str
    seed: str | None = None
    setpriv: str | None = None
    uid: int | None = None
    gid: int | None = None

    def to_json(self) -> str:
        """The settings as JSON (for a grading process's command line)."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Sandbox | None:
        """Settings written by :meth:`to_json` (None for ``"null"``)."""
        data = json.loads(text)
        if data is None:
            return None
        data["readonly"] = tuple(data["readonly"])
        return cls(**data)

    def command(
        self, argv: Sequence[str], *, workdir: str, tmpdir: str, ipcdir: str | None = None
    ) -> list[str]:
        """The command that runs ``argv`` in the sandbox.

        Parameters
        ----------
        argv : sequence of str
            The kernel's command (its Python is inside one of the read-only folders).
        workdir : str
            The private working copy: writable, and the current folder.
        tmpdir : str
            A private folder shown as ``/tmp`` (writable).
        ipcdir : str, optional
            The kernel's connection folder (connection file and ZMQ sockets), writable
            and shown at the same place.

        Returns
        -------
        list of str
            The ``bwrap`` command line.
        """
        args = [
            self.bwrap,
            "--die-with-parent",
            "--new-session",
            "--unshare-ipc",
            "--unshare-pid",
            "--unshare-net",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--hostname",
            "sandbox",
        ]
        if self.uid is None:
            args.append("--unshare-user")
        else:
            # As root: keep only what setpriv needs to become `nobody` and drop the rest.
            args += ["--cap-drop", "ALL"]
            for capability in ("CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP"):
                args += ["--cap-add", capability]
        args += ["--ro-bind", "/usr", "/usr"]
        for name in TOP_LEVEL:
            path = Path("/") / name
            if path.is_symlink():
                args += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                args += ["--ro-bind", str(path), str(path)]
        args += ["--proc", "/proc", "--dev", "/dev"]
        args += ["--perms", "1777", "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm"]
        args += ["--bind", tmpdir, SANDBOX_TMP]
        made = {Path("/"), Path("/usr"), Path(SANDBOX_TMP), Path("/dev"), Path("/proc")}

        def parents(path: str) -> list[str]:
            out = []
            for parent in reversed(Path(path).parents):
                if parent in made or _inside(parent, Path("/usr")):
                    continue
                made.add(parent)
                out += ["--perms", "0755", "--dir", str(parent)]
            made.add(Path(path))
            return out

        for path in ETC_PATHS:
            if os.path.exists(path):
                args += [*parents(path), "--ro-bind", path, path]
        for name in ("passwd", "group"):
            args += [*parents(f"/etc/{name}"), "--ro-bind", str(Path(self.etc) / name)]
            args.append(f"/etc/{name}")
        for path in self.readonly:
            args += [*parents(path), "--ro-bind", path, path]
        for path in [p for p in (workdir, ipcdir) if p]:
            args += [*parents(path), "--bind", path, path]
        args += ["--chdir", workdir]
        if self.uid is not None:
            args += [
                str(self.setpriv),
                f"--reuid={self.uid}",
                f"--regid={self.gid}",
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                "--",
            ]
        return [*args, *argv]

    def prepare(self, *folders: str | Path) -> None:
        """Make a sandbox's private folders its own: seed ``/tmp``, hand them to ``nobody``.

        Parameters
        ----------
        *folders : str or Path
            The private ``/tmp`` folder first, then the working copy and the connection
            folder (everything in them changes owner when grading as root).
        """
        tmpdir = Path(folders[0])
        tmpdir.chmod(0o1777)  # as /tmp is: the sandbox's own folders are made in it
        if self.seed and Path(self.seed).is_dir() and not (tmpdir / "matplotlib").exists():
            shutil.copytree(self.seed, tmpdir / "matplotlib")
        if self.uid is None:
            return
        for folder in folders:
            for root, dirs, files in os.walk(folder):
                os.lchown(root, self.uid, self.gid or self.uid)
                for name in dirs + files:
                    os.lchown(os.path.join(root, name), self.uid, self.gid or self.uid)

    def path_dirs(self) -> list[str]:
        """The folders of programs on the kernel's ``PATH``: Python's first, then the system's."""
        python = Path(sys.executable)
        first = [str(Path(os.path.abspath(python)).parent)]
        return [*dict.fromkeys(first), "/usr/local/bin", "/usr/bin", "/bin"]


def kernel_environment(env: Mapping[str, str], path: Iterable[str]) -> dict[str, str]:
    """The environment a sandboxed kernel gets: a short list kept from ``env``, the rest set.

    Parameters
    ----------
    env : mapping
        The environment the kernel would have had (the grader's, plus Jupyter's
        and nbgrader's own variables).
    path : iterable of str
        The folders of ``PATH``.

    Returns
    -------
    dict
        Locale, thread and Jupyter/nbgrader variables from ``env``; ``HOME`` and
        ``TMPDIR`` set to the private ``/tmp``; matplotlib's folder in it.
    """
    kept = {k: v for k, v in env.items() if k in KEPT_VARIABLES or k.startswith(KEPT_PREFIXES)}
    # The grader's process id means nothing in the sandbox's own process namespace: the
    # kernel would take bubblewrap's reaper for init and stop. 1 tells ipykernel not to
    # watch its parent (bubblewrap stops the kernel when the grader goes: --die-with-parent)
    # and not to print its connection details as a stand-alone kernel does.
    kept["JPY_PARENT_PID"] = "1"
    kept.update(
        HOME=SANDBOX_TMP,
        TMPDIR=SANDBOX_TMP,
        MPLCONFIGDIR=MATPLOTLIB_DIR,
        PATH=os.pathsep.join(path),
    )
    return kept


def _write_accounts(folder: Path, uid: int, gid: int) -> None:
    name = "nobody" if uid == 65534 else "trainee"
    group = "nogroup" if gid == 65534 else "trainee"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "passwd").write_text(
        f"root:x:0:0:root:/root:/usr/sbin/nologin\n{name}:x:{uid}:{gid}:{name}:/tmp:/usr/sbin/nologin\n",
        encoding="utf-8",
    )
    (folder / "group").write_text(f"root:x:0:\n{group}:x:{gid}:\n", encoding="utf-8")
    for path in (folder, folder / "passwd", folder / "group"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def plan(scratch: Path, hidden: Iterable[str | Path]) -> Sandbox:
    """The sandbox of one grading run.

    Parameters
    ----------
    scratch : Path
        The run's private scratch folder (it gets the sandbox's ``passwd`` file).
    hidden : iterable of str or Path
        Folders no kernel may see (the course root, the scratch folder).

    Returns
    -------
    Sandbox
        The settings to hand to the grading processes.

    Raises
    ------
    SandboxError
        When the sandbox cannot run here, or a hidden folder lies inside a folder
        the kernel must see.
    """
    reason = unavailable_reason()
    if reason:
        raise SandboxError(f"{reason}. {HOW_TO_PROCEED}")
    readonly = library_paths()
    for folder in hidden:
        folder = Path(folder).resolve()
        for path in [*readonly, "/usr", *ETC_PATHS]:
            if _inside(folder, Path(path)):
                raise SandboxError(
                    f"the folder {folder} lies inside {path}, which trainees' code must "
                    f"see to run Python, so the sandbox could not hide it; move the course "
                    f"folder elsewhere. {HOW_TO_PROCEED}"
                )
    root = os.geteuid() == 0
    uid, gid = (os.getuid(), os.getgid()) if not root else _nobody()
    _write_accounts(scratch / "sandbox-etc", uid, gid)
    return Sandbox(
        bwrap=str(shutil.which("bwrap")),
        readonly=tuple(readonly),
        etc=str(scratch / "sandbox-etc"),
        setpriv=shutil.which("setpriv") if root else None,
        uid=uid if root else None,
        gid=gid if root else None,
    )


def _nobody() -> tuple[int, int]:
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:  # pragma: no cover - every Linux has nobody
        return 65534, 65534


class Probe:
    """A first sandbox started at the beginning of a run: checks it works, seeds caches.

    Parameters
    ----------
    sandbox : Sandbox
        The run's settings.
    scratch : Path
        The run's scratch folder.
    """

    def __init__(self, sandbox: Sandbox, scratch: Path):
        self.sandbox = sandbox
        self.work = scratch / "probe-work"
        self.tmp = scratch / "probe-tmp"
        for folder in (self.work, self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
        sandbox.prepare(self.tmp, self.work)
        env = kernel_environment(os.environ, sandbox.path_dirs())
        self.process = subprocess.Popen(
            sandbox.command(
                [sys.executable, "-c", _PROBE], workdir=str(self.work), tmpdir=str(self.tmp)
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
            start_new_session=True,
        )
        self.closed = False

    def close(self) -> None:
        """Stop the probe if it still runs and close its pipes (when its result is not needed)."""
        if self.closed:
            return
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()
        self.closed = True

    def result(self, timeout: float = 120.0) -> Sandbox:
        """Wait for the probe; the sandbox settings with the matplotlib cache to copy.

        Raises
        ------
        SandboxError
            When the sandbox did not start or Python could not run in it.
        """
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise SandboxError(
                f"a test sandbox did not finish within {timeout:g} s. {HOW_TO_PROCEED}"
            ) from None
        found = {}
        if self.process.returncode == 0:
            try:
                found = json.loads(out.strip().splitlines()[-1])
            except (ValueError, IndexError):
                found = {}
        if self.process.returncode == 0 and not found.get("cdatools"):
            raise SandboxError(
                "Python starts in a test sandbox but cannot import cdatools there: install "
                "cdatools into the Python environment that runs it (pip install -e . from the "
                f"repository) instead of pointing to it otherwise. {HOW_TO_PROCEED}"
            )
        if self.process.returncode != 0:
            last = " ".join(err.strip().splitlines()[-3:]) or f"exit code {self.process.returncode}"
            hint = ""
            if "namespace" in err or "uid map" in err or "Operation not permitted" in err:
                hint = (
                    " (this Linux does not let programs create user namespaces; an "
                    "administrator can allow them, e.g. sysctl kernel.unprivileged_userns_clone=1 "
                    "on Debian, or an AppArmor profile for bwrap on Ubuntu 24.04)"
                )
            elif "Permission denied" in err:
                hint = (
                    " (trainees' code runs as 'nobody', which must be able to read the "
                    "Python environment and the cdatools package)"
                )
            raise SandboxError(
                f"bubblewrap could not run Python in a test sandbox: {last}{hint}. {HOW_TO_PROCEED}"
            )
        self.closed = True
        seed = self.tmp / "matplotlib"
        if seed.is_dir():
            return Sandbox(**{**asdict(self.sandbox), "seed": str(seed)})
        return self.sandbox
