"""Colab's install, as Colab does it: pip installs course_utils from a git URL into Colab's preinstalled versions.

Runs under `./course.sh test --colab` (elsewhere it is skipped): the environment starts as a copy of .venv-colab
without what Colab lacks (course_utils, keras-tuner, koreanize-matplotlib, the test tools), then pip installs
``git+file://<this checkout>@<commit>`` exactly as every notebook's setup cell installs from GitHub.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def colab_pins() -> tuple[dict, dict]:
    """({name: version} preinstalled on Colab, {name: version} that pip adds), from constraints-colab.txt."""
    preinstalled, added, section = {}, {}, None
    for line in (ROOT / "constraints-colab.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# Preinstalled"):
            section = preinstalled
        elif line.startswith("# Not preinstalled"):
            section = added
        elif "==" in line and section is not None:
            name, version = line.split("==")
            section[normalized(name)] = version
    return preinstalled, added


def freeze(python: Path) -> dict[str, str]:
    text = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
                          capture_output=True, text=True, check=True).stdout
    return {normalized(line.split("==")[0]): line.split("==")[1] for line in text.splitlines() if "==" in line}


def test_pip_install_from_git_changes_none_of_colabs_packages():
    import keras

    preinstalled, added = colab_pins()
    if keras.__version__ != preinstalled["keras"]:
        pytest.skip("not Colab's versions: run ./course.sh test --colab")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if commit.returncode != 0:
        pytest.skip("not a git checkout")
    venv = ROOT / ".cache" / "colab-install"
    shutil.rmtree(venv, ignore_errors=True)
    shutil.copytree(Path(sys.prefix), venv, symlinks=True, copy_function=os.link)  # hard links: fast, no space
    python = venv / "bin" / "python"
    lacking = ["course_utils"] + [name for name in added if name in freeze(python)]
    subprocess.run([str(python), "-m", "pip", "uninstall", "-y", "-q", *lacking], check=True, capture_output=True)
    colab = freeze(python)
    assert {name: colab[name] for name in preinstalled if name in colab} == preinstalled  # Colab's own versions

    url = f"git+file://{ROOT}@{commit.stdout.strip()}"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", url],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    after = freeze(python)
    changed = {name: (version, after.get(name)) for name, version in colab.items() if after.get(name) != version}
    assert changed == {}, f"pip changed Colab's packages: {changed}"
    # The course, keras-tuner (with kt-legacy) and koreanize-matplotlib (the Korean edition's font). Besides them:
    # jedi, which Colab's IPython 7.34 requires and Colab's list lacks, and overrides, which jupyter_server
    # requires on Python < 3.12 only (Colab has 3.13, these tests 3.11)
    ours = {"course-utils", "keras-tuner", "kt-legacy", "koreanize-matplotlib"}
    assert ours <= set(after) - set(colab) <= ours | {"jedi", "overrides"}

    check = ("import course_utils as cu, json; from course_utils import transfer; cu.setup(); "
             "print('RESULT', json.dumps([cu.__file__, transfer.SOURCE_WEIGHTS_PATH.is_file(), "
             "transfer.source_record()['classes'][:1], transfer.load_source_model().count_params()]))")
    result = subprocess.run([str(python), "-c", check], capture_output=True, text=True, cwd=venv, timeout=300,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr[-3000:]
    module, has_weights, classes, parameters = __import__("json").loads(result.stdout.split("RESULT ", 1)[1])
    assert module.startswith(str(venv)) and has_weights and classes == ["Trouser"] and parameters == 106_072
    assert "Versions: python" in result.stdout
    shutil.rmtree(venv)
