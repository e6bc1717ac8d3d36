"""nbgrader, driven through its command line for ``scripts/assignments.py``: release, collect, grade, export.

The course folder (``runs/class``) gets an ``nbgrader_config.py`` written by ``write_setup``, and a kernelspec,
``course-sandbox``, that runs every submission in the sandbox of ``scripts/grading_kernel.py`` (no network,
read-only files apart from its own folder, capped memory, a per-cell time limit), in the quick profile.

Before grading, ``repair`` mends what editors and students do to a submission: cells reordered, deleted, or
stripped of nbgrader's metadata. Metadata is given back by exercise name (the ``exNN.name.check(...)`` call),
missing test cells come back from the instructor's version, each test cell is put after its exercise, and every
change is one sentence in a "Grading note" at the top of the graded notebook and of its feedback.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from scripts.assignments import START_ID, STUDENT_STUB, ExerciseCall, chosen_notebooks, exercise, exercise_call

ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "course-sandbox"
TIMEOUT_S = 120  # per cell, in the quick profile (its slowest cell takes about 40 s on 2 cores)
MEMORY_MIB = 4096  # address space; TensorFlow maps about 1,600 MiB before a model is built
# An LMS download names each file STUDENT_NOTEBOOK, e.g. kim-minji_03_loss_functions.ipynb
ZIP_NAME_PATTERN = r".*/(?P<student_id>[^/_]+)_(?P<file_id>[0-9]{2}_\w+\.ipynb)$"
NOTE_MARK = "**Grading note**"


def write_setup(root: Path, timeout_s: int = TIMEOUT_S, memory_mib: int = MEMORY_MIB) -> dict:
    """nbgrader's configuration and the sandbox kernelspec in ``root``; returns the environment to run it in."""
    root.mkdir(parents=True, exist_ok=True)
    runtime = root / ".runtime"
    runtime.mkdir(exist_ok=True)
    config = f'''# Written by scripts/grading.py (python -m scripts.assignments ...); changes here are overwritten.
c = get_config()  # noqa: F821
c.CourseDirectory.root = {str(root)!r}
c.CourseDirectory.course_id = "deep-learning-hands-on"
c.ClearSolutions.code_stub = {{"python": {STUDENT_STUB!r}}}
c.Execute.kernel_name = {KERNEL_NAME!r}
c.Execute.timeout = {int(timeout_s)}
c.Execute.interrupt_on_timeout = True
# the sandboxed kernel has no network: it talks to nbgrader over Unix sockets
c.KernelManager.transport = "ipc"
c.KernelManager.ip = {str(runtime / "kernel")!r}
c.ZipCollectApp.collector_plugin = "nbgrader.plugins.zipcollect.FileNameCollectorPlugin"
c.FileNameCollectorPlugin.named_regexp = {ZIP_NAME_PATTERN!r}
'''
    (root / "nbgrader_config.py").write_text(config, encoding="utf-8")
    spec = root / ".jupyter" / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, str(ROOT / "scripts" / "grading_kernel.py"), "--memory-mib", str(int(memory_mib)),
            "--hide", str(root), "{connection_file}"]
    # interrupts by message: a signal would reach bwrap, which does not pass it on to the kernel
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3 (grading sandbox)",
                                                  "language": "python", "interrupt_mode": "message"}, indent=1),
                                      encoding="utf-8")
    env = dict(os.environ)
    # nbgrader runs the `alembic` command of its own environment to set up the gradebook
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update({"JUPYTER_PATH": str(root / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(runtime),
                "COURSE_PROFILE": "quick", "MPLBACKEND": "Agg"})
    return env


def nbgrader(root: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run one nbgrader command in the course folder; its output is printed as it comes."""
    command = [sys.executable, "-m", "nbgrader", *args]
    return subprocess.run(command, cwd=root, env=env, check=False)


def _cell_index(cells, grade_id: str) -> int | None:
    for index, cell in enumerate(cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return index
    return None


def _is_test_of(cell, key: str) -> bool:
    module, name = key.split("_", 1)
    return cell.cell_type == "code" and f"grading.award({module}.{name}," in cell.source


def repair(submission, source) -> list[str]:
    """Mend a submitted notebook in place against the instructor's version; returns one sentence per change."""
    notes = []
    cells = submission.cells
    answers = [(cell.metadata["nbgrader"]["grade_id"][:-len("_answer")], cell) for cell in source.cells
               if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_answer")]
    tests = {cell.metadata["nbgrader"]["grade_id"][:-len("_test")]: cell for cell in source.cells
             if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_test")}
    start = next(cell for cell in source.cells if cell.metadata.get("nbgrader", {}).get("grade_id") == START_ID)
    stripped = False
    for key, answer in answers:  # metadata given back by exercise name
        if _cell_index(cells, f"{key}_answer") is None:
            for cell in cells:
                call = exercise_call(cell.source) if cell.cell_type == "code" else None
                if call is not None and call.key == key and "nbgrader" not in cell.metadata:
                    cell.metadata["nbgrader"] = copy.deepcopy(answer.metadata["nbgrader"])
                    stripped = True
                    break
        if _cell_index(cells, f"{key}_test") is None:
            for cell in cells:
                if _is_test_of(cell, key) and "nbgrader" not in cell.metadata:
                    cell.metadata["nbgrader"] = copy.deepcopy(tests[key].metadata["nbgrader"])
                    stripped = True
                    break
    if stripped:
        notes.append("Some cells had lost nbgrader's marks (an editor may strip them); they were matched to the "
                     "exercises by the exercise each one checks.")
    if _cell_index(cells, START_ID) is None:
        first = min((i for i, c in enumerate(cells) if c.get("metadata", {}).get("nbgrader")), default=len(cells))
        cells.insert(first, copy.deepcopy(start))
    for key, _ in answers:
        module, attribute = key.split("_", 1)
        name = exercise(ExerciseCall(module, attribute, "", 0)).name
        answer_at, test_at = _cell_index(cells, f"{key}_answer"), _cell_index(cells, f"{key}_test")
        if answer_at is None:
            notes.append(f"{name}: the exercise's cell is missing (deleted?), so it scores 0.")
        if test_at is None:
            test = copy.deepcopy(tests[key])
            cells.insert(len(cells) if answer_at is None else answer_at + 1, test)
            notes.append(f"{name}: its graded cell was missing and was put back from the assignment.")
        elif answer_at is not None and test_at < answer_at:
            cells.insert(answer_at, cells.pop(test_at))  # the test now follows the answer
            notes.append(f"{name}: its graded cell came before the exercise and was moved after it.")
    if notes:
        text = f"{NOTE_MARK}: this submission was mended before grading.\n\n" + "\n".join(f"- {n}" for n in notes)
        cells.insert(0, nbformat.v4.new_markdown_cell(text))
    return notes


def repair_submissions(root: Path, assignment: str) -> dict:
    """Repair every submission of ``assignment``; the untouched file is kept beside it as ``.as-submitted``."""
    source_folder = root / "source" / assignment
    notes = {}
    for path in sorted((root / "submitted").glob(f"*/{assignment}/*.ipynb")):
        source_path = source_folder / path.name
        if not source_path.is_file():
            continue
        submission = nbformat.read(path, as_version=4)
        mended = repair(submission, nbformat.read(source_path, as_version=4))
        if mended:
            shutil.copyfile(path, path.with_name(path.name + ".as-submitted"))
            nbformat.write(submission, path)
            notes[path.parent.parent.name] = mended
            print(f"{path.parent.parent.name}, {assignment}: " + " ".join(mended))
    return notes


def run(command: str, numbers: list[str], root: Path, timeout_s: int = TIMEOUT_S,
        memory_mib: int = MEMORY_MIB) -> int:
    env = write_setup(root, timeout_s, memory_mib)
    if command == "export":
        return nbgrader(root, env, "export", "--to", str(root / "grades.csv")).returncode
    assignments = [path.stem for path in chosen_notebooks(numbers)]
    missing = [name for name in assignments if not (root / "source" / name).is_dir()]
    if missing:
        print(f"assignments: no instructor version of {', '.join(missing)} in {root / 'source'}; "
              "run `python -m scripts.assignments source` first.", file=sys.stderr)
        return 2
    failed = 0
    for assignment in assignments:
        if command == "release":
            failed |= nbgrader(root, env, "generate_assignment", assignment, "--force", "--create").returncode
        elif command == "collect":
            failed |= nbgrader(root, env, "zip_collect", assignment, "--force").returncode
        elif command == "grade":
            if shutil.which("bwrap") is None:
                print("assignments: bwrap is not installed; install Debian's package bubblewrap (sudo apt-get "
                      "install bubblewrap): submissions are never run without the sandbox.", file=sys.stderr)
                return 2
            repair_submissions(root, assignment)
            failed |= nbgrader(root, env, "autograde", assignment, "--create", "--force").returncode
            failed |= nbgrader(root, env, "generate_feedback", assignment, "--force").returncode
    return 1 if failed else 0
