"""The timing table cannot go stale: it belongs to the notebooks as they are, and they keep their budget."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
spec = importlib.util.spec_from_file_location("timings", ROOT / "scripts" / "timings.py")
timings = importlib.util.module_from_spec(spec)
spec.loader.exec_module(timings)
TABLE = timings.load()


def test_the_readme_course_map_is_made_from_the_recorded_timings():
    assert timings.readme_map() == timings.course_map(TABLE).strip(), (
        "README course map differs from scripts/timings.json: run scripts/run_notebooks.py"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_recorded_times_belong_to_the_notebook_as_it_is(path):
    entry = TABLE["notebooks"].get(path.name)
    assert entry, f"{path.name} has no recorded times: run scripts/run_notebooks.py"
    for profile in ("quick", "full"):
        assert profile in entry, f"{path.name}: no {profile}-profile time recorded"
        assert entry[profile]["source_hash"] == timings.source_hash(path), (
            f"{path.name} changed after its {profile} time was recorded: run scripts/run_notebooks.py again"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_full_profile_is_within_budget(path):
    full = TABLE["notebooks"][path.name]["full"]
    assert full["units"] <= timings.budget_units(path.name), f"{full['units']} yardstick units"
    assert full["seconds"] <= timings.budget_seconds(path.name, full["yardstick_seconds"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_quick_profile_is_within_budget(path, request):
    if path.name[:2] in timings.QUICK_OVER_BUDGET:
        request.applymarker(pytest.mark.xfail(reason=timings.QUICK_OVER_BUDGET[path.name[:2]], strict=True))
    quick = TABLE["notebooks"][path.name]["quick"]
    assert quick["seconds"] <= timings.quick_budget_seconds(quick["yardstick_seconds"]), (
        f"{quick['seconds']} s in the quick profile (yardstick {quick['yardstick_seconds']} s)"
    )


def test_the_quick_budget_grows_only_on_a_slow_machine():
    assert timings.quick_budget_seconds(15.0) == timings.quick_budget_seconds(30.0) == 60.0
    assert timings.quick_budget_seconds(45.0) == 90.0
    assert set(timings.QUICK_OVER_BUDGET) <= {path.name[:2] for path in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_long_cell_says_beforehand_how_long_it_takes(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    timed = TABLE["notebooks"][path.name]["full"]["timed_cells"]
    by_id = {cell.get("id"): index for index, cell in enumerate(cells)}
    for cell_id, seconds in timed.items():
        index = by_id[cell_id]
        above = cells[index - 1]
        stated = timings.stated_seconds("".join(above["source"])) if above["cell_type"] == "markdown" else None
        if seconds >= timings.SLOW_CELL_SECONDS:
            assert stated is not None, f"cell {index + 1} takes {seconds} s and no '⏱' line above says so"
        if stated is not None:
            assert stated / 2 <= seconds <= stated * 2, f"cell {index + 1}: says {stated} s, took {seconds} s"
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown" and timings.stated_seconds("".join(cell["source"])) is not None:
            below = cells[index + 1] if index + 1 < len(cells) else {}
            assert below.get("id") in timed, f"cell {index + 1} states a time for a cell that was not timed"


def test_expected_time_lines_are_rewritten_not_hashed():
    line = timings.expected_time_line(42.0, yardstick=20.0)
    assert timings.stated_seconds(line) == 40 and "2.1 yardstick units" in line
    text = timings.set_expected_time("Some text.\n\n⏱ This cell takes about 90 s on a 2-core CPU.", line)
    assert text == "Some text.\n\n" + line
    assert timings.set_expected_time("", line) == line
    # a cell that became fast loses its line; text without one is left as it is
    assert timings.drop_expected_time(text) == "Some text."
    assert timings.drop_expected_time("Some text.\n") == "Some text.\n"
