"""Transfer learning (notebook 10): the shipped source model, its data split, and a localization task.

The source model is the course CNN trained on eight Fashion-MNIST classes by
``scripts/train_source_model.py``. The course ships its weights (``course_utils/assets``) and builds the
architecture in code: a whole ``.keras`` file stores every layer's configuration as the Keras that saved it
wrote it, and an older Keras can refuse it (Colab's Keras 3.13 could not read a file saved by 3.15), while a
weights file loads into the same architecture in any Keras 3. The target task is the two classes it never saw,
with few labels.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from . import validate
from .data import FASHION_CLASSES
from .models import PIXEL_SCALE, check_pixel_scale, scale_pixels

ASSETS = Path(__file__).resolve().parent / "assets"
SOURCE_WEIGHTS_PATH = ASSETS / "fashion8_source.weights.h5"
_SOURCE_RECORD_PATH = ASSETS / "fashion8_source.json"
#: The two classes the source model never sees; the target task tells them apart.
TARGET_CLASSES = ("T-shirt/top", "Shirt")
SOURCE_CLASSES = tuple(name for name in FASHION_CLASSES if name not in TARGET_CLASSES)
_SOURCE_EPOCHS = 3
_SOURCE_SEED = 0
#: The source model's architecture (course_cnn's arguments), fixed here so that a change of the course
#: recipe's defaults does not silently change the network the shipped weights belong to.
SOURCE_ARCHITECTURE = {"widths": (16, 32), "dense_units": 64, "bn_momentum": 0.9}


def _class_indices(who: str, names) -> list[int]:
    return [FASHION_CLASSES.index(validate.choice(who, "names", name, FASHION_CLASSES)) for name in names]


def relabel(x, y, names):
    """Keep the images of classes ``names`` and number their labels 0..len(names)-1 in that order."""
    indices = _class_indices("relabel", names)
    keep = np.isin(y, indices)
    mapping = np.full(len(FASHION_CLASSES), -1)
    mapping[indices] = np.arange(len(indices))
    return x[keep], mapping[y[keep]]


def source_architecture():
    """The source model's network, untrained: the course CNN with eight outputs."""
    from .models import course_cnn

    return course_cnn(n_classes=len(SOURCE_CLASSES), name="fashion8_source", **SOURCE_ARCHITECTURE)


def train_source_model(x, y, epochs: int = _SOURCE_EPOCHS, seed: int = _SOURCE_SEED, callbacks=()):
    """The course CNN with the course recipe, trained on the eight source classes of (x, y) (all ten labels)."""
    import keras

    from .training import BATCH_SIZE, compile_course_recipe

    x_source, y_source = relabel(x, y, SOURCE_CLASSES)
    keras.utils.set_random_seed(seed)
    model = source_architecture()
    compile_course_recipe(model, len(x_source), epochs)
    model.fit(x_source, y_source, epochs=epochs, batch_size=BATCH_SIZE, verbose=0, callbacks=list(callbacks))
    return model


def save_source_model(model, test_accuracy: float, path: Path = SOURCE_WEIGHTS_PATH) -> None:
    """Save the weights (no optimizer state, no configuration), plus what the model scored."""
    import keras
    import tensorflow as tf

    model.save_weights(path)
    record = {"classes": list(SOURCE_CLASSES), "epochs": _SOURCE_EPOCHS, "seed": _SOURCE_SEED,
              "architecture": {k: list(v) if isinstance(v, tuple) else v for k, v in SOURCE_ARCHITECTURE.items()},
              "test_accuracy": round(float(test_accuracy), 4), "keras": keras.__version__,
              "tensorflow": tf.__version__}
    _SOURCE_RECORD_PATH.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def load_source_model():
    """The shipped source model: its architecture built in code, the shipped weights loaded into it."""
    if not SOURCE_WEIGHTS_PATH.exists():
        raise FileNotFoundError(f"load_source_model: {SOURCE_WEIGHTS_PATH.name} is missing from "
                                "course_utils/assets; run python -m scripts.train_source_model to make it.")
    model = source_architecture()
    model.load_weights(SOURCE_WEIGHTS_PATH)
    return model


def source_record() -> dict:
    return json.loads(_SOURCE_RECORD_PATH.read_text(encoding="utf-8"))


def few_labels(x, y, per_class: int, seed: int = 0):
    """``per_class`` random examples of each label in y: the few labels of the target task."""
    per_class = validate.whole("few_labels", "per_class", per_class, low=1)
    rng = np.random.default_rng(seed)
    chosen = np.concatenate([rng.choice(np.flatnonzero(y == label), per_class, replace=False)
                             for label in np.unique(y)])
    rng.shuffle(chosen)
    return x[chosen], y[chosen]


# ------------------------------------------------------------------ classification + localization


