"""The layers are a contract (docs/architecture.md): the code keeps it, the check of it is live, the rooms
stay small, and the docs name every layer."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 400


def _lint(root: Path, package_parent: Path) -> subprocess.CompletedProcess:
    """lint-imports with the contract of `root/pyproject.toml`, on the package found under `package_parent`."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"][0]["layers"]


def test_the_code_keeps_the_layers():
    done = _lint(ROOT, ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 1 kept, 0 broken" in done.stdout


def test_a_wrong_way_import_breaks_the_contract(tmp_path):
    """A copy of the package where the base layer imports the renderings must fail the check."""
    shutil.copytree(ROOT / "src" / "regatlas", tmp_path / "src" / "regatlas", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    errors = tmp_path / "src" / "regatlas" / "errors.py"
    errors.write_text(errors.read_text() + "\nfrom .report import markdown  # noqa: E402 (the wrong way)\n")
    done = _lint(tmp_path, tmp_path / "src")
    assert done.returncode != 0
    assert "regatlas.errors is not allowed to import regatlas.report" in done.stdout


def test_no_module_is_over_400_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in sorted((ROOT / "src").rglob("*.py"))
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_the_architecture_doc_names_every_layer():
    doc = (ROOT / "docs" / "architecture.md").read_text()
    for layer in _layers():
        for package in layer.split(" : "):
            assert f"`{package.strip('()')}`" in doc, f"docs/architecture.md does not name the layer {package}"
