#!/usr/bin/env python3
"""Levers on the course recipe's speed, one change at a time, over seeds, judged on validation data.

    python -m scripts.benchmark_levers --record   # the README's lever table: 3 seeds (about 9 minutes on 2 cores)
    python -m scripts.benchmark_levers --quick    # one seed on 2,000 images: checks that it runs (the tests)

Each lever changes one thing in the course recipe at its time-to-91 % budget (one epoch of the 54,000
training images), and is scored like the benchmark's budgets: validation accuracy at the end of training
and training seconds, mean ± sample std and median over seeds, every lever run for each seed in turn.
The two verdicts compare each lever with the unchanged recipe: "higher", "lower" or "tie" (a difference
inside the two spreads together, ``reference.compare_seeds``). At one epoch, the shortest budget, a lever
can only shorten the time to 91 % by cutting seconds, so it pays when its seconds are "lower" and its
mean validation accuracy still reaches 91 %. ``--record`` adds the table to ``scripts/benchmark_runs.json``
beside the benchmark's run and rewrites the README's table. A measurement, not a test.
"""

from __future__ import annotations

import statistics
import time

import course_utils as cu
from course_utils import reference as ref
from scripts import benchmark_training as bench

COMMAND = "python -m scripts.benchmark_levers --record"
SEEDS = (0, 1, 2)
EPOCHS = 1

#: One change each against the course recipe (``models.course_cnn`` + ``compile_course_recipe``, batch 128).
LEVERS = {
    "none (the course recipe)": {},
    "steps_per_execution 16": {"steps_per_execution": 16},
    "batch 256": {"batch_size": 256},
    "batch 64": {"batch_size": 64},
    "peak rate 0.004": {"peak": 0.004},
    "peak rate 0.016": {"peak": 0.016},
    "warm-up 10 % of the steps (not 25 %)": {"warmup": 0.1},
    "label smoothing 0.1": {"label_smoothing": 0.1},
    "SGD with Nesterov momentum 0.9, peak 0.1": {"optimizer": "sgd"},
    "flips in training, flip averaging at test": {"flips": True},
    "channels 8/16 (not 16/32)": {"widths": (8, 16)},
    "tf.data pipeline (not in-memory arrays)": {"pipeline": "tf.data"},
    "XLA (jit_compile=True)": {"jit_compile": True},
    "mixed precision, bfloat16": {"dtype_policy": "mixed_bfloat16"},
}


def smoothed_loss(epsilon: float):
    """Cross-entropy against labels smoothed by ``epsilon``, taking integer labels like the course's loss."""
    import keras

    def loss(y_true, y_pred):
        labels = keras.ops.cast(keras.ops.reshape(y_true, (-1,)), "int32")
        return keras.losses.categorical_crossentropy(keras.ops.one_hot(labels, y_pred.shape[-1]), y_pred,
                                                     label_smoothing=epsilon)

    return loss


def lever_run(change: dict, seed: int, x, y, x_val, y_val) -> tuple[float, float]:
    """Train the course recipe with ``change`` for one epoch: (training seconds, validation accuracy)."""
    import keras
    import numpy as np
    import tensorflow as tf

    if "dtype_policy" in change:  # a global setting in Keras: set for this run only
        keras.config.set_dtype_policy(change["dtype_policy"])
        try:
            return lever_run({k: v for k, v in change.items() if k != "dtype_policy"}, seed, x, y, x_val, y_val)
        finally:
            keras.config.set_dtype_policy("float32")
    batch_size = change.get("batch_size", cu.training.BATCH_SIZE)
    keras.utils.set_random_seed(seed)
    model = cu.models.course_cnn(widths=change.get("widths", cu.models.WIDTHS),
                                   augmentation="flip" if change.get("flips") else "none")
    schedule = cu.training.one_cycle(change.get("peak", 0.1 if change.get("optimizer") == "sgd" else
                                                cu.training.PEAK_LEARNING_RATE),
                                     cu.training.steps_per_epoch(len(x), batch_size) * EPOCHS,
                                     **({"warmup_fraction": change["warmup"]} if "warmup" in change else {}))
    optimizer = (keras.optimizers.SGD(schedule, momentum=0.9, nesterov=True) if change.get("optimizer") == "sgd"
                 else keras.optimizers.Adam(schedule))
    loss = (smoothed_loss(change["label_smoothing"]) if "label_smoothing" in change
            else "sparse_categorical_crossentropy")
    model.compile(optimizer=optimizer, loss=loss, steps_per_execution=change.get("steps_per_execution", 1),
                  jit_compile=change.get("jit_compile", False))
    if change.get("pipeline") == "tf.data":
        data = (tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed).batch(batch_size)
                .prefetch(tf.data.AUTOTUNE))
        start = time.perf_counter()
        model.fit(data, epochs=EPOCHS, verbose=0, shuffle=False)  # the dataset shuffles itself
    else:
        start = time.perf_counter()
        model.fit(x, y, batch_size=batch_size, epochs=EPOCHS, verbose=0)
    seconds = time.perf_counter() - start
    probabilities = model.predict(x_val, batch_size=1000, verbose=0)
    if change.get("flips"):
        probabilities = probabilities + model.predict(x_val[:, :, ::-1], batch_size=1000, verbose=0)
    return seconds, float(np.mean(probabilities.argmax(axis=1) == y_val))


def verdicts(results: dict) -> list[dict]:
    """One row per lever: accuracy and seconds over seeds, and each compared with the unchanged recipe."""
    base_name = next(iter(LEVERS))
    base_acc = [a for _, a in results[base_name]]
    base_sec = [s for s, _ in results[base_name]]
    rows = []
    for name, runs in results.items():
        accuracies, seconds = [a for _, a in runs], [s for s, _ in runs]
        row = {"lever": name, "val": [round(a, 4) for a in accuracies], "seconds": [round(s, 2) for s in seconds],
               "val_mean": statistics.mean(accuracies), "seconds_median": statistics.median(seconds)}
        if name != base_name and len(runs) > 1:
            row["accuracy_verdict"] = ref.compare_seeds(accuracies, base_acc)
            row["seconds_verdict"] = ref.compare_seeds(seconds, base_sec)
            row["pays"] = row["seconds_verdict"] == "lower" and row["val_mean"] >= bench.FAST_TARGET
        rows.append(row)
    return rows


def main(argv=None) -> int:
    args = bench.side_run_arguments(argv, __doc__)
    (x_train, y_train), (x_val, y_val) = bench.notebooks_split()
    yardstick = float("nan") if args.quick else cu.training.time_yardstick(x_train, y_train)
    seeds = SEEDS
    if args.quick:
        x_train, y_train, x_val, y_val, seeds = x_train[:2000], y_train[:2000], x_val[:1000], y_val[:1000], SEEDS[:1]

    results = {name: [] for name in LEVERS}
    for seed in seeds:
        for name, change in LEVERS.items():
            results[name].append(lever_run(change, seed, x_train, y_train, x_val, y_val))
            print(f"seed {seed}, {name}: {results[name][-1][0]:.1f} s, validation {results[name][-1][1]:.2%}",
                  flush=True)
    levers = {"command": COMMAND if not args.quick else "python -m scripts.benchmark_levers --quick",
              "seeds": len(seeds), "epochs": EPOCHS, "yardstick": round(yardstick, 2), "rows": verdicts(results)}
    print()
    print(bench.lever_table(levers))
    if args.record:
        bench.record_beside("levers", levers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
