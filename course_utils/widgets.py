"""Interactive widgets (core ipywidgets only; works with ipywidgets 7 and 8).

Each widget is a thin layer: its numbers come from a tested function in
``reference``, and its callback only redraws. Figures are rendered to PNG and
shown in an ``ipywidgets.Image``, so they update in place without flicker and
tests can drive a widget headlessly (set ``.value``, call ``.click()``) and
read what it shows.
"""

from __future__ import annotations

import io

import numpy as np

from . import reference
from .data import LOGIC_GATES, logic_gate

WEIGHT_RANGE = (-3.0, 3.0)


def _ipywidgets():
    import ipywidgets

    return ipywidgets


class FigureImage:
    """A matplotlib Figure kept off-screen and shown as a PNG in an Image widget.

    Artists registered with ``animate()`` are redrawn over a cached background
    (blitting), so a slider that moves only them re-renders in a few ms.
    """

    def __init__(self, figsize=(4, 4), dpi: int = 72, ncols: int = 1):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = [self.figure.add_subplot(1, ncols, k + 1) for k in range(ncols)]
        self.widget = _ipywidgets().Image(format="png")
        self._animated = []
        self._background = None

    def animate(self, *artists) -> None:
        """Redraw these artists on every render; everything else is drawn once."""
        for artist in artists:
            artist.set_animated(True)
        self._animated = list(artists)
        self._background = None

    def invalidate(self) -> None:
        """Call after changing the static parts of the figure."""
        self._background = None

    def render(self) -> None:
        from PIL import Image

        if self._background is None or not self._animated:
            self.canvas.draw()  # animated artists are skipped here
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self._animated:
            artist.axes.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        self.widget.value = buffer.getvalue()


def clamp(value: float, low: float, high: float) -> float:
    """Keep ``value`` inside [low, high] (widgets never pass an out-of-range value on)."""
    return float(min(max(value, low), high))


def truth_table_html(table: dict, gate: str) -> str:
    rows = "".join(
        f"<tr><td>{x1}</td><td>{x2}</td><td>{z:+.2f}</td><td>{out}</td><td>{target}</td>"
        f"<td>{'&#10003;' if out == target else '&#10007;'}</td></tr>"
        for x1, x2, z, out, target in table["rows"]
    )
    return (
        f"<b>{gate}</b>: accuracy {table['accuracy']:.0%}"
        "<table><tr><th>x1</th><th>x2</th><th>z = w1 x1 + w2 x2 + b</th><th>output</th>"
        f"<th>target</th><th></th></tr>{rows}</table>"
    )


class PerceptronPlayground:
    """Sliders for w1, w2 and b; a live decision boundary and truth table."""

    def __init__(self, gate: str = "AND", w1: float = 0.5, w2: float = 0.5, b: float = -0.2):
        w = _ipywidgets()
        low, high = WEIGHT_RANGE
        style = {"description_width": "2.5em"}
        self.w1 = w.FloatSlider(value=clamp(w1, low, high), min=low, max=high, step=0.1, description="w1", style=style)
        self.w2 = w.FloatSlider(value=clamp(w2, low, high), min=low, max=high, step=0.1, description="w2", style=style)
        self.b = w.FloatSlider(value=clamp(b, low, high), min=low, max=high, step=0.1, description="b", style=style)
        self.gate = w.Dropdown(options=list(LOGIC_GATES), value=gate.upper(), description="gate", style=style)
        self.table = w.HTML()
        self.plot = FigureImage(figsize=(3.6, 3.6))
        self._limits = (-0.5, 1.5)
        self._drawn_gate = None
        for control in (self.w1, self.w2, self.b, self.gate):
            control.observe(self._update, names="value")
        controls = w.VBox([self.gate, self.w1, self.w2, self.b, self.table])
        self.widget = w.HBox([controls, self.plot.widget])
        self._update()

    def result(self) -> dict:
        return reference.truth_table(self.w1.value, self.w2.value, self.b.value, self.gate.value)

    def _update(self, _change=None) -> None:
        table = self.result()
        self.table.value = truth_table_html(table, self.gate.value)
        if self._drawn_gate != self.gate.value:
            self._draw_points()
        weights = np.array([self.w1.value, self.w2.value])
        self._region.set_data(reference.perceptron_predict(self._grid, weights, self.b.value).reshape(self._shape))
        self._line.set_data(*boundary_line(self.w1.value, self.w2.value, self.b.value, self._limits))
        self.plot.axes[0].set_title(f"accuracy {table['accuracy']:.0%}")
        self.plot.render()

    def _draw_points(self) -> None:
        """Draw what changes only with the gate; keep handles to what the sliders change."""
        from matplotlib.colors import ListedColormap

        ax = self.plot.axes[0]
        ax.clear()
        x, y = logic_gate(self.gate.value)
        points = [ax.scatter(x[y == t, 0], x[y == t, 1], marker=m, s=90, c=c, edgecolors="black")
                  for t, m, c in ((0, "o", "#cc0000"), (1, "s", "#1155cc"))]
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_aspect("equal")
        low, high = self._limits
        xs = np.linspace(low, high, 80)
        xx, yy = np.meshgrid(xs, xs)
        self._grid, self._shape = np.c_[xx.ravel(), yy.ravel()], xx.shape
        self._region = ax.imshow(np.zeros(self._shape), origin="lower", extent=(low, high, low, high),
                                 cmap=ListedColormap(["#f4cccc", "#cfe2f3"]), vmin=0, vmax=1, zorder=0)
        (self._line,) = ax.plot([], [], color="black", lw=1.5)
        ax.set_xlim(low, high)
        ax.set_ylim(low, high)
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        ax.set_title("accuracy 100%")  # sized for tight_layout; the text is updated on every render
        self.plot.figure.tight_layout()
        self.plot.animate(self._region, self._line, *points, ax.title)  # drawn in this order
        self._drawn_gate = self.gate.value

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def boundary_line(w1: float, w2: float, b: float, limits=(-0.5, 1.5)):
    """Two end points of the line w1*x1 + w2*x2 + b = 0 inside ``limits`` (empty if w1 = w2 = 0)."""
    low, high = limits
    if abs(w2) > 1e-12:
        xs = np.array([low, high])
        return xs, -(w1 * xs + b) / w2
    if abs(w1) > 1e-12:
        return np.array([-b / w1] * 2), np.array([low, high])
    return np.array([]), np.array([])


