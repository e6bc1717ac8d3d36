"""Interactive widgets (core ipywidgets only; works with ipywidgets 7 and 8).

Each widget is a thin layer: its numbers come from a tested function in
``reference``, and its callback only redraws. Figures are rendered to PNG (at twice
their CSS size, sharp on high-DPI screens) and shown in an ``ipywidgets.Image``, or on
Colab in an ``HTML`` widget as base64 (see ``config.widget_image_mode``), so they update
in place without flicker and tests can drive a widget headlessly (set ``.value``, call
``.click()``) and read what it shows (``.plot.png``). In the browser each widget is
driven by tests/test_browser.py.
"""

from __future__ import annotations

import io

import numpy as np

from . import reference
from . import validate as check
from .data import LOGIC_GATES, logic_gate

WEIGHT_RANGE = (-3.0, 3.0)


def _ipywidgets():
    import ipywidgets

    return ipywidgets


#: Device pixels drawn per CSS pixel: pictures stay sharp on high-DPI screens and are shown at their own size.
PIXEL_RATIO = 2
CSS_PIXELS_PER_INCH = 72


class Picture:
    """A PNG shown at a fixed width in CSS pixels, never stretched by the boxes around it.

    ``mode`` picks the widget that carries it (``config.widget_image_mode()``): an ``Image``, or on Colab an
    ``HTML`` widget holding a base64 PNG.
    """

    def __init__(self, css_width: int, mode: str | None = None):
        from .config import IMAGE_MODES, widget_image_mode

        w = _ipywidgets()
        self.mode = widget_image_mode() if mode is None else check.choice("Picture", "mode", mode, IMAGE_MODES)
        self.css_width = int(css_width)
        # narrower only when the page is; the height follows the picture's own aspect ratio
        layout = w.Layout(width=f"{self.css_width}px", height="auto", max_width="100%", align_self="flex-start",
                          flex="0 0 auto")
        self.widget = w.Image(format="png", layout=layout) if self.mode == "image" else w.HTML(layout=layout)
        self.png = b""

    def show(self, png: bytes) -> None:
        self.png = png
        self.widget.value = png if self.mode == "image" else png_html(png, self.css_width)

    def show_gray(self, values, low: float, high: float) -> None:
        """Show a 2-D array as a gray picture, pixel for pixel: ``low`` is black, ``high`` white."""
        from PIL import Image

        scaled = np.clip((np.asarray(values, dtype=float) - low) / (high - low), 0.0, 1.0)
        buffer = io.BytesIO()
        Image.fromarray(np.round(scaled * 255).astype(np.uint8), mode="L").save(buffer, format="png",
                                                                              compress_level=1)
        self.show(buffer.getvalue())


class FigureImage:
    """A matplotlib Figure kept off-screen and shown as a PNG, at its own size and aspect ratio.

    ``figsize`` is the size shown, in inches of 72 CSS pixels; the PNG has ``PIXEL_RATIO`` times as many pixels.
    ``mode`` is passed to ``Picture``. Artists registered with ``animate()`` are redrawn over a cached
    background (blitting), so a slider that moves only them re-renders in a few ms.
    """

    def __init__(self, figsize=(4, 4), ncols: int = 1, mode: str | None = None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=CSS_PIXELS_PER_INCH * PIXEL_RATIO)
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = [self.figure.add_subplot(1, ncols, k + 1) for k in range(ncols)]
        self.css_size = (round(figsize[0] * CSS_PIXELS_PER_INCH), round(figsize[1] * CSS_PIXELS_PER_INCH))
        self.picture = Picture(self.css_size[0], mode)
        self.widget, self.mode = self.picture.widget, self.picture.mode
        self._animated = []
        self._background = None
        self._backgrounds = {}

    @property
    def png(self) -> bytes:
        return self.picture.png

    def animate(self, *artists) -> None:
        """Redraw these artists on every render; everything else is drawn once."""
        for artist in artists:
            artist.set_animated(True)
        self._animated = list(artists)
        self._background = None

    def invalidate(self) -> None:
        """Call after changing the static parts of the figure."""
        self._background = None

    def remember(self, key) -> None:
        """Keep the static layer just drawn under ``key`` (a hashable state), to reuse with ``recall``."""
        if self._background is not None:
            self._backgrounds[key] = self._background

    def recall(self, key) -> bool:
        """Reuse the static layer kept under ``key``; False when there is none (draw it, then ``remember``)."""
        if key not in self._backgrounds:
            return False
        self._background = self._backgrounds[key]
        return True

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
        self.picture.show(buffer.getvalue())


def png_html(png: bytes, width: int) -> str:
    """An <img> holding ``png`` as base64, shown ``width`` CSS pixels wide (the HTML drawing path, for Colab)."""
    import base64

    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" width="{width}" '
            'style="max-width:100%; height:auto; display:block" alt="">')


def still_png(png: bytes) -> bytes:
    """A smaller copy of a widget's picture (half the pixels each way, compressed hard) to store in the notebook."""
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if PIXEL_RATIO > 1:
        image = image.reduce(PIXEL_RATIO)
    buffer = io.BytesIO()
    image.save(buffer, format="png", optimize=True)
    return buffer.getvalue()


