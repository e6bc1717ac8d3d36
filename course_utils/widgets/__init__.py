"""Interactive widgets (core ipywidgets only; works with ipywidgets 7 and 8), one module per widget.

Each widget is a thin layer: its numbers come from a tested function in ``reference`` (or ``training`` for the
tuning lab), and its callback only redraws. ``base`` holds what they share: figures rendered to PNG (at twice
their CSS size, sharp on high-DPI screens) and shown in an ``ipywidgets.Image``, or on Colab in an ``HTML`` widget
as base64 (see ``config.widget_image_mode``), so they update in place without flicker; and ``CourseWidget``, the
display and update plumbing. Tests drive a widget headlessly (set ``.value``, call ``.click()``) and read what it
shows (``.plot.png``); in the browser each widget is driven by tests/test_browser.py.
"""

from __future__ import annotations

from .activations import ActivationExplorer, activation_axis_limits
from .base import PIXEL_RATIO, CourseWidget, FigureImage, Picture, axis_span, clamp
from .images import ImageBrowser
from .kernels import FIXED_RANGE, KernelExplorer
from .losses import LossExplorer, binary_loss_report
from .optimizers import SUGGESTED_RATES, OptimizerPlayground, descent_verdict, nearest_rate
from .perceptron import WEIGHT_RANGE, PerceptronPlayground, PerceptronTrainer, boundary_line, same_rate_note
from .tuning import TuningLab

__all__ = [
    "activation_axis_limits",
    "ActivationExplorer",
    "axis_span",
    "binary_loss_report",
    "boundary_line",
    "clamp",
    "CourseWidget",
    "descent_verdict",
    "FigureImage",
    "FIXED_RANGE",
    "ImageBrowser",
    "KernelExplorer",
    "LossExplorer",
    "nearest_rate",
    "OptimizerPlayground",
    "PerceptronPlayground",
    "PerceptronTrainer",
    "Picture",
    "PIXEL_RATIO",
    "same_rate_note",
    "SUGGESTED_RATES",
    "TuningLab",
    "WEIGHT_RANGE",
]
