"""course.sh checks the Python it will use before making a virtual environment: 3.11 to 3.13, else one sentence.

The Pythons here are small stand-in scripts that answer the version question (and stop if asked to make a venv),
so these tests take a second and install nothing; one case uses a real Python 3.10 where pyenv has one.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def fake_python(folder: Path, version: str) -> Path:
    """A script that says it is Python ``version`` and records, then refuses, any request to make a venv."""
    path = folder / f"python{version}"
    path.write_text(f"""#!/bin/sh
case "$*" in
    *"-m venv"*) echo "$*" >> "{folder}/venv-requests"; exit 3 ;;
esac
echo {version}
""")
    path.chmod(0o755)
    return path


def course(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / "course.sh"), *args], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COURSE_VENV": str(tmp_path / "venv"),
                               "COURSE_COLAB_VENV": str(tmp_path / "venv"), **env})  # never the project's own venvs


def one_sentence(result) -> str:
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_older_python_is_refused_in_one_sentence_that_says_how_to_get_a_supported_one(tmp_path):
    result = course(tmp_path, "lab", PYTHON=str(fake_python(tmp_path, "3.10")))
    sentence = one_sentence(result)
    assert f"{tmp_path}/python3.10 is Python 3.10, but the course needs Python 3.11 to 3.13" in sentence
    assert "`sudo apt-get install python3.11 python3.11-venv`" in sentence and "Ubuntu 22.04" in sentence
    assert sentence.endswith("then `PYTHON=python3.11 ./course.sh lab`.")
    assert not (tmp_path / "venv").exists() and not (tmp_path / "venv-requests").exists()


def test_a_newer_python_is_refused_and_the_message_repeats_the_command(tmp_path):
    result = course(tmp_path, "test", "--colab", "-k", "data", PYTHON=str(fake_python(tmp_path, "3.14")))
    sentence = one_sentence(result)
    assert "is Python 3.14, but the course needs Python 3.11 to 3.13" in sentence
    assert "`pyenv install 3.13`" in sentence and sentence.endswith("./course.sh test --colab -k data`.")
    assert not (tmp_path / "venv").exists()


def test_a_python_that_does_not_run_is_named(tmp_path):
    sentence = one_sentence(course(tmp_path, "lab", PYTHON="no-such-python3"))
    assert sentence.startswith("course: PYTHON=no-such-python3 does not run here; set PYTHON to a Python 3.11 to 3.13")
    assert not (tmp_path / "venv").exists()


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_a_supported_python_goes_on_to_make_the_venv(tmp_path, version):
    result = course(tmp_path, "lab", PYTHON=str(fake_python(tmp_path, version)))
    assert result.returncode == 3, result.stderr  # the stand-in refused to make the venv: the check let it through
    assert (tmp_path / "venv-requests").read_text() == f"-m venv {tmp_path}/venv\n"
    assert f"creating {tmp_path}/venv (Python {version})" in result.stdout


def test_a_real_python_310_is_refused(tmp_path):
    pyenv = shutil.which("pyenv")
    prefix = pyenv and subprocess.run([pyenv, "prefix", "3.10"], capture_output=True, text=True).stdout.strip()
    if not prefix or not Path(prefix, "bin", "python3").is_file():
        pytest.skip("no Python 3.10 from pyenv here (the stand-in tests above cover the check)")
    sentence = one_sentence(course(tmp_path, "lab", PYTHON=f"{prefix}/bin/python3"))
    assert "is Python 3.10, but the course needs Python 3.11 to 3.13" in sentence
    assert not (tmp_path / "venv").exists()


def test_an_existing_venv_of_an_unsupported_python_is_named_with_how_to_remake_it(tmp_path):
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    fake_python(tmp_path, "3.10").rename(tmp_path / "venv" / "bin" / "python")
    sentence = one_sentence(course(tmp_path, "lab"))
    assert f"{tmp_path}/venv holds Python 3.10, but the course needs Python 3.11 to 3.13" in sentence
    assert f"`rm -r {tmp_path}/venv`" in sentence


def test_an_existing_venv_of_another_python_than_the_one_asked_for_is_named(tmp_path):
    (tmp_path / "venv" / "bin").mkdir(parents=True)
    fake_python(tmp_path, "3.11").rename(tmp_path / "venv" / "bin" / "python")
    sentence = one_sentence(course(tmp_path, "lab", PYTHON=str(fake_python(tmp_path, "3.13"))))
    assert f"{tmp_path}/venv holds Python 3.11 but PYTHON={tmp_path}/python3.13 is Python 3.13" in sentence
    assert "set COURSE_VENV to another folder" in sentence


def test_an_unknown_command_is_named_in_one_sentence(tmp_path):
    sentence = one_sentence(course(tmp_path, "tests"))
    assert sentence == ("course: unknown command 'tests'; use lab, test, test --colab or run-notebooks "
                        "(./course.sh help says what each does).")
    help_text = course(tmp_path, "help")
    assert help_text.returncode == 0 and "./course.sh lab" in help_text.stdout
    assert "Python 3.11 to 3.13" in help_text.stdout


def ci_python_for(tmp_path, version: str, **env) -> subprocess.CompletedProcess:
    """.ci/run's python_for on its own: how CI finds each supported Python."""
    script = (ROOT / ".ci" / "run").read_text()
    function = script[script.index("python_for() {"):script.index("\n}\n", script.index("python_for() {")) + 3]
    return subprocess.run(["bash", "-c", f"set -euo pipefail\n{function}\npython_for {version}"], capture_output=True,
                          text=True, timeout=60, env={"PATH": f"{tmp_path}/bin:/usr/bin:/bin", **env})


