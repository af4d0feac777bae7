"""``python -m cdatools.hub``: set up the workshop hub and start it (``make hub`` calls it)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cdatools.hub.roster import RosterError, read_roster
from cdatools.hub.settings import (
    TRAINERS_GROUP,
    HubSettings,
    address_notice,
    config_files,
    kubernetes_roster_values,
)

REPO = Path(__file__).resolve().parents[2]


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"PORT must be a number, not '{text}'") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"PORT must be between 1 and 65535, not {value}")
    return value


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"IDLE must be a whole number of minutes (0: never stop idle servers), not '{text}'"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"IDLE must be 0 or more minutes, not {value}")
    return value


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"MEMORY must be a number of MB, not '{text}'") from None
    if value != 0 and value < 512:
        raise argparse.ArgumentTypeError(
            f"MEMORY must be at least 512 MB (a JupyterLab server needs it) or 0 for no cap, "
            f"not {value}"
        )
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="make hub",
        description=(
            "Start a JupyterHub for a workshop cohort: one Unix user per roster row, "
            "PAM passwords, the course in every home, nbgrader's exchange."
        ),
    )
    p.add_argument("--roster", required=True, help="CSV: username,role,first_name,last_name,email")
    p.add_argument("--hub-dir", default="/srv/cda-hub", help="the hub's folder")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on")
    p.add_argument("--port", type=_port, default=8000)
    p.add_argument(
        "--idle", type=_minutes, default=60, help="stop servers idle this many minutes (0: never)"
    )
    p.add_argument(
        "--memory-mb", type=_megabytes, default=2048, help="memory cap of each trainee's server"
    )
    p.add_argument("--ssl-cert", default="", help="TLS certificate (PEM) for https")
    p.add_argument("--ssl-key", default="", help="TLS private key (PEM) for https")
    p.add_argument(
        "--user-env",
        default="",
        help="the users' Python environment (default: HUB_DIR/env); made when missing",
    )
    p.add_argument(
        "--no-start", action="store_true", help="set everything up but do not start the hub"
    )
    p.add_argument(
        "--kubernetes-values",
        action="store_true",
        help="only print Helm values (YAML) for Zero to JupyterHub: users, admins, groups",
    )
    return p


def _fail(message: str, status: int = 2) -> None:
    print(f"make hub: {message}", file=sys.stderr)
    raise SystemExit(status)


def _check_options(args: argparse.Namespace) -> None:
    if bool(args.ssl_cert) != bool(args.ssl_key):
        _fail("give both SSL_CERT and SSL_KEY for https, or neither")
    for name, value in (("SSL_CERT", args.ssl_cert), ("SSL_KEY", args.ssl_key)):
        if value and not Path(value).is_file():
            _fail(f"{name}: no such file '{value}'")
    hub_dir = Path(args.hub_dir)
    if not hub_dir.is_absolute():
        _fail(f"HUB_DIR must be an absolute path such as /srv/cda-hub, not '{args.hub_dir}'")
    if str(hub_dir.resolve()).startswith("/root"):
        _fail(f"HUB_DIR must be outside /root (the users must read it), not '{args.hub_dir}'")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # 1. Checks that change nothing.
    try:
        people = read_roster(args.roster)
    except RosterError as error:
        print(error, file=sys.stderr)
        return 2
    if args.kubernetes_values:
        trainers = [p.username for p in people if p.role == "trainer"]
        trainees = [p.username for p in people if p.role == "trainee"]
        print("# Written by: python3 -m cdatools.hub --roster ... --kubernetes-values")
        print(json.dumps(kubernetes_roster_values(trainers, trainees), indent=2))
        return 0
    _check_options(args)
    if os.geteuid() != 0:
        _fail("the hub creates Unix users and runs their servers: run it as root (sudo make hub)")
    from cdatools.hub import system  # needs pwd and grp (Linux only)

    conflicts = system.system_account_conflicts(people)
    if conflicts:
        print(RosterError(args.roster, conflicts), file=sys.stderr)
        return 2
    if not args.no_start and system.port_in_use(args.host, args.port):
        _fail(f"port {args.port} on {args.host} is in use; choose another with PORT=...")

    # 2. Set-up: only what is missing.
    try:
        return _set_up_and_start(args, people, system)
    except system.HubSetupError as error:
        _fail(str(error), status=1)
    return 1


def _set_up_and_start(args, people, system) -> int:
    hub_dir = Path(args.hub_dir).resolve()
    system.install_system_packages(system.missing_system_packages())
    os.umask(0o022)
    hub_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(hub_dir, 0o755)
    user_env = Path(args.user_env).resolve() if args.user_env else hub_dir / "env"

    system.copy_app(REPO, hub_dir / "app")
    system.build_user_env(user_env, hub_dir / "app")
    proxy = system.install_proxy(REPO / "cdatools" / "hub" / "proxy", hub_dir / "proxy")

    trainers = [p.username for p in people if p.role == "trainer"]
    trainees = [p.username for p in people if p.role == "trainee"]
    system.ensure_group(TRAINERS_GROUP)
    credentials = hub_dir / "credentials.csv"
    passwords, existing = system.create_users(people, credentials)
    system.add_to_group(trainers, TRAINERS_GROUP)

    settings = HubSettings(
        hub_dir=str(hub_dir),
        user_env=str(user_env),
        host=args.host,
        port=args.port,
        idle_timeout=args.idle * 60,
        memory_mb=args.memory_mb,
        ssl_cert=str(Path(args.ssl_cert).resolve()) if args.ssl_cert else "",
        ssl_key=str(Path(args.ssl_key).resolve()) if args.ssl_key else "",
        trainers=trainers,
        trainees=trainees,
        proxy_command=proxy,
    )
    system.prepare_course_root(REPO / "exercises", Path(settings.course_root), TRAINERS_GROUP)
    system.prepare_exchange(Path(settings.exchange), TRAINERS_GROUP)
    system.write_config_files(hub_dir, config_files(settings))
    system.private_file(hub_dir / "jupyterhub.sqlite")
    notes = system.protect_instructor_sources(REPO)

    _summary(settings, people, passwords, existing, credentials, notes, system)
    if args.no_start:
        return 0
    jupyterhub = user_env / "bin" / "jupyterhub"
    os.chdir(hub_dir)
    sys.stdout.flush()
    os.execv(jupyterhub, [str(jupyterhub), "-f", str(hub_dir / "jupyterhub_config.py")])
    return 1  # not reached


def _summary(settings, people, passwords, existing, credentials, notes, system) -> None:
    say = system.say
    trainers = sum(p.role == "trainer" for p in people)
    say(f"roster: {trainers} trainer(s), {len(people) - trainers} trainee(s)")
    if passwords:
        say(f"new users: {', '.join(passwords)}; their passwords are in {credentials} (root only)")
    if existing:
        say(f"already there, left as they were (same password): {', '.join(existing)}")
    readable = system.homes_readable_by_others(existing)
    if readable:
        say(
            "warning: other users can read these homes (the hub does not change them): "
            + ", ".join(readable)
        )
    if not trainers:
        say("warning: no trainer on the roster: nobody can release or grade assignments")
    for note in notes:
        say(f"note: {note}")
    say(f"course root for trainers: {settings.course_root} (also ~/exercises in their homes)")
    idle = settings.idle_timeout // 60
    say(f"idle servers stop after {idle} min" if idle else "idle servers are never stopped")
    say(
        f"each trainee's server is capped at {settings.memory_mb} MB of memory"
        if settings.memory_mb
        else "no memory cap on trainees' servers"
    )
    for line in address_notice(settings):
        say(line)


if __name__ == "__main__":
    raise SystemExit(main())
