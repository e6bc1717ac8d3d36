import os

import pytest

from course_utils import config, mirror


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


RELEASE_SCRIPT = """
import gc, sys
import numpy as np
import keras
from course_utils import config, models

def resident_mib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

x = np.random.default_rng(0).integers(0, 256, (512, 28, 28, 1), dtype=np.uint8)
y = np.random.default_rng(1).integers(0, 10, 512)

def train_one():
    model = models.small_cnn(batch_norm=True)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=128, verbose=0)
    return model

kept = train_one()
growth = {}
for release in (False, True):
    start = resident_mib()
    for _ in range(6):
        train_one()
        if release:
            assert config.release_traced_steps() > 0
            gc.collect()
    growth[release] = resident_mib() - start
    if not release:  # what the first six left behind is released too: the next six reuse it
        config.release_traced_steps()
        gc.collect()
kept.fit(x, y, epochs=1, batch_size=100, verbose=0)  # still trains, a new batch size (a new trace) included
print(growth[False], growth[True])
"""


def test_release_traced_steps_stops_the_growth_of_a_kernel_that_trains_many_models():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", RELEASE_SCRIPT], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert out.returncode == 0, out.stderr[-2000:]
    kept, released = map(float, out.stdout.split()[-2:])
    assert kept > 40 and released < kept / 3, (kept, released)   # MiB over six models


def test_setup_releases_traced_steps_after_every_cell_once():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        config._release_traced_steps_after_each_cell()
        config._release_traced_steps_after_each_cell()  # running the setup cell again adds nothing
        callbacks = shell.events.callbacks["post_run_cell"]
        assert callbacks.count(config._release_after_each_cell) == 1
    finally:
        InteractiveShell.clear_instance()


def _array_pipeline_autotunes() -> bool:
    import numpy as np
    from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

    x, y = np.zeros((10, 4, 4, 1), np.uint8), np.zeros(10)
    enabled = ArrayDataAdapter(x, y, batch_size=5, shuffle=True).get_tf_dataset().options().autotune.enabled
    return enabled is not False  # None: tf.data's default, which is on


def test_input_autotuning_switches_the_pipelines_keras_builds_over_arrays():
    previous = config.input_autotuning(False)
    try:
        assert _array_pipeline_autotunes() is False
        assert config.input_autotuning(True) is False and _array_pipeline_autotunes() is True
        config.input_autotuning(False)
        assert _array_pipeline_autotunes() is False  # wrapped once: switching again still works
    finally:
        config.input_autotuning(previous)
    with pytest.raises(TypeError, match=r"input_autotuning: enabled must be True or False, got 'no'\."):
        config.input_autotuning("no")


def test_without_input_autotuning_training_gives_the_same_weights():
    import keras
    import numpy as np

    from course_utils import models

    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 256, (600, 28, 28, 1), dtype=np.uint8), rng.integers(0, 10, 600)
    weights = {}
    previous = config.input_autotuning(True)
    try:
        for enabled in (True, False):
            config.input_autotuning(enabled)
            keras.utils.set_random_seed(3)
            model = models.small_cnn()
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            model.fit(x, y, epochs=2, batch_size=64, verbose=0)
            weights[enabled] = model.get_weights() + [model.predict(x[:50], verbose=0)]
    finally:
        config.input_autotuning(previous)
    assert all(np.array_equal(a, b) for a, b in zip(weights[True], weights[False]))


def test_setup_turns_input_autotuning_off(monkeypatch):
    # setup() in this process must not switch on the tests' download mirror for the tests that follow it here
    monkeypatch.delenv(mirror.VARIABLE, raising=False)
    previous = config.input_autotuning(True)
    try:
        config.setup(verbose=False)
        assert _array_pipeline_autotunes() is False
    finally:
        config.input_autotuning(previous)
