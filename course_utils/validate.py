"""Argument checks shared by every module: one clear sentence for what was wrong and what is allowed.

Each function takes ``who`` (the public function or class the student called), the
argument's ``name`` and its value; it returns the value in a clean form (a float, an
int, an array) or raises ``ValueError`` / ``TypeError`` with a message such as::

    Adam: beta_1 must be a number in [0, 1), got 1.0.

The exercise checkers' answer readers (``checks.core``) build on ``is_number`` and ``shown``: they raise
``Incorrect`` with feedback for a student's answer instead of an error for a wrong argument, but read a number
the same way.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from pathlib import Path

import numpy as np


def shown(value, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters: how every message quotes a value."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _interval(low, high, low_open: bool, high_open: bool) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f" {'>' if low_open else '>='} {low:g}"
    if low is None:
        return f" {'<' if high_open else '<='} {high:g}"
    return f" in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def is_number(value) -> bool:
    """A real number (int, float, NumPy scalar), not a bool, a string or an array."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def number(who: str, name: str, value, *, low=None, high=None, low_open: bool = False,
           high_open: bool = False) -> float:
    """A finite real number, optionally within [low, high] (``*_open`` excludes an end)."""
    allowed = f"a number{_interval(low, high, low_open, high_open)}"
    if not is_number(value):
        raise TypeError(f"{who}: {name} must be {allowed}, got {shown(value)} ({type(value).__name__}).")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{who}: {name} must be {allowed}, got {value!r}.")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{who}: {name} must be {allowed}, got {value!r}.")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{who}: {name} must be {allowed}, got {value!r}.")
    return value


def whole(who: str, name: str, value, *, low=None, high=None) -> int:
    """A whole number (an int, or a float such as 3.0 with no fractional part), within [low, high]."""
    allowed = f"a whole number{_interval(low, high, False, False)}"
    if not is_number(value) or not math.isfinite(float(value)) or float(value) != int(value):
        kind = f" ({type(value).__name__})" if not is_number(value) else ""
        raise (TypeError if not is_number(value) else ValueError)(
            f"{who}: {name} must be {allowed}, got {shown(value)}{kind}.")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{who}: {name} must be {allowed}, got {value}.")
    return value


def choice(who: str, name: str, value, options: Iterable, *, ignore_case: bool = True):
    """One of ``options``, which it returns; strings compare without regard to case and surrounding spaces."""
    options = tuple(options)
    for option in options:
        if isinstance(option, str):
            if isinstance(value, str) and (option.lower() == value.strip().lower() if ignore_case else option == value):
                return option
        elif is_number(option):
            if is_number(value) and value == option:
                return option
        elif value is option:
            return option
    listed = ", ".join(repr(o) for o in options)
    raise ValueError(f"{who}: {name} must be one of {listed}; got {shown(value)}.")


def array(who: str, name: str, value, *, ndim: int | Iterable[int] | None = None, shape=None,
          finite: bool = True, min_size: int = 1, dtype=float) -> np.ndarray:
    """A numeric array with the given number of dimensions or shape (None in ``shape`` means any length)."""
    if value is None or isinstance(value, str | bytes | dict):
        raise TypeError(f"{who}: {name} must be an array of numbers, got {shown(value)}.")
    try:
        result = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{who}: {name} must be an array of numbers, got {shown(value)}.") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if result.ndim not in allowed:
            wanted = " or ".join(str(n) for n in allowed)
            raise ValueError(f"{who}: {name} must have {wanted} dimensions, got shape {result.shape}.")
    if shape is not None:
        if result.ndim != len(shape) or any(w is not None and w != s for w, s in zip(shape, result.shape)):
            wanted = "(" + ", ".join("any" if w is None else str(w) for w in shape) + ")"
            raise ValueError(f"{who}: {name} must have shape {wanted}, got {result.shape}.")
    if result.size < min_size:
        raise ValueError(f"{who}: {name} must hold at least {min_size} value(s), got shape {result.shape}.")
    if finite and np.issubdtype(result.dtype, np.number) and not np.all(np.isfinite(result)):
        raise ValueError(f"{who}: {name} must not contain NaN or infinity.")
    return result


def class_labels(who: str, name: str, value, n_classes: int | None = None) -> np.ndarray:
    """Integer class labels 0..n_classes-1 (floats such as 3.0 are accepted, 1.7 is not)."""
    labels = array(who, name, value)
    if not np.all(labels == np.round(labels)):
        raise ValueError(f"{who}: {name} must be whole-number class labels, got non-integers such as "
                         f"{labels[labels != np.round(labels)].ravel()[0]!r}.")
    labels = labels.astype(int)
    top = f"{n_classes - 1}" if n_classes is not None else "the number of classes - 1"
    if labels.min() < 0 or (n_classes is not None and labels.max() >= n_classes):
        bad = labels.min() if labels.min() < 0 else labels.max()
        raise ValueError(f"{who}: {name} must be class labels from 0 to {top}, got {bad}.")
    return labels


def count(who: str, name: str, value, maximum: int) -> int | None:
    """How many items to take: None (all of them) or a whole number (an int) from 1 to ``maximum``."""
    if value is None:
        return None
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or not 1 <= value <= maximum:
        raise ValueError(f"{who}: {name} must be a whole number from 1 to {maximum:,} (or None for all), "
                         f"got {shown(value)}.")
    return int(value)


def inside(who: str, name: str, value, base: Path) -> Path:
    """A relative folder or file name that stays inside ``base`` (no absolute paths, no '..')."""
    if not isinstance(value, str | Path):
        raise TypeError(f"{who}: {name} must be a folder name (a string), got {shown(value)}.")
    relative = Path(value)
    if relative.is_absolute() or ".." in relative.parts or str(value).startswith("~"):
        raise ValueError(f"{who}: {name} must be a name inside {base.name}/ (no absolute path, no '..'), "
                         f"got {str(value)!r}.")
    resolved = (base / relative).resolve()
    if resolved != base.resolve() and base.resolve() not in resolved.parents:
        raise ValueError(f"{who}: {name} must stay inside {base.name}/, got {str(value)!r}.")
    return base / relative
