"""The workshop hub's pure parts: the roster check, the course update, the config files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from cdatools.hub.roster import RosterError, parse_roster, read_roster
from cdatools.hub.settings import HubSettings, address_notice, config_files, hub_settings_json
from cdatools.hub.sync import MANIFEST, UPDATES_NOTE, sync_tree
from cdatools.hub.system import gecos, generate_password, system_account_conflicts

HEADER = "username,role,first_name,last_name,email\n"
REPO = Path(__file__).resolve().parents[1]


def refused(text: str) -> list[str]:
    with pytest.raises(RosterError) as error:
        parse_roster(text, source="cohort.csv")
    assert str(error.value).startswith("cohort.csv: the roster was refused, nothing was changed")
    return error.value.problems


# -- the roster -----------------------------------------------------------------------


def test_a_good_roster_is_read_in_order_with_spreadsheet_rows():
    people = parse_roster(
        HEADER
        + "tomas,Trainer,Tomás,Ñúñez,tomas@example.org\n"
        "\n"
        " amina_d ,trainee,Amina,Diallo,\n".replace(" amina_d ", "amina_d")
    )
    assert [(p.username, p.role, p.row) for p in people] == [
        ("tomas", "trainer", 2),
        ("amina_d", "trainee", 4),
    ]
    assert people[0].full_name == "Tomás Ñúñez"


def test_every_problem_is_named_by_row_and_column():
    problems = refused(
        HEADER + "amina,trainee,Amina,Diallo,amina@example.org\n"
        "Jose Perez,trainee,José,Pérez,\n"
        "amina,student,Amina,Again,\n"
        "josé,trainee,José,P,\n"
        "Bruno,trainee,Bruno,G,\n"
        "root,trainer,Root,,\n"
        ",trainee,No,Name,\n"
        "carla,,Carla,P,carla at example\n"
    )
    assert problems == [
        "row 3, column username: 'Jose Perez' is not a valid Unix user name; expected a "
        "lowercase letter first, then lowercase letters, digits, '_' or '-', at most 32 "
        "characters (no spaces or accents)",
        "row 4, column username: 'amina' is a duplicate (already on row 2)",
        "row 4, column role: 'student' is not a role; expected trainee or trainer",
        "row 5, column username: 'josé' is not a valid Unix user name; expected a lowercase "
        "letter first, then lowercase letters, digits, '_' or '-', at most 32 characters "
        "(no spaces or accents)",
        "row 6, column username: 'Bruno' has capital letters; Unix user names are "
        "lowercase: 'bruno'",
        "row 7, column username: 'root' is reserved for the system or the hub; choose another name",
        "row 8, column username: is empty; expected a Unix user name such as 'amina' or 'jperez'",
        "row 9, column role: '(empty)' is not a role; expected trainee or trainer",
        "row 9, column email: 'carla at example' is not an e-mail address; expected "
        "name@domain, or leave it empty",
    ]


def test_a_missing_column_is_named():
    assert refused("username,first_name,last_name,email\namina,Amina,Diallo,\n") == [
        "row 1 (the header): missing column role; expected "
        "username,role,first_name,last_name,email, found username,first_name,last_name,email"
    ]


def test_an_empty_roster_is_refused():
    assert refused("") == [
        "the file is empty; expected the header username,role,first_name,last_name,email"
    ]
    assert refused(HEADER) == ["nobody is on the roster; add one row per trainer and trainee"]


def test_a_too_long_name_is_refused():
    assert "not a valid Unix user name" in refused(HEADER + "a" * 33 + ",trainee,A,B,\n")[0]
    assert parse_roster(HEADER + "a" * 32 + ",trainee,A,B,\n")[0].username == "a" * 32


def test_spreadsheet_exports_are_read(tmp_path):
    """Excel on Windows: semicolons, a BOM or Windows-1252 accents, extra columns."""
    semicolons = tmp_path / "excel-fr.csv"
    semicolons.write_bytes(
        "\ufeffusername;role;first_name;last_name;email;group\r\n"
        "jose;trainee;José;Pérez;jose@example.org;B\r\n".encode()
    )
    cp1252 = tmp_path / "excel-es.csv"
    cp1252.write_bytes((HEADER + "jose,trainee,José,Pérez,\n").encode("cp1252"))
    for path in (semicolons, cp1252):
        (person,) = read_roster(path)
        assert (person.username, person.first_name, person.last_name) == ("jose", "José", "Pérez")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(RosterError, match=r"nothing was changed:\n  - no such file"):
        read_roster(tmp_path / "cohort.csv")


def test_system_accounts_cannot_be_on_the_roster():
    people = parse_roster(HEADER + "amina,trainee,A,D,\nwww,trainee,W,W,\n")

    def lookup(name):
        if name == "www":
            return type("Entry", (), {"pw_uid": 33})()
        raise KeyError(name)

    assert system_account_conflicts(people, lookup) == [
        "row 3, column username: 'www' is a system account on this machine (uid 33); "
        "choose another name"
    ]


def test_passwords_are_random_and_easy_to_copy():
    passwords = {generate_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
        assert not set(password) & set("lo01")


def test_the_comment_field_keeps_accents_and_drops_separators():
    (person,) = parse_roster(HEADER + 'jose,trainee,José María,"Pérez, Jr.",\n')
    assert gecos(person) == "José María Pérez Jr."


# -- the course in a person's home --------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_course_is_copied_then_updated_without_losing_edits(tmp_path):
    master, home = tmp_path / "master", tmp_path / "home" / "course"
    write(master / "00-start.ipynb", "start v1")
    write(master / "01-lesson.ipynb", "lesson v1")
    write(master / "cases" / "01-senegal.ipynb", "case v1")
    write(master / "my-work" / "trainer.json", "never copied")
    first = sync_tree(master, home)
    assert sorted(first.added) == ["00-start.ipynb", "01-lesson.ipynb", "cases/01-senegal.ipynb"]
    assert not (home / "my-work").exists()

    # The trainee edits a lesson, deletes a case, saves work; the course changes.
    write(home / "01-lesson.ipynb", "lesson v1 + my notes")
    (home / "cases" / "01-senegal.ipynb").unlink()
    write(home / "my-work" / "workplan.json", '{"mine": true}')
    write(home / "my-own.ipynb", "my notebook")
    write(master / "00-start.ipynb", "start v2")
    write(master / "01-lesson.ipynb", "lesson v2")
    write(master / "02-new.ipynb", "new lesson")
    second = sync_tree(master, home)

    assert (home / "00-start.ipynb").read_text() == "start v2"
    assert (home / "01-lesson.ipynb").read_text() == "lesson v1 + my notes"
    assert (home / "01-lesson (course update).ipynb").read_text() == "lesson v2"
    assert (home / "02-new.ipynb").read_text() == "new lesson"
    assert (home / "cases" / "01-senegal.ipynb").read_text() == "case v1"
    assert (home / "my-work" / "workplan.json").read_text() == '{"mine": true}'
    assert (home / "my-own.ipynb").read_text() == "my notebook"
    assert second.updated == ["00-start.ipynb"]
    assert second.new_versions == ["01-lesson (course update).ipynb"]
    note = (home / UPDATES_NOTE).read_text()
    assert "01-lesson.ipynb  ->  new version: 01-lesson (course update).ipynb" in note

    # Nothing changes on the next start; a later update never overwrites an edited copy.
    assert not sync_tree(master, home).changed
    write(home / "01-lesson (course update).ipynb", "lesson v2 + notes there too")
    write(master / "01-lesson.ipynb", "lesson v3")
    third = sync_tree(master, home)
    assert third.new_versions == ["01-lesson (course update 2).ipynb"]
    assert (home / "01-lesson (course update).ipynb").read_text() == "lesson v2 + notes there too"
    assert (home / "01-lesson.ipynb").read_text() == "lesson v1 + my notes"
    assert json.loads((home / MANIFEST).read_text())["01-lesson.ipynb"]


def test_in_a_course_root_new_versions_go_to_a_folder_of_their_own(tmp_path):
    """nbgrader releases every notebook in release/<assignment>/: no sibling copies there."""
    master, root = tmp_path / "exercises", tmp_path / "course-root"
    write(master / "source" / "01-workplan" / "01-workplan.ipynb", "v1")
    sync_tree(master, root, updates_dir="course-updates")
    write(root / "source" / "01-workplan" / "01-workplan.ipynb", "edited on the hub")
    write(master / "source" / "01-workplan" / "01-workplan.ipynb", "v2")
    report = sync_tree(master, root, updates_dir="course-updates")
    assert report.new_versions == [
        "course-updates/source/01-workplan/01-workplan (course update).ipynb"
    ]
    assert sorted(p.name for p in (root / "source" / "01-workplan").iterdir()) == [
        "01-workplan.ipynb"
    ]
    assert (root / report.new_versions[0]).read_text() == "v2"


def test_a_damaged_manifest_keeps_every_file_the_person_has(tmp_path):
    master, home = tmp_path / "master", tmp_path / "course"
    write(master / "a.ipynb", "v1")
    sync_tree(master, home)
    write(home / "a.ipynb", "mine")
    (home / MANIFEST).write_text("{not json")
    write(master / "a.ipynb", "v2")
    report = sync_tree(master, home)
    assert (home / "a.ipynb").read_text() == "mine"
    assert report.new_versions == ["a (course update).ipynb"]


# -- the hub's configuration files --------------------------------------------------------


def settings(**changes) -> HubSettings:
    values = dict(
        hub_dir="/srv/cda-hub",
        user_env="/srv/cda-hub/env",
        trainers=["tomas"],
        trainees=["amina", "bruno"],
        proxy_command=["/srv/cda-hub/proxy/node_modules/.bin/configurable-http-proxy"],
    )
    values.update(changes)
    return HubSettings(**values)


def test_the_config_files_name_the_course_and_keep_trainer_tools_from_trainees():
    files = config_files(settings())
    common = files["etc/jupyter/common/nbgrader_config.py"]
    assert "c.CourseDirectory.course_id = 'cda-governance-trust'" in common
    assert "c.Exchange.root = '/srv/cda-hub/exchange'" in common
    trainer = files["etc/jupyter/trainer/nbgrader_config.py"]
    assert "c.CourseDirectory.root = '/srv/cda-hub/exercises'" in trainer
    server = json.loads(files["etc/jupyter/trainee/jupyter_server_config.json"])
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions["nbgrader.server_extensions.formgrader"] is False
    assert extensions["nbgrader.server_extensions.assignment_list"] is True
    lab = json.loads(files["etc/jupyter/trainee/labconfig/page_config.json"])
    assert "@jupyter/nbgrader:formgrader" in lab["disabledExtensions"]
    assert "@jupyter/nbgrader:assignment-list" not in lab["disabledExtensions"]
    trainer_server = json.loads(files["etc/jupyter/trainer/jupyter_server_config.json"])
    assert all(trainer_server["ServerApp"]["jpserver_extensions"].values())
    for name, text in files.items():
        if name.endswith(".py"):
            compile(text, name, "exec")


def test_the_hub_settings_carry_the_options():
    data = json.loads(hub_settings_json(settings(port=8443, ssl_cert="/c.pem", ssl_key="/k.pem")))
    assert data["bind_url"] == "https://0.0.0.0:8443/"
    assert data["start_page"] == "/lab/tree/course/00-start-here.ipynb"
    assert data["trainers"] == ["tomas"] and data["trainees"] == ["amina", "bruno"]
    plain = json.loads(hub_settings_json(settings(host="::1")))
    assert plain["bind_url"] == "http://[::1]:8000/"


def test_without_tls_the_address_says_to_put_the_hub_behind_https():
    public = address_notice(settings())
    assert public[0] == "the hub will answer at http://127.0.0.1:8000/  (Ctrl+C stops it)"
    assert "put the hub behind HTTPS" in public[-1]
    assert not any("HTTPS" in line for line in address_notice(settings(host="127.0.0.1")))
    tls = address_notice(settings(ssl_cert="/c.pem", ssl_key="/k.pem", port=443))
    assert tls[0].startswith("the hub will answer at https://127.0.0.1:443/")
    assert not any("plain http" in line for line in tls)


def test_environment_file_names_the_hub_extra(repo_root):
    """environment.yml leaves the hub extra to make hub, and says which packages it holds."""
    import tomllib

    extra = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["hub"]
    environment = (repo_root / "environment.yml").read_text()
    for requirement in extra:
        assert requirement in environment, f"environment.yml does not mention {requirement}"


def admits_node(requirement: str, major: int) -> bool:
    """Whether an ``engines.node`` range such as ``^16 || ^18 || >=20`` admits ``major``."""
    for alternative in requirement.split("||"):
        alternative = alternative.strip()
        caret = re.fullmatch(r"\^(\d+)(\.\S*)?", alternative)
        at_least = re.fullmatch(r">=\s*(\d+)(\.\S*)?", alternative)
        if alternative in ("*", "") or (caret and int(caret.group(1)) == major):
            return True
        if at_least and int(at_least.group(1)) <= major:
            return True
    return False


def test_the_proxy_lock_runs_on_debian_node():
    """configurable-http-proxy and its packages must run on Debian 12's Node.js 18."""
    assert admits_node("^16 || ^18 || >=20", 18) and not admits_node(">=20", 18)
    lock = json.loads((REPO / "cdatools" / "hub" / "proxy" / "package-lock.json").read_text())
    too_new = {
        name: package["engines"]["node"]
        for name, package in lock["packages"].items()
        if name and not admits_node(package.get("engines", {}).get("node", "*"), 18)
    }
    assert too_new == {}


@pytest.mark.skipif(os.name != "posix", reason="the start script is for Linux servers")
def test_bad_options_are_refused_before_anything_changes(tmp_path):
    import subprocess
    import sys

    roster = tmp_path / "cohort.csv"
    roster.write_text(HEADER + "amina,trainee,A,D,\n")
    cases = {
        ("--port", "http"): "PORT must be a number, not 'http'",
        ("--idle", "-5"): "IDLE must be 0 or more minutes, not -5",
        ("--memory-mb", "100"): "MEMORY must be at least 512 MB",
        ("--ssl-cert", str(tmp_path / "cert.pem")): "give both SSL_CERT and SSL_KEY",
        ("--hub-dir", "srv/hub"): "HUB_DIR must be an absolute path",
    }
    for option, message in cases.items():
        result = subprocess.run(
            [sys.executable, "-m", "cdatools.hub", "--roster", str(roster), *option],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 2, option
        assert message in result.stderr, (option, result.stderr)
        assert "Traceback" not in result.stderr
