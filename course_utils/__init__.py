"""Helpers for the Deep Learning, Hands-On course.

Modules: ``config`` (profile, folders, setup), ``data`` (datasets and small
helpers), ``reference`` (NumPy versions of what the notebooks teach),
``models`` (shared Keras builders), ``training`` (recipe, progress, timing),
``transfer`` (notebook 10's source model and tasks), ``plots``, ``widgets`` and
``checks`` (exercises with feedback).
"""

import os

# Quiet TensorFlow's C++ logging (errors still raise in Python).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from . import checks, config, data, models, plots, reference, training, transfer  # noqa: E402
from .config import pick, profile, setup  # noqa: E402

__version__ = "0.1.0"
__all__ = ["checks", "config", "data", "models", "plots", "reference", "training", "transfer", "pick", "profile",
           "setup"]
