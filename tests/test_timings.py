"""The timing table cannot go stale: it belongs to the notebooks as they are, and they keep their budget."""

import json
from pathlib import Path

import pytest

from scripts import timings

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TABLE = timings.load()


def test_the_readme_course_map_is_made_from_the_recorded_timings():
    assert timings.readme_map() == timings.course_map(TABLE).strip(), (
        "README course map differs from scripts/timings.json: run python -m scripts.run_notebooks"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_recorded_times_belong_to_the_notebook_as_it_is(path):
    entry = TABLE["notebooks"].get(path.name)
    assert entry, f"{path.name} has no recorded times: run python -m scripts.run_notebooks"
    for profile in ("quick", "full"):
        assert profile in entry, f"{path.name}: no {profile}-profile time recorded"
        assert entry[profile]["source_hash"] == timings.source_hash(path), (
            f"{path.name} changed after its {profile} time was recorded: run python -m scripts.run_notebooks again"
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
    assert quick["seconds"] <= timings.quick_budget_seconds(quick["yardstick_seconds"], path.name), (
        f"{quick['seconds']} s in the quick profile (yardstick {quick['yardstick_seconds']} s)"
    )


def test_the_online_path_is_within_the_time_budget_too():
    # a student online also runs the cells that download and train (against the stand-ins, downloads take no time)
    over = {}
    for name, paths in TABLE.get("memory", {}).items():
        online, full = paths.get("online", {}), TABLE["notebooks"].get(name, {}).get("full")
        if "seconds" in online and full:
            units = online["seconds"] / full["yardstick_seconds"]
            if units > timings.budget_units(name):
                over[name] = round(units, 1)
    assert not over, f"online runs over their yardstick budget (units): {over}"


def test_the_quick_budget_grows_only_on_a_slow_machine():
    assert timings.quick_budget_seconds(15.0) == timings.quick_budget_seconds(30.0) == 60.0
    assert timings.quick_budget_seconds(45.0) == 90.0
    assert timings.quick_budget_seconds(15.0, "09_tuning_regularization.ipynb") == 120.0
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_time_lines_and_the_course_map_use_one_yardstick(path):
    """A "⏱" line is the recorded cell time over the notebook's own recorded yardstick, as the map's units are."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    full = TABLE["notebooks"][path.name]["full"]
    expected = timings.expected_time_lines(TABLE, path.name)
    for index, cell in enumerate(cells[1:], start=1):
        above = cells[index - 1]
        if cell["cell_type"] != "code" or above["cell_type"] != "markdown":
            continue
        stated = [line for line in "".join(above["source"]).splitlines() if line.startswith(timings.EXPECTED_TIME_MARK)]
        wanted = [expected[cell["id"]]] if cell.get("id") in expected else []
        assert stated == wanted, (
            f"cell {index}: its '⏱' line is not the one scripts/timings.json gives (units over the notebook's "
            f"yardstick of {full['yardstick_seconds']} s): run python -m scripts.run_notebooks --time-lines-only "
            f"{path.name}"
        )
    # so the long cells' units can never add up to more than the whole notebook's
    assert sum(full["timed_cells"].values()) / full["yardstick_seconds"] <= full["units"] + 0.01


def test_time_lines_are_written_from_the_table_after_the_run():
    nbformat = pytest.importorskip("nbformat")
    table = {"notebooks": {"99_x.ipynb": {
        "full": {"seconds": 60.0, "units": 4.0, "yardstick_seconds": 15.0,
                 "timed_cells": {"slow": 45.0, "below-code": 6.0}},
        "full-gpu": {"timed_cells": {"slow": 3.0}}}}}
    cells = [nbformat.v4.new_markdown_cell("Train.", id="m1"), nbformat.v4.new_code_cell("fit()", id="slow"),
             nbformat.v4.new_markdown_cell("Was slow.\n\n⏱ This cell takes about 90 s on a 2-core CPU.", id="m2"),
             nbformat.v4.new_code_cell("fast()", id="fast"), nbformat.v4.new_code_cell("more()", id="below-code")]
    lines = timings.expected_time_lines(table, "99_x.ipynb")
    timings.write_expected_times(cells, lines)
    assert cells[0].source == "Train.\n\n" + lines["slow"]
    assert timings.stated_seconds(cells[0].source) == 45 and "(3.0 yardstick units;" in cells[0].source
    assert "about 3 s on a GPU" in cells[0].source
    assert cells[2].source == "Was slow."  # a cell that became fast loses its line
    assert timings.expected_time_lines({"notebooks": {}}, "99_x.ipynb") == {}


def test_a_cell_slow_only_online_gets_its_line_from_the_online_run():
    table = {"notebooks": {"99_x.ipynb": {"full": {"seconds": 60.0, "units": 4.0, "yardstick_seconds": 15.0,
                                                   "timed_cells": {"slow": 45.0}}}}}
    timings.put_memory(table, "99_x.ipynb", "online", peak_mib=1000.0, source_hash="x", seconds=200.0,
                       cell_seconds={"slow": 50.0, "downloads": 120.0, "quick": 1.0})
    online = table["memory"]["99_x.ipynb"]["online"]
    assert online["timed_cells"] == {"slow": 50.0, "downloads": 120.0} and online["seconds"] == 200.0
    lines = timings.expected_time_lines(table, "99_x.ipynb")
    assert set(lines) == {"slow", "downloads"}
    assert timings.stated_seconds(lines["slow"]) == 45  # a cell timed offline keeps its offline line
    assert lines["downloads"].startswith("⏱ Online only: this cell takes about 120 s") and "8.0 yardstick" in \
        lines["downloads"]
    assert timings.stated_seconds(lines["downloads"]) is None  # not an offline time: the offline checks skip it


def test_expected_time_lines_are_rewritten_not_hashed():
    line = timings.expected_time_line(42.0, yardstick=20.0)
    assert timings.stated_seconds(line) == 40 and "2.1 yardstick units" in line
    text = timings.set_expected_time("Some text.\n\n⏱ This cell takes about 90 s on a 2-core CPU.", line)
    assert text == "Some text.\n\n" + line
    assert timings.set_expected_time("", line) == line
    # a cell that became fast loses its line; text without one is left as it is
    assert timings.drop_expected_time(text) == "Some text."
    assert timings.drop_expected_time("Some text.\n") == "Some text.\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
@pytest.mark.parametrize("memory_path", timings.MEMORY_PATHS)
def test_recorded_peak_memory_belongs_to_the_notebook_as_it_is(path, memory_path):
    entry = TABLE.get("memory", {}).get(path.name, {})
    command = ("python -m scripts.run_notebooks" if memory_path == "offline"
               else "python -m scripts.kernel_memory --online --record")
    assert memory_path in entry, f"{path.name}: no peak memory recorded on the {memory_path} path: run {command}"
    assert entry[memory_path]["source_hash"] == timings.source_hash(path), (
        f"{path.name} changed after its {memory_path} peak memory was recorded: run {command} again")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_peak_memory_is_within_budget(path, request):
    if path.name[:2] in timings.MEMORY_OVER_BUDGET:
        request.applymarker(pytest.mark.xfail(reason=timings.MEMORY_OVER_BUDGET[path.name[:2]], strict=True))
    entry = TABLE.get("memory", {}).get(path.name, {})
    peaks = {memory_path: entry[memory_path]["peak_mib"] for memory_path in timings.MEMORY_PATHS
             if memory_path in entry}
    assert peaks and max(peaks.values()) <= timings.MEMORY_BUDGET_MIB, (
        f"{path.name}: peak kernel memory {peaks} MiB, budget {timings.MEMORY_BUDGET_MIB:,} MiB")


def test_the_memory_column_shows_both_paths_from_the_record():
    table = {"memory": {"01_x.ipynb": {"offline": {"peak_mib": 1234}, "online": {"peak_mib": 1301}},
                        "02_x.ipynb": {"offline": {"peak_mib": 700}}}}
    assert timings.memory_cell(table, "01_x.ipynb") == "1,234 MiB / 1,301 MiB"
    assert timings.memory_cell(table, "02_x.ipynb") == "700 MiB / not measured"
    assert set(timings.MEMORY_OVER_BUDGET) <= {path.name[:2] for path in NOTEBOOKS}
    with pytest.raises(ValueError, match="path must be one of offline, online"):
        timings.put_memory({}, "01_x.ipynb", "colab", peak_mib=1.0, source_hash="x")


def test_the_quick_profile_is_held_to_the_budget_or_to_its_own_full_peak(monkeypatch):
    monkeypatch.setattr(timings, "MEMORY_OVER_BUDGET", {"11": "why"})
    table = {"memory": {"11_x.ipynb": {"offline": {"peak_mib": 2100}, "online": {"peak_mib": 2169}}}}
    assert timings.quick_memory_ceiling(table, "01_x.ipynb") == timings.MEMORY_BUDGET_MIB == 1536
    assert timings.quick_memory_ceiling(table, "11_x.ipynb") == 2169


def test_a_run_restamps_its_own_records_with_the_hash_of_the_notebook_as_saved():
    # the run rewrites the notebook's expected-time lines after recording it, which changes its source hash
    from scripts.run_notebooks import rehash

    table = {"notebooks": {"a.ipynb": {"full": {"source_hash": "ran"}, "quick": {"source_hash": "older"}}},
             "memory": {"a.ipynb": {"offline": {"source_hash": "ran"}, "online": {"source_hash": "ran"}}}}
    rehash(table, "a.ipynb", "full", ran="ran", saved="saved")
    assert table["notebooks"]["a.ipynb"] == {"full": {"source_hash": "saved"}, "quick": {"source_hash": "older"}}
    # the offline peak was measured in this run; the online one by another command, which must measure it again
    assert table["memory"]["a.ipynb"] == {"offline": {"source_hash": "saved"}, "online": {"source_hash": "ran"}}
    table["memory"]["a.ipynb"]["offline"]["source_hash"] = "earlier text"
    rehash(table, "a.ipynb", "full", ran="ran", saved="saved")
    assert table["memory"]["a.ipynb"]["offline"]["source_hash"] == "earlier text"


def test_the_class_section_quotes_the_largest_recorded_peak_and_its_headroom():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running the course for a class", 1)[1].split("\n## ", 1)[0]
    largest = max(record["peak_mib"] for paths in TABLE["memory"].values() for record in paths.values())
    assert f"**the largest recorded peak is {largest:,.0f} MiB**" in section, "quote the recorded largest peak"
    server = int(re.search(r"JupyterLab's server took (\d+) MiB", section)[1])
    seat = int(re.search(r"Give each seat \*\*([\d,]+) MiB\*\*", section)[1].replace(",", ""))
    headroom = seat - largest - server
    assert f"({largest:,.0f} + {server} = {largest + server:,.0f} MiB) leaves {headroom:,.0f} MiB, " \
           f"{round(100 * headroom / seat)} % of the seat" in section
    assert headroom >= 0.1 * seat, "the seat must leave at least 10 % headroom"
    # every other place that quotes the peak (Binder's bullet) quotes the same record
    for quoted, with_server in re.findall(r"the largest peak, ([\d,]+) MiB, and the server take ([\d,]+) MiB", section):
        assert (quoted, with_server) == (f"{largest:,.0f}", f"{largest + server:,.0f}"), "quote the recorded peak"
    assert "the largest peak, " in section
    for limit in ("tljh-config set limits.memory", "singleuser.memory.limit:"):
        assert f"{limit} {seat}M" in section, limit


def test_writing_a_time_line_leaves_the_source_hash_as_it_was(tmp_path):
    # the lines are written after a run (and an online run writes its own later): the records must stay valid
    nbformat = pytest.importorskip("nbformat")
    cells = [nbformat.v4.new_markdown_cell("Train it.", id="m"), nbformat.v4.new_code_cell("fit()", id="c")]
    path = tmp_path / "99_x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    before = timings.source_hash(path)
    timings.write_expected_times(cells, {"c": timings.online_time_line(60.0, 20.0)})
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert cells[0].source.startswith("Train it.\n\n⏱ Online only") and timings.source_hash(path) == before
    cells[0].source = "Train it twice."
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert timings.source_hash(path) != before  # a change to the text still counts
