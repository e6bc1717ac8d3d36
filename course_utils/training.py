"""The course's training recipe, live progress, and the timing yardstick.

Notebooks 08-11 train with ``course_cnn`` + ``compile_course_recipe``: a CNN that
pools before batch norm, with 16/32 channels, trained with Adam on a one-cycle
(warm-up then cosine) learning-rate schedule at batch 128. On a 2-core CPU it
reaches the seed notes' accuracy several times faster than the seeds' recipe;
``scripts/benchmark_training.py`` races the two and prints by how much.

``progress()`` gives the callbacks every training cell uses: a live tqdm bar
(epochs and batches, elapsed and remaining time) and one compact line per epoch
in the cell's stored output.
"""

from __future__ import annotations

import math
import time

from . import validate as check

#: What the course recipe uses unless a notebook says otherwise (09 explains each).
BATCH_SIZE = 128
PEAK_LEARNING_RATE = 8e-3
WARMUP_FRACTION = 0.25
WIDTHS = (16, 32)
DENSE_UNITS = 64
BN_MOMENTUM = 0.9

#: The yardstick: one epoch of the seed notes' CNN (Adam, batch 32) on 54,000 images.
YARDSTICK_IMAGES = 54_000
YARDSTICK_BATCH_SIZE = 32


def seed_cnn(input_shape=(28, 28, 1), n_classes: int = 10, name: str = "seed_cnn"):
    """The seed notes' Fashion-MNIST CNN with their two dropout layers (220,234 parameters)."""
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(shape=tuple(input_shape)),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(n_classes, activation="softmax"),
    ], name=name)


def compile_seed_recipe(model):
    """The seeds' optimiser: Adam with a fixed learning rate of 1e-3 (they train at batch 32)."""
    import keras

    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def course_cnn(input_shape=(28, 28, 1), n_classes: int = 10, widths=WIDTHS, dense_units: int = DENSE_UNITS,
               dropout: float = 0.0, bn_momentum: float = BN_MOMENTUM, name: str = "course_cnn"):
    """Conv -> MaxPool -> BatchNorm -> ReLU per stage, then Dense -> BatchNorm -> ReLU and a softmax layer.

    Pooling comes before batch norm and ReLU (max pooling commutes with a per-channel
    increasing map, so the result is the same function family) and batch norm then
    works on a quarter of the values. The conv and hidden Dense layers have no bias:
    batch norm's beta replaces it. Batch norm's moving averages use momentum 0.9 instead
    of Keras's 0.99, so they settle within a few dozen steps: a short run is judged fairly.
    """
    import keras
    from keras import layers

    if isinstance(widths, str) or not hasattr(widths, "__iter__") or not list(widths):
        raise ValueError(f"course_cnn: widths must be whole numbers >= 1, got {widths!r}.")
    widths = tuple(check.whole("course_cnn", "widths", w, low=1) for w in widths)
    dropout = check.number("course_cnn", "dropout", dropout, low=0, high=1, high_open=True)
    dense_units = check.whole("course_cnn", "dense_units", dense_units, low=1)
    bn_momentum = check.number("course_cnn", "bn_momentum", bn_momentum, low=0, high=1, high_open=True)
    x = inputs = keras.Input(shape=tuple(input_shape))
    for stage, filters in enumerate(widths, start=1):
        x = layers.Conv2D(int(filters), 3, padding="same", use_bias=False, name=f"conv{stage}")(x)
        x = layers.MaxPooling2D(2, name=f"pool{stage}")(x)
        x = layers.BatchNormalization(momentum=bn_momentum, name=f"bn{stage}")(x)
        x = layers.ReLU(name=f"relu{stage}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(int(dense_units), use_bias=False, name="dense")(x)
    x = layers.BatchNormalization(momentum=bn_momentum, name="bn_dense")(x)
    x = layers.ReLU(name="relu_dense")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name=name)


