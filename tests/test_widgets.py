"""Drive the widgets headlessly, as a student would with the mouse."""

import statistics
import time

import numpy as np
import pytest

from course_utils import widgets


def test_playground_updates_table_and_plot_when_sliders_move():
    playground = widgets.PerceptronPlayground(gate="AND", w1=1, w2=1, b=-1.5)
    assert "accuracy 100%" in playground.table.value
    first_png = playground.plot.png
    assert first_png[:8] == b"\x89PNG\r\n\x1a\n"
    playground.b.value = -0.5  # now (0, 1) and (1, 0) also fire
    assert "accuracy 50%" in playground.table.value
    assert playground.result()["wrong"] == [(0, 1), (1, 0)]
    assert playground.plot.png != first_png
    playground.gate.value = "OR"
    assert "<b>OR</b>: accuracy 100%" in playground.table.value


def test_playground_clamps_to_the_slider_range():
    playground = widgets.PerceptronPlayground(w1=50, w2=-50, b=0)
    assert (playground.w1.value, playground.w2.value) == (widgets.WEIGHT_RANGE[1], widgets.WEIGHT_RANGE[0])
    playground.w1.value = 99  # the slider itself refuses to leave its range
    assert playground.w1.value == widgets.WEIGHT_RANGE[1]


def test_no_slider_setting_solves_xor():
    playground = widgets.PerceptronPlayground(gate="XOR")
    best = 0
    for w1 in (-2, -1, 1, 2):
        for w2 in (-2, -1, 1, 2):
            for b in (-1.5, -0.5, 0.5, 1.5):
                playground.w1.value, playground.w2.value, playground.b.value = w1, w2, b
                best = max(best, playground.result()["accuracy"])
    assert best == 0.75


def test_playground_update_is_fast():
    playground = widgets.PerceptronPlayground(gate="AND")
    times = []
    for value in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        start = time.perf_counter()
        playground.w1.value = value
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.1


def test_trainer_retrains_when_a_control_changes():
    trainer = widgets.PerceptronTrainer(gate="AND", learning_rate=0.1, epochs=50)
    assert trainer.history.converged and "converged" in trainer.summary.value
    first_picture = trainer.plot.png
    trainer.gate.value = "XOR"  # no stale picture: the new gate is trained and drawn at once
    assert not trainer.history.converged and "XOR: did not converge" in trainer.summary.value
    assert len(trainer.history.errors_per_epoch) == 50 and trainer.plot.png != first_picture


def test_trainer_says_when_the_rate_cannot_matter():
    trainer = widgets.PerceptronTrainer(gate="AND", learning_rate=0.1, epochs=20)
    weights = trainer.history.weights
    trainer.learning_rate.value = 1.0  # zero start: the same mistakes, weights ten times larger
    assert "same mistakes as with rate 0.1" in trainer.rate_note.value
    np.testing.assert_allclose(trainer.history.weights, 10 * weights)
    trainer.epochs.value = 2  # another control: the note is about the rate only
    assert trainer.rate_note.value == ""
    assert widgets.same_rate_note([2, 1, 0], [2, 1, 0], 0.1).startswith("same mistakes")
    assert widgets.same_rate_note([2, 1, 0], [3, 1, 0], 0.1) == ""  # different mistakes: nothing to explain


def test_pictures_keep_their_size_and_are_sharp():
    explorer = widgets.ActivationExplorer()
    css_width, css_height = explorer.plot.css_size
    layout = explorer.plot.widget.layout
    assert layout.width == f"{css_width}px" and layout.height == "auto" and layout.align_self == "flex-start"
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(explorer.plot.png))
    assert image.size == (css_width * widgets.PIXEL_RATIO, css_height * widgets.PIXEL_RATIO)


