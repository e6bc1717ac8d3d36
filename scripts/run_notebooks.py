#!/usr/bin/env python3
"""Execute notebooks top to bottom in a fresh kernel, store their outputs, and record their times.

    python -m scripts.run_notebooks                      # every notebook, full profile, saved
    python -m scripts.run_notebooks --profile quick --no-save notebooks/01_*.ipynb
    python -m scripts.run_notebooks --edition ko         # the Korean notebooks (notebooks/ko), saved

Stored outputs must come from one clean run of the committed code: this is
the only way the course writes outputs into a notebook. Widget state is not
stored (JupyterLab does not use it before the kernel runs); each widget's
output carries a still picture of its first view instead.

Every run also times the yardstick (one epoch of the seed notes' CNN, Adam,
batch 32, 54,000 Fashion-MNIST images) before and after the notebooks, and
writes each notebook's wall time, its slow cells, the machine, and the times
in yardstick units into scripts/timings.json; the README's course map is
rebuilt from that file, and so are the "⏱" lines above the long cells of a
full run, after the last yardstick (``--no-record`` skips all three; the
lines and the map divide by the same yardstick figure). Full-profile times are
only recorded by a run that also saves the outputs, so the table's full times
always come from the run that stored them.

``--edition ko`` runs the Korean notebooks (built by ``python -m scripts.translations build``) and stores what a
Korean student sees; it records no times: the code is the English notebooks', and so are the "⏱" figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course_utils.data import offline
from course_utils.language import set_language
from scripts import kernel_memory, timings

ROOT = Path(__file__).resolve().parent.parent


YARDSTICK_CODE = """
import course_utils as cu
cu.config.quiet_tensorflow_import()
data = cu.data.load_fashion_mnist(verbose=False)
x = data.x_train[..., None]
print(cu.training.time_yardstick(x, data.y_train))
"""


def time_yardstick() -> float:
    """One yardstick epoch, in a fresh process like a notebook's kernel."""
    result = subprocess.run([sys.executable, "-c", YARDSTICK_CODE], capture_output=True, text=True, check=True,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    return float(result.stdout.strip().splitlines()[-1])


def gpu_in_kernel() -> bool:
    code = "import course_utils as cu; cu.config.quiet_tensorflow_import(); print(cu.config.gpu_names())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1] != "[]"


def cell_seconds(cell) -> float | None:
    execution = cell.get("metadata", {}).get("execution", {})
    start, end = execution.get("iopub.execute_input"), execution.get("shell.execute_reply")
    if not (start and end):
        return None
    parse = lambda stamp: datetime.fromisoformat(stamp.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()




def drop_widget_state(notebook) -> None:
    """No stored widget models: a widget's output shows its still picture until the cell runs again."""
    notebook.metadata.pop("widgets", None)


def run(path: Path, profile: str, save: bool, timeout: int) -> tuple[float, dict, float]:
    notebook = nbformat.read(path, as_version=4)
    os.environ["COURSE_PROFILE"] = profile  # the kernel inherits it
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
        record_timing=True,
    )
    peak = kernel_memory.watch_peak(client)
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    timed = {}
    for cell in notebook.cells:
        seconds = cell_seconds(cell)
        cell.metadata.pop("execution", None)  # timestamps would make every rerun a diff
        if cell.cell_type == "code" and seconds is not None and seconds >= timings.TIMED_CELL_SECONDS:
            timed[cell.get("id", "")] = round(seconds, 1)
    drop_widget_state(notebook)
    if save:
        nbformat.write(notebook, path)
    return elapsed, timed, peak["mib"]


def write_time_lines(path: Path, table: dict) -> None:
    """Rewrite the notebook's "⏱" lines from the recorded table: the same seconds and yardstick as its units."""
    notebook = nbformat.read(path, as_version=4)
    timings.write_expected_times(notebook.cells, timings.expected_time_lines(table, path.name))
    nbformat.write(notebook, path)


def rehash(table: dict, name: str, key: str, ran: str, saved: str) -> None:
    """Give the records this run made of ``name`` (its ``key`` times and offline peak) the hash ``saved``."""
    table["notebooks"][name][key]["source_hash"] = saved
    offline_peak = table.get("memory", {}).get(name, {}).get("offline", {})
    if offline_peak.get("source_hash") == ran:  # a peak from an earlier text is left stale, as it is
        offline_peak["source_hash"] = saved


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: the edition's notebooks/*.ipynb")
    parser.add_argument("--edition", choices=("en", "ko"), default="en",
                        help="en: the English notebooks (notebooks/); ko: the Korean ones (notebooks/ko/)")
    parser.add_argument("--profile", choices=("quick", "full"), default="full")
    parser.add_argument("--no-save", action="store_true", help="run only; leave the files unchanged")
    parser.add_argument("--no-record", action="store_true", help="do not time the yardstick or write timings")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell")
    parser.add_argument("--time-lines-only", action="store_true",
                        help="run nothing: rewrite the notebooks' expected-time lines from scripts/timings.json")
    args = parser.parse_args(argv)
    # The stored outputs show the offline path (the Debian data, the CIFAR-10 stand-in), whatever the network here.
    os.environ.setdefault("COURSE_OFFLINE", "1")
    # English unless a notebook's setup cell says otherwise (the Korean ones do): a COURSE_LANG=ko left in the
    # shell must not put Korean outputs, or Korean "⏱" lines, into the English notebooks
    os.environ["COURSE_LANG"] = "en"
    set_language("en")
    folder = ROOT / "notebooks" / ("" if args.edition == "en" else args.edition)
    paths = [p.resolve() for p in args.notebooks] or sorted(folder.glob("*.ipynb"))
    if args.edition != "en":
        args.no_record = True  # the English run records the times of this same code
    if args.time_lines_only:
        table = timings.load()
        for path in paths:
            write_time_lines(path, table)
            print(f"{path.name}: expected-time lines rewritten from {timings.TIMINGS_FILE.relative_to(ROOT)}")
        return 0
    record = not args.no_record and not (args.profile == "full" and args.no_save)
    if not args.no_record and not record:
        print("not recording: full-profile times are only recorded by the run that stores the outputs")

    gpu = record and gpu_in_kernel()
    key = args.profile + ("-gpu" if gpu else "")  # a GPU run is recorded beside the CPU times, not over them
    table = timings.load()
    yardsticks = []
    if record:
        yardsticks.append(time_yardstick())
        print(f"yardstick: {yardsticks[-1]:.1f} s (one epoch of the seed notes' CNN)", flush=True)
    results = {}
    for path in paths:
        seconds, timed, peak = run(path, args.profile, not args.no_save, args.timeout)
        results[path.name] = (seconds, timed, timings.source_hash(path), peak)
        print(f"{path.name}: {seconds:6.1f} s, kernel peak {peak:,.0f} MiB "
              f"({args.profile}{'' if args.no_save else ', saved'})", flush=True)
    print(f"total: {sum(r[0] for r in results.values()):.1f} s")
    if record:
        yardsticks.append(time_yardstick())
        print(f"yardstick after the notebooks: {yardsticks[-1]:.1f} s", flush=True)
        machine = timings.this_machine(gpu=gpu)
        for name, (seconds, timed, digest, peak) in results.items():
            timings.put(table, name, key, seconds=seconds, timed_cells=timed, source_hash=digest,
                        yardstick=sum(yardsticks) / len(yardsticks), machine=machine)
            if key == "full" and not offline():
                print(f"{name}: peak memory not recorded: the offline path's peak is recorded with COURSE_OFFLINE "
                      "set (python -m scripts.kernel_memory --online --record records the online one)")
            elif key == "full":
                timings.put_memory(table, name, "offline", peak_mib=peak, source_hash=digest)
        timings.save(table)
        timings.update_readme(table)
        if args.profile == "full":
            # the expected-time lines come last, from the table just written: the cell's seconds over the
            # notebook's own yardstick figure (the mean of before and after), with a recorded GPU time if any
            for path in paths:
                write_time_lines(path, table)
                # a line added or dropped takes a blank line with it, which the source hash sees: record the
                # hash of the notebook as saved, so that the record belongs to it
                rehash(table, path.name, key, ran=results[path.name][2], saved=timings.source_hash(path))
            timings.save(table)
        print(f"recorded in {timings.TIMINGS_FILE.relative_to(ROOT)} and the README's course map")
    return 0


if __name__ == "__main__":
    sys.exit(main())
