"""The widgets in a real browser: JupyterLab in headless Chromium, driven as a student would.

Runs every notebook that has a widget (notebook 09 only up to its widget), moves each widget's main controls
and checks that the picture or text changes, that no cell fails and that no "Error displaying widget" or
"Loading widget" text is left. Screenshots of each widget go to runs/browser/screenshots/. Times are not
checked here (the machine's load decides them); scripts/browser_widgets.py prints the latency table.

Needs the playwright package and Debian's chromium (./course.sh test installs both). Without them the test
is skipped, unless COURSE_REQUIRE_BROWSER=1 (set by CI), where it fails.
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("browser_widgets", ROOT / "scripts" / "browser_widgets.py")
harness = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = harness  # its dataclasses look their module up there
spec.loader.exec_module(harness)


def test_every_widget_responds_in_the_browser():
    why = harness.missing_requirements()
    if why:
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test must run here, but {why}")
        pytest.skip(why)
    results = harness.run_cases(repeats=2, log=lambda line: None)
    expected = {(case.title, control.row) for case in harness.CASES for control in case.controls}
    assert set(results) == expected and all(results.values())
    shots = harness.WORK / "screenshots"
    assert all((shots / f"{case.notebook[:2]}_{case.title.replace(' ', '_')}.png").is_file()
               for case in harness.CASES)


def test_the_colab_drawing_path_works_in_the_browser(monkeypatch):
    """Pictures sent as base64 PNGs in HTML widgets (what Colab gets) also show and change."""
    if harness.missing_requirements():
        pytest.skip(harness.missing_requirements())
    monkeypatch.setenv("COURSE_WIDGET_IMAGES", "html")  # the kernel inherits it from the server
    cases = [case for case in harness.CASES if case.title == "perceptron playground"]
    results = harness.run_cases(cases, repeats=2, log=lambda line: None)
    assert all(results.values()) and len(results) == 2


def test_the_harness_reports_a_widget_that_changes_nothing():
    """The check that a control changed something must be able to fail."""
    if harness.missing_requirements():
        pytest.skip(harness.missing_requirements())
    dead = harness.WidgetCase(harness.DEAD_WIDGET_NOTEBOOK, "IntSlider(", "dead widget",
                              (harness.Control("dead", "slider", (3, 5), expect="text"),))
    with pytest.raises(AssertionError, match="dead = 3: .*nothing changed"):
        harness.run_cases([dead], repeats=1, log=lambda line: None)
    with pytest.raises(ValueError, match="unknown control kind"):
        harness.act(None, harness.Control("x", "wheel", (1,)), 1)
