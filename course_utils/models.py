"""Keras model builders: the MLP, the small CNN, augmentation, and the course's CNNs (the seed notes', the
course recipe's and its accurate variant); with the counts (layers, multiply-adds) the notebooks compare."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from .language import N_

_API_CHOICES = ("sequential", "functional")

#: What the course's CNNs multiply their input by: pixel values 0..255, as the images are stored (uint8, one
#: byte a pixel), become 0..1 inside the model. The images then take a quarter of the memory of float32 copies.
PIXEL_SCALE = 1 / 255


def check_pixel_scale(who: str, pixel_scale) -> float | None:
    """``pixel_scale`` checked: None (the input is used as given) or a number > 0."""
    from . import validate

    return None if pixel_scale is None else validate.number(who, "pixel_scale", pixel_scale, low=0, low_open=True)


def scale_pixels(x, pixel_scale: float | None, name: str | None = None):
    """``x`` passed through ``Rescaling(pixel_scale)``, or ``x`` itself when ``pixel_scale`` is None."""
    from keras import layers

    return x if pixel_scale is None else layers.Rescaling(pixel_scale, name=name)(x)


def build_mlp(input_shape: Sequence[int], hidden_units: Sequence[int], n_classes: int,
              api: str = "sequential", activation: str = "relu", name: str | None = None,
              pixel_scale: float | None = None):
    """Flatten -> Dense(hidden, activation)... -> Dense(n_classes, softmax).

    ``api`` picks how it is written: ``"sequential"`` (a list of layers) or
    ``"functional"`` (layers called on tensors). Both give the same network.
    ``pixel_scale`` (e.g. ``PIXEL_SCALE``) puts ``Rescaling(pixel_scale)`` first, for raw uint8 images;
    the default None takes the input as given (normalized already, as in notebooks 04 and 06).
    """
    import keras
    from keras import layers

    from . import validate

    api = validate.choice("build_mlp", "api", api, _API_CHOICES)
    if isinstance(hidden_units, str) or not hasattr(hidden_units, "__iter__") or not list(hidden_units):
        raise ValueError(f"build_mlp: hidden_units must be a list of whole numbers >= 1, got {hidden_units!r}.")
    hidden_units = [validate.whole("build_mlp", "hidden_units", u, low=1) for u in hidden_units]
    n_classes = validate.whole("build_mlp", "n_classes", n_classes, low=2)
    input_shape = _shape("build_mlp", input_shape)
    _activation("build_mlp", activation)
    pixel_scale = check_pixel_scale("build_mlp", pixel_scale)

    if api == "sequential":
        stack = [keras.Input(shape=input_shape)]
        stack += [layers.Rescaling(pixel_scale)] if pixel_scale is not None else []
        stack.append(layers.Flatten())
        stack += [layers.Dense(int(u), activation=activation) for u in hidden_units]
        stack.append(layers.Dense(int(n_classes), activation="softmax"))
        return keras.Sequential(stack, name=name)

    inputs = keras.Input(shape=input_shape)
    x = layers.Flatten()(scale_pixels(inputs, pixel_scale))
    for units in hidden_units:
        x = layers.Dense(int(units), activation=activation)(x)
    outputs = layers.Dense(int(n_classes), activation="softmax")(x)
    return keras.Model(inputs, outputs, name=name)


def _shape(who: str, input_shape) -> tuple[int, ...]:
    from . import validate

    if isinstance(input_shape, str) or not hasattr(input_shape, "__iter__") or not list(input_shape):
        raise ValueError(f"{who}: input_shape must be a tuple of whole numbers such as (28, 28, 1), "
                         f"got {input_shape!r}.")
    return tuple(validate.whole(who, "input_shape", d, low=1) for d in input_shape)


def image_input_shape(who: str, input_shape, pools: int) -> tuple[int, int, int]:
    """(height, width, channels) of an image network's input, big enough for ``pools`` 2x2 poolings."""
    shape = _shape(who, input_shape)
    if len(shape) != 3:
        raise ValueError(f"{who}: input_shape must be (height, width, channels), e.g. (28, 28, 1) for gray images, "
                         f"got {input_shape!r}.")
    smallest = 2 ** pools
    if min(shape[:2]) < smallest:
        raise ValueError(f"{who}: input_shape must be at least {smallest}x{smallest} for its {pools} 2x2 poolings, "
                         f"got {input_shape!r}.")
    return shape


