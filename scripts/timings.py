"""The course's timing table: scripts/timings.json and the README's course map made from it.

run_notebooks.py writes the file after each recorded run; tests/test_timings.py checks
that the README shows what the file says, that every notebook's recorded times belong
to its current source, that every notebook is within its budget in yardstick units, and that
every "⏱" line above a long cell is the one this file's figures give.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from pathlib import Path

from course_utils.language import tr

ROOT = Path(__file__).resolve().parent.parent
TIMINGS_FILE = ROOT / "scripts" / "timings.json"
README = ROOT / "README.md"
MAP_START, MAP_END = "<!-- course-map:start -->", "<!-- course-map:end -->"

#: A cell that takes this long (full profile) must say beforehand how long it takes, in a "⏱" line of the
#: markdown cell just above it. run_notebooks.py writes that line for every cell that takes TIMED_CELL_SECONDS or
#: more, from what it records for the run in scripts/timings.json (expected_time_lines), after the run's last
#: yardstick, so a line's yardstick units are the cell's share of the notebook's units in the course map.
SLOW_CELL_SECONDS = 20.0
TIMED_CELL_SECONDS = 5.0
EXPECTED_TIME_MARK = "⏱"
#: Budget per notebook in yardstick units (one epoch of the seed notes' CNN); tuning gets twice as much.
BUDGET_UNITS = 10.0
BUDGET_UNITS_BY_PREFIX = {"09": 20.0}
#: Wall-time budget per notebook, full profile, on the 2-core machine (tuning: 10 minutes).
BUDGET_SECONDS = 300.0
BUDGET_SECONDS_BY_PREFIX = {"09": 600.0}
#: Wall-time budget per notebook, quick profile (what the test suite runs), on the same machine; tuning gets twice
#: as much, as in the full profile (it trains 33 models, and Keras traces each one however small its data).
QUICK_BUDGET_SECONDS = 60.0
QUICK_BUDGET_SECONDS_BY_PREFIX = {"09": 120.0}
#: Notebooks whose quick profile is still over that budget, and why; tests/test_timings.py expects them to fail
#: it (strictly: one that comes within budget must leave this list).
QUICK_OVER_BUDGET: dict[str, str] = {}
#: The seconds budgets hold on a machine whose yardstick epoch takes this long (the slow end of the 2-core
#: machines' usual 15-30 s); a run recorded while the machine was slower still (its speed swings up to 3x
#: with load) gets the budget scaled by its own yardstick, which is what the units budget says anyway.
REFERENCE_YARDSTICK_SECONDS = 30.0

#: Peak memory of one notebook's kernel (VmHWM, full profile), on the offline path and on the online path: what
#: a 2 GB Binder session or a small hub seat leaves a kernel once JupyterLab's own server is running.
MEMORY_BUDGET_MIB = 1536
#: Notebooks whose recorded peak is still over that budget, and why; tests/test_timings.py expects them to fail it
#: (strictly: one that comes within budget must leave this list).
MEMORY_OVER_BUDGET: dict[str, str] = {}
MEMORY_PATHS = ("offline", "online")

PLANNED = {
    "09": "Hyperparameter tuning and regularization",
    "10": "Transfer learning",
    "11": "Modern CNN architectures",
}


def source_hash(path: Path) -> str:
    """SHA-256 of a notebook's cell types and sources: what changes when the code or text does.

    The "⏱" lines are left out, and so are blank lines: run_notebooks.py and kernel_memory.py rewrite the "⏱"
    lines (with the blank line that sets each apart) from the timings they record.
    """
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for cell in notebook["cells"]:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        source = "\n".join(line for line in source.splitlines()
                           if line.strip() and not line.startswith(EXPECTED_TIME_MARK))
        digest.update(cell["cell_type"].encode() + b"\0" + source.encode() + b"\0")
    return digest.hexdigest()[:16]


def expected_time_line(seconds: float, yardstick: float, gpu_seconds: float | None = None) -> str:
    """The "⏱" line shown above a long cell, from a measured time (in the language of ``course_utils.language``:
    the Korean build writes the same figures in Korean)."""
    rounded = max(5, int(round(seconds / 5.0)) * 5)
    gpu = tr("about {seconds:.0f} s on a GPU", seconds=gpu_seconds) if gpu_seconds else tr("not yet timed on a GPU")
    return tr("{mark} This cell takes about {rounded} s on a 2-core CPU ({units:.1f} yardstick units; see the course "
              "map in the README); {gpu}.", mark=EXPECTED_TIME_MARK, rounded=rounded, units=seconds / yardstick,
              gpu=gpu)


def online_time_line(seconds: float, yardstick: float) -> str:
    """The "⏱" line above a cell that is slow only online (it downloads and trains; offline it prints a line)."""
    rounded = max(5, int(round(seconds / 5.0)) * 5)
    return tr("{mark} Online only: this cell takes about {rounded} s on a 2-core CPU ({units:.1f} yardstick units), "
              "measured against the tests' stand-ins (as much data as the real files), so the download's time is "
              "not counted; offline it prints one line.", mark=EXPECTED_TIME_MARK, rounded=rounded,
              units=seconds / yardstick)


def expected_time_lines(table: dict, notebook: str) -> dict:
    """Cell id -> the "⏱" line above that cell, for every cell timed in the notebook's recorded full run.

    The one definition of a cell's expected time: its seconds in ``timed_cells`` divided by the same
    ``yardstick_seconds`` that the notebook's ``units`` use (the mean of the yardsticks timed before and after the
    run), so the lines and the course map always agree; plus the cell's time in the recorded GPU run, if any.
    """
    full = table.get("notebooks", {}).get(notebook, {}).get("full")
    if not full:
        return {}
    gpu = timed_cells(table, notebook, "full-gpu")
    lines = {cell_id: expected_time_line(seconds, full["yardstick_seconds"], gpu.get(cell_id))
             for cell_id, seconds in full["timed_cells"].items()}
    online = table.get("memory", {}).get(notebook, {}).get("online", {}).get("timed_cells", {})
    for cell_id, seconds in online.items():  # slow online only: offline, the cell was not even timed
        if cell_id not in lines:
            lines[cell_id] = online_time_line(seconds, full["yardstick_seconds"])
    return lines


def write_expected_times(cells: list, lines: dict) -> None:
    """Put each line of ``lines`` (cell id -> "⏱" line) into the markdown cell just above that code cell, and drop
    the line above every other code cell (a cell that has become fast must not keep its old line).

    ``cells`` are nbformat cells (``source`` a string).
    """
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or index == 0 or cells[index - 1].cell_type != "markdown":
            continue
        above = cells[index - 1]
        line = lines.get(cell.get("id", ""))
        above.source = set_expected_time(above.source, line) if line else drop_expected_time(above.source)


def stated_seconds(markdown: str) -> float | None:
    """The seconds a "⏱" line states, or None when there is no such line."""
    match = re.search(rf"^{EXPECTED_TIME_MARK} This cell takes about (\d+) s", markdown, re.M)
    return float(match.group(1)) if match else None


def set_expected_time(markdown: str, line: str) -> str:
    """Replace the markdown's "⏱" line with ``line``, or append it."""
    kept = [text for text in markdown.splitlines() if not text.startswith(EXPECTED_TIME_MARK)]
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept + ["", line]) if kept else line


