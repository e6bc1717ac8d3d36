#!/usr/bin/env python3
"""Check the stored notebooks the way a student would meet them.

    python -m scripts.check_notebooks [NOTEBOOK ...]    (default: notebooks/*.ipynb and notebooks/ko/*.ipynb)

For each notebook: valid nbformat 4 with a python3 kernel; a title cell with
the right "Open in Colab" badge; a setup cell that installs course_utils on
Colab and calls setup(); outputs stored from one top-to-bottom run (execution
counts 1..N) of the full profile; no stored errors; no machine-specific paths;
"Exercises" and "Summary" sections; at most MAX_BYTES on disk; no cell with more than
MAX_OUTPUT_LINES lines of printed output; a notebook that trains asks Colab for a GPU.
The Korean notebooks (notebooks/ko) are held to the same checks, in Korean: their badge opens the Korean
notebook, their setup cell says the profile in Korean, their sections are 연습 문제 and 요약.
Prints one line per problem; exits 1 if there is any.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from course_utils import config

ROOT = Path(__file__).resolve().parent.parent


MAX_BYTES = 3 * 1024 * 1024
MAX_OUTPUT_LINES = 80
MACHINE_PATH = re.compile(r"(/root/|/home/[\w.-]+/|/tmp/|/work/|/Users/[\w.-]+/|[A-Z]:\\\\Users\\\\|/content/)")
NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
OVERLAP_WARNING = config.OVERLAP_WARNING
SECTIONS = {"en": ("Exercises", "Summary"), "ko": ("연습 문제", "요약")}


def _profile_full() -> dict:
    """How each edition's setup cell begins its line on a full-profile run ("Profile: full", in Korean too)."""
    from course_utils.language import _translations

    template = "Profile: {active} ({where}; set {variable}=quick|full to change). Seed: {seed}."
    korean = _translations("ko").get(template, template)
    return {"en": "Profile: full", "ko": korean.split("{active}")[0] + "full"}


PROFILE_FULL = _profile_full()


def text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def output_text(output) -> str:
    parts = [text(output.get("text"))]
    for kind, value in output.get("data", {}).items():
        if kind.startswith("text/"):
            parts.append(text(value))
    parts.extend(output.get("traceback", []))
    return "\n".join(parts)


VAGUE_LINK_TEXT = re.compile(r"(?i)\s*(here|click here|this|this link|link|more|read more|see|docs?)\s*")


def outline_problems(cells) -> list[str]:
    """What a screen reader's outline and link list need: one H1, headings that go down one level at a time,
    and link texts that say where they go (not "here", not a bare address)."""
    problems, level, titles = [], 0, 0
    for index, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "markdown":
            continue
        source = re.sub(r"```.*?```", "", text(cell.get("source")), flags=re.S)  # code blocks hold no headings
        for hashes, heading in re.findall(r"^(#{1,6}) +(.*)$", source, flags=re.M):
            titles += len(hashes) == 1
            if len(hashes) > level + 1:
                problems.append(f"cell {index}: heading {heading[:40]!r} skips from level {level} to {len(hashes)}")
            level = len(hashes)
        for label, target in re.findall(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)[^)]*\)", source):
            if VAGUE_LINK_TEXT.fullmatch(label) or re.match(r"https?://", label):
                problems.append(f"cell {index}: link text {label!r} does not say where {target[:60]} goes")
    if titles != 1:
        problems.append(f"{titles} level-1 headings; a notebook has exactly one, its title")
    return problems


