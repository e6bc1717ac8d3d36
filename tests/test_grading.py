"""Graded assignments (scripts/assignments.py, scripts/grading.py): instructor versions built from the checkers,
student versions without solutions, and the real nbgrader grading real submissions in the sandbox.

The chain that starts kernels (``test_nbgrader_grades_*``) runs when COURSE_TEST_GRADING=1 (``.ci/run`` does,
in its own step); without it, or without nbgrader or bwrap, those tests are skipped.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from course_utils.checks import core, ex01, ex03, grading
from scripts import assignments
from scripts import grading as nbgrading
from scripts.assignments import answered

ROOT = Path(__file__).resolve().parent.parent


def course_notebook(number: str):
    path = assignments.chosen_notebooks([number])[0]
    return path.stem, nbformat.read(path, as_version=4)


def test_every_exercise_cell_is_found_with_its_arguments():
    calls = assignments.exercise_calls(course_notebook("01")[1])
    assert [(c.module, c.name, c.arguments) for c in calls] == [
        ("ex01", "nand", "w1, w2, b"), ("ex01", "update_rule", "perceptron_update"),
        ("ex01", "xor_hidden", "hidden_w, hidden_b")]
    assert assignments.exercise_call("# ex01.nand.check(w1)\nprint(1)") is None  # a comment is not a call
    assert len(assignments.chosen_notebooks([])) == 12  # every notebook has exercises


def _defined_names(code: str) -> set:
    import ast

    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


@pytest.mark.parametrize("number", [f"{n:02d}" for n in range(12)])
def test_each_solution_defines_what_its_notebook_cell_checks(number):
    """solution() prints code a student may paste into the cell: with what earlier cells define, it must define
    the names the cell's check() reads (a solution that names its answer differently fails a graded assignment)."""
    import ast

    earlier = set()
    for cell in course_notebook(number)[1].cells:
        if cell.cell_type != "code":
            continue
        call = assignments.exercise_call(cell.source)
        if call is not None:
            wanted = {node.id for node in ast.walk(ast.parse(call.arguments)) if isinstance(node, ast.Name)}
            solved = _defined_names(assignments.exercise(call).solution_code)
            # what the cell itself sets (to ____) only the solution can set right; the rest may come from earlier
            missing = (wanted & _defined_names(cell.source) - solved) | (wanted - earlier - solved)
            assert not missing, f"{call.module}.{call.name}'s solution does not define {sorted(missing)}"
        else:
            try:
                earlier |= _defined_names(cell.source)
            except SyntaxError:  # a cell with IPython magics defines nothing the exercises read
                pass


def test_instructor_version_holds_each_solution_and_a_test_that_asks_the_checker():
    name, notebook = course_notebook("03")
    source = assignments.instructor_notebook(notebook, name)
    graded = {c.metadata["nbgrader"]["grade_id"]: c for c in source.cells if "nbgrader" in c.metadata}
    assert list(graded) == ["start_assignment", "ex03_cross_entropy_answer", "ex03_cross_entropy_test",
                            "ex03_which_loss_answer", "ex03_which_loss_test"]
    answer = graded["ex03_cross_entropy_answer"].source
    assert f"### BEGIN SOLUTION\n{ex03.cross_entropy.solution_code}\n### END SOLUTION" in answer
    assert answer.index("loss = ____") < answer.index("### BEGIN SOLUTION")  # the blank stays for students
    test = graded["ex03_which_loss_test"]
    assert test.metadata["nbgrader"]["points"] == 1 and test.metadata["nbgrader"]["locked"]
    assert "grading.award(ex03.which_loss, lambda: (answers,))" in test.source
    assert notebook.cells == course_notebook("03")[1].cells  # the course's notebook is left as it was


def test_award_grades_with_the_checker_and_names_a_missing_answer(capsys):
    grading.award(ex03.cross_entropy, lambda: (0.51,))
    assert "Correct" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="log base 10"):
        grading.award(ex03.cross_entropy, lambda: (0.22,))
    with pytest.raises(AssertionError, match="No answer to grade: name 'loss' is not defined"):
        grading.award(ex03.cross_entropy, lambda: (loss,))  # noqa: F821 - the answer the student never defined


