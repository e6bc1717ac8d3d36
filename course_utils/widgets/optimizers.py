"""The optimizer playground on 2-D loss surfaces (notebook 04)."""

from __future__ import annotations

import numpy as np

from .. import reference, validate
from ..language import tr
from .base import CourseWidget, FigureImage, axis_span, clamp, labelled, load_ipywidgets

_LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.07, 0.08, 0.09, 0.1,
                  0.11, 0.12, 0.15, 0.2, 0.3, 0.5, 1.0)
#: A rate that suits each optimizer on the playground's surfaces (adaptive methods take steps of about the rate's
#: size whatever the gradient, so they need larger rates than SGD); picking an optimizer starts from it.
SUGGESTED_RATES = {"sgd": 0.05, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.5, "rmsprop": 0.2, "adam": 0.3,
                   "nadam": 0.3}
_MOMENTUM_OPTIMIZERS = ("momentum", "nesterov")
#: The steps' axis spans the slider (1 to 500 steps) can need. Background drawing starts once the student has
#: left the controls alone this long (a quick run of changes is not slowed by it), then pauses between pictures.
_SPANS = tuple(sorted({axis_span(n) for n in range(1, 501)}))
_IDLE_BEFORE_PREPARING_S = 0.3
_PREPARE_PAUSE_S = 0.02


def nearest_rate(value: float) -> float:
    """The offered learning rate nearest to ``value`` (on a log scale), after clamping it into the offered range."""
    value = clamp(value, _LEARNING_RATES[0], _LEARNING_RATES[-1], "OptimizerPlayground", "learning_rate")
    return min(_LEARNING_RATES, key=lambda rate: abs(np.log(rate) - np.log(value)))


def descent_verdict(losses, path, minimum) -> str:
    """What happened to a descent, in words: diverged, diverging (the loss rose) or where it ended."""
    losses = np.asarray(losses, dtype=float)
    if not np.isfinite(losses[-1]):
        return tr("<b>diverged</b> after {steps} steps: the weights flew off the surface", steps=len(losses) - 2)
    if losses[-1] > losses[0]:
        return tr("<b>diverging</b>: the loss rose from {first:.3g} to {last:.3g}; lower the learning rate",
                  first=losses[0], last=losses[-1])
    distance = float(np.linalg.norm(np.asarray(path)[-1] - np.asarray(minimum)))
    return tr("loss {loss:.4g}, distance to the best point {distance:.3g}", loss=losses[-1], distance=distance)