def show_widget(widget, png: bytes = b"") -> None:
    """Display a widget with a still picture of its first state beside it in the output.

    A running notebook shows the live widget. A stored notebook opened before running it (JupyterLab shows
    only safe output types until the cell runs) and GitHub or nbviewer show the still picture instead of the
    widget's text form.
    """
    import base64

    from IPython.display import display

    make_bundle = getattr(widget, "_repr_mimebundle_", None)  # ipywidgets 8; 7 (Colab) displays itself
    data = make_bundle() if make_bundle is not None else None
    if isinstance(data, tuple):
        data = data[0]
    if not data or not png:
        display(widget)
        return
    data = dict(data)
    data["image/png"] = base64.b64encode(still_png(png)).decode("ascii")
    display(data, raw=True)


def clamp(value: float, low: float, high: float, who: str = "clamp", name: str = "value") -> float:
    """Keep a number inside [low, high] (widgets never pass an out-of-range value on).

    NaN, infinity and non-numbers are not numbers to clamp: they raise an error that names
    the widget's argument and its range.
    """
    if not check.is_number(value) or not np.isfinite(float(value)):
        raise (TypeError if not check.is_number(value) else ValueError)(
            f"{who}: {name} must be a number (it is clamped to [{low:g}, {high:g}]), got {value!r}.")
    return float(min(max(float(value), low), high))


#: Space between table columns, so headers such as "output" and "target" do not run together.
TABLE_STYLE = "border-collapse: separate; border-spacing: 0.9em 0.15em; margin-left: -0.9em"


def truth_table_html(table: dict, gate: str) -> str:
    rows = "".join(
        f"<tr><td>{x1}</td><td>{x2}</td><td>{z:+.2f}</td><td>{out}</td><td>{target}</td>"
        f"<td>{'&#10003;' if out == target else '&#10007;'}</td></tr>"
        for x1, x2, z, out, target in table["rows"]
    )
    return (
        f"<b>{gate}</b>: accuracy {table['accuracy']:.0%}"
        f"<table style='{TABLE_STYLE}'><tr><th>x1</th><th>x2</th><th>z = w1 x1 + w2 x2 + b</th><th>output</th>"
        f"<th>target</th><th></th></tr>{rows}</table>"
    )


class PerceptronPlayground:
    """Sliders for w1, w2 and b; a live decision boundary and truth table."""

    def __init__(self, gate: str = "AND", w1: float = 0.5, w2: float = 0.5, b: float = -0.2):
        w = _ipywidgets()
        low, high = WEIGHT_RANGE
        who = "PerceptronPlayground"
        w1, w2, b = (clamp(v, low, high, who, name) for name, v in (("w1", w1), ("w2", w2), ("b", b)))
        gate = check.choice(who, "gate", gate, LOGIC_GATES)
        style = {"description_width": "2.5em"}
        self.w1 = w.FloatSlider(value=w1, min=low, max=high, step=0.1, description="w1", style=style)
        self.w2 = w.FloatSlider(value=w2, min=low, max=high, step=0.1, description="w2", style=style)
        self.b = w.FloatSlider(value=b, min=low, max=high, step=0.1, description="b", style=style)
        self.gate = w.Dropdown(options=list(LOGIC_GATES), value=gate, description="gate", style=style)
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
        ax.set_xlabel("x₁")  # plain text: mathtext costs a widget several ms per label
        ax.set_ylabel("x₂")
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
        show_widget(self.widget, self.plot.png)


def boundary_line(w1: float, w2: float, b: float, limits=(-0.5, 1.5)):
    """Two end points of the line w1*x1 + w2*x2 + b = 0 inside ``limits`` (empty if w1 = w2 = 0)."""
    w1, w2, b = (check.number("boundary_line", name, v) for name, v in (("w1", w1), ("w2", w2), ("b", b)))
    low, high = check.array("boundary_line", "limits", limits, shape=(2,))
    if abs(w2) > 1e-12:
        xs = np.array([low, high])
        return xs, -(w1 * xs + b) / w2
    if abs(w1) > 1e-12:
        return np.array([-b / w1] * 2), np.array([low, high])
    return np.array([]), np.array([])


AXIS_SPANS = (5, 10, 20, 50, 100, 200, 500)


def axis_span(n: int) -> int:
    """The axis length shown for ``n`` steps or epochs: the smallest of AXIS_SPANS that holds them.

    The axis keeps its scale while a slider moves within a span, so only the curve is redrawn.
    """
    n = check.whole("axis_span", "n", n, low=1)
    return next((span for span in AXIS_SPANS if span >= n), n)


def same_rate_note(errors, previous_errors, previous_rate: float) -> str:
    """What to say next to the learning-rate slider when a new rate changed nothing.

    Starting from zero weights, every update adds ``rate * error * x``: all weights and the bias are the same
    multiple of the rate, so the boundary and the mistakes do not depend on it (only the size of w and b does).
    """
    if previous_errors is None or list(errors) != list(previous_errors):
        return ""
    return (f"same mistakes as with rate {previous_rate:g}: starting from zero weights, the rate only scales "
            "w and b, so the boundary is the same")


