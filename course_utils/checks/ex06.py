"""Exercises of notebook 06: counting parameters, building an MLP, choosing the loss."""

import numpy as np

from .. import reference
from ..language import N_, tr
from ..reference.losses import KERAS_LOSSES
from .core import Exercise, Incorrect, whole_number, word

_HIDDEN = {
    "ReLU": lambda z: np.maximum(z, 0),
    "no activation": lambda z: z,
    "tanh": np.tanh,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
}
OUTPUT = {
    "softmax": lambda z: reference.softmax(z, axis=-1),
    "no activation (raw scores)": lambda z: z,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
}


def _check_cifar_first_layer(count) -> str:
    right = reference.dense_params(32 * 32 * 3, 200)
    count = whole_number(count, tr("the parameter count"))
    if count == right:
        return tr("(3072 + 1) x 200: a weight per input per unit, plus one bias per unit.")
    if count == 32 * 32 * 3 * 200:
        raise Incorrect(tr("{count:,} counts the weights but forgets the 200 biases.", count=count))
    if count == (32 * 32 + 1) * 200:
        raise Incorrect(tr("{count:,} uses 32 x 32 inputs; a colour image has 3 channels, so 32 x 32 x 3.",
                           count=count))
    raise Incorrect(tr("{count:,} is not it. How many numbers does Flatten produce from a 32x32x3 image?",
                       count=count))


def _outputs(model, images):
    """The model's outputs for 28x28 images, trying the input shapes an MLP may be built with."""
    for shaped in (images, images[..., None], images.reshape(len(images), -1)):
        try:
            return np.asarray(model(shaped, training=False), dtype=float)
        except Exception:  # noqa: BLE001 - try the next input shape
            continue
    raise Incorrect(tr("your model does not accept 28x28 images; start it with keras.Input(shape=(28, 28)) and "
                       "Flatten."))


def _check_small_mlp(model) -> str:
    import keras

    if not isinstance(model, keras.Model):
        raise Incorrect(tr("pass your Keras model itself (keras.Sequential([...])), got {name_value}.",
                           name_value=type(model).__name__))
    if not model.built:
        raise Incorrect(tr("your model is not built yet: start the list with keras.Input(shape=(28, 28)) so "
                           "Keras knows the input size."))
    images = np.random.default_rng(0).random((16, 28, 28)).astype("float32")
    outputs = _outputs(model, images)
    if outputs.shape != (16, 10):
        raise Incorrect(tr("for 16 images your model returns shape {shape}; expected (16, 10), ten class "
                           "probabilities per image.",
                           shape=outputs.shape))
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    units = [layer.units for layer in dense]
    if units != [256, 128, 10]:
        raise Incorrect(tr("the Dense layers have {units} units; the exercise asks for 256, 128 and 10.", units=units))
    total, expected = model.count_params(), reference.mlp_params([784, 256, 128, 10])
    if total != expected:
        raise Incorrect(tr("the model has {total:,} parameters, expected {expected:,} = (784+1)*256 + "
                           "(256+1)*128 + (128+1)*10: leave out other layers with parameters (such as batch "
                           "norm) and keep the biases.",
                           total=total, expected=expected))
    weights = [(layer.kernel.numpy(), layer.bias.numpy()) for layer in dense]
    x = images.reshape(16, -1).astype(float)
    # Which activations reproduce what the model computes? (However the layers are spelled.)
    for first, f1 in _HIDDEN.items():
        h1 = f1(x @ weights[0][0] + weights[0][1])
        for second, f2 in _HIDDEN.items():
            z = f2(h1 @ weights[1][0] + weights[1][1]) @ weights[2][0] + weights[2][1]
            for last, f3 in OUTPUT.items():
                if np.allclose(f3(z), outputs, atol=1e-4):
                    return _verdict(first, second, last, total)
    raise Incorrect(tr("your model computes something other than Dense -> activation -> Dense -> activation -> "
                       "Dense -> softmax; remove extra layers between them."))


def _verdict(first: str, second: str, last: str, total: int) -> str:
    for name in (first, second):
        if name == "no activation":
            raise Incorrect(tr("a hidden layer applies no activation: without one, stacked Dense layers stay "
                               "one linear map. The exercise asks for ReLU."))
        if name != "ReLU":
            raise Incorrect(tr("a hidden layer uses {name}; the exercise asks for ReLU.", name=name))
    if last != "softmax":
        raise Incorrect(tr("the output layer gives {last}; ten exclusive classes need softmax (probabilities "
                           "that add up to 1).",
                           last=last))
    return tr("{total:,} parameters, as (784+1)*256 + (256+1)*128 + (128+1)*10 says, and it computes the right "
              "thing.",
              total=total)


def _loss_name(value):
    if isinstance(value, str):
        return value
    try:
        import keras

        if isinstance(value, keras.losses.Loss):
            if getattr(value, "from_logits", False):
                raise Incorrect(tr("from_logits=True is for a model whose last layer has no softmax; this one "
                                   "has it."))
            return type(value).__name__
    except ImportError:  # pragma: no cover - the course always has Keras
        pass
    if callable(value) and hasattr(value, "__name__"):
        return value.__name__
    return value


def _check_loss(loss) -> str:
    name = word(_loss_name(loss), KERAS_LOSSES, what=tr("the loss"))
    if name == "sparse_categorical_crossentropy":
        return tr("Integer labels 0..9 go with the sparse loss; one-hot rows go with categorical_crossentropy.")
    if name == "categorical_crossentropy":
        raise Incorrect(tr("categorical_crossentropy expects one-hot rows like [0, 0, 1, ...]; these labels "
                           "are integers."))
    raise Incorrect(tr("'{name}' is not the loss for one-of-ten classification.", name=name))


cifar_params = Exercise(
    N_("06.1 counting parameters"),
    "How many parameters has the first Dense(200) layer of the CIFAR-10 MLP?",
    _check_cifar_first_layer,
    (N_("Flatten turns a 32x32x3 image into a vector of 32*32*3 numbers."),
     N_("Each of the 200 units has one weight per input and one bias.")),
    "count = (32 * 32 * 3 + 1) * 200   # 614,600",
    (614600,),
)
small_mlp = Exercise(
    N_("06.2 build an MLP"),
    "Build a Fashion-MNIST MLP 784-256-128-10 (ReLU hidden layers, softmax output).",
    _check_small_mlp,
    (N_("Start from keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), ...])."),
     N_("Three Dense layers: 256 and 128 units with 'relu', then 10 with 'softmax'.")),
    "small_model = keras.Sequential([\n    keras.Input(shape=(28, 28)),\n    layers.Flatten(),\n"
    "    layers.Dense(256, activation='relu'),\n    layers.Dense(128, activation='relu'),\n"
    "    layers.Dense(10, activation='softmax'),\n])",
)
loss = Exercise(
    N_("06.3 which loss?"),
    "Labels are integers 0..9 (not one-hot). Which Keras loss goes in compile()?",
    _check_loss,
    (N_("There is a 'sparse' variant of the cross-entropy for integer labels."),),
    "loss_name = 'sparse_categorical_crossentropy'   # or keras.losses.SparseCategoricalCrossentropy()",
    ("sparse_categorical_crossentropy",),
)
