"""The online paths, run for real against stand-ins on loopback (tests/online.py, course_utils.mirror)."""

import gzip
import json
import os
import socket
import subprocess
import sys

import pytest

from course_utils import data, mirror
from tests import online


@pytest.fixture(scope="module")
def served():
    root = online.build_standins()
    server = online.Mirror(root)
    server.fashion_mnist = online.add_fashion_mnist(root)  # the real files, when this machine has them
    yield server
    server.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_under_the_mirror_the_probe_asks_the_mirror(monkeypatch, served):
    # without the mirror: tests/test_data.py::test_reachability_probe_on_loopback
    monkeypatch.setenv(mirror.VARIABLE, served.url)
    assert data.network_reachable(("www.cs.toronto.edu", 443), timeout=2)
    monkeypatch.setenv(mirror.VARIABLE, f"http://127.0.0.1:{closed_port()}")
    assert not data.network_reachable(("www.cs.toronto.edu", 443), timeout=2)


@pytest.mark.parametrize("value", ["https://127.0.0.1:8000", "http://example.com:80", "http://127.0.0.1",
                                   "ftp://localhost:21"])
def test_the_mirror_must_be_a_loopback_http_server(monkeypatch, value):
    monkeypatch.setenv(mirror.VARIABLE, value)
    with pytest.raises(ValueError, match="COURSE_TEST_MIRROR=.*http://127.0.0.1:PORT"):
        mirror.base_url()


def test_mirrored_urls():
    base = "http://127.0.0.1:8000"
    assert mirror.mirrored(online.FLOWERS_URL, base) == (
        base + "/storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz")
    assert mirror.mirrored("https://h.org/a?b=1", base) == base + "/h.org/a?b=1"
    assert mirror.mirrored(base + "/h.org/a", base) == base + "/h.org/a"
    # a server of this machine's own (the browser test's notebook server) is reached directly, not through it
    for local in ("http://127.0.0.1:8888/api/status?token=t", "http://localhost:8000/hub/", "http://[::1]:9/x"):
        assert mirror.mirrored(local, base) == local


DOWNLOADS = """
import json
import numpy as np
import course_utils as cu
cu.setup(verbose=False)
import keras
from pathlib import Path

results = {}
cifar = cu.data.load_cifar10(n_train=12000, n_test=100)  # downloads; Keras's own loader then finds its cache
(x_keras, y_keras), (x_keras_test, _) = keras.datasets.cifar10.load_data()
results["cifar_as_keras"] = all(np.array_equal(a, b) for a, b in zip(
    (cifar.x_train, cifar.y_train, cifar.x_test), (x_keras[:12000], y_keras[:12000], x_keras_test[:100])))
del x_keras, y_keras, x_keras_test
for run in (1, 2):
    cifar = cu.data.load_cifar10(n_train=1000, n_test=100)
    results[f"cifar{run}"] = [cifar.is_standin, list(cifar.x_train.shape), list(cifar.y_train.shape),
                              list(cifar.x_test.shape), cu.data.cifar10_cached()]
    folder = Path(keras.utils.get_file("flower_photos", origin=FLOWERS_URL, extract=True))
    photos = folder / "flower_photos" if (folder / "flower_photos").is_dir() else folder
    results[f"flowers{run}"] = sorted((p.name, len(list(p.glob("*.jpg")))) for p in photos.iterdir() if p.is_dir())
    model = keras.applications.MobileNetV2(weights="imagenet")
keras.utils.set_random_seed(WEIGHTS_SEED)
same_seed = keras.applications.MobileNetV2(weights=None)
results["weights_loaded"] = all(np.array_equal(a, b) for a, b in zip(model.get_weights(), same_seed.get_weights()))
keras.utils.set_random_seed(WEIGHTS_SEED + 1)
other_seed = keras.applications.MobileNetV2(weights=None)
results["other_seed_differs"] = not all(np.array_equal(a, b) for a, b in zip(model.get_weights(),
                                                                                   other_seed.get_weights()))
top = keras.applications.mobilenet_v2.decode_predictions(np.eye(1000)[[3]], top=1)[0][0]
results["decoded"] = list(top[:2])
print("RESULTS", json.dumps(results))
"""