def answering_python(folder: Path, name: str, answer: str) -> Path:
    """A script called ``name`` that answers python_for's question with ``answer`` and its own path."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f'#!/bin/sh\necho "{answer} $0"\n' if answer else "#!/bin/sh\nexit 127\n")
    path.chmod(0o755)
    return path


def test_ci_takes_the_python_its_variable_names_and_refuses_a_wrong_one(tmp_path):
    right = answering_python(tmp_path / "elsewhere", "py", "3.12")
    found = ci_python_for(tmp_path, "3.12", COURSE_PYTHON_3_12=str(right))
    assert found.returncode == 0 and found.stdout.strip() == str(right)
    wrong = answering_python(tmp_path / "elsewhere", "py311", "3.11")
    refused = ci_python_for(tmp_path, "3.12", COURSE_PYTHON_3_12=str(wrong))
    assert refused.returncode == 1 and refused.stderr.strip() == (
        f"ci: COURSE_PYTHON_3_12={wrong} is not a Python 3.12 that runs here; unset it or point it at one.")


def test_ci_finds_a_python_on_path_and_names_one_it_cannot_find(tmp_path):
    on_path = answering_python(tmp_path / "bin", "python3.12", "3.12")
    found = ci_python_for(tmp_path, "3.12")
    assert found.returncode == 0 and found.stdout.strip() == str(on_path)
    answering_python(tmp_path / "bin", "python3.12", "")  # like a pyenv shim of a version not selected
    missing = ci_python_for(tmp_path, "3.12")
    assert missing.returncode == 1 and missing.stderr.strip() == (
        "ci: no Python 3.12 found; set COURSE_PYTHON_3_12 to one, put python3.12 on PATH (actions/setup-python) "
        "or install it with pyenv (pyenv install 3.12).")


def test_ci_runs_every_supported_python_and_the_hub_test():
    script = (ROOT / ".ci" / "run").read_text()
    for version in ("3.11", "3.12", "3.13"):
        assert f"PYTHON_{version.replace('.', '_')}=$(python_for {version})" in script
    assert 'PYTHON="$PYTHON_3_11" COURSE_VENV="$VENV" ./course.sh test\n' in script
    assert 'PYTHON="$PYTHON_3_13" ./course.sh test --colab\n' in script
    assert 'COURSE_REQUIRE_HUB=1 \\\n    ./course.sh test tests/test_hub.py\n' in script
