#!/usr/bin/env python3
"""Drive the course's widgets in a notebook frontend in headless Chromium, as a student would, and time them.

    python -m scripts.browser_widgets                  # latency table: median / worst of 10, in ms
    python -m scripts.browser_widgets --repeats 3 --only 02 07
    python -m scripts.browser_widgets --frontend classic   # Notebook 6.5 with ipywidgets 7, as on Colab

Two frontends: `lab` (JupyterLab 4, ipywidgets 8; the default) and `classic` (Notebook 6.5 with
widgetsnbextension 3.6, an ipywidgets-7 frontend like Colab's, which cannot run here). --frontend, or else the
environment variable COURSE_BROWSER_FRONTEND, chooses. For every notebook with a widget it starts the server on
loopback (with a token, on a copy of the notebook under runs/browser/), runs all cells, then types into slider
boxes, changes dropdowns, clicks toggles and buttons and edits kernel cells. Each action is timed in the page,
from the input event to the new picture drawn (decoded and painted), and must change the picture (or the text,
for controls that only mark settings as changed). Screenshots of each widget go to runs/browser/screenshots/.
With COURSE_LANG=ko the kernels speak Korean and the harness finds each control by its Korean label.

It needs the `playwright` Python package, the chosen frontend's server package and a Chromium on the machine
(Debian's `chromium`; Playwright's own browser download is never used). tests/test_browser.py runs the same
harness with fewer repeats and checks behaviour, not time.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
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

from course_utils.language import tr  # the labels as the student sees them: Korean under COURSE_LANG=ko

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
EXCERPTS = {"09_tuning_regularization.ipynb": ("import course_utils as cu", "train_val_split(data.x_train",
                                               "TuningLab(")}
EXCERPT_GLUE = {"09_tuning_regularization.ipynb": "x_check, y_check = x_val[:1000], y_val[:1000]"}

# A widget whose slider changes nothing: the harness must report it (its own test, in tests/test_browser.py).
DEAD_WIDGET_NOTEBOOK = "dead_widget.ipynb"
DEAD_WIDGET_CODE = ('import ipywidgets as w\n'
                    'w.VBox([w.IntSlider(description="dead", continuous_update=False), w.HTML("never changes")])')
# A working slider without the course's focus ring (widgets.base.FOCUS_CSS): the keyboard check must catch it.
PLAIN_WIDGET_NOTEBOOK = "plain_widget.ipynb"
PLAIN_WIDGET_CODE = ('import ipywidgets as w\n'
                     'plain, shown = w.IntSlider(description="plain", continuous_update=False), w.HTML("0")\n'
                     'plain.observe(lambda change: setattr(shown, "value", str(change["new"])), names="value")\n'
                     'w.VBox([plain, shown])')
MADE_NOTEBOOKS = {DEAD_WIDGET_NOTEBOOK: DEAD_WIDGET_CODE, PLAIN_WIDGET_NOTEBOOK: PLAIN_WIDGET_CODE}

# Text a broken widget leaves in the page: ipywidgets 8 in JupyterLab, then widgetsnbextension 3.6 (ipywidgets 7).
PROBLEM_PHRASES = ("Error displaying widget", "Loading widget", "Traceback", "Error rendering Jupyter widget",
                   "A Jupyter widget could not be displayed")

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

# Pictures a screen reader cannot describe: an <img> with no alt text and no description beside it (the Image
# path's hidden live region, course_utils.widgets.base.description_html)
UNDESCRIBED_JS = """
(root) => {
  const described = Array.from(root.querySelectorAll('.course-picture-description'))
    .filter((node) => node.textContent.trim().length > 'Picture:'.length).length;
  const bare = Array.from(root.querySelectorAll('img')).filter((img) => !(img.getAttribute('alt') || '').trim());
  return Math.max(0, bare.length - described);
}
"""

LAB_READY_JS = """
() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const session = panel && panel.sessionContext && panel.sessionContext.session;
  return !!(session && session.kernel && session.kernel.status === 'idle');
}
"""

LAB_DONE_JS = """
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

