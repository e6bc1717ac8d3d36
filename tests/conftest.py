import numpy as np
import pytest


@pytest.fixture(scope="session")
def fashion():
    from course_utils.data import load_fashion_mnist

    return load_fashion_mnist(verbose=False)


@pytest.fixture(scope="session")
def keras():
    from course_utils.config import quiet_tensorflow_import

    quiet_tensorflow_import()
    import keras

    keras.utils.set_random_seed(0)
    return keras


@pytest.fixture
def rng():
    return np.random.default_rng(0)
