#!/usr/bin/env python3
"""Training speed on Fashion-MNIST: the seed notes' recipe against the course's, over several seeds.

    python -m scripts.benchmark_training --record   # the README's table: 5 seeds (about 40 minutes on 2 cores)
    python -m scripts.benchmark_training --quick    # one seed on small slices: checks that it runs (the tests)

The method is the one the fastest-training studies report (airbench for CIFAR-10, for one): each
recipe is trained for fixed budgets, and a budget is scored by the accuracy at the *end* of its
schedule, as mean and sample standard deviation over seeds, never by the best of many checkpoints.

- A budget is a number of epochs, and with it the schedule: the course's one-cycle schedule ends at
  zero on the budget's last step, so every budget is a run of its own. The seed notes train at a
  constant rate, so each of their epochs' end is a budget of the same run.
- Every run trains on the notebooks' 54,000 training images and is scored on the 6,000 validation
  images carved from Fashion-MNIST's training set. All choices are made on these scores:
  "time to 91 %" is, for each recipe, the cheapest budget whose mean validation accuracy is at
  least 91 %, and "best within 8 units" the budget with the highest mean validation accuracy among
  those whose median training time is at most 8 yardstick units.
- Only then does the test set score, once per seed, what was chosen (plus the seed notes' own
  10 epochs, which nobody chose here). The other budgets show no test accuracy.
- Seconds count training only (``fit``, its graph tracing included), not the scoring. The
  seeds run one after the other and every recipe runs for each seed in turn, so a change of the
  machine's load falls on all recipes alike. The yardstick is the seed recipe's own median epoch
  (batch 32, 54,000 images) in the same run.
- GFLOP/s: the multiply-adds per image (``models.multiply_adds``) x 6 FLOPs per multiply-add in
  training x images per second, against this CPU's peak (cores x clock x FLOPs per cycle per core).

``--record`` writes the result to ``scripts/benchmark_runs.json`` under "cpu" or, on a machine with
a GPU, "gpu", and rewrites the README's table from that file; tests/test_benchmark.py checks
that the two agree. A measurement, not a test: its numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import course_utils as cu
from scripts import timings

ROOT = Path(__file__).resolve().parent.parent
RECORD_FILE = ROOT / "scripts" / "benchmark_runs.json"
TABLE_START, TABLE_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"
COMMAND = "python -m scripts.benchmark_training --record"

SEEDS = (0, 1, 2, 3, 4)
FAST_TARGET = 0.91
UNITS_LIMIT = 8.0
#: The seed notes' own budget: it is scored on the test set too, as the notes ran it.
SEED_NOTES_EPOCHS = 10
#: Training FLOPs per multiply-add per image: the forward pass (2) and the backward pass (4).
FLOPS_PER_MULTIPLY_ADD = 6


@dataclass(frozen=True)
class Recipe:
    key: str
    name: str
    batch_size: int
    budgets: tuple  # epochs
    constant_rate: bool  # True: one run, each epoch's end a budget

    def build(self, n_images: int, epochs: int):
        training, models = cu.training, cu.models
        if self.key == "seed":
            return training.compile_seed_recipe(models.seed_cnn())
        if self.key == "course":
            return training.compile_course_recipe(models.course_cnn(), n_images, epochs)
        return training.compile_course_recipe(models.accurate_cnn(), n_images, epochs)


RECIPES = (
    Recipe("seed", "seed notes: 32/64, dropout, Adam 1e-3", 32, tuple(range(1, SEED_NOTES_EPOCHS + 1)), True),
    Recipe("course", "course: 16/32, one-cycle Adam", cu.training.BATCH_SIZE, (1, 2, 3), False),
    Recipe("accurate", "course, accurate: 32/64, dropout 0.3, one-cycle Adam", cu.training.BATCH_SIZE, (5, 7),
           False),
)
QUICK_BUDGETS = {"seed": (1, 2), "course": (1,), "accurate": (1,)}


def accuracy(model, x, y) -> float:
    import numpy as np

    return float(np.mean(model.predict(x, batch_size=1000, verbose=0).argmax(axis=1) == y))


def train(recipe: Recipe, budgets, seed: int, x, y, x_val, y_val) -> list[dict]:
    """Train ``recipe`` for each budget; one dict per budget: seconds, validation accuracy, weights."""
    import keras

    results = []
    if recipe.constant_rate:
        keras.utils.set_random_seed(seed)
        model = recipe.build(len(x), max(budgets))
        epoch_seconds = []

        class EpochEnds(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.started = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                epoch_seconds.append(time.perf_counter() - self.started)  # before scoring: training time only
                if epoch + 1 in budgets:
                    results.append({"epochs": epoch + 1, "seconds": sum(epoch_seconds), "epoch_seconds": epoch_seconds,
                                    "val": accuracy(self.model, x_val, y_val),
                                    "weights": self.model.get_weights()})

        model.fit(x, y, batch_size=recipe.batch_size, epochs=max(budgets), verbose=0, callbacks=[EpochEnds()])
        return results
    for epochs in budgets:
        keras.utils.set_random_seed(seed)
        model = recipe.build(len(x), epochs)
        start = time.perf_counter()
        model.fit(x, y, batch_size=recipe.batch_size, epochs=epochs, verbose=0)
        seconds = time.perf_counter() - start
        results.append({"epochs": epochs, "seconds": seconds, "epoch_seconds": None,
                        "val": accuracy(model, x_val, y_val), "weights": model.get_weights()})
    return results


def mean_std(values) -> tuple[float, float]:
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else float("nan"))


def cpu_peak_gflops() -> tuple[float, str]:
    """This CPU's peak single-precision rate and how it was reckoned: cores x clock x FLOPs per cycle.

    Two fused multiply-add units per core, each 8 floats wide with AVX2 (AMD's AVX-512 runs on
    the same 256-bit units), 16 wide on Intel's AVX-512: 32 or 64 FLOPs per cycle per core.
    """
    flags, mhz, vendor = set(), None, ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            key = key.strip().lower()
            if key == "flags" and not flags:
                flags = set(value.split())
            elif key == "cpu mhz" and mhz is None:
                mhz = float(value)
            elif key == "vendor_id" and not vendor:
                vendor = value.strip()
    except (OSError, ValueError):
        pass
    if not flags or not mhz:
        return float("nan"), "unknown (no /proc/cpuinfo)"
    if "avx512f" in flags and vendor == "GenuineIntel":
        per_cycle, unit = 64, "2 x AVX-512 FMA"
    elif "fma" in flags and "avx2" in flags:
        per_cycle, unit = 32, "2 x 256-bit FMA"
    else:
        per_cycle, unit = 8, "SSE"
    cores = os.cpu_count() or 1
    return cores * mhz / 1000 * per_cycle, f"{cores} cores x {mhz / 1000:.2f} GHz x {per_cycle} FLOPs/cycle ({unit})"


def summarize(recipes, runs, n_train: int, yardstick: float, multiply_adds: dict) -> list[dict]:
    """One row per (recipe, budget): validation mean and std over seeds, median seconds, units, GFLOP/s."""
    rows = []
    for recipe in recipes:
        for epochs in sorted({r["epochs"] for r in runs[recipe.key]}):
            mine = [r for r in runs[recipe.key] if r["epochs"] == epochs]
            seconds = statistics.median(r["seconds"] for r in mine)
            val_mean, val_std = mean_std([r["val"] for r in mine])
            rate = FLOPS_PER_MULTIPLY_ADD * multiply_adds[recipe.key] * n_train * epochs / seconds / 1e9
            rows.append({"recipe": recipe.key, "name": recipe.name, "epochs": epochs, "seconds": seconds,
                         "units": seconds / yardstick, "val_mean": val_mean, "val_std": val_std,
                         "gflops": rate, "seeds": len(mine)})
    return rows


def choose(rows) -> dict:
    """The choices, made on validation accuracy only: (recipe, epochs) -> what it was chosen for."""
    chosen = {}
    for recipe in {row["recipe"] for row in rows}:
        fast = [row for row in rows if row["recipe"] == recipe and row["val_mean"] >= FAST_TARGET]
        if fast:
            pick = min(fast, key=lambda row: row["seconds"])
            chosen.setdefault((recipe, pick["epochs"]), []).append(f"time to {FAST_TARGET:.0%}")
    within = [row for row in rows if row["units"] <= UNITS_LIMIT and row["recipe"] != "seed"]
    if within:
        pick = max(within, key=lambda row: row["val_mean"])
        chosen.setdefault((pick["recipe"], pick["epochs"]), []).append(f"best within {UNITS_LIMIT:.0f} units")
    seed_rows = [row for row in rows if row["recipe"] == "seed"]
    if seed_rows:
        last = max(row["epochs"] for row in seed_rows)
        chosen.setdefault(("seed", last), []).append("the notes' budget" if last == SEED_NOTES_EPOCHS else "last")
    return chosen


def fmt_pct(mean: float, std: float) -> str:
    return f"{mean:.2%}" if math.isnan(std) else f"{mean:.2%} ± {std:.2%}"


def table(record: dict) -> str:
    """The markdown table and its summary lines for one recorded run."""
    lines = [
        "| recipe | epochs | validation accuracy | test accuracy | training s (median) | yardstick units "
        "| GFLOP/s | chosen for |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in record["rows"]:
        test = fmt_pct(row["test_mean"], row["test_std"]) if "test_mean" in row else "not scored"
        lines.append(f"| {row['name']} | {row['epochs']} | {fmt_pct(row['val_mean'], row['val_std'])} | {test} "
                     f"| {row['seconds']:.1f} | {row['units']:.2f} | {row['gflops']:.1f} "
                     f"| {', '.join(row.get('chosen', [])) or ''} |")
    lines.append("")
    lines += [f"- {line}" for line in summary_lines(record["rows"], record["peak_gflops"], record["peak"])]
    return "\n".join(lines)


def summary_lines(rows, peak: float, peak_words: str) -> list[str]:
    """The goals read off the rows: the speed-up to 91 %, the best within 8 units, the arithmetic rate."""
    lines = []
    target = f"time to {FAST_TARGET:.0%}"
    fast = [row for row in rows if target in row.get("chosen", [])]
    seed = next((row for row in fast if row["recipe"] == "seed"), None)
    course = min((row for row in fast if row["recipe"] != "seed"), key=lambda row: row["seconds"], default=None)
    if seed and course:
        lines.append(
            f"Time to {FAST_TARGET:.0%} (each recipe's cheapest budget whose mean validation accuracy reaches it): "
            f"{course['name']}, {course['epochs']} epoch{'s' * (course['epochs'] != 1)}, {course['seconds']:.1f} s, "
            f"against the seed notes' "
            f"{seed['epochs']} epochs, {seed['seconds']:.1f} s: **{seed['seconds'] / course['seconds']:.1f}x** "
            f"(goal: 10x). Their test accuracy: {fmt_pct(course['test_mean'], course['test_std'])} against "
            f"{fmt_pct(seed['test_mean'], seed['test_std'])}.")
    for row in (row for row in rows if f"best within {UNITS_LIMIT:.0f} units" in row.get("chosen", [])):
        lines.append(f"Best within {UNITS_LIMIT:.0f} yardstick units (chosen on validation): {row['name']}, "
                     f"{row['epochs']} epochs, {row['units']:.1f} units: test accuracy "
                     f"**{fmt_pct(row['test_mean'], row['test_std'])}** (goal: 93.0 %).")
    top = max(rows, key=lambda row: row["gflops"])
    lines.append(f"Arithmetic rate: at most {top['gflops']:.1f} GFLOP/s ({top['name']}, {top['epochs']} epochs), "
                 f"{top['gflops'] / peak:.0%} of this CPU's peak of {peak:.0f} GFLOP/s ({peak_words}).")
    return lines


def lever_table(levers: dict) -> str:
    lines = [f"Levers, measured with `{levers['command']}` ({levers['seeds']} seeds, one change at a time against "
             f"the course recipe at {levers['epochs']} epoch; validation accuracy, training seconds; yardstick "
             f"{levers['yardstick']:.1f} s):", "",
             "| lever | validation accuracy | accuracy | training s (median) | seconds | pays for time to 91 % |",
             "|---|---|---|---|---|---|"]
    for row in levers["rows"]:
        accuracy = (f"{statistics.mean(row['val']):.2%} ± {statistics.stdev(row['val']):.2%}" if len(row["val"]) > 1
                    else f"{row['val'][0]:.2%}")
        lines.append(f"| {row['lever']} | {accuracy} | {row.get('accuracy_verdict', '')} "
                     f"| {row['seconds_median']:.1f} | {row.get('seconds_verdict', '')} "
                     f"| {({True: 'yes', False: 'no'}).get(row.get('pays'), '')} |")
    return "\n".join(lines)


def record_text(records: dict) -> str:
    """The README block: the CPU run, then the GPU run or where it would come from."""
    parts = []
    for kind in ("cpu", "gpu"):
        record = records.get(kind)
        if record is None:
            parts.append(f"**{kind.upper()}:** not yet measured. `{COMMAND}` on a machine with a GPU adds this "
                         "table beside the CPU one.")
            continue
        parts.append(f"**{kind.upper()}:** measured with `{record['command']}` on {record['machine']} "
                     f"({record['seeds']} seeds; TensorFlow {record['tensorflow']}, Python {record['python']}; "
                     f"yardstick {record['yardstick']:.1f} s, the seed notes' median epoch in this run).")
        parts.append("")
        parts.append(table(record))
        if record.get("levers"):
            parts.append(lever_table(record["levers"]))
        if record.get("phases"):
            from scripts.fit_phases import phase_table  # it imports this module

            parts.append(phase_table(record["phases"]))
    return "\n\n".join(parts).replace("\n\n\n", "\n\n")


def update_readme(records: dict) -> None:
    timings.write_readme_block(TABLE_START, TABLE_END, record_text(records))


def readme_block() -> str:
    return timings.readme_block(TABLE_START, TABLE_END)


def load_records() -> dict:
    return json.loads(RECORD_FILE.read_text(encoding="utf-8")) if RECORD_FILE.is_file() else {}


def side_run_arguments(argv, doc: str) -> argparse.Namespace:
    """The options of a run recorded beside the benchmark (--quick, --record), checked, with TensorFlow quiet."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one seed, 2,000 training and 1,000 validation images")
    parser.add_argument("--record", action="store_true", help="add the table to scripts/benchmark_runs.json")
    args = parser.parse_args(argv)
    if args.record and args.quick:
        parser.error("--record needs the full run, not --quick")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    cu.config.quiet_tensorflow_import()
    return args


