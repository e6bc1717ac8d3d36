import contextlib
import gzip
import http.server
import pickle
import shutil
import socket
import threading
import urllib.request

import numpy as np
import pytest

from course_utils import data


def test_fashion_mnist_is_the_real_data_set(fashion):
    assert fashion.x_train.shape == (60000, 28, 28) and fashion.x_test.shape == (10000, 28, 28)
    assert fashion.x_train.dtype == np.uint8
    assert np.bincount(fashion.y_train).tolist() == [6000] * 10  # balanced, as published
    assert fashion.y_train[:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert not fashion.is_standin
    (x_train, y_train), (x_test, y_test) = fashion  # unpacks like keras.datasets
    assert x_train is fashion.x_train and y_test is fashion.y_test


def test_fashion_mnist_subset_keeps_the_first_examples(fashion):
    small = data.load_fashion_mnist(n_train=100, n_test=10, verbose=False)
    assert np.array_equal(small.x_train, fashion.x_train[:100]) and len(small.y_test) == 10
    # a copy, not a view: a view would keep all 60,000 images in memory
    assert small.x_train.base is None and small.x_test.base is None
    with pytest.raises(ValueError, match="n_train must be a whole number from 1 to 60,000"):
        data.load_fashion_mnist(n_train=0)


@pytest.fixture
def fashion_copy(tmp_path, monkeypatch):
    """The four files copied into a COURSE_DATA_DIR we are free to damage."""
    _, source = data.find_fashion_mnist()
    for name in data.FASHION_FILES:
        shutil.copy(source / name, tmp_path / name)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    return tmp_path


def test_configured_folder_comes_first(fashion_copy):
    label, folder = data.find_fashion_mnist()
    assert label == "COURSE_DATA_DIR" and folder == fashion_copy


def test_missing_file_is_named_with_how_to_get_it(fashion_copy):
    (fashion_copy / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(data.DataError, match="lacks t10k-labels-idx1-ubyte.gz.*apt-get install dataset-fashion-mnist"):
        data.load_fashion_mnist()


def test_corrupt_file_is_named(fashion_copy):
    path = fashion_copy / "train-labels-idx1-ubyte.gz"
    content = bytearray(gzip.decompress(path.read_bytes()))
    content[100] ^= 0xFF  # one flipped label byte, still a valid gzip file
    path.write_bytes(gzip.compress(bytes(content)))
    with pytest.raises(data.DataError, match="train-labels-idx1-ubyte.gz is corrupt"):
        data.load_fashion_mnist()


def test_not_gzip_is_named(fashion_copy):
    (fashion_copy / "t10k-images-idx3-ubyte.gz").write_text("<html>404</html>")
    with pytest.raises(data.DataError, match="t10k-images-idx3-ubyte.gz is not a readable gzip file"):
        data.load_fashion_mnist()


@pytest.mark.parametrize("how", ["COURSE_OFFLINE", "unreachable"])
def test_cifar10_offline_gives_a_labelled_standin(how, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # nothing cached there
    if how == "COURSE_OFFLINE":
        monkeypatch.setenv("COURSE_OFFLINE", "1")
        monkeypatch.setattr(data, "network_reachable", lambda **kwargs: pytest.fail("network tried"))
    else:
        monkeypatch.delenv("COURSE_OFFLINE", raising=False)
        monkeypatch.setattr(data, "network_reachable", lambda **kwargs: False)
    cifar = data.load_cifar10(n_train=50, n_test=20)
    assert cifar.is_standin and "stand-in" in cifar.source
    assert cifar.x_train.shape == (50, 32, 32, 3) and cifar.x_train.dtype == np.uint8
    assert cifar.y_train.shape == (50, 1) and len(cifar.class_names) == 10
    assert "STAND-IN" in repr(cifar)
    printed = capsys.readouterr().out.strip().splitlines()
    assert len(printed) == 1 and printed[0].startswith("CIFAR-10 STAND-IN")


def test_cifar10_is_fetched_with_keras_own_download_arguments():
    # load_cifar10 calls get_file as keras.datasets.cifar10.load_data() does: if Keras moves its archive or changes
    # its hash, this fails instead of the course downloading something else
    import inspect

    from keras.src.datasets import cifar10

    source = inspect.getsource(cifar10.load_data)
    for key in ("fname", "origin", "file_hash"):
        assert repr(data._CIFAR10_GET_FILE[key]).strip("'") in source.replace('"', "'"), key
    assert "extract=True" in source


def test_cifar10_batches_are_read_as_keras_reads_them(tmp_path):
    from keras.src.datasets.cifar import load_batch

    rng = np.random.default_rng(0)
    for name, n in (("data_batch_1", 7), ("data_batch_2", 7)):
        rows = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
        labels = rng.integers(0, 10, n).tolist()
        (tmp_path / name).write_bytes(pickle.dumps({b"data": rows, b"labels": labels}))
    x, y = data._read_cifar10(tmp_path, ("data_batch_1", "data_batch_2"), 10)  # all of one batch, part of the next
    images = [load_batch(str(tmp_path / name)) for name in ("data_batch_1", "data_batch_2")]
    expected_x = np.concatenate([batch[0] for batch in images]).transpose(0, 2, 3, 1)[:10]
    expected_y = np.concatenate([batch[1] for batch in images])[:10]
    assert x.dtype == y.dtype == np.uint8 and x.shape == (10, 32, 32, 3) and y.shape == (10, 1)
    assert np.array_equal(x, expected_x) and np.array_equal(y[:, 0], expected_y)
    with pytest.raises(data.DataError, match="hold 14 images where 20 were asked for"):
        data._read_cifar10(tmp_path, ("data_batch_1", "data_batch_2"), 20)


class _Answering(http.server.BaseHTTPRequestHandler):
    """A loopback web server (or proxy) that answers every request and keeps the targets it was asked for."""

    asked: list[str] = []

    def _answer(self):
        self.asked.append(self.path)
        self.send_response(404)  # any answer means the network path works
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def answering_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answering)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def no_mirror_no_proxy(monkeypatch):
    monkeypatch.delenv("COURSE_TEST_MIRROR", raising=False)  # online test runs set it: it would be asked instead
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    # urllib builds its opener, with the proxies it read then, at its first download and keeps it (so does a
    # kernel); each test gets a fresh one, read from its own environment and never the mirror's
    monkeypatch.setattr(urllib.request, "_opener", None)


def test_reachability_probe_on_loopback(no_mirror_no_proxy):
    with answering_server() as port:
        assert data.network_reachable(("127.0.0.1", port), timeout=2) is True
    assert data.network_reachable(("127.0.0.1", port), timeout=2) is False  # closed now
    with socket.socket() as silent:  # accepts connections but never answers: a download would not start
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        assert data.network_reachable(("127.0.0.1", silent.getsockname()[1]), timeout=0.5) is False
    with pytest.raises(TypeError, match=r"host must be a \(name, port\) pair .* not 'www.cs.toronto.edu'"):
        data.network_reachable("www.cs.toronto.edu")


def test_the_probe_goes_through_a_proxy_as_downloads_do(no_mirror_no_proxy, monkeypatch):
    # ".invalid" never resolves: only a proxy can reach it, as behind a school's or a company's proxy
    host = ("course-probe.invalid", 80)
    assert data.network_reachable(host, timeout=2) is False
    with answering_server() as port:
        _Answering.asked.clear()
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{port}")
        monkeypatch.setattr(urllib.request, "_opener", None)  # as in a kernel started with the proxy set
        assert data.network_reachable(host, timeout=2) is True
        assert _Answering.asked == ["http://course-probe.invalid/"]


def test_sample_photos():
    china = data.sample_image("china")
    assert china.shape == (427, 640, 3) and china.dtype == np.uint8
    gray = data.sample_image("flower", gray=True)
    assert gray.shape == (427, 640) and 0 <= gray.min() and gray.max() <= 255
    with pytest.raises(ValueError, match="name must be one of 'china', 'flower'"):
        data.sample_image("cat")


def test_logic_gates():
    x, y = data.logic_gate("xor")
    assert x.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]
    with pytest.raises(ValueError, match="'AND', 'OR', 'NAND', 'NOR', 'XOR'"):
        data.logic_gate("XNOR")


def test_normalize():
    out = data.normalize(np.array([0, 51, 255], dtype=np.uint8))
    assert out.dtype == np.float32 and np.allclose(out, [0, 0.2, 1])
    with pytest.raises(ValueError, match="normalized already"):
        data.normalize(np.array([-0.5, 0.5]))
    with pytest.raises(TypeError, match="numeric"):
        data.normalize(np.array(["a"]))


def test_one_hot_matches_keras(keras):
    labels = np.array([3, 0, 9, 3])
    assert np.array_equal(data.one_hot(labels, 10), keras.utils.to_categorical(labels, 10))
    assert np.array_equal(data.one_hot(labels[:, None], 10), data.one_hot(labels, 10))  # (N, 1) like CIFAR
    with pytest.raises(ValueError, match="allows 0..2"):
        data.one_hot(labels, 3)
    with pytest.raises(TypeError, match="whole numbers"):
        data.one_hot(np.array([0.5]))


def test_train_val_split_is_stratified(fashion):
    x, y = fashion.x_train[:1000], fashion.y_train[:1000]
    (x_train, y_train), (x_val, y_val) = data.train_val_split(x, data.one_hot(y, 10), val_fraction=0.2)
    assert len(x_train) == 800 and len(x_val) == 200
    assert np.allclose(np.bincount(y_val.argmax(1), minlength=10) / 200, np.bincount(y, minlength=10) / 1000,
                       atol=0.01)
    with pytest.raises(ValueError, match=r"val_fraction must be a number in \(0, 1\)"):
        data.train_val_split(x, y, val_fraction=1.5)
    with pytest.raises(ValueError, match="x has 1000 rows but y has 10"):
        data.train_val_split(x, y[:10])


@pytest.fixture
def partial_keras_cache(tmp_path, monkeypatch):
    """An interrupted download: the Keras cache holds the training images, cut short, and one label file."""
    _, source = data.find_fashion_mnist()
    cache = tmp_path / "keras" / "datasets" / "fashion-mnist"
    cache.mkdir(parents=True)
    (cache / "train-images-idx3-ubyte.gz").write_bytes((source / "train-images-idx3-ubyte.gz").read_bytes()[:5000])
    shutil.copy(source / "train-labels-idx1-ubyte.gz", cache)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    return cache, source


def test_a_partial_keras_cache_falls_back_to_the_debian_copy(partial_keras_cache, monkeypatch):
    cache, source = partial_keras_cache
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", source)
    loaded = data.load_fashion_mnist(n_train=10, n_test=10, verbose=False)
    assert loaded.source == "Debian package dataset-fashion-mnist" and len(loaded.x_train) == 10
    assert "train-images-idx3-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz" in loaded.notes[0]
    assert f"delete {cache}" in loaded.notes[1]


def test_a_partial_keras_cache_offline_names_the_folder_to_delete(partial_keras_cache, monkeypatch, tmp_path):
    cache, _ = partial_keras_cache
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", tmp_path / "no-debian-package")
    monkeypatch.setenv("COURSE_OFFLINE", "1")
    with pytest.raises(data.DataError, match=f"incomplete or damaged.*delete that folder \\(rm -r '{cache}'\\)"):
        data.load_fashion_mnist()
    assert (cache / "train-labels-idx1-ubyte.gz").is_file()  # offline: nothing is removed


def test_a_partial_keras_cache_online_downloads_the_bad_files_again(partial_keras_cache, monkeypatch, tmp_path):
    import keras

    cache, source = partial_keras_cache
    monkeypatch.setattr(data, "DEBIAN_FASHION_DIR", tmp_path / "no-debian-package")
    monkeypatch.setenv("COURSE_OFFLINE", "0")
    seen = {}

    def fake_download():  # what Keras finds in its cache when it starts: it re-fetches only missing files
        seen["left"] = sorted(p.name for p in cache.iterdir())
        for name in data.FASHION_FILES:
            shutil.copy(source / name, cache)
        return data._load_fashion_from(cache)

    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", fake_download)
    loaded = data.load_fashion_mnist(n_train=5, n_test=5, verbose=False)
    assert seen["left"] == ["train-labels-idx1-ubyte.gz"]  # the cut-short file was removed, the good one kept
    assert loaded.source.startswith("keras.datasets") and "Downloading" in loaded.notes[-1]


def test_normalize_gives_the_values_of_one_division_block_by_block(rng, monkeypatch):
    """Blocks keep the float64 temporary small (CIFAR-10 at once would take 1.2 GB); the values must not change."""
    from course_utils import data

    monkeypatch.setattr(data, "_NORMALIZE_BLOCK", 1000)  # many blocks, one cut mid-image
    for images in (rng.integers(0, 256, (7, 28, 28), dtype=np.uint8), rng.random((5, 33)) * 255,
                   rng.integers(0, 256, (4, 6), dtype=np.uint8).T):  # the last is not contiguous
        result = data.normalize(images)
        assert result.dtype == np.float32 and result.shape == images.shape
        assert np.array_equal(result, (np.asarray(images) / 255.0).astype(np.float32))
    assert data.normalize(np.zeros((0, 3))).shape == (0, 3)
