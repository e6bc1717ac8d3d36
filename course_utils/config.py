"""Course-wide settings: the profile, the repository, folders, and the setup call.

Everything here is plain Python so it can be imported (and tested) without
TensorFlow. Keras and TensorFlow are imported inside ``setup()`` only.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

from .language import N_

#: The one place the course's GitHub repository is named. The Colab badges and
#: install lines in every notebook, the README and pyproject.toml are checked
#: against it by ``tests/test_repository_links.py``.
REPO = "deep-learning-hands-on/deep-learning-hands-on"
_BRANCH = "main"

#: What every notebook's setup cell says when Colab could not install this package. The cell says it itself
#: (course_utils is missing then), so the Korean build writes this sentence's translation into the Korean cell.
INSTALL_FAILED = N_("Installing course_utils failed (pip says why above): check the network, and that the "
                    "repository named on the %pip line exists and is public; then run this cell again.")

_PROFILE_VARIABLE = "COURSE_PROFILE"
_PROFILES = ("quick", "full")
_DEFAULT_PROFILE = "full"
SEED = 42


def profile() -> str:
    """Return the active profile: ``"quick"`` (tests, CI) or ``"full"`` (students)."""
    value = os.environ.get(_PROFILE_VARIABLE, _DEFAULT_PROFILE).strip().lower()
    if value not in _PROFILES:
        raise ValueError(
            f"{_PROFILE_VARIABLE}={value!r} is not a profile; use one of {', '.join(_PROFILES)} "
            f"(unset means {_DEFAULT_PROFILE!r})."
        )
    return value


def pick(*, quick, full):
    """Choose a value by profile: ``epochs = pick(quick=2, full=20)``.

    The quick profile only shrinks data sizes and epochs; the code path that
    uses the value is the same in both profiles.
    """
    return quick if profile() == "quick" else full


def project_root() -> Path | None:
    """The checkout this package runs from, or None when installed elsewhere (Colab)."""
    candidate = Path(__file__).resolve().parent.parent
    if (candidate / "pyproject.toml").is_file() and (candidate / "notebooks").is_dir():
        return candidate
    return None


def cache_dir() -> Path:
    """Folder for downloads and derived data; ignored by git.

    ``COURSE_CACHE_DIR`` overrides it. In a checkout it is ``<repo>/.cache``;
    elsewhere (Colab, a pip install) ``~/.cache/deep-learning-hands-on``.
    """
    override = os.environ.get("COURSE_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    root = project_root()
    if root is not None:
        return root / ".cache"
    return Path.home() / ".cache" / "deep-learning-hands-on"


def runs_dir(name: str = "") -> Path:
    """Folder for training artefacts (checkpoints, logs); ignored by git. Created on use.

    ``name`` is a folder inside it, such as ``"06_mlp_keras"``; absolute paths and ``..``
    are refused, so nothing is written outside the project's run folder.
    """
    from . import validate

    root = project_root()
    base = Path(os.environ.get("COURSE_RUNS_DIR", "")) if os.environ.get("COURSE_RUNS_DIR") else None
    if base is None:
        base = (root / "runs") if root is not None else cache_dir() / "runs"
    folder = validate.inside("runs_dir", "name", name, base) if name else base
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def colab_url(notebook_name: str, edition: str = "en") -> str:
    """The "Open in Colab" address of a notebook in this repository (``edition="ko"``: the Korean notebook)."""
    if not isinstance(notebook_name, str) or not notebook_name.endswith(".ipynb") or "/" in notebook_name:
        raise ValueError(f"colab_url: notebook_name must be a notebook file name such as '01_perceptron_xor.ipynb', "
                         f"got {notebook_name!r}.")
    if edition not in ("en", "ko"):
        raise ValueError(f"colab_url: edition must be 'en' or 'ko', got {edition!r}.")
    folder = "notebooks" if edition == "en" else f"notebooks/{edition}"
    return f"https://colab.research.google.com/github/{REPO}/blob/{_BRANCH}/{folder}/{notebook_name}"


def pip_install_target() -> str:
    """What Colab's setup cell installs: this package straight from the repository."""
    return f"git+https://github.com/{REPO}.git@{_BRANCH}"


