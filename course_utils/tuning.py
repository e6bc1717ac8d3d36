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
from .training import BATCH_SIZE, FreshStarts, build_for_fit, compile_course_recipe, compile_seed_recipe

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
                   "batch_size": SEEDS_BATCH_SIZE, "schedule": "constant"}
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

    starts = FreshStarts(lambda: round_model(name, shape, n_classes), compile_round, example=(x, y))
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
