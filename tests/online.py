"""Small stand-ins for what the online cells download, served on loopback in the real sources' layouts.

The server answers ``/HOST/PATH`` for ``https://HOST/PATH`` (see ``course_utils.mirror``), so the notebooks'
real download code (Keras's ``get_file``, ``keras.datasets.cifar10``, ``keras.applications``) runs unchanged:

- TensorFlow's ``flower_photos.tgz``: generated photos in five class folders (``PHOTOS_PER_CLASS`` each, small);
  or, for a recorded run whose times a student reads (``full_size=True``), as many photos per class as the real
  archive has (``REAL_FLOWER_COUNTS``) at the real photos' usual sizes, so the cells do the real run's work;
- CIFAR-10's ``cifar-10-python.tar.gz``: the pickled batches, ``CIFAR_DISTINCT`` distinct generated images
  repeated to fill each training batch (Keras's loader expects CIFAR-10's 10,000 images per batch), and a test
  batch of ``CIFAR_TEST``;
- MobileNetV2's ImageNet weight files (with and without the top), written from a freshly built model with a fixed
  seed, and a class index whose 1,000 names say they are stand-ins;
- Fashion-MNIST's four ``.gz`` files: not stand-ins but the real files (30 MB), copied from the copy
  ``course_utils.data`` finds (the Debian package ``dataset-fashion-mnist`` in CI) after checking each one.

``start_mirror()`` builds them once into ``.cache/online-standins`` and serves that folder.
"""

from __future__ import annotations

import functools
import io
import json
import os
import pickle
import shutil
import tarfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
STANDINS = ROOT / ".cache" / "online-standins"
FORMAT = "6"  # bump when a stand-in changes, so old builds are replaced

FLOWERS_URL = "https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz"
FLOWER_CLASSES = ("daisy", "dandelion", "roses", "sunflowers", "tulips")
PHOTOS_PER_CLASS = 40
# The real archive's photos per class (3,670 in all) and its most common sizes, (height, width)
REAL_FLOWER_COUNTS = {"daisy": 633, "dandelion": 898, "roses": 641, "sunflowers": 699, "tulips": 799}
REAL_PHOTO_SIZES = ((240, 320), (333, 500), (375, 500), (500, 333))
CIFAR_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR_DISTINCT = 300
CIFAR_TEST = 10000  # as in CIFAR-10: the full profile asserts the real split sizes
MOBILENET_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
# file name -> (include_top, input size): notebook 10 classifies photos at 224 and fine-tunes at 128 pixels
MOBILENET_FILES = {"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5": (True, 224),
                   "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5": (False, 224),
                   "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_128_no_top.h5": (False, 128)}
CLASS_INDEX_URL = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"
WEIGHTS_SEED = 7
FASHION_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"  # keras.datasets.fashion_mnist's


def served_path(root: Path, url: str) -> Path:
    """Where the mirror keeps ``url``: ROOT/host/path."""
    return root / url.split("://", 1)[1]


def _add_bytes(archive: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(payload))