def test_start_assignment_withholds_solutions_only(monkeypatch, capsys):
    monkeypatch.setattr(core, "_withheld_in", "")
    ex01.nand.solution()
    assert ex01.nand.solution_code in capsys.readouterr().out
    grading.start_assignment("01_perceptron_xor")
    ex01.nand.solution()
    ex01.nand.hint()
    out = capsys.readouterr().out
    assert "withheld" in out and ex01.nand.solution_code not in out and "Hint 1/" in out


def _strip(notebook):
    for cell in notebook.cells:
        cell.metadata.pop("nbgrader", None)
    return notebook


def test_repair_gives_metadata_back_by_exercise_and_says_what_it_did():
    name, notebook = course_notebook("03")
    source = assignments.instructor_notebook(notebook, name)
    submission = _strip(copy.deepcopy(source))
    test_at = next(i for i, c in enumerate(submission.cells) if "award(ex03.which_loss" in c.source)
    moved = submission.cells.pop(test_at)
    submission.cells.insert(2, moved)  # the test of exercise 2 dragged above everything
    del submission.cells[next(i for i, c in enumerate(submission.cells) if "award(ex03.cross_entropy" in c.source)]
    notes = nbgrading.repair(submission, source)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in submission.cells if "nbgrader" in c.metadata]
    assert ids == ["start_assignment", "ex03_cross_entropy_answer", "ex03_cross_entropy_test",
                   "ex03_which_loss_answer", "ex03_which_loss_test"]
    assert any("lost nbgrader's marks" in n for n in notes)
    assert any(n.startswith("03.1 cross-entropy by hand: its graded cell was missing") for n in notes)
    assert any(n.startswith("03.2 which loss?: its graded cell came before") for n in notes)
    assert submission.cells[0].source.startswith(nbgrading.NOTE_MARK)
    untouched = copy.deepcopy(source)
    assert nbgrading.repair(untouched, source) == [] and untouched == source  # nothing to mend: no note


def test_repair_names_a_deleted_exercise():
    name, notebook = course_notebook("03")
    source = assignments.instructor_notebook(notebook, name)
    submission = copy.deepcopy(source)
    submission.cells = [c for c in submission.cells if "ex03.cross_entropy.check(" not in c.source]
    notes = nbgrading.repair(submission, source)
    assert notes == ["03.1 cross-entropy by hand: the exercise's cell is missing (deleted?), so it scores 0."]


# ------------------------------------------------------------------------- the real chain, in the sandbox


def require_grading():
    if os.environ.get("COURSE_TEST_GRADING") != "1":
        pytest.skip("the nbgrader chain runs with COURSE_TEST_GRADING=1 (.ci/run)")
    why = None if shutil.which("bwrap") else "bwrap is not installed (Debian's package bubblewrap)"
    try:
        import nbgrader  # noqa: F401
    except ImportError:
        why = "nbgrader is not installed (requirements-dev.txt)"
    if why:
        if os.environ.get("COURSE_REQUIRE_SANDBOX") == "1":
            pytest.fail(f"the grading tests must run here, but {why}")
        pytest.skip(why)


def hand_in_and_grade(root: Path, number: str, submissions: dict, timeout_s: int) -> dict:
    """Hand in the submissions (student -> notebook) of a released notebook, grade them in the sandbox and
    export; returns student -> score, after checking that each student got a feedback file."""
    name = assignments.chosen_notebooks([number])[0].stem
    for student, notebook in submissions.items():
        folder = root / "submitted" / student / name
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{name}.ipynb")
    nbgrading.run("grade", [number], root, timeout_s=timeout_s, memory_mib=3072)
    assert nbgrading.run("export", [], root) == 0
    with open(root / "grades.csv", newline="", encoding="utf-8") as handle:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle) if row["assignment"] == name}
    for student in submissions:
        assert (root / "feedback" / student / name / f"{name}.html").is_file(), f"no feedback for {student}"
    return scores


@pytest.fixture
def class_root(tmp_path, monkeypatch):
    root = ROOT / "runs" / f"class-test-{tmp_path.name}"
    shutil.rmtree(root, ignore_errors=True)
    monkeypatch.setenv("COURSE_CLASS_DIR", str(root))
    yield root.resolve()
    if os.environ.get("COURSE_KEEP_CLASS") != "1":  # kept, to read what nbgrader made of each submission
        shutil.rmtree(root, ignore_errors=True)


