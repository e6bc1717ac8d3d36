#!/usr/bin/env python3
"""Point the course at another GitHub repository (after forking it): one command.

    python -m scripts.set_repo OWNER/NAME

Rewrites every copy of the repository name: ``REPO`` in course_utils/config.py, the Colab
badges and ``%pip install`` lines of every notebook, the README and pyproject.toml.
tests/test_repository_links.py then checks that they all agree.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")


def current_repo(root: Path) -> str:
    match = re.search(r'^REPO = "([^"]+)"', (root / "course_utils" / "config.py").read_text(encoding="utf-8"), re.M)
    if not match:
        raise SystemExit("set_repo: REPO = \"...\" not found in course_utils/config.py")
    return match.group(1)


def files(root: Path) -> list[Path]:
    return [root / "course_utils" / "config.py", root / "README.md", root / "pyproject.toml",
            *sorted((root / "notebooks").glob("*.ipynb")), *sorted((root / "notebooks" / "ko").glob("*.ipynb"))]


def set_repo(new: str, root: Path = ROOT) -> int:
    """Replace the repository name everywhere; returns how many places changed."""
    if not NAME.match(new):
        raise SystemExit(f"set_repo: give OWNER/NAME as on GitHub (e.g. alice/deep-learning-course), got {new!r}")
    old = current_repo(root)
    changed = 0
    for path in files(root):
        text = path.read_text(encoding="utf-8")
        count = text.count(old)
        if count and old != new:
            path.write_text(text.replace(old, new), encoding="utf-8")
            changed += count
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", help="OWNER/NAME of the GitHub repository")
    args = parser.parse_args(argv)
    old = current_repo(ROOT)
    changed = set_repo(args.repo)
    print(f"{old} -> {args.repo}: {changed} places rewritten. Run ./course.sh test to check the links.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