def drop_expected_time(markdown: str) -> str:
    """The markdown without its "⏱" line (the cell below it is no longer slow)."""
    if EXPECTED_TIME_MARK not in markdown:
        return markdown
    kept = [text for text in markdown.splitlines() if not text.startswith(EXPECTED_TIME_MARK)]
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept)


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def this_machine(gpu: bool) -> dict:
    return {"cpu": cpu_name(), "cores": os.cpu_count(), "gpu": bool(gpu)}


def load() -> dict:
    if TIMINGS_FILE.is_file():
        return json.loads(TIMINGS_FILE.read_text(encoding="utf-8"))
    return {"notebooks": {}}


def save(table: dict) -> None:
    TIMINGS_FILE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def put(table: dict, notebook: str, profile: str, *, seconds: float, timed_cells: dict, source_hash: str,
        yardstick: float, machine: dict) -> None:
    entry = table.setdefault("notebooks", {}).setdefault(notebook, {})
    yardstick = round(yardstick, 1)  # the units and the "⏱" lines (expected_time_lines) divide by this same figure
    entry[profile] = {
        "seconds": round(seconds, 1),
        "units": round(seconds / yardstick, 2),
        "yardstick_seconds": yardstick,
        "timed_cells": timed_cells,
        "source_hash": source_hash,
        "machine": machine,
    }