def _in_colab() -> bool:
    return "google.colab" in sys.modules


_IMAGE_MODE_VARIABLE = "COURSE_WIDGET_IMAGES"
IMAGE_MODES = ("image", "html")


def widget_image_mode() -> str:
    """How widgets send their pictures: ``"image"`` (an ``ipywidgets.Image``, binary messages) or ``"html"``.

    Colab's widget frontend has long failed to show ``Image`` widgets (their binary messages), so on Colab the
    pictures go as base64 PNGs inside an ``HTML`` widget, which every frontend shows. ``COURSE_WIDGET_IMAGES``
    overrides the choice.
    """
    value = os.environ.get(_IMAGE_MODE_VARIABLE, "").strip().lower()
    if not value:
        return "html" if _in_colab() else "image"
    if value not in IMAGE_MODES:
        raise ValueError(f"{_IMAGE_MODE_VARIABLE} must be one of {', '.join(IMAGE_MODES)}; got {value!r}.")
    return value


def quiet_tensorflow_import() -> None:
    """Import TensorFlow and Keras with their C++ start-up messages silenced.

    A CPU-only machine otherwise prints several lines ("Could not find cuda
    drivers", "cuInit failed", ...) that are noise to a student. They are
    written straight to file descriptor 2, so redirecting ``sys.stderr`` is not
    enough. Python-level errors still raise as usual.
    """
    if "tensorflow" in sys.modules:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import keras  # noqa: F401
            import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_PACKAGE_DIR = str(Path(__file__).resolve().parent)


def _raised_by_course_utils(tb) -> bool:
    """Did the innermost frame of this traceback run course_utils code (one of its own raise statements)?"""
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and str(Path(tb.tb_frame.f_code.co_filename).resolve()).startswith(_PACKAGE_DIR)


def short_error_handler(shell, etype, value, tb, tb_offset=None):
    """IPython custom-exception handler: a course_utils argument error is shown as one sentence.

    The message already names the function, the argument and what is allowed; the traceback would only
    hide it. Errors raised anywhere else keep IPython's usual traceback.
    """
    if _raised_by_course_utils(tb):
        print(f"{etype.__name__}: {value}", file=sys.stderr)
        return None
    return shell.showtraceback((etype, value, tb), tb_offset=tb_offset)