def one_cycle(peak_learning_rate: float, total_steps: int, warmup_fraction: float = WARMUP_FRACTION):
    """Linear warm-up from peak/10 to the peak, then cosine decay to zero: Keras's own CosineDecay."""
    import keras

    total_steps = check.whole("one_cycle", "total_steps", total_steps, low=2)
    warmup_fraction = check.number("one_cycle", "warmup_fraction", warmup_fraction, low=0, high=1, high_open=True)
    peak_learning_rate = check.number("one_cycle", "peak_learning_rate", peak_learning_rate, low=0, low_open=True)
    warmup = int(round(total_steps * warmup_fraction))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=peak_learning_rate / 10,
        decay_steps=int(total_steps) - warmup,
        warmup_target=peak_learning_rate,
        warmup_steps=warmup,
    )


def steps_per_epoch(n_images: int, batch_size: int = BATCH_SIZE) -> int:
    n_images = check.whole("steps_per_epoch", "n_images", n_images, low=1)
    return math.ceil(n_images / check.whole("steps_per_epoch", "batch_size", batch_size, low=1))


def compile_course_recipe(model, n_images: int, epochs: int, batch_size: int = BATCH_SIZE,
                          peak_learning_rate: float = PEAK_LEARNING_RATE):
    """Adam on a one-cycle schedule that ends exactly after ``epochs`` epochs of ``n_images`` images."""
    import keras

    epochs = check.whole("compile_course_recipe", "epochs", epochs, low=1)
    schedule = one_cycle(peak_learning_rate, steps_per_epoch(n_images, batch_size) * epochs)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


# ------------------------------------------------------------------ progress


def _format_logs(logs: dict) -> str:
    parts = []
    for key, value in logs.items():
        if key == "learning_rate":
            parts.append(f"lr {float(value):.2g}")
        else:
            parts.append(f"{key.replace('_', ' ')} {float(value):.4f}")
    return ", ".join(parts)


def epoch_lines():
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
            print(f"epoch {epoch + 1}/{total} {now - self._epoch_start:5.1f} s "
                  f"(total {now - self._start:5.0f} s): {_format_logs(logs or {})}", flush=True)

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


def live_bar():
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

    In a notebook the bar is replaced by its final line when the loop ends, as ``live_bar`` does.
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


def progress(live: bool = True, lines: bool = True) -> list:
    """Callbacks for ``fit``: a live tqdm bar (epochs and batches, elapsed, remaining) and one line per epoch.

    Use with ``verbose=0`` so Keras's own bar does not print thousands of lines into the notebook.
    ``lines=False`` keeps only the live bar (for loops that train many models).
    """
    callbacks = [epoch_lines()] if lines else []
    if live:
        callbacks.insert(0, live_bar())
    return callbacks


# ------------------------------------------------------------------ yardstick


def time_yardstick(x_train, y_train, seed: int = 0) -> float:
    """Seconds for one epoch of the seed notes' CNN (Adam, batch 32) on 54,000 images.

    The course states every time also in these units, so a table made on a busy or a
    quiet machine reads the same. The first batches (graph tracing) are not counted.
    """
    import keras

    if len(x_train) < YARDSTICK_IMAGES:
        raise ValueError(f"time_yardstick: needs {YARDSTICK_IMAGES:,} training images, got {len(x_train):,}.")
    keras.utils.set_random_seed(seed)
    model = compile_seed_recipe(seed_cnn())
    warm = YARDSTICK_BATCH_SIZE * 10
    model.fit(x_train[:warm], y_train[:warm], batch_size=YARDSTICK_BATCH_SIZE, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x_train[:YARDSTICK_IMAGES], y_train[:YARDSTICK_IMAGES], batch_size=YARDSTICK_BATCH_SIZE, epochs=1,
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

    start = check.number("lr_range_test", "start", start, low=0, low_open=True)
    stop = check.number("lr_range_test", "stop", stop, low=0, low_open=True)
    if stop <= start:
        raise ValueError(f"lr_range_test: stop must be larger than start, got start={start:g}, stop={stop:g}.")
    steps = check.whole("lr_range_test", "steps", steps, low=10)
    batch_size = check.whole("lr_range_test", "batch_size", batch_size, low=1)
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
