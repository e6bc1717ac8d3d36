"""Notebook 09's tools: test-set optimism, curve diagnosis, L2, gradient noise, the tuning lab, keras-tuner."""

import copy

import numpy as np
import pytest

from course_utils import models, reference, training, tuning, widgets
from course_utils.checks import ex09

# ----------------------------------------------------------------- pure computation


def test_choosing_on_the_scoring_set_flatters_the_winner(rng):
    # ten equally good models (80 % right, independently): any winner is luck, and its choosing score shows it
    correct = (rng.random((10, 4000)) < 0.8).astype(int)
    result = reference.selection_optimism(correct, n_select=200, n_splits=300)
    assert result["optimism"].mean() > 0.02
    assert abs(result["fresh_score"].mean() - 0.8) < 0.01
    larger = reference.selection_optimism(correct, n_select=2000, n_splits=300)
    assert larger["optimism"].mean() < result["optimism"].mean() / 2


def test_one_model_has_no_optimism(rng):
    correct = (rng.random((1, 4000)) < 0.8).astype(int)
    assert abs(reference.selection_optimism(correct, n_select=200, n_splits=500)["optimism"].mean()) < 0.005


def test_a_clear_winner_is_chosen_every_time(rng):
    correct = np.vstack([(rng.random((1, 3000)) < 0.95), (rng.random((3, 3000)) < 0.6)]).astype(int)
    result = reference.selection_optimism(correct, n_select=500, n_splits=50)
    assert np.all(result["chosen_score"] > 0.9) and abs(result["optimism"].mean()) < 0.01


