#!/usr/bin/env python3
"""Assignments for a class, graded with nbgrader, from the course's own notebooks and checkers.

    python -m scripts.assignments source [NN ...]     # instructor versions: runs/class/source/
    python -m scripts.assignments release [NN ...]    # student versions (nbgrader generate_assignment)
    python -m scripts.assignments collect NN          # an LMS's download (nbgrader zip_collect)
    python -m scripts.assignments grade NN            # autograde every submission, in a sandbox, and feedback
    python -m scripts.assignments export              # the grades: runs/class/grades.csv

``NN`` picks notebooks by number (all with exercises when none is given). Everything lives in nbgrader's
course folder ``runs/class`` (``COURSE_CLASS_DIR`` moves it). The course's notebooks are not changed: each
instructor version is generated from one, with each exercise's solution (its checker's ``solution_code``)
between nbgrader's solution markers and, after it, a locked test cell that asks the same checker
(``course_utils.checks.grading.award``), so no answer is written twice.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_VERSION = 3  # nbgrader's cell metadata schema
STUDENT_STUB = "# your answer: replace each ____ above, then run this cell"
START_ID = "start_assignment"


@dataclass(frozen=True)
class ExerciseCall:
    """``exNN.name.check(args)`` in a notebook cell: which exercise, and the arguments as written."""

    module: str
    name: str
    arguments: str
    line: int  # 0-based line of the check() call in the cell

    @property
    def key(self) -> str:  # a grade id: nbgrader allows letters, digits, _ and -
        return f"{self.module}_{self.name}"


def exercise_call(source: str) -> ExerciseCall | None:
    """The ``exNN.name.check(...)`` statement of an exercise cell, or None for any other cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "check"):
            continue
        target = call.func.value
        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.value.id.startswith("ex") and target.value.id[2:].isdigit()):
            if call.keywords:
                raise ValueError(f"{target.value.id}.{target.attr}.check() takes answers by position only")
            arguments = ", ".join(ast.get_source_segment(source, argument) for argument in call.args)
            return ExerciseCall(target.value.id, target.attr, arguments, statement.lineno - 1)
    return None


def exercise(call: ExerciseCall):
    """The ``Exercise`` object that a call checks."""
    import importlib

    return getattr(importlib.import_module(f"course_utils.checks.{call.module}"), call.name)


def _nbgrader(cell, grade_id: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
              points: int | None = None) -> None:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    cell.metadata["nbgrader"] = meta


def answer_cell(cell, call: ExerciseCall):
    """The exercise cell with its solution between nbgrader's markers, just before ``check()``. The blanks stay
    above the markers: the student version (markers and solution removed) runs and says "Not answered yet"."""
    lines = cell.source.splitlines()
    solution = exercise(call).solution_code.splitlines()
    marked = ["### BEGIN SOLUTION", *solution, "### END SOLUTION"]
    new = nbformat.v4.new_code_cell("\n".join(lines[:call.line] + marked + lines[call.line:]))
    _nbgrader(new, f"{call.key}_answer", solution=True)
    return new


def test_cell(call: ExerciseCall):
    """A locked, autograded cell: the exercise's checker awards its points, or says what is wrong."""
    points = exercise(call).points
    new = nbformat.v4.new_code_cell(
        f"# Graded: {exercise(call).name} ({points} point{'s' if points != 1 else ''})\n"
        f"from course_utils.checks import {call.module}, grading\n"
        f"grading.award({call.module}.{call.name}, lambda: ({call.arguments},))")
    _nbgrader(new, f"{call.key}_test", grade=True, locked=True, points=points)
    return new


def start_cell(assignment: str):
    new = nbformat.v4.new_code_cell("from course_utils.checks import grading\n"
                                    f"grading.start_assignment({assignment!r})")
    _nbgrader(new, START_ID, locked=True)
    return new


def instructor_notebook(notebook, assignment: str):
    """The nbgrader source version of a course notebook (a new notebook; the given one is not changed)."""
    result = copy.deepcopy(notebook)
    cells, started = [], False
    for cell in result.cells:
        call = exercise_call(cell.source) if cell.cell_type == "code" else None
        if call is None:
            cells.append(cell)
            continue
        if not started:
            cells.append(start_cell(assignment))
            started = True
        cells += [answer_cell(cell, call), test_cell(call)]
    for cell in cells:  # an instructor version starts unrun, like nbgrader's own sources
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    result.cells = cells
    return result


def exercise_calls(notebook) -> list[ExerciseCall]:
    return [call for cell in notebook.cells if cell.cell_type == "code"
            for call in [exercise_call(cell.source)] if call is not None]


def answered(notebook, answers: dict, extra_cells: tuple = ()):
    """A copy of a released notebook as a student hands it in: in each exercise cell named in ``answers``
    (exercise key -> code), the code goes just before the ``check()`` call; ``extra_cells`` are appended.
    For tests and the grading benchmark."""
    result = copy.deepcopy(notebook)
    for cell in result.cells:
        call = exercise_call(cell.source) if cell.cell_type == "code" else None
        if call is not None and call.key in answers:
            lines = cell.source.splitlines()
            cell.source = "\n".join(lines[:call.line] + [answers[call.key]] + lines[call.line:])
    result.cells += [nbformat.v4.new_code_cell(code) for code in extra_cells]
    return result


# ----------------------------------------------------------------------------------------- nbgrader's folders


def class_dir() -> Path:
    return Path(os.environ.get("COURSE_CLASS_DIR", ROOT / "runs" / "class")).resolve()


def chosen_notebooks(numbers: list[str]) -> list[Path]:
    """The course notebooks with exercises, or those whose two-digit numbers are given."""
    from scripts import notebooks_by_number

    return [path for path in notebooks_by_number(numbers, "assignments")
            if exercise_calls(nbformat.read(path, as_version=4))]


def build_sources(numbers: list[str], root: Path) -> list[Path]:
    written = []
    for path in chosen_notebooks(numbers):
        target = root / "source" / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(instructor_notebook(nbformat.read(path, as_version=4), path.stem), target)
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("source", "release", "collect", "grade", "export"))
    parser.add_argument("numbers", nargs="*", help="two-digit notebook numbers (default: all with exercises)")
    args = parser.parse_args(argv)
    root = class_dir()
    if args.command == "source":
        for target in build_sources(args.numbers, root):
            print(f"instructor version: {target.relative_to(root)}")
        return 0
    from scripts import grading

    return grading.run(args.command, args.numbers, root)


if __name__ == "__main__":
    sys.exit(main())
