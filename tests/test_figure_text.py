"""Alt text written from a figure's data, and the check for labels drawn over each other."""

import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import config, plots  # noqa: E402
from course_utils.figure_text import describe, number, text_overlaps  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_numbers_read_as_a_person_would_say_them():
    assert [number(v) for v in (0, 2.3, 0.41499, 12345.6, 0.000012, 1.0, float("nan"))] == [
        "0", "2.3", "0.415", "12346", "1.20e-05", "1", "nan"]


def test_learning_curves_are_described_from_their_values():
    fig, ax = plt.subplots()
    epochs = np.arange(1, 11)
    ax.plot(epochs, np.linspace(2.3, 0.4, 10), label="training loss")
    ax.plot(epochs, [1.2, 0.9, 0.7, 0.6, 0.55, 0.56, 0.57, 0.58, 0.6, 0.62], label="validation loss")
    ax.set(xlabel="epoch", ylabel="loss", yscale="log", title="Learning curves")
    text = describe(fig)
    assert text.startswith("Figure with 1 panel. 'Learning curves'")
    assert "x axis 'epoch'" in text and "y axis 'loss' (log scale)" in text
    assert "training loss: 10 points, falls from 2.3 at x = 1 to 0.4 at x = 10" in text
    assert "validation loss: 10 points, falls from 1.2 at x = 1 to 0.62 at x = 10, lowest 0.55 at x = 5" in text


def test_bars_points_contours_and_image_grids():
    fig, (left, right) = plt.subplots(1, 2)
    left.bar(["relu", "tanh"], [0.91, 0.88])
    right.scatter([0, 1, 2], [3, 4, 5], label="class 0")
    grid = np.linspace(-1, 1, 20)
    right.contourf(grid, grid, np.add.outer(grid, grid), levels=[-2, 0, 2])
    fig.suptitle("Two panels")
    text = describe(fig)
    assert text.startswith("Figure 'Two panels' with 2 panels.")
    assert "bars: relu 0.91, tanh 0.88" in text
    assert "class 0: 3 points, x 0 to 2, y 3 to 5" in text and "filled contours at 3 levels from -2 to 2" in text
    images = plots.image_grid(np.zeros((10, 28, 28)), labels=np.arange(10), class_names=list("ABCDEFGHIJ"),
                              n=10, ncols=5)
    assert describe(images) == ("Figure with 10 panels. 10 images (28×28 gray image each); titles: 'A', 'B', 'C', "
                                "'D', 'E', 'F', 'G', 'H', 'I', 'J'")
    fig, ax = plt.subplots()
    ax.errorbar([0.2, 0.6], [0.59, 0.43], yerr=[0.01, 0.03], fmt="o", label="rounds")
    assert describe(fig) == "Figure with 1 panel. rounds: (0.2, 0.59 ± 0.01), (0.6, 0.43 ± 0.03)"
    counts = np.array([[5, 1], [2, 7]])  # a confusion matrix: named rows and columns, numbers in its cells
    fig, ax = plt.subplots()
    ax.imshow(counts, cmap="Blues")
    ax.set(xticks=[0, 1], xticklabels=["cat", "dog"], yticks=[0, 1], yticklabels=["cat", "dog"])
    for (row, column), count in np.ndenumerate(counts):
        ax.text(column, row, str(count))
    assert describe(fig) == ("Figure with 1 panel. 2×2 heat-map image of values 1 to 7; columns cat, dog; rows cat, "
                             "dog; its diagonal 5, 7; text '5'; text '1'; text '2'; text '7'")
    with pytest.raises(TypeError, match="describe: fig must be a matplotlib Figure, not ndarray"):
        describe(np.zeros(3))


def test_overlapping_labels_are_found_and_clean_ones_are_not():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    ax.set(title="A title", xlabel="x", ylabel="y")
    fig.tight_layout()
    assert text_overlaps(fig) == []
    ax.text(0.5, 1.02, "a note on the title", transform=ax.transAxes, ha="center")  # moved onto the title
    assert ("A title", "a note on the title") in text_overlaps(fig) or (
        "a note on the title", "A title") in text_overlaps(fig)
    crowded, ax = plt.subplots(figsize=(2, 2))
    ax.set_xticks(np.arange(0, 1, 0.05), [f"{v:.2f}" for v in np.arange(0, 1, 0.05)])
    assert ("0.00", "0.05") in text_overlaps(crowded)


def test_a_shown_figure_carries_its_description():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [3, 2, 1], label='a "quoted" <line>')
    png = b"\x89PNG fake bytes"
    data, metadata = config.figure_bundle(fig, png)
    alt = describe(fig)
    assert metadata == {"image/png": {"alt": alt}} and data["text/plain"] == alt and data["image/png"] == png
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in data["text/html"]
    assert 'alt="Figure with 1 panel. a &quot;quoted&quot; &lt;line&gt;: 3 points' in data["text/html"]
