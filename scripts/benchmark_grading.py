#!/usr/bin/env python3
"""How long grading a class takes: a class's submissions of notebook 03, graded in the sandbox.

    python -m scripts.benchmark_grading                                  # 30 submissions, 3 repeats
    python -m scripts.benchmark_grading --submissions 2 --repeats 1      # a smoke run

Each repeat builds a fresh class folder (``runs/grading-benchmark``), makes the instructor and student versions
of notebook 03, hands in the submissions (in turn: the instructor's version, a blank one, a right answer written
another way, and a wrong one) and times ``grade`` (mending, nbgrader's autograde and feedback, one kernel per
submission) on the wall clock. It prints a Markdown table: the mean ± sample standard deviation over the repeats,
per class and per submission, with the machine and the command. A benchmark, not a timed test: the README quotes
its table.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NUMBER = "03"
WORK = ROOT / "runs" / "grading-benchmark"


def submissions(source, release, n: int) -> dict:
    """``n`` students' notebooks, cycling through four kinds of submission."""
    from course_utils.checks import ex03
    from scripts.assignments import answered

    capitals = "answers = " + repr({task: loss.upper() for task, loss in ex03.TASKS.items()})
    kinds = (source, release, answered(release, {"ex03_cross_entropy": "loss = 0.51", "ex03_which_loss": capitals}),
             answered(release, {"ex03_cross_entropy": "loss = -np.log10(0.6)"}))
    return {f"student{k + 1:02d}": kinds[k % len(kinds)] for k in range(n)}


def grade_once(n: int, root: Path = WORK) -> float:
    """Seconds to grade ``n`` submissions of notebook 03 in a fresh class folder."""
    from scripts import assignments, grading

    shutil.rmtree(root, ignore_errors=True)
    assignments.build_sources([NUMBER], root)
    if grading.run("release", [NUMBER], root) != 0:
        raise SystemExit("benchmark_grading: nbgrader could not release notebook 03; see its messages above")
    name = assignments.chosen_notebooks([NUMBER])[0].stem
    source = nbformat.read(root / "source" / name / f"{name}.ipynb", as_version=4)
    release = nbformat.read(root / "release" / name / f"{name}.ipynb", as_version=4)
    for student, notebook in submissions(source, release, n).items():
        folder = root / "submitted" / student / name
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{name}.ipynb")
    start = time.perf_counter()
    failed = grading.run("grade", [NUMBER], root)
    seconds = time.perf_counter() - start
    graded = list((root / "autograded").glob(f"*/{name}/{name}.ipynb"))
    if failed or len(graded) != n:
        raise SystemExit(f"benchmark_grading: {len(graded)} of {n} submissions were graded; see nbgrader's messages")
    return seconds


def summary(seconds: list[float], n: int) -> dict:
    """Mean and sample standard deviation (NaN for one repeat), per class of ``n`` and per submission."""
    mean = statistics.mean(seconds)
    std = statistics.stdev(seconds) if len(seconds) > 1 else math.nan
    return {"submissions": n, "repeats": len(seconds), "mean_s": mean, "std_s": std,
            "per_submission_s": mean / n, "per_submission_std_s": std / n}


def _pm(mean: float, std: float) -> str:
    return f"{mean:.1f}" if math.isnan(std) else f"{mean:.1f} ± {std:.1f}"


def table(row: dict, machine: str, command: str) -> str:
    return "\n".join([
        f"Grading notebook 03 in the sandbox ({machine}; `{command}`; mean ± sample std over "
        f"{row['repeats']} repeat{'s' if row['repeats'] != 1 else ''})",
        "",
        "| submissions | seconds to grade them all | seconds per submission |",
        "|---:|---:|---:|",
        f"| {row['submissions']} | {_pm(row['mean_s'], row['std_s'])} | "
        f"{_pm(row['per_submission_s'], row['per_submission_std_s'])} |"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    for name in ("submissions", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} is {getattr(args, name)}; give a whole number of at least 1")
    from scripts.timings import cpu_name

    seconds = [grade_once(args.submissions) for _ in range(args.repeats)]
    shutil.rmtree(WORK, ignore_errors=True)
    machine = f"{cpu_name()}, {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    command = f"python -m scripts.benchmark_grading --submissions {args.submissions} --repeats {args.repeats}"
    print(table(summary(seconds, args.submissions), machine, command))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
