#!/usr/bin/env python3
"""Peak memory of each notebook's kernel, run top to bottom: what one student needs on a JupyterHub.

    python -m scripts.kernel_memory                       # every notebook, full profile
    python -m scripts.kernel_memory --profile quick notebooks/10_*.ipynb

Runs each notebook in a fresh kernel (nothing is saved) and reads the kernel process's peak resident memory
(VmHWM in /proc, Linux only) before shutting it down. Prints a Markdown table with the machine and versions.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def measure(path: Path, timeout: int) -> tuple[float, float]:
    """(peak MiB, seconds) of one top-to-bottom run of the notebook at ``path``."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        peak = peak_mib(pid)
    return peak, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--profile", choices=("quick", "full"), default="full")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell")
    args = parser.parse_args()
    os.environ["COURSE_PROFILE"] = args.profile
    os.environ.setdefault("MPLBACKEND", "Agg")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    from importlib.metadata import version

    print(f"Peak kernel memory per notebook ({args.profile} profile; {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, TensorFlow {version('tensorflow')}; "
          f"`python -m scripts.kernel_memory --profile {args.profile}`)\n")
    print("| notebook | peak MiB | seconds |\n|---|---:|---:|")
    for path in paths:
        peak, seconds = measure(path, args.timeout)
        print(f"| {path.stem} | {peak:,.0f} | {seconds:.0f} |", flush=True)


if __name__ == "__main__":
    main()