def test_html_drawing_path_carries_the_same_picture(monkeypatch):
    import base64
    import html as html_module

    monkeypatch.setenv("COURSE_WIDGET_IMAGES", "html")
    playground = widgets.PerceptronPlayground(gate="OR")
    html = playground.plot.widget.value
    assert html.startswith('<img src="data:image/png;base64,') and f'width="{playground.plot.css_size[0]}"' in html
    data = html.split("base64,")[1].split('"')[0]
    assert base64.b64decode(data) == playground.plot.png
    first = html
    assert f'alt="{html_module.escape(playground.plot.alt, quote=True)}"' in html
    playground.w1.value = -1.0
    assert playground.plot.widget.value != first
    monkeypatch.setenv("COURSE_WIDGET_IMAGES", "jpeg")
    with pytest.raises(ValueError, match="COURSE_WIDGET_IMAGES must be one of image, html"):
        widgets.PerceptronPlayground()


def test_image_drawing_path_describes_its_picture_beside_it(monkeypatch):
    import html as html_module

    monkeypatch.setenv("COURSE_WIDGET_IMAGES", "image")
    playground = widgets.PerceptronPlayground(gate="OR")
    plot = playground.plot.picture
    assert plot.image.value == playground.plot.png and playground.plot.alt
    first = plot.description.value
    assert 'aria-live="polite"' in first and html_module.escape(playground.plot.alt) in first
    playground.w1.value = -1.0  # a new picture gets a new description, in the same live region
    assert plot.description.value != first and html_module.escape(playground.plot.alt) in plot.description.value
    assert widgets.base.description_html("") == ""  # no picture yet: nothing to read


def test_colab_gets_the_html_drawing_path(monkeypatch):
    import sys
    import types

    from course_utils import config

    monkeypatch.delenv("COURSE_WIDGET_IMAGES", raising=False)
    assert config.widget_image_mode() == "image"
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert config.widget_image_mode() == "html"


def test_trainer_clamps_learning_rate_and_epochs():
    trainer = widgets.PerceptronTrainer(learning_rate=5.0, epochs=500)
    assert trainer.learning_rate.value == pytest.approx(1.0) and trainer.epochs.value == 50


def test_image_browser_shows_the_chosen_image(fashion):
    browser = widgets.ImageBrowser(fashion.x_train[:20], fashion.y_train[:20], fashion.class_names, index=99)
    assert browser.index.value == 19  # clamped to the last image
    browser.index.value = 1
    assert "#1: <b>T-shirt/top</b>" in browser.caption.value and "(28, 28)" in browser.caption.value


def test_boundary_line_handles_vertical_and_empty_lines():
    xs, ys = widgets.boundary_line(1, 1, -1, limits=(0, 2))
    assert xs.tolist() == [0, 2] and ys.tolist() == [1, -1]
    xs, ys = widgets.boundary_line(2, 0, -1)
    assert xs.tolist() == [0.5, 0.5]
    assert widgets.boundary_line(0, 0, 1)[0].size == 0


def _median_update_ms(setter, values):
    times = []
    for value in values:
        start = time.perf_counter()
        setter(value)
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def test_activation_explorer_follows_its_controls():
    explorer = widgets.ActivationExplorer("sigmoid", -6, 6)
    assert "largest slope 0.250" in explorer.caption.value
    explorer.function.value = "relu"
    assert "largest slope 1.000" in explorer.caption.value
    explorer.z_range.value = (-3.0, -3.0)  # a zero-width range is widened, not an error
    assert explorer.plot.png[:4] == b"\x89PNG"
    assert _median_update_ms(lambda v: setattr(explorer.function, "value", v),
                             ["tanh", "relu", "sigmoid", "leaky_relu", "step"]) < 100


def test_activation_explorer_draws_every_function_on_one_scale():
    low, high, f_low, f_high, df_low, df_high = widgets.activation_axis_limits(-6, 6)
    assert (low, high) == (-6, 6)
    assert f_low < -1 and f_high > 6  # tanh reaches -1, ReLU reaches 6
    assert df_low < 0 and 1 < df_high < 1.2  # every slope lies in [0, 1]
    explorer = widgets.ActivationExplorer("sigmoid", -6, 6)
    left, right = explorer.plot.axes
    before = (left.get_ylim(), right.get_ylim())
    explorer.function.value = "relu"  # a new function keeps the axes, so slopes compare directly
    assert (left.get_ylim(), right.get_ylim()) == before
    explorer.z_range.value = (-2.0, 2.0)
    assert left.get_xlim() == (-2.0, 2.0) and left.get_ylim()[1] < 3


