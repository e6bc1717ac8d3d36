"""The repository is named once (course_utils.config.REPO); every copy must agree."""

import json
import re
from pathlib import Path

from course_utils import config

ROOT = Path(__file__).resolve().parent.parent


def test_every_notebook_badge_and_install_line_use_the_repo():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        text = json.dumps(json.loads(path.read_text(encoding="utf-8"))["cells"])
        assert config.colab_url(path.name) in text, path.name
        assert config.pip_install_target() in text, path.name
        for other in set(re.findall(r"github\.com/([\w.-]+/[\w.-]+?)(?:\.git|/blob)", text)):
            assert other == config.REPO, f"{path.name} names {other}"


def test_pyproject_and_readme_name_the_same_repo():
    assert f"https://github.com/{config.REPO}" in (ROOT / "pyproject.toml").read_text()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"github.com/{config.REPO}" in readme


def test_set_repo_rewrites_every_copy(tmp_path):
    import shutil

    import pytest

    from scripts import set_repo

    for relative in ("course_utils/config.py", "README.md", "pyproject.toml"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    before = sum(path.read_text(encoding="utf-8").count(config.REPO) for path in set_repo.files(tmp_path))
    assert set_repo.set_repo("alice/my-course", tmp_path) == before > 10
    for path in set_repo.files(tmp_path):
        assert config.REPO not in path.read_text(encoding="utf-8"), path.name
    assert set_repo.current_repo(tmp_path) == "alice/my-course"
    with pytest.raises(SystemExit, match="OWNER/NAME"):
        set_repo.set_repo("not a repo", tmp_path)