class PerceptronTrainer:
    """Pick a gate, a learning rate and a number of epochs: the perceptron is trained at once (it takes ms)."""

    def __init__(self, gate: str = "AND", learning_rate: float = 0.1, epochs: int = 10):
        from matplotlib.colors import ListedColormap
        from matplotlib.ticker import MaxNLocator

        w = _ipywidgets()
        who = "PerceptronTrainer"
        gate = check.choice(who, "gate", gate, LOGIC_GATES)
        learning_rate = clamp(learning_rate, 1e-3, 1.0, who, "learning_rate")
        epochs = int(clamp(check.whole(who, "epochs", epochs), 1, 50, who, "epochs"))
        style = {"description_width": "7em"}
        self.gate = w.Dropdown(options=list(LOGIC_GATES), value=gate, description="gate", style=style)
        self.learning_rate = w.FloatLogSlider(value=learning_rate, base=10, min=-3, max=0,
                                              step=0.1, description="learning rate", style=style,
                                              continuous_update=False)
        self.rate_note = w.HTML()
        self.epochs = w.IntSlider(value=epochs, min=1, max=50, description="epochs",
                                  style=style, continuous_update=False)
        self.summary = w.HTML()
        self.plot = FigureImage(figsize=(7, 3.2), ncols=2)
        left, right = self.plot.axes
        (self._mistakes,) = left.plot([], [], "o-", clip_on=False)
        # four examples: at most four mistakes an epoch, so the y axis never moves; whole numbers only
        left.set(xlabel="epoch", ylabel="mistakes in the epoch", ylim=(-0.3, 4.4), title="mistakes per epoch")
        left.yaxis.set_major_locator(MaxNLocator(integer=True))
        left.xaxis.set_major_locator(MaxNLocator(integer=True))
        left.grid(alpha=0.3)
        low, high = -0.5, 1.5
        xs = np.linspace(low, high, 120)
        xx, yy = np.meshgrid(xs, xs)
        self._grid, self._shape = np.c_[xx.ravel(), yy.ravel()], xx.shape
        self._region = right.imshow(np.zeros(self._shape), origin="lower", extent=(low, high, low, high),
                                    cmap=ListedColormap(["#f4cccc", "#cfe2f3"]), vmin=0, vmax=1, zorder=0)
        self._points = [right.scatter([], [], marker=m, s=90, c=c, edgecolors="black", zorder=3)
                        for m, c in (("o", "#cc0000"), ("s", "#1155cc"))]
        right.set(xlim=(low, high), ylim=(low, high), xlabel="x₁", ylabel="x₂", xticks=[0, 1], yticks=[0, 1],
                  title="final boundary")
        right.set_aspect("equal")
        self.plot.figure.tight_layout(pad=0.8)  # once: the layout stays put, so a redraw moves nothing
        self.plot.animate(self._mistakes, self._region, *self._points, right.title)
        self.history = None
        self._epochs_drawn = None
        for control in (self.gate, self.learning_rate, self.epochs):
            control.observe(self._train, names="value")
        self.widget = w.VBox([self.gate, w.HBox([self.learning_rate, self.rate_note]), self.epochs,
                              self.summary, self.plot.widget])
        self._train()

    def _train(self, change=None) -> None:
        x, y = logic_gate(self.gate.value)
        previous = self.history
        self.history = reference.train_perceptron(x, y, self.learning_rate.value, self.epochs.value)
        h = self.history
        rate_changed = change is not None and change["owner"] is self.learning_rate
        self.rate_note.value = (same_rate_note(h.errors_per_epoch, previous.errors_per_epoch, change["old"])
                                if rate_changed and previous is not None else "")
        state = "converged (an epoch with no mistakes)" if h.converged else "did not converge"
        self.summary.value = (
            f"{self.gate.value}: {state} after {len(h.errors_per_epoch)} epoch(s); "
            f"w = ({h.weights[0]:+.2f}, {h.weights[1]:+.2f}), b = {h.bias:+.2f}, "
            f"accuracy {h.accuracy_per_epoch[-1]:.0%}"
        )
        left, right = self.plot.axes
        span = axis_span(self.epochs.value)
        if self._epochs_drawn != span:  # the x axis is redrawn only when the epochs leave its span
            left.set_xlim(0.5, span + 0.5)
            if not self.plot.recall(span):
                self.plot.invalidate()
            self._epochs_drawn = span
        self._mistakes.set_data(np.arange(1, len(h.errors_per_epoch) + 1), h.errors_per_epoch)
        predictions = reference.perceptron_predict(self._grid, h.weights, h.bias)
        self._region.set_data(predictions.reshape(self._shape))
        for target, points in enumerate(self._points):
            points.set_offsets(x[y == target])
        right.set_title(f"{self.gate.value}: final boundary")
        self.plot.render()
        self.plot.remember(span)

    def _ipython_display_(self):
        show_widget(self.widget, self.plot.png)


