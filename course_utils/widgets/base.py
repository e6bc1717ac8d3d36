"""What every widget shares: pictures that update in place, the still picture stored in a notebook, clamping,
and ``CourseWidget``, the display and update plumbing."""

from __future__ import annotations

import io

import numpy as np

from .. import validate
from ..language import tr


def labelled(names) -> list[tuple[str, str]]:
    """A control's options: each name shown in the student's language, its value the English name the code uses."""
    return [(tr(name), name) for name in names]


def label_width(labels, minimum: float) -> str:
    """A description width that fits ``labels`` (at least ``minimum`` em): a Hangul syllable is about 1 em wide,
    a Latin letter about 0.5 em, so a Korean label is not cut short where its English one fits."""
    def ems(label: str) -> float:
        return sum(1.0 if "\uac00" <= ch <= "\ud7a3" else 0.5 for ch in label) + 0.5

    return f"{max(minimum, *(ems(label) for label in labels)):g}em"


def load_ipywidgets():
    import ipywidgets

    return ipywidgets


#: Device pixels drawn per CSS pixel: pictures stay sharp on high-DPI screens and are shown at their own size.
PIXEL_RATIO = 2
_CSS_PIXELS_PER_INCH = 72


class Picture:
    """A PNG shown at a fixed width in CSS pixels, never stretched by the boxes around it.

    ``mode`` picks the widget that carries it (``config.widget_image_mode()``): an ``Image``, or on Colab an
    ``HTML`` widget holding a base64 PNG.
    """

    def __init__(self, css_width: int, mode: str | None = None):
        from ..config import IMAGE_MODES, widget_image_mode

        w = load_ipywidgets()
        self.mode = widget_image_mode() if mode is None else validate.choice("Picture", "mode", mode, IMAGE_MODES)
        self.css_width = int(css_width)
        # narrower only when the page is; the height follows the picture's own aspect ratio
        layout = w.Layout(width=f"{self.css_width}px", height="auto", max_width="100%", align_self="flex-start",
                          flex="0 0 auto")
        if self.mode == "image":
            self.image = w.Image(format="png", layout=w.Layout(width="100%", height="auto", margin="0px"))
            # ipywidgets' Image has no alt text: its description sits beside it, hidden from sight, not from readers
            self.description = w.HTML(layout=w.Layout(height="0px", margin="0px", overflow="hidden"))
            self.widget = w.VBox([self.image, self.description], layout=layout)
            self.view = self.image
        else:
            self.widget = self.view = w.HTML(layout=layout)
        # ``widget`` is what to lay out; ``view`` is the widget whose value is the picture (to observe)
        self.png = b""
        self.alt = ""

    def show(self, png: bytes, alt: str = "") -> None:
        """Show ``png``; ``alt`` says what it shows, for a student who cannot see it: the HTML path's
        ``<img alt>``, the ``Image`` path's hidden description beside the picture (``description_html``) and the
        stored still picture's ``alt``."""
        if self.mode == "image":
            if alt != self.alt:
                self.description.value = description_html(alt)
            self.image.value = png
        else:
            self.widget.value = _png_html(png, self.css_width, alt)
        self.png, self.alt = png, alt

    def show_gray(self, values, low: float, high: float, alt: str = "") -> None:
        """Show a 2-D array as a gray picture, pixel for pixel: ``low`` is black, ``high`` white. Without
        ``alt``, the description gives its size and its values' range."""
        from PIL import Image

        from ..figure_text import number

        values = np.asarray(values, dtype=float)
        scaled = np.clip((values - low) / (high - low), 0.0, 1.0)
        buffer = io.BytesIO()
        Image.fromarray(np.round(scaled * 255).astype(np.uint8), mode="L").save(buffer, format="png",
                                                                              compress_level=1)
        alt = alt or tr("{width}×{height} gray picture of values {lowest} to {highest}; black is {low}, white "
                        "{high}", width=values.shape[1], height=values.shape[0], lowest=number(values.min()),
                        highest=number(values.max()), low=number(low), high=number(high))
        self.show(buffer.getvalue(), alt)


class FigureImage:
    """A matplotlib Figure kept off-screen and shown as a PNG, at its own size and aspect ratio.

    ``figsize`` is the size shown, in inches of 72 CSS pixels; the PNG has ``PIXEL_RATIO`` times as many pixels.
    ``mode`` is passed to ``Picture``. Artists registered with ``animate()`` are redrawn over a cached
    background (blitting), so a slider that moves only them re-renders in a few ms.
    """

    def __init__(self, figsize=(4, 4), ncols: int = 1, mode: str | None = None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=figsize, dpi=_CSS_PIXELS_PER_INCH * PIXEL_RATIO)
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = [self.figure.add_subplot(1, ncols, k + 1) for k in range(ncols)]
        self.css_size = (round(figsize[0] * _CSS_PIXELS_PER_INCH), round(figsize[1] * _CSS_PIXELS_PER_INCH))
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

    def kept(self, key) -> bool:
        """Whether a static layer is kept under ``key``."""
        return key in self._backgrounds

    def keep_static(self, key) -> None:
        """Draw the figure's static parts as they are now and keep them under ``key``, without showing them
        (the picture shown and the layer in use stay as they were)."""
        in_use = self._background
        self.canvas.draw()  # animated artists are skipped here
        self._backgrounds[key] = self.canvas.copy_from_bbox(self.figure.bbox)
        self._background = in_use

    def recall(self, key) -> bool:
        """Reuse the static layer kept under ``key``; False when there is none (draw it, then ``remember``)."""
        if key not in self._backgrounds:
            return False
        self._background = self._backgrounds[key]
        return True

    def render(self) -> None:
        from PIL import Image

        from ..figure_text import describe

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
        self.picture.show(buffer.getvalue(), describe(self.figure))

    @property
    def alt(self) -> str:
        return self.picture.alt


