"""Notebooks 10 and 11: the shipped source model, the transfer helpers, IoU and the architecture formulas."""

import numpy as np
import pytest

from course_utils import reference, transfer

# ----------------------------------------------------------------- the shipped source model


def test_shipped_source_model_loads_and_scores_what_the_script_recorded(keras, fashion):
    size = transfer.SOURCE_WEIGHTS_PATH.stat().st_size
    assert size < 1024 * 1024, f"{size} bytes: the shipped model must stay well under 1 MB"
    model = transfer.load_source_model()
    record = transfer.source_record()
    assert record["classes"] == list(transfer.SOURCE_CLASSES) and model.output_shape == (None, 8)
    assert record["architecture"] == {k: list(v) if isinstance(v, tuple) else v
                                      for k, v in transfer.SOURCE_ARCHITECTURE.items()}
    x_test, y_test = transfer.relabel(fashion.x_test[..., None], fashion.y_test, transfer.SOURCE_CLASSES)
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    assert abs(accuracy - record["test_accuracy"]) < 0.002 and accuracy > 0.9


def test_relabel_and_few_labels():
    x = np.arange(10)[:, None]
    y = np.array([0, 6, 1, 6, 0, 2, 6, 0, 3, 0])
    kept_x, kept_y = transfer.relabel(x, y, transfer.TARGET_CLASSES)   # T-shirt/top = 0, Shirt = 6
    assert kept_x.ravel().tolist() == [0, 1, 3, 4, 6, 7, 9] and kept_y.tolist() == [0, 1, 1, 0, 1, 0, 0]
    few_x, few_y = transfer.few_labels(kept_x, kept_y, per_class=2, seed=0)
    assert sorted(few_y.tolist()) == [0, 0, 1, 1] and len(set(few_x.ravel())) == 4
    with pytest.raises(ValueError, match="names must be one of"):
        transfer.relabel(x, y, ("Shirt", "Hat"))


# ----------------------------------------------------------------- localization


def test_boxes_enclose_exactly_the_item(fashion):
    images = fashion.x_train[:20] / 255.0
    canvases, boxes = transfer.place_on_canvas(images, size=56, seed=0)
    assert canvases.shape == (20, 56, 56, 1) and np.all((0 <= boxes) & (boxes <= 1))
    for canvas, box in zip(canvases[..., 0], boxes):
        x0, y0, x1, y1 = np.round(box * 56).astype(int)
        inside = canvas[y0:y1, x0:x1]
        assert canvas.sum() == pytest.approx(inside.sum(), rel=0.02)  # almost every bright pixel is inside
        assert inside[0].max() > 0.1 and inside[-1].max() > 0.1 and inside[:, 0].max() > 0.1  # and it is tight


def test_iou_matches_counting_pixels(rng):
    corners = rng.random((60, 2, 2))
    boxes = np.concatenate([corners.min(axis=1), corners.max(axis=1)], axis=1)
    ours = reference.iou(boxes[:30], boxes[30:])
    counted = np.array([transfer.pixel_iou(a, b) for a, b in zip(boxes[:30], boxes[30:])])
    assert np.abs(ours - counted).max() < 0.02
    assert reference.iou([0, 0, 2, 2], [1, 1, 3, 3]) == pytest.approx(1 / 7)
    assert reference.iou([0, 0, 1, 1], [2, 2, 3, 3]) == 0 and reference.iou([0, 0, 1, 1], [0, 0, 1, 1]) == 1
    with pytest.raises(ValueError, match="x_max >= x_min"):
        reference.iou([1, 0, 0, 1], [0, 0, 1, 1])
    with pytest.raises(ValueError, match="end in 4 numbers"):
        reference.iou([0, 0, 1], [0, 0, 1, 1])


def test_localization_model_has_a_class_and_a_box_head(keras):
    model = transfer.localization_model(size=56)
    out = model(np.zeros((2, 56, 56, 1), dtype="float32"))
    assert out["label"].shape == (2, 10) and out["box"].shape == (2, 4)
    assert np.all((out["box"].numpy() >= 0) & (out["box"].numpy() <= 1))


# ----------------------------------------------------------------- the ImageNet path, on random weights


@pytest.mark.parametrize("name", list(transfer.APPLICATIONS))
def test_online_code_runs_on_random_weights(keras, name):
    model, preprocess, decode = transfer.application(name, weights=None)
    photos = transfer.photos_for(model)
    assert photos.shape == (2, 224, 224, 3) and photos.max() > 100   # 0-255, as preprocess_input expects
    probabilities = model.predict(preprocess(photos.copy()), verbose=0)
    assert probabilities.shape == (2, 1000) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-4)
    base, _, _ = transfer.application(name, weights=None, include_top=False, input_shape=(96, 96, 3))
    head = transfer.transfer_model(base, n_classes=5)
    assert head.output_shape == (None, 5)
    base.trainable = False
    assert head.count_params() - sum(int(np.prod(w.shape)) for w in head.trainable_weights) == base.count_params()


