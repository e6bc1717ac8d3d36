"""Data for the course: Fashion-MNIST, CIFAR-10 (or a labelled stand-in), sample
photos, logic-gate truth tables, and the small helpers every notebook uses.

Fashion-MNIST is read from the first of these that holds its four files:

1. ``COURSE_DATA_DIR`` (a folder you choose),
2. the Keras cache (``$KERAS_HOME/datasets/fashion-mnist``, else ``~/.keras/...``),
3. ``/usr/share/datasets/fashion-mnist`` (Debian package ``dataset-fashion-mnist``),

and otherwise downloaded by ``keras.datasets.fashion_mnist.load_data()``.
Every file is checked (decompressed size and SHA-256) before use, a downloaded one too (Keras checks none).
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import pickle
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import mirror, validate
from .language import N_, tr
from .reference.perceptron import LOGIC_GATES, logic_gate  # noqa: F401  (cu.data.logic_gate, as notebook 01 calls it)

FASHION_CLASSES = (
    N_("T-shirt/top"),
    N_("Trouser"),
    N_("Pullover"),
    N_("Dress"),
    N_("Coat"),
    N_("Sandal"),
    N_("Shirt"),
    N_("Sneaker"),
    N_("Bag"),
    N_("Ankle boot"),
)
_CIFAR10_CLASSES = (
    N_("airplane"),
    N_("automobile"),
    N_("bird"),
    N_("cat"),
    N_("deer"),
    N_("dog"),
    N_("frog"),
    N_("horse"),
    N_("ship"),
    N_("truck"),
)

# Decompressed byte count and SHA-256 of each file: the gzip wrapper may differ
# between mirrors, the content may not.
FASHION_FILES = {
    "train-images-idx3-ubyte.gz": (47040016, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    "train-labels-idx1-ubyte.gz": (60008, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    "t10k-images-idx3-ubyte.gz": (7840016, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    "t10k-labels-idx1-ubyte.gz": (10008, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
}
DEBIAN_FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
_HOW_TO_GET_FASHION = (
    "Get the four Fashion-MNIST files in one of these ways: "
    "`sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu, works offline from a mirror); "
    "put them in a folder and set COURSE_DATA_DIR to it; "
    "or run once with internet access so keras.datasets.fashion_mnist can download them."
)
_CIFAR10_HOST = ("www.cs.toronto.edu", 443)


def offline() -> bool:
    """True when COURSE_OFFLINE is set: never try the network (the tests set it)."""
    return os.environ.get("COURSE_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


class DataError(RuntimeError):
    """A data file is missing or damaged; the message says which and how to fix it."""


@dataclass
class ImageDataset:
    """Images and integer labels, plus where they came from.

    Unpacks like Keras's loaders: ``(x_train, y_train), (x_test, y_test) = data``.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple
    source: str
    is_standin: bool = False
    notes: list = field(default_factory=list)

    def __iter__(self):
        yield (self.x_train, self.y_train)
        yield (self.x_test, self.y_test)

    def __repr__(self) -> str:
        kind = "STAND-IN for " if self.is_standin else ""
        return (
            f"ImageDataset({kind}{self.name}: train {self.x_train.shape}, test {self.x_test.shape}, "
            f"{len(self.class_names)} classes, source={self.source!r})"
        )


# ----------------------------------------------------------------- Fashion-MNIST


def _fashion_mnist_candidates() -> list[tuple[str, Path]]:
    """The folders searched for Fashion-MNIST, in order, with a label for each."""
    places = []
    if os.environ.get("COURSE_DATA_DIR"):
        folder = Path(os.environ["COURSE_DATA_DIR"]).expanduser()
        places.append(("COURSE_DATA_DIR", folder / "fashion-mnist"))
        places.append(("COURSE_DATA_DIR", folder))
    places.append(("Keras cache", _keras_home() / "datasets" / "fashion-mnist"))
    places.append(("Debian package dataset-fashion-mnist", DEBIAN_FASHION_DIR))
    return places