class OptimizerPlayground(CourseWidget):
    """A learning-rate lab: pick an optimizer, rate, momentum and steps; see its path and its loss per step."""

    def __init__(self, surface: str = "elongated bowl", optimizer: str = "sgd", learning_rate: float | None = None,
                 momentum: float = 0.9, steps: int = 50):
        w = load_ipywidgets()
        who = "OptimizerPlayground"
        surface = validate.choice(who, "surface", surface, reference.SURFACES)
        optimizer = validate.choice(who, "optimizer", optimizer, reference.OPTIMIZERS)
        learning_rate = nearest_rate(SUGGESTED_RATES[optimizer] if learning_rate is None else learning_rate)
        momentum = clamp(momentum, 0.0, 0.99, who, "momentum")
        steps = int(clamp(validate.whole(who, "steps", steps), 1, 500, who, "steps"))
        style = {"description_width": "7em"}
        self.surface = w.Dropdown(options=labelled(reference.SURFACES), value=surface, description=tr("surface"),
                                  style=style)
        self.optimizer = w.Dropdown(options=labelled(reference.OPTIMIZERS), value=optimizer,
                                    description=tr("optimizer"), style=style)
        self.learning_rate = w.SelectionSlider(options=[(f"{rate:g}", rate) for rate in _LEARNING_RATES],
                                               value=learning_rate, description=tr("learning rate"), style=style,
                                               continuous_update=False)
        self.momentum = w.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01,
                                      description=tr("momentum"), style=style, continuous_update=False)
        self.steps = w.IntSlider(value=steps, min=1, max=500, description=tr("steps"),
                                 style=style, continuous_update=False)
        self.summary = w.HTML()
        self.plot = FigureImage(figsize=(8.4, 3.8), ncols=2)
        path_ax, loss_ax = self.plot.axes
        (self._path,) = path_ax.plot([], [], "o-", color="#cc0000", ms=2.5, lw=1)
        (self._loss,) = loss_ax.plot([], [], "-", color="#cc0000", lw=1.5)
        loss_ax.set(yscale="log", xlabel=tr("step"), ylabel=tr("loss (log scale)"), title=tr("loss per step"))
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
        self._statics = {}   # surface -> its contours and best point, made once
        self._pending = None   # the next background step of prepare_next, if scheduled
        self.path = self.losses = None
        self.optimizer.observe(self._suggest_rate, names="value")
        self._watch(self.surface, self.learning_rate, self.momentum, self.steps)
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

    def _set_static(self, key) -> bool:
        """Make the figure's static parts those of ``key`` (surface, span): the limits, the titles and that
        surface's contours and best point (each surface's are made once, then shown or hidden). True when its
        picture is kept already; else the caller draws it (``FigureImage.draw_static``)."""
        surface, span = key
        s = reference.surface(surface)
        ax, loss_ax = self.plot.axes
        (x0, x1), (y0, y1) = s["limits"]
        ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="w₁", ylabel="w₂", title=tr(surface))
        loss_ax.set(xlim=(0, span), ylim=(1e-6, float(s["f"](s["start"])) * 100))  # fixed: a redraw moves the line
        if surface not in self._statics:
            xx, yy = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
            zz = s["f"](np.array([xx, yy]))
            contours = ax.contour(xx, yy, np.log1p(zz - zz.min()), levels=25, cmap="viridis", linewidths=0.7)
            (best,) = ax.plot(*s["minimum"], "*", color="gold", ms=14, markeredgecolor="black")
            self._statics[surface] = (contours, best)
        for name, artists in self._statics.items():  # hidden artists are neither drawn nor described
            for artist in artists:
                artist.set_visible(name == surface)
        return self.plot.recall(key)

    def _draw_static(self) -> None:
        """Set the figure to the surface and the steps' span shown; draw that picture unless it is kept."""
        self._drawn = key = self._static_key()
        if self._set_static(key):
            return
        if not self._laid_out:
            self.plot.figure.tight_layout()  # once: later surfaces keep the layout (laying out costs a full draw)
            self._laid_out = True
        self.plot.invalidate()

    def _likely_next(self) -> list:
        """The static pictures a student may ask for next, one control away: every other surface at this span,
        then this surface at every other span, the nearest first."""
        surface, span = self._static_key()
        others = sorted((s for s in _SPANS if s != span), key=lambda s: abs(np.log(s) - np.log(span)))
        return [(other, span) for other in reference.SURFACES if other != surface] + [(surface, s) for s in others]

    def prepare_next(self) -> bool:
        """Draw one picture from ``_likely_next`` that is not kept yet, and keep it; the figure is then put back
        as it was. False when all are kept. Run while the kernel is idle (``_schedule``), so that a change to
        the surface or the steps finds its picture drawn (drawing one takes tens of milliseconds)."""
        missing = next((key for key in self._likely_next() if not self.plot.kept(key)), None)
        if missing is None:
            return False
        self._set_static(missing)
        self.plot.keep_static(missing)
        self._set_static(self._drawn)  # back to what is shown (kept: nothing is drawn)
        return True

    def _schedule(self) -> None:
        """Prepare the likely next pictures one at a time while the kernel waits for the student: each step is
        a callback of the kernel's event loop, so a student's change is handled between two of them, and each
        change starts the wait again."""
        import asyncio

        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script, a test): nothing is prepared in the background
            return

        def step():
            self._pending = None
            if self.prepare_next():
                self._pending = loop.call_later(_PREPARE_PAUSE_S, step)

        self._pending = loop.call_later(_IDLE_BEFORE_PREPARING_S, step)

    def _update(self, _change=None) -> None:
        self.momentum.layout.display = None if self.optimizer.value in _MOMENTUM_OPTIMIZERS else "none"
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
        self.summary.value = tr("{optimizer}, learning rate {rate:g}: {verdict}", optimizer=self.optimizer.value,
                                rate=self.learning_rate.value, verdict=verdict)
        self.plot.render()
        self.plot.remember(self._drawn)
        self._schedule()

