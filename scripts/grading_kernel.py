#!/usr/bin/env python3
"""The kernel that runs a submission while it is graded: student code, so it runs in a sandbox.

nbgrader starts it as the kernel ``course-sandbox`` (``scripts/grading.py`` writes its kernelspec):

    python scripts/grading_kernel.py --memory-mib 4096 --hide runs/class CONNECTION_FILE

- **Memory**: the kernel's address space is capped (``RLIMIT_AS``); past it, allocations fail (MemoryError).
- **Network**: none. The kernel has a network namespace of its own, so it talks to nbgrader over Unix sockets
  (the connection file's ``ipc`` transport), and nothing else can be reached.
- **Files**: the whole file system is read-only, apart from the submission's own folder (the kernel's working
  folder), the folder of its Unix sockets, and a private ``/tmp``. The course folder that
  ``--hide`` names (the instructor's versions, the gradebook, the other students' work) is replaced by an empty
  folder, so a submission cannot read it.
- **Time**: nbgrader interrupts a cell that runs longer than its timeout (``Execute.timeout``).

The sandbox is bubblewrap (``bwrap``, Debian's package ``bubblewrap``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
from pathlib import Path


def sandbox_command(connection_file: Path, working: Path, hide: list[Path], python: str = sys.executable) -> list:
    """The bwrap command line that starts ipykernel inside the sandbox."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SystemExit("grading_kernel: bwrap is not installed; install Debian's package bubblewrap "
                         "(sudo apt-get install bubblewrap): submissions are never run without the sandbox.")
    command = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
               "--unshare-net", "--unshare-ipc", "--die-with-parent", "--new-session"]
    for folder in hide:
        command += ["--tmpfs", str(folder)]
    # after the hidden folders and /tmp, which may hold these (bwrap makes the mount points): the connection
    # file (read-only), the folder of the Unix sockets it names, and the submission's own folder
    sockets = Path(json.loads(connection_file.read_text(encoding="utf-8"))["ip"]).parent
    command += ["--ro-bind", str(connection_file), str(connection_file)]
    for folder in dict.fromkeys([sockets, working]):
        command += ["--bind", str(folder), str(folder)]
    command += ["--chdir", str(working), "--setenv", "HOME", "/tmp", "--setenv", "MPLCONFIGDIR", "/tmp/matplotlib",
                "--setenv", "KERAS_HOME", "/tmp/keras", "--setenv", "COURSE_OFFLINE", "1",
                python, "-m", "ipykernel_launcher", "-f", str(connection_file)]
    return command


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memory-mib", type=int, default=4096, help="address space cap of the kernel, in MiB")
    parser.add_argument("--hide", type=Path, action="append", default=[], help="a folder the kernel must not see")
    parser.add_argument("connection_file", type=Path)
    args = parser.parse_args(argv)
    if args.memory_mib < 512:
        parser.error(f"--memory-mib is {args.memory_mib}; give at least 512 (TensorFlow alone maps about 1,600)")
    limit = args.memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # inherited through bwrap by the kernel
    command = sandbox_command(args.connection_file.resolve(), Path.cwd().resolve(),
                              [folder.resolve() for folder in args.hide])
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