LAB_CELLS_JS = """
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

CLASSIC_READY_JS = """
() => {
  const notebook = window.Jupyter && window.Jupyter.notebook;
  const kernel = notebook && notebook.kernel;
  return !!(kernel && kernel.is_connected() && !notebook.kernel_busy && kernel.widget_manager);
}
"""

# ipywidgets 7's manager asks a new kernel for its widgets (by comm_info, after logging this line, as a fresh kernel
# has no "control" comm) and then re-renders every widget output it finds. Cells run before that request get
# their widgets re-rendered from outputs it has already blanked: the widget vanishes. Once the line is logged, the
# request is sent, and cells run after it queue behind it in the kernel.
CLASSIC_WIDGETS_LOADED_LOG = "fallback to fetching individual model state"

# execute_all_cells marks every cell "running" at once; a reply (also "aborted", after an error) unmarks it.
CLASSIC_DONE_JS = """
() => {
  const notebook = window.Jupyter.notebook;
  if (notebook.kernel_busy) return false;
  return notebook.get_cells().every((cell) => !cell.element.hasClass('running'));
}
"""

CLASSIC_CELLS_JS = """
() => window.Jupyter.notebook.get_cells().map((cell) => ({
  type: cell.cell_type, source: cell.get_text(),
  outputs: cell.cell_type === 'code' ? cell.output_area.toJSON() : []}))
"""


@dataclass(frozen=True)
class Frontend:
    """What differs between the notebook frontends; the widgets' own DOM (classes, labels) is shared."""

    name: str
    package: str  # the distribution that serves it
    major_version: str  # the one that works, named when another is installed
    notebook_path: str  # URL path of an open notebook, before its name
    notebook_css: str  # the notebook's cells, all in the page
    cell_css: str  # one cell, below notebook_css (after a space)
    output_css: str  # a cell's output area
    handle_css: str  # a slider's handle: noUiSlider in ipywidgets 8, jQuery UI in 7
    ready_js: str  # notebook open, kernel idle, widgets ready
    run_all_js: str
    done_js: str
    cells_js: str
    shutdown_js: str
    widgets_loaded_log: str = ""  # the console message that says the widget manager has loaded its start state


FRONTENDS = {
    "lab": Frontend("lab", "jupyterlab", "4", "/lab/tree/", ".jp-Notebook", ".jp-Cell", ".jp-OutputArea-output",
                    ".noUi-handle", LAB_READY_JS, "() => window.jupyterapp.commands.execute('notebook:run-all-cells')",
                    LAB_DONE_JS, LAB_CELLS_JS, "window.jupyterapp.commands.execute('kernelmenu:shutdown')"),
    "classic": Frontend("classic", "notebook", "6", "/notebooks/", "#notebook-container", "> .cell", ".output_area",
                        ".ui-slider-handle", CLASSIC_READY_JS, "() => window.Jupyter.notebook.execute_all_cells()",
                        CLASSIC_DONE_JS, CLASSIC_CELLS_JS, "window.Jupyter.notebook.session.delete()",
                        CLASSIC_WIDGETS_LOADED_LOG),
}
FRONTEND_VARIABLE = "COURSE_BROWSER_FRONTEND"


def chosen_frontend(name: str | None = None) -> Frontend:
    """The frontend called ``name``, or else the one COURSE_BROWSER_FRONTEND names (default lab)."""
    name = (name or os.environ.get(FRONTEND_VARIABLE) or "lab").strip().lower()
    if name not in FRONTENDS:
        raise ValueError(f"{FRONTEND_VARIABLE} must be one of {', '.join(FRONTENDS)}, not {name!r}")
    return FRONTENDS[name]


