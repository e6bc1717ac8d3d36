"""The widgets in a real browser: a notebook frontend in headless Chromium, driven as a student would.

Runs every notebook that has a widget (notebook 09 only up to its widget), moves each widget's main controls
and checks that the picture or text changes, that no cell fails and that no "Error displaying widget" or
"Loading widget" text is left. Screenshots of each widget go to runs/browser/screenshots/. Times are not
checked here (the machine's load decides them); scripts/browser_widgets.py prints the latency table.

COURSE_BROWSER_FRONTEND chooses the frontend: `lab` (JupyterLab 4, ipywidgets 8; the default) or `classic`
(Notebook 6.5, ipywidgets 7, like Colab's frontend; `./course.sh test --colab` sets it).

Needs the playwright package, the frontend's server and Debian's chromium (./course.sh test installs them).
Without them the tests are skipped, unless COURSE_REQUIRE_BROWSER=1 (set by CI), where they fail.
"""

import os
from pathlib import Path

import pytest

from scripts import browser_widgets as harness

ROOT = Path(__file__).resolve().parent.parent

FRONTEND = os.environ.get(harness.FRONTEND_VARIABLE, "lab")
IMAGES = "COURSE_WIDGET_IMAGES"  # how the kernel sends pictures; it inherits the server's environment


def require_browser():
    why = harness.missing_requirements(FRONTEND)
    if why:
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser test must run here, but {why}")
        pytest.skip(why)


def test_every_widget_responds_in_the_browser(monkeypatch):
    require_browser()
    monkeypatch.setenv(IMAGES, "image")
    # each control twice by mouse or typing, then twice by keyboard alone (Tab to it, a visible focus ring, keys)
    results = harness.run_cases(repeats=2, log=lambda line: None, frontend=FRONTEND, keyboard=True)
    expected = {(case.title, control.row) for case in harness.CASES for control in case.controls}
    assert set(results) == expected and all(results.values())
    shots = harness.WORK / "screenshots"
    assert all((shots / harness.screenshot_name(case)).is_file() for case in harness.CASES)


def test_the_colab_drawing_path_works_in_the_browser(monkeypatch):
    """Pictures sent as base64 PNGs in HTML widgets (what Colab gets) also show and change."""
    require_browser()
    monkeypatch.setenv(IMAGES, "html")
    # In the ipywidgets-7 frontend this is the students' own path on Colab, so every widget goes it there.
    cases = [case for case in harness.CASES if FRONTEND == "classic" or case.title == "perceptron playground"]
    results = harness.run_cases(cases, repeats=2, log=lambda line: None, frontend=FRONTEND)
    expected = {(case.title, control.row) for case in cases for control in case.controls}
    assert set(results) == expected and all(results.values())


def test_the_harness_reports_a_widget_that_changes_nothing():
    """The check that a control changed something must be able to fail."""
    require_browser()
    dead = harness.WidgetCase(harness.DEAD_WIDGET_NOTEBOOK, "IntSlider(", "dead widget",
                              (harness.Control("dead", "slider", (3, 5), expect="text"),))
    with pytest.raises(AssertionError, match="dead = 3: .*nothing changed"):
        harness.run_cases([dead], repeats=1, log=lambda line: None, frontend=FRONTEND)
    # a slider that works by mouse and by keys, but shows no focus ring: keyboard users cannot see where they are
    plain = harness.WidgetCase(harness.PLAIN_WIDGET_NOTEBOOK, "IntSlider(", "plain widget",
                               (harness.Control("plain", "slider", (3, 5), expect="text"),))
    with pytest.raises(AssertionError, match="plain, by keyboard: the focused .* shows no focus ring"):
        harness.run_cases([plain], repeats=1, log=lambda line: None, frontend=FRONTEND, keyboard=True)
    with pytest.raises(ValueError, match="unknown control kind"):
        harness.act(None, harness.Control("x", "wheel", (1,)), 1)


def test_a_frontend_whose_server_is_missing_is_named(monkeypatch):
    installed = {"jupyterlab": "4.6.6", "notebook": "7.4.0", "widgetsnbextension": None}
    monkeypatch.setattr(harness, "_installed_version", installed.get)
    assert harness.missing_server(harness.chosen_frontend("lab")) is None
    assert "needs notebook==6.*, but notebook 7.4.0 is installed" in harness.missing_server(
        harness.chosen_frontend("classic"))
    installed.update(notebook="6.5.7")
    assert "needs widgetsnbextension" in harness.missing_server(harness.chosen_frontend("classic"))
    installed.update(jupyterlab=None)
    assert "needs jupyterlab, which is not installed" in harness.missing_server(harness.chosen_frontend("lab"))
    with pytest.raises(ValueError, match="COURSE_BROWSER_FRONTEND must be one of lab, classic"):
        harness.chosen_frontend("colab")