@pytest.mark.parametrize("correct, n_select, fragment", [
    ([[0, 1, 2, 1]], 2, "only 0 and 1"),
    ([[0, 1, 1, 1]], 4, "n_select must be a whole number in [1, 3]"),
    ([0, 1, 1], 1, "2 dimensions"),
])
def test_selection_optimism_refuses_bad_input(correct, n_select, fragment):
    with pytest.raises(ValueError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        reference.selection_optimism(correct, n_select=n_select)


def test_curve_diagnosis_reads_the_three_shapes():
    falling = np.linspace(1.0, 0.2, 10)
    assert reference.diagnose_curves(falling, falling + 0.05, high_loss=0.6) == "good fit"
    assert reference.diagnose_curves(falling + 1.0, falling + 1.05, high_loss=0.6) == "underfitting"
    turning = np.concatenate([np.linspace(1.0, 0.5, 5), np.linspace(0.55, 0.8, 5)])
    assert reference.diagnose_curves(falling, turning, high_loss=0.6) == "overfitting"
    flat = np.linspace(0.9, 0.55, 10)  # validation still falling a little, but far above training
    assert reference.diagnose_curves(falling, flat, high_loss=0.6) == "overfitting"
    assert reference.diagnose_curves(falling, flat, high_loss=0.6, gap=3.0) == "good fit"
    # dropout or augmentation: training loss (measured with them on) above a low validation loss
    assert reference.diagnose_curves(falling + 0.3, falling, high_loss=0.4) == "good fit"
    assert reference.diagnose_curves(falling + 0.3, falling + 0.25, high_loss=0.4) == "underfitting"
    assert ex09.EXPECTED_DIAGNOSES == {"A": "overfitting", "B": "underfitting", "C": "good fit"}
    with pytest.raises(ValueError, match="same length"):
        reference.diagnose_curves(falling, falling[:5], high_loss=0.6)


def test_l2_penalty_is_what_keras_adds(keras):
    weights = np.array([[0.5, -1.0], [2.0, 0.0]])
    ours = reference.l2_penalty(weights, 0.01)
    assert ours == pytest.approx(float(keras.regularizers.L2(0.01)(weights.astype("float32"))), rel=1e-6)
    assert ours == pytest.approx(ex09.l2_by_hand.example_answer[0])


def test_small_cnn_regularizers_and_augmentation(keras):
    plain, penalised = models.small_cnn(), models.small_cnn(l2=1e-3)
    assert not plain.losses and len(penalised.losses) == 4  # two conv kernels, the Dense kernel, the output kernel
    augmented = models.small_cnn(augmentation="flip + shift + zoom")
    kinds = [type(layer).__name__ for layer in augmented.layers[1:5]]
    assert kinds == ["Rescaling", "RandomFlip", "RandomTranslation", "RandomZoom"]  # scaled, then augmented
    x = np.random.default_rng(0).random((4, 28, 28, 1)).astype("float32")
    assert np.array_equal(augmented(x, training=False), augmented(x, training=False))  # inference: no change
    assert not np.allclose(augmented(x, training=True), augmented(x, training=False))
    with pytest.raises(ValueError, match="augmentation must be one of"):
        models.small_cnn(augmentation="vertical flip")


# ----------------------------------------------------------------- training helpers


def test_gradient_noise_shrinks_like_one_over_the_square_root_of_the_batch(keras, fashion):
    x = fashion.x_train[:1024, :, :, None]
    keras.utils.set_random_seed(0)
    model = models.small_cnn(batch_norm=True)
    noise = tuning.gradient_noise(model, x, fashion.y_train[:1024], batch_sizes=(16, 64, 256), n_batches=10)
    assert noise[16] > noise[64] > noise[256]
    assert 2.5 < noise[16] / noise[256] < 6  # sqrt(16) = 4


def test_improvement_rounds_all_train(keras, fashion):
    # one round of each kind: the linear model, a constant rate, the one-cycle schedule, batch norm after pooling
    # with no dropout (notebook 09's quick run, under nbval, trains every round)
    x, y = fashion.x_train[:256, :, :, None], fashion.y_train[:256]
    for name in ("linear model", "the seeds' CNN", "+ peak 0.008", "narrower (16/32)"):
        result = tuning.improvement_round(name, x, y, x[:64], y[:64], epochs=1)
        assert result["parameters"] > 7000 and 0 <= result["val_accuracy"] <= 1 and result["seconds"] > 0, name


def test_each_improvement_round_changes_exactly_one_setting():
    names = list(tuning.IMPROVEMENT_ROUNDS)
    for before, after in zip(names[1:], names[2:]):
        old, new = tuning.round_settings(before), tuning.round_settings(after)
        assert len([key for key in old if old[key] != new[key]]) == 1, (before, after)


def test_each_improvement_round_compiles_one_change(keras):
    # read from the compiled models, optimizers and schedules, not from the settings that describe them
    names = list(tuning.IMPROVEMENT_ROUNDS)
    expected = ["batch size", "learning-rate shape", "learning-rate level", "network", "network", "network",
                "network"]
    assert [tuning.compiled_changes(before, after) for before, after in zip(names[1:], names[2:])] == \
        [[part] for part in expected]


def test_compiled_changes_names_every_part_that_changed(keras):
    # two rounds apart, the level and the shape of the rate changed together: both are named
    assert tuning.compiled_changes("+ batch 128", "+ peak 0.008") == ["learning-rate level", "learning-rate shape"]
    assert tuning.compiled_changes("the seeds' CNN", "+ one-cycle shape") == ["learning-rate shape", "batch size"]
    assert tuning.compiled_changes("- dropout", "- dropout") == []
    with pytest.raises(ValueError, match="before"):
        tuning.compiled_changes("+ one-cycle", "- dropout")


def test_the_one_cycle_round_keeps_the_constant_rate_as_its_peak(keras):
    # the shape round's schedule peaks at the seeds' rate; only the next round raises it
    recipe = {name: tuning._round_recipe(name, 2000, 3) for name in ("+ batch 128", "+ one-cycle shape",
                                                                    "+ peak 0.008")}
    assert recipe["+ batch 128"]["rates"].max() == pytest.approx(training.SEEDS_LEARNING_RATE)
    assert recipe["+ one-cycle shape"]["rates"].max() == pytest.approx(training.SEEDS_LEARNING_RATE)
    assert recipe["+ peak 0.008"]["rates"].max() == pytest.approx(training.PEAK_LEARNING_RATE)
    assert recipe["+ one-cycle shape"]["rates"][-1] < 0.01 * training.SEEDS_LEARNING_RATE  # decayed to ~0


def test_improvement_rounds_start_at_the_seeds_cnn_and_end_at_the_course_cnn(keras):
    names = list(tuning.IMPROVEMENT_ROUNDS)

    def layer_kinds(model):
        return [type(layer).__name__ for layer in model.layers]

    seeds, course = tuning.round_model(names[1]), tuning.round_model(names[-1])
    assert seeds.count_params() == models.seed_cnn().count_params() == 220_234
    assert [layer.filters for layer in seeds.layers if hasattr(layer, "filters")] == [32, 64]
    assert [layer.rate for layer in seeds.layers if hasattr(layer, "rate")] == [0.3, 0.5]
    assert course.count_params() == models.course_cnn().count_params()
    assert layer_kinds(course) == layer_kinds(models.course_cnn())
    final = tuning.round_settings(names[-1])
    assert final["batch_size"] == training.BATCH_SIZE and final["schedule"] == "one-cycle"


def test_improvement_round_is_seeded(keras, fashion):
    x, y = fashion.x_train[:256, :, :, None], fashion.y_train[:256]
    runs = [tuning.improvement_round("narrower (16/32)", x, y, x[:64], y[:64], epochs=1, seed=s)["val_accuracy"]
            for s in (3, 3)]
    assert runs[0] == runs[1]


def test_improvement_rounds_take_colour_images(keras):
    from course_utils import data

    cifar = data.cifar10_standin(n_train=256, n_test=32)   # CIFAR-10's shapes: what notebook 09 runs with a network
    x, x_val = cifar.x_train, cifar.x_test
    for name in ("linear model", "narrower (16/32)"):
        result = tuning.improvement_round(name, x, cifar.y_train, x_val, cifar.y_test, epochs=1)
        assert 0 <= result["val_accuracy"] <= 1


def test_trial_progress_counts_every_trial_of_a_real_search(keras, fashion, tmp_path, capsys):
    import keras_tuner as kt

    def build(hp):
        model = models.small_cnn(widths=(hp.Choice("width", [4, 8]),) * 2)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    bar = training.trial_progress(2)
    assert copy.deepcopy(bar) is bar  # keras-tuner copies callbacks per trial
    x, y = fashion.x_train[:128, :, :, None], fashion.y_train[:128]
    tuner = kt.RandomSearch(build, objective="val_accuracy", max_trials=2, seed=0, directory=tmp_path,
                            project_name="t", overwrite=True)
    tuner.search(x, y, validation_data=(x[:32], y[:32]), epochs=1, verbose=0, callbacks=[bar])
    out = capsys.readouterr().out
    assert "trial 1/2: best val accuracy" in out and "trial 2/2" in out and bar.done == 2


# ----------------------------------------------------------------- the tuning lab


@pytest.fixture(scope="module")
def lab(keras, fashion):
    x, y = fashion.x_train[:256, :, :, None], fashion.y_train[:256]
    return widgets.TuningLab(x, y, x[:64], y[:64], epochs=1)


def test_tuning_lab_runs_and_keeps_the_last_three(lab):
    assert len(lab.runs) == 1 and "validation accuracy" in lab.status.value
    first_picture = lab.plot.png
    lab.learning_rate.value = 1e-2
    assert "settings changed" in lab.status.value and lab.plot.png == first_picture  # no training yet
    lab.button.click()
    assert lab.runs[-1]["learning_rate"] == 1e-2 and lab.plot.png != first_picture
    assert "lr 0.01" in lab.status.value and not lab.button.disabled and lab.button.description == "Run"
    lab.learning_rate.value = 1e-3
    assert "settings changed" in lab.status.value
    lab.learning_rate.value = 1e-2  # back to the last run's settings: its summary again
    assert "lr 0.01" in lab.status.value
    lab.dropout.value, lab.augmentation.value = 0.3, "flip"
    lab.button.click()
    lab.l2.value = 1e-3
    lab.button.click()
    assert [(run["dropout"], run["l2"], run["augmentation"]) for run in lab.runs] == [
        (0.0, 0.0, "none"), (0.3, 0.0, "flip"), (0.3, 1e-3, "flip")]
    assert "flip" in lab.status.value


def test_tuning_lab_gives_the_button_back_only_with_the_new_picture(lab):
    # a student (and the browser test) takes the button's return as "the result is shown"
    seen = []
    lab.plot.picture.view.observe(lambda change: seen.append(lab.button.disabled), names="value")
    lab.button.click()
    assert seen == [True] and not lab.button.disabled


def test_tuning_lab_clamps_and_refuses(keras, fashion):
    x, y = fashion.x_train[:64, :, :, None], fashion.y_train[:64]
    lab = widgets.TuningLab(x, y, x, y, epochs=99, learning_rate=5.0, dropout=0.9, l2=1.0, run_now=False)
    assert (lab.epochs, lab.learning_rate.value, lab.dropout.value, lab.l2.value) == (30, 0.1, 0.6, 0.01)
    assert not lab.runs and "press Run" in lab.status.value
    with pytest.raises(ValueError, match="augmentation must be one of"):
        widgets.TuningLab(x, y, x, y, augmentation="rotate", run_now=False)
    with pytest.raises(TypeError, match="learning_rate must be a number"):
        widgets.TuningLab(x, y, x, y, learning_rate="fast", run_now=False)


def test_the_seeds_cifar10_network_and_optimizer(keras):
    model = models.seeds_cifar10_cnn()
    assert model.count_params() == 309_290  # the seed notes' summary
    schedule = training.seeds_cifar10_schedule()
    assert training.seeds_cifar10_optimizer().get_config()["learning_rate"]["class_name"] == "InverseTimeDecay"
    # Keras 2's decay: lr / (1 + decay * step)
    for step in (0, 1, 43_875):
        assert float(schedule(step)) == pytest.approx(1e-4 / (1 + 1e-6 * step), rel=1e-6)


def test_seed_comparisons_call_a_difference_inside_the_spread_a_tie():
    from course_utils import reference

    mean, spread = reference.mean_and_spread([0.80, 0.82, 0.84])
    assert mean == pytest.approx(0.82) and spread == pytest.approx(0.02)
    assert reference.compare_seeds([0.90, 0.91, 0.92], [0.80, 0.81, 0.82]) == "higher"
    assert reference.compare_seeds([0.80, 0.81, 0.82], [0.90, 0.91, 0.92]) == "lower"
    assert reference.compare_seeds([0.80, 0.82, 0.84], [0.81, 0.83, 0.85]) == "tie"
    assert reference.compare_spreads((0.82, 0.02), (0.83, 0.02)) == "tie"
    assert reference.compare_spreads((0.82, 0.002), (0.83, 0.002)) == "lower"
    with pytest.raises(ValueError, match="values"):
        reference.mean_and_spread([0.8])


def test_the_final_recipe_record_agrees_with_its_own_runs():
    import statistics

    record = training.final_recipe_record()
    runs = record["test_accuracies"]
    assert len(runs) == len(record["seeds"]) >= 5 and record["epochs"] >= 1
    assert record["mean"] == pytest.approx(statistics.mean(runs), abs=1e-4)
    assert record["std"] == pytest.approx(statistics.stdev(runs), abs=1e-4)
    assert min(runs) > record["mean"] - 3 * record["std"]  # the floor notebook 09 asserts leaves room for each seed


def test_improvement_round_seeds_give_what_a_new_model_per_seed_gives(keras, fashion):
    x, y = fashion.x_train[:256, :, :, None], fashion.y_train[:256]
    one_trace = tuning.improvement_round_seeds("+ peak 0.008", x, y, x[:64], y[:64], epochs=1,
                                                 seeds=(0, 1))
    separate = [tuning.improvement_round("+ peak 0.008", x, y, x[:64], y[:64], epochs=1, seed=s)
                for s in (0, 1)]
    assert [r["val_accuracy"] for r in one_trace] == [r["val_accuracy"] for r in separate]
    assert one_trace[0]["val_accuracy"] != one_trace[1]["val_accuracy"]  # the seeds differ
    with pytest.raises(ValueError, match="seeds must be a list"):
        tuning.improvement_round_seeds("+ batch 128", x, y, x, y, seeds=3)


def test_seed_curves_give_each_seed_what_a_new_model_gives(keras, fashion):
    x, y = fashion.x_train[:256, :, :, None], fashion.y_train[:256]
    curves = tuning.seed_curves(models.small_cnn, x, y, x[:64], y[:64], epochs=2, seeds=(0, 1))
    keras.utils.set_random_seed(1)
    model = models.small_cnn()
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    alone = model.fit(x, y, validation_data=(x[:64], y[:64]), epochs=2, batch_size=32, verbose=0).history
    assert curves[1]["val_accuracy"] == pytest.approx(alone["val_accuracy"], abs=1e-6)
    assert curves[0]["val_loss"] != curves[1]["val_loss"]  # the seeds differ
    assert all(len(c["val_loss"]) == 2 and 0 <= c["train_accuracy"] <= 1 for c in curves)
    with pytest.raises(ValueError, match="seeds must be a list"):
        tuning.seed_curves(models.small_cnn, x, y, x, y, epochs=1, seeds=2)


def test_the_augmentation_record_agrees_with_notebook_09s_experiment():
    record = tuning.augmentation_record()
    assert record["epochs"] > 30  # longer than the notebook trains: that is what it is for
    assert set(record["arms"]) == {"none", "flip + shift"} and len(record["seeds"]) >= 3
    for arm in record["arms"].values():
        assert all(len(values) == len(record["seeds"]) for values in arm.values())
        assert all(0 < a <= 1 and -1 < g < 1 for a, g in zip(arm["val_accuracy"], arm["gap"]))
    assert str(record["epochs"]) in record["command"] and "--record" in record["command"]


def test_the_augmentation_script_prints_its_verdicts(capsys):
    from scripts import augmentation_trials

    assert augmentation_trials.main(["--epochs", "1", "--images", "64", "--seeds", "0", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    verdicts = [line.rsplit(": ", 1)[1] for line in lines if "flip + shift against none" in line]
    assert len(verdicts) == 3 and set(verdicts) <= {"higher", "lower", "tie"}, lines
    with pytest.raises(SystemExit):
        augmentation_trials.main(["--epochs", "1", "--images", "64", "--record"])