def find_chromium() -> str | None:
    override = os.environ.get("COURSE_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    return next((path for path in CHROMIUM_CANDIDATES if Path(path).is_file()), None)


def _installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def missing_server(frontend: Frontend) -> str | None:
    """Why the frontend's server (and, for classic, the widgets nbextension) cannot run here, or None."""
    version = _installed_version(frontend.package)
    wanted = f"{frontend.package}=={frontend.major_version}.*"
    if version is None:
        return f"the {frontend.name} frontend needs {frontend.package}, which is not installed (pip install '{wanted}')"
    if version.split(".")[0] != frontend.major_version:
        return f"the {frontend.name} frontend needs {wanted}, but {frontend.package} {version} is installed"
    if frontend.name == "classic" and _installed_version("widgetsnbextension") is None:
        return "the classic frontend needs widgetsnbextension (installed with ipywidgets 7), which is not installed"
    return None


def missing_requirements(frontend: str | None = None) -> str | None:
    """Why the browser harness cannot run here with this frontend (default: the chosen one), or None."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if find_chromium() is None:
        return "no Chromium found (Debian: apt-get install chromium; or set COURSE_CHROMIUM to its path)"
    return missing_server(chosen_frontend(frontend))


SERVER_START_S = 60  # a notebook server starts in 2-5 s here, even under load


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_notebook(name: str, folder: Path) -> Path:
    """Copy a notebook into the harness's folder (never run the course's own files), excerpted if listed."""
    import nbformat

    if name in MADE_NOTEBOOKS:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(MADE_NOTEBOOKS[name])])
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


def _write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content))


def server_command(frontend: Frontend, folder: Path, state: Path, port: int, token: str) -> list[str]:
    """The command that serves ``folder``; writes the frontend's settings under ``state`` first."""
    if frontend.name == "classic":
        # Enabled here, in the server's own config dir, so a fresh machine needs no `jupyter nbextension enable`
        # (a `false` in the venv's or the system's nbconfig would still win: notebook 6 merges those last).
        _write_json(state / "config" / "nbconfig" / "notebook.json",
                    {"load_extensions": {"jupyter-js-widgets/extension": True}})
        return [sys.executable, "-m", "notebook", "--no-browser", f"--port={port}", "--port-retries=0",
                "--NotebookApp.ip=127.0.0.1", f"--NotebookApp.token={token}",
                f"--NotebookApp.notebook_dir={folder}", "--allow-root"]
    lab_settings = state / "settings" / "@jupyterlab"
    _write_json(lab_settings / "apputils-extension" / "notification.jupyterlab-settings", {"fetchNews": "false"})
    # every cell in the page, so each widget can be found and scrolled to
    _write_json(lab_settings / "notebook-extension" / "tracker.jupyterlab-settings", {"windowingMode": "none"})
    return [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--allow-root",
            "--LabApp.expose_app_in_browser=True"]