def _activation(who: str, name) -> None:
    import keras

    try:
        keras.activations.get(name)
    except (ValueError, TypeError):
        raise ValueError(f"{who}: activation {name!r} is not a Keras activation; use e.g. 'relu', 'tanh', "
                         "'sigmoid' or 'gelu'.") from None


@contextlib.contextmanager
def without_weights():
    """Build Keras models here to count their parameters and read their shapes without holding their weights.

    Inside the ``with`` block TensorFlow builds into a graph that never runs: every layer gets its shapes and its
    weight variables, but no values and no memory for them. ResNet-152's 60 million weights would take 230 MiB
    (with more for their initialisation); built here, a few MiB. Such a model cannot train or predict; build it
    outside the block for that.
    """
    import tensorflow as tf

    with tf.Graph().as_default():
        yield


def layer_table(model) -> list[tuple[str, str, int]]:
    """(layer name, output shape, parameter count) for every layer, as summary() shows."""
    if not hasattr(model, "layers") or not hasattr(model, "count_params"):
        raise TypeError(f"layer_table: model must be a Keras model, got {type(model).__name__}.")
    rows = []
    for layer in model.layers:
        shape = getattr(layer, "output", None)
        shape = str(tuple(shape.shape)) if shape is not None else "?"
        rows.append((layer.name, shape, layer.count_params()))
    return rows


def multiply_adds(model) -> int:
    """Multiply-adds one image costs in a forward pass through ``model``'s convolution and dense layers.

    Those layers hold nearly all the arithmetic: each output value of a convolution sums
    kernel height x kernel width x (input channels / groups) products, each output of a dense
    layer one product per input. Batch norm, pooling and activations add a few operations per
    value and are left out. Training costs about three forward passes (the backward pass
    computes two products per weight and input), so about 6 FLOPs per multiply-add.
    """
    import math

    import keras

    from .reference.architectures import conv2d_macs

    if not isinstance(model, keras.Model):
        raise TypeError(f"multiply_adds: model must be a Keras model, got {type(model).__name__}.")
    if not model.built:
        raise ValueError("multiply_adds: model must be built (give it an Input) so its layer shapes are known.")
    total = 0
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            total += multiply_adds(layer)
        elif isinstance(layer, keras.layers.Conv2D) and not isinstance(layer, keras.layers.DepthwiseConv2D):
            _, out_h, out_w, filters = layer.output.shape
            channels_in = layer.input.shape[-1] // layer.groups
            kernel_h, kernel_w = layer.kernel_size
            total += conv2d_macs(out_h, out_w, 1, kernel_h * kernel_w * channels_in, filters)
        elif isinstance(layer, keras.layers.Dense):
            total += math.prod(layer.output.shape[1:-1]) * layer.input.shape[-1] * layer.units
    return int(total)


_HEADS = ("flatten", "gap")

#: Named input augmentations for Fashion-MNIST (notebook 09 shows what each does and which make no sense here).
AUGMENTATIONS = (N_("none"), N_("flip"), N_("shift"), N_("flip + shift"), N_("flip + shift + zoom"))


def augmentation_layers(name: str) -> list:
    """Keras preprocessing layers for one of ``AUGMENTATIONS``; they change images in training only.

    "flip" mirrors left-right (a mirrored shirt is still a shirt; upside-down shoes never occur, so no
    vertical flips), "shift" moves by up to 10 % of the size, "zoom" scales by up to +-10 %.
    """
    from keras import layers

    from . import validate

    name = validate.choice("augmentation_layers", "name", name, AUGMENTATIONS)
    stack = []
    if "flip" in name:
        stack.append(layers.RandomFlip("horizontal"))
    if "shift" in name:
        stack.append(layers.RandomTranslation(0.1, 0.1, fill_mode="constant"))
    if "zoom" in name:
        stack.append(layers.RandomZoom(0.1, fill_mode="constant"))
    return stack


