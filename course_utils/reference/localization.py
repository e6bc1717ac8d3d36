"""Boxes: intersection over union (notebook 10)."""

from __future__ import annotations

import numpy as np

from .. import validate


def iou(box_a, box_b) -> float | np.ndarray:
    """Intersection over union of boxes given as (x_min, y_min, x_max, y_max); works on arrays of boxes (..., 4)."""
    a = validate.array("iou", "box_a", box_a)
    b = validate.array("iou", "box_b", box_b)
    if a.shape[-1] != 4 or b.shape[-1] != 4:
        raise ValueError(f"iou: boxes must end in 4 numbers (x_min, y_min, x_max, y_max), got shapes "
                         f"{a.shape} and {b.shape}.")
    if np.any(a[..., 2:] < a[..., :2]) or np.any(b[..., 2:] < b[..., :2]):
        raise ValueError("iou: each box must have x_max >= x_min and y_max >= y_min.")
    width = np.clip(np.minimum(a[..., 2], b[..., 2]) - np.maximum(a[..., 0], b[..., 0]), 0, None)
    height = np.clip(np.minimum(a[..., 3], b[..., 3]) - np.maximum(a[..., 1], b[..., 1]), 0, None)
    inter = width * height
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = area_a + area_b - inter
    result = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    return float(result) if result.ndim == 0 else result