def test_loss_explorer_reports_losses_and_slopes():
    explorer = widgets.LossExplorer(y=1, p=0.5)
    assert "<td>binary_crossentropy</td><td>0.693</td><td>-2.000</td>" in explorer.table.value
    explorer.p.value = 0.99
    assert "<td>binary_crossentropy</td><td>0.010</td>" in explorer.table.value
    assert _median_update_ms(lambda v: setattr(explorer.p, "value", v), [0.1, 0.3, 0.5, 0.7, 0.9]) < 100
    with pytest.raises(ValueError, match="y must be one of 0, 1"):
        widgets.binary_loss_report(2, 0.5)


def test_loss_report_slopes_with_respect_to_the_logit_match_autodiff(keras):
    import tensorflow as tf

    for y, p in ((1, 0.01), (1, 0.7), (0, 0.95)):
        report = widgets.binary_loss_report(y, p)
        z = tf.Variable(float(np.log(p / (1 - p))), dtype=tf.float64)
        with tf.GradientTape(persistent=True) as tape:
            q = tf.sigmoid(z)
            losses = {"mse": (q - y) ** 2, "binary_crossentropy": -(y * tf.math.log(q) + (1 - y) * tf.math.log(1 - q))}
        for name, loss in losses.items():
            assert np.isclose(report[name][2], float(tape.gradient(loss, z)), rtol=1e-6), (name, y, p)
        assert np.isclose(report["binary_crossentropy"][2], p - y)  # cross-entropy after a sigmoid: p - y
    confidently_wrong = widgets.binary_loss_report(1, 0.01)
    assert abs(confidently_wrong["mse"][2]) < 0.03 < 0.9 < abs(confidently_wrong["binary_crossentropy"][2])


def test_optimizer_playground_paths():
    playground = widgets.OptimizerPlayground(surface="bowl", optimizer="sgd", learning_rate=0.1, steps=100)
    assert playground.losses[-1] < 1e-6
    playground.surface.value = "elongated bowl"  # curvature 20 across: plain SGD diverges above lr = 0.1
    playground.learning_rate.value = 0.2
    assert "diverged" in playground.summary.value
    playground.learning_rate.value = 0.11          # the rate the notebook asks for, exactly
    assert playground.learning_rate.value == 0.11 and "diverg" in playground.summary.value
    playground.learning_rate.value = 0.09
    assert "diverg" not in playground.summary.value
    playground.surface.value = "rosenbrock"
    playground.optimizer.value = "adam"           # picking an optimizer starts from its suggested rate
    assert playground.learning_rate.value == widgets.SUGGESTED_RATES["adam"]
    playground.steps.value = 500
    assert "distance to the best point" in playground.summary.value
    loss_line = playground.plot.axes[1].lines[0]
    assert len(loss_line.get_xdata()) == 501      # the loss panel shows every step
    assert _median_update_ms(lambda v: setattr(playground.learning_rate, "value", v), [0.01, 0.02, 0.05]) < 100


def test_momentum_slider_shows_only_for_optimizers_that_use_it():
    playground = widgets.OptimizerPlayground(optimizer="sgd")
    assert playground.momentum.layout.display == "none"
    playground.optimizer.value = "nesterov"
    assert playground.momentum.layout.display is None


def test_learning_rates_snap_to_offered_values_and_verdicts_name_divergence():
    assert widgets.nearest_rate(0.09) == 0.09 and widgets.nearest_rate(0.093) == 0.09
    assert widgets.nearest_rate(50) == 1.0 and widgets.nearest_rate(1e-9) == 0.0001
    assert "diverging" in widgets.descent_verdict([1.0, 5.0, 9.0], [[0, 0], [1, 1], [2, 2]], [0, 0])
    assert "diverged" in widgets.descent_verdict([1.0, float("nan")], [[0, 0], [np.nan, np.nan]], [0, 0])
    assert "distance" in widgets.descent_verdict([9.0, 1.0], [[3, 0], [1, 0]], [0, 0])