def released(root: Path, number: str):
    name = assignments.chosen_notebooks([number])[0].stem
    return nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4)


def test_nbgrader_grades_notebook_03_with_hostile_and_stripped_submissions(class_root):
    require_grading()
    name = "03_loss_functions"
    assert assignments.main(["source", "03"]) == 0 and nbgrading.run("release", ["03"], class_root) == 0
    release, source = released(class_root, "03"), nbformat.read(
        class_root / "source" / name / f"{name}.ipynb", as_version=4)
    right = {"ex03_cross_entropy": "loss = -np.log(0.6)",
             "ex03_which_loss": json.dumps({k: v.upper() for k, v in ex03.TASKS.items()}).join(("answers = ", ""))}
    outside = ROOT / "runs" / "hostile-was-here"
    hostile_code = (
        f"import pathlib, socket\nnotes = []\nfor path in ({str(outside)!r}, {str(ROOT / 'README.md')!r}):\n"
        "    try:\n        open(path, 'a').write('x')\n        notes.append('wrote ' + path)\n"
        "    except OSError as error:\n        notes.append(type(error).__name__)\n"
        f"try:\n    notes.append(pathlib.Path({str(class_root / 'source' / name / (name + '.ipynb'))!r})"
        ".read_text()[:9])\n"
        "except OSError as error:\n    notes.append(type(error).__name__)\n"
        "try:\n    socket.create_connection(('151.101.0.223', 443), timeout=3)\n    notes.append('online')\n"
        "except OSError as error:\n    notes.append(type(error).__name__)\n"
        "try:\n    hog = bytearray(8 * 1024**3)\n    notes.append('8 GiB')\nexcept MemoryError:\n"
        "    notes.append('MemoryError')\nprint('hostile:', notes)")
    readme = (ROOT / "README.md").read_bytes()
    stripped = _strip(answered(release, right))
    graded_cells = [c for c in stripped.cells if "grading.award(" in c.source]
    stripped.cells = [c for c in stripped.cells if c is not graded_cells[0]]  # one test cell deleted too
    submissions = {
        "right": source,
        "blank": release,
        "also-right": answered(release, right),  # MSE in capitals: a right answer written another way
        "log10": answered(release, {"ex03_cross_entropy": "loss = -np.log10(0.6)"}),
        "text": answered(release, {"ex03_cross_entropy": "loss = '0.51'", "ex03_which_loss": right["ex03_which_loss"]}),
        "loops": answered(release, {"ex03_cross_entropy": "while True:\n    pass",
                                    "ex03_which_loss": right["ex03_which_loss"]}),
        "hostile": answered(release, right, (hostile_code,)),
        "stripped": stripped,
    }
    scores = hand_in_and_grade(class_root, "03", submissions, timeout_s=20)
    assert scores == {"right": 2, "blank": 0, "also-right": 2, "log10": 0, "text": 1, "loops": 1, "hostile": 2,
                      "stripped": 2}
    graded = nbformat.read(class_root / "autograded" / "hostile" / name / f"{name}.ipynb", as_version=4)
    printed = "".join(o.get("text", "") for o in graded.cells[-1].outputs)
    assert "hostile: ['OSError', 'OSError', 'FileNotFoundError', 'OSError', 'MemoryError']" in printed, printed
    assert not outside.exists() and (ROOT / "README.md").read_bytes() == readme
    feedback = (class_root / "feedback" / "stripped" / name / f"{name}.html").read_text(encoding="utf-8")
    assert "Grading note" in feedback and "put back from the assignment" in feedback
    looped = nbformat.read(class_root / "autograded" / "loops" / name / f"{name}.ipynb", as_version=4)
    assert any(o.get("ename") == "CellTimeoutError" or "KeyboardInterrupt" in str(o.get("ename"))
               for c in looped.cells if c.cell_type == "code" for o in c.outputs)


