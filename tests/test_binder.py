"""Binder and JupyterHub images: repo2docker accepts the repository, and its build installs the pinned versions.

repo2docker (what Binder, and JupyterHub deployments that build images, use) reads binder/: runtime.txt (the
Python), apt.txt (Debian/Ubuntu packages: the Fashion-MNIST data) and requirements.txt (pip, constrained by
constraints.txt). `--no-build` writes the Dockerfile without building it, so no Docker is needed here.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest.importorskip("repo2docker", reason="jupyter-repo2docker is not installed (requirements-dev.txt has it)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path) -> dict[str, str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {normalized(line.split("==")[0]): line.split("==")[1] for line in lines if "==" in line}


@pytest.fixture(scope="module")
def dockerfile() -> str:
    result = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(ROOT)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout + result.stderr


def test_repo2docker_accepts_the_repository(dockerfile):
    assert "Building conda environment for python=3.11" in dockerfile, "binder/runtime.txt asks for Python 3.11"
    assert re.search(r"apt-get install --yes --no-install-recommends dataset-fashion-mnist", dockerfile)
    assert re.search(r'COPY --chown=\S+ src/ \$\{REPO_DIR\}/.*\n(.*\n)*.*pip install --no-cache-dir -r '
                     r'"binder/requirements.txt"', dockerfile), "the repository is copied before pip installs"


def test_the_image_installs_the_versions_constraints_txt_pins(tmp_path):
    report = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                             "--report", str(report), "-r", "binder/requirements.txt"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)  # as the image's build runs it
    assert result.returncode == 0, result.stderr[-2000:]
    pinned = pins(ROOT / "constraints.txt") | pins(ROOT / "hub" / "requirements.txt")
    chosen = {normalized(item["metadata"]["name"]): item["metadata"]["version"]
              for item in json.loads(report.read_text())["install"]}
    chosen.pop("course-utils")
    assert {"tensorflow", "keras", "ipywidgets", "jupyterlab-widgets", "keras-tuner"} <= set(chosen)
    assert {name: version for name, version in chosen.items() if pinned.get(name, version) != version} == {}
    assert {"jupyterhub", "nbgitpuller"} <= set(chosen)  # a class's hub image: students' servers, links
    # pip's build tools (setuptools, wheel) are the only packages the two files do not pin
    assert set(chosen) - set(pinned) <= {"setuptools", "wheel"}