def place_on_canvas(images, size: int = 56, seed: int = 0, threshold: float = 0.1):
    """Put each 28x28 image at a random position on a blank size x size canvas.

    Returns (canvases, boxes): canvases keep the images' dtype (uint8 pixels stay one byte each); boxes are the
    tight box around the item's pixels brighter than ``threshold`` (a fraction of white: 255 for uint8 images,
    1 for normalized ones), as (x_min, y_min, x_max, y_max) in [0, 1] (fractions of the canvas).
    """
    stored = getattr(images, "dtype", None) == np.uint8
    images = validate.array("place_on_canvas", "images", images, ndim=(3, 4), dtype=np.uint8 if stored else float)
    size = validate.whole("place_on_canvas", "size", size, low=images.shape[1])
    threshold = validate.number("place_on_canvas", "threshold", threshold, low=0, high=1, high_open=True)
    if images.ndim == 4:
        images = images[..., 0]
    rng = np.random.default_rng(seed)
    n, h, w = images.shape
    canvases = np.zeros((n, size, size, 1), dtype=np.uint8 if stored else np.float32)
    brightest = 255 if stored else 1.0
    boxes = np.zeros((n, 4), dtype="float32")
    for k in range(n):
        top, left = rng.integers(0, size - h + 1), rng.integers(0, size - w + 1)
        canvases[k, top:top + h, left:left + w, 0] = images[k]
        rows = np.flatnonzero(images[k].max(axis=1) > threshold * brightest)
        cols = np.flatnonzero(images[k].max(axis=0) > threshold * brightest)
        if len(rows) == 0:
            rows, cols = np.array([0, h - 1]), np.array([0, w - 1])
        boxes[k] = [(left + cols[0]) / size, (top + rows[0]) / size,
                    (left + cols[-1] + 1) / size, (top + rows[-1] + 1) / size]
    return canvases, boxes


def localization_model(size: int = 56, n_classes: int = 10, widths=(16, 32, 64), pixel_scale=PIXEL_SCALE):
    """A small CNN with two heads: class probabilities (softmax) and a box (4 sigmoids, fractions of the image).
    Like the course CNNs it takes pixel values 0..255 and scales them first (``pixel_scale=None``: as given)."""
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 1))
    x = scale_pixels(inputs, check_pixel_scale("localization_model", pixel_scale))
    for filters in widths:
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        x = layers.MaxPooling2D(2)(x)
        x = layers.ReLU()(layers.BatchNormalization(momentum=0.9)(x))
    x = layers.Flatten()(x)
    x = layers.ReLU()(layers.BatchNormalization(momentum=0.9)(layers.Dense(128, use_bias=False)(x)))
    label = layers.Dense(n_classes, activation="softmax", name="label")(x)
    box = layers.Dense(4, activation="sigmoid", name="box")(x)
    return keras.Model(inputs, {"label": label, "box": box}, name="classify_and_locate")


def pixel_iou(box_a, box_b, grid: int = 200) -> float:
    """IoU by counting pixels of the two boxes drawn on a grid x grid raster (slow, obviously right)."""
    ys, xs = np.mgrid[0:grid, 0:grid]
    centres_x, centres_y = (xs + 0.5) / grid, (ys + 0.5) / grid

    def inside(box):
        return (centres_x >= box[0]) & (centres_x < box[2]) & (centres_y >= box[1]) & (centres_y < box[3])

    a, b = inside(box_a), inside(box_b)
    union = np.sum(a | b)
    return float(np.sum(a & b) / union) if union else 0.0


# ------------------------------------------------------------------ ImageNet models (need a network for weights)

#: What notebook 10 shows of each keras.applications model: its module (for preprocess_input/decode_predictions).
APPLICATIONS = {"MobileNetV2": "mobilenet_v2", "EfficientNetB0": "efficientnet"}


def application(name: str, weights=None, include_top: bool = True, input_shape=None):
    """A keras.applications model with its preprocess_input and decode_predictions functions."""
    import keras

    name = validate.choice("application", "name", name, APPLICATIONS)
    module = getattr(keras.applications, APPLICATIONS[name])
    kwargs = {"weights": weights, "include_top": include_top}
    if input_shape is not None:
        kwargs["input_shape"] = tuple(input_shape)
    model = getattr(keras.applications, name)(**kwargs)
    return model, module.preprocess_input, module.decode_predictions


def photos_for(model, names=("china", "flower")) -> np.ndarray:
    """scikit-learn's two bundled photos, centre-cropped to a square and resized to the model's input size."""
    import tensorflow as tf

    from .data import sample_image

    size = model.input_shape[1]
    batch = []
    for name in names:
        photo = sample_image(name)
        side = min(photo.shape[:2])
        top, left = (photo.shape[0] - side) // 2, (photo.shape[1] - side) // 2
        square = photo[top:top + side, left:left + side]
        batch.append(tf.image.resize(square, (size, size)).numpy())
    return np.stack(batch).astype("float32")


def transfer_model(base, n_classes: int, dropout: float = 0.2):
    """A new head on a pretrained base: base -> global average pooling (for feature maps) -> dropout -> Dense."""
    import keras
    from keras import layers

    n_classes = validate.whole("transfer_model", "n_classes", n_classes, low=2)
    inputs = keras.Input(base.input_shape[1:])
    x = base(inputs)
    if len(x.shape) == 4:
        x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(dropout)(x)
    return keras.Model(inputs, layers.Dense(n_classes, activation="softmax")(x))


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):  # a model nested in the model
            yield from _all_layers(layer)


def unfreeze(base, batch_norm: bool = False) -> int:
    """Make ``base`` trainable for fine-tuning, keeping its batch-norm layers frozen unless ``batch_norm``.

    A frozen BatchNormalization layer runs in inference mode, with the statistics of the source data. In Keras 3
    that is the way to keep it so: calling the base with ``training=False`` inside a functional model does not
    survive ``fit()``, which calls the whole model with ``training=True`` (notebook 10 measures it). Returns the
    number of batch-norm layers kept frozen. Compile again afterwards.
    """
    import keras

    base.trainable = True
    kept = 0
    if not batch_norm:
        for layer in _all_layers(base):
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.trainable = False
                kept += 1
    return kept