def _add_folder(archive: tarfile.TarFile, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    archive.addfile(info)


def class_images(label: int, n: int, size: tuple[int, int], rng) -> np.ndarray:
    """n RGB images of (height, width) = size: a colour per class, a bright square at a random place, noise."""
    hue = np.array([(label * 97) % 256, (label * 53 + 80) % 256, (label * 31 + 160) % 256], dtype=float)
    images = np.clip(hue + rng.normal(0, 40, (n, *size, 3)), 0, 255)
    side = min(size) // 3
    for image in images:
        top, left = rng.integers(0, size[0] - side), rng.integers(0, size[1] - side)
        image[top:top + side, left:left + side] = 255 - hue
    return images.astype(np.uint8)


def flower_photos(label: int, name: str, rng, full_size: bool):
    """The stand-in photos of one class, as PIL images: small ones, or the real archive's count at real sizes."""
    from PIL import Image

    if not full_size:
        return [Image.fromarray(pixels) for pixels in class_images(label, PHOTOS_PER_CLASS, (48, 64), rng)]
    photos = []
    for k in range(REAL_FLOWER_COUNTS[name]):
        height, width = REAL_PHOTO_SIZES[k % len(REAL_PHOTO_SIZES)]
        # drawn at a quarter of the size and scaled up: full-size noise would make a far larger archive than the real
        small = class_images(label, 1, (height // 4, width // 4), rng)[0]
        photos.append(Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC))
    return photos


def build_flowers(path: Path, rng, full_size: bool = False) -> None:
    with tarfile.open(path, "w:gz") as archive:
        _add_folder(archive, "flower_photos")
        _add_bytes(archive, "flower_photos/LICENSE.txt", b"Stand-in photos generated by the course's tests.\n")
        for label, name in enumerate(FLOWER_CLASSES):
            _add_folder(archive, f"flower_photos/{name}")
            for k, photo in enumerate(flower_photos(label, name, rng, full_size)):
                buffer = io.BytesIO()
                photo.save(buffer, format="JPEG", quality=85)
                _add_bytes(archive, f"flower_photos/{name}/{k:04d}.jpg", buffer.getvalue())


def build_cifar10(path: Path, rng) -> None:
    labels = np.arange(CIFAR_DISTINCT) % 10
    distinct = np.concatenate([class_images(int(label), 1, (32, 32), rng) for label in labels])
    rows = distinct.transpose(0, 3, 1, 2).reshape(CIFAR_DISTINCT, 3072)  # CIFAR's channel-first rows

    def batch(n: int, first_all: bool) -> bytes:
        # Runs of one image compress to almost nothing (gzip only sees 32 KB back); the first batch starts with
        # every distinct image once, so a slice of the first few hundred training images holds them all.
        runs = np.repeat(np.arange(CIFAR_DISTINCT), -(-n // CIFAR_DISTINCT))
        order = np.concatenate([np.arange(CIFAR_DISTINCT), runs])[:n] if first_all else runs[:n]
        return pickle.dumps({b"batch_label": b"stand-in", b"labels": labels[order].tolist(),
                             b"data": rows[order], b"filenames": [b"standin.png"] * n})

    with tarfile.open(path, "w:gz", compresslevel=6) as archive:
        _add_folder(archive, "cifar-10-batches-py")
        for i in range(1, 6):
            _add_bytes(archive, f"cifar-10-batches-py/data_batch_{i}", batch(10000, i == 1))
        _add_bytes(archive, "cifar-10-batches-py/test_batch", batch(CIFAR_TEST, True))
        names = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse", b"ship", b"truck"]
        _add_bytes(archive, "cifar-10-batches-py/batches.meta", pickle.dumps({b"label_names": names}))


def build_mobilenet(root: Path) -> None:
    import h5py
    import keras
    from keras.src.legacy.saving import legacy_h5_format

    for name, (include_top, size) in MOBILENET_FILES.items():
        keras.utils.set_random_seed(WEIGHTS_SEED)
        model = keras.applications.MobileNetV2(weights=None, include_top=include_top, input_shape=(size, size, 3))
        target = served_path(root, MOBILENET_BASE + name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with h5py.File(target, "w") as handle:
            legacy_h5_format.save_weights_to_hdf5_group(handle, model)
    index = {str(i): [f"n{i:08d}", f"standin_class_{i}"] for i in range(1000)}
    target = served_path(root, CLASS_INDEX_URL)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(index), encoding="utf-8")


def build_standins(root: Path = STANDINS, full_size: bool = False) -> Path:
    """Build every stand-in into ``root`` once (atomically: parallel test workers may race); ``full_size``: the
    flower photos at the real archive's count and sizes (see ``flower_photos``)."""
    stamp = root / "FORMAT"
    if stamp.is_file() and stamp.read_text() == FORMAT:
        return root
    staging = root.with_name(f"{root.name}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    rng = np.random.default_rng(0)
    for url, build in ((FLOWERS_URL, functools.partial(build_flowers, full_size=full_size)),
                       (CIFAR_URL, build_cifar10)):
        target = served_path(staging, url)
        target.parent.mkdir(parents=True, exist_ok=True)
        build(target, rng)
    build_mobilenet(staging)
    (staging / "FORMAT").write_text(FORMAT)
    if stamp.is_file() and stamp.read_text() == FORMAT:  # another worker finished first: keep what it serves
        shutil.rmtree(staging, ignore_errors=True)
        return root
    shutil.rmtree(root, ignore_errors=True)
    try:
        staging.rename(root)
    except OSError:  # another worker finished first: its build is the same
        shutil.rmtree(staging, ignore_errors=True)
    return root


def add_fashion_mnist(root: Path = STANDINS) -> bool:
    """Copy the real Fashion-MNIST files, checked, into ``root`` under Keras's URLs; False when none is found here.

    Kept out of ``build_standins``'s stamped build: the files come from this machine, not from generated bytes.
    """
    from course_utils import data

    found = data.find_fashion_mnist()
    if found is None or data._bad_files(found[1]):
        return False
    for name in data.FASHION_FILES:
        source, target = found[1] / name, served_path(root, FASHION_BASE + name)
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{name}.{os.getpid()}")
        shutil.copyfile(source, partial)
        partial.replace(target)  # atomic: parallel test workers may copy at once
    return True


class Mirror:
    """A loopback HTTP server over a stand-in folder, counting the requests for each path."""

    def __init__(self, root: Path):
        self.requests: dict[str, int] = {}
        self.once: dict[str, bytes] = {}  # path -> bytes to answer with, the next time only
        mirror = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self):
                payload = mirror.once.pop(self.path, None)
                if payload is None:
                    return super().do_GET()
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                mirror.requests[self.path] = mirror.requests.get(self.path, 0) + 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hits(self, url: str) -> int:
        return self.requests.get("/" + url.split("://", 1)[1], 0)

    def serve_once(self, url: str, payload: bytes) -> None:
        """Answer the next request for ``url`` with ``payload`` (a damaged copy, say), then serve the file again."""
        self.once["/" + url.split("://", 1)[1]] = payload

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_mirror(name: str = "main", full_size: bool = False) -> Mirror:
    """Serve the stand-ins and point this process (and the kernels it starts) at them: COURSE_TEST_MIRROR,
    downloads allowed, and a fresh Keras cache of its own under .cache, so every run downloads for real.
    ``full_size``: serve the full-size flower photos (built once into their own folder)."""
    root = build_standins(STANDINS.with_name(STANDINS.name + "-full-size"), full_size=True) if full_size \
        else build_standins()
    add_fashion_mnist(root)
    mirror = Mirror(root)
    keras_home = ROOT / ".cache" / "online-keras" / name
    shutil.rmtree(keras_home, ignore_errors=True)
    keras_home.mkdir(parents=True)
    os.environ.update({"COURSE_TEST_MIRROR": mirror.url, "COURSE_OFFLINE": "0", "KERAS_HOME": str(keras_home)})
    return mirror