class ImageBrowser:
    """Step through a set of images; see each one and its pixel values."""

    def __init__(self, images, labels, class_names, index: int = 0):
        w = _ipywidgets()
        who = "ImageBrowser"
        self.images = check.array(who, "images", images, ndim=(3, 4), dtype=None)
        if not np.issubdtype(self.images.dtype, np.number):
            raise TypeError(f"{who}: images must hold numbers, got dtype {self.images.dtype}.")
        if isinstance(class_names, str) or not hasattr(class_names, "__len__"):
            raise TypeError(f"{who}: class_names must be a list of names, got {class_names!r}.")
        self.labels = check.class_labels(who, "labels", labels, len(class_names)).reshape(-1)
        if len(self.labels) != len(self.images):
            raise ValueError(f"{who}: {len(self.images)} images but {len(self.labels)} labels.")
        self.class_names = class_names
        # pixel values 0..255, or normalised floats in [0, 1]: the pixel panel follows the data
        self._top = 1.0 if np.issubdtype(self.images.dtype, np.floating) and self.images.max() <= 1.0 else 255.0
        last = len(self.images) - 1
        index = int(clamp(check.whole(who, "index", index), 0, last, who, "index"))
        self.index = w.IntSlider(value=index, min=0, max=last, description="image",
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
        self.index.observe(self._update, names="value")
        self.widget = w.VBox([self.index, self.caption, w.HBox([self.plot.widget, self.pixels])])
        self._update()

    def _update(self, _change=None) -> None:
        image = self.images[self.index.value]
        label = self.class_names[int(self.labels[self.index.value])]
        self.caption.value = (f"#{self.index.value}: <b>{label}</b>, shape {image.shape}, "
                              f"values {image.min()}..{image.max()}")
        if image.ndim == 3 and image.shape[-1] == 1:  # (28, 28, 1): one channel, shown as gray
            image = image[..., 0]
        self._image.set_data(image)
        self.plot.axes[0].set_title(label)
        self.pixels.value = pixel_table_html(image[10:18, 10:18], self._top)
        self.plot.render()

    def _ipython_display_(self):
        show_widget(self.widget, self.plot.png)


def pixel_table_html(crop, top: float = 255.0) -> str:
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
    return ("<div style='font-size: 11px; margin-left: 1em'>pixels [10:18, 10:18] (orange box)"
            f"<table style='border-collapse: collapse; margin-top: 0.3em'>{''.join(rows)}</table></div>")


class ActivationExplorer:
    """Pick an activation and an input range; see f(z) and f'(z) side by side."""

    def __init__(self, name: str = "sigmoid", low: float = -6.0, high: float = 6.0):
        from matplotlib.ticker import MaxNLocator

        w = _ipywidgets()
        who = "ActivationExplorer"
        name = check.choice(who, "name", name, reference.ACTIVATIONS)
        low, high = clamp(low, -20, 19, who, "low"), clamp(high, -19, 20, who, "high")
        if low >= high:
            raise ValueError(f"{who}: low must be less than high, got low={low:g} and high={high:g}.")
        self.function = w.Dropdown(options=list(reference.ACTIVATIONS), value=name, description="function")
        # whole numbers: the readout box is narrow, and "-20 – 20" fits where "-19.50 – 19.50" is cut
        self.z_range = w.FloatRangeSlider(value=(low, high), min=-20, max=20, step=1.0, readout_format=".0f",
                                          description="z range", continuous_update=False)
        self.plot = FigureImage(figsize=(8, 3), ncols=2)
        self.caption = w.HTML()
        left, right = self.plot.axes
        (self._f,) = left.plot([], [], lw=2)
        (self._df,) = right.plot([], [], lw=2, color="#cc4125")
        for ax, label in ((left, "f(z)"), (right, "f'(z)")):
            ax.set_xlabel("z")
            ax.set_ylabel(label)
            ax.grid(alpha=0.3)
            ax.axhline(0, color="gray", lw=0.5)
            # few ticks: drawing tick labels is most of the cost of a full redraw
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.yaxis.set_major_locator(MaxNLocator(4))
        self.plot.figure.tight_layout()
        self.plot.animate(self._f, self._df)
        self._limits = None
        for control in (self.function, self.z_range):
            control.observe(self._update, names="value")
        self.widget = w.VBox([w.HBox([self.function, self.z_range]), self.caption, self.plot.widget])
        self._update()

    def _update(self, _change=None) -> None:
        low, high = self.z_range.value
        if high - low < 0.5:  # the slider allows equal ends; keep a usable range
            high = low + 0.5
        z, f, df = reference.activation_curves(self.function.value, low, high)
        self._f.set_data(z, f)
        self._df.set_data(z, df)
        limits = activation_axis_limits(low, high)
        if limits != self._limits:  # a new z range: redraw the axes once; a new function only redraws curves
            left, right = self.plot.axes
            left.set_xlim(low, high)
            right.set_xlim(low, high)
            left.set_ylim(*limits[2:4])
            right.set_ylim(*limits[4:6])
            self.plot.invalidate()
            self._limits = limits
        self.caption.value = (f"<b>{self.function.value}</b>: largest slope {df.max():.3f}; "
                              f"slope at z = {high:g} is {df[-1]:.2g}")
        self.plot.render()

    def _ipython_display_(self):
        show_widget(self.widget, self.plot.png)


def activation_axis_limits(low: float, high: float) -> tuple[float, ...]:
    """(z_low, z_high, f_low, f_high, df_low, df_high) shared by every activation on [low, high].

    One scale for all functions: switching function keeps the axes (so the widget only redraws the
    curves), and the slopes are directly comparable: the sigmoid's peak of 0.25 looks as small as it is.
    """
    curves = [reference.activation_curves(name, low, high, points=201) for name in reference.ACTIVATIONS]
    f_all = np.concatenate([f for _, f, _ in curves])
    df_all = np.concatenate([df for _, _, df in curves])
    return (float(low), float(high), *_padded(f_all), *_padded(df_all))


def _padded(values, fraction: float = 0.08):
    low, high = float(np.min(values)), float(np.max(values))
    pad = (high - low) * fraction or 0.5
    return round(low - pad, 6), round(high + pad, 6)


def binary_loss_report(y: int, p: float) -> dict:
    """Each loss, its slope d(loss)/dp, and its slope d(loss)/dz for one binary prediction p = sigmoid(z) of target y.

    Training moves the logit z, so d/dz = d/dp * p (1 - p) is the push a sigmoid output actually gets:
    cross-entropy's is p - y (never larger than 1, but large when confidently wrong); MSE's vanishes there.
    """
    y = check.choice("binary_loss_report", "y", y, (0, 1))
    p = clamp(p, 0.0, 1.0, "binary_loss_report", "p")
    grads = reference.loss_gradients([y], [p])
    sigmoid_slope = p * (1 - p)
    report = {}
    for name, value in (("mse", reference.mse([y], [p])), ("mae", reference.mae([y], [p])),
                        ("binary_crossentropy", reference.binary_crossentropy([y], [p]))):
        slope_p = float(grads[name][0])
        report[name] = (float(value), slope_p, slope_p * sigmoid_slope)
    return report


#: Each binary loss of every example separately (reference.mse and friends return the mean).
LOSS_CURVES = {
    "mse": lambda y, p: (y - p) ** 2,
    "mae": lambda y, p: np.abs(y - p),
    "binary_crossentropy": lambda y, p: -(y * np.log(p) + (1 - y) * np.log(1 - p)),
}


class LossExplorer:
    """Move the predicted probability; watch MSE, MAE and cross-entropy and their slopes."""

    def __init__(self, y: int = 1, p: float = 0.7):
        w = _ipywidgets()
        y = check.choice("LossExplorer", "y", y, (0, 1))
        p = clamp(p, 0.01, 0.99, "LossExplorer", "p")
        self.target = w.ToggleButtons(options=[0, 1], value=y, description="target y")
        self.p = w.FloatSlider(value=p, min=0.01, max=0.99, step=0.01,
                               description="predicted p")
        self.table = w.HTML()
        self.plot = FigureImage(figsize=(5.5, 3.2))
        self._curves = {}
        self._marks = {}
        ax = self.plot.axes[0]
        for name, color in (("mse", "#1155cc"), ("mae", "#38761d"), ("binary_crossentropy", "#cc0000")):
            (self._curves[name],) = ax.plot([], [], color=color, label=name)
            (self._marks[name],) = ax.plot([], [], "o", color=color)
        ax.set(xlabel="predicted probability p", ylabel="loss", xlim=(0, 1), ylim=(0, 4.7))
        ax.legend(loc="upper center", fontsize=8)
        ax.grid(alpha=0.3)
        self.plot.figure.tight_layout()
        self.plot.animate(*self._curves.values(), *self._marks.values())
        self._drawn_target = None
        self.target.observe(self._update, names="value")
        self.p.observe(self._update, names="value")
        self.widget = w.HBox([w.VBox([self.target, self.p, self.table]), self.plot.widget])
        self._update()

    def _update(self, _change=None) -> None:
        y, p = self.target.value, self.p.value
        if self._drawn_target != y:  # the axes stay; only the curves change with the target
            ps = np.linspace(0.005, 0.995, 199)
            targets = np.full_like(ps, y)
            for name, curve in self._curves.items():
                curve.set_data(ps, LOSS_CURVES[name](targets, ps))
            self._drawn_target = y
        report = binary_loss_report(y, p)
        for name, (value, _slope_p, _slope_z) in report.items():
            self._marks[name].set_data([p], [value])
        rows = "".join(f"<tr><td>{name}</td><td>{value:.3f}</td><td>{slope_p:+.3f}</td><td>{slope_z:+.3f}</td></tr>"
                       for name, (value, slope_p, slope_z) in report.items())
        self.table.value = (f"<table style='{TABLE_STYLE}'><tr><th>loss</th><th>value</th><th>slope d/dp</th>"
                            f"<th>slope d/dz (z = logit)</th></tr>{rows}</table>")
        self.plot.render()

    def _ipython_display_(self):
        show_widget(self.widget, self.plot.png)


#: The rates the optimizer playground offers: exact values, so 0.09 and 0.11 mean 0.09 and 0.11.
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.08, 0.09, 0.1,
                  0.11, 0.12, 0.15, 0.2, 0.3, 0.5, 1.0)
