"""Helpers for the Deep Learning, Hands-On course.

Modules: ``validate`` (argument checks), ``reference`` (NumPy versions of what the notebooks teach, one module
per topic), ``data`` (datasets and small helpers), ``config`` (profile, folders, setup), ``models`` (shared
Keras builders, the course's CNNs), ``training`` (recipe, progress, timing), ``plots``, ``tuning`` (notebook 09's
rounds and lab runs), ``transfer`` (notebook 10's source model and tasks), ``widgets`` (one module per widget on
``widgets.base``) and ``checks`` (exercises with feedback); ``mirror`` serves the tests' downloads. The README's
"How the package is built" shows which may import which.
"""

import os

# Quiet TensorFlow's C++ logging (errors still raise in Python).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from . import checks, config, data, models, plots, reference, training, transfer, tuning  # noqa: E402
from .config import pick, profile, setup  # noqa: E402

__version__ = "0.1.0"
__all__ = ["checks", "config", "data", "models", "plots", "reference", "training", "transfer", "tuning", "pick",
           "profile", "setup"]