def audit(path: Path) -> list[str]:
    problems = []
    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.append(f"{size / 1e6:.1f} MB on disk (limit {MAX_BYTES / 1e6:.1f} MB)")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [f"not valid JSON: {exc}"]
    if nb.get("nbformat") != 4:
        problems.append(f"nbformat {nb.get('nbformat')}, expected 4")
    if nb.get("metadata", {}).get("kernelspec", {}).get("name") != "python3":
        problems.append("kernelspec is not python3")
    cells = nb.get("cells", [])
    if not cells:
        return problems + ["no cells"]

    title = text(cells[0].get("source"))
    if cells[0].get("cell_type") != "markdown" or not title.startswith("# "):
        problems.append("first cell is not a markdown title ('# ...')")
    edition = "ko" if path.parent.name == "ko" else "en"
    if NOTEBOOK_NAME.match(path.name):
        badge = config.colab_url(path.name, edition)
        if badge not in title:
            problems.append(f"title cell lacks the Colab badge link {badge}")
    code = [c for c in cells if c.get("cell_type") == "code" and text(c.get("source")).strip()]
    if not code:
        return problems + ["no code cells"]
    setup = text(code[0].get("source"))
    if config.pip_install_target() not in setup or "setup(" not in setup:
        problems.append("first code cell is not the setup cell (Colab install of course_utils + setup())")

    counts = [c.get("execution_count") for c in code]
    if all(n is None for n in counts):
        problems.append("no stored outputs")
    elif counts != list(range(1, len(counts) + 1)):
        problems.append(f"execution counts {counts[:10]}... are not 1..{len(counts)} in order")
    setup_out = "\n".join(output_text(o) for o in code[0].get("outputs", []))
    if counts[0] is not None and PROFILE_FULL[edition] not in setup_out:
        problems.append("stored outputs are not from the full profile (setup cell does not say 'Profile: full')")

    trains = any("cu.training.progress(" in text(c.get("source")) for c in code)
    if trains and nb.get("metadata", {}).get("accelerator") != "GPU":
        problems.append("trains models but its metadata does not ask Colab for a GPU runtime (accelerator: GPU)")

    if "widgets" in nb.get("metadata", {}):
        problems.append("stores widget state (JupyterLab does not use it; widgets carry a still picture instead)")
    for index, cell in enumerate(code, start=1):
        for output in cell.get("outputs", []):
            bundle = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in bundle and "image/png" not in bundle:
                problems.append(f"code cell {index}: a widget output without a still picture (image/png)")
            if "image/png" in bundle and not output.get("metadata", {}).get("image/png", {}).get("alt", "").strip():
                problems.append(f"code cell {index}: a picture without alt text (setup() describes every figure)")
            if OVERLAP_WARNING in output_text(output):
                problems.append(f"code cell {index}: a figure's text overlaps: "
                                f"{output_text(output).split(OVERLAP_WARNING, 1)[1].splitlines()[0].strip()[:100]}")

    problems += outline_problems(cells)
    headings = [text(c.get("source")) for c in cells if c.get("cell_type") == "markdown"]
    for needed in SECTIONS[edition]:
        if not any(re.search(rf"^#+ .*{needed}", h, re.M) for h in headings):
            problems.append(f"no '{needed}' section")

    for index, cell in enumerate(cells, start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        match = MACHINE_PATH.search(text(cell.get("source")))
        if match:
            problems.append(f"cell {index}: machine path {match.group(0)!r} in source")
        stream_lines = sum(text(o.get("text")).count("\n") for o in cell.get("outputs", []))
        if stream_lines > MAX_OUTPUT_LINES:
            problems.append(f"cell {index}: {stream_lines} lines of printed output (at most {MAX_OUTPUT_LINES}; "
                            "train with verbose=0 and cu.training.progress())")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and "raises-exception" not in tags:
                problems.append(f"cell {index}: stored error {output.get('ename')}: {output.get('evalue', '')[:80]}")
            match = MACHINE_PATH.search(output_text(output))
            if match:
                problems.append(f"cell {index}: machine path {match.group(0)!r} in output")
    return problems


def main(argv) -> int:
    paths = [Path(a) for a in argv] or [*sorted((ROOT / "notebooks").glob("*.ipynb")),
                                        *sorted((ROOT / "notebooks" / "ko").glob("*.ipynb"))]
    total = 0
    for path in paths:
        for problem in audit(path):
            total += 1
            print(f"{path.name}: {problem}")
    print(f"check_notebooks: {len(paths)} notebooks, {total} problems")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