def put_memory(table: dict, notebook: str, path: str, *, peak_mib: float, source_hash: str,
               seconds: float | None = None, cell_seconds: dict | None = None) -> None:
    """Record a notebook's peak kernel memory in the full profile on one path ("offline" or "online"). On the
    online path, also the run's seconds and, from ``cell_seconds`` (cell id -> seconds), the cells that took
    TIMED_CELL_SECONDS or more: the "⏱" lines of cells slow only online come from these."""
    if path not in MEMORY_PATHS:
        raise ValueError(f"put_memory: path must be one of {', '.join(MEMORY_PATHS)}, got {path!r}.")
    entry = table.setdefault("memory", {}).setdefault(notebook, {})
    entry[path] = {"peak_mib": round(peak_mib), "source_hash": source_hash, "machine": this_machine(gpu=False),
                   "tensorflow": _installed("tensorflow"), "python": platform.python_version()}
    if seconds is not None:
        entry[path]["seconds"] = round(seconds, 1)
    if cell_seconds is not None:
        entry[path]["timed_cells"] = {cell_id: round(s, 1) for cell_id, s in cell_seconds.items()
                                      if s >= TIMED_CELL_SECONDS}


def _installed(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def quick_memory_ceiling(table: dict, notebook: str) -> float:
    """What the test suite holds a notebook's kernel to in the quick profile (conftest.py reads the peak after the
    notebook's last cell under nbval): the full profile's budget; for a notebook still over that budget, its own
    recorded full-profile peak, since the quick profile does the same work on less data and must not need more."""
    if notebook[:2] not in MEMORY_OVER_BUDGET:
        return float(MEMORY_BUDGET_MIB)
    peaks = [run["peak_mib"] for run in table.get("memory", {}).get(notebook, {}).values()]
    return float(max(peaks, default=MEMORY_BUDGET_MIB))


def memory_cell(table: dict, notebook: str) -> str:
    """The course map's memory column: "1,234 MiB / 1,301 MiB" (offline / online path), from the record."""
    entry = table.get("memory", {}).get(notebook, {})
    return " / ".join(f"{entry[p]['peak_mib']:,} MiB" if p in entry else "not measured" for p in MEMORY_PATHS)


def timed_cells(table: dict, notebook: str, profile: str) -> dict:
    """Cell id -> seconds of one recorded run (empty when that run was never recorded)."""
    return table.get("notebooks", {}).get(notebook, {}).get(profile, {}).get("timed_cells", {})


def budget_units(notebook: str) -> float:
    return BUDGET_UNITS_BY_PREFIX.get(notebook[:2], BUDGET_UNITS)


def _slow_machine_scale(yardstick_seconds: float) -> float:
    return max(1.0, yardstick_seconds / REFERENCE_YARDSTICK_SECONDS)


def budget_seconds(notebook: str, yardstick_seconds: float = REFERENCE_YARDSTICK_SECONDS) -> float:
    return BUDGET_SECONDS_BY_PREFIX.get(notebook[:2], BUDGET_SECONDS) * _slow_machine_scale(yardstick_seconds)


def quick_budget_seconds(yardstick_seconds: float = REFERENCE_YARDSTICK_SECONDS, notebook: str = "") -> float:
    budget = QUICK_BUDGET_SECONDS_BY_PREFIX.get(notebook[:2], QUICK_BUDGET_SECONDS)
    return budget * _slow_machine_scale(yardstick_seconds)


def notebook_title(path: Path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first = notebook["cells"][0]["source"]
    first = first if isinstance(first, str) else "".join(first)
    title = first.splitlines()[0].lstrip("# ").strip()
    return re.sub(r"^\d\d\s*·\s*", "", title)


def _machine_words(machine: dict) -> str:
    return f"{machine['cpu']}, {machine['cores']} cores, {'with' if machine['gpu'] else 'no'} GPU"


def _span(seconds: list) -> str:
    if not seconds:
        return "not measured"
    low, high = f"{min(seconds):.0f}", f"{max(seconds):.0f}"
    return f"{low} s" if low == high else f"{low}–{high} s"


def course_map(table: dict) -> str:
    """The README's course map: every notebook with its status and recorded times."""
    rows = ["| # | notebook | status | quick | full | full, in yardstick units | full, GPU "
            "| peak memory, full (offline / online) |",
            "|---|---|---|---|---|---|---|---|"]
    machines, yardsticks, quick_yardsticks = set(), [], []
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    present = {p.name[:2] for p in paths}
    for number in sorted(present | set(PLANNED)):
        path = next((p for p in paths if p.name.startswith(number)), None)
        if path is None:
            rows.append(f"| {number} | {PLANNED[number]} | planned | | | | | |")
            continue
        entry = table.get("notebooks", {}).get(path.name, {})
        cells = []
        for profile in ("quick", "full"):
            run = entry.get(profile)
            cells.append(f"{run['seconds']:.0f} s" if run else "not recorded")
            if run:
                machines.add(_machine_words(run["machine"]))
                (yardsticks if profile == "full" else quick_yardsticks).append(run["yardstick_seconds"])
        full = entry.get("full")
        units = f"{full['units']:.1f} (budget {budget_units(path.name):.0f})" if full else "not recorded"
        gpu_run = entry.get("full-gpu")
        gpu = f"{gpu_run['seconds']:.0f} s" if gpu_run else "not yet timed"
        if gpu_run:
            machines.add(_machine_words(gpu_run["machine"]))
        title = notebook_title(path)
        rows.append(f"| {number} | [{title}](notebooks/{path.name}) | ready | {cells[0]} | {cells[1]} | {units} "
                    f"| {gpu} | {memory_cell(table, path.name)} |")
    rows.append("| – | [Glossary (English / 한국어)](notebooks/glossary.md) | grows with the course | | | | | |")
    machine_line = "; ".join(sorted(machines)) or "no run recorded yet"
    yard, quick_yard = _span(yardsticks), _span(quick_yardsticks)
    over = "".join(f"; {number} is still over it: {why}" for number, why in sorted(QUICK_OVER_BUDGET.items()))
    notes = [
        "",
        f"Times are wall-clock seconds of one clean top-to-bottom run (`./course.sh run-notebooks`), on: "
        f"{machine_line}. A yardstick unit is one epoch of the seed notes' CNN (Adam, batch 32, 54,000 "
        f"Fashion-MNIST images), timed in the same run ({yard} in the full run): divide by it and a table made on "
        "a busy machine reads like one made on a quiet one. Budget: 5 minutes and 10 units per notebook "
        f"(20 for tuning), and {QUICK_BUDGET_SECONDS:.0f} s per notebook in the quick profile (what the tests run; "
        f"{QUICK_BUDGET_SECONDS_BY_PREFIX['09']:.0f} s for tuning)"
        f"{over}. The seconds budgets hold up to a yardstick of {REFERENCE_YARDSTICK_SECONDS:.0f} s and grow with a "
        f"slower one (the quick runs' yardsticks: {quick_yard}). The GPU column fills in when "
        "`./course.sh run-notebooks` runs on a machine with a GPU "
        "(recorded beside the CPU times, and added to every expected-time line).",
        "",
        f"Peak memory is the largest resident memory of the notebook's kernel (VmHWM) in one top-to-bottom run of the "
        "full profile: on the offline path, recorded by the run that stores the outputs (or, for a notebook "
        "unchanged since, by `python -m scripts.kernel_memory --record`), and on the online path (every download "
        "served by the test stand-ins on loopback, the flower photos as many and as large as the real archive's), "
        "by `python -m scripts.kernel_memory --online --record`. "
        f"Budget: {MEMORY_BUDGET_MIB:,} MiB per notebook, what a 2 GB Binder session leaves a kernel "
        "beside JupyterLab's server"
        f"{''.join(f'; {n} is still over it: {why}' for n, why in sorted(MEMORY_OVER_BUDGET.items()))}.",
    ]
    return "\n".join(rows + notes)


def write_readme_block(start_mark: str, end_mark: str, body: str) -> None:
    """Replace what the README holds between two marker comments with ``body``."""
    text = README.read_text(encoding="utf-8")
    start, end = text.index(start_mark) + len(start_mark), text.index(end_mark)
    README.write_text(text[:start] + "\n" + body + "\n" + text[end:], encoding="utf-8")


def readme_block(start_mark: str, end_mark: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index(start_mark) + len(start_mark):text.index(end_mark)].strip()


def update_readme(table: dict) -> None:
    write_readme_block(MAP_START, MAP_END, course_map(table))


def readme_map() -> str:
    return readme_block(MAP_START, MAP_END)
