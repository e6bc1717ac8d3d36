"""The stored notebooks are what a student sees first: check them as committed."""

import copy
import json
from pathlib import Path

import pytest

from scripts import check_notebooks

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_the_course_map_notebooks_exist():
    names = [path.name for path in NOTEBOOKS]
    for prefix in ("00_", "01_", "02_", "03_", "04_", "05_", "06_", "07_", "08_", "09_", "11_"):
        assert any(name.startswith(prefix) for name in names), f"no notebook {prefix}*"


KOREAN = sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS + KOREAN, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_stored_notebook_passes_the_audit(path):
    assert check_notebooks.audit(path) == []


@pytest.fixture
def good_notebook(tmp_path):
    source = ROOT / "notebooks" / "01_perceptron_xor.ipynb"
    return json.loads(source.read_text(encoding="utf-8")), tmp_path / "01_perceptron_xor.ipynb"


def _audit(nb, path):
    path.write_text(json.dumps(nb), encoding="utf-8")
    return check_notebooks.audit(path)


def test_audit_catches_a_stored_error(good_notebook):
    nb, path = good_notebook
    cell = next(c for c in nb["cells"][3:] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "error", "ename": "NameError", "evalue": "x", "traceback": []}]
    assert any("stored error NameError" in p for p in _audit(nb, path))


def test_audit_catches_out_of_order_execution(good_notebook):
    nb, path = good_notebook
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[2]["execution_count"], code[3]["execution_count"] = code[3]["execution_count"], code[2]["execution_count"]
    assert any("execution counts" in p for p in _audit(nb, path))


def test_audit_catches_machine_paths_and_quick_outputs(good_notebook):
    nb, path = good_notebook
    broken = copy.deepcopy(nb)
    code = [c for c in broken["cells"] if c["cell_type"] == "code"]
    code[1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "saved to /home/alice/x.png\n"}]
    code[0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "Profile: quick\n"}]
    problems = _audit(broken, path)
    assert any("machine path '/home/alice/'" in p for p in problems)
    assert any("not from the full profile" in p for p in problems)


def test_audit_catches_a_wrong_badge_and_unexecuted_notebook(good_notebook):
    nb, path = good_notebook
    nb["cells"][0]["source"] = "# 01 · Perceptron\n"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["execution_count"], cell["outputs"] = None, []
    problems = _audit(nb, path)
    assert any("Colab badge" in p for p in problems) and "no stored outputs" in problems


def test_audit_catches_stored_widget_state_and_a_widget_without_a_still(good_notebook):
    nb, path = good_notebook
    widget_outputs = [o for c in nb["cells"] for o in c.get("outputs", [])
                      if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widget_outputs and all("image/png" in o["data"] for o in widget_outputs)
    broken = copy.deepcopy(nb)
    broken["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    assert any("stores widget state" in p for p in _audit(broken, path))
    broken = copy.deepcopy(nb)
    for cell in broken["cells"]:
        for output in cell.get("outputs", []):
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {}):
                del output["data"]["image/png"]
    assert any("without a still picture" in p for p in _audit(broken, path))


def test_audit_catches_a_picture_without_alt_text_and_overlapping_labels(good_notebook):
    nb, path = good_notebook
    pictures = [o for c in nb["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert pictures and all(o["metadata"]["image/png"]["alt"] for o in pictures)
    broken = copy.deepcopy(nb)
    picture = next(o for c in broken["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
    picture["metadata"]["image/png"]["alt"] = ""
    assert any("a picture without alt text" in p for p in _audit(broken, path))
    broken = copy.deepcopy(nb)
    cell = next(c for c in broken["cells"] if any("image/png" in o.get("data", {}) for o in c.get("outputs", [])))
    cell["outputs"].insert(0, {"output_type": "stream", "name": "stderr",
                               "text": "figure text overlaps: 'epoch' and 'the legend' are drawn over each other\n"})
    assert any("a figure's text overlaps: 'epoch' and 'the legend'" in p for p in _audit(broken, path))


def test_audit_catches_a_broken_outline_and_vague_links(good_notebook):
    nb, path = good_notebook
    assert check_notebooks.outline_problems(nb["cells"]) == []
    broken = copy.deepcopy(nb)
    broken["cells"].append({"cell_type": "markdown", "metadata": {}, "source": [
        "# A second title\n", "#### A skipped level\n", "See [here](https://keras.io) and ",
        "[https://keras.io](https://keras.io); [Keras's guide to callbacks](https://keras.io/guides/) is fine.\n",
        "```python\n# a comment in a code block is no heading\n```\n"]})
    problems = check_notebooks.outline_problems(broken["cells"])
    assert problems == [
        f"cell {len(broken['cells'])}: heading 'A skipped level' skips from level 1 to 4",
        f"cell {len(broken['cells'])}: link text 'here' does not say where https://keras.io goes",
        f"cell {len(broken['cells'])}: link text 'https://keras.io' does not say where https://keras.io goes",
        "2 level-1 headings; a notebook has exactly one, its title"]
    assert problems[-1] in _audit(broken, path)
