#!/usr/bin/env python3
"""Test accuracy and cost of one variant of the course recipe trained on all of Fashion-MNIST.

    python scripts/final_recipe_trials.py                                  # notebook 09's final training
    python scripts/final_recipe_trials.py --widths 32 64 128 --dropout 0.3 --augmentation flip --epochs 8

Trains ``training.course_cnn`` with ``compile_course_recipe`` (Adam, one-cycle, batch 128) on the
60,000 training images, as notebook 09's final cell does (there in the order of its training/validation
split, here in the files' order, so the same settings give close but not equal numbers), and scores
the 10,000 test images once: plain, and with each image's prediction averaged with its left-right
mirror image's (test-time augmentation). It also times the yardstick, so the training seconds can be
read in units. This is a measurement for choosing notebook 09's final recipe, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import course_utils as cu  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", type=int, nargs="+", default=list(cu.training.WIDTHS))
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--augmentation", choices=cu.models.AUGMENTATIONS, default="none")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    cu.config.quiet_tensorflow_import()
    import keras
    import numpy as np

    data = cu.data.load_fashion_mnist(verbose=False)
    x, y = cu.data.normalize(data.x_train)[..., None], data.y_train
    x_test, y_test = cu.data.normalize(data.x_test)[..., None], data.y_test
    yardstick = cu.training.time_yardstick(x, y)

    keras.utils.set_random_seed(args.seed)
    model = cu.training.course_cnn(widths=tuple(args.widths), dropout=args.dropout, augmentation=args.augmentation)
    cu.training.compile_course_recipe(model, len(x), args.epochs)
    start = time.perf_counter()
    model.fit(x, y, epochs=args.epochs, batch_size=cu.training.BATCH_SIZE, verbose=0)
    seconds = time.perf_counter() - start
    plain = model.predict(x_test, batch_size=1000, verbose=0)
    mirrored = model.predict(x_test[:, :, ::-1], batch_size=1000, verbose=0)
    accuracy = np.mean(plain.argmax(axis=1) == y_test)
    averaged = np.mean((plain + mirrored).argmax(axis=1) == y_test)
    print(f"widths {'/'.join(map(str, args.widths))}, dropout {args.dropout:g}, augmentation {args.augmentation}, "
          f"{args.epochs} epochs, seed {args.seed}: test accuracy {accuracy:.2%}, with flip averaging "
          f"{averaged:.2%}; training {seconds:.0f} s = {seconds / yardstick:.1f} units (yardstick {yardstick:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