def _read_verified(path: Path) -> bytes:
    """Decompress one Fashion-MNIST file and check its size and SHA-256."""
    expected_size, expected_sha = FASHION_FILES[path.name]
    try:
        with gzip.open(path, "rb") as handle:
            content = handle.read()
    except (OSError, EOFError, zlib.error) as exc:  # any damage: truncated, bad header, bad data mid-stream
        raise DataError(f"{path} is not a readable gzip file ({exc}). Delete it. {_HOW_TO_GET_FASHION}") from exc
    if len(content) != expected_size or hashlib.sha256(content).hexdigest() != expected_sha:
        raise DataError(
            f"{path} is corrupt: it holds {len(content):,} bytes when decompressed "
            f"(expected {expected_size:,}) or its SHA-256 differs. Delete it. {_HOW_TO_GET_FASHION}"
        )
    return content


def _parse_idx(images: bytes, labels: bytes) -> tuple[np.ndarray, np.ndarray]:
    y = np.frombuffer(labels, np.uint8, offset=8)
    x = np.frombuffer(images, np.uint8, offset=16).reshape(len(y), 28, 28)
    return x, y


def _load_fashion_from(folder: Path) -> tuple:
    missing = [name for name in FASHION_FILES if not (folder / name).is_file()]
    if missing:
        raise DataError(f"{folder} lacks {', '.join(missing)}. {_HOW_TO_GET_FASHION}")
    raw = {name: _read_verified(folder / name) for name in FASHION_FILES}
    train = _parse_idx(raw["train-images-idx3-ubyte.gz"], raw["train-labels-idx1-ubyte.gz"])
    test = _parse_idx(raw["t10k-images-idx3-ubyte.gz"], raw["t10k-labels-idx1-ubyte.gz"])
    return train, test


def find_fashion_mnist() -> tuple[str, Path] | None:
    """The first searched folder that holds all four Fashion-MNIST files, or None.

    A COURSE_DATA_DIR folder counts as soon as it holds any of them: it was chosen on purpose, so what it lacks
    is reported rather than skipped.
    """
    for label, folder in _fashion_mnist_candidates():
        present = [folder.is_dir() and (folder / name).is_file() for name in FASHION_FILES]
        if all(present) or (label == "COURSE_DATA_DIR" and any(present)):
            return label, folder
    return None


def _bad_files(folder: Path) -> list[str]:
    """The Fashion-MNIST files in ``folder`` that are missing or fail their check."""
    bad = []
    for name in FASHION_FILES:
        try:
            _read_verified(folder / name) if (folder / name).is_file() else bad.append(name)
        except DataError:
            bad.append(name)
    return bad


def _keras_cache_folder() -> Path:
    return _keras_home() / "datasets" / "fashion-mnist"


# What keras.datasets.fashion_mnist.load_data() returns, in order, and the file each array was read from.
_KERAS_ARRAY_FILES = (("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
                      ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))


