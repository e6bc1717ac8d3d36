"""The maintainers' tools, one module each, run from the repository root as ``python -m scripts.NAME``.

run_notebooks (stored outputs and times, with timings: the timing table), check_notebooks (the stored-output
checks), browser_widgets (the widgets in a real browser) and time_widgets (the same, kernel side),
benchmark_training, benchmark_levers and final_recipe_trials (training measurements), train_source_model
(notebook 10's source model), make_images (the README's pictures), kernel_memory, colab_constraints and
set_repo; assignments, grading, grading_kernel and benchmark_grading (graded assignments with nbgrader);
translations (the Korean edition: its catalogs, and notebooks/ko built from them). They import like any
package: tests import them as ``from scripts import timings``.
"""

from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def notebooks_by_number(numbers: list[str], tool: str) -> list[Path]:
    """The course notebooks whose two-digit numbers are given (all of them when none is); an unknown number stops
    ``tool`` with one sentence."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    known = {path.name[:2]: path for path in paths}
    for number in numbers:
        if number not in known:
            raise SystemExit(f"{tool}: notebook {number!r} is not one of the course's: {', '.join(known)} "
                             "(give two digits, e.g. 03).")
    return [known[number] for number in numbers] or paths