def test_kernel_explorer_shapes_follow_stride_padding_and_pooling():
    explorer = widgets.KernelExplorer(photo="china", preset="identity", padding="same")
    assert explorer.feature.shape == (427, 640)
    assert np.allclose(explorer.feature, explorer.images["china"])  # the identity kernel changes nothing
    explorer.stride.value = 2
    assert explorer.feature.shape == (214, 320) and "<b>214x320</b>" in explorer.caption.value
    explorer.padding.value = "valid"
    explorer.pooling.value = "max 2x2"
    assert explorer.feature.shape == (106, 159)
    explorer.preset.value = "blur (box)"
    assert np.allclose(explorer.kernel, 1 / 9, atol=1e-4)
    explorer.cells[4].value = 50  # typed out of range: the box clamps it
    assert explorer.cells[4].value == 10


def test_kernel_explorer_fixed_scale_sizes_and_edited_kernels():
    explorer = widgets.KernelExplorer(photo="china", preset="identity", padding="same")
    assert explorer.scale_range == widgets.FIXED_RANGE   # sums 0, 1, 2 look different on one fixed scale
    before = explorer.feature.mean()
    explorer.cells[4].value = 2.0                              # weights now sum to 2: twice as bright
    assert np.isclose(explorer.feature.mean(), 2 * before) and explorer.scale_range == (0.0, 2.0)
    assert "no longer match 'identity'" in explorer.caption.value and "sum to 2" in explorer.caption.value
    import io

    from PIL import Image

    shown = np.asarray(Image.open(io.BytesIO(explorer.plot.png)))  # the feature map pixel for pixel, 0..2 -> 0..255
    assert shown.shape == explorer.feature.shape
    assert np.abs(shown - np.clip(explorer.feature / 2, 0, 1) * 255).max() <= 0.5 + 1e-9
    explorer.preset.value = "sharpen"
    assert "no longer match" not in explorer.caption.value
    explorer.size.value = 5                                    # the 3x3 preset, centred in a 5x5 window
    assert explorer.kernel.shape == (5, 5) and np.allclose(explorer.kernel[1:4, 1:4], [[0, -1, 0], [-1, 5, -1],
                                                                                        [0, -1, 0]])
    assert np.allclose(explorer.kernel[0], 0) and len(explorer.cells) == 25
    explorer.scale.value = "auto"
    assert "stretched" in explorer.caption.value and explorer.scale_range != (0.0, 2.0)


def test_kernel_explorer_update_is_fast_on_a_full_photo():
    explorer = widgets.KernelExplorer(photo="china", preset="identity", padding="same")
    presets = ["vertical edges (Sobel x)", "sharpen", "blur (box)", "horizontal edges (Sobel y)", "identity"]
    assert _median_update_ms(lambda v: setattr(explorer.preset, "value", v), presets) < 150


def test_axis_spans_hold_the_steps():
    assert [widgets.axis_span(n) for n in (1, 5, 6, 50, 51, 500)] == [5, 5, 10, 50, 100, 500]
    with pytest.raises(ValueError, match="axis_span"):
        widgets.axis_span(0)


def test_a_kept_background_draws_the_same_picture_as_a_fresh_one():
    playground = widgets.OptimizerPlayground(surface="bowl", steps=50)
    first = playground.plot.png
    playground.surface.value = "rosenbrock"
    playground.steps.value = 120
    playground.surface.value = "bowl"
    playground.steps.value = 50  # back: the kept picture of (bowl, 50) is reused
    assert playground.plot.png == first
    fresh = widgets.OptimizerPlayground(surface="bowl", steps=50)  # the same layout, never a kept picture
    fresh.steps.value = 120
    fresh.surface.value = "rosenbrock"
    playground.surface.value, playground.steps.value = "rosenbrock", 120
    assert playground.plot.png == fresh.plot.png


def test_a_displayed_widget_carries_a_still_picture(monkeypatch):
    import base64

    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.append((objs, kw)))
    playground = widgets.PerceptronPlayground(gate="OR")
    playground._ipython_display_()
    import ipywidgets

    if int(ipywidgets.__version__.split(".")[0]) < 8:
        # ipywidgets 7 (Colab's) has no mime bundle to add a picture to: the widget displays itself, live,
        # as it would without the course (a still picture only matters in a stored notebook, made with 8)
        assert shown[-1] == ((playground.widget,), {})
        return
    (bundle,), options = shown[-1]
    assert options == {"raw": True, "metadata": {"image/png": {"alt": playground.plot.alt}}}
    assert "application/vnd.jupyter.widget-view+json" in bundle
    still = base64.b64decode(bundle["image/png"])
    import io

    from PIL import Image

    width, height = Image.open(io.BytesIO(still)).size  # the picture as the page shows it, in CSS pixels
    assert (width, height) == playground.plot.css_size and len(still) < len(playground.plot.png)


