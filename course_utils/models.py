"""Keras model builders that more than one notebook (and the tests) use."""

from __future__ import annotations

from collections.abc import Sequence

API_CHOICES = ("sequential", "functional")


def build_mlp(input_shape: Sequence[int], hidden_units: Sequence[int], n_classes: int,
              api: str = "sequential", activation: str = "relu", name: str | None = None):
    """Flatten -> Dense(hidden, activation)... -> Dense(n_classes, softmax).

    ``api`` picks how it is written: ``"sequential"`` (a list of layers) or
    ``"functional"`` (layers called on tensors). Both give the same network.
    """
    import keras
    from keras import layers

    if api not in API_CHOICES:
        raise ValueError(f"build_mlp: api must be one of {API_CHOICES}, got {api!r}.")
    if not hidden_units or any(int(u) != u or u < 1 for u in hidden_units):
        raise ValueError(f"build_mlp: hidden_units must be whole numbers >= 1, got {list(hidden_units)!r}.")
    if int(n_classes) != n_classes or n_classes < 2:
        raise ValueError(f"build_mlp: n_classes must be a whole number >= 2, got {n_classes!r}.")
    input_shape = tuple(int(d) for d in input_shape)

    if api == "sequential":
        stack = [keras.Input(shape=input_shape), layers.Flatten()]
        stack += [layers.Dense(int(u), activation=activation) for u in hidden_units]
        stack.append(layers.Dense(int(n_classes), activation="softmax"))
        return keras.Sequential(stack, name=name)

    inputs = keras.Input(shape=input_shape)
    x = layers.Flatten()(inputs)
    for units in hidden_units:
        x = layers.Dense(int(units), activation=activation)(x)
    outputs = layers.Dense(int(n_classes), activation="softmax")(x)
    return keras.Model(inputs, outputs, name=name)


def layer_table(model) -> list[tuple[str, str, int]]:
    """(layer name, output shape, parameter count) for every layer, as summary() shows."""
    rows = []
    for layer in model.layers:
        shape = getattr(layer, "output", None)
        shape = str(tuple(shape.shape)) if shape is not None else "?"
        rows.append((layer.name, shape, layer.count_params()))
    return rows


def small_cnn(input_shape=(28, 28, 1), n_classes: int = 10, batch_norm: bool = False, dropout: float = 0.0,
              name: str | None = None):
    """Two Conv-(BN)-ReLU-MaxPool stages and a Dense head: the model of notebook 08's controlled experiment.

    ``batch_norm`` inserts BatchNormalization before each ReLU (the conv/dense layers then skip their bias,
    which BN's beta replaces); ``dropout`` > 0 adds Dropout before the output layer.
    """
    import keras
    from keras import layers

    if not 0 <= dropout < 1:
        raise ValueError(f"small_cnn: dropout must be in [0, 1), got {dropout}.")
    x = inputs = keras.Input(shape=tuple(input_shape))
    for filters in (32, 64):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=not batch_norm)(x)
        if batch_norm:
            x = layers.BatchNormalization()(x)
        x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(64, use_bias=not batch_norm)(x)
    if batch_norm:
        x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=name)