#: A rate that suits each optimizer on the playground's surfaces (adaptive methods take steps of about the rate's
#: size whatever the gradient, so they need larger rates than SGD); picking an optimizer starts from it.
SUGGESTED_RATES = {"sgd": 0.05, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.5, "rmsprop": 0.2, "adam": 0.3,
                   "nadam": 0.3}
MOMENTUM_OPTIMIZERS = ("momentum", "nesterov")


def nearest_rate(value: float) -> float:
    """The offered learning rate nearest to ``value`` (on a log scale), after clamping it into the offered range."""
    value = clamp(value, LEARNING_RATES[0], LEARNING_RATES[-1], "OptimizerPlayground", "learning_rate")
    return min(LEARNING_RATES, key=lambda rate: abs(np.log(rate) - np.log(value)))


def descent_verdict(losses, path, minimum) -> str:
    """What happened to a descent, in words: diverged, diverging (the loss rose) or where it ended."""
    losses = np.asarray(losses, dtype=float)
    if not np.isfinite(losses[-1]):
        return f"<b>diverged</b> after {len(losses) - 2} steps: the weights flew off the surface"
    if losses[-1] > losses[0]:
        return f"<b>diverging</b>: the loss rose from {losses[0]:.3g} to {losses[-1]:.3g}; lower the learning rate"
    distance = float(np.linalg.norm(np.asarray(path)[-1] - np.asarray(minimum)))
    return f"loss {losses[-1]:.4g}, distance to the best point {distance:.3g}"


