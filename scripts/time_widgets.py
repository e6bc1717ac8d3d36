#!/usr/bin/env python3
"""Median time of one widget update (move a control, get the new picture), per widget.

    python -m scripts.time_widgets
"""

import statistics
import time

from course_utils import widgets


def median_ms(setter, values, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        for value in values:
            start = time.perf_counter()
            setter(value)
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    playground = widgets.PerceptronPlayground()
    activation = widgets.ActivationExplorer()
    loss = widgets.LossExplorer()
    optimizer = widgets.OptimizerPlayground()
    kernel = widgets.KernelExplorer(photo="china", padding="same")
    cases = {
        "perceptron playground (w1 slider)": (lambda v: setattr(playground.w1, "value", v), [0.1, 0.4, 0.7, 1.0]),
        "activation explorer (function)": (lambda v: setattr(activation.function, "value", v),
                                           ["tanh", "relu", "sigmoid", "leaky_relu", "step"]),
        "activation explorer (z range)": (lambda v: setattr(activation.z_range, "value", v),
                                          [(-5.0, 5.0), (-3.0, 6.0), (-8.0, 2.0)]),
        "loss explorer (p slider)": (lambda v: setattr(loss.p, "value", v), [0.1, 0.3, 0.5, 0.7, 0.9]),
        "optimizer playground (learning rate, 50 steps)": (lambda v: setattr(optimizer.learning_rate, "value", v),
                                                           [0.01, 0.02, 0.05, 0.08]),
        "optimizer playground (optimizer)": (lambda v: setattr(optimizer.optimizer, "value", v),
                                             ["momentum", "adam", "rmsprop", "sgd"]),
        "kernel explorer (preset, 427x640 photo)": (lambda v: setattr(kernel.preset, "value", v),
                                                    ["sharpen", "blur (box)", "vertical edges (Sobel x)", "identity"]),
        "kernel explorer (one kernel cell)": (lambda v: setattr(kernel.cells[0], "value", v), [0.5, 1.0, -1.0, 2.0]),
    }
    for name, (setter, values) in cases.items():
        print(f"{name:48s} median {median_ms(setter, values):6.1f} ms")


if __name__ == "__main__":
    main()
