"""Notebook 09's experiments: the gradient noise of a batch size, the tuning lab's short runs, and the
improvement rounds from a linear model to the course CNN, one change per round.

They train with the recipe in ``training`` and the networks in ``models``.
"""

from __future__ import annotations

import gc
import time

from . import validate
from .config import release_traced_steps
from .models import _BN_MOMENTUM, DENSE_UNITS, PIXEL_SCALE, WIDTHS, check_pixel_scale, scale_pixels, small_cnn
from .training import (
    BATCH_SIZE,
    PEAK_LEARNING_RATE,
    SEEDS_LEARNING_RATE,
    FreshStarts,
    build_for_fit,
    compile_course_recipe,
    steps_per_epoch,
)

#: The seed notes' batch size, where the rounds start.
SEEDS_BATCH_SIZE = 32


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
    build_for_fit(model, x, y)
    history = model.fit(x, y, validation_data=(x_val, y_val), epochs=epochs, batch_size=batch_size, verbose=0)
    result = {key: [float(v) for v in values] for key, values in history.history.items()}
    result.update(seconds=time.perf_counter() - start, learning_rate=learning_rate, dropout=dropout, l2=l2,
                  augmentation=augmentation)
    return result


def _seed_list(who: str, seeds) -> list[int]:
    """``seeds`` as a list of whole numbers >= 0, or one clear sentence naming ``who``."""
    if isinstance(seeds, (str, int)) or not hasattr(seeds, "__iter__") or not list(seeds):
        raise ValueError(f"{who}: seeds must be a list of whole numbers >= 0, got {seeds!r}.")
    return [validate.whole(who, "seeds", seed, low=0) for seed in seeds]


def seed_curves(build, x, y, x_val, y_val, epochs: int, seeds=(0, 1, 2), learning_rate: float = 2e-3,
                batch_size: int = 32) -> list[dict]:
    """Train the network that ``build()`` makes once per seed, from each seed's fresh start (one compiled model,
    ``FreshStarts``), with Adam at a constant ``learning_rate``: notebook 09's small runs, repeated over seeds.

    Returns one history per seed (loss, accuracy, val_loss, val_accuracy per epoch, as floats) plus
    ``train_accuracy``: the accuracy on ``x`` at the end, measured at inference (without dropout or
    augmentation), so that ``train_accuracy - val_accuracy[-1]`` is what was memorised.
    """
    import keras

    who = "seed_curves"
    epochs = validate.whole(who, "epochs", epochs, low=1)
    learning_rate = validate.number(who, "learning_rate", learning_rate, low=0, low_open=True, high=1)
    batch_size = validate.whole(who, "batch_size", batch_size, low=1)
    seeds = _seed_list(who, seeds)
    starts = FreshStarts(build, lambda model: model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                                                            loss="sparse_categorical_crossentropy",
                                                            metrics=["accuracy"]), example=(x, y))
    histories = []
    for seed in seeds:
        model = starts.fresh(seed)
        history = model.fit(x, y, validation_data=(x_val, y_val), epochs=epochs, batch_size=batch_size,
                            validation_batch_size=256, verbose=0).history
        history = {key: [float(v) for v in values] for key, values in history.items()}
        history["train_accuracy"] = float(model.evaluate(x, y, batch_size=256, verbose=0)[1])
        histories.append(history)
    del starts, model
    if release_traced_steps():
        gc.collect()
    return histories


def augmentation_record() -> dict:
    """Augmentation against none on notebook 09's slice, for longer than the notebook trains
    (``scripts/augmentation_trials.py --record``): per seed, each arm's final validation accuracy, validation
    loss and gap, with the epochs, the machine and the command."""
    import json
    from pathlib import Path

    return json.loads((Path(__file__).resolve().parent / "assets" / "augmentation_runs.json").read_text())


#: Notebook 09's improvement project: from a linear baseline to the course CNN, one named change per round.
#: Each round's settings are the previous round's with one entry changed (``round_settings`` says which), and
#: its compiled recipe differs from the previous round's in one part (``compiled_changes`` says which).
IMPROVEMENT_ROUNDS = {
    "linear model": "softmax regression (Flatten -> Dense), Adam 1e-3, batch 32: the baseline",
    "the seeds' CNN": "32/64 filters, conv -> ReLU -> pool, dropout 0.3 and 0.5, Adam 1e-3, batch 32",
    "+ batch 128": "the same, at batch 128 (a quarter of the steps per epoch)",
    "+ one-cycle shape": "the rate on a one-cycle schedule that peaks at the same 1e-3",
    "+ peak 0.008": "the same schedule, its peak raised from 1e-3 to 0.008",
    "+ batch norm": "batch norm before each ReLU (conv and Dense), which then drop their bias",
    "+ pool before batch norm": "conv -> pool -> batch norm -> ReLU: the same family, batch norm on a quarter",
    "- dropout": "both dropout layers removed",
    "narrower (16/32)": "16/32 filters instead of 32/64: the course CNN",
}
_SEEDS_SETTINGS = {"model": "cnn", "widths": (32, 64), "batch_norm": False, "pool_first": False, "dropout": True,
                   "batch_size": SEEDS_BATCH_SIZE, "schedule": "constant", "learning_rate": SEEDS_LEARNING_RATE}
