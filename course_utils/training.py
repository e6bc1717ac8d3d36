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

import gc
import math
import time

from . import validate
from .config import release_traced_steps
from .models import PIXEL_SCALE  # the course CNNs take pixel values 0..255 and scale them in their first layer

#: What the course recipe uses unless a notebook says otherwise (09 explains each).
BATCH_SIZE = 128
PEAK_LEARNING_RATE = 8e-3
_WARMUP_FRACTION = 0.25
WIDTHS = (16, 32)
DENSE_UNITS = 64
_BN_MOMENTUM = 0.9

#: The yardstick: one epoch of the seed notes' CNN (Adam, batch 32) on 54,000 images.
_YARDSTICK_IMAGES = 54_000
_YARDSTICK_BATCH_SIZE = 32


def seed_cnn(input_shape=(28, 28, 1), n_classes: int = 10, name: str = "seed_cnn", pixel_scale=PIXEL_SCALE):
    """The seed notes' Fashion-MNIST CNN with their two dropout layers (220,234 parameters).

    Like every course CNN it takes pixel values 0..255 and scales them first (``models.small_cnn`` says more);
    the seeds divided by 255 before ``fit`` instead, which gives the same network.
    """
    import keras
    from keras import layers

    from .models import check_pixel_scale

    pixel_scale = check_pixel_scale("seed_cnn", pixel_scale)
    return keras.Sequential([
        keras.Input(shape=tuple(input_shape)),
        *([layers.Rescaling(pixel_scale, name="rescale")] if pixel_scale is not None else []),
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


def seeds_cifar10_cnn(input_shape=(32, 32, 3), n_classes: int = 10, base_width: int = 32, l2: float = 1e-4):
    """The seed notes' 90 % CIFAR-10 network: three pairs of conv -> ReLU -> batch norm (32, 64, 128 filters,
    L2 1e-4 on each kernel), each pair followed by 2x2 pooling and dropout 0.2, 0.3, 0.4; then a softmax
    layer (309,290 parameters). The seeds compile it with ``seeds_cifar10_optimizer()``."""
    import keras
    from keras import layers

    stack = [keras.Input(shape=tuple(input_shape))]
    for multiple, rate in ((1, 0.2), (2, 0.3), (4, 0.4)):
        for _ in range(2):
            stack += [layers.Conv2D(base_width * multiple, 3, padding="same",
                                    kernel_regularizer=keras.regularizers.L2(l2)),
                      layers.Activation("relu"), layers.BatchNormalization()]
        stack += [layers.MaxPooling2D(2), layers.Dropout(rate)]
    stack += [layers.Flatten(), layers.Dense(n_classes, activation="softmax")]
    return keras.Sequential(stack, name="seeds_cifar10_cnn")


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

    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def course_cnn(input_shape=(28, 28, 1), n_classes: int = 10, widths=WIDTHS, dense_units: int = DENSE_UNITS,
               dropout: float = 0.0, bn_momentum: float = _BN_MOMENTUM, augmentation: str = "none",
               name: str = "course_cnn", pixel_scale=PIXEL_SCALE):
    """Conv -> MaxPool -> BatchNorm -> ReLU per stage, then Dense -> BatchNorm -> ReLU and a softmax layer.

    The input is images as stored, pixel values 0..255 (uint8); the first layer, ``Rescaling(pixel_scale)``,
    scales them to 0..1 (``pixel_scale=None`` drops it, for images normalized already).

    Pooling comes before batch norm and ReLU (max pooling commutes with a per-channel
    increasing map, so the result is the same function family) and batch norm then
    works on a quarter of the values. The conv and hidden Dense layers have no bias:
    batch norm's beta replaces it. Batch norm's moving averages use momentum 0.9 instead
    of Keras's 0.99, so they settle within a few dozen steps: a short run is judged fairly.
    ``augmentation`` names one of ``models.AUGMENTATIONS`` (active in training only).
    """
    import keras
    from keras import layers

    from .models import augmentation_layers, check_pixel_scale, image_input_shape, scale_pixels

    if isinstance(widths, str) or not hasattr(widths, "__iter__") or not list(widths):
        raise ValueError(f"course_cnn: widths must be whole numbers >= 1, got {widths!r}.")
    widths = tuple(validate.whole("course_cnn", "widths", w, low=1) for w in widths)
    dropout = validate.number("course_cnn", "dropout", dropout, low=0, high=1, high_open=True)
    dense_units = validate.whole("course_cnn", "dense_units", dense_units, low=1)
    bn_momentum = validate.number("course_cnn", "bn_momentum", bn_momentum, low=0, high=1, high_open=True)
    input_shape = image_input_shape("course_cnn", input_shape, pools=len(widths))
    pixel_scale = check_pixel_scale("course_cnn", pixel_scale)
    inputs = keras.Input(shape=input_shape)
    x = scale_pixels(inputs, pixel_scale, name="rescale")
    for layer in augmentation_layers(augmentation):
        x = layer(x)
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


#: The accurate variant of the course CNN, for a longer budget: the same layers, schedule and batch, twice the
#: channels and dropout before the output. scripts/benchmark_training.py measures it and chooses its budget on
#: validation accuracy (the most accurate within 8 yardstick units).
ACCURATE_WIDTHS = (32, 64)
ACCURATE_DROPOUT = 0.3


def accurate_cnn(input_shape=(28, 28, 1), n_classes: int = 10, name: str = "accurate_cnn", pixel_scale=PIXEL_SCALE):
    """``course_cnn`` with twice the channels (32/64) and dropout 0.3 before the output layer."""
    return course_cnn(input_shape, n_classes, widths=ACCURATE_WIDTHS, dropout=ACCURATE_DROPOUT, name=name,
                      pixel_scale=pixel_scale)


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


class FreshStarts:
    """One compiled model that gives each seed the start a newly built model would have.

    TensorFlow keeps every traced training step in memory until the kernel ends (tens of MB for a deep network),
    and tracing one takes seconds. A cell that trains the same network over several seeds builds and compiles it
    once here; ``fresh(seed)`` then sets its weights (batch norm's statistics and dropout's random state too) to
    what ``build()`` makes after ``keras.utils.set_random_seed(seed)``, and its optimizer back to its state before
    the first step. Training it gives the same numbers as building and compiling a new model under that seed.
    """

    def __init__(self, build, compile_model):
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


def _format_logs(logs: dict) -> str:
    parts = []
    for key, value in logs.items():
        if key == "learning_rate":
            parts.append(f"lr {float(value):.2g}")
        else:
            parts.append(f"{key.replace('_', ' ')} {float(value):.4f}")
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
                self.bar = auto_tqdm(total=n_trials, desc="trials", **({"display": False} if in_notebook else {}))
                self._finish = _show_until_done(self.bar) if in_notebook else None
            self._start, self._best = time.perf_counter(), None

        def on_epoch_end(self, epoch, logs=None):
            value = (logs or {}).get(monitor)
            if value is not None:
                self._best = float(value) if self._best is None else max(self._best, float(value))

        def on_train_end(self, logs=None):
            self.done += 1
            best = "?" if self._best is None else f"{self._best:.4f}"
            print(f"trial {self.done}/{n_trials}: best {monitor.replace('_', ' ')} {best} "
                  f"({time.perf_counter() - self._start:.0f} s)", flush=True)
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


# ------------------------------------------------------------------ tuning (notebook 09)


def gradient_noise(model, x, y, batch_sizes=(16, 32, 64, 128, 256), n_batches: int = 20, seed: int = 0) -> dict:
    """How far a mini-batch gradient is from the gradient over all of ``x``, per batch size.

    Returns ``{batch_size: mean of |g_batch - g_all| / |g_all|}`` over ``n_batches`` random batches, all at
    the model's current weights. Sampling theory says it shrinks like 1 / sqrt(batch size): a batch four
    times larger halves the noise.
    """
    import keras
    import numpy as np
    import tensorflow as tf

    x, y = np.asarray(x, dtype="float32"), np.asarray(y)
    n_batches = validate.whole("gradient_noise", "n_batches", n_batches, low=1)
    sizes = [validate.whole("gradient_noise", "batch_sizes", b, low=1, high=len(x)) for b in batch_sizes]
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    weights = model.trainable_weights

    def gradient(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=False))
        return tf.concat([tf.reshape(g, [-1]) for g in tape.gradient(loss, weights)], axis=0).numpy()

    # chunks of 256: the tape keeps every activation of a chunk, so a larger chunk only costs memory
    chunks = [(x[i:i + 256], y[i:i + 256]) for i in range(0, len(x), 256)]
    full = sum(gradient(cx, cy) * len(cx) for cx, cy in chunks) / len(x)
    rng = np.random.default_rng(seed)
    noise = {}
    for size in sizes:
        deviations = []
        for _ in range(n_batches):
            batch = rng.choice(len(x), size=size, replace=False)
            deviations.append(np.linalg.norm(gradient(x[batch], y[batch]) - full) / np.linalg.norm(full))
        noise[size] = float(np.mean(deviations))
    return noise


def tuning_run(x, y, x_val, y_val, learning_rate: float = 1e-3, dropout: float = 0.0, l2: float = 0.0,
               augmentation: str = "none", epochs: int = 6, batch_size: int = 64, seed: int = 0) -> dict:
    """One short real training of ``models.small_cnn`` (with batch norm): what the tuning lab draws.

    Adam at a constant ``learning_rate``; returns the Keras history (loss, accuracy, val_loss,
    val_accuracy per epoch) plus ``seconds`` and the settings.
    """
    import keras

    from .models import small_cnn

    who = "tuning_run"
    learning_rate = validate.number(who, "learning_rate", learning_rate, low=0, low_open=True, high=1)
    epochs = validate.whole(who, "epochs", epochs, low=1)
    batch_size = validate.whole(who, "batch_size", batch_size, low=1)
    keras.utils.set_random_seed(seed)
    model = small_cnn(batch_norm=True, dropout=dropout, l2=l2, augmentation=augmentation,
                      input_shape=tuple(x.shape[1:]))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(x, y, validation_data=(x_val, y_val), epochs=epochs, batch_size=batch_size, verbose=0)
    result = {key: [float(v) for v in values] for key, values in history.history.items()}
    result.update(seconds=time.perf_counter() - start, learning_rate=learning_rate, dropout=dropout, l2=l2,
                  augmentation=augmentation)
    return result


#: Notebook 09's improvement project: from a linear baseline to the course CNN, one named change per round.
#: Each round's settings are the previous round's with one entry changed (``round_settings`` says which).
IMPROVEMENT_ROUNDS = {
    "linear model": "softmax regression (Flatten -> Dense), Adam 1e-3, batch 32: the baseline",
    "the seeds' CNN": "32/64 filters, conv -> ReLU -> pool, dropout 0.3 and 0.5, Adam 1e-3, batch 32",
    "+ batch 128": "the same, at batch 128 (a quarter of the steps per epoch)",
    "+ one-cycle schedule": "the same, with Adam on a one-cycle schedule peaking at 0.008",
    "+ batch norm": "batch norm before each ReLU (conv and Dense), which then drop their bias",
    "+ pool before batch norm": "conv -> pool -> batch norm -> ReLU: the same family, batch norm on a quarter",
    "- dropout": "both dropout layers removed",
    "narrower (16/32)": "16/32 filters instead of 32/64: the course CNN",
}
_SEEDS_SETTINGS = {"model": "cnn", "widths": (32, 64), "batch_norm": False, "pool_first": False, "dropout": True,
                   "batch_size": _YARDSTICK_BATCH_SIZE, "schedule": "constant"}
_ROUND_CHANGES = {
    "linear model": {"model": "linear"},
    "the seeds' CNN": {},
    "+ batch 128": {"batch_size": BATCH_SIZE},
    "+ one-cycle schedule": {"schedule": "one-cycle"},
    "+ batch norm": {"batch_norm": True},
    "+ pool before batch norm": {"pool_first": True},
    "- dropout": {"dropout": False},
    "narrower (16/32)": {"widths": WIDTHS},
}


def round_settings(name: str) -> dict:
    """The settings of one improvement round: the seeds' CNN with every change up to this round applied."""
    name = validate.choice("round_settings", "name", name, IMPROVEMENT_ROUNDS)
    settings = dict(_SEEDS_SETTINGS)
    for round_name in list(IMPROVEMENT_ROUNDS)[1:list(IMPROVEMENT_ROUNDS).index(name) + 1]:
        settings.update(_ROUND_CHANGES[round_name])
    if name == "linear model":
        settings.update(_ROUND_CHANGES[name])
    return settings


def round_model(name: str, input_shape=(28, 28, 1), n_classes: int = 10, pixel_scale=PIXEL_SCALE):
    """The (uncompiled) network of one improvement round; the last round's is ``course_cnn``'s network.
    Like the course CNNs, it takes pixel values 0..255 and scales them first."""
    import keras
    from keras import layers

    from .models import check_pixel_scale, scale_pixels

    settings = round_settings(name)
    inputs = keras.Input(shape=tuple(input_shape))
    x = scale_pixels(inputs, check_pixel_scale("round_model", pixel_scale))
    if settings["model"] == "linear":
        outputs = layers.Dense(n_classes, activation="softmax")(layers.Flatten()(x))
        return keras.Model(inputs, outputs, name="linear")
    bn = settings["batch_norm"]

    def normalise_and_activate(x):
        if bn:
            x = layers.BatchNormalization(momentum=_BN_MOMENTUM)(x)
        return layers.ReLU()(x)

    for filters in settings["widths"]:
        x = layers.Conv2D(int(filters), 3, padding="same", use_bias=not bn)(x)
        if settings["pool_first"]:
            x = normalise_and_activate(layers.MaxPooling2D(2)(x))
        else:
            x = layers.MaxPooling2D(2)(normalise_and_activate(x))
    x = layers.Flatten()(x)
    if settings["dropout"]:
        x = layers.Dropout(0.3)(x)
    x = normalise_and_activate(layers.Dense(DENSE_UNITS, use_bias=not bn)(x))
    if settings["dropout"]:
        x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="round")