def _shell():
    """The running IPython shell (a notebook's kernel), or None in plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _short_errors_in_notebooks() -> None:
    shell = _shell()
    if shell is not None:
        from .data import DataError

        shell.set_custom_exc((ValueError, TypeError, DataError), short_error_handler)


def release_traced_steps() -> int:
    """Drop the gradient functions TensorFlow registered while it traced training steps, so that the graphs of
    finished trainings can be freed; returns how many it dropped.

    Keras's optimizer sums the gradients through a function with a custom gradient, and TensorFlow registers that
    gradient, for every training step it traces, in a global table it never empties. Each entry holds its step's
    whole graph (10 to 100 MiB), so a kernel that trains many models grows until it stops, even after the models
    are deleted (tensorflow/tensorflow#80895). A step already traced never needs its entry again, and a new trace
    registers its own, so a model still in use goes on training. Call it between trainings, never inside one;
    ``setup()`` does, after every cell.
    """
    import sys

    if "tensorflow" not in sys.modules:
        return 0
    from tensorflow.python.framework import ops

    table = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    if not isinstance(table, dict):  # another TensorFlow: nothing known to release
        return 0
    names = [name for name in table if str(name).startswith("CustomGradient-")]
    for name in names:
        del table[name]
    return len(names)


def _release_after_each_cell(*_) -> None:
    import gc

    if release_traced_steps():
        gc.collect()  # the graphs hold reference cycles


def _release_traced_steps_after_each_cell() -> None:
    shell = _shell()
    if shell is not None and _release_after_each_cell not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _release_after_each_cell)


OVERLAP_WARNING = "figure text overlaps:"  # how the warning starts; the stored-notebook audit looks for it


def figure_bundle(fig, png) -> tuple[dict, dict]:
    """The output a shown figure becomes: the PNG with its description as ``alt`` metadata (nbconvert's and
    IPython's convention), an ``<img alt>`` for the frontends (JupyterLab, the classic Notebook and Colab render
    HTML before PNG, and read no metadata for alt text), and the description as the text form."""
    import base64
    import html

    from .figure_text import describe

    alt = describe(fig)
    encoded = png if isinstance(png, str) else base64.b64encode(png).decode("ascii")
    page = f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}"/>'
    return {"image/png": png, "text/html": page, "text/plain": alt}, {"image/png": {"alt": alt}}


def _shown_figure(fig, include=None, exclude=None):
    """IPython's mime-bundle formatter for Figures: the inline backend's own PNG, with ``figure_bundle``'s
    description; a line on stderr names any labels drawn over each other."""
    from .figure_text import text_overlaps

    shell = _shell()
    png = shell.display_formatter.formatters["image/png"](fig) if shell is not None else None
    if png is None:  # the inline backend is set to another format (SVG, retina): leave the figure to it
        return None
    if isinstance(png, tuple):
        png = png[0]
    for first, second in text_overlaps(fig):  # a line of its own, under the cell, for every pair
        print(f"{OVERLAP_WARNING} {first!r} and {second!r} are drawn over each other", file=sys.stderr)
    return figure_bundle(fig, png)


def _describe_shown_figures() -> None:
    shell = _shell()
    if shell is not None:
        from matplotlib.figure import Figure

        shell.display_formatter.mimebundle_formatter.for_type(Figure, _shown_figure)


_INPUT_AUTOTUNING = {"enabled": True}


def input_autotuning(enabled: bool) -> bool:
    """Turn tf.data's autotuning on or off for the pipelines Keras builds over NumPy arrays (``fit``,
    ``evaluate`` and ``predict`` on arrays); returns the setting it replaced. ``setup()`` turns it off.

    Autotuning runs a thread beside each pipeline that wakes up at growing intervals to tune
    buffer sizes, and destroying the pipeline waits for that thread's next wake-up. Keras destroys one at every
    epoch's end and at the end of every ``fit``, so a training of a few seconds often waits seconds more, idle.
    An in-memory array needs no tuning: the batches, their order and so the trained weights are the same either
    way. Pipelines a notebook builds itself with ``tf.data`` keep their own options.
    """
    if not isinstance(enabled, bool):
        raise TypeError(f"input_autotuning: enabled must be True or False, got {enabled!r}.")
    previous = _INPUT_AUTOTUNING["enabled"]
    _INPUT_AUTOTUNING["enabled"] = enabled
    if not enabled:
        _tune_array_pipelines()
    return previous


def _tune_array_pipelines() -> None:
    """Wrap Keras's array adapter once so that its tf.data pipelines follow ``input_autotuning``."""
    try:
        from keras.src.trainers.data_adapters import array_data_adapter
    except ImportError:  # another Keras: its pipelines keep their defaults
        return
    adapter = array_data_adapter.ArrayDataAdapter
    if getattr(adapter.get_tf_dataset, "follows_input_autotuning", False):
        return
    keras_get_tf_dataset = adapter.get_tf_dataset

    def get_tf_dataset(self):
        dataset = keras_get_tf_dataset(self)
        if _INPUT_AUTOTUNING["enabled"]:
            return dataset
        import tensorflow as tf

        options = tf.data.Options()
        options.autotune.enabled = False
        return dataset.with_options(options)

    get_tf_dataset.follows_input_autotuning = True
    adapter.get_tf_dataset = get_tf_dataset


