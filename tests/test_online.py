"""The online paths, run for real against stand-ins on loopback (tests/online.py, course_utils.mirror)."""

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
    server = online.Mirror(online.build_standins())
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


DOWNLOADS = """
import json
import numpy as np
import course_utils as cu
cu.setup(verbose=False)
import keras
from pathlib import Path

results = {}
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
    assert results["weights_loaded"] and results["other_seed_differs"]
    assert results["decoded"] == ["n00000003", "standin_class_3"]
    for url in (online.CIFAR_URL, online.FLOWERS_URL, online.CLASS_INDEX_URL):  # once: the second run read the cache
        assert served.hits(url) - before[url] == 1, url
    assert served.hits(online.MOBILENET_BASE + online.MOBILENET_FILES[True]) >= 1
    assert (tmp_path / "keras" / "datasets" / "cifar-10-batches-py-target_archive").is_file()
