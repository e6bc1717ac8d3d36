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
