#!/usr/bin/env python3
"""Drive the course's widgets in JupyterLab in headless Chromium, as a student would, and time them.

    python scripts/browser_widgets.py                  # latency table: median / worst of 10, in ms
    python scripts/browser_widgets.py --repeats 3 --only 02 07

For every notebook with a widget it starts JupyterLab on loopback (with a token, on a copy of the notebook
under runs/browser/), runs all cells, then types into slider boxes, changes dropdowns, clicks toggles and
buttons and edits kernel cells. Each action is timed in the page, from the input event to the new picture
drawn (decoded and painted), and must change the picture (or the text, for controls that only mark
settings as changed). Screenshots of each widget go to runs/browser/screenshots/.

It needs the `playwright` Python package and a Chromium on the machine (Debian's `chromium`; Playwright's own
browser download is never used). tests/test_browser.py runs the same harness with fewer repeats and checks
behaviour, not time.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "runs" / "browser"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
# Known-good on headless CI machines with no outside network (without the last four, Chromium keeps trying to
# reach Google's servers).
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")
VIEWPORT = {"width": 1280, "height": 900}


@dataclass
class Control:
    """One control of a widget and the values the harness gives it in turn (each differs from the one before)."""

    label: str  # its description, as the student sees it
    kind: str  # slider | range | key | dropdown | toggle | button | cell
    values: tuple
    expect: str = "picture"  # what must change: the picture, or (for a control that only marks) the text
    name: str = ""  # row name in the table; defaults to the label
    slow: bool = False  # a button that really trains: timed to its first visible reaction, then waited for

    @property
    def row(self) -> str:
        return self.name or self.label


@dataclass
class WidgetCase:
    notebook: str
    marker: str  # code that creates the widget; finds its cell
    title: str
    controls: tuple = field(default_factory=tuple)


CASES = (
    WidgetCase("00_welcome.ipynb", "ImageBrowser(", "image browser",
               (Control("image", "slider", (5, 17, 2, 30)),)),
    WidgetCase("01_perceptron_xor.ipynb", "PerceptronPlayground(", "perceptron playground",
               (Control("w1", "slider", (-1.0, 1.0)), Control("gate", "dropdown", ("OR", "XOR", "NAND", "AND")))),
    WidgetCase("01_perceptron_xor.ipynb", "PerceptronTrainer(", "perceptron trainer",
               (Control("gate", "dropdown", ("AND", "XOR", "NAND", "OR")),
                Control("learning rate", "slider", (1.0, 0.1), expect="text"),  # from zero weights: same picture
                Control("epochs", "slider", (3, 10, 20, 7, 15)))),
    WidgetCase("02_activation_functions.ipynb", "ActivationExplorer(", "activation explorer",
               (Control("function", "dropdown", ("tanh", "relu", "leaky_relu", "sigmoid")),
                Control("z range", "range", ("-3 - 3", "-10 - 4", "-6 - 6")))),
    WidgetCase("03_loss_functions.ipynb", "LossExplorer(", "loss explorer",
               (Control("predicted p", "slider", (0.2, 0.9), name="p"),
                Control("target y", "toggle", ("0", "1")))),
    WidgetCase("04_gradient_descent_optimizers.ipynb", "OptimizerPlayground(", "optimizer playground",
               (Control("learning rate", "key", ("ArrowRight", "ArrowLeft")),
                Control("optimizer", "dropdown", ("momentum", "adam", "rmsprop", "sgd")),
                Control("surface", "dropdown", ("bowl", "local minimum", "rosenbrock", "beale", "elongated bowl")),
                Control("steps", "slider", (80, 50, 120, 30, 200)))),
    WidgetCase("07_convolution_by_hand.ipynb", "KernelExplorer(", "kernel explorer",
               (Control("0", "cell", (2.0, -1.0), name="cell edit"),
                Control("preset", "dropdown", ("sharpen", "blur (box)", "vertical edges (Sobel x)")),
                Control("stride", "toggle", ("2", "1")),
                Control("pooling", "toggle", ("max 2x2", "none")),
                Control("photo", "dropdown", ("flower", "china")))),
    WidgetCase("09_tuning_regularization.ipynb", "TuningLab(", "tuning lab",
               (Control("dropout", "slider", (0.3, 0.0), expect="text"),
                Control("Run", "button", ("",), slow=True))),
)

# Notebook 09 trains for minutes before its widget; the harness runs only the cells the widget needs.
EXCERPTS = {"09_tuning_regularization.ipynb": ("import course_utils as cu", "x_all = cu.data.normalize",
                                               "TuningLab(")}
EXCERPT_GLUE = {"09_tuning_regularization.ipynb": "x_check, y_check = x_val[:1000], y_val[:1000]"}

# A widget whose slider changes nothing: the harness must report it (its own test, in tests/test_browser.py).
DEAD_WIDGET_NOTEBOOK = "dead_widget.ipynb"
DEAD_WIDGET_CODE = ('import ipywidgets as w\n'
                    'w.VBox([w.IntSlider(description="dead", continuous_update=False), w.HTML("never changes")])')

# Runs in the page: times one action from its input event to the new picture painted.
ARM_JS = """
(root, expect) => {
  window.__result = new Promise((resolve, reject) => {
    let t0 = null;
    const types = ['pointerdown', 'keydown', 'change', 'input'];
    const start = (e) => {
      if (t0 !== null) return;
      if (e.type === 'input' && !['INPUT', 'SELECT'].includes(e.target.tagName)) return;
      t0 = performance.now();
    };
    types.forEach((t) => document.addEventListener(t, start, true));
    const finish = (what) => requestAnimationFrame(() => {
      const t1 = performance.now();
      observer.disconnect();
      types.forEach((t) => document.removeEventListener(t, start, true));
      clearTimeout(timer);
      resolve({ms: t0 === null ? null : t1 - t0, what});
    });
    let done = false;
    const observer = new MutationObserver((mutations) => {
      if (done || t0 === null) return;
      for (const m of mutations) {
        let img = null;
        if (m.type === 'attributes' && m.target.tagName === 'IMG') img = m.target;
        for (const n of m.addedNodes || []) {
          if (n.tagName === 'IMG') img = n;
          else if (n.querySelector && n.querySelector('img')) img = n.querySelector('img');
        }
        if (img) { done = true; img.decode().catch(() => null).then(() => finish('picture')); return; }
        // text counts only in the widget's output (HTML), never the control's own readout
        const node = m.target.nodeType === Node.TEXT_NODE ? m.target.parentElement : m.target;
        if (expect === 'text' && node && node.closest('.widget-html-content')) {
          done = true; finish('text'); return;
        }
      }
    });
    observer.observe(root, {subtree: true, childList: true, attributes: true, attributeFilter: ['src'],
                            characterData: true});
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error('nothing changed within 10 s')); },
                             10000);
  });
}
"""

# A fingerprint of what the widget shows: its pictures' bytes and its output text (not the controls).
FINGERPRINT_JS = """
async (root) => {
  const parts = [];
  for (const img of root.querySelectorAll('img')) {
    const buffer = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-1', buffer);
    parts.push(Array.from(new Uint8Array(digest)).map((b) => b.toString(16).padStart(2, '0')).join(''));
  }
  for (const html of root.querySelectorAll('.widget-html-content')) parts.push(html.innerText);
  return parts.join('|');
}
"""

NOTEBOOK_DONE_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const cells = panel.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type === 'code' && cell.sharedModel.getSource().trim() && cell.executionCount == null) return false;
  }
  return true;
}
"""