def notebooks_split():
    """The notebooks' split of Fashion-MNIST's training images: ``(x, y), (x_val, y_val)``, 54,000 and 6,000."""
    data = cu.data.load_fashion_mnist(verbose=False)
    return cu.data.train_val_split(data.x_train[..., None], data.y_train, val_fraction=0.1)


def record_beside(key: str, table: dict) -> None:
    """Store ``table`` under ``key`` beside this machine's benchmark run (CPU or GPU), and rewrite the README."""
    import tensorflow as tf

    records = load_records()
    kind = "gpu" if tf.config.list_physical_devices("GPU") else "cpu"
    if kind not in records:
        raise SystemExit(f"no {kind.upper()} benchmark recorded yet: run {COMMAND} first")
    records[kind][key] = table
    RECORD_FILE.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    update_readme(records)
    print(f"recorded in {RECORD_FILE.relative_to(ROOT)} and the README")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="one seed, 2,000 training and 1,000 validation and test images, short budgets")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    parser.add_argument("--only", nargs="+", choices=[r.key for r in RECIPES], help="run these recipes only")
    parser.add_argument("--record", action="store_true",
                        help="write scripts/benchmark_runs.json and the README's table (full runs only)")
    args = parser.parse_args(argv)
    if args.record and (args.quick or args.only or len(args.seeds) < 5):
        parser.error("--record needs the full run: all recipes, at least 5 seeds, no --quick")

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    cu.config.quiet_tensorflow_import()
    import keras
    import tensorflow as tf

    data = cu.data.load_fashion_mnist(verbose=False)
    x_all = data.x_train[..., None]
    x_test, y_test = data.x_test[..., None], data.y_test
    (x_train, y_train), (x_val, y_val) = cu.data.train_val_split(x_all, data.y_train, val_fraction=0.1)
    full_train = (x_train, y_train)  # the yardstick's 54,000 images, also in a --quick run
    seeds = args.seeds
    recipes = [r for r in RECIPES if not args.only or r.key in args.only]
    budgets = {r.key: r.budgets for r in recipes}
    if args.quick:
        x_train, y_train, x_val, y_val = x_train[:2000], y_train[:2000], x_val[:1000], y_val[:1000]
        x_test, y_test, seeds = x_test[:1000], y_test[:1000], seeds[:1]
        budgets = {r.key: QUICK_BUDGETS[r.key] for r in recipes}

    runs = {r.key: [] for r in recipes}
    for seed in seeds:
        for recipe in recipes:
            for result in train(recipe, budgets[recipe.key], seed, x_train, y_train, x_val, y_val):
                runs[recipe.key].append({**result, "seed": seed})
                print(f"seed {seed}, {recipe.name}, epochs {result['epochs']}: {result['seconds']:.1f} s, "
                      f"validation {result['val']:.2%}", flush=True)

    # The yardstick: the seed recipe's median epoch after the first (which also traces the graph), scaled to
    # 54,000 images; without the seed recipe, time it on its own.
    longest = [r for r in runs.get("seed", []) if r["epochs"] == max(budgets.get("seed", (0,)))]
    epochs_after_first = [s for r in longest for s in r["epoch_seconds"][1:]]
    if epochs_after_first:
        yardstick = statistics.median(epochs_after_first) * 54_000 / len(x_train)
    else:
        yardstick = cu.training.time_yardstick(*full_train)
    multiply_adds = {r.key: cu.models.multiply_adds(r.build(len(x_train), 1)) for r in recipes}
    rows = summarize(recipes, runs, len(x_train), yardstick, multiply_adds)
    chosen = choose(rows)

    # The test set, once per seed, for what was chosen on validation.
    by_key = {r.key: r for r in recipes}
    for row in rows:
        reasons = chosen.get((row["recipe"], row["epochs"]))
        if not reasons:
            continue
        row["chosen"] = reasons
        recipe, scores = by_key[row["recipe"]], []
        for run in (r for r in runs[row["recipe"]] if r["epochs"] == row["epochs"]):
            model = recipe.build(len(x_train), row["epochs"])
            model.set_weights(run["weights"])
            scores.append(accuracy(model, x_test, y_test))
        row["test_mean"], row["test_std"] = mean_std(scores)
        row["test"] = scores

    gpu = bool(tf.config.list_physical_devices("GPU"))
    peak, peak_words = cpu_peak_gflops()
    machine = f"{timings.cpu_name()}, {os.cpu_count()} cores, {'with' if gpu else 'no'} GPU"
    record = {
        "command": COMMAND if not args.quick else "python -m scripts.benchmark_training --quick",
        "machine": machine, "seeds": len(seeds), "yardstick": round(yardstick, 2),
        "tensorflow": tf.__version__, "keras": keras.__version__, "python": platform.python_version(),
        "train_images": len(x_train), "validation_images": len(x_val), "test_images": len(x_test),
        "multiply_adds_per_image": multiply_adds, "peak_gflops": round(peak, 1), "peak": peak_words,
        "rows": [{k: (round(v, 5) if isinstance(v, float) else v) for k, v in row.items()} for row in rows],
        "validation_per_seed": {f"{r['recipe']}/{r['epochs']}": [round(run["val"], 4) for run in runs[r["recipe"]]
                                                                 if run["epochs"] == r["epochs"]] for r in rows},
    }
    print(f"\nmachine: {machine}; TensorFlow {tf.__version__}, Python {platform.python_version()}; "
          f"{len(seeds)} seed(s), {len(x_train):,} training images; yardstick {yardstick:.1f} s")
    print(table(record))
    print(f"\nthe command: {record['command']}")
    if args.record:
        records = load_records()
        kind = "gpu" if gpu else "cpu"
        if records.get(kind, {}).get("levers"):  # a measurement of its own (scripts/benchmark_levers.py): kept
            record["levers"] = records[kind]["levers"]
        records[kind] = record
        RECORD_FILE.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        update_readme(records)
        print(f"recorded in {RECORD_FILE.relative_to(ROOT)} and the README")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