def test_downloads_run_for_real_and_a_second_run_uses_the_cache(served, tmp_path):
    env = {**os.environ, mirror.VARIABLE: served.url, "COURSE_OFFLINE": "0", "KERAS_HOME": str(tmp_path / "keras")}
    prelude = f"FLOWERS_URL = {online.FLOWERS_URL!r}\nWEIGHTS_SEED = {online.WEIGHTS_SEED}\n"
    before = {url: served.hits(url) for url in (online.CIFAR_URL, online.FLOWERS_URL, online.CLASS_INDEX_URL)}
    result = subprocess.run([sys.executable, "-c", prelude + DOWNLOADS], env=env, capture_output=True, text=True,
                            timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads(result.stdout.split("RESULTS ", 1)[1])
    for run in (1, 2):
        assert results[f"cifar{run}"] == [False, [1000, 32, 32, 3], [1000, 1], [100, 32, 32, 3], True]
        assert results[f"flowers{run}"] == [[name, online.PHOTOS_PER_CLASS] for name in online.FLOWER_CLASSES]
    assert results["cifar_as_keras"]
    assert results["weights_loaded"] and results["other_seed_differs"]
    assert results["decoded"] == ["n00000003", "standin_class_3"]
    for url in (online.CIFAR_URL, online.FLOWERS_URL, online.CLASS_INDEX_URL):  # once: the second run read the cache
        assert served.hits(url) - before[url] == 1, url
    with_top = next(name for name, (include_top, _) in online.MOBILENET_FILES.items() if include_top)
    assert served.hits(online.MOBILENET_BASE + with_top) >= 1
    assert (tmp_path / "keras" / "datasets" / "cifar-10-batches-py-target_archive").is_file()


# First in every script below: a connection anywhere but loopback fails, so these tests never reach the network.
LOOPBACK_ONLY = """
import socket
_connect = socket.socket.connect
def _loopback_only(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1", "localhost"):
        raise OSError(f"this test may connect to loopback only, not {address}")
    return _connect(sock, address)
socket.socket.connect = _loopback_only
"""

FASHION_URLS = {name: online.FASHION_BASE + name for name in data.FASHION_FILES}


def run_script(script: str, served, tmp_path, **env) -> dict:
    """Run ``script`` in a fresh Python under the mirror, with an empty Keras cache; what it printed after RESULTS."""
    env = {**os.environ, mirror.VARIABLE: served.url, "COURSE_OFFLINE": "0", "KERAS_HOME": str(tmp_path / "keras"),
           **env}
    result = subprocess.run([sys.executable, "-c", LOOPBACK_ONLY + script], env=env, capture_output=True, text=True,
                            timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.split("RESULTS ", 1)[1])


def require_fashion_mnist(served):
    if not served.fashion_mnist:
        pytest.fail("the mirror serves the real Fashion-MNIST files, but none were found here: "
                    "./course.sh installs the Debian package dataset-fashion-mnist")


KERAS_FASHION = """
import json
from course_utils import data, mirror
assert mirror.activate()  # as cu.setup() does under the tests' mirror
import keras

results = {}
for run in (1, 2):
    arrays = keras.datasets.fashion_mnist.load_data()
    (x_train, y_train), (x_test, y_test) = arrays
    results[f"shapes{run}"] = [list(a.shape) for a in (x_train, y_train, x_test, y_test)]
    data._check_download(arrays)  # the published files' SHA-256: raises if anything differs
print("RESULTS", json.dumps(results))
"""


def test_keras_downloads_the_real_fashion_mnist_from_the_mirror_and_a_second_load_reads_the_cache(served, tmp_path):
    """keras.datasets.fashion_mnist.load_data() downloads and caches for real; the bytes are the real files.

    Keras itself checks no hash of these files (its loader passes none to get_file); course_utils checks them,
    and the next test shows a damaged download being caught."""
    require_fashion_mnist(served)
    before = {name: served.hits(url) for name, url in FASHION_URLS.items()}
    results = run_script(KERAS_FASHION, served, tmp_path)
    for run in (1, 2):
        assert results[f"shapes{run}"] == [[60000, 28, 28], [60000], [10000, 28, 28], [10000]]
    cache = tmp_path / "keras" / "datasets" / "fashion-mnist"
    assert sorted(path.name for path in cache.iterdir()) == sorted(data.FASHION_FILES)
    assert {name: served.hits(url) - before[name] for name, url in FASHION_URLS.items()} == dict.fromkeys(
        data.FASHION_FILES, 1)  # once each: the second load read the cache


COURSE_FASHION = """
import json
from pathlib import Path
import course_utils as cu
cu.setup(verbose=False)
from course_utils import data
data.DEBIAN_FASHION_DIR = Path("no-debian-package")  # as on Colab: nothing local

results = {"found": data.find_fashion_mnist() is not None}
try:
    data.load_fashion_mnist(verbose=False)
    results["first"] = "loaded"
except data.DataError as error:
    results["first"] = str(error)
for run in ("second", "third"):
    loaded = data.load_fashion_mnist(verbose=False)
    results[run] = [loaded.source, loaded.notes, len(loaded.x_train), len(loaded.x_test), int(loaded.y_train[0])]
print("RESULTS", json.dumps(results))
"""


def test_course_utils_downloads_fashion_mnist_when_nothing_is_local_and_names_a_damaged_download(served, tmp_path):
    require_fashion_mnist(served)
    labels = online.served_path(online.STANDINS, FASHION_URLS["train-labels-idx1-ubyte.gz"]).read_bytes()
    content = bytearray(gzip.decompress(labels))
    content[100] ^= 0xFF  # one label changed, still a valid gzip file: only a hash check can tell
    served.serve_once(FASHION_URLS["train-labels-idx1-ubyte.gz"], gzip.compress(bytes(content)))
    before = {name: served.hits(url) for name, url in FASHION_URLS.items()}
    (tmp_path / "data").mkdir()
    results = run_script(COURSE_FASHION, served, tmp_path, COURSE_DATA_DIR=str(tmp_path / "data"))

    assert results["found"] is False
    cache = tmp_path / "keras" / "datasets" / "fashion-mnist"
    assert results["first"].startswith(
        f"train-labels-idx1-ubyte.gz, just downloaded by keras.datasets.fashion_mnist into {cache}, is corrupt")
    source, notes, n_train, n_test, first_label = results["second"]  # the damaged file fetched again, and checked
    assert source == "keras.datasets.fashion_mnist (downloaded)" and (n_train, n_test, first_label) == (60000, 10000, 9)
    assert notes[-1] == "Downloading train-labels-idx1-ubyte.gz again."
    assert results["third"][:1] == ["Keras cache"] and results["third"][2:] == [60000, 10000, 9]
    assert {name: served.hits(url) - before[name] for name, url in FASHION_URLS.items()} == {
        **dict.fromkeys(data.FASHION_FILES, 1), "train-labels-idx1-ubyte.gz": 2}


def test_full_size_flower_stand_in_has_the_real_archives_count_and_sizes():
    """The recorded online run's times are what a student reads, so its photos are as many and as large as the
    real ones (the tests' own runs use the small set)."""
    import numpy as np

    assert tuple(online.REAL_FLOWER_COUNTS) == online.FLOWER_CLASSES
    assert sum(online.REAL_FLOWER_COUNTS.values()) == 3670  # what notebook 10 tells a student offline
    photos = online.flower_photos(1, "dandelion", np.random.default_rng(0), full_size=True)
    assert len(photos) == 898 and {photo.size[::-1] for photo in photos} == set(online.REAL_PHOTO_SIZES)
    small = online.flower_photos(1, "dandelion", np.random.default_rng(0), full_size=False)
    assert len(small) == online.PHOTOS_PER_CLASS and {photo.size for photo in small} == {(64, 48)}