_ROUND_CHANGES = {
    "linear model": {"model": "linear"},
    "the seeds' CNN": {},
    "+ batch 128": {"batch_size": BATCH_SIZE},
    "+ one-cycle shape": {"schedule": "one-cycle"},
    "+ peak 0.008": {"learning_rate": PEAK_LEARNING_RATE},
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


def compile_round(name: str, model, n_images: int, epochs: int):
    """Compile ``model`` with one round's optimizer: Adam at a constant rate, or on a one-cycle schedule that
    ends after ``epochs`` epochs of ``n_images`` images at the round's batch size (``round_settings``)."""
    import keras

    settings = round_settings(name)
    if settings["schedule"] == "one-cycle":
        return compile_course_recipe(model, n_images, epochs, batch_size=settings["batch_size"],
                                     peak_learning_rate=settings["learning_rate"])
    model.compile(optimizer=keras.optimizers.Adam(settings["learning_rate"]), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def _round_recipe(name: str, n_images: int, epochs: int) -> dict:
    """What one round trains with, read from its compiled model: the layers (without their names), the
    optimizer's settings, its learning rate at every step of the run, and the batch size."""
    import keras
    import numpy as np

    model = compile_round(name, round_model(name), n_images, epochs)
    batch_size = round_settings(name)["batch_size"]
    layers = [(type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
              for layer in model.layers]
    optimizer = {k: v for k, v in model.optimizer.get_config().items() if k not in ("name", "learning_rate")}
    optimizer["class"] = type(model.optimizer).__name__
    rate = model.optimizer.get_config()["learning_rate"]
    steps = np.arange(steps_per_epoch(n_images, batch_size) * epochs)
    if isinstance(rate, dict):  # a schedule, serialized: rebuild it and read its rate at each step
        schedule = keras.optimizers.schedules.deserialize(rate)
        rates = np.array([float(schedule(int(step))) for step in steps])
    else:
        rates = np.full(len(steps), float(rate))
    return {"layers": layers, "optimizer": optimizer, "rates": rates, "batch_size": batch_size}


def _shape(rates):
    """The rate divided by its peak, at 201 evenly spaced points of the run (so runs of different lengths,
    as at another batch size, compare by the fraction of the run done)."""
    import numpy as np

    done = np.linspace(0, 1, len(rates)) if len(rates) > 1 else np.zeros(1)
    return np.interp(np.linspace(0, 1, 201), done, rates / rates.max())


#: What ``compiled_changes`` can name, in its order.
RECIPE_PARTS = ("network", "optimizer", "learning-rate level", "learning-rate shape", "batch size")


def compiled_changes(before: str, after: str, n_images: int = 2000, epochs: int = 3) -> list[str]:
    """Which parts of the compiled recipe differ between two rounds, from the compiled models themselves: the
    network's layers, the optimizer's other settings, the learning rate's level (its peak over the run), its
    shape (the rate at every step divided by that peak), the batch size. Names from ``RECIPE_PARTS``."""
    import numpy as np

    a, b = (_round_recipe(validate.choice("compiled_changes", which, name, IMPROVEMENT_ROUNDS), n_images, epochs)
            for which, name in (("before", before), ("after", after)))
    changed = {
        "network": a["layers"] != b["layers"],
        "optimizer": a["optimizer"] != b["optimizer"],
        "learning-rate level": not np.isclose(a["rates"].max(), b["rates"].max(), rtol=1e-6),
        "learning-rate shape": not np.allclose(_shape(a["rates"]), _shape(b["rates"]), rtol=0, atol=1e-6),
        "batch size": a["batch_size"] != b["batch_size"],
    }
    return [part for part in RECIPE_PARTS if changed[part]]


def improvement_round(name: str, x, y, x_val, y_val, epochs: int = 3, seed: int = 0) -> dict:
    """Build, compile and train one round's model (seeded); returns parameters, validation accuracy, seconds."""
    seed = validate.whole("improvement_round", "seed", seed, low=0)
    return improvement_round_seeds(name, x, y, x_val, y_val, epochs=epochs, seeds=(seed,))[0]


def improvement_round_seeds(name: str, x, y, x_val, y_val, epochs: int = 3, seeds=(0,)) -> list[dict]:
    """``improvement_round`` for each seed in ``seeds``, from one compiled model (``FreshStarts``): the same
    numbers as a new model per seed, with its training step traced once, before any clock runs. ``seconds`` is
    each ``fit``'s time, so the seeds' seconds compare like their accuracies. At the end TensorFlow may free
    the round's graphs (``config.release_traced_steps``), so a cell that runs all the rounds does not hold
    every one."""
    name = validate.choice("improvement_round", "name", name, IMPROVEMENT_ROUNDS)
    epochs = validate.whole("improvement_round", "epochs", epochs, low=1)
    seeds = _seed_list("improvement_round_seeds", seeds)
    settings = round_settings(name)
    shape, n_classes = tuple(x.shape[1:]), int(max(y.max(), y_val.max())) + 1

    batch_size = settings["batch_size"]
    starts = FreshStarts(lambda: round_model(name, shape, n_classes),
                         lambda model: compile_round(name, model, len(x), epochs), example=(x, y))
    # trace the training step (for a full batch and the epoch's last, shorter one) and the evaluation step before
    # any clock runs, so every seed's seconds are training only; fresh(seed) then undoes this warm-up
    warm_up = min(len(x), batch_size + len(x) % batch_size)
    starts.model.fit(x[:warm_up], y[:warm_up], batch_size=batch_size, epochs=1, verbose=0)
    starts.model.evaluate(x_val[:256], y_val[:256], batch_size=256, verbose=0)
    results = []
    for seed in seeds:
        model = starts.fresh(seed)
        start = time.perf_counter()
        model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
        seconds = time.perf_counter() - start
        # a large evaluation batch: the same accuracy, in fewer steps
        accuracy = float(model.evaluate(x_val, y_val, batch_size=256, verbose=0)[1])
        results.append({"parameters": model.count_params(), "val_accuracy": accuracy, "seconds": seconds})
    del starts, model
    if release_traced_steps():  # this round's network is done with: let TensorFlow free its traced graphs now
        gc.collect()
    return results
