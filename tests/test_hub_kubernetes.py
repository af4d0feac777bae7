"""deploy/kubernetes/config.yaml passes the checks Helm makes before it renders the chart.

Helm merges a user's values over the chart's defaults (maps key by key; lists and
other values replaced whole; ``null`` removes a default) and validates the result
against the chart's JSON Schema. These tests do the same with the Zero to JupyterHub
chart's files copied in ``deploy/kubernetes/z2jh-reference/``, so a misspelt key or a
wrong type fails ``make test``. They cannot find every error ``helm template`` would.
"""

from __future__ import annotations

import copy
import types
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from cdatools.hub.settings import COURSE_ID, page_config, server_config

K8S = Path(__file__).resolve().parents[1] / "deploy" / "kubernetes"
REFERENCE = K8S / "z2jh-reference"


def helm_merge(defaults: dict, values: dict) -> dict:
    """User ``values`` over chart ``defaults`` as Helm coalesces them."""
    merged = copy.deepcopy(defaults)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def chart():
    return load(REFERENCE / "values.yaml"), Draft7Validator(load(REFERENCE / "values.schema.yaml"))


@pytest.fixture
def config():
    return load(K8S / "config.yaml")


def problems(chart, config: dict) -> list[str]:
    defaults, validator = chart
    merged = helm_merge(defaults, config)
    return sorted(
        f"{'.'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(merged)
    )


def test_the_config_is_valid_for_the_chart(chart, config):
    assert problems(chart, config) == []


def test_a_misspelt_key_fails(chart, config):
    config["singleuser"]["memmory"] = config["singleuser"].pop("memory")
    found = problems(chart, config)
    assert any("memmory" in problem for problem in found), found


def test_a_wrong_type_fails(chart, config):
    config["cull"]["timeout"] = "one hour"
    found = problems(chart, config)
    assert any(problem.startswith("cull.timeout:") for problem in found), found


def test_merging_follows_helm():
    defaults = {"a": {"b": 1, "c": [1, 2]}, "d": 1, "e": {"f": 1}}
    values = {"a": {"c": [3]}, "d": None, "e": {"g": 2}}
    assert helm_merge(defaults, values) == {"a": {"b": 1, "c": [3]}, "e": {"f": 1, "g": 2}}


def test_memory_limits_and_idle_culler_are_set(config):
    memory = config["singleuser"]["memory"]
    assert memory["guarantee"] and memory["limit"]
    assert config["cull"]["enabled"] is True and config["cull"]["timeout"] > 0


def test_exchange_is_a_shared_volume_mounted_for_every_user(config):
    storage = config["singleuser"]["storage"]
    volume = next(v for v in storage["extraVolumes"] if v["name"] == "nbgrader-exchange")
    mount = next(m for m in storage["extraVolumeMounts"] if m["name"] == "nbgrader-exchange")
    assert "persistentVolumeClaim" in volume
    common = config["singleuser"]["extraFiles"]["nbgrader-common"]
    assert common["mountPath"] == "/etc/jupyter/nbgrader_config.py"
    assert f'c.Exchange.root = "{mount["mountPath"]}"' in common["stringData"]
    assert f'c.CourseDirectory.course_id = "{COURSE_ID}"' in common["stringData"]
    claim = (K8S / "nbgrader-volumes.yaml").read_text(encoding="utf-8")
    documents = [d for d in yaml.safe_load_all(claim) if d]
    by_name = {d["metadata"]["name"]: d for d in documents}
    exchange = by_name[volume["persistentVolumeClaim"]["claimName"]]
    assert exchange["spec"]["accessModes"] == ["ReadWriteMany"]
    assert by_name["cda-course-root"]["spec"]["accessModes"] == ["ReadWriteMany"]


def test_roles_get_the_same_server_settings_as_on_make_hub(config):
    files = config["singleuser"]["extraFiles"]
    assert files["server-trainee"]["data"] == server_config("trainee")
    assert files["lab-trainee"]["data"] == page_config("trainee")
    assert files["server-trainer"]["data"] == server_config("trainer")


def run_hook(config: dict, name: str, uid: int, groups: list[str]):
    """Run the pre-spawn hook of config.yaml on a stand-in for KubeSpawner's attributes."""
    from traitlets.config import Config

    c = Config()
    code = config["hub"]["extraConfig"]["cda-roles.py"]
    exec(compile(code, "cda-roles.py", "exec"), {"c": c})
    spawner = types.SimpleNamespace(
        user=types.SimpleNamespace(
            name=name, id=uid, groups=[types.SimpleNamespace(name=g) for g in groups]
        ),
        environment={},
        volumes=[],
        volume_mounts=[],
        mem_limit=None,
        mem_guarantee=None,
    )
    c.KubeSpawner.pre_spawn_hook(spawner)
    return spawner


def test_trainers_get_the_course_root_and_trainees_do_not(config):
    trainer = run_hook(config, "tomas", 3, ["trainers"])
    trainee = run_hook(config, "amina", 4, ["trainees"])
    assert trainer.environment["CDA_HUB_ROLE"] == "trainer"
    assert trainer.environment["JUPYTER_CONFIG_PATH"] == "/etc/cda/jupyter/trainer"
    assert [m["mountPath"] for m in trainer.volume_mounts] == ["/srv/nbgrader/course"]
    assert trainee.environment["CDA_HUB_ROLE"] == "trainee"
    assert trainee.environment["JUPYTER_CONFIG_PATH"] == "/etc/cda/jupyter/trainee"
    assert trainee.volume_mounts == [] and trainee.volumes == []
    # Everyone has their own Unix user id, so the exchange's permissions hold.
    assert trainer.environment["NB_UID"] != trainee.environment["NB_UID"]


def test_roster_values_are_valid_with_the_config(chart, config, tmp_path):
    """``python -m cdatools.hub --roster ... --kubernetes-values`` output, as Helm reads it."""
    import subprocess
    import sys

    roster = tmp_path / "cohort.csv"
    roster.write_text(
        "username,role,first_name,last_name,email\n"
        "tomas,trainer,Tomás,Ñúñez,\namina,trainee,Amina,Diallo,\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "cdatools.hub", "--roster", str(roster), "--kubernetes-values"],
        cwd=K8S.parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    values = yaml.safe_load(result.stdout)
    assert values["hub"]["config"]["Authenticator"]["admin_users"] == ["tomas"]
    assert values["hub"]["config"]["JupyterHub"]["load_groups"]["trainers"]["users"] == ["tomas"]
    assert problems(chart, helm_merge(config, values)) == []
