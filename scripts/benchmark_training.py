#!/usr/bin/env python3
"""Race the seed notes' CNN recipe against the course's recipe on Fashion-MNIST.

    python -m scripts.benchmark_training                 # all three, as in the README
    python -m scripts.benchmark_training --only small --small-epochs 4

Three recipes: the seed notes' CNN (Adam 1e-3, batch 32), and the course recipe in its
two sizes: 16/32 channels for a few epochs (the fastest way to 91 %) and 32/64 channels
with dropout for more epochs (the best accuracy within 3 minutes).

All three train on the same 54,000 training images (the notebooks' split) in one run, on
the same machine. Test accuracy on the 10,000 test images is measured every quarter
epoch; the clock counts training only, not these measurements. For each recipe it
prints the seconds of training to 90 %, 91 % and 92 % test accuracy, the best
accuracy and when it was reached, and the speed-up to 91 %. This is a benchmark,
not a test: its numbers depend on the machine and its load, so the README states
the machine and the command that made them.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import course_utils as cu
from scripts import timings

ROOT = Path(__file__).resolve().parent.parent


THRESHOLDS = (0.90, 0.91, 0.92)


def race(name, model, batch_size, epochs, x_train, y_train, x_test, y_test, evals_per_epoch=4):
    """Train ``model`` and return its accuracy-against-training-seconds trace."""
    import keras
    import numpy as np

    steps = cu.training.steps_per_epoch(len(x_train), batch_size)
    every = max(1, steps // evals_per_epoch)
    trace = []  # (training seconds, epoch, test accuracy)

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.spent, self.step = 0.0, 0
            self.started = time.perf_counter()

        def _measure(self, epoch_float):
            self.spent += time.perf_counter() - self.started
            probabilities = self.model.predict(x_test, batch_size=1000, verbose=0)
            accuracy = float(np.mean(probabilities.argmax(axis=1) == y_test))
            trace.append((self.spent, epoch_float, accuracy))
            self.started = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            if self.step % every == 0 and self.step % steps != 0:
                self._measure(self.step / steps)

        def on_epoch_end(self, epoch, logs=None):
            self._measure(epoch + 1.0)

    model.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[Clock()])
    print(f"  {name}: best {max(a for _, _, a in trace):.2%} after {trace[-1][0]:.0f} s of training", flush=True)
    return trace


def first_time(trace, threshold):
    for seconds, epoch, accuracy in trace:
        if accuracy >= threshold:
            return seconds, epoch
    return None, None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-epochs", type=int, default=10, help="epochs of the seed recipe")
    parser.add_argument("--small-epochs", type=int, default=3, help="epochs of the course recipe, 16/32 channels")
    parser.add_argument("--wide-epochs", type=int, default=8,
                        help="epochs of the course recipe, 32/64 channels with dropout 0.3")
    parser.add_argument("--peak-lr", type=float, default=cu.training.PEAK_LEARNING_RATE)
    parser.add_argument("--seed", type=int, default=cu.config.SEED)
    parser.add_argument("--only", choices=("seed", "small", "wide"), help="run one recipe only")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    cu.config.quiet_tensorflow_import()
    import keras
    import tensorflow as tf

    data = cu.data.load_fashion_mnist()
    x_all = cu.data.normalize(data.x_train)[..., None]
    x_test = cu.data.normalize(data.x_test)[..., None]
    (x_train, y_train), _ = cu.data.train_val_split(x_all, data.y_train, val_fraction=0.1)

    recipes = {
        "seed": ("seed notes", args.seed_epochs, 32, "Adam 1e-3",
                 lambda epochs: cu.training.compile_seed_recipe(cu.training.seed_cnn())),
        "small": ("course, 16/32", args.small_epochs, cu.training.BATCH_SIZE, f"one-cycle Adam, peak {args.peak_lr:g}",
                  lambda epochs: cu.training.compile_course_recipe(
                      cu.training.course_cnn(), len(x_train), epochs, peak_learning_rate=args.peak_lr)),
        "wide": ("course, 32/64 + dropout", args.wide_epochs, cu.training.BATCH_SIZE,
                 f"one-cycle Adam, peak {args.peak_lr:g}",
                 lambda epochs: cu.training.compile_course_recipe(
                     cu.training.course_cnn(widths=(32, 64), dropout=0.3), len(x_train), epochs,
                     peak_learning_rate=args.peak_lr)),
    }
    results = {}
    for key, (name, epochs, batch, optimizer, build) in recipes.items():
        if args.only and args.only != key:
            continue
        keras.utils.set_random_seed(args.seed)
        model = build(epochs)
        print(f"{name}: {model.count_params():,} parameters, {optimizer}, batch {batch}, {epochs} epochs", flush=True)
        results[name] = (model.count_params(), batch, race(name, model, batch, epochs, x_train, y_train, x_test,
                                                           data.y_test))

    cpu = timings.cpu_name()
    gpu = "GPU" if tf.config.list_physical_devices("GPU") else "no GPU"
    print(f"\nmachine: {cpu}, {os.cpu_count()} cores, {gpu}; TensorFlow {tf.__version__}, "
          f"Python {platform.python_version()}")
    header = ["recipe", "parameters", "batch", "epochs", "s/epoch"] + [f"s to {t:.0%}" for t in THRESHOLDS]
    header += ["best accuracy (at s)"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, (params, batch, trace) in results.items():
        epochs = trace[-1][1]
        row = [name, f"{params:,}", str(batch), f"{epochs:.0f}", f"{trace[-1][0] / epochs:.1f}"]
        for threshold in THRESHOLDS:
            seconds, epoch = first_time(trace, threshold)
            row.append("not reached" if seconds is None else f"{seconds:.0f} (epoch {epoch:.1f})")
        best = max(trace, key=lambda item: item[2])
        row.append(f"{best[2]:.2%} ({best[0]:.0f})")
        print("| " + " | ".join(row) + " |")
    print()
    seed_time = first_time(results["seed notes"][2], 0.91)[0] if "seed notes" in results else None
    for name, (_, _, trace) in results.items():
        if name == "seed notes":
            continue
        course_time = first_time(trace, 0.91)[0]
        if seed_time and course_time:
            print(f"{name}: speed-up to 91 % over the seed recipe: {seed_time / course_time:.1f}x "
                  f"({seed_time:.0f} s -> {course_time:.0f} s of training)")
        within = [accuracy for seconds, _, accuracy in trace if seconds <= 180]
        if within:
            print(f"{name}: best test accuracy within 3 minutes of training: {max(within):.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
