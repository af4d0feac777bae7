"""The ``cdatools`` console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cdatools
from cdatools.cli import main

SCRIPT = Path(sys.executable).with_name("cdatools")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def test_console_script_is_installed():
    assert SCRIPT.exists(), f"the console script {SCRIPT} is missing: run 'pip install -e .'"


def test_version_flag_prints_package_version():
    result = run(str(SCRIPT), "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"cdatools {cdatools.__version__}"


def test_help_describes_the_tool():
    result = run(str(SCRIPT), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: cdatools")
    assert "Cluster Development Agents" in " ".join(result.stdout.split())


def test_module_entry_point_matches_script():
    result = run(sys.executable, "-m", "cdatools", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"cdatools {cdatools.__version__}"


def test_unknown_subcommand_is_a_usage_error(capsys):
    try:
        main(["no-such-command"])
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("an unknown subcommand must exit with status 2")
    assert "invalid choice: 'no-such-command'" in capsys.readouterr().err


def test_no_arguments_prints_help(capsys):
    assert main([]) == 0
    assert "usage: cdatools" in capsys.readouterr().out
