#!/usr/bin/env python3
"""Augmentation against none on notebook 09's overfitting model, for longer than the notebook can train.

    python -m scripts.augmentation_trials --epochs 100 --record

Trains ``models.small_cnn`` with and without "flip + shift" augmentation on notebook 09's 1,000-image slice
(Adam 2e-3, batch 32, as its section 4), once per seed, and scores its 1,000 validation images each epoch
(``tuning.seed_curves``). Prints each arm's final validation accuracy and loss (mean ± sample std) and the
verdict of notebook 09's rule. ``--record`` writes them to ``course_utils/assets/augmentation_runs.json``, from
which notebook 09 says what a budget beyond its own showed. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import course_utils as cu
from course_utils.transfer import ASSETS

RECORD_PATH = ASSETS / "augmentation_runs.json"
ARMS = ("none", "flip + shift")
IMAGES = 1000  # notebook 09's slice


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--images", type=int, default=IMAGES)
    parser.add_argument("--record", action="store_true", help="write the result for notebook 09")
    args = parser.parse_args(argv)
    if args.record and (args.images != IMAGES or len(args.seeds) < 2):
        parser.error(f"--record writes notebook 09's experiment: only with --images {IMAGES} and two seeds or more")

    cu.config.quiet_tensorflow_import()
    import keras
    import tensorflow as tf

    from course_utils import reference as ref

    data = cu.data.load_fashion_mnist(verbose=False)
    (x_train, y_train), (x_val, y_val) = cu.data.train_val_split(data.x_train[..., None], data.y_train,
                                                                 val_fraction=0.1)
    x, y, x_check, y_check = x_train[:args.images], y_train[:args.images], x_val[:1000], y_val[:1000]
    arms, started = {}, time.perf_counter()
    for arm in ARMS:
        histories = cu.tuning.seed_curves(lambda arm=arm: cu.models.small_cnn(augmentation=arm), x, y, x_check,
                                          y_check, epochs=args.epochs, seeds=args.seeds)
        arms[arm] = {"val_accuracy": [round(h["val_accuracy"][-1], 4) for h in histories],
                     "val_loss": [round(h["val_loss"][-1], 4) for h in histories],
                     "gap": [round(h["train_accuracy"] - h["val_accuracy"][-1], 4) for h in histories]}
    for what in ("val_accuracy", "val_loss", "gap"):
        if len(args.seeds) > 1:
            summary = "  ".join("{}: {:.4f} ± {:.4f}".format(arm, *ref.mean_and_spread(arms[arm][what]))
                                for arm in ARMS)
            verdict = ref.compare_seeds(arms[ARMS[1]][what], arms[ARMS[0]][what])
        else:
            summary, verdict = "  ".join(f"{arm}: {arms[arm][what][0]:.4f}" for arm in ARMS), "one seed, no verdict"
        print(f"{args.epochs} epochs, final {what}: {summary}; {ARMS[1]} against {ARMS[0]}: {verdict}", flush=True)
    if args.record:
        record = {
            "experiment": f"models.small_cnn() with and without augmentation, {args.images:,} images, Adam 2e-3, "
                          f"batch 32, scored on 1,000 validation images (notebook 09, section 4)",
            "epochs": args.epochs, "seeds": args.seeds, "arms": arms,
            "seconds": round(time.perf_counter() - started),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, CPU only",
            "versions": {"tensorflow": tf.__version__, "keras": keras.__version__},
            "command": f"python -m scripts.augmentation_trials --epochs {args.epochs} --record",
        }
        RECORD_PATH.write_text(json.dumps(record, indent=1) + "\n")
        print(f"recorded in {RECORD_PATH.relative_to(RECORD_PATH.parents[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
