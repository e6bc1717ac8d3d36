#!/usr/bin/env python3
"""Where one training's time goes, phase by phase: the course recipe and the seed notes' recipe.

    python -m scripts.fit_phases --record   # the README's phase table: 5 seeds, one epoch of 54,000 images
    python -m scripts.fit_phases --quick    # one seed, 2,000 images: checks that it runs (the tests)

Six recipes: the course's; the same on float32 images divided by 255 in advance (as the course trained
before its networks took uint8 images: one change); the same on one network built, compiled and traced before
the clocks run and reset to each seed's start by ``training.FreshStarts`` (what a notebook's second and later seeds
cost: one change); the same with the optimizer's and metrics' variables created before ``fit`` by
``training.build_for_fit`` (Keras otherwise creates them inside the first trace, which TensorFlow then repeats:
one change); the seed notes'; and the ``build_for_fit`` one again with tf.data's autotuning off for Keras's
pipelines over the arrays (``config.input_autotuning(False)``: destroying an autotuned pipeline waits for its
tuning thread's next wake-up, and ``fit`` destroys one per epoch and one for validation: one change). The others
run with autotuning on, TensorFlow's default. Each seed builds, compiles and fits
each recipe for one epoch with the notebooks' 6,000 validation images as
``validation_data`` and the course's progress callbacks (``training.progress()``, in their text form here: a
script has no widgets), the recipes in turn and their order rotated from seed to seed. A callback notes the
wall clock (``time.perf_counter``) and the process's CPU time (``time.process_time``, all threads) at
``fit``'s hooks; the phases are the stretches between those marks:

- images prepared: nothing for uint8 images, the division by 255 for float32;
- build, compile: the model's constructor and ``compile``;
- fit set-up: from the call to ``on_train_begin``: the data adapter over the arrays, the callbacks' set-up;
- first training step: ``on_train_begin`` to the end of batch 1: the iterator's start, the tracing of the
  training function, one step;
- steady training steps: the other batches, with the time per step;
- first validation step: the validation data's adapter, the tracing of the test function, one step;
- other validation steps, and the end (from the last validation batch until ``fit`` returns).

The progress callbacks run inside these phases; the time spent in their hooks is counted apart as well.
``--record`` adds the table to ``scripts/benchmark_runs.json`` beside the training benchmark and rewrites the
README's block. A measurement, not a test: the tests check that it runs and that the phases add up.
"""

from __future__ import annotations

import os
import platform
import time

import course_utils as cu
from scripts import benchmark_training as bench

COMMAND = "python -m scripts.fit_phases --record"
SEEDS = (0, 1, 2, 3, 4)

#: (name, batch size) of each recipe, compiled as the notebooks and the training benchmark compile it.
RECIPES = {
    "course": ("course: 16/32, one-cycle Adam, batch 128", cu.training.BATCH_SIZE),
    "course-float32": ("the same on float32 images divided by 255 in advance (the course before uint8)",
                       cu.training.BATCH_SIZE),
    "course-fresh": ("the course's, on a network built, compiled and traced once, reset to each seed's start "
                     "(training.FreshStarts, as the notebooks train one network over seeds)", cu.training.BATCH_SIZE),
    "course-built": ("the course's, with its optimizer's and metrics' variables created before fit "
                     "(training.build_for_fit, counted in compile), so that fit traces its step once",
                     cu.training.BATCH_SIZE),
    "seed": ("seed notes: 32/64, dropout, Adam 1e-3, batch 32", 32),
    "course-untuned": ("D with tf.data's autotuning off for the pipelines Keras builds over the arrays "
                       "(config.input_autotuning(False), as every notebook's setup() sets it), so that no "
                       "pipeline's end waits for the tuning thread", cu.training.BATCH_SIZE),
}

#: The phases, in order, each as (name, first mark, last mark).
PHASES = (
    ("images prepared (float32: divided by 255)", "start", "prepared"),
    ("build", "prepared", "built"),
    ("compile", "built", "compiled"),
    ("fit set-up (data adapter, callbacks)", "compiled", "train_begin"),
    ("first training step (iterator, tracing)", "train_begin", "first_train_batch"),
    ("steady training steps", "first_train_batch", "last_train_batch"),
    ("first validation step (adapter, tracing)", "last_train_batch", "first_test_batch"),
    ("other validation steps", "first_test_batch", "last_test_batch"),
    ("end of fit", "last_test_batch", "fit_returned"),
)


#: What a training pays however short it is: everything but the steady steps (the first steps included).
FIXED = "fixed cost: total less the steady training and validation steps"


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def phases(marks: dict) -> dict:
    """Wall and CPU seconds of each phase from the clocks at the marks: {phase: (wall, cpu)}, plus "total" and
    the fixed cost (``FIXED``)."""
    missing = [mark for _, first, last in PHASES for mark in (first, last) if mark not in marks]
    if missing:
        raise ValueError(f"phases: marks {sorted(set(missing))} are missing; fit() did not reach them "
                         "(one epoch with validation data passes every mark).")
    result = {}
    for name, first, last in PHASES:
        result[name] = tuple(b - a for a, b in zip(marks[first], marks[last], strict=True))
    result["total"] = tuple(b - a for a, b in zip(marks["start"], marks["fit_returned"], strict=True))
    steady = (result["steady training steps"], result["other validation steps"])
    result[FIXED] = tuple(total - train - test for total, train, test in zip(result["total"], *steady, strict=True))
    return result