def test_nbgrader_grades_notebook_01_as_students_err(class_root):
    require_grading()
    assert assignments.main(["source", "01"]) == 0 and nbgrading.run("release", ["01"], class_root) == 0
    release = released(class_root, "01")
    update = ("def perceptron_update(w, b, x, y, lr):\n    error = y - (1 if x @ w + b >= 0 else 0)\n"
              "    return w + lr * error * x, b + lr * error")
    right = {"ex01_nand": "w1, w2, b = -2, -2, 3", "ex01_update_rule": update,
             "ex01_xor_hidden": "hidden_w = [[1, -1], [1, -1]]\nhidden_b = [-0.5, 1.5]"}
    name = "01_perceptron_xor"
    submissions = {
        "right": nbformat.read(class_root / "source" / name / f"{name}.ipynb", as_version=4),
        "blank": release,
        "other-weights": answered(release, right),  # other right weights than the solution's
        "off-by-one": answered(release, {**right, "ex01_nand": "w1, w2, b = -1, -1, 0.5"}),
        "wrong-axis": answered(release, {**right, "ex01_xor_hidden": "hidden_w = [[1, 1], [-1, -1]]\n"
                                                                     "hidden_b = [-0.5, 1.5]"}),
        "no-return": answered(release, {**right, "ex01_update_rule": update.replace("return ", "result = ")}),
    }
    scores = hand_in_and_grade(class_root, "01", submissions, timeout_s=60)
    assert scores == {"right": 3, "blank": 0, "other-weights": 3, "off-by-one": 2, "wrong-axis": 2, "no-return": 2}


def test_no_released_file_holds_a_solution(class_root):
    require_grading()
    assert assignments.main(["source"]) == 0 and nbgrading.run("release", [], class_root) == 0
    files = [path for path in (class_root / "release").rglob("*") if path.is_file()]
    assert len(files) == 12 and all(path.suffix == ".ipynb" for path in files)
    # each notebook's cells as a student reads them (in the file, a cell's lines are separate JSON strings)
    released_text = {path: "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
                     for path in files}
    for path in assignments.chosen_notebooks([]):
        for call in assignments.exercise_calls(nbformat.read(path, as_version=4)):
            solution = assignments.exercise(call).solution_code
            for text in released_text.values():
                assert solution not in text, f"{call.key}'s solution is in a released file"


def test_an_lms_download_is_filed_by_student(class_root):
    pytest.importorskip("nbgrader", reason="nbgrader is installed by requirements-dev.txt")
    name = "03_loss_functions"
    assert assignments.main(["source", "03"]) == 0 and nbgrading.run("release", ["03"], class_root) == 0
    archive = class_root / "downloaded" / name / "archive"
    archive.mkdir(parents=True)
    shutil.copyfile(class_root / "release" / name / f"{name}.ipynb", archive / f"kim-minji_{name}.ipynb")
    assert nbgrading.run("collect", ["03"], class_root) == 0
    assert (class_root / "submitted" / "kim-minji" / name / f"{name}.ipynb").is_file()


def test_the_grading_benchmark_reports_mean_and_spread_per_class_and_per_submission():
    from scripts import benchmark_grading

    row = benchmark_grading.summary([100.0, 110.0, 120.0], 30)
    assert row["mean_s"] == 110 and row["std_s"] == pytest.approx(10)  # the sample standard deviation
    assert row["per_submission_s"] == pytest.approx(110 / 30) and row["per_submission_std_s"] == pytest.approx(1 / 3)
    text = benchmark_grading.table(row, "a CPU", "python -m scripts.benchmark_grading")
    assert "| 30 | 110.0 ± 10.0 | 3.7 ± 0.3 |" in text and "over 3 repeats" in text
    once = benchmark_grading.table(benchmark_grading.summary([12.0], 2), "a CPU", "cmd")
    assert "| 2 | 12.0 | 6.0 |" in once and "over 1 repeat)" in once  # one repeat has no spread to show


def test_the_grading_benchmark_runs(monkeypatch, tmp_path):
    require_grading()
    from scripts import benchmark_grading

    monkeypatch.setattr(benchmark_grading, "WORK", ROOT / "runs" / f"grading-benchmark-{tmp_path.name}")
    assert benchmark_grading.grade_once(2, benchmark_grading.WORK) > 0
    shutil.rmtree(benchmark_grading.WORK, ignore_errors=True)
