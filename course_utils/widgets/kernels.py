"""The kernel explorer: a convolution on a real image, live (notebook 07)."""

from __future__ import annotations

import numpy as np

from .. import reference, validate
from ..language import N_, tr
from .base import CourseWidget, Picture, labelled, load_ipywidgets

_KERNEL_SIZES = (3, 5)
_FEATURE_SCALES = (N_("fixed"), N_("auto"))
FIXED_RANGE = (0.0, 2.0)  # black = 0, white = 2: a kernel summing to 1 keeps the photo's brightness (0 to 1)


def _centred_kernel(kernel, size: int) -> np.ndarray:
    """A 3x3 preset placed in the middle of a size x size kernel of zeros (the same filter, a bigger window)."""
    kernel = np.asarray(kernel, dtype=float)
    out = np.zeros((size, size))
    pad = (size - kernel.shape[0]) // 2
    out[pad:pad + kernel.shape[0], pad:pad + kernel.shape[1]] = kernel
    return out


class KernelExplorer(CourseWidget):
    """Edit a 3x3 or 5x5 kernel (or pick a preset), choose stride, padding, pooling and the colour scale;
    see the feature map of a photo."""

    def __init__(self, photo: str = "china", preset: str = "vertical edges (Sobel x)", stride: int = 1,
                 padding: str = "same", pooling: str = "none", size: int = 3, scale: str = "fixed"):
        from ..data import sample_image

        w = load_ipywidgets()
        who = "KernelExplorer"
        photo = validate.choice(who, "photo", photo, ("china", "flower"))
        preset = validate.choice(who, "preset", preset, reference.KERNEL_PRESETS)
        stride = validate.choice(who, "stride", stride, (1, 2, 3))
        padding = validate.choice(who, "padding", padding, ("valid", "same"))
        pooling = validate.choice(who, "pooling", pooling, reference.POOLING_CHOICES)
        size = validate.choice(who, "size", size, _KERNEL_SIZES)
        scale = validate.choice(who, "scale", scale, _FEATURE_SCALES)
        self.images = {name: sample_image(name, gray=True) / 255 for name in (N_("china"), N_("flower"))}
        self.photo = w.Dropdown(options=labelled(self.images), value=photo, description=tr("photo"))
        self.preset = w.Dropdown(options=labelled(reference.KERNEL_PRESETS), value=preset, description=tr("preset"))
        self.size = w.ToggleButtons(options=list(_KERNEL_SIZES), value=size, description=tr("kernel size"))
        self._cells = {n: [w.BoundedFloatText(value=0.0, min=-10.0, max=10.0, step=0.5,
                                              layout=w.Layout(width="4.5em")) for _ in range(n * n)]
                       for n in _KERNEL_SIZES}
        self._grids = {n: w.GridBox(cells, layout=w.Layout(grid_template_columns=f"repeat({n}, 5em)"))
                       for n, cells in self._cells.items()}
        self.stride = w.ToggleButtons(options=[1, 2, 3], value=stride, description=tr("stride"))
        self.padding = w.ToggleButtons(options=labelled(["valid", "same"]), value=padding, description=tr("padding"))
        self.pooling = w.ToggleButtons(options=labelled(reference.POOLING_CHOICES), value=pooling,
                                       description=tr("pooling"))
        self.scale = w.ToggleButtons(options=labelled(_FEATURE_SCALES), value=scale, description=tr("colour scale"))
        self.caption = w.HTML()
        self.plot = Picture(css_width=396)  # the feature map itself, pixel for pixel (no axes to draw)
        self._applying_preset = False
        self.preset.observe(self._apply_preset, names="value")
        self.size.observe(self._apply_preset, names="value")
        self._watch(self.photo, self.stride, self.padding, self.pooling, self.scale,
                        *self._cells[3], *self._cells[5])
        controls = w.VBox([self.photo, self.preset, self.size, *self._grids.values(), self.stride, self.padding,
                           self.pooling, self.scale, self.caption])
        self.widget = w.HBox([controls, self.plot.widget])
        self._apply_preset()

    @property
    def cells(self) -> list:
        """The text boxes of the kernel size in use, row by row."""
        return self._cells[self.size.value]

    @property
    def kernel(self) -> np.ndarray:
        n = self.size.value
        return np.array([cell.value for cell in self.cells]).reshape(n, n)

    def _preset_kernel(self) -> np.ndarray:
        return _centred_kernel(reference.KERNEL_PRESETS[self.preset.value], self.size.value)

    def _apply_preset(self, _change=None) -> None:
        self._applying_preset = True  # one redraw for all the changed cells
        for n, grid in self._grids.items():
            grid.layout.display = None if n == self.size.value else "none"
        for cell, value in zip(self.cells, np.ravel(self._preset_kernel())):
            cell.value = round(float(value), 4)
        self._applying_preset = False
        self._update()

    def _update(self, _change=None) -> None:
        if self._applying_preset:
            return
        image = self.images[self.photo.value]
        kernel = self.kernel
        self.feature = reference.feature_map(image, kernel, self.stride.value, self.padding.value,
                                             self.pooling.value)
        if self.scale.value == "fixed":
            low, high = FIXED_RANGE
        else:
            low, high = np.percentile(self.feature, [1, 99])
            high = high if high > low else low + 1
        self.scale_range = (float(low), float(high))
        height, width = self.feature.shape
        edited = not np.allclose(kernel, self._preset_kernel(), atol=1e-4)
        name = (tr("edited: the cells no longer match '{preset}'", preset=tr(self.preset.value)) if edited
                else "'" + tr(self.preset.value) + "'")
        shown = (tr("black = 0, white = 2 (the photo spans 0 to 1)") if self.scale.value == "fixed"
                 else tr("stretched: black = {low:.2g}, white = {high:.2g}", low=low, high=high))
        self.caption.value = tr("{name}; weights sum to {total:.3g}<br>input {rows}x{columns} -> feature map "
                                "<b>{height}x{width}</b><br>colour scale: {shown}", name=name, total=kernel.sum(),
                                rows=image.shape[0], columns=image.shape[1], height=height, width=width,
                                shown=shown)
        self.plot.show_gray(self.feature, low, high)

