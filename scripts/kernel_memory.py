#!/usr/bin/env python3
"""Peak memory of each notebook's kernel, run top to bottom: what one student needs on a hub or Binder.

    python -m scripts.kernel_memory                           # every notebook, full profile, offline path
    python -m scripts.kernel_memory --online --record         # the online path, against the loopback stand-ins
    python -m scripts.kernel_memory --profile quick notebooks/10_*.ipynb
    python -m scripts.kernel_memory --cells notebooks/11_*.ipynb   # how much each cell raises the peak

Runs each notebook in a fresh kernel (nothing is saved) and reads the kernel process's peak resident memory
(VmHWM in /proc, Linux only) before shutting it down. Prints a Markdown table with the machine and versions.

The offline path is what the tests and a machine without a network take (the Debian data package, the CIFAR-10
stand-in, notebook 10's online cells skipped). ``--online`` takes the path a student online takes: every download
(Fashion-MNIST, CIFAR-10, ImageNet weights, flower photos) from the test stand-ins served on loopback
(tests/online.py), with the notebooks' online cells running; with ``--record`` the flower photos are as many
and as large as the real archive's, so the recorded times are the real run's. ``--record`` (full profile only)
writes the peaks into scripts/timings.json, from which the README's course map shows them;
``./course.sh run-notebooks`` records the offline path's peak itself, in the run that stores the outputs.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from scripts import timings

ROOT = Path(__file__).resolve().parent.parent


def peak_mib(pid: int) -> float:
    """The peak resident memory (VmHWM) of a running process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def kernel_pid(client: NotebookClient) -> int:
    return client.km.provisioner.process.pid


def watch_peak(client: NotebookClient, report=None) -> dict:
    """Read the kernel's peak after every cell (VmHWM only grows); the returned dict's "mib" holds the latest.
    ``report(index, cell, growth_mib)``, if given, hears how much each code cell raised the peak."""
    peak = {"mib": 0.0}

    def read_peak(cell=None, cell_index=None, **_):
        before, peak["mib"] = peak["mib"], peak_mib(kernel_pid(client))
        if report is not None and cell is not None and cell.cell_type == "code":
            report(cell_index, cell, peak["mib"] - before)

    client.on_notebook_start = lambda **_: peak.update(mib=peak_mib(kernel_pid(client)))  # the kernel's own start
    client.on_cell_executed = read_peak
    return peak


def cell_line(index: int, cell, growth_mib: float) -> str:
    """One line of ``--cells``: the cell's index, how much it raised the kernel's peak, and its first line."""
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f"  cell {index:3d}: peak +{growth_mib:6,.0f} MiB  {first[:80]}"


def measure(path: Path, timeout: int, cells: bool = False) -> tuple[float, float, dict]:
    """(peak MiB, seconds, cell id -> seconds for each code cell) of one top-to-bottom run of the notebook at
    ``path``; ``cells`` prints each code cell's share of the peak (where the memory goes)."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    report = (lambda index, cell, growth: print(cell_line(index, cell, growth), flush=True)) if cells else None
    cell_seconds, started = {}, {}

    def timed(index, cell, growth):
        if cell.get("id"):
            cell_seconds[cell["id"]] = time.perf_counter() - started.get("at", time.perf_counter())
        if report is not None:
            report(index, cell, growth)

    peak = watch_peak(client, timed)
    client.on_cell_start = lambda **_: started.update(at=time.perf_counter())
    start = time.perf_counter()
    client.execute()
    return peak["mib"], time.perf_counter() - start, cell_seconds


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--profile", choices=("quick", "full"), default="full")
    parser.add_argument("--online", action="store_true", help="downloads from the loopback stand-ins")
    parser.add_argument("--record", action="store_true", help="write the peaks into scripts/timings.json")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell")
    parser.add_argument("--cells", action="store_true", help="print how much each code cell raised the peak")
    args = parser.parse_args(argv)
    if args.record and args.profile != "full":
        parser.error(f"--record needs --profile full (got --profile {args.profile}): the course map shows what "
                     "students run")
    os.environ["COURSE_PROFILE"] = args.profile
    os.environ.setdefault("MPLBACKEND", "Agg")
    path_name = "online" if args.online else "offline"
    if args.online:
        from tests.online import start_mirror

        # sets COURSE_TEST_MIRROR, COURSE_OFFLINE=0 and a fresh KERAS_HOME; a recorded run's times are what students
        # read, so it serves the flower photos at the real archive's count and sizes
        start_mirror(f"kernel-memory-{os.getpid()}", full_size=args.record)
    else:
        os.environ["COURSE_OFFLINE"] = "1"
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    from importlib.metadata import version

    command = f"python -m scripts.kernel_memory --profile {args.profile}{' --online' if args.online else ''}"
    print(f"Peak kernel memory per notebook ({args.profile} profile, {path_name} path; {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, TensorFlow {version('tensorflow')}; "
          f"`{command}`)\n")
    print("| notebook | peak MiB | seconds |\n|---|---:|---:|")
    for path in paths:
        peak, seconds, cell_seconds = measure(path, args.timeout, cells=args.cells)
        print(f"| {path.stem} | {peak:,.0f} | {seconds:.0f} |", flush=True)
        if args.record:  # after each notebook, so a later failure keeps what was measured
            table = timings.load()  # read now: another recorded run may have written the file meanwhile
            online = {"seconds": seconds, "cell_seconds": cell_seconds} if args.online else {}
            timings.put_memory(table, path.name, path_name, peak_mib=peak, source_hash=timings.source_hash(path),
                               **online)
            timings.save(table)
            timings.update_readme(table)
            if args.online:  # the "⏱" lines of the cells slow only online (not part of the source hash)
                stored = nbformat.read(path, as_version=4)
                timings.write_expected_times(stored.cells, timings.expected_time_lines(table, path.name))
                nbformat.write(stored, path)
    if args.record:
        print(f"\nrecorded in {timings.TIMINGS_FILE.relative_to(ROOT)} and the README's course map")


if __name__ == "__main__":
    main()