def test_a_widget_describes_its_picture_as_it_changes():
    playground = widgets.PerceptronPlayground(gate="OR")
    first = playground.plot.alt
    assert first.startswith("Figure with 1 panel.") and "heat-map image" in first
    playground.b.value = 1.0
    assert playground.plot.alt != first  # the boundary moved, and the description says where it is now
    explorer = widgets.KernelExplorer()
    assert "gray picture of values" in explorer.plot.alt


def test_a_displayed_widget_shows_where_the_keyboard_is(monkeypatch):
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: None)
    playground = widgets.PerceptronPlayground(gate="OR")
    playground._ipython_display_()
    playground._ipython_display_()  # shown twice: one style, not two
    styles = [child for child in playground.widget.children
              if isinstance(getattr(child, "value", None), str) and "<style>" in child.value]
    assert "course-widget" in playground.widget._dom_classes and len(styles) == 1
    assert ":focus-visible" in styles[0].value and styles[0].layout.display == "none"


def test_the_playground_describes_the_surface_shown_even_from_a_kept_picture():
    playground = widgets.OptimizerPlayground(surface="elongated bowl")
    playground.surface.value = "bowl"
    playground.surface.value = "elongated bowl"  # its picture is kept: nothing is drawn again
    assert "Panel 1, 'elongated bowl'" in playground.plot.alt and "'bowl'" not in playground.plot.alt
    assert playground.plot.alt.count("contour lines") == 1  # the other surface's contours are hidden


def test_the_playground_prepares_the_pictures_a_student_may_want_next():
    import asyncio

    async def wait_for_the_background(playground):
        for _ in range(200):
            if not any(not playground.plot.kept(key) for key in playground._likely_next()):
                return
            await asyncio.sleep(0.05)

    async def scenario():
        playground = widgets.OptimizerPlayground(surface="bowl", steps=50)
        shown = playground.plot.png
        await wait_for_the_background(playground)
        # the picture shown did not change while the others were drawn
        assert playground.plot.png == shown and all(playground.plot.kept(k) for k in playground._likely_next())
        playground.surface.value = "rosenbrock"  # drawn in the background: the change only restores it
        assert playground.plot.kept(("rosenbrock", 50)) and "'rosenbrock'" in playground.plot.alt

    asyncio.run(scenario())
    # without an event loop nothing is scheduled, and prepare_next can still be called by hand
    quiet = widgets.OptimizerPlayground(surface="bowl", steps=50)
    assert quiet._pending is None and quiet.prepare_next() and quiet.plot.kept(quiet._likely_next()[0])


@pytest.fixture
def korean():
    from course_utils import language

    previous = language.language()
    language.set_language("ko")
    yield
    language.set_language(previous)


def test_the_korean_edition_labels_and_reads_out_every_control_in_korean(korean):
    playground = widgets.PerceptronPlayground(gate="AND", w1=1, w2=1, b=-1.5)
    assert playground.gate.description == "게이트" and "정확도 100%" in playground.table.value
    assert float(playground.gate.style.description_width.removesuffix("em")) >= 3.5  # 게이트 is not cut short
    explorer = widgets.KernelExplorer(photo="china", preset="identity")
    shown = dict(explorer.preset.options)  # label -> value: the code keeps its English names
    assert shown["항등"] == "identity" and explorer.preset.value == "identity"
    assert "항등" in explorer.caption.value
    assert "그림" in explorer.plot.alt or "흑백" in explorer.plot.alt  # the picture's description is Korean too
    optimizer = widgets.OptimizerPlayground(surface="elongated bowl", optimizer="sgd", learning_rate=0.3, steps=30)
    assert "발산" in optimizer.summary.value or "손실" in optimizer.summary.value