class OptimizerPlayground:
    """A learning-rate lab: pick an optimizer, rate, momentum and steps; see its path and its loss per step."""

    def __init__(self, surface: str = "elongated bowl", optimizer: str = "sgd", learning_rate: float | None = None,
                 momentum: float = 0.9, steps: int = 50):
        w = _ipywidgets()
        who = "OptimizerPlayground"
        surface = check.choice(who, "surface", surface, reference.SURFACES)
        optimizer = check.choice(who, "optimizer", optimizer, reference.OPTIMIZERS)
        learning_rate = nearest_rate(SUGGESTED_RATES[optimizer] if learning_rate is None else learning_rate)
        momentum = clamp(momentum, 0.0, 0.99, who, "momentum")
        steps = int(clamp(check.whole(who, "steps", steps), 1, 500, who, "steps"))
        style = {"description_width": "7em"}
        self.surface = w.Dropdown(options=list(reference.SURFACES), value=surface, description="surface",
                                  style=style)
        self.optimizer = w.Dropdown(options=list(reference.OPTIMIZERS), value=optimizer, description="optimizer",
                                    style=style)
        self.learning_rate = w.SelectionSlider(options=[(f"{rate:g}", rate) for rate in LEARNING_RATES],
                                               value=learning_rate, description="learning rate", style=style,
                                               continuous_update=False)
        self.momentum = w.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                      description="momentum", style=style, continuous_update=False)
        self.steps = w.IntSlider(value=steps, min=1, max=500, description="steps",
                                 style=style, continuous_update=False)
        self.summary = w.HTML()
        self.plot = FigureImage(figsize=(8.4, 3.8), ncols=2)
        path_ax, loss_ax = self.plot.axes
        (self._path,) = path_ax.plot([], [], "o-", color="#cc0000", ms=2.5, lw=1)
        (self._loss,) = loss_ax.plot([], [], "-", color="#cc0000", lw=1.5)
        loss_ax.set(yscale="log", xlabel="step", ylabel="loss (log scale)", title="loss per step")
        loss_ax.grid(alpha=0.3)
        # few tick labels: drawing them is most of the cost of a full redraw
        from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

        loss_ax.yaxis.set_major_locator(LogLocator(numticks=5))
        loss_ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))  # 1e-06, not mathtext
        loss_ax.yaxis.set_minor_locator(NullLocator())
        loss_ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        for axis in (path_ax.xaxis, path_ax.yaxis):
            axis.set_major_locator(MaxNLocator(5))
        self.plot.animate(self._path, self._loss)
        self._drawn = None
        self._laid_out = False
        self.path = self.losses = None
        self.optimizer.observe(self._suggest_rate, names="value")
        for control in (self.surface, self.learning_rate, self.momentum, self.steps):
            control.observe(self._update, names="value")
        controls = w.VBox([self.surface, self.optimizer, self.learning_rate, self.momentum, self.steps,
                           self.summary])
        self.widget = w.HBox([controls, self.plot.widget])
        self._update()

    def _suggest_rate(self, _change=None) -> None:
        rate = SUGGESTED_RATES[self.optimizer.value]
        if self.learning_rate.value != rate:
            self.learning_rate.value = rate  # observed: this redraws
        else:
            self._update()

    def _static_key(self) -> tuple:
        return self.surface.value, axis_span(self.steps.value)

    def _draw_static(self) -> None:
        """Set the axes for the surface and the steps' span; draw the contours unless that picture is kept."""
        s = reference.surface(self.surface.value)
        ax, loss_ax = self.plot.axes
        (x0, x1), (y0, y1) = s["limits"]
        start = float(s["f"](s["start"]))
        key = self._static_key()
        ax.set(xlim=(x0, x1), ylim=(y0, y1))
        loss_ax.set(xlim=(0, key[1]), ylim=(1e-6, start * 100))  # fixed: a redraw moves only the line
        self._drawn = key
        if self.plot.recall(key):  # this surface and span were drawn before: reuse that picture
            return
        for artist in list(ax.collections) + list(ax.lines[1:]):
            artist.remove()
        xx, yy = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
        zz = s["f"](np.array([xx, yy]))
        ax.contour(xx, yy, np.log1p(zz - zz.min()), levels=25, cmap="viridis", linewidths=0.7)
        ax.plot(*s["minimum"], "*", color="gold", ms=14, markeredgecolor="black")
        ax.set(xlabel="w₁", ylabel="w₂", title=self.surface.value)
        if not self._laid_out:
            self.plot.figure.tight_layout()  # once: later surfaces keep the layout (laying out costs a full draw)
            self._laid_out = True
        self.plot.invalidate()

    def _update(self, _change=None) -> None:
        self.momentum.layout.display = None if self.optimizer.value in MOMENTUM_OPTIMIZERS else "none"
        if self._drawn != self._static_key():
            self._draw_static()
        optimizer = reference.make_optimizer(self.optimizer.value, self.learning_rate.value, self.momentum.value)
        self.path, self.losses = reference.descend(self.surface.value, optimizer, self.steps.value)
        finite = self.path[np.all(np.isfinite(self.path), axis=1)]
        self._path.set_data(finite[:, 0], finite[:, 1])
        shown = np.isfinite(self.losses)
        self._loss.set_data(np.flatnonzero(shown), np.maximum(self.losses[shown], 1e-6))
        s = reference.surface(self.surface.value)
        verdict = descent_verdict(self.losses, self.path, s["minimum"])
        self.summary.value = f"{self.optimizer.value}, learning rate {self.learning_rate.value:g}: {verdict}"
        self.plot.render()
        self.plot.remember(self._drawn)

    def _ipython_display_(self):
        show_widget(self.widget, self.plot.png)


