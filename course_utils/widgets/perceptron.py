"""The perceptron's playground and trainer (notebook 01)."""

from __future__ import annotations

import numpy as np

from .. import reference, validate
from ..language import tr
from ..reference.perceptron import LOGIC_GATES, logic_gate
from .base import TABLE_STYLE, CourseWidget, FigureImage, axis_span, clamp, label_width, labelled, load_ipywidgets

WEIGHT_RANGE = (-3.0, 3.0)


def _truth_table_html(table: dict, gate: str) -> str:
    rows = "".join(
        f"<tr><td>{x1}</td><td>{x2}</td><td>{z:+.2f}</td><td>{out}</td><td>{target}</td>"
        f"<td>{'&#10003;' if out == target else '&#10007;'}</td></tr>"
        for x1, x2, z, out, target in table["rows"]
    )
    accuracy = tr("accuracy {accuracy:.0%}", accuracy=table["accuracy"])
    header = tr("<th>x1</th><th>x2</th><th>z = w1 x1 + w2 x2 + b</th><th>output</th><th>target</th><th></th>")
    return f"<b>{gate}</b>: {accuracy}<table style='{TABLE_STYLE}'><tr>{header}</tr>{rows}</table>"


class PerceptronPlayground(CourseWidget):
    """Sliders for w1, w2 and b; a live decision boundary and truth table."""

    def __init__(self, gate: str = "AND", w1: float = 0.5, w2: float = 0.5, b: float = -0.2):
        w = load_ipywidgets()
        low, high = WEIGHT_RANGE
        who = "PerceptronPlayground"
        w1, w2, b = (clamp(v, low, high, who, name) for name, v in (("w1", w1), ("w2", w2), ("b", b)))
        gate = validate.choice(who, "gate", gate, LOGIC_GATES)
        style = {"description_width": label_width([tr("gate")], minimum=2.5)}
        self.w1 = w.FloatSlider(value=w1, min=low, max=high, step=0.1, description="w1", style=style)
        self.w2 = w.FloatSlider(value=w2, min=low, max=high, step=0.1, description="w2", style=style)
        self.b = w.FloatSlider(value=b, min=low, max=high, step=0.1, description="b", style=style)
        self.gate = w.Dropdown(options=labelled(LOGIC_GATES), value=gate, description=tr("gate"), style=style)
        self.table = w.HTML()
        self.plot = FigureImage(figsize=(3.6, 3.6))
        self._limits = (-0.5, 1.5)
        self._drawn_gate = None
        self._watch(self.w1, self.w2, self.b, self.gate)
        controls = w.VBox([self.gate, self.w1, self.w2, self.b, self.table])
        self.widget = w.HBox([controls, self.plot.widget])
        self._update()

    def result(self) -> dict:
        return reference.truth_table(self.w1.value, self.w2.value, self.b.value, self.gate.value)

    def _update(self, _change=None) -> None:
        table = self.result()
        self.table.value = _truth_table_html(table, self.gate.value)
        if self._drawn_gate != self.gate.value:
            self._draw_points()
        weights = np.array([self.w1.value, self.w2.value])
        self._region.set_data(reference.perceptron_predict(self._grid, weights, self.b.value).reshape(self._shape))
        self._line.set_data(*boundary_line(self.w1.value, self.w2.value, self.b.value, self._limits))
        self.plot.axes[0].set_title(tr("accuracy {accuracy:.0%}", accuracy=table['accuracy']))
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
        ax.set_title(tr("accuracy 100%"))  # sized for tight_layout; the text is updated on every render
        self.plot.figure.tight_layout()
        self.plot.animate(self._region, self._line, *points, ax.title)  # drawn in this order
        self._drawn_gate = self.gate.value


def boundary_line(w1: float, w2: float, b: float, limits=(-0.5, 1.5)):
    """Two end points of the line w1*x1 + w2*x2 + b = 0 inside ``limits`` (empty if w1 = w2 = 0)."""
    w1, w2, b = (validate.number("boundary_line", name, v) for name, v in (("w1", w1), ("w2", w2), ("b", b)))
    low, high = validate.array("boundary_line", "limits", limits, shape=(2,))
    if abs(w2) > 1e-12:
        xs = np.array([low, high])
        return xs, -(w1 * xs + b) / w2
    if abs(w1) > 1e-12:
        return np.array([-b / w1] * 2), np.array([low, high])
    return np.array([]), np.array([])


def same_rate_note(errors, previous_errors, previous_rate: float) -> str:
    """What to say next to the learning-rate slider when a new rate changed nothing.

    Starting from zero weights, every update adds ``rate * error * x``: all weights and the bias are the same
    multiple of the rate, so the boundary and the mistakes do not depend on it (only the size of w and b does).
    """
    if previous_errors is None or list(errors) != list(previous_errors):
        return ""
    return tr("same mistakes as with rate {rate:g}: starting from zero weights, the rate only scales w and b, so "
              "the boundary is the same", rate=previous_rate)


class PerceptronTrainer(CourseWidget):
    """Pick a gate, a learning rate and a number of epochs: the perceptron is trained at once (it takes ms)."""

    def __init__(self, gate: str = "AND", learning_rate: float = 0.1, epochs: int = 10):
        from matplotlib.colors import ListedColormap
        from matplotlib.ticker import MaxNLocator

        w = load_ipywidgets()
        who = "PerceptronTrainer"
        gate = validate.choice(who, "gate", gate, LOGIC_GATES)
        learning_rate = clamp(learning_rate, 1e-3, 1.0, who, "learning_rate")
        epochs = int(clamp(validate.whole(who, "epochs", epochs), 1, 50, who, "epochs"))
        style = {"description_width": "7em"}
        self.gate = w.Dropdown(options=labelled(LOGIC_GATES), value=gate, description=tr("gate"), style=style)
        self.learning_rate = w.FloatLogSlider(value=learning_rate, base=10, min=-3, max=0,
                                              step=0.1, description=tr("learning rate"), style=style,
                                              continuous_update=False)
        self.rate_note = w.HTML()
        self.epochs = w.IntSlider(value=epochs, min=1, max=50, description=tr("epochs"),
                                  style=style, continuous_update=False)
        self.summary = w.HTML()
        self.plot = FigureImage(figsize=(7, 3.2), ncols=2)
        left, right = self.plot.axes
        (self._mistakes,) = left.plot([], [], "o-", clip_on=False)
        # four examples: at most four mistakes an epoch, so the y axis never moves; whole numbers only
        left.set(xlabel=tr("epoch"), ylabel=tr("mistakes in the epoch"), ylim=(-0.3, 4.4),
                 title=tr("mistakes per epoch"))
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
                  title=tr("final boundary"))
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
        state = tr("converged (an epoch with no mistakes)") if h.converged else tr("did not converge")
        self.summary.value = tr("{gate}: {state} after {epochs} epoch(s); w = ({w1:+.2f}, {w2:+.2f}), b = {b:+.2f}, "
                                "accuracy {accuracy:.0%}", gate=self.gate.value, state=state,
                                epochs=len(h.errors_per_epoch), w1=h.weights[0], w2=h.weights[1], b=h.bias,
                                accuracy=h.accuracy_per_epoch[-1])
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
        right.set_title(tr("{value}: final boundary", value=self.gate.value))
        self.plot.render()
        self.plot.remember(span)