CELLS_JS = """
() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const out = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    out.push({type: cell.type, source: cell.sharedModel.getSource(),
              outputs: cell.type === 'code' ? cell.outputs.toJSON() : []});
  }
  return out;
}
"""


def find_chromium() -> str | None:
    override = os.environ.get("COURSE_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    return next((path for path in CHROMIUM_CANDIDATES if Path(path).is_file()), None)


def missing_requirements() -> str | None:
    """Why the browser harness cannot run here, or None when it can."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if find_chromium() is None:
        return "no Chromium found (Debian: apt-get install chromium; or set COURSE_CHROMIUM to its path)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_notebook(name: str, folder: Path) -> Path:
    """Copy a notebook into the harness's folder (never run the course's own files), excerpted if listed."""
    import nbformat

    if name == DEAD_WIDGET_NOTEBOOK:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(DEAD_WIDGET_CODE)])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, folder / name)
        return folder / name
    notebook = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    if name in EXCERPTS:
        wanted = EXCERPTS[name]
        cells = [c for c in notebook.cells if c.cell_type == "code" and any(w in c.source for w in wanted)]
        if len(cells) != len(wanted):
            raise RuntimeError(f"{name}: expected one cell for each of {wanted}, found {len(cells)}")
        cells.insert(-1, nbformat.v4.new_code_cell(EXCERPT_GLUE[name]))
        notebook.cells = cells
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    path = folder / name
    nbformat.write(notebook, path)
    return path


@contextlib.contextmanager
def jupyterlab(folder: Path, profile: str = "quick"):
    """A JupyterLab server on loopback with a token, serving ``folder``; yields its base URL and token."""
    port, token = _free_port(), secrets.token_hex(16)
    state = WORK / "jupyter"  # its settings, runtime files and IPython history stay inside runs/
    settings = state / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    tracker = state / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True, exist_ok=True)  # every cell in the page, so each widget can be found and scrolled to
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ, COURSE_PROFILE=profile, MPLBACKEND="module://matplotlib_inline.backend_inline",
               JUPYTER_RUNTIME_DIR=str(state / "runtime"), JUPYTER_CONFIG_DIR=str(state / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"), IPYTHONDIR=str(state / "ipython"))
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--allow-root",
               "--LabApp.expose_app_in_browser=True"]
    log = open(state / "server.log", "w")  # closed in the finally below
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited at start; see {state / 'server.log'}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("JupyterLab did not answer within 60 s")
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=list(CHROMIUM_FLAGS))
        try:
            yield browser
        finally:
            browser.close()


def run_notebook(page, base: str, token: str, name: str, timeout_s: float = 300) -> list[dict]:
    """Open a notebook, run all its cells and wait until every code cell has run; returns the cells."""
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")  # reset: no notebook from before
    page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel && "
                           "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
                           timeout=120_000, polling=200)
    page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.set_default_timeout(timeout_s * 1000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")  # resolves when all ran
    page.set_default_timeout(30_000)
    page.wait_for_function(NOTEBOOK_DONE_JS, timeout=60_000, polling=200)
    return page.evaluate(CELLS_JS)


def cell_errors(cells: list[dict]) -> list[str]:
    return [f"cell {i}: {out.get('ename')}: {out.get('evalue')}" for i, cell in enumerate(cells)
            for out in cell["outputs"] if out.get("output_type") == "error"]


def widget_root(page, cells: list[dict], marker: str):
    """The outermost widget element in the output of the (first) cell whose code contains ``marker``."""
    index = next((i for i, c in enumerate(cells) if c["type"] == "code" and marker in c["source"]), None)
    if index is None:
        raise LookupError(f"no cell creates {marker!r}")
    panel = page.evaluate("window.jupyterapp.shell.currentWidget.id")
    cell = page.locator(f"[id='{panel}'] .jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    root = cell.locator(".jp-OutputArea-output .jupyter-widgets").first
    root.wait_for(state="visible", timeout=30_000)
    return root


def _labelled(root, kind: str, label: str):
    css = {"slider": ".widget-slider", "range": ".widget-slider", "key": ".widget-slider",
           "dropdown": ".widget-dropdown", "toggle": ".widget-toggle-buttons"}[kind]
    return root.locator(css).filter(has=root.page.locator(".widget-label", has_text=label)).first


def act(root, control: Control, value) -> None:
    """Give one value to one control, the way a student would."""
    if control.kind in ("slider", "range"):
        readout = _labelled(root, control.kind, control.label).locator(".widget-readout")
        readout.evaluate("(el, v) => { el.textContent = v; }", str(value))  # as if typed; Enter sends it
        readout.press("Enter")
    elif control.kind == "key":
        _labelled(root, "key", control.label).locator(".noUi-handle").first.press(value)
    elif control.kind == "dropdown":
        _labelled(root, "dropdown", control.label).locator("select").select_option(label=str(value))
    elif control.kind == "toggle":
        _labelled(root, "toggle", control.label).locator("button", has_text=str(value)).first.click()
    elif control.kind == "button":
        root.locator("button.widget-button", has_text=control.label).first.click()
    elif control.kind == "cell":
        box = root.locator(".widget-text input").nth(int(control.label))
        box.fill(str(value))
        box.press("Enter")
    else:
        raise ValueError(f"unknown control kind {control.kind!r}")


def fingerprint(root) -> str:
    return hashlib.sha1(root.evaluate(FINGERPRINT_JS).encode()).hexdigest()


def drive(root, control: Control, repeats: int) -> list[float]:
    """Give the control each of its values ``repeats`` times in turn; returns the latencies (ms)."""
    times = []
    for step in range(repeats):
        value = control.values[step % len(control.values)]
        before = fingerprint(root)
        root.evaluate(ARM_JS, "text" if control.slow else control.expect)
        try:
            act(root, control, value)
            result = root.page.evaluate("window.__result")
        except Exception as error:  # noqa: BLE001 (re-raised with what was being done)
            raise AssertionError(f"{control.row} = {value!r}: {str(error).splitlines()[0]}") from None
        if result["ms"] is None:
            raise AssertionError(f"{control.row}: no input event was seen")
        times.append(result["ms"])
        if control.slow:  # a real training: wait for the button to come back and the new picture
            root.locator("button.widget-button:not([disabled])", has_text=control.label).wait_for(timeout=300_000)
        # a Train button may redraw the same deterministic result; every other action must show something new
        if not (control.kind == "button" and not control.slow) and fingerprint(root) == before:
            raise AssertionError(f"{control.row} = {value!r}: the widget shows the same as before")
    return times


def page_problems(page) -> list[str]:
    text = page.locator(".jp-Notebook").first.inner_text()
    return [phrase for phrase in ("Error displaying widget", "Loading widget", "Traceback") if phrase in text]


def run_cases(cases=CASES, repeats: int = 10, profile: str = "quick", screenshots: Path | None = None,
              log=print, strict: bool = True) -> dict:
    """Drive every case; returns {(title, control row): [ms, ...]}.

    A broken widget (nothing changes, an error shows) raises AssertionError, or with ``strict=False`` is logged
    and left with no times.
    """
    folder = WORK / "notebooks"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    screenshots = screenshots or WORK / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    results = {}
    by_notebook = {}
    for case in cases:
        by_notebook.setdefault(case.notebook, []).append(case)
    with jupyterlab(folder, profile) as (base, token), chromium() as browser:
        for name, notebook_cases in by_notebook.items():
            prepare_notebook(name, folder)
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            errors = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            start = time.perf_counter()
            cells = run_notebook(page, base, token, name)
            log(f"{name}: ran all cells in {time.perf_counter() - start:.0f} s")
            problems = cell_errors(cells)
            if problems:
                raise AssertionError(f"{name}: cells failed: {problems}")
            for case in notebook_cases:
                root = widget_root(page, cells, case.marker)
                root.screenshot(path=screenshots / f"{Path(name).stem[:2]}_{case.title.replace(' ', '_')}.png")
                for control in case.controls:
                    n = 1 if control.slow else repeats
                    try:
                        results[(case.title, control.row)] = drive(root, control, n)
                    except AssertionError as error:
                        if strict:
                            raise AssertionError(f"{name}, {case.title}: {error}") from None
                        log(f"FAILED {name}, {case.title}: {error}")
                        results[(case.title, control.row)] = []
                root.screenshot(path=screenshots / f"{Path(name).stem[:2]}_{case.title.replace(' ', '_')}_after.png")
            bad = page_problems(page)
            if bad or errors:
                raise AssertionError(f"{name}: the page shows {bad} and logged errors {errors[:3]}")
            page.evaluate("window.jupyterapp.commands.execute('kernelmenu:shutdown')")
            page.close()
    return results


def table(results: dict) -> str:
    lines = ["| widget | control | median ms | worst ms |", "|---|---|---:|---:|"]
    for (title, row), times in results.items():
        if not times:
            lines.append(f"| {title} | {row} | failed | failed |")
            continue
        lines.append(f"| {title} | {row} | {statistics.median(times):.0f} | {max(times):.0f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="timed changes per control (default 10)")
    parser.add_argument("--only", nargs="*", default=None, help="notebook number prefixes, e.g. 02 07")
    parser.add_argument("--json", type=Path, help="also write the times to this file (inside runs/)")
    args = parser.parse_args(argv)
    why = missing_requirements()
    if why:
        print(f"browser_widgets: cannot run: {why}", file=sys.stderr)
        return 2
    cases = [c for c in CASES if args.only is None or c.notebook[:2] in args.only]
    results = run_cases(cases, repeats=args.repeats, strict=False)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({f"{t} / {r}": v for (t, r), v in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
