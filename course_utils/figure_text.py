"""What a figure says in words, and where its words collide: alt text written from the plotted data, and a
check for overlapping text.

``describe(fig)`` reads the figure's artists (titles, axis labels and ranges, each line's values, bars, points,
images) and returns one paragraph for a student who cannot see the picture. ``setup()`` attaches it to every
figure a notebook shows (the PNG output's ``alt`` metadata, the ``<img alt>`` a frontend renders, and the text
form), and widgets attach it to their pictures. ``text_overlaps(fig)`` lists pairs of labels drawn over each
other; ``setup()`` warns about them when a figure is shown, so a stored notebook shows none.
"""

from __future__ import annotations

import re

import numpy as np

from .language import N_, tr

#: Lines, bars and image panels described one by one before the rest are summed up.
MOST_LINES, MOST_BARS, MOST_PANELS = 8, 12, 6


def number(value: float) -> str:
    """A value as the figure's reader would say it: three significant digits, no exponent for everyday sizes."""
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e6:
        digits = max(0, 2 - int(np.floor(np.log10(abs(value)))))
        text = f"{value:.{digits}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{value:.2e}"


def _clean(text: str) -> str:
    text = re.sub(r"\\mathdefault\{(.*)\}", r"\1", text)  # how Matplotlib writes log-axis tick labels
    return " ".join(text.replace("$", "").split())


def _label(artist) -> str | None:
    label = artist.get_label()
    return None if not label or label.startswith("_") else _clean(label)


def _line(line, name: str) -> str | None:
    x = np.asarray(line.get_xdata(), dtype=float).reshape(-1)
    y = np.asarray(line.get_ydata(), dtype=float).reshape(-1)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if len(y) == 0:
        return None
    if len(y) == 1:
        return tr("{name}: one point at x = {x}, y = {y}", name=name, x=number(x[0]), y=number(y[0]))
    if np.all(x == x[0]):
        return tr("{name}: vertical line at x = {x}", name=name, x=number(x[0]))
    if np.all(y == y[0]):
        return tr("{name}: flat at y = {y}", name=name, y=number(y[0]))
    low, high = int(np.argmin(y)), int(np.argmax(y))
    change = y[-1] - y[0]
    spread = float(np.max(y) - np.min(y))
    trend = tr("rises") if change > 0.05 * spread else tr("falls") if change < -0.05 * spread else tr("goes")
    text = tr("{name}: {count} points, {trend} from {first} at x = {first_x} to {last} at x = {last_x}", name=name,
              count=len(y), trend=trend, first=number(y[0]), first_x=number(x[0]), last=number(y[-1]),
              last_x=number(x[-1]))
    if low not in (0, len(y) - 1):
        text += tr(", lowest {y} at x = {x}", y=number(y[low]), x=number(x[low]))
    if high not in (0, len(y) - 1):
        text += tr(", highest {y} at x = {x}", y=number(y[high]), x=number(x[high]))
    return text


def _bars(container) -> str | None:
    patches = [patch for patch in container.patches if patch.get_visible()]
    if not patches:
        return None
    horizontal = container.orientation == "horizontal"
    sizes = [patch.get_width() if horizontal else patch.get_height() for patch in patches]
    axes = patches[0].axes
    names = [_clean(tick.get_text()) for tick in (axes.get_yticklabels() if horizontal else axes.get_xticklabels())]
    where = [(patch.get_y() + patch.get_height() / 2) if horizontal else (patch.get_x() + patch.get_width() / 2)
             for patch in patches]
    ticks = axes.get_yticks() if horizontal else axes.get_xticks()
    named = {}
    for tick, name in zip(ticks, names):
        if name:
            named[round(float(tick), 6)] = name
    label = _label(container)
    head = tr("bars") + (f" ({label})" if label else "")
    items = [f"{named.get(round(float(w), 6), number(w))} {number(s)}" for w, s in zip(where, sizes)]
    if len(items) > MOST_BARS:
        return tr("{head}: {count} bars from {low} to {high}; first {items}", head=head, count=len(items),
                  low=number(min(sizes)), high=number(max(sizes)), items=", ".join(items[:MOST_BARS]))
    return f"{head}: {', '.join(items)}"


def _error_bars(container) -> str:
    """Points with error bars, as "(x, y ± error)"; only vertical errors are read, as the course draws them."""
    data_line, _caps, bars = container.lines
    x = np.asarray(data_line.get_xdata(), dtype=float)
    y = np.asarray(data_line.get_ydata(), dtype=float)
    errors = [np.nan] * len(y)
    if bars:
        segments = bars[-1].get_segments()
        if len(segments) == len(y):
            errors = [abs(segment[1][1] - segment[0][1]) / 2 for segment in segments]
    points = [f"({number(a)}, {number(b)}" + (f" ± {number(e)})" if np.isfinite(e) else ")")
              for a, b, e in zip(x, y, errors)]
    label = _label(container) or _label(data_line) or tr("points with error bars")
    more = tr(" and {count} more", count=len(points) - MOST_BARS) if len(points) > MOST_BARS else ""
    return f"{label}: {', '.join(points[:MOST_BARS])}{more}"