def _idx_content(array: np.ndarray) -> bytes:
    """The decompressed IDX file an array was read from: its header (0x0000080N, then each dimension as a
    big-endian 32-bit count: what Keras's loader skips with ``offset``), then the uint8 values."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def _check_download(arrays: tuple) -> None:
    """keras.datasets.fashion_mnist checks no hash of what it downloads: check the arrays it loaded against the
    published files (size and SHA-256), so a damaged download is named instead of training on it."""
    for (x, y), names in zip(arrays, _KERAS_ARRAY_FILES, strict=True):
        for array, name in zip((x, y), names, strict=True):
            content = _idx_content(np.asarray(array))
            expected_size, expected_sha = FASHION_FILES[name]
            if len(content) != expected_size or hashlib.sha256(content).hexdigest() != expected_sha:
                raise DataError(
                    f"{name}, just downloaded by keras.datasets.fashion_mnist into {_keras_cache_folder()}, is "
                    "corrupt: its SHA-256 differs from the published file's. Run the same call again to download "
                    f"it again (the damaged file is replaced), or delete it. {_HOW_TO_GET_FASHION}"
                )


def _first(array: np.ndarray, n: int | None) -> np.ndarray:
    """The first ``n`` rows (all for None), copied when they are a part: a view would keep the whole array."""
    return array if n is None or n >= len(array) else array[:n].copy()


def load_fashion_mnist(n_train: int | None = None, n_test: int | None = None, verbose: bool = True) -> ImageDataset:
    """Fashion-MNIST as uint8 images (N, 28, 28) and labels 0..9.

    ``n_train`` / ``n_test`` keep the first N examples (the quick profile uses this). A COURSE_DATA_DIR
    folder with some but not all files, or a damaged file, raises ``DataError``. A Keras cache left
    incomplete or damaged by an interrupted download is repaired: the Debian package's copy is used if it is
    there, else (network allowed) the missing or damaged files are downloaded again, else the error names
    the folder to delete.
    """
    n_train = validate.count("load_fashion_mnist", "n_train", n_train, 60000)
    n_test = validate.count("load_fashion_mnist", "n_test", n_test, 10000)
    notes, arrays, origin = [], None, ""
    found = find_fashion_mnist()
    if found is not None:
        try:
            arrays, origin = _load_fashion_from(found[1]), found[0]
        except DataError:
            if found[0] != "Keras cache":
                raise
    cache = _keras_cache_folder()
    partial = origin != "Keras cache" and cache.is_dir() and any((cache / n).exists() for n in FASHION_FILES)
    bad = _bad_files(cache) if partial else []
    if bad and origin != "Keras cache":
        notes.append(f"The Keras cache {cache} is incomplete or damaged ({', '.join(bad)}), as an interrupted "
                     "download leaves it.")
    if arrays is None and DEBIAN_FASHION_DIR.is_dir() and not _bad_files(DEBIAN_FASHION_DIR):
        arrays, origin = _load_fashion_from(DEBIAN_FASHION_DIR), "Debian package dataset-fashion-mnist"
    if arrays is not None and bad and origin != "Keras cache":
        notes.append(f"Using the {origin} instead; delete {cache} to tidy up.")
    if arrays is None:
        searched = ", ".join(str(folder) for _, folder in _fashion_mnist_candidates())
        if offline():
            if bad:
                raise DataError(f"{notes[0]} COURSE_OFFLINE is set, so it is not downloaded again: delete that "
                                f"folder (rm -r '{cache}') and run once with internet access, or "
                                f"{_HOW_TO_GET_FASHION[0].lower()}{_HOW_TO_GET_FASHION[1:]}")
            raise DataError(f"Fashion-MNIST was not found (looked in {searched}) and COURSE_OFFLINE is set. "
                            f"{_HOW_TO_GET_FASHION}")
        for name in bad:  # Keras reuses any file already there, whole or not: remove the bad ones first
            (cache / name).unlink(missing_ok=True)
        if bad:
            notes.append(f"Downloading {', '.join(bad)} again.")
        try:
            import keras

            arrays = keras.datasets.fashion_mnist.load_data()
        except Exception as exc:  # no network, blocked host, ...
            raise DataError(
                f"Fashion-MNIST was not found (looked in {searched}) and could not be "
                f"downloaded ({type(exc).__name__}: {exc}). {_HOW_TO_GET_FASHION}"
            ) from exc
        _check_download(arrays)
        origin = "keras.datasets.fashion_mnist (downloaded)"
    (x_train, y_train), (x_test, y_test) = arrays
    data = ImageDataset(
        name="Fashion-MNIST",
        x_train=_first(x_train, n_train),
        y_train=_first(y_train, n_train),
        x_test=_first(x_test, n_test),
        y_test=_first(y_test, n_test),
        class_names=FASHION_CLASSES,
        source=origin,
        notes=notes,
    )
    if verbose:
        for note in notes:
            print(tr("Note: {note}", note=note))
        print(tr("Fashion-MNIST from {origin}: {train:,} training and {test:,} test "
                 "images.",
                 origin=origin, train=len(data.x_train), test=len(data.x_test)))
    return data


# ----------------------------------------------------------------------- CIFAR-10


def _keras_home() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser()


# keras.datasets.cifar10.load_data() reads all 60,000 images (180 MiB) even when a lesson wants 12,000. These are
# its own get_file arguments (tests/test_data.py compares them with Keras's source), so the download, the hash
# check and the cache are Keras's; only the batches that the sample needs are read.
_CIFAR10_GET_FILE = {
    "fname": "cifar-10-batches-py-target",
    "origin": "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    "extract": True,
    "file_hash": "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
}
_CIFAR10_TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))


def _cifar10_folder() -> Path:
    return _keras_home() / "datasets" / _CIFAR10_GET_FILE["fname"] / "cifar-10-batches-py"


def cifar10_cached() -> bool:
    """True when Keras already holds the extracted CIFAR-10 batches."""
    return (_cifar10_folder() / "test_batch").is_file()


def _read_cifar10(folder: Path, batches, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` images (N, 32, 32, 3) and labels (N, 1), both uint8, from CIFAR-10's pickled batches."""
    x, y = np.empty((n, 32, 32, 3), np.uint8), np.empty((n, 1), np.uint8)
    filled = 0
    for name in batches:
        if filled == n:
            break
        with open(folder / name, "rb") as file:
            batch = pickle.load(file, encoding="bytes")  # the format CIFAR-10 is published in, as Keras reads it
        images = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
        take = min(n - filled, len(images))
        x[filled:filled + take] = images[:take].transpose(0, 2, 3, 1)
        y[filled:filled + take, 0] = np.asarray(batch[b"labels"][:take], dtype=np.uint8)
        filled += take
    if filled < n:
        raise DataError(f"The CIFAR-10 batches in {folder} hold {filled:,} images where {n:,} were asked for: "
                        f"the cache is damaged; delete {folder.parent} and run again to download it again.")
    return x, y