KERNEL_SIZES = (3, 5)
FEATURE_SCALES = ("fixed", "auto")
FIXED_RANGE = (0.0, 2.0)  # black = 0, white = 2: a kernel summing to 1 keeps the photo's brightness (0 to 1)


def centred_kernel(kernel, size: int) -> np.ndarray:
    """A 3x3 preset placed in the middle of a size x size kernel of zeros (the same filter, a bigger window)."""
    kernel = np.asarray(kernel, dtype=float)
    out = np.zeros((size, size))
    pad = (size - kernel.shape[0]) // 2
    out[pad:pad + kernel.shape[0], pad:pad + kernel.shape[1]] = kernel
    return out


class KernelExplorer:
    """Edit a 3x3 or 5x5 kernel (or pick a preset), choose stride, padding, pooling and the colour scale;
    see the feature map of a photo."""

    def __init__(self, photo: str = "china", preset: str = "vertical edges (Sobel x)", stride: int = 1,
                 padding: str = "same", pooling: str = "none", size: int = 3, scale: str = "fixed"):
        from .data import sample_image

        w = _ipywidgets()
        who = "KernelExplorer"
        photo = check.choice(who, "photo", photo, ("china", "flower"))
        preset = check.choice(who, "preset", preset, reference.KERNEL_PRESETS)
        stride = check.choice(who, "stride", stride, (1, 2, 3))
        padding = check.choice(who, "padding", padding, ("valid", "same"))
        pooling = check.choice(who, "pooling", pooling, reference.POOLING_CHOICES)
        size = check.choice(who, "size", size, KERNEL_SIZES)
        scale = check.choice(who, "scale", scale, FEATURE_SCALES)
        self.images = {name: sample_image(name, gray=True) / 255 for name in ("china", "flower")}
        self.photo = w.Dropdown(options=list(self.images), value=photo, description="photo")
        self.preset = w.Dropdown(options=list(reference.KERNEL_PRESETS), value=preset, description="preset")
        self.size = w.ToggleButtons(options=list(KERNEL_SIZES), value=size, description="kernel size")
        self._cells = {n: [w.BoundedFloatText(value=0.0, min=-10.0, max=10.0, step=0.5,
                                              layout=w.Layout(width="4.5em")) for _ in range(n * n)]
                       for n in KERNEL_SIZES}
        self._grids = {n: w.GridBox(cells, layout=w.Layout(grid_template_columns=f"repeat({n}, 5em)"))
                       for n, cells in self._cells.items()}
        self.stride = w.ToggleButtons(options=[1, 2, 3], value=stride, description="stride")
        self.padding = w.ToggleButtons(options=["valid", "same"], value=padding, description="padding")
        self.pooling = w.ToggleButtons(options=list(reference.POOLING_CHOICES), value=pooling, description="pooling")
        self.scale = w.ToggleButtons(options=list(FEATURE_SCALES), value=scale, description="colour scale")
        self.caption = w.HTML()
        self.plot = Picture(css_width=396)  # the feature map itself, pixel for pixel (no axes to draw)
        self._applying_preset = False
        self.preset.observe(self._apply_preset, names="value")
        self.size.observe(self._apply_preset, names="value")
        for control in (self.photo, self.stride, self.padding, self.pooling, self.scale,
                        *self._cells[3], *self._cells[5]):
            control.observe(self._update, names="value")
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
        return centred_kernel(reference.KERNEL_PRESETS[self.preset.value], self.size.value)

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
        name = (f"edited: the cells no longer match '{self.preset.value}'" if edited
                else f"'{self.preset.value}'")
        shown = ("black = 0, white = 2 (the photo spans 0 to 1)" if self.scale.value == "fixed"
                 else f"stretched: black = {low:.2g}, white = {high:.2g}")
        self.caption.value = (f"{name}; weights sum to {kernel.sum():.3g}<br>input {image.shape[0]}x{image.shape[1]} "
                              f"-> feature map <b>{height}x{width}</b><br>colour scale: {shown}")
        self.plot.show_gray(self.feature, low, high)

    def _ipython_display_(self):
        show_widget(self.widget, self.plot.png)


TUNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
TUNING_L2 = (0.0, 1e-4, 1e-3, 1e-2)
TUNING_COLORS = ("#1f77b4", "#d62728", "#2ca02c")


def run_label(run: dict) -> str:
    """A short legend entry for one tuning run: its settings."""
    parts = [f"lr {run['learning_rate']:g}", f"dropout {run['dropout']:.1f}", f"L2 {run['l2']:g}"]
    if run["augmentation"] != "none":
        parts.append(run["augmentation"])
    return ", ".join(parts)