def improvement_round(name: str, x, y, x_val, y_val, epochs: int = 3, seed: int = 0) -> dict:
    """Build, compile and train one round's model (seeded); returns parameters, validation accuracy, seconds."""
    seed = validate.whole("improvement_round", "seed", seed, low=0)
    return improvement_round_seeds(name, x, y, x_val, y_val, epochs=epochs, seeds=(seed,))[0]


def improvement_round_seeds(name: str, x, y, x_val, y_val, epochs: int = 3, seeds=(0,)) -> list[dict]:
    """``improvement_round`` for each seed in ``seeds``, from one compiled model (``FreshStarts``): the same
    numbers as a new model per seed, with its training step traced once. ``seconds`` is each ``fit``'s time;
    the first seed's includes that tracing. At the end TensorFlow may free the round's graphs
    (``config.release_traced_steps``), so a cell that runs all the rounds does not hold every one."""
    name = validate.choice("improvement_round", "name", name, IMPROVEMENT_ROUNDS)
    epochs = validate.whole("improvement_round", "epochs", epochs, low=1)
    if isinstance(seeds, (str, int)) or not hasattr(seeds, "__iter__") or not list(seeds):
        raise ValueError(f"improvement_round_seeds: seeds must be a list of whole numbers >= 0, got {seeds!r}.")
    seeds = [validate.whole("improvement_round_seeds", "seeds", seed, low=0) for seed in seeds]
    settings = round_settings(name)
    shape, n_classes = tuple(x.shape[1:]), int(max(y.max(), y_val.max())) + 1

    def compile_round(model):
        if settings["schedule"] == "one-cycle":
            compile_course_recipe(model, len(x), epochs, batch_size=settings["batch_size"])
        else:
            compile_seed_recipe(model)

    starts = FreshStarts(lambda: round_model(name, shape, n_classes), compile_round)
    results = []
    for seed in seeds:
        model = starts.fresh(seed)
        start = time.perf_counter()
        model.fit(x, y, epochs=epochs, batch_size=settings["batch_size"], verbose=0)
        seconds = time.perf_counter() - start
        # a large evaluation batch: the same accuracy, in fewer steps
        accuracy = float(model.evaluate(x_val, y_val, batch_size=256, verbose=0)[1])
        results.append({"parameters": model.count_params(), "val_accuracy": accuracy, "seconds": seconds})
    del starts, model
    if release_traced_steps():  # this round's network is done with: let TensorFlow free its traced graphs now
        gc.collect()
    return results