def _collection(collection) -> str | None:
    from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
    from matplotlib.contour import ContourSet

    label = _label(collection)
    if isinstance(collection, ContourSet):
        levels = np.asarray(collection.levels, dtype=float)
        kind = (tr("filled contours") if collection.filled else tr("contour lines")) + (f" ({label})" if label else "")
        return tr("{kind} at {count} levels from {low} to {high}", kind=kind, count=len(levels),
                  low=number(levels.min()), high=number(levels.max()))
    if isinstance(collection, QuadMesh):
        values = np.asarray(collection.get_array(), dtype=float)
        return tr("{kind} of values {low} to {high}", kind=tr("colour map") + (f" ({label})" if label else ""),
                  low=number(np.nanmin(values)), high=number(np.nanmax(values)))
    if isinstance(collection, PathCollection):
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if offsets.ndim != 2 or len(offsets) == 0 or offsets.shape[1] != 2:
            return None
        x, y = offsets[:, 0], offsets[:, 1]
        if len(offsets) == 1:
            return tr("{name}: one point at x = {x}, y = {y}", name=label or tr("point"), x=number(x[0]),
                      y=number(y[0]))
        return tr("{name}: {count} points, x {x_low} to {x_high}, y {y_low} to {y_high}", name=label or tr("points"),
                  count=len(offsets), x_low=number(x.min()), x_high=number(x.max()), y_low=number(y.min()),
                  y_high=number(y.max()))
    if isinstance(collection, PolyCollection) and label:
        return tr("shaded band ({label})", label=label)
    return None


def _axis(axes, which: str) -> str | None:
    """The axis's label and a log scale; its limits add nothing to the values each line states."""
    label = _clean(axes.get_xlabel() if which == "x" else axes.get_ylabel())
    scale = axes.get_xscale() if which == "x" else axes.get_yscale()
    said = tr(N_("log")) if scale == "log" else scale
    if not label:
        return tr("{which} on a {scale} scale", which=which, scale=said) if scale != "linear" else None
    return tr("{which} axis {label!r}", which=which, label=label) + (
        tr(" ({scale} scale)", scale=said) if scale != "linear" and scale not in label and said not in label else "")


def _title(axes) -> str:
    return " ".join(_clean(axes.get_title(loc)) for loc in ("left", "center", "right") if axes.get_title(loc))


def _is_image_panel(axes) -> bool:
    return bool(axes.images) and not axes.lines and not axes.collections and not axes.patches


def _image(axes) -> str:
    image = axes.images[0]
    shape = np.shape(image.get_array())
    colour = "colour" if len(shape) == 3 else "gray" if image.get_cmap().name in ("gray", "Greys", "binary",
                                                                                 "gray_r", "Greys_r") else "heat-map"
    kind = {"colour": tr("colour image"), "gray": tr("gray image"), "heat-map": tr("heat-map image")}[colour]
    text = (tr("{width}×{height} {kind}", width=shape[1], height=shape[0], kind=kind) if len(shape) >= 2
            else tr("an {kind}", kind=kind))
    if colour == "heat-map":
        values = np.asarray(image.get_array(), dtype=float)
        low, high = image.get_clim()
        text += tr(" of values {low} to {high}", low=number(np.nanmin(values)), high=number(np.nanmax(values)))
        if (low, high) != (np.nanmin(values), np.nanmax(values)):
            text += tr(" (colours for {low} to {high})", low=number(low), high=number(high))
    if axes.axison:  # named rows and columns, as in a confusion matrix
        for which, labels in ((tr("columns"), axes.get_xticklabels()), (tr("rows"), axes.get_yticklabels())):
            names = [_clean(label.get_text()) for label in labels]
            if names and any(re.search(r"[A-Za-z가-힣]", name) for name in names):
                text += f"; {which} {', '.join(names)}"
        values = np.asarray(image.get_array(), dtype=float)
        if values.ndim == 2 and values.shape[0] == values.shape[1] and len(axes.texts) >= values.size:
            text += tr("; its diagonal {values}", values=", ".join(number(v) for v in np.diag(values)))
    return text


