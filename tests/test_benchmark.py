"""The training benchmark runs, chooses on validation only, and the README shows what it recorded."""

import math

import pytest

from scripts import benchmark_training as bench


def _row(recipe, epochs, seconds, val, units=None):
    return {"recipe": recipe, "name": recipe, "epochs": epochs, "seconds": seconds,
            "units": seconds / 20 if units is None else units, "val_mean": val, "val_std": 0.002, "gflops": 1.0}


def test_choices_read_validation_accuracy_only():
    rows = [_row("seed", e, 20 * e, v) for e, v in ((1, 0.88), (5, 0.905), (6, 0.912), (10, 0.915))]
    rows += [_row("course", 1, 8, 0.909), _row("course", 2, 15, 0.917), _row("course", 3, 22, 0.921)]
    rows += [_row("accurate", 5, 100, 0.932), _row("accurate", 7, 140, 0.936), _row("accurate", 9, 180, 0.940)]
    # a row's test accuracy, were it there, must not move any choice
    for row in rows:
        row["test_mean"] = 0.99 if row["epochs"] == 1 else 0.5
    chosen = bench.choose(rows)
    assert chosen[("seed", 6)] == ["time to 91%"]
    assert chosen[("course", 2)] == ["time to 91%"]
    assert chosen[("accurate", 5)] == ["time to 91%"]
    assert chosen[("accurate", 7)] == ["best within 8 units"]  # 9 epochs is 9 units: over the limit
    assert chosen[("seed", 10)] == ["the notes' budget"]
    assert ("course", 1) not in chosen and ("accurate", 9) not in chosen


def test_no_budget_reaching_the_target_is_no_choice():
    chosen = bench.choose([_row("course", 1, 8, 0.85), _row("course", 2, 15, 0.89)])
    assert chosen == {("course", 2): ["best within 8 units"]}


def test_the_readme_table_is_the_recorded_run():
    records = bench.load_records()
    assert "cpu" in records, "no CPU run recorded: run python -m scripts.benchmark_training --record"
    assert bench.readme_block() == bench.record_text(records).strip(), (
        "README benchmark table differs from scripts/benchmark_runs.json: run python -m scripts.benchmark_training "
        "--record")


def test_the_record_scored_on_test_only_what_validation_chose():
    for kind, record in bench.load_records().items():
        assert record["seeds"] >= 5, kind
        rows = [{k: v for k, v in row.items() if not k.startswith("test") and k != "chosen"} for row in record["rows"]]
        chosen = bench.choose(rows)
        for row in record["rows"]:
            assert ("test_mean" in row) == ((row["recipe"], row["epochs"]) in chosen), (kind, row["name"])
            if "test" in row:
                assert len(row["test"]) == record["seeds"]
                assert math.isclose(row["test_mean"], sum(row["test"]) / len(row["test"]), abs_tol=1e-4)


def test_record_needs_the_full_run():
    with pytest.raises(SystemExit):
        bench.main(["--quick", "--record"])


def test_the_quick_run_prints_its_table(capsys):
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "| recipe | epochs | validation accuracy | test accuracy |" in out
    for recipe in bench.RECIPES:
        assert f"| {recipe.name} |" in out
    assert "not scored" in out  # the seed notes' first epoch: neither chosen nor their own budget
    assert "GFLOP/s" in out and "peak" in out


def test_the_cpu_peak_is_reckoned_from_cores_clock_and_vector_units():
    peak, words = bench.cpu_peak_gflops()
    if math.isnan(peak):
        pytest.skip(words)
    assert peak > 1 and "cores x" in words and "FLOPs/cycle" in words


def test_a_lever_pays_only_by_cutting_seconds_while_still_reaching_91():
    from scripts import benchmark_levers as levers

    names = list(levers.LEVERS)
    base = [(8.0, 0.914), (8.2, 0.912), (7.9, 0.916)]
    results = {name: base for name in names}
    results[names[1]] = [(6.0, 0.913), (6.1, 0.911), (5.9, 0.915)]  # faster, same accuracy: pays
    results[names[2]] = [(6.0, 0.905), (6.1, 0.903), (5.9, 0.907)]  # faster, but below 91 %
    results[names[3]] = [(8.1, 0.925), (8.0, 0.923), (8.2, 0.927)]  # more accurate, not faster
    rows = {row["lever"]: row for row in levers.verdicts(results)}
    assert "pays" not in rows[names[0]]
    assert rows[names[1]]["pays"] and rows[names[1]]["seconds_verdict"] == "lower"
    assert not rows[names[2]]["pays"] and rows[names[2]]["accuracy_verdict"] == "lower"
    assert not rows[names[3]]["pays"] and rows[names[3]]["accuracy_verdict"] == "higher"
    assert rows[names[3]]["seconds_verdict"] == "tie"


def test_the_quick_lever_run_prints_every_lever(capsys):
    from scripts import benchmark_levers as levers

    assert levers.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for name in levers.LEVERS:
        assert f"| {name} |" in out
    with pytest.raises(SystemExit):
        levers.main(["--quick", "--record"])


def test_fit_phases_follow_one_another_and_add_up_to_the_whole():
    from scripts import fit_phases

    names = ["start", "prepared", "built", "compiled", "train_begin", "first_train_batch", "last_train_batch",
             "first_test_batch", "last_test_batch", "fit_returned"]
    marks = {name: (float(i * i), 2.0 * i) for i, name in enumerate(names)}  # wall grows unevenly, CPU twice i
    phases = fit_phases.phases(marks)
    assert [name for name, _, _ in fit_phases.PHASES] == list(phases)[:-2]
    assert phases["build"] == (4.0 - 1.0, 2.0) and phases["end of fit"] == (81.0 - 64.0, 2.0)
    assert math.isclose(sum(phases[name][0] for name, _, _ in fit_phases.PHASES), phases["total"][0])
    assert phases["total"] == (81.0, 18.0)
    # steady training 36 - 25, other validation 64 - 49 (wall); 2 and 2 (CPU)
    assert phases[fit_phases.FIXED] == (81.0 - 11.0 - 15.0, 18.0 - 2.0 - 2.0)
    del marks["first_test_batch"]
    with pytest.raises(ValueError, match=r"marks \['first_test_batch'\] are missing"):
        fit_phases.phases(marks)


def test_the_quick_phase_run_prints_each_recipe_and_phase(capsys):
    from scripts import fit_phases

    assert fit_phases.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for i, (name, _) in enumerate(fit_phases.RECIPES.values()):
        assert f"**{chr(65 + i)}**, {name}" in out
    for phase, _, _ in fit_phases.PHASES:
        assert f"\n| {phase} | " in out
    assert "in the progress callbacks' hooks" in out and "| A wall s | A CPU s | B wall s |" in out
    with pytest.raises(SystemExit):
        fit_phases.main(["--quick", "--record"])
