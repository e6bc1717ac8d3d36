"""The tuning lab: a real training run per click (notebook 09)."""

from __future__ import annotations

import numpy as np

from .. import validate
from ..language import tr
from .base import CourseWidget, FigureImage, clamp, labelled, load_ipywidgets

_TUNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
_TUNING_L2 = (0.0, 1e-4, 1e-3, 1e-2)
_TUNING_COLORS = ("#1f77b4", "#d62728", "#2ca02c")


def _run_label(run: dict) -> str:
    """A short legend entry for one tuning run: its settings."""
    parts = [f"lr {run['learning_rate']:g}", tr("dropout {rate:.1f}", rate=run["dropout"]), f"L2 {run['l2']:g}"]
    if run["augmentation"] != "none":
        parts.append(tr(run["augmentation"]))
    return ", ".join(parts)


class TuningLab(CourseWidget):
    """Pick a learning rate, dropout, L2 and augmentation, press Run: a short real training, curves drawn.

    The last three runs stay on the plot, so a change can be compared with what came before. Moving a
    control only marks the settings as changed (instant); training starts with the Run button.
    """

    def __init__(self, x, y, x_val, y_val, epochs: int = 6, learning_rate: float = 1e-3, dropout: float = 0.0,
                 l2: float = 0.0, augmentation: str = "none", run_now: bool = True):
        from ..models import AUGMENTATIONS

        w = load_ipywidgets()
        who = "TuningLab"
        self.data = tuple(validate.array(who, name, value, dtype=None) for name, value in
                          (("x", x), ("y", y), ("x_val", x_val), ("y_val", y_val)))
        self.epochs = int(clamp(validate.whole(who, "epochs", epochs), 1, 30, who, "epochs"))
        rate = clamp(learning_rate, _TUNING_RATES[0], _TUNING_RATES[-1], who, "learning_rate")
        rate = min(_TUNING_RATES, key=lambda r: abs(np.log(r) - np.log(rate)))
        l2 = min(_TUNING_L2, key=lambda v: abs(v - clamp(l2, 0.0, _TUNING_L2[-1], who, "l2")))
        augmentation = validate.choice(who, "augmentation", augmentation, AUGMENTATIONS)
        style = {"description_width": "8.5em"}  # wide enough for "augmentation"
        self.learning_rate = w.SelectionSlider(options=[(f"{r:g}", r) for r in _TUNING_RATES], value=rate,
                                               description=tr("learning rate"), style=style, continuous_update=False)
        self.dropout = w.FloatSlider(value=round(clamp(dropout, 0.0, 0.6, who, "dropout"), 1), min=0.0, max=0.6,
                                     step=0.1, description=tr("dropout"), style=style, continuous_update=False)
        self.l2 = w.SelectionSlider(options=[(f"{v:g}", v) for v in _TUNING_L2], value=l2, description="L2",
                                    style=style, continuous_update=False)
        self.augmentation = w.Dropdown(options=labelled(AUGMENTATIONS), value=augmentation,
                                       description=tr("augmentation"), style=style)
        self.button = w.Button(description=tr("Run"), button_style="primary", icon="play")
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
        about = tr(" (about {seconds:.0f} s)", seconds=last["seconds"]) if last is not None else ""
        self.status.value = tr("<b>settings changed</b>: press Run to train with them{about}", about=about)

    @staticmethod
    def _summary(run: dict) -> str:
        gap = run["val_loss"][-1] - run["loss"][-1]
        return tr("{settings}: validation accuracy {accuracy:.1%} (best {best:.1%}), validation - training loss "
                  "{gap:+.3f}, {seconds:.0f} s", settings=_run_label(run), accuracy=run["val_accuracy"][-1],
                  best=max(run["val_accuracy"]), gap=gap, seconds=run["seconds"])

    def run(self, _button=None) -> dict:
        """Train once with the current settings (this is what the Run button does); returns the run."""
        from ..tuning import tuning_run

        self.button.disabled, self.button.description = True, tr("Training...")
        self.status.value = tr("training...")
        try:
            result = tuning_run(*self.data, epochs=self.epochs, **self.settings())
            self.runs = (self.runs + [result])[-len(_TUNING_COLORS):]
            self._draw()
            self.status.value = self._summary(result)
        finally:  # the button comes back with the new picture, not before it
            self.button.disabled, self.button.description = False, tr("Run")
        return result

    def _draw(self) -> None:
        from matplotlib.ticker import MaxNLocator

        loss_ax, acc_ax = self.plot.axes
        loss_ax.clear()
        acc_ax.clear()
        for age, (run, color) in enumerate(zip(reversed(self.runs), _TUNING_COLORS)):
            epochs = np.arange(1, len(run["loss"]) + 1)
            fade = 1.0 if age == 0 else 0.45
            loss_ax.plot(epochs, run["loss"], "--", color=color, alpha=fade)
            loss_ax.plot(epochs, run["val_loss"], "o-", color=color, alpha=fade, ms=3, label=_run_label(run))
            acc_ax.plot(epochs, run["val_accuracy"], "o-", color=color, alpha=fade, ms=3)
        loss_ax.set(xlabel=tr("epoch"), ylabel=tr("loss"), title=tr("loss: validation (solid), training (dashed)"))
        acc_ax.set(xlabel=tr("epoch"), ylabel=tr("validation accuracy"), title=tr("validation accuracy"))
        loss_ax.legend(fontsize=9, loc="upper right", title=tr("newest first"), title_fontsize=9)
        for ax in (loss_ax, acc_ax):
            ax.grid(alpha=0.3)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole numbers
        self.plot.figure.tight_layout()
        self.plot.invalidate()
        self.plot.render()