class TuningLab:
    """Pick a learning rate, dropout, L2 and augmentation, press Run: a short real training, curves drawn.

    The last three runs stay on the plot, so a change can be compared with what came before. Moving a
    control only marks the settings as changed (instant); training starts with the Run button.
    """

    def __init__(self, x, y, x_val, y_val, epochs: int = 6, learning_rate: float = 1e-3, dropout: float = 0.0,
                 l2: float = 0.0, augmentation: str = "none", run_now: bool = True):
        from .models import AUGMENTATIONS

        w = _ipywidgets()
        who = "TuningLab"
        self.data = tuple(check.array(who, name, value, dtype=None) for name, value in
                          (("x", x), ("y", y), ("x_val", x_val), ("y_val", y_val)))
        self.epochs = int(clamp(check.whole(who, "epochs", epochs), 1, 30, who, "epochs"))
        rate = clamp(learning_rate, TUNING_RATES[0], TUNING_RATES[-1], who, "learning_rate")
        rate = min(TUNING_RATES, key=lambda r: abs(np.log(r) - np.log(rate)))
        l2 = min(TUNING_L2, key=lambda v: abs(v - clamp(l2, 0.0, TUNING_L2[-1], who, "l2")))
        augmentation = check.choice(who, "augmentation", augmentation, AUGMENTATIONS)
        style = {"description_width": "8.5em"}  # wide enough for "augmentation"
        self.learning_rate = w.SelectionSlider(options=[(f"{r:g}", r) for r in TUNING_RATES], value=rate,
                                               description="learning rate", style=style, continuous_update=False)
        self.dropout = w.FloatSlider(value=round(clamp(dropout, 0.0, 0.6, who, "dropout"), 1), min=0.0, max=0.6,
                                     step=0.1, description="dropout", style=style, continuous_update=False)
        self.l2 = w.SelectionSlider(options=[(f"{v:g}", v) for v in TUNING_L2], value=l2, description="L2",
                                    style=style, continuous_update=False)
        self.augmentation = w.Dropdown(options=list(AUGMENTATIONS), value=augmentation, description="augmentation",
                                       style=style)
        self.button = w.Button(description="Run", button_style="primary", icon="play")
        self.status = w.HTML()
        self.plot = FigureImage(figsize=(8.4, 3.2), ncols=2)
        self.runs = []
        self.button.on_click(self.run)
        for control in (self.learning_rate, self.dropout, self.l2, self.augmentation):
            control.observe(self._changed, names="value")
        controls = w.VBox([self.learning_rate, self.dropout, self.l2, self.augmentation, self.button, self.status])
        self.widget = w.VBox([controls, self.plot.widget])
        if run_now:
            self.run()
        else:
            self._changed()

    def settings(self) -> dict:
        return {"learning_rate": self.learning_rate.value, "dropout": round(self.dropout.value, 2),
                "l2": self.l2.value, "augmentation": self.augmentation.value}

    def _changed(self, _change=None) -> None:
        last = self.runs[-1] if self.runs else None
        if last is not None and all(last[k] == v for k, v in self.settings().items()):
            self.status.value = self._summary(last)
            return
        about = f" (about {last['seconds']:.0f} s)" if last is not None else ""
        self.status.value = f"<b>settings changed</b>: press Run to train with them{about}"

    @staticmethod
    def _summary(run: dict) -> str:
        gap = run["val_loss"][-1] - run["loss"][-1]
        return (f"{run_label(run)}: validation accuracy {run['val_accuracy'][-1]:.1%} (best "
                f"{max(run['val_accuracy']):.1%}), validation - training loss {gap:+.3f}, {run['seconds']:.0f} s")

    def run(self, _button=None) -> dict:
        """Train once with the current settings (this is what the Run button does); returns the run."""
        from .training import tuning_run

        self.button.disabled, self.button.description = True, "Training..."
        self.status.value = "training..."
        try:
            result = tuning_run(*self.data, epochs=self.epochs, **self.settings())
        finally:
            self.button.disabled, self.button.description = False, "Run"
        self.runs = (self.runs + [result])[-len(TUNING_COLORS):]
        self._draw()
        self.status.value = self._summary(result)
        return result

    def _draw(self) -> None:
        from matplotlib.ticker import MaxNLocator

        loss_ax, acc_ax = self.plot.axes
        loss_ax.clear()
        acc_ax.clear()
        for age, (run, color) in enumerate(zip(reversed(self.runs), TUNING_COLORS)):
            epochs = np.arange(1, len(run["loss"]) + 1)
            fade = 1.0 if age == 0 else 0.45
            loss_ax.plot(epochs, run["loss"], "--", color=color, alpha=fade)
            loss_ax.plot(epochs, run["val_loss"], "o-", color=color, alpha=fade, ms=3, label=run_label(run))
            acc_ax.plot(epochs, run["val_accuracy"], "o-", color=color, alpha=fade, ms=3)
        loss_ax.set(xlabel="epoch", ylabel="loss", title="loss: validation (solid), training (dashed)")
        acc_ax.set(xlabel="epoch", ylabel="validation accuracy", title="validation accuracy")
        loss_ax.legend(fontsize=9, loc="upper right", title="newest first", title_fontsize=9)
        for ax in (loss_ax, acc_ax):
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        self.plot.figure.tight_layout()
        self.plot.invalidate()
        self.plot.render()

    def _ipython_display_(self):
        show_widget(self.widget, self.plot.png)