def gpu_names() -> list[str]:
    """The GPUs TensorFlow can use (an empty list on a CPU-only machine)."""
    import tensorflow as tf

    return [device.name for device in tf.config.list_physical_devices("GPU")]


def _seed_everything(seed: int = SEED, deterministic: bool = False) -> None:
    """Seed Python, NumPy, TensorFlow and Keras; with ``deterministic=True`` also force deterministic ops.

    Seeding alone already makes a rerun on the same CPU give the same numbers
    (tests/test_training.py checks it), and op determinism costs 10-30 % of every
    training step there, so it is off by default. On a GPU some kernels are
    non-deterministic, so reruns can differ in the last digits; ``deterministic=True``
    fixes that at a cost, and TensorFlow then raises an error for the few ops that have
    no deterministic GPU version.
    """
    import keras
    import tensorflow as tf

    from . import validate

    seed = validate.whole("setup", "seed", seed, low=0, high=2**32 - 1)
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()


def setup(seed: int = SEED, deterministic: bool = False, verbose: bool = True, language: str | None = None) -> dict:
    """The one call every notebook's setup cell makes.

    Seeds everything, selects a non-interactive-safe plotting style, shows
    course_utils' argument errors as one sentence instead of a traceback, gives every shown figure a
    description written from its data (``figure_text.describe``) and warns of overlapping labels, lets
    TensorFlow free finished trainings' graphs after every cell (``release_traced_steps``), spares ``fit`` on
    arrays the idle wait of tf.data's autotuning (``input_autotuning``), chooses the language of everything
    course_utils shows (``language``: "en" or "ko"; None reads ``COURSE_LANG``, else English; the Korean
    notebooks pass "ko"), and prints the versions, the active profile and whether a GPU is used. Returns
    the printed facts as a dict.
    """
    from . import validate
    from .language import set_language, tr

    active = profile()  # fail early on a bad COURSE_PROFILE
    chosen = set_language(language)
    seed = validate.whole("setup", "seed", seed, low=0, high=2**32 - 1)
    quiet_tensorflow_import()
    import keras
    import matplotlib
    import numpy as np
    import tensorflow as tf

    _seed_everything(seed, deterministic)
    _plot_defaults()
    _short_errors_in_notebooks()
    _release_traced_steps_after_each_cell()
    _describe_shown_figures()
    input_autotuning(False)
    from . import mirror

    mirror_url = mirror.activate()
    gpus = gpu_names()
    facts = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
        "profile": active,
        "seed": seed,
        "gpus": gpus,
        "language": chosen,
    }
    if verbose:
        versions = ", ".join(f"{k} {facts[k]}" for k in ("python", "tensorflow", "keras", "numpy"))
        print(tr("Versions: {versions}", versions=versions))
        where = "Colab" if _in_colab() else tr("local")
        print(tr("Profile: {active} ({where}; set {variable}=quick|full to change). Seed: {seed}.",
                 active=active, where=where, variable=_PROFILE_VARIABLE, seed=seed))
        if gpus:
            print(tr("Device: GPU ({gpus} found); training uses it.", gpus=len(gpus)))
        else:
            hint = tr(" (Runtime > Change runtime type > GPU makes training faster)") if _in_colab() else ""
            print(tr("Device: CPU only, {cores} cores{hint}.", cores=os.cpu_count(), hint=hint))
        if mirror_url:
            print(tr("TEST MIRROR: downloads come from {mirror_url}, small generated stand-ins of the real "
                     "files (the course's tests set COURSE_TEST_MIRROR).",
                     mirror_url=mirror_url))
    return facts


def _plot_defaults() -> None:
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "figure.dpi": 80,
            "savefig.dpi": 80,
            "figure.figsize": (6, 4),
            "axes.grid": False,
            "image.cmap": "gray",
        }
    )
