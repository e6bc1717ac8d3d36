#!/usr/bin/env python3
"""Execute notebooks top to bottom in a fresh kernel and store their outputs.

    python scripts/run_notebooks.py                      # every notebook, full profile, saved
    python scripts/run_notebooks.py --profile quick --no-save notebooks/01_*.ipynb

Stored outputs must come from one clean run of the committed code: this is
the only way the course writes outputs into a notebook. Widget state is
stored so that JupyterLab can show the widgets' last view before the kernel
runs. Prints each notebook's wall time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run(path: Path, profile: str, save: bool, timeout: int) -> float:
    notebook = nbformat.read(path, as_version=4)
    os.environ["COURSE_PROFILE"] = profile  # the kernel inherits it
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    if save:
        nbformat.write(notebook, path)
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--profile", choices=("quick", "full"), default="full")
    parser.add_argument("--no-save", action="store_true", help="run only; leave the files unchanged")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = run(path, args.profile, not args.no_save, args.timeout)
        total += seconds
        print(f"{path.name}: {seconds:6.1f} s ({args.profile}{'' if args.no_save else ', saved'})", flush=True)
    print(f"total: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
