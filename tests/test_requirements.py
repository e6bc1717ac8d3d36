"""The version ranges the course states are the ones its tests run: Colab's versions and the pinned ones."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def pins(name: str) -> dict[str, str]:
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / name).read_text(encoding="utf-8").splitlines())
    return {canonical(line.split("==")[0]): line.split("==")[1] for line in lines if "==" in line}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def stated_requirements() -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return [Requirement(line) for line in lines if line] + [Requirement(line) for line in project]


@pytest.mark.parametrize("constraints", ["constraints-colab.txt", "constraints.txt"])
def test_the_tested_versions_satisfy_every_stated_range(constraints):
    pinned = pins(constraints)
    for requirement in stated_requirements():
        version = pinned[canonical(requirement.name)]
        # above Colab's version, pip on Colab would replace Colab's own package
        assert requirement.specifier.contains(version), f"{requirement} excludes {constraints}'s {version}"