def network_reachable(host: tuple[str, int] = _CIFAR10_HOST, timeout: float = 3.0) -> bool:
    """Would a download from ``host`` (name, port) start within ``timeout`` seconds?

    Asked the way Keras downloads, through ``urllib``: a proxy named in ``https_proxy`` / ``http_proxy`` is used
    as Keras would use it, where a bare TCP connection would fail. Any HTTP answer counts, an error status
    included, since the network path works. Under the course's tests' download mirror (``mirror.py``) the
    mirror is asked instead, since every download goes there.
    """
    timeout = validate.number("network_reachable", "timeout", timeout, low=0, low_open=True)
    if not (isinstance(host, tuple) and len(host) == 2 and isinstance(host[0], str) and isinstance(host[1], int)):
        raise TypeError(f"network_reachable: host must be a (name, port) pair such as ('www.cs.toronto.edu', 443), "
                        f"not {host!r}.")
    name, port = host
    scheme = "https" if port == 443 else "http"
    url = f"{scheme}://{name}/" if port in (80, 443) else f"{scheme}://{name}:{port}/"
    base = mirror.base_url()
    if base is not None:
        url = mirror.mirrored(url, base)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True  # the server (or the proxy) answered
    except (OSError, http.client.HTTPException):  # no route, no name, refused, timed out, TLS failed
        return False


def cifar10_standin(n_train: int = 50000, n_test: int = 10000, reason: str = "CIFAR-10 unavailable") -> ImageDataset:
    """The offline stand-in for CIFAR-10: real Fashion-MNIST images, zero-padded
    from 28x28 to 32x32 and copied into three identical colour channels.

    Same shapes and dtype as CIFAR-10 (uint8, (N, 32, 32, 3), 10 classes), so
    every line of code runs unchanged; the class names and the accuracies are
    Fashion-MNIST's, not CIFAR-10's.
    """
    n_train = validate.count("cifar10_standin", "n_train", n_train, 60000)
    n_test = validate.count("cifar10_standin", "n_test", n_test, 10000)
    fashion = load_fashion_mnist(n_train, n_test, verbose=False)

    def to_rgb32(images):
        # written into one zeroed array: padding and repeating would each make another full-size copy
        rgb = np.zeros((len(images), 32, 32, 3), dtype=images.dtype)
        rgb[:, 2:30, 2:30, :] = images[..., None]
        return rgb

    return ImageDataset(
        name="CIFAR-10",
        x_train=to_rgb32(fashion.x_train),
        y_train=fashion.y_train.reshape(-1, 1),
        x_test=to_rgb32(fashion.x_test),
        y_test=fashion.y_test.reshape(-1, 1),
        class_names=FASHION_CLASSES,
        source=f"stand-in: Fashion-MNIST padded to 32x32x3 ({reason})",
        is_standin=True,
    )


