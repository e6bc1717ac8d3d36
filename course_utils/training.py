"""The course's training recipe (schedule and compile), live progress, timing, and the range test.

Notebooks 08-11 train ``models.course_cnn`` with ``compile_course_recipe``: Adam on a
one-cycle (warm-up then cosine) learning-rate schedule at batch 128. On a 2-core CPU it
reaches the seed notes' accuracy several times faster than the seeds' recipe;
``scripts/benchmark_training.py`` races the two and prints by how much. The networks
are in ``models``; notebook 09's experiments (rounds, the lab's runs) in ``tuning``.

``progress()`` gives the callbacks every training cell uses: a live tqdm bar
(epochs and batches, elapsed and remaining time) and one compact line per epoch
in the cell's stored output.
"""

from __future__ import annotations

import math
import time

from . import validate
from .language import N_, tr
from .models import seed_cnn  # the yardstick's network

#: What the course recipe uses unless a notebook says otherwise (09 explains each).
BATCH_SIZE = 128
PEAK_LEARNING_RATE = 8e-3
#: The seed notes' learning rate: Adam's default, constant.
SEEDS_LEARNING_RATE = 1e-3
_WARMUP_FRACTION = 0.25

#: The yardstick: one epoch of the seed notes' CNN (Adam, batch 32) on 54,000 images.
_YARDSTICK_IMAGES = 54_000
_YARDSTICK_BATCH_SIZE = 32


def seeds_cifar10_schedule():
    """The seeds' ``lr=0.0001, decay=1e-6`` in today's Keras: Keras 2's ``decay`` divided the rate by
    ``1 + decay * step``, which is ``InverseTimeDecay`` with ``decay_steps=1``."""
    import keras

    return keras.optimizers.schedules.InverseTimeDecay(initial_learning_rate=1e-4, decay_steps=1, decay_rate=1e-6)


def seeds_cifar10_optimizer():
    """The seeds' ``Adam(lr=0.0001, decay=1e-6)`` written for Keras 3."""
    import keras

    return keras.optimizers.Adam(learning_rate=seeds_cifar10_schedule())


def final_recipe_record() -> dict:
    """Notebook 09's final recipe measured over several seeds (``scripts/final_recipe_trials.py --record``):
    test accuracy per seed, their mean and sample standard deviation, the machine and the command."""
    import json
    from pathlib import Path

    return json.loads((Path(__file__).resolve().parent / "assets" / "final_recipe_runs.json").read_text())