def _marking_callback(marks: dict):
    import keras

    class Marks(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            marks["train_begin"] = _clocks()

        def on_train_batch_end(self, batch, logs=None):
            marks.setdefault("first_train_batch", _clocks())
            marks["last_train_batch"] = _clocks()
            marks["train_steps"] = batch + 1

        def on_test_batch_end(self, batch, logs=None):
            marks.setdefault("first_test_batch", _clocks())
            marks["last_test_batch"] = _clocks()
            marks["test_steps"] = batch + 1

    return Marks()


def _timed(callback, spent: list):
    """``callback`` with the wall seconds spent in its hooks added to ``spent[0]``."""
    import keras

    hooks = [name for name in dir(keras.callbacks.Callback) if name.startswith("on_")]

    class Timed(keras.callbacks.Callback):
        def set_params(self, params):
            super().set_params(params)
            callback.set_params(params)

        def set_model(self, model):
            super().set_model(model)
            callback.set_model(model)

    def forward(hook):
        def call(self, *args, **kwargs):
            start = time.perf_counter()
            try:
                return getattr(callback, hook)(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - start

        return call

    for hook in hooks:
        setattr(Timed, hook, forward(hook))
    return Timed()


def fresh_starts(x, y, x_val, y_val):
    """The course network for "course-fresh": built and compiled once, its training and test steps traced."""
    training = cu.training
    starts = training.FreshStarts(cu.models.course_cnn, lambda model: training.compile_course_recipe(model, len(x), 1))
    starts.model.fit(x[:256], y[:256], batch_size=training.BATCH_SIZE, verbose=0, validation_data=(x_val, y_val))
    return starts


def measure(recipe: str, seed: int, x, y, x_val, y_val, starts=None) -> dict:
    """One epoch of ``recipe``: the phases' wall and CPU seconds, the steps, and the seconds in progress hooks.
    ``starts`` (``fresh_starts``) is the traced network that "course-fresh" resets."""
    import keras

    keras.utils.set_random_seed(seed)
    marks, spent = {}, [0.0]
    training = cu.training
    marks["start"] = _clocks()
    if recipe == "course-float32":  # one change: the images' type, and so where they are scaled
        x, x_val = cu.data.normalize(x), cu.data.normalize(x_val)
    marks["prepared"] = _clocks()
    if recipe == "course-fresh":  # "build" is the reset to this seed's start; compiled already
        model = starts.fresh(seed)
    else:
        model = (cu.models.seed_cnn() if recipe == "seed" else
                 cu.models.course_cnn(pixel_scale=None if recipe == "course-float32" else cu.models.PIXEL_SCALE))
    marks["built"] = _clocks()
    if recipe == "seed":
        training.compile_seed_recipe(model)
    elif recipe != "course-fresh":
        training.compile_course_recipe(model, len(x), 1)
    if recipe in ("course-built", "course-untuned"):
        training.build_for_fit(model, x, y)
    marks["compiled"] = _clocks()
    callbacks = [_timed(c, spent) for c in training.progress()] + [_marking_callback(marks)]
    autotuning = cu.config.input_autotuning(recipe != "course-untuned")
    try:
        model.fit(x, y, batch_size=RECIPES[recipe][1], epochs=1, verbose=0, validation_data=(x_val, y_val),
                  callbacks=callbacks)
        marks["fit_returned"] = _clocks()
    finally:
        cu.config.input_autotuning(autotuning)
    return {"phases": phases(marks), "train_steps": marks["train_steps"], "test_steps": marks["test_steps"],
            "progress_seconds": spent[0]}


def summarize(runs: dict) -> list[dict]:
    """Rows of the table: for each recipe and phase, wall and CPU seconds as mean and sample std over seeds."""
    rows = []
    for recipe, results in runs.items():
        names = [name for name, _, _ in PHASES] + ["total", FIXED]
        for name in names:
            walls = [r["phases"][name][0] for r in results]
            cpus = [r["phases"][name][1] for r in results]
            rows.append({"recipe": recipe, "phase": name, "wall": bench.mean_std(walls), "cpu": bench.mean_std(cpus)})
        steady = [1000 * r["phases"]["steady training steps"][0] / max(r["train_steps"] - 1, 1) for r in results]
        rows.append({"recipe": recipe, "phase": "per steady training step, in milliseconds",
                     "wall": bench.mean_std(steady), "cpu": None})
        hooks = [r["progress_seconds"] for r in results]
        rows.append({"recipe": recipe, "phase": "of all this, in the progress callbacks' hooks",
                     "wall": bench.mean_std(hooks), "cpu": None})
    return rows


def _seconds(pair) -> str:
    if pair is None:
        return ""
    mean, std = pair
    return f"{mean:.2f}" if std != std else f"{mean:.2f} ± {std:.2f}"  # std is nan for one seed


def phase_table(record: dict) -> str:
    """The phases as rows, each recipe's wall and CPU seconds as columns."""
    seeds = f"{record['seeds']} seed{'s' if record['seeds'] != 1 else ''}"
    recipes = list(dict.fromkeys(row["recipe"] for row in record["rows"]))
    cells = {(row["recipe"], row["phase"]): row for row in record["rows"]}
    lines = [f"Where a `fit()`'s time goes, measured with `{record['command']}` on {record['machine']} "
             f"(TensorFlow {record['tensorflow']}, Python {record['python']}; {seeds}, one epoch of "
             f"{record['train_images']:,} images with {record['validation_images']:,} validation images; seconds, "
             "mean ± sample std; CPU seconds count every thread). Recipes: "
             + "; ".join(f"**{chr(65 + i)}**, {RECIPES[recipe][0]}" for i, recipe in enumerate(recipes)) + ".", "",
             "| phase | " + " | ".join(f"{chr(65 + i)} wall s | {chr(65 + i)} CPU s" for i in range(len(recipes)))
             + " |", "|---" * (1 + 2 * len(recipes)) + "|"]
    for phase in dict.fromkeys(row["phase"] for row in record["rows"]):
        values = [(_seconds(cells[recipe, phase]["wall"]), _seconds(cells[recipe, phase]["cpu"]))
                  for recipe in recipes]
        lines.append(f"| {phase} | " + " | ".join(f"{wall} | {cpu}" for wall, cpu in values) + " |")
    if all(recipe in recipes for lever in LEVERS for recipe in lever[:2]):
        lines += ["", "The fixed-cost levers, each against the same recipe without it (\"tie\": the means differ by "
                  "no more than their two spreads together, the course's rule):", "", lever_table(record)]
    return "\n".join(lines)


#: The fixed-cost levers, each one change: (the recipe with it, the recipe without it, the change). The last row
#: is every kept change together against the course as the fixed cost was first measured (float32 images).
LEVERS = (
    ("course", "course-float32", "uint8 images, scaled in the network (A against B)"),
    ("course-fresh", "course", "one network traced once, reset to each seed's start (C against A)"),
    ("course-built", "course", "the step traced once: build_for_fit (D against A)"),
    ("course-untuned", "course-built", "tf.data's autotuning off (F against D)"),
    ("course-untuned", "course-float32", "all three kept changes together (F against B)"),
)
#: The rows a lever is judged on.
LEVER_PHASES = ((FIXED, "wall"), (FIXED, "cpu"), ("end of fit", "wall"))


def lever_table(record: dict) -> str:
    """Each fixed-cost lever against the same recipe without it: mean ± std, the ratio of the means, and the
    verdict of the course's rule (``reference.compare_spreads``)."""
    cells = {(row["recipe"], row["phase"]): row for row in record["rows"]}
    header = " | ".join(f"{phase if phase != FIXED else 'fixed cost'}, {'CPU' if clock == 'cpu' else clock} s"
                        for phase, clock in LEVER_PHASES)
    lines = [f"| lever (one change) | {header} |", "|---" * (1 + len(LEVER_PHASES)) + "|"]
    for changed, base, change in LEVERS:
        values = []
        for phase, clock in LEVER_PHASES:
            now, before = cells[changed, phase][clock], cells[base, phase][clock]
            ratio = f", {before[0] / now[0]:.1f}x less" if phase == FIXED and before[0] > now[0] > 0 else ""
            values.append(f"{_seconds(now)} against {_seconds(before)}{ratio}: "
                          f"{cu.reference.compare_spreads(now, before)}")
        lines.append(f"| {change} | " + " | ".join(values) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = bench.side_run_arguments(argv, __doc__)
    import tensorflow as tf

    (x, y), (x_val, y_val) = bench.notebooks_split()
    seeds = SEEDS
    if args.quick:
        x, y, x_val, y_val, seeds = x[:2000], y[:2000], x_val[:1000], y_val[:1000], SEEDS[:1]
    runs = {recipe: [] for recipe in RECIPES}
    starts = fresh_starts(x, y, x_val, y_val)
    for i, seed in enumerate(seeds):
        order = list(RECIPES)[i % len(RECIPES):] + list(RECIPES)[:i % len(RECIPES)]  # rotated: load falls on both
        for recipe in order:
            result = measure(recipe, seed, x, y, x_val, y_val, starts)
            runs[recipe].append(result)
            print(f"seed {seed}, {recipe}: {result['phases']['total'][0]:.1f} s in all", flush=True)
    record = {"command": COMMAND if not args.quick else "python -m scripts.fit_phases --quick",
              "seeds": len(seeds), "train_images": len(x), "validation_images": len(x_val),
              "machine": f"{bench.timings.cpu_name()}, {os.cpu_count()} cores, "
                         f"{'with' if tf.config.list_physical_devices('GPU') else 'no'} GPU",
              "tensorflow": tf.__version__, "python": platform.python_version(),
              "rows": summarize(runs)}
    print()
    print(phase_table(record))
    if args.record:
        bench.record_beside("phases", record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
