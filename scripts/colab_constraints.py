#!/usr/bin/env python3
"""Write constraints-colab.txt: Colab's exact versions of everything the course and its tests install.

    python -m scripts.colab_constraints pip-freeze.txt --date 2026-08-19

PIP_FREEZE is Colab's published package list: the file ``pip-freeze.txt`` of the public repository
``googlecolab/backend-info`` (the date is that file's last commit). The script installs the course's
requirements and the test tools into a temporary venv, pinned to Colab's versions where Colab has the package
and to ``constraints.txt`` where it does not (keras-tuner, nbval, ...), then writes what was installed.
``./course.sh test --colab`` installs exactly that file. Needs the network (PyPI); takes a minute or two.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "constraints-colab.txt"
#: What the Colab-versions test run needs beyond requirements.txt. The classic Notebook 6.5 is the
#: ipywidgets-7 frontend the browser test drives (Colab's own frontend cannot run outside Colab).
TEST_TOOLS = ["nbval", "pytest-xdist", "playwright", "notebook"]


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text: str) -> dict[str, str]:
    """{normalized name: 'Name==version'} from pip freeze or constraints text (URL and editable lines skipped)."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and " @ " not in line and not line.startswith("-"):
            pins[normalized(line.split("==", 1)[0])] = line
    return pins


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("freeze", type=Path, help="Colab's pip-freeze.txt")
    parser.add_argument("--date", required=True, help="date of that file (YYYY-MM-DD), written into the header")
    args = parser.parse_args()
    colab = read_pins(args.freeze.read_text(encoding="utf-8"))
    ours = read_pins((ROOT / "constraints.txt").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        pins = Path(tmp) / "pins.txt"
        pins.write_text("\n".join(list(colab.values()) + [v for k, v in ours.items() if k not in colab]) + "\n")
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run(pip + ["install", "-r", str(ROOT / "requirements.txt"), *TEST_TOOLS, "-c", str(pins)],
                       check=True)
        frozen = subprocess.run(pip + ["freeze", "--all", "--exclude", "pip", "--exclude", "setuptools",
                                       "--exclude", "wheel"], check=True, capture_output=True, text=True).stdout
    installed = read_pins(frozen)
    on_colab = sorted((v for k, v in installed.items() if k in colab), key=str.lower)
    not_on_colab = sorted((v for k, v in installed.items() if k not in colab), key=str.lower)
    header = [
        f"# Colab's versions (googlecolab/backend-info, pip-freeze.txt of {args.date}) of what the course",
        "# and its Colab-versions tests install; `./course.sh test --colab` installs exactly these.",
        f"# Regenerate: python -m scripts.colab_constraints pip-freeze.txt --date {args.date}",
        "# (the newest pip-freeze.txt of that repository, and its date). Colab itself ignores this file.",
        "",
        "# Preinstalled on Colab: the version Colab has.",
    ]
    lines = header + on_colab + ["", "# Not preinstalled on Colab (pip adds them): constraints.txt's version where it "
                                 "pins one.", *not_on_colab]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.name}: {len(on_colab)} of Colab's packages, {len(not_on_colab)} others")


if __name__ == "__main__":
    main()