def load_cifar10(n_train: int | None = None, n_test: int | None = None, timeout: float = 3.0) -> ImageDataset:
    """CIFAR-10 when it is cached or reachable, downloaded, checked and cached exactly as
    ``keras.datasets.cifar10.load_data()`` does, with only the first ``n_train`` / ``n_test`` images read;
    otherwise the labelled stand-in (see ``cifar10_standin``), announced in one line.
    With COURSE_OFFLINE set, the network is not tried.

    Same arrays as Keras's: uint8 images (N, 32, 32, 3) and labels of shape (N, 1).
    """
    n_train = validate.count("load_cifar10", "n_train", n_train, 50000)
    n_test = validate.count("load_cifar10", "n_test", n_test, 10000)
    timeout = validate.number("load_cifar10", "timeout", timeout, low=0, low_open=True)
    if cifar10_cached() or (not offline() and network_reachable(timeout=timeout)):
        try:
            import keras

            folder = Path(keras.utils.get_file(**_CIFAR10_GET_FILE)) / "cifar-10-batches-py"
            x_train, y_train = _read_cifar10(folder, _CIFAR10_TRAIN_BATCHES, 50000 if n_train is None else n_train)
            x_test, y_test = _read_cifar10(folder, ("test_batch",), 10000 if n_test is None else n_test)
            data = ImageDataset("CIFAR-10", x_train, y_train, x_test, y_test, _CIFAR10_CLASSES,
                                source="CIFAR-10 (downloaded and cached as keras.datasets.cifar10 does)")
            print(tr("CIFAR-10: {train:,} training and {test:,} test images.",
                     train=len(data.x_train), test=len(data.x_test)))
            return data
        except Exception as exc:
            if mirror.base_url():  # the tests' download mirror: a failure there is a bug, not a missing network
                raise
            reason = tr("download failed ({error})", error=type(exc).__name__)
    else:
        reason = tr("COURSE_OFFLINE is set") if offline() else tr("no network")
    data = cifar10_standin(n_train or 50000, n_test or 10000, reason)
    print(
        tr("CIFAR-10 STAND-IN ({reason}): Fashion-MNIST images padded to 32x32x3 with Fashion-MNIST labels; "
           "shapes match CIFAR-10, accuracies do not.",
           reason=reason)
    )
    return data


# -------------------------------------------------------------- photos and gates


def sample_image(name: str = "china", gray: bool = False) -> np.ndarray:
    """A real photo bundled with scikit-learn: ``"china"`` or ``"flower"`` (427x640x3, uint8).

    ``gray=True`` returns the luminance as float32 in [0, 255], shape (427, 640).
    """
    from sklearn.datasets import load_sample_image

    name = validate.choice("sample_image", "name", name, ("china", "flower"))
    image = load_sample_image(f"{name}.jpg")
    if gray:
        return (image @ np.array([0.299, 0.587, 0.114])).astype(np.float32)
    return image


# ------------------------------------------------------------------ small helpers