def compile_seed_recipe(model):
    """The seeds' optimiser: Adam with a fixed learning rate of 1e-3 (they train at batch 32)."""
    import keras

    model.compile(optimizer=keras.optimizers.Adam(SEEDS_LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def one_cycle(peak_learning_rate: float, total_steps: int, warmup_fraction: float = _WARMUP_FRACTION):
    """Linear warm-up from peak/10 to the peak, then cosine decay to zero: Keras's own CosineDecay."""
    import keras

    total_steps = validate.whole("one_cycle", "total_steps", total_steps, low=2)
    warmup_fraction = validate.number("one_cycle", "warmup_fraction", warmup_fraction, low=0, high=1, high_open=True)
    peak_learning_rate = validate.number("one_cycle", "peak_learning_rate", peak_learning_rate, low=0, low_open=True)
    warmup = int(round(total_steps * warmup_fraction))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak_learning_rate / 10,
        decay_steps=int(total_steps) - warmup,
        warmup_target=peak_learning_rate,
        warmup_steps=warmup,
    )


def steps_per_epoch(n_images: int, batch_size: int = BATCH_SIZE) -> int:
    n_images = validate.whole("steps_per_epoch", "n_images", n_images, low=1)
    return math.ceil(n_images / validate.whole("steps_per_epoch", "batch_size", batch_size, low=1))


def compile_course_recipe(model, n_images: int, epochs: int, batch_size: int = BATCH_SIZE,
                          peak_learning_rate: float = PEAK_LEARNING_RATE):
    """Adam on a one-cycle schedule that ends exactly after ``epochs`` epochs of ``n_images`` images."""
    import keras

    epochs = validate.whole("compile_course_recipe", "epochs", epochs, low=1)
    schedule = one_cycle(peak_learning_rate, steps_per_epoch(n_images, batch_size) * epochs)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


# ------------------------------------------------------------------ progress


def build_for_fit(model, x, y):
    """Create the optimizer's and the compiled metrics' variables now, from the first image and label of ``x``
    and ``y``, so that the first ``fit()`` traces its training step once instead of twice; returns the model.

    Keras's TensorFlow backend otherwise creates them inside that first trace, and TensorFlow traces a function
    that created variables a second time (``scripts/fit_phases.py`` measures the cost). Nothing trains: the
    model runs on the one image in inference mode, and the metrics are reset afterwards.
    """
    if getattr(model, "optimizer", None) is None:
        raise ValueError("build_for_fit: model is not compiled; call model.compile(optimizer=..., loss=..., "
                         "metrics=...) first.")
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(f"build_for_fit: x and y must hold the same number (at least one) of examples, got "
                         f"{len(x)} and {len(y)}.")
    model.optimizer.build(model.trainable_variables)
    model.compute_metrics(x[:1], y[:1], model(x[:1], training=False), sample_weight=None)
    model.reset_metrics()
    return model


class FreshStarts:
    """One compiled model that gives each seed the start a newly built model would have.

    TensorFlow keeps every traced training step in memory until the kernel ends (tens of MB for a deep network),
    and tracing one takes seconds. A cell that trains the same network over several seeds builds and compiles it
    once here; ``fresh(seed)`` then sets its weights (batch norm's statistics and dropout's random state too) to
    what ``build()`` makes after ``keras.utils.set_random_seed(seed)``, and its optimizer back to its state before
    the first step. Training it gives the same numbers as building and compiling a new model under that seed.
    With ``example=(x, y)``, the training data, its variables are created by ``build_for_fit`` too.
    """

    def __init__(self, build, compile_model, example=None):
        if not callable(build) or not callable(compile_model) or hasattr(build, "layers"):
            raise TypeError("FreshStarts: build and compile_model must be functions: build() returns a new Keras "
                            "model, compile_model(model) compiles it.")
        self._build = build
        self.model = build()
        compile_model(self.model)
        if getattr(self.model, "optimizer", None) is None:
            raise ValueError("FreshStarts: compile_model(model) left the model uncompiled; it must call "
                             "model.compile(...).")
        self.model.optimizer.build(self.model.trainable_variables)
        if example is not None:
            if not isinstance(example, tuple) or len(example) != 2:
                raise TypeError(f"FreshStarts: example must be a pair (x, y) of training data, got "
                                f"{type(example).__name__}.")
            build_for_fit(self.model, *example)
        self._optimizer_start = [variable.numpy() for variable in self.model.optimizer.variables]

    def fresh(self, seed: int):
        """The compiled model, reset to the start that ``seed`` gives a newly built one."""
        import keras

        seed = validate.whole("FreshStarts.fresh", "seed", seed, low=0)
        keras.utils.set_random_seed(seed)
        # variables, not only weights: dropout's random state lives in a seed generator's variable
        for variable, value in zip(self.model.variables, self._build().variables, strict=True):
            variable.assign(value)
        for variable, value in zip(self.model.optimizer.variables, self._optimizer_start, strict=True):
            variable.assign(value)
        return self.model


#: Keras's names for what ``fit`` reports, as the progress lines and the learning curves say them
METRIC_NAMES = {"loss": N_("loss"), "accuracy": N_("accuracy"), "val_loss": N_("val loss"),
                "val_accuracy": N_("val accuracy")}


def metric_name(key: str) -> str:
    """A metric's name as a student reads it (in the course's language); an unknown one as Keras spells it."""
    return tr(METRIC_NAMES[key]) if key in METRIC_NAMES else key.replace("_", " ")


def _format_logs(logs: dict) -> str:
    parts = []
    for key, value in logs.items():
        if key == "learning_rate":
            parts.append(f"lr {float(value):.2g}")
        else:
            parts.append(f"{metric_name(key)} {float(value):.4f}")
    return ", ".join(parts)


def _epoch_lines():
    """A Keras callback that prints one compact line per epoch (what the stored output keeps)."""
    import keras  # here, so that importing this module needs no Keras

    class EpochLines(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self._start = self._epoch_start = time.perf_counter()

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch_start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            now = time.perf_counter()
            total = self.params.get("epochs", "?")
            print(tr("epoch {epoch}/{total} {seconds:5.1f} s (total {total_seconds:5.0f} s): {logs}",
                     epoch=epoch + 1, total=total, seconds=now - self._epoch_start, total_seconds=now - self._start,
                     logs=_format_logs(logs or {})), flush=True)

    return EpochLines()


def _close_widgets(widget) -> None:
    for part in (*getattr(widget, "children", ()), getattr(widget, "layout", None), getattr(widget, "style", None)):
        if part is not None:
            _close_widgets(part)
    widget.close()


def _in_notebook() -> bool:
    from tqdm.auto import tqdm as auto_tqdm
    from tqdm.notebook import tqdm_notebook

    return issubclass(auto_tqdm, tqdm_notebook)  # tqdm.auto picks the widget bar inside Jupyter


def _show_until_done(*bars):
    """Display notebook bars in one output; the returned function swaps them for their final text."""
    import ipywidgets
    from IPython.display import display

    box = ipywidgets.VBox([bar.container for bar in bars])
    handle = display(box, display_id=True)

    def finish() -> None:
        handle.update({"text/plain": str(bars[0])}, raw=True)
        _close_widgets(box)  # nothing shows them any more: keep them out of the saved notebook

    return finish


def _live_bar():
    """tqdm's Keras callback (epoch and batch bars with elapsed and remaining time).

    In a notebook the two bars are shown in one output that is replaced by the epoch bar's final
    text when training ends, so a saved notebook keeps one line, not the widgets' state.
    """
    from tqdm.keras import TqdmCallback

    in_notebook = _in_notebook()

    class LiveBar(TqdmCallback):
        def __init__(self):
            super().__init__(verbose=1, mininterval=0.5, **({"display": False} if in_notebook else {}))
            self._finish = _show_until_done(self.epoch_bar, self.batch_bar) if in_notebook else None

        def on_train_end(self, *args, **kwargs):
            super().on_train_end(*args, **kwargs)
            if self._finish is not None:
                self._finish()

    return LiveBar()


def progress_over(items, desc: str = ""):
    """Loop over ``items`` with a live tqdm bar (for loops that train many models).

    In a notebook the bar is replaced by its final line when the loop ends, as ``_live_bar`` does.
    """
    from tqdm.auto import tqdm as auto_tqdm

    items = list(items)
    if not _in_notebook():
        yield from auto_tqdm(items, desc=desc)
        return
    bar = auto_tqdm(items, desc=desc, display=False)
    finish = _show_until_done(bar)
    try:
        yield from bar
    finally:
        bar.close()
        finish()


def trial_progress(n_trials: int, monitor: str = "val_accuracy"):
    """A Keras callback for keras-tuner's ``search``: a live bar over trials and one line per finished trial.

    keras-tuner deep-copies the callbacks for every trial; this one returns itself from the copy, so one
    bar counts all the trials.
    """
    import keras
    from tqdm.auto import tqdm as auto_tqdm

    n_trials = validate.whole("trial_progress", "n_trials", n_trials, low=1)

    class TrialProgress(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.done, self.bar, self._finish = 0, None, None

        def __deepcopy__(self, memo):
            return self

        def on_train_begin(self, logs=None):
            if self.bar is None:
                in_notebook = _in_notebook()
                self.bar = auto_tqdm(total=n_trials, desc=tr("trials"), **({"display": False} if in_notebook else {}))
                self._finish = _show_until_done(self.bar) if in_notebook else None
            self._start, self._best = time.perf_counter(), None

        def on_epoch_end(self, epoch, logs=None):
            value = (logs or {}).get(monitor)
            if value is not None:
                self._best = float(value) if self._best is None else max(self._best, float(value))

        def on_train_end(self, logs=None):
            self.done += 1
            best = "?" if self._best is None else f"{self._best:.4f}"
            print(tr("trial {done}/{n_trials}: best {monitor} {best} ({seconds:.0f} s)",
                     done=self.done, n_trials=n_trials, monitor=metric_name(monitor), best=best,
                     seconds=time.perf_counter() - self._start), flush=True)
            self.bar.update(1)
            if self.done >= n_trials:
                self.bar.close()
                if self._finish is not None:
                    self._finish()

    return TrialProgress()


def progress(live: bool = True, lines: bool = True) -> list:
    """Callbacks for ``fit``: a live tqdm bar (epochs and batches, elapsed, remaining) and one line per epoch.

    Use with ``verbose=0`` so Keras's own bar does not print thousands of lines into the notebook.
    ``lines=False`` keeps only the live bar (for loops that train many models).
    """
    callbacks = [_epoch_lines()] if lines else []
    if live:
        callbacks.insert(0, _live_bar())
    return callbacks


# ------------------------------------------------------------------ yardstick


def time_yardstick(x_train, y_train, seed: int = 0) -> float:
    """Seconds for one epoch of the seed notes' CNN (Adam, batch 32) on 54,000 images.

    The course states every time also in these units, so a table made on a busy or a
    quiet machine reads the same. The first batches (graph tracing) are not counted.
    """
    import keras

    if len(x_train) < _YARDSTICK_IMAGES:
        raise ValueError(f"time_yardstick: needs {_YARDSTICK_IMAGES:,} training images, got {len(x_train):,}.")
    keras.utils.set_random_seed(seed)
    model = compile_seed_recipe(seed_cnn())
    warm = _YARDSTICK_BATCH_SIZE * 10
    model.fit(x_train[:warm], y_train[:warm], batch_size=_YARDSTICK_BATCH_SIZE, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x_train[:_YARDSTICK_IMAGES], y_train[:_YARDSTICK_IMAGES], batch_size=_YARDSTICK_BATCH_SIZE, epochs=1,
              verbose=0)
    return time.perf_counter() - start



# ------------------------------------------------------------------ learning-rate range test


def lr_range_test(model, x, y, start: float = 1e-5, stop: float = 1.0, steps: int = 200, batch_size: int = 64,
                  seed: int = 0) -> dict:
    """One short run in which the learning rate grows exponentially from ``start`` to ``stop``.

    ``model`` must be compiled (its optimizer's rate is overwritten at every step). Returns
    ``{"rates", "losses", "smoothed", "suggested"}``: the loss of every batch, a smoothed copy, and a
    suggested rate, a tenth of the rate where the smoothed loss is lowest (the usual rule: the loss still
    falls fast there, well before it blows up). The run stops early once the loss explodes (four times
    its lowest smoothed value). Train a fresh model afterwards: this one has been through rates that break it.
    """
    import numpy as np

    start = validate.number("lr_range_test", "start", start, low=0, low_open=True)
    stop = validate.number("lr_range_test", "stop", stop, low=0, low_open=True)
    if stop <= start:
        raise ValueError(f"lr_range_test: stop must be larger than start, got start={start:g}, stop={stop:g}.")
    steps = validate.whole("lr_range_test", "steps", steps, low=10)
    batch_size = validate.whole("lr_range_test", "batch_size", batch_size, low=1)
    if getattr(model, "optimizer", None) is None:
        raise ValueError("lr_range_test: compile the model first (model.compile(optimizer=..., loss=...)).")
    x, y = np.asarray(x), np.asarray(y)
    order = np.random.default_rng(seed).permutation(len(x))
    rates = start * (stop / start) ** (np.arange(steps) / (steps - 1))
    losses, smoothed, average = [], [], 0.0
    for step, rate in enumerate(rates):
        batch = order[(step * batch_size) % len(x):][:batch_size]
        if len(batch) < batch_size:  # wrapped around: start the order again
            batch = order[:batch_size]
        model.optimizer.learning_rate = float(rate)
        # Keras 3.13 (Colab's) and older report the mean loss since the last reset, not this batch's
        model.reset_metrics()
        result = model.train_on_batch(x[batch], y[batch], return_dict=True)
        loss = float(result["loss"])
        average = 0.9 * average + 0.1 * loss
        losses.append(loss)
        smoothed.append(average / (1 - 0.9 ** (step + 1)))  # bias-corrected, as in Adam
        if not np.isfinite(loss) or smoothed[-1] > 4 * min(smoothed):
            break
    rates = rates[:len(losses)]
    best = int(np.argmin(smoothed))
    return {"rates": rates, "losses": np.array(losses), "smoothed": np.array(smoothed),
            "suggested": float(rates[best] / 10)}