@contextlib.contextmanager
def notebook_server(folder: Path, profile: str = "quick", frontend: Frontend = FRONTENDS["lab"]):
    """The frontend's server on loopback with a token, serving ``folder``; yields its base URL and token."""
    port, token = _free_port(), secrets.token_hex(16)
    state = WORK / "jupyter"  # its settings, runtime files and IPython history stay inside runs/
    state.mkdir(parents=True, exist_ok=True)
    command = server_command(frontend, folder, state, port, token)
    env = dict(os.environ, COURSE_PROFILE=profile, MPLBACKEND="module://matplotlib_inline.backend_inline",
               JUPYTER_RUNTIME_DIR=str(state / "runtime"), JUPYTER_CONFIG_DIR=str(state / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"), IPYTHONDIR=str(state / "ipython"))
    log = open(state / "server.log", "w")  # closed in the finally below
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, last_error = time.monotonic() + SERVER_START_S, None
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the {frontend.name} server exited at start; see {state / 'server.log'}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError as error:
                last_error = error
            if time.monotonic() > deadline:
                # the last answer tells a server that never listened from one that answered with an error
                raise RuntimeError(f"the {frontend.name} server did not answer {base}/api/status within "
                                   f"{SERVER_START_S} s (last: {last_error}); see {state / 'server.log'}")
            time.sleep(0.3)
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


def open_notebook(page, url: str, frontend: Frontend) -> None:
    """Open a notebook and wait until its kernel is idle and its widget manager has loaded the kernel's widgets."""
    loaded = (page.expect_console_message(lambda message: frontend.widgets_loaded_log in message.text,
                                          timeout=120_000)
              if frontend.widgets_loaded_log else contextlib.nullcontext())
    try:
        with loaded:
            page.goto(url)
        page.wait_for_function(frontend.ready_js, timeout=120_000, polling=200)
    except Exception as error:  # noqa: BLE001 (re-raised with what it most likely means)
        hint = " (is the widgets nbextension installed and enabled?)" if frontend.name == "classic" else ""
        raise RuntimeError(f"{url.split('?')[0]}: the kernel or the widget manager did not get ready{hint}: "
                           f"{str(error).splitlines()[0]}") from None


def run_notebook(page, base: str, token: str, name: str, frontend: Frontend, timeout_s: float = 300) -> list[dict]:
    """Open a notebook, run all its cells and wait until every code cell has run; returns the cells."""
    reset = "reset&" if frontend.name == "lab" else ""  # lab: no notebook from before
    open_notebook(page, f"{base}{frontend.notebook_path}{name}?{reset}token={token}", frontend)
    if frontend.name == "lab":
        page.evaluate("window.jupyterapp.commands.execute('application:toggle-left-area')")
    page.set_default_timeout(timeout_s * 1000)
    page.evaluate(frontend.run_all_js)  # lab: resolves when all ran; classic: at once, so done_js waits for them
    page.set_default_timeout(30_000)
    page.wait_for_function(frontend.done_js, timeout=60_000 if frontend.name == "lab" else timeout_s * 1000,
                           polling=200)
    return page.evaluate(frontend.cells_js)


def cell_errors(cells: list[dict]) -> list[str]:
    return [f"cell {i}: {out.get('ename')}: {out.get('evalue')}" for i, cell in enumerate(cells)
            for out in cell["outputs"] if out.get("output_type") == "error"]


def widget_root(page, cells: list[dict], marker: str, frontend: Frontend):
    """The outermost widget element in the output of the (first) cell whose code contains ``marker``."""
    index = next((i for i, c in enumerate(cells) if c["type"] == "code" and marker in c["source"]), None)
    if index is None:
        raise LookupError(f"no cell creates {marker!r}")
    panel = f"[id='{page.evaluate('window.jupyterapp.shell.currentWidget.id')}'] " if frontend.name == "lab" else ""
    cell = page.locator(f"{panel}{frontend.notebook_css} {frontend.cell_css}").nth(index)
    cell.scroll_into_view_if_needed()
    root = cell.locator(f"{frontend.output_css} .jupyter-widgets").first
    try:
        root.wait_for(state="visible", timeout=30_000)
    except Exception:  # noqa: BLE001 (re-raised with what the cell shows instead)
        shown = cell.locator(frontend.output_css).all_inner_texts()
        raise AssertionError(f"the widget of {marker!r} did not show within 30 s; its output shows {shown}") from None
    return root


def _labelled(root, kind: str, label: str):
    css = {"slider": ".widget-slider", "range": ".widget-slider", "key": ".widget-slider",
           "dropdown": ".widget-dropdown", "toggle": ".widget-toggle-buttons"}[kind]
    return root.locator(css).filter(has=root.page.locator(".widget-label", has_text=label)).first


def act(root, control: Control, value, frontend: Frontend = FRONTENDS["lab"]) -> None:
    """Give one value to one control, the way a student would."""
    if control.kind in ("slider", "range"):
        readout = _labelled(root, control.kind, tr(control.label)).locator(".widget-readout")
        readout.evaluate("(el, v) => { el.textContent = v; }", str(value))  # as if typed; Enter sends it
        readout.press("Enter")
    elif control.kind == "key":
        _labelled(root, "key", tr(control.label)).locator(frontend.handle_css).first.press(value)
    elif control.kind == "dropdown":
        _labelled(root, "dropdown", tr(control.label)).locator("select").select_option(label=tr(str(value)))
    elif control.kind == "toggle":
        _labelled(root, "toggle", tr(control.label)).locator("button", has_text=tr(str(value))).first.click()
    elif control.kind == "button":
        root.locator("button.widget-button", has_text=tr(control.label)).first.click()
    elif control.kind == "cell":
        box = root.locator(".widget-text input").nth(int(control.label))
        box.fill(str(value))
        box.press("Enter")
    else:
        raise ValueError(f"unknown control kind {control.kind!r}")


#: How a focused control shows where the keyboard is: an outline or a ring (box-shadow) that is really drawn.
FOCUS_SHOWN_JS = """
() => {
  const element = document.activeElement;
  if (!element || element === document.body) return 'nothing has the focus';
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  if (outline || (style.boxShadow && style.boxShadow !== 'none')) return '';
  return `the focused ${element.tagName.toLowerCase()} shows no focus ring`;
}
"""


def _focusable(root, control: Control, frontend: Frontend, value):
    """The element a keyboard user tabs to for this control."""
    if control.kind in ("slider", "range", "key"):
        return _labelled(root, control.kind, tr(control.label)).locator(frontend.handle_css).first
    if control.kind == "dropdown":
        return _labelled(root, "dropdown", tr(control.label)).locator("select")
    if control.kind == "toggle":  # a choice not already made, so that choosing it changes something
        return _labelled(root, "toggle", tr(control.label)).locator("button:not(.mod-active)").first
    if control.kind == "button":
        return root.locator("button.widget-button", has_text=tr(control.label)).first
    if control.kind == "cell":
        return root.locator(".widget-text input").nth(int(control.label))
    raise ValueError(f"unknown control kind {control.kind!r}")


def tab_to(root, element) -> None:
    """Reach ``element`` with the Tab key as a keyboard user does, from the widget's control before it (Shift+Tab,
    then Tab) or, for its first control, from the one after it (Tab, then Shift+Tab). A widget's first control is
    entered from the page around it, which differs between frontends (in the classic Notebook the cell's editor
    keeps Tab for indenting), so for it the harness asks only that it is in the tab order."""
    if element.evaluate("(el) => el.tabIndex") < 0:
        raise AssertionError("it cannot be reached with the Tab key (tabindex < 0)")
    inside = "(root) => root.contains(document.activeElement)"
    for away, back in (("Shift+Tab", "Tab"), ("Tab", "Shift+Tab")):
        element.focus()
        root.page.keyboard.press(away)
        if root.evaluate(inside):
            root.page.keyboard.press(back)
            break
    else:
        element.focus()  # the widget's only control
    if not element.evaluate("(el) => el === document.activeElement"):
        raise AssertionError("Tab and Shift+Tab between the widget's controls do not reach it")


def act_by_keyboard(root, control: Control, step: int, frontend: Frontend = FRONTENDS["lab"]) -> None:
    """Change one control with the keyboard alone: Tab to it, check that its focus shows, then keys."""
    value = control.values[step % len(control.values)]
    element = _focusable(root, control, frontend, value)
    tab_to(root, element)
    problem = root.page.evaluate(FOCUS_SHOWN_JS)
    if problem:
        raise AssertionError(problem)
    if control.kind in ("slider", "range", "key"):
        # away from an end of the range (noUiSlider's handle says where it is), else alternately up and down
        at = element.evaluate("(el) => ['aria-valuenow', 'aria-valuemin', 'aria-valuemax']"
                              ".map((name) => el.getAttribute(name))")
        now, low, high = at
        right = step % 2 == 0 if None in at or now not in (low, high) else now == low
        element.press("ArrowRight" if right else "ArrowLeft")
    elif control.kind == "dropdown":
        # open the list, move, choose: a bare arrow key moves JupyterLab to the next cell instead
        last = element.evaluate("(el) => el.selectedIndex === el.options.length - 1")
        for key in ("Alt+ArrowDown", "ArrowUp" if last else "ArrowDown", "Enter"):
            root.page.keyboard.press(key)
    elif control.kind in ("toggle", "button"):
        element.press("Enter")
    else:  # a text box: select what is there, type the new value, Enter sends it
        element.press("Control+A")
        element.type(str(value))
        element.press("Enter")


def drive_by_keyboard(root, control: Control, steps: int, frontend: Frontend = FRONTENDS["lab"]) -> None:
    """Use the control ``steps`` times by keyboard; each use must change what the widget shows."""
    for step in range(steps):
        before = fingerprint(root)
        root.evaluate(ARM_JS, "text" if control.slow else control.expect)
        try:
            act_by_keyboard(root, control, step, frontend)
            root.page.evaluate("window.__result")
        except Exception as error:  # noqa: BLE001 (re-raised with what was being done)
            raise AssertionError(f"{control.row}, by keyboard: {str(error).splitlines()[0]}") from None
        if control.slow:
            root.locator("button.widget-button:not([disabled])", has_text=tr(control.label)).wait_for(timeout=300_000)
        if not (control.kind == "button" and not control.slow) and fingerprint(root) == before:
            raise AssertionError(f"{control.row}, by keyboard: the widget shows the same as before")


def fingerprint(root) -> str:
    return hashlib.sha1(root.evaluate(FINGERPRINT_JS).encode()).hexdigest()


def drive(root, control: Control, repeats: int, frontend: Frontend = FRONTENDS["lab"]) -> list[float]:
    """Give the control each of its values ``repeats`` times in turn; returns the latencies (ms)."""
    times = []
    for step in range(repeats):
        value = control.values[step % len(control.values)]
        before = fingerprint(root)
        root.evaluate(ARM_JS, "text" if control.slow else control.expect)
        try:
            act(root, control, value, frontend)
            result = root.page.evaluate("window.__result")
        except Exception as error:  # noqa: BLE001 (re-raised with what was being done)
            raise AssertionError(f"{control.row} = {value!r}: {str(error).splitlines()[0]}") from None
        if result["ms"] is None:
            raise AssertionError(f"{control.row}: no input event was seen")
        times.append(result["ms"])
        if control.slow:  # a real training: wait for the button to come back and the new picture
            root.locator("button.widget-button:not([disabled])", has_text=tr(control.label)).wait_for(timeout=300_000)
        # a Train button may redraw the same deterministic result; every other action must show something new
        if not (control.kind == "button" and not control.slow) and fingerprint(root) == before:
            raise AssertionError(f"{control.row} = {value!r}: the widget shows the same as before")
    return times


def page_problems(page, frontend: Frontend) -> list[str]:
    text = page.locator(frontend.notebook_css).first.inner_text()
    return [phrase for phrase in PROBLEM_PHRASES if phrase in text]


def screenshot_name(case: WidgetCase, suffix: str = "") -> str:
    return f"{Path(case.notebook).stem[:2]}_{case.title.replace(' ', '_')}{suffix}.png"


def run_cases(cases=CASES, repeats: int = 10, profile: str = "quick", screenshots: Path | None = None,
              log=print, strict: bool = True, frontend: str | None = None, keyboard: bool = False) -> dict:
    """Drive every case in the frontend (default: COURSE_BROWSER_FRONTEND, else lab); returns
    {(title, control row): [ms, ...]}. With ``keyboard``, every control is then also used twice by keyboard
    alone (``drive_by_keyboard``: Tab to it, a visible focus ring, keys); a slow control (a real training) once.

    A broken widget (nothing changes, an error shows) raises AssertionError, or with ``strict=False`` is logged
    and left with no times.
    """
    chosen = chosen_frontend(frontend)
    folder = WORK / "notebooks"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    screenshots = screenshots or WORK / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    results = {}
    by_notebook = {}
    for case in cases:
        by_notebook.setdefault(case.notebook, []).append(case)
    with notebook_server(folder, profile, chosen) as (base, token), chromium() as browser:
        for name, notebook_cases in by_notebook.items():
            prepare_notebook(name, folder)
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            errors = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            start = time.perf_counter()
            cells = run_notebook(page, base, token, name, chosen)
            log(f"{name}: ran all cells in {time.perf_counter() - start:.0f} s")
            problems = cell_errors(cells)
            if problems:
                raise AssertionError(f"{name}: cells failed: {problems}")
            for case in notebook_cases:
                root = widget_root(page, cells, case.marker, chosen)
                root.screenshot(path=screenshots / screenshot_name(case))
                for control in case.controls:
                    n = 1 if control.slow else repeats
                    try:
                        results[(case.title, control.row)] = drive(root, control, n, chosen)
                        if keyboard:
                            drive_by_keyboard(root, control, 1 if control.slow else 2, chosen)
                    except AssertionError as error:
                        if strict:
                            raise AssertionError(f"{name}, {case.title}: {error}") from None
                        log(f"FAILED {name}, {case.title}: {error}")
                        results[(case.title, control.row)] = []
                root.screenshot(path=screenshots / screenshot_name(case, "_after"))
                undescribed = root.evaluate(UNDESCRIBED_JS)
                if undescribed:
                    raise AssertionError(f"{name}, {case.title}: {undescribed} picture(s) with no alt text or "
                                         "description for a screen reader")
            bad = page_problems(page, chosen)
            if bad or errors:
                raise AssertionError(f"{name}: the page shows {bad} and logged errors {errors[:3]}")
            page.evaluate(chosen.shutdown_js)
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
    parser.add_argument("--frontend", choices=sorted(FRONTENDS), default=None,
                        help=f"lab (JupyterLab 4) or classic (Notebook 6.5); default: ${FRONTEND_VARIABLE}, else lab")
    parser.add_argument("--json", type=Path, help="also write the times to this file (inside runs/)")
    args = parser.parse_args(argv)
    why = missing_requirements(args.frontend)
    if why:
        print(f"browser_widgets: cannot run: {why}", file=sys.stderr)
        return 2
    cases = [c for c in CASES if args.only is None or c.notebook[:2] in args.only]
    results = run_cases(cases, repeats=args.repeats, strict=False, frontend=args.frontend)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({f"{t} / {r}": v for (t, r), v in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
