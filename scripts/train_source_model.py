#!/usr/bin/env python3
"""Train notebook 10's source model and save it in course_utils/assets.

    python -m scripts.train_source_model           # train and write the files
    python -m scripts.train_source_model --check   # train and compare with the shipped file instead

The course CNN (notebook 08's recipe: 3 epochs, one-cycle Adam, batch 128, seed 0) on the
eight Fashion-MNIST classes other than T-shirt/top and Shirt. Writes
``course_utils/assets/fashion8_source.weights.h5`` (the weights only: ``transfer.source_architecture()``
builds the network, so any Keras 3 loads it) and ``fashion8_source.json`` (classes, settings, library
versions, test accuracy on the eight classes), which ``tests/test_transfer.py`` checks the file against.
"""

import argparse
import sys
import time
from pathlib import Path

import course_utils as cu

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped model; write nothing")
    args = parser.parse_args(argv)
    cu.setup(deterministic=False, verbose=False)
    import numpy as np

    from course_utils import transfer

    data = cu.data.load_fashion_mnist(verbose=False)
    x, x_test = data.x_train[..., None], data.x_test[..., None]
    start = time.perf_counter()
    model = transfer.train_source_model(x, data.y_train, callbacks=cu.training.progress(live=False))
    x_source_test, y_source_test = transfer.relabel(x_test, data.y_test, transfer.SOURCE_CLASSES)
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    accuracy = model.evaluate(x_source_test, y_source_test, verbose=0)[1]
    if args.check:
        shipped = transfer.load_source_model().get_weights()
        difference = max(float(np.abs(a - b).max()) for a, b in zip(shipped, model.get_weights()))
        print(f"largest difference from the shipped weights: {difference:.3g}; test accuracy {accuracy:.2%} "
              f"(shipped: {transfer.source_record()['test_accuracy']:.2%})")
        return 0 if difference == 0 else 1
    transfer.save_source_model(model, accuracy)
    size = transfer.SOURCE_WEIGHTS_PATH.stat().st_size
    print(f"trained in {time.perf_counter() - start:.0f} s; test accuracy on the eight source classes "
          f"{accuracy:.2%}; wrote {transfer.SOURCE_WEIGHTS_PATH.relative_to(ROOT)} ({size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
