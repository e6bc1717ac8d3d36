"""An image browser with the pixel values under a crop (notebook 00)."""

from __future__ import annotations

import numpy as np

from .. import validate
from ..language import tr
from .base import CourseWidget, FigureImage, clamp, load_ipywidgets


class ImageBrowser(CourseWidget):
    """Step through a set of images; see each one and its pixel values."""

    def __init__(self, images, labels, class_names, index: int = 0):
        w = load_ipywidgets()
        who = "ImageBrowser"
        self.images = validate.array(who, "images", images, ndim=(3, 4), dtype=None)
        if not np.issubdtype(self.images.dtype, np.number):
            raise TypeError(f"{who}: images must hold numbers, got dtype {self.images.dtype}.")
        if isinstance(class_names, str) or not hasattr(class_names, "__len__"):
            raise TypeError(f"{who}: class_names must be a list of names, got {class_names!r}.")
        self.labels = validate.class_labels(who, "labels", labels, len(class_names)).reshape(-1)
        if len(self.labels) != len(self.images):
            raise ValueError(f"{who}: {len(self.images)} images but {len(self.labels)} labels.")
        self.class_names = class_names
        # pixel values 0..255, or normalised floats in [0, 1]: the pixel panel follows the data
        self._top = 1.0 if np.issubdtype(self.images.dtype, np.floating) and self.images.max() <= 1.0 else 255.0
        last = len(self.images) - 1
        index = int(clamp(validate.whole(who, "index", index), 0, last, who, "index"))
        self.index = w.IntSlider(value=index, min=0, max=last, description=tr("image"),
                                 continuous_update=False)
        self.caption = w.HTML()
        self.pixels = w.HTML()
        self.plot = FigureImage(figsize=(3.6, 3.6))
        ax = self.plot.axes[0]
        self._image = ax.imshow(np.zeros(self.images.shape[1:3]), cmap="gray", vmin=0, vmax=self._top)
        from matplotlib.patches import Rectangle

        ax.add_patch(Rectangle((9.5, 9.5), 8, 8, fill=False, edgecolor="#e69138", lw=1.5))  # the crop in the table
        ax.set_title(" ")
        ax.axis("off")
        self.plot.figure.tight_layout(pad=0.3)
        self.plot.animate(self._image, ax.patches[0], ax.title)
        self._watch(self.index)
        self.widget = w.VBox([self.index, self.caption, w.HBox([self.plot.widget, self.pixels])])
        self._update()

    def _update(self, _change=None) -> None:
        image = self.images[self.index.value]
        label = tr(str(self.class_names[int(self.labels[self.index.value])]))
        self.caption.value = tr("#{index}: <b>{label}</b>, shape {shape}, values {low}..{high}", index=self.index.value,
                                label=label, shape=image.shape, low=image.min(), high=image.max())
        if image.ndim == 3 and image.shape[-1] == 1:  # (28, 28, 1): one channel, shown as gray
            image = image[..., 0]
        self._image.set_data(image)
        self.plot.axes[0].set_title(label)
        self.pixels.value = _pixel_table_html(image[10:18, 10:18], self._top)
        self.plot.render()


def _pixel_table_html(crop, top: float = 255.0) -> str:
    """The pixels [10:18, 10:18] as a table of numbers, each cell shaded by its own value."""
    rows = []
    for row in np.asarray(crop):
        cells = []
        for value in row:
            shade = int(round(255 * min(max(float(value) / top, 0.0), 1.0)))
            text = f"{value:.2f}".lstrip("0") if top == 1.0 else f"{int(value)}"
            color = "#000" if shade > 127 else "#fff"
            cells.append(f"<td style='background: rgb({shade},{shade},{shade}); color: {color}; "
                         f"width: 2.3em; text-align: center'>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    caption = tr("pixels [10:18, 10:18] (orange box)")  # outside the f-string, where Babel finds it on any Python
    return (f"<div style='font-size: 11px; margin-left: 1em'>{caption}"
            f"<table style='border-collapse: collapse; margin-top: 0.3em'>{''.join(rows)}</table></div>")