class PerceptronTrainer:
    """Pick a gate, a learning rate and a number of epochs; press Train."""

    def __init__(self, gate: str = "AND", learning_rate: float = 0.1, epochs: int = 10):
        w = _ipywidgets()
        style = {"description_width": "7em"}
        self.gate = w.Dropdown(options=list(LOGIC_GATES), value=gate.upper(), description="gate", style=style)
        self.learning_rate = w.FloatLogSlider(value=clamp(learning_rate, 1e-3, 1.0), base=10, min=-3, max=0,
                                              step=0.1, description="learning rate", style=style,
                                              continuous_update=False)
        self.epochs = w.IntSlider(value=int(clamp(epochs, 1, 50)), min=1, max=50, description="epochs",
                                  style=style, continuous_update=False)
        self.button = w.Button(description="Train", button_style="primary")
        self.summary = w.HTML()
        self.plot = FigureImage(figsize=(7, 3.2), ncols=2)
        self.button.on_click(self._train)
        self.history = None
        self.widget = w.VBox([w.HBox([self.gate, self.button]), self.learning_rate, self.epochs,
                              self.summary, self.plot.widget])
        self._train()

    def _train(self, _button=None) -> None:
        x, y = logic_gate(self.gate.value)
        self.history = reference.train_perceptron(x, y, self.learning_rate.value, self.epochs.value)
        h = self.history
        state = "converged (an epoch with no mistakes)" if h.converged else "did not converge"
        self.summary.value = (
            f"{self.gate.value}: {state} after {len(h.errors_per_epoch)} epoch(s); "
            f"w = ({h.weights[0]:+.2f}, {h.weights[1]:+.2f}), b = {h.bias:+.2f}, "
            f"accuracy {h.accuracy_per_epoch[-1]:.0%}"
        )
        left, right = self.plot.axes
        left.clear()
        epochs = np.arange(1, len(h.errors_per_epoch) + 1)
        left.plot(epochs, h.errors_per_epoch, "o-")
        left.set_xlabel("epoch")
        left.set_ylabel("mistakes in the epoch")
        left.set_ylim(bottom=0)
        right.clear()
        from .plots import draw_decision_boundary

        draw_decision_boundary(right, lambda p: reference.perceptron_predict(p, h.weights, h.bias), x, y,
                               resolution=120, title="final boundary")
        self.plot.figure.tight_layout()
        self.plot.render()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


class ImageBrowser:
    """Step through a set of images; see each one and its pixel values."""

    def __init__(self, images, labels, class_names, index: int = 0):
        w = _ipywidgets()
        self.images = np.asarray(images)
        self.labels = np.asarray(labels).reshape(-1)
        self.class_names = class_names
        last = len(self.images) - 1
        self.index = w.IntSlider(value=int(clamp(index, 0, last)), min=0, max=last, description="image",
                                 continuous_update=False)
        self.caption = w.HTML()
        self.plot = FigureImage(figsize=(8, 4), ncols=2)
        self.index.observe(self._update, names="value")
        self.widget = w.VBox([self.index, self.caption, self.plot.widget])
        self._update()

    def _update(self, _change=None) -> None:
        image = self.images[self.index.value]
        label = self.class_names[int(self.labels[self.index.value])]
        self.caption.value = (f"#{self.index.value}: <b>{label}</b>, shape {image.shape}, "
                              f"values {image.min()}..{image.max()}")
        left, right = self.plot.axes
        left.clear()
        left.imshow(image, cmap="gray")
        left.set_title(label)
        left.axis("off")
        right.clear()
        crop = image[10:18, 10:18]
        right.imshow(crop, cmap="gray", vmin=0, vmax=255)
        for (row, col), value in np.ndenumerate(crop):
            right.text(col, row, int(value), ha="center", va="center", fontsize=7,
                       color="red" if value > 127 else "yellow")
        right.set_title("pixels [10:18, 10:18]")
        right.axis("off")
        self.plot.render()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

