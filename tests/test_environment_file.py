"""environment.yml (conda, Binder) and pyproject.toml (pip) must ask for the same things."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# conda-forge names that differ from PyPI names; none are needed yet.
CONDA_TO_PYPI: dict[str, str] = {}
CONDA_ONLY = {"pip"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_requirements(pyproject: dict) -> dict[str, SpecifierSet]:
    reqs = {}
    for line in pyproject["project"]["dependencies"]:
        req = Requirement(line)
        reqs[normalise(req.name)] = req.specifier
    reqs["python"] = SpecifierSet(pyproject["project"]["requires-python"])
    return reqs


def conda_requirements(environment: dict) -> tuple[dict[str, SpecifierSet], list[str]]:
    reqs, pip_lines = {}, []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip_lines.extend(entry.get("pip", []))
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", entry.strip())
        if match is None:
            raise ValueError(f"environment.yml: cannot read the dependency {entry!r}")
        name, spec = match.groups()
        name = CONDA_TO_PYPI.get(name, name)
        if name in CONDA_ONLY:
            continue
        reqs[normalise(name)] = SpecifierSet(spec.replace(" ", ""))
    return reqs, pip_lines


def disagreements(pyproject: dict, environment: dict) -> list[str]:
    """Every way in which the two files disagree, in words."""
    pip_reqs = pip_requirements(pyproject)
    conda_reqs, pip_lines = conda_requirements(environment)
    problems = []
    for name in sorted(pip_reqs.keys() - conda_reqs.keys()):
        problems.append(f"{name} is in pyproject.toml but missing from environment.yml")
    for name in sorted(conda_reqs.keys() - pip_reqs.keys()):
        problems.append(f"{name} is in environment.yml but missing from pyproject.toml")
    for name in sorted(pip_reqs.keys() & conda_reqs.keys()):
        if pip_reqs[name] != conda_reqs[name]:
            problems.append(
                f"{name}: pyproject.toml asks for '{pip_reqs[name]}', "
                f"environment.yml for '{conda_reqs[name]}'"
            )
    if not any(line.strip() in {".", "-e ."} for line in pip_lines):
        problems.append("environment.yml does not install the course package itself (pip: -e .)")
    return problems


def load(repo_root: Path) -> tuple[dict, dict]:
    pyproject = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    environment = yaml.safe_load((repo_root / "environment.yml").read_text(encoding="utf-8"))
    return pyproject, environment


def test_environment_file_matches_pyproject(repo_root):
    pyproject, environment = load(repo_root)
    assert disagreements(pyproject, environment) == []


def test_environment_uses_conda_forge(repo_root):
    _, environment = load(repo_root)
    assert environment["channels"][0] == "conda-forge"


def test_a_dropped_dependency_is_reported(repo_root):
    pyproject, environment = load(repo_root)
    environment["dependencies"] = [d for d in environment["dependencies"] if d != "networkx>=3.0"]
    assert disagreements(pyproject, environment) == [
        "networkx is in pyproject.toml but missing from environment.yml"
    ]


def test_a_changed_bound_is_reported(repo_root):
    pyproject, environment = load(repo_root)
    environment["dependencies"] = [
        "pandas>=1.5" if d == "pandas>=2.0" else d for d in environment["dependencies"]
    ]
    assert disagreements(pyproject, environment) == [
        "pandas: pyproject.toml asks for '>=2.0', environment.yml for '>=1.5'"
    ]


def test_a_missing_self_install_is_reported(repo_root):
    pyproject, environment = load(repo_root)
    environment["dependencies"] = [
        d for d in environment["dependencies"] if not isinstance(d, dict)
    ]
    assert disagreements(pyproject, environment) == [
        "environment.yml does not install the course package itself (pip: -e .)"
    ]