def normalize(images, max_value: float = 255.0) -> np.ndarray:
    """Scale pixel values from [0, max_value] to float32 in [0, 1].

    Refuses images that look normalized already (floats no larger than 1 while
    ``max_value`` is larger): dividing twice would leave values near 0.004.
    Pass ``max_value=1.0`` to accept such data as it is.
    """
    array = np.asarray(images)
    if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_):
        raise TypeError(f"normalize: expected numeric pixel values, got dtype {array.dtype}.")
    max_value = validate.number("normalize", "max_value", max_value, low=0, low_open=True)
    if array.size and np.issubdtype(array.dtype, np.floating) and not np.all(np.isfinite(array)):
        raise ValueError("normalize: images contain NaN or infinity; pixel values must be finite numbers.")
    if (array.size and np.issubdtype(array.dtype, np.floating) and max_value > 1 and array.max() <= 1.0
            and array.max() > 0):
        raise ValueError(
            f"normalize: values span [{array.min():g}, {array.max():g}]: these images look normalized already. "
            "Use them as they are (or pass max_value=1.0)."
        )
    if array.size and (array.min() < 0 or array.max() > max_value):
        raise ValueError(
            f"normalize: values span [{array.min()}, {array.max()}], outside [0, {max_value}]; "
            "were the images normalized already?"
        )
    # Block by block: dividing a whole uint8 array at once makes a float64 temporary eight times its size
    # (1.2 GB for CIFAR-10), which would set a notebook's peak memory. The values are the same either way.
    out = np.empty(array.shape, dtype=np.float32)
    flat_in, flat_out = array.reshape(-1), out.reshape(-1)
    for start in range(0, flat_in.size, _NORMALIZE_BLOCK):
        block = slice(start, start + _NORMALIZE_BLOCK)
        flat_out[block] = flat_in[block] / max_value
    return out


#: normalize's block size in values: its float64 temporaries stay at 16 MB.
_NORMALIZE_BLOCK = 1 << 21


#: one_hot infers the number of classes from the largest label only up to this many (ImageNet's 1,000 fit).
MAX_INFERRED_CLASSES = 10_000


def one_hot(labels, num_classes: int | None = None) -> np.ndarray:
    """Integer labels (N,) or (N, 1) to one-hot rows (N, num_classes), float32."""
    array = np.asarray(labels)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"one_hot: expected labels of shape (N,) or (N, 1), got {array.shape}.")
    if not np.issubdtype(array.dtype, np.integer):
        if np.issubdtype(array.dtype, np.floating) and np.all(array == np.round(array)):
            array = array.astype(np.int64)
        else:
            raise TypeError(f"one_hot: labels must be whole numbers, got dtype {array.dtype}.")
    if num_classes is None:
        if array.size and array.max() >= MAX_INFERRED_CLASSES:
            raise ValueError(f"one_hot: labels go up to {array.max()}, which would make {int(array.max()) + 1:,} "
                             f"columns; pass num_classes (the number of classes) when there are more than "
                             f"{MAX_INFERRED_CLASSES:,}, or fix the label.")
        num_classes = int(array.max()) + 1 if array.size else 0
    else:
        num_classes = validate.whole("one_hot", "num_classes", num_classes, low=1)
    if array.size and (array.min() < 0 or array.max() >= num_classes):
        raise ValueError(
            f"one_hot: labels span {array.min()}..{array.max()}, but num_classes={num_classes} "
            f"allows 0..{num_classes - 1}."
        )
    return np.eye(num_classes, dtype=np.float32)[array]


def train_val_split(x, y, val_fraction: float = 0.2, seed: int = 42, stratify: bool = True):
    """Split into training and validation sets (scikit-learn's ``train_test_split``).

    Returns ``(x_train, y_train), (x_val, y_val)``; with ``stratify`` every class
    keeps its share in both parts.
    """
    from sklearn.model_selection import train_test_split

    validate.number("train_val_split", "val_fraction", val_fraction, low=0, high=1, low_open=True, high_open=True)
    seed = validate.whole("train_val_split", "seed", seed, low=0)
    if not hasattr(x, "__len__") or not hasattr(y, "__len__"):
        raise TypeError("train_val_split: x and y must be arrays with one row per example.")
    if len(x) != len(y):
        raise ValueError(f"train_val_split: x has {len(x)} rows but y has {len(y)}.")
    labels = np.asarray(y)
    strata = labels.argmax(axis=1) if labels.ndim == 2 and labels.shape[1] > 1 else labels.reshape(len(labels))
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, test_size=val_fraction, random_state=seed, stratify=strata if stratify else None
    )
    return (x_train, y_train), (x_val, y_val)