def description_html(alt: str) -> str:
    """A picture's description as a screen reader reads it, kept out of sight: a polite live region, so a
    student who cannot see the picture hears the new description when a control changes it."""
    import html

    said = tr("Picture:")  # not inside the f-string: Babel finds calls there only on Python 3.12 and later
    hidden = ("position:absolute; width:1px; height:1px; padding:0; margin:-1px; overflow:hidden; "
              "clip:rect(0 0 0 0); clip-path:inset(50%); white-space:nowrap; border:0")
    return (f'<span class="course-picture-description" role="status" aria-live="polite" style="{hidden}">'
            f"{said} {html.escape(alt)}</span>") if alt else ""


def _png_html(png: bytes, width: int, alt: str = "") -> str:
    """An <img> holding ``png`` as base64, shown ``width`` CSS pixels wide (the HTML drawing path, for Colab),
    with ``alt`` as its alt text."""
    import base64
    import html

    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" width="{width}" '
            f'style="max-width:100%; height:auto; display:block" alt="{html.escape(alt, quote=True)}">')


def _still_png(png: bytes) -> bytes:
    """A smaller copy of a widget's picture (half the pixels each way, compressed hard) to store in the notebook."""
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    if PIXEL_RATIO > 1:
        image = image.reduce(PIXEL_RATIO)
    buffer = io.BytesIO()
    image.save(buffer, format="png", optimize=True)
    return buffer.getvalue()


def _show_widget(widget, png: bytes = b"", alt: str = "") -> None:
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
    data["image/png"] = base64.b64encode(_still_png(png)).decode("ascii")
    display(data, raw=True, metadata={"image/png": {"alt": alt}} if alt else None)


def clamp(value: float, low: float, high: float, who: str = "clamp", name: str = "value") -> float:
    """Keep a number inside [low, high] (widgets never pass an out-of-range value on).

    NaN, infinity and non-numbers are not numbers to clamp: they raise an error that names
    the widget's argument and its range.
    """
    if not (validate.is_number(low) and validate.is_number(high) and low <= high):
        raise ValueError(f"{who}: the range to clamp {name} to must be (low, high) with low <= high, "
                         f"got ({low!r}, {high!r}).")
    if not validate.is_number(value) or not np.isfinite(float(value)):
        raise (TypeError if not validate.is_number(value) else ValueError)(
            f"{who}: {name} must be a number (it is clamped to [{low:g}, {high:g}]), got {value!r}.")
    return float(min(max(float(value), low), high))


_AXIS_SPANS = (5, 10, 20, 50, 100, 200, 500)


def axis_span(n: int) -> int:
    """The axis length shown for ``n`` steps or epochs: the smallest of ``_AXIS_SPANS`` that holds them.

    The axis keeps its scale while a slider moves within a span, so only the curve is redrawn.
    """
    n = validate.whole("axis_span", "n", n, low=1)
    return next((span for span in _AXIS_SPANS if span >= n), n)


#: Space between table columns, so headers such as "output" and "target" do not run together.
TABLE_STYLE = "border-collapse: separate; border-spacing: 0.9em 0.15em; margin-left: -0.9em"


class CourseWidget:
    """What every course widget shares: ``widget`` (the box of controls and picture that is shown), ``plot``
    (the ``FigureImage`` it draws on) and ``_update`` (redraw from the controls' values).

    A subclass builds its controls, calls ``_watch`` on those that redraw, sets ``self.widget`` and
    ``self.plot``, and draws once; displaying it shows the live widget with a still picture beside it.
    """

    widget = None
    plot = None

    def _watch(self, *controls) -> None:
        for control in controls:
            control.observe(self._update, names="value")

    def _update(self, _change=None) -> None:
        raise NotImplementedError

    def _ipython_display_(self):
        show_keyboard_focus(self.widget)
        _show_widget(self.widget, self.plot.png, self.plot.alt)


#: A clear ring around the control that has the keyboard's focus: ipywidgets draws none on some controls (the
#: sliders' handles), and every control is used by Tab, arrows, Enter and Space.
FOCUS_CSS = (".course-widget.course-widget :focus-visible, .course-widget.course-widget input:focus, "
             ".course-widget.course-widget .noUi-handle:focus, .course-widget.course-widget .ui-slider-handle:focus"
             " { outline: 2px solid #1565c0 !important; outline-offset: 1px !important;"
             " box-shadow: 0 0 0 4px rgba(21, 101, 192, 0.3) !important; }")


def show_keyboard_focus(box) -> None:
    """Mark ``box`` as a course widget and give it the focus ring's style, in a hidden child of its own (so the
    style travels with the widget, also into Colab's separate output frames)."""
    w = load_ipywidgets()
    if "course-widget" in box._dom_classes:
        return
    box.add_class("course-widget")
    box.children = (*box.children, w.HTML(f"<style>{FOCUS_CSS}</style>", layout=w.Layout(display="none")))