def _panel(axes) -> str:
    from matplotlib.container import ErrorbarContainer

    parts = []
    title = _title(axes)
    if axes.images:
        parts.append(_image(axes))
    if not _is_image_panel(axes) and axes.axison:
        parts += [_axis(axes, "x"), _axis(axes, "y")]
    items, in_error_bars = [], set()
    for container in axes.containers:
        if isinstance(container, ErrorbarContainer):
            data_line, caps, bars = container.lines
            in_error_bars.update(id(line) for line in (data_line, *caps) if line is not None)
            items.append(_error_bars(container))
    lines = [line for line in axes.get_lines() if line.get_visible() and id(line) not in in_error_bars]
    for k, line in enumerate(lines[:MOST_LINES]):
        items.append(_line(line, _label(line) or tr("line {number}", number=k + 1)))
    if len(lines) > MOST_LINES:
        items.append(tr("{count} more lines", count=len(lines) - MOST_LINES))
    items += [_bars(container) for container in axes.containers if hasattr(container, "patches")]
    bar_lines = {id(bars) for container in axes.containers if isinstance(container, ErrorbarContainer)
                 for bars in container.lines[2]}
    items += [_collection(collection) for collection in axes.collections
              if collection.get_visible() and id(collection) not in bar_lines]
    notes = [_clean(text.get_text()) for text in axes.texts if text.get_visible() and text.get_text().strip()]
    if len(notes) > MOST_LINES:
        items.append(tr("{count} numbers or notes written on it", count=len(notes)))
    else:
        items += [tr("text {note!r}", note=note) for note in notes]
    body = "; ".join(part for part in parts + items if part)
    return f"{title!r}: {body}" if title else body


def describe(fig) -> str:
    """One paragraph that says what ``fig`` shows, read from its artists: its title, each panel's title and axis
    labels, each line's start, end and extremes, bars, points, contours, images and text. Colour bars are left
    out."""
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"describe: fig must be a matplotlib Figure, not {type(fig).__name__}.")
    colorbars = {getattr(getattr(ax, "_colorbar", None), "ax", None) for ax in fig.axes}
    panels = [ax for ax in fig.axes if ax.get_visible() and ax not in colorbars and (
        ax.has_data() or _title(ax) or ax.texts)]
    suptitle = _clean(fig._suptitle.get_text()) if getattr(fig, "_suptitle", None) else ""
    texts = [_clean(text.get_text()) for text in fig.texts if text is not getattr(fig, "_suptitle", None)
             and text.get_visible() and text.get_text().strip()]
    head = tr("Figure {title!r}", title=suptitle) if suptitle else tr("Figure")
    if not panels:
        return tr("{head}, empty.", head=head)
    images = [ax for ax in panels if _is_image_panel(ax)]
    if len(images) > MOST_PANELS and len(images) == len(panels):
        titles = [_title(ax) for ax in images]
        named = tr("; titles: {titles}", titles=", ".join(repr(t) for t in titles)) if any(titles) else ""
        body = tr("{count} images ({image} each){named}", count=len(images), image=_image(images[0]), named=named)
    else:
        described = [_panel(ax) for ax in panels]
        if len(panels) == 1:
            body = described[0]
        else:
            body = " ".join(tr("Panel {number} {text}.", number=k + 1, text=text) if not text.startswith("'")
                            else tr("Panel {number}, {text}.", number=k + 1, text=text)
                            for k, text in enumerate(described))
    panels_said = tr("1 panel") if len(panels) == 1 else tr("{count} panels", count=len(panels))
    text = tr("{head} with {panels}. {body}", head=head, panels=panels_said, body=body)
    if texts:
        text += tr(" Notes: {notes}.", notes="; ".join(texts))
    return text.replace("..", ".").strip()


def _text_boxes(fig, renderer):
    """(name, box) for every visible piece of text, and each legend as one box."""
    from matplotlib.text import Text

    boxes, ticks_drawn, ticks_all = [], [], set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            margin = 1e-9 * max(1.0, abs(high - low))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                labels = (tick.label1, tick.label2)
                ticks_all.update(id(label) for label in labels)
                if low - margin <= tick.get_loc() <= high + margin:  # Matplotlib keeps, but never draws, the rest
                    ticks_drawn.extend(labels)
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
    inside_legends = {id(text) for legend in legends for text in legend.findobj(Text)}
    texts = [text for text in fig.findobj(Text) if id(text) not in ticks_all] + ticks_drawn
    for text in texts:
        if id(text) in inside_legends or not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        if box.width > 0 and box.height > 0:
            boxes.append((_clean(text.get_text()), box))
    for legend in legends:
        if legend.get_visible():
            boxes.append(("the legend", legend.get_window_extent(renderer)))
    return boxes


def text_overlaps(fig, tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts (titles, labels, tick labels, notes; each legend as a whole) drawn over each other, by
    their boxes on the drawn figure; boxes that only touch within ``tolerance`` pixels do not count."""
    fig.canvas.draw()  # lays the figure out as it will be saved
    renderer = fig.canvas.get_renderer()
    boxes = _text_boxes(fig, renderer)
    found = []
    for i, (name_a, a) in enumerate(boxes):
        for name_b, b in boxes[i + 1:]:
            width = min(a.x1, b.x1) - max(a.x0, b.x0)
            height = min(a.y1, b.y1) - max(a.y0, b.y0)
            if width > tolerance and height > tolerance:
                found.append((name_a, name_b))
    return found