def test_mobilenet_preprocessing_scales_to_plus_minus_one(keras):
    _, preprocess, _ = transfer.application("MobileNetV2")
    assert np.allclose(preprocess(np.array([0.0, 127.5, 255.0])), [-1, 0, 1])


# ----------------------------------------------------------------- architecture formulas (notebook 11)


def test_separable_convolution_counts_and_costs(keras):
    from keras import layers

    layer = layers.SeparableConv2D(256, 3, padding="same")
    layer.build((None, 19, 19, 128))
    assert layer.count_params() == reference.separable_conv2d_params(3, 128, 256)
    ratio = reference.separable_conv2d_macs(19, 19, 3, 128, 256) / reference.conv2d_macs(19, 19, 3, 128, 256)
    assert ratio == pytest.approx(1 / 256 + 1 / 9)


def test_se_block_count_matches_keras(keras):
    from keras import layers

    inputs = keras.Input((7, 7, 512))
    w = layers.Dense(32, activation="relu")(layers.GlobalAveragePooling2D()(inputs))
    w = layers.Dense(512, activation="sigmoid")(w)
    model = keras.Model(inputs, layers.Multiply()([inputs, layers.Reshape((1, 1, 512))(w)]))
    assert model.count_params() == reference.se_block_params(512, 16) == 33_312


def test_local_response_norm_matches_tensorflow(keras):
    import tensorflow as tf

    x = np.random.default_rng(0).random((2, 3, 3, 9)).astype("float32") * 4
    ours = reference.local_response_norm(x, depth_radius=2, bias=2.0, alpha=1e-3, beta=0.75)
    theirs = tf.nn.local_response_normalization(x, depth_radius=2, bias=2.0, alpha=1e-3, beta=0.75).numpy()
    assert np.allclose(ours, theirs, atol=1e-5) and not np.allclose(ours, x / 2 ** 0.75, atol=1e-3)


def test_unfreeze_keeps_batch_norm_statistics(keras, fashion):
    from keras import layers

    x, y = fashion.x_train[:64, :, :, None], (fashion.y_train[:64] == 0).astype(int)
    drift = {}
    for batch_norm in (False, True):
        source = transfer.load_source_model()
        base = keras.Model(source.inputs, source.get_layer("relu_dense").output)
        inputs = keras.Input((28, 28, 1))
        model = keras.Model(inputs, layers.Dense(2, activation="softmax")(base(inputs, training=False)))
        before = base.get_layer("bn1").moving_mean.numpy().copy()
        kept = transfer.unfreeze(base, batch_norm=batch_norm)
        assert kept == (0 if batch_norm else 3)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x, y, epochs=1, batch_size=32, verbose=0)
        drift[batch_norm] = np.abs(base.get_layer("bn1").moving_mean.numpy() - before).max()
    # training=False on the call does not protect batch norm in Keras 3; frozen layers do
    assert drift[False] == 0 and drift[True] > 0


# ----------------------------------------------------------------- the flower photos' three-way split


def test_keras_held_out_photos_split_into_fixed_disjoint_validation_and_test_parts(tmp_path, keras):
    """Notebook 10 splits Keras's held-out quarter with take/skip: that needs the held-out photos in a fixed order."""
    from PIL import Image

    for k, name in enumerate(("a", "b")):
        (tmp_path / name).mkdir()
        for i in range(20):   # every photo a different grey, so each can be recognised after loading
            Image.fromarray(np.full((12, 16, 3), 6 * i + 3 * k, dtype=np.uint8)).save(tmp_path / name / f"{i}.jpg")
    train, held_out = keras.utils.image_dataset_from_directory(
        tmp_path, validation_split=0.25, subset="both", seed=0, image_size=(12, 16), batch_size=None)
    n_val = 6
    val, test = held_out.take(n_val), held_out.skip(n_val)

    def greys(dataset):
        return [round(float(x.numpy().mean())) for x, _ in dataset]

    assert (len(train.file_paths), len(held_out.file_paths)) == (30, 10)
    assert greys(val) == greys(val) and greys(test) == greys(test)        # the same photos on every pass
    assert len(greys(val)) == n_val and not set(greys(val)) & set(greys(test))
    assert len(set(greys(train)) | set(greys(val)) | set(greys(test))) == 40


def test_canvases_keep_uint8_pixels_and_find_the_same_boxes(fashion):
    from course_utils import data

    raw = fashion.x_train[:50]
    canvases, boxes = transfer.place_on_canvas(raw, size=56, seed=3)
    float_canvases, float_boxes = transfer.place_on_canvas(data.normalize(raw), size=56, seed=3)
    assert canvases.dtype == np.uint8 and float_canvases.dtype == np.float32
    np.testing.assert_array_equal(boxes, float_boxes)
    np.testing.assert_allclose(data.normalize(canvases), float_canvases)
