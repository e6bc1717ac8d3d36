import pytest

from course_utils import config


def test_pick_follows_the_profile(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "quick")
    assert config.pick(quick=2, full=20) == 2
    monkeypatch.setenv("COURSE_PROFILE", "full")
    assert config.pick(quick=2, full=20) == 20
    monkeypatch.delenv("COURSE_PROFILE")
    assert config.profile() == "full"  # students get the full course by default


def test_bad_profile_says_what_is_allowed(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "fast")
    with pytest.raises(ValueError, match="quick, full"):
        config.profile()


def test_folders_stay_inside_the_project(tmp_path, monkeypatch):
    root = config.project_root()
    assert root is not None and (root / "course_utils").is_dir()
    assert config.cache_dir() == root / ".cache"
    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path))
    assert config.runs_dir("x") == tmp_path / "x" and (tmp_path / "x").is_dir()


def test_colab_links_come_from_the_one_repo_setting():
    assert config.colab_url("01_perceptron_xor.ipynb") == (
        f"https://colab.research.google.com/github/{config.REPO}/blob/main/notebooks/01_perceptron_xor.ipynb"
    )
    assert config.pip_install_target() == f"git+https://github.com/{config.REPO}.git@main"


def _raise_and_catch(call):
    import sys

    try:
        call()
    except Exception:  # noqa: BLE001 - the test inspects what was raised
        return sys.exc_info()
    raise AssertionError("nothing raised")


class _Shell:
    def __init__(self):
        self.tracebacks = []

    def showtraceback(self, exc_tuple, tb_offset=None):
        self.tracebacks.append(exc_tuple[0])


def test_course_errors_show_as_one_sentence_others_keep_their_traceback(capsys):
    from course_utils import reference

    shell = _Shell()
    config.short_error_handler(shell, *_raise_and_catch(lambda: reference.SGD(learning_rate=-1)))
    assert capsys.readouterr().err.strip() == "ValueError: SGD: learning_rate must be a number > 0, got -1.0."
    assert shell.tracebacks == []
    config.short_error_handler(shell, *_raise_and_catch(lambda: int("x")))   # not ours: full traceback
    assert shell.tracebacks == [ValueError] and capsys.readouterr().err == ""
