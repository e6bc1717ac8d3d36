#!/usr/bin/env python3
"""Test accuracy and cost of one variant of the course recipe trained on all of Fashion-MNIST.

    python scripts/final_recipe_trials.py                                  # notebook 09's final training
    python scripts/final_recipe_trials.py --widths 32 64 128 --dense-units 64 --dropout 0.3 --epochs 8

Trains ``training.course_cnn`` (by default with notebook 09's final settings) with ``compile_course_recipe``
(Adam, one-cycle, batch 128) on the 60,000 training images, as notebook 09's final cell does (there in
the order of its training/validation split, here in the files' order, so the same settings give close
but not equal numbers), and scores the 10,000 test images once: plain, and with each image's prediction
averaged with its left-right mirror image's (test-time augmentation, ``training.predict_with_flips``).
It also times the yardstick, so the training seconds can be read in units. This is a measurement for
choosing notebook 09's final recipe, not a test.

What it measured (dropout before the output layer; test accuracy plain / with flip averaging):

    widths     dense  dropout  augmentation  epochs  seed  test     flip-averaged
    16/32       64    0        none          6       0     92.41 %  -        (notebook 09's final cell, its run)
    16/32       64    0.3      none          8       0     92.43 %  88.79 %
    16/32       64    0.3      flip          8       0     92.22 %  92.59 %
    16/32       64    0.3      flip + shift  10      0     91.05 %  91.31 %
    16/32/64    64    0.3      none          8       0     92.52 %  89.96 %
    16/32/64    64    0.3      flip          8       0     92.36 %  92.67 %
    24/48/96    64    0.3      flip          8       0     92.82 %  93.04 %
    32/64/128   64    0.3      none          6       0     92.84 %  90.60 %
    32/64/128   64    0.3      flip          6       0     92.86 %  93.06 %
    32/64/128   64    0.3      flip          8       0     92.96 %  93.54 %  (about twice the cost of the last rows)
    32/64/128   64    0.3      flip          8       1     92.82 %  93.34 %
    16/32       256   0.4      flip          8       0     92.63 %  92.95 %
    16/32/64    256   0.4      flip          8       0     92.63 %  93.09 %
    16/32       512   0.5      flip          8       0     92.94 %  93.07 %
    16/32/64    512   0.5      flip          8       0     92.73 %  93.13 %
    16/32/64    512   0.5      flip          8       1     92.65 %  93.10 %
    the same, as notebook 09's final cell (its data order)     92.23 %  92.66 %

Flip averaging helps only models trained with flips; shifts cost more than they give at these
epoch counts; a wider hidden layer is the cheapest gain. The last three rows show how far one recipe
moves with the data order and seed: half a point, so a 93 % target needs a recipe that averages about
93.5 %, and only the 32/64/128 rows come near that, at 10 or more units for that one training, where
notebook 09 has about 4.5 units left beside its other sections. The table leaves the units out: the
machine's speed changed by a factor of three between runs. These rows score the test set, so choosing
among them flatters the winner a little (notebook 09, section 5); a new study should choose on a validation split.
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
    parser.add_argument("--dense-units", type=int, default=cu.training.DENSE_UNITS)
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
    model = cu.training.course_cnn(widths=tuple(args.widths), dense_units=args.dense_units, dropout=args.dropout,
                                   augmentation=args.augmentation)
    cu.training.compile_course_recipe(model, len(x), args.epochs)
    start = time.perf_counter()
    model.fit(x, y, epochs=args.epochs, batch_size=cu.training.BATCH_SIZE, verbose=0)
    seconds = time.perf_counter() - start
    plain = model.predict(x_test, batch_size=1000, verbose=0)
    accuracy = np.mean(plain.argmax(axis=1) == y_test)
    averaged = np.mean(cu.training.predict_with_flips(model, x_test).argmax(axis=1) == y_test)
    print(f"widths {'/'.join(map(str, args.widths))}, dense {args.dense_units}, dropout {args.dropout:g}, "
          f"augmentation {args.augmentation}, {args.epochs} epochs, seed {args.seed}: test accuracy {accuracy:.2%}, "
          f"with flip averaging {averaged:.2%}; training {seconds:.0f} s = {seconds / yardstick:.1f} units "
          f"(yardstick {yardstick:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