def small_cnn(input_shape=(28, 28, 1), n_classes: int = 10, batch_norm: bool = False, dropout: float = 0.0,
              widths=(16, 32), head: str = "flatten", bn_momentum: float = 0.9, l2: float = 0.0,
              augmentation: str = "none", name: str | None = None, pixel_scale: float | None = PIXEL_SCALE):
    """Two Conv-(BN)-ReLU-MaxPool stages and a head: the model of notebook 08's controlled experiment.

    It takes images as stored, pixel values 0..255 (uint8): its first layer, ``Rescaling(pixel_scale)``, scales
    them to 0..1 (``pixel_scale=None`` drops that layer, for images normalized already).
    ``batch_norm`` inserts BatchNormalization before each ReLU (the conv/dense layers then skip their bias,
    which BN's beta replaces); ``dropout`` > 0 adds Dropout before the output layer. ``widths`` are the two
    conv layers' channel counts (16 and 32 keep the experiment's trainings short on a CPU). ``head``:
    ``"flatten"`` (Flatten -> Dense(64) -> ReLU, where most parameters sit) or ``"gap"`` (global average
    pooling: one number per feature map, straight into the output layer). Batch norm's moving averages use
    ``bn_momentum`` 0.9 (Keras's default is 0.99), so they settle within the experiment's few hundred steps.
    ``l2`` > 0 adds an L2 penalty ``l2 * sum(w**2)`` on every conv and Dense kernel (``kernel_regularizer``);
    ``augmentation`` names one of ``AUGMENTATIONS``: random transformations applied at the model's input,
    in training only (Keras preprocessing layers, so they run on the GPU too and never at inference).
    """
    import keras
    from keras import layers

    from . import validate

    dropout = validate.number("small_cnn", "dropout", dropout, low=0, high=1, high_open=True)
    if isinstance(widths, str) or not hasattr(widths, "__len__") or len(widths) != 2:
        raise ValueError(f"small_cnn: widths must be two whole numbers >= 1, got {widths!r}.")
    widths = [validate.whole("small_cnn", "widths", w, low=1) for w in widths]
    n_classes = validate.whole("small_cnn", "n_classes", n_classes, low=2)
    input_shape = image_input_shape("small_cnn", input_shape, pools=len(widths))
    head = validate.choice("small_cnn", "head", head, _HEADS)
    bn_momentum = validate.number("small_cnn", "bn_momentum", bn_momentum, low=0, high=1, high_open=True)
    l2 = validate.number("small_cnn", "l2", l2, low=0, high=1)
    augmentation = validate.choice("small_cnn", "augmentation", augmentation, AUGMENTATIONS)
    pixel_scale = check_pixel_scale("small_cnn", pixel_scale)
    penalty = keras.regularizers.L2(l2) if l2 else None
    inputs = keras.Input(shape=tuple(input_shape))
    x = scale_pixels(inputs, pixel_scale)
    for layer in augmentation_layers(augmentation):
        x = layer(x)
    for filters in widths:
        x = layers.Conv2D(int(filters), 3, padding="same", use_bias=not batch_norm, kernel_regularizer=penalty)(x)
        if batch_norm:
            x = layers.BatchNormalization(momentum=bn_momentum)(x)
        x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(2)(x)
    if head == "gap":
        x = layers.GlobalAveragePooling2D()(x)
    else:
        x = layers.Flatten()(x)
        x = layers.Dense(64, use_bias=not batch_norm, kernel_regularizer=penalty)(x)
        if batch_norm:
            x = layers.BatchNormalization(momentum=bn_momentum)(x)
        x = layers.Activation("relu")(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(n_classes, activation="softmax", kernel_regularizer=penalty)(x)
    return keras.Model(inputs, outputs, name=name)

# ------------------------------------------------------------------ the course's CNNs (notebooks 08-11)

#: The course CNN's defaults: 16/32 channels, a 64-unit Dense layer, batch norm's momentum (see ``course_cnn``).
WIDTHS = (16, 32)
DENSE_UNITS = 64
_BN_MOMENTUM = 0.9


def seed_cnn(input_shape=(28, 28, 1), n_classes: int = 10, name: str = "seed_cnn", pixel_scale=PIXEL_SCALE):
    """The seed notes' Fashion-MNIST CNN with their two dropout layers (220,234 parameters).

    Like every course CNN it takes pixel values 0..255 and scales them first (``small_cnn`` says more);
    the seeds divided by 255 before ``fit`` instead, which gives the same network.
    """
    import keras
    from keras import layers

    pixel_scale = check_pixel_scale("seed_cnn", pixel_scale)
    return keras.Sequential([
        keras.Input(shape=tuple(input_shape)),
        *([layers.Rescaling(pixel_scale, name="rescale")] if pixel_scale is not None else []),
        layers.Conv2D(32, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dropout(0.3),
        layers.Dense(64, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(n_classes, activation="softmax"),
    ], name=name)


def seeds_cifar10_cnn(input_shape=(32, 32, 3), n_classes: int = 10, base_width: int = 32, l2: float = 1e-4):
    """The seed notes' 90 % CIFAR-10 network: three pairs of conv -> ReLU -> batch norm (32, 64, 128 filters,
    L2 1e-4 on each kernel), each pair followed by 2x2 pooling and dropout 0.2, 0.3, 0.4; then a softmax
    layer (309,290 parameters). The seeds compile it with ``seeds_cifar10_optimizer()``."""
    import keras
    from keras import layers

    stack = [keras.Input(shape=tuple(input_shape))]
    for multiple, rate in ((1, 0.2), (2, 0.3), (4, 0.4)):
        for _ in range(2):
            stack += [layers.Conv2D(base_width * multiple, 3, padding="same",
                                    kernel_regularizer=keras.regularizers.L2(l2)),
                      layers.Activation("relu"), layers.BatchNormalization()]
        stack += [layers.MaxPooling2D(2), layers.Dropout(rate)]
    stack += [layers.Flatten(), layers.Dense(n_classes, activation="softmax")]
    return keras.Sequential(stack, name="seeds_cifar10_cnn")


def course_cnn(input_shape=(28, 28, 1), n_classes: int = 10, widths=WIDTHS, dense_units: int = DENSE_UNITS,
               dropout: float = 0.0, bn_momentum: float = _BN_MOMENTUM, augmentation: str = "none",
               name: str = "course_cnn", pixel_scale=PIXEL_SCALE):
    """Conv -> MaxPool -> BatchNorm -> ReLU per stage, then Dense -> BatchNorm -> ReLU and a softmax layer.

    The input is images as stored, pixel values 0..255 (uint8); the first layer, ``Rescaling(pixel_scale)``,
    scales them to 0..1 (``pixel_scale=None`` drops it, for images normalized already).

    Pooling comes before batch norm and ReLU (max pooling commutes with a per-channel
    increasing map, so the result is the same function family) and batch norm then
    works on a quarter of the values. The conv and hidden Dense layers have no bias:
    batch norm's beta replaces it. Batch norm's moving averages use momentum 0.9 instead
    of Keras's 0.99, so they settle within a few dozen steps: a short run is judged fairly.
    ``augmentation`` names one of ``models.AUGMENTATIONS`` (active in training only).
    """
    import keras
    from keras import layers

    from . import validate

    if isinstance(widths, str) or not hasattr(widths, "__iter__") or not list(widths):
        raise ValueError(f"course_cnn: widths must be whole numbers >= 1, got {widths!r}.")
    widths = tuple(validate.whole("course_cnn", "widths", w, low=1) for w in widths)
    dropout = validate.number("course_cnn", "dropout", dropout, low=0, high=1, high_open=True)
    dense_units = validate.whole("course_cnn", "dense_units", dense_units, low=1)
    bn_momentum = validate.number("course_cnn", "bn_momentum", bn_momentum, low=0, high=1, high_open=True)
    input_shape = image_input_shape("course_cnn", input_shape, pools=len(widths))
    pixel_scale = check_pixel_scale("course_cnn", pixel_scale)
    inputs = keras.Input(shape=input_shape)
    x = scale_pixels(inputs, pixel_scale, name="rescale")
    for layer in augmentation_layers(augmentation):
        x = layer(x)
    for stage, filters in enumerate(widths, start=1):
        x = layers.Conv2D(int(filters), 3, padding="same", use_bias=False, name=f"conv{stage}")(x)
        x = layers.MaxPooling2D(2, name=f"pool{stage}")(x)
        x = layers.BatchNormalization(momentum=bn_momentum, name=f"bn{stage}")(x)
        x = layers.ReLU(name=f"relu{stage}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(int(dense_units), use_bias=False, name="dense")(x)
    x = layers.BatchNormalization(momentum=bn_momentum, name="bn_dense")(x)
    x = layers.ReLU(name="relu_dense")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name=name)


#: The accurate variant of the course CNN, for a longer budget: the same layers, schedule and batch, twice the
#: channels and dropout before the output. scripts/benchmark_training.py measures it and chooses its budget on
#: validation accuracy (the most accurate within 8 yardstick units).
ACCURATE_WIDTHS = (32, 64)
ACCURATE_DROPOUT = 0.3


def accurate_cnn(input_shape=(28, 28, 1), n_classes: int = 10, name: str = "accurate_cnn", pixel_scale=PIXEL_SCALE,
                 augmentation: str = "none"):
    """``course_cnn`` with twice the channels (32/64) and dropout 0.3 before the output layer; ``augmentation``
    as in ``course_cnn``."""
    return course_cnn(input_shape, n_classes, widths=ACCURATE_WIDTHS, dropout=ACCURATE_DROPOUT, name=name,
                      pixel_scale=pixel_scale, augmentation=augmentation)
