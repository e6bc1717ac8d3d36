#!/usr/bin/env python3
"""A class's JupyterHub on this machine: the README's class recipe, to try before a class and to test.

    python -m scripts.hub build                  # the hub's environment and proxy (once; then reused)
    python -m scripts.hub start --port 8000      # hub + proxy on 127.0.0.1; prints the nbgitpuller link
    python -m scripts.hub start --repo https://github.com/deep-learning-hands-on/deep-learning-hands-on
    python -m scripts.hub link --hub-url https://hub.example.org --repo URL   # a link for a class's own hub

One environment (.cache/hub/venv) serves the hub and the students, as on The Littlest JupyterHub: the course is
installed into it exactly as the class recipe says, non-editable, from a snapshot of this working tree
(uncommitted changes included): `pip install -c constraints.txt -r requirements.txt -r hub/requirements.txt .`.
The proxy, configurable-http-proxy, comes from npm (pinned by hub/package-lock.json) into .cache/hub/proxy and
runs on the system's Node.js (Debian: nodejs). hub/jupyterhub_config.py is the hub's configuration: a shared
class password (any name logs in), one home folder per student, everything on loopback.

The notebooks reach the students by an nbgitpuller link: their first click clones the course into their home
folder, later clicks pull the instructor's updates and keep the students' own edits. `start` serves a git
snapshot of this working tree (.cache/hub/repo) unless --repo names another repository.

tests/test_hub.py uses the same functions: two students at once, in Chromium, each with a notebook of their own.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUB_FILES = ROOT / "hub"
LEFTOVER_GRACE_S = 20  # how long a student's kernel may take to exit once its server has gone
CACHE = ROOT / ".cache" / "hub"
VENV = CACHE / "venv"
PROXY_DIR = CACHE / "proxy"
SNAPSHOT = CACHE / "repo"
REPO_NAME = "deep-learning-hands-on"  # the folder nbgitpuller makes in each home: the repository's own name
BRANCH = "main"
NOTEBOOK = "notebooks/01_perceptron_xor.ipynb"

# The class recipe, run in a clone of the course. The hub's test runs exactly this.
RECIPE = ("pip", "install", "-c", "constraints.txt", "-r", "requirements.txt", "-r", "hub/requirements.txt", ".")
RECIPE_TEXT = " ".join(RECIPE)
RECIPE_FILES = ("requirements.txt", "hub/requirements.txt", "constraints.txt", "pyproject.toml")
# What the students' servers import; the course first, as the message for a missing one names only the first.
USER_PACKAGES = ("course_utils", "jupyterhub", "nbgitpuller", "jupyterlab", "ipykernel", "ipywidgets", "tensorflow")
PROXY_PACKAGE = "configurable-http-proxy"
NODE_MAJOR = 20  # configurable-http-proxy 5.2's engines (hub/package-lock.json)
PASSWORD_MIN_LENGTH = 8  # JupyterHub's SharedPasswordAuthenticator refuses shorter ones
STUDENT_SETTINGS = ("COURSE_PROFILE", "COURSE_OFFLINE", "COURSE_DATA_DIR")  # passed on to the students' servers
GIT_IDENTITY = ("-c", "user.name=course hub", "-c", "user.email=course-hub@localhost")


class HubError(RuntimeError):
    """Bad input or a missing piece: its message is one sentence that says what to do."""


def shown(path: Path) -> str:
    """A path as the user reads it: relative to the project where it is inside it."""
    path = Path(path)
    try:
        return str(path.absolute().relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- checks with one-sentence answers

def check_port(port: int) -> None:
    """The hub's port must be a free port of 127.0.0.1."""
    if not 1 <= port <= 65535:
        raise HubError(f"--port must be a number from 1 to 65535, not {port}")
    with socket.socket() as sock:
        # as servers bind: a port whose last connections are closing (TIME_WAIT) is free, a listening one is not
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise HubError(f"port {port} on 127.0.0.1 is already in use; choose another with --port") from None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise HubError(f"--password must have at least {PASSWORD_MIN_LENGTH} characters (JupyterHub's rule for a "
                       f"shared password), not {len(password)}")


def find_node(node: str | None = None) -> str:
    """Node.js to run the proxy on (default: `node` on PATH, Debian's nodejs), checked for its version."""
    node = node or shutil.which("node")
    if not node or not Path(node).is_file():
        raise HubError(f"{PROXY_PACKAGE} needs Node.js {NODE_MAJOR} or newer, and no node was found "
                       "(Debian: apt-get install nodejs)")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    major = re.match(r"v(\d+)\.", version)
    if not major or int(major.group(1)) < NODE_MAJOR:
        raise HubError(f"{PROXY_PACKAGE} needs Node.js {NODE_MAJOR} or newer, but {node} is {version or 'unknown'} "
                       f"(Debian 13 has {NODE_MAJOR}: apt-get install nodejs)")
    return node


def proxy_script(proxy_dir: Path = PROXY_DIR) -> Path:
    """The installed proxy's start script (run with `node`, so the shebang's node never matters)."""
    script = Path(proxy_dir) / "node_modules" / PROXY_PACKAGE / "bin" / PROXY_PACKAGE
    if not script.is_file():
        raise HubError(f"{PROXY_PACKAGE} is not installed in {shown(proxy_dir)} "
                       "(python -m scripts.hub build installs it with npm)")
    return script


def check_repository(repo: str, branch: str = BRANCH) -> None:
    """The repository of an nbgitpuller link must exist and have the branch: asked with `git ls-remote`."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")  # a missing GitHub repository asks for a password otherwise
    try:
        result = subprocess.run(["git", "ls-remote", "--heads", "--", repo], capture_output=True, text=True,
                                timeout=60, env=env)
    except subprocess.TimeoutExpired:
        raise HubError(f"the repository {repo} did not answer git ls-remote within 60 s; check --repo") from None
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no answer"])[-1]
        raise HubError(f"the repository {repo} does not exist or cannot be read (git ls-remote: {reason}); "
                       "pass --repo a clone URL or folder of the course")
    if f"refs/heads/{branch}" not in result.stdout.split():
        raise HubError(f"the repository {repo} has no branch {branch!r}; choose one with --branch")


def nbgitpuller_link(hub_url: str, repo: str, branch: str = BRANCH, notebook: str = NOTEBOOK,
                     folder: str = REPO_NAME) -> str:
    """The link a student clicks: log in, start the server, clone or update the course, open the notebook."""
    query = urllib.parse.urlencode({"repo": repo, "branch": branch, "targetpath": folder,
                                    "urlpath": f"lab/tree/{folder}/{notebook}"})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def user_env_problem(python: str | list[str]) -> str | None:
    """Why the students' environment cannot run the course (the first package that does not import), or None."""
    command = [python] if isinstance(python, str) else list(python)
    probe = ("import importlib, sys\n"
             f"for name in {USER_PACKAGES!r}:\n"
             "    try:\n"
             "        importlib.import_module(name)\n"
             "    except Exception as error:\n"
             "        print(name, '|', type(error).__name__ + ': ' + str(error)); sys.exit(1)\n")
    # -I and a folder outside the project: the course's source folder must not stand in for an installed course
    result = subprocess.run([*command, "-I", "-c", probe], capture_output=True, text=True, timeout=300,
                            cwd=Path(command[0]).parent, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    if result.returncode == 0:
        return None
    name, _, why = (result.stdout.strip() or f"python | {result.stderr.strip()[-300:]}").partition(" | ")
    where = " ".join([shown(command[0]), *command[1:]])
    return (f"import {name} failed in the hub's user environment ({where}): {why}; install the course there as "
            f"the class recipe says: {RECIPE_TEXT}")


# ---------------------------------------------------------------- the course as the hub serves it

def snapshot_tree(repo_dir: Path, root: Path = ROOT) -> str:
    """Commit the working tree of ``root`` (tracked and untracked files, uncommitted changes included; ignored
    ones left out) as the next commit of branch main in ``repo_dir``; returns that commit.

    The snapshot's history grows commit by commit, as an instructor's would, so students' clones keep pulling.
    """
    repo_dir = Path(repo_dir)
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, text=True, check=True).stdout.split("\0")
    files = sorted({name for name in listed if name and (Path(root) / name).is_file()})
    if not (repo_dir / ".git").is_dir():
        repo_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "init", "-q", "-b", BRANCH, str(repo_dir)], check=True)
    for entry in repo_dir.iterdir():  # the previous snapshot's files, so deletions carry over
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    for name in files:
        (repo_dir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(root) / name, repo_dir / name, follow_symlinks=False)
    git = ["git", "-C", str(repo_dir), *GIT_IDENTITY]
    subprocess.run([*git, "add", "-A"], check=True)
    changed = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    if changed.strip():
        subprocess.run([*git, "commit", "-q", "-m", "the course's working tree"], check=True)
    return subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()


def files_stamp(source: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in RECIPE_FILES:
        digest.update((Path(source) / name).read_bytes())
    return digest.hexdigest()


def env_ready(venv: Path = VENV) -> bool:
    """Whether the hub's environment was built from this tree's requirement files (it is then reused)."""
    stamp = Path(venv) / ".course-hub-installed"
    return (Path(venv) / "bin" / "python").is_file() and stamp.is_file() and stamp.read_text() == files_stamp()


def build_env(source: Path, venv: Path = VENV, with_course: bool = True, log=print) -> None:
    """Run the class recipe in ``source`` (a snapshot of the course) with the environment's pip.

    The first run installs everything (minutes); later runs reinstall the course from ``source`` (seconds).
    ``with_course=False`` leaves the course out and uninstalls it: what a hub without the course looks like.
    """
    venv = Path(venv)
    python = venv / "bin" / "python"
    quiet = ("-q", "--disable-pip-version-check")
    if not python.is_file():
        log(f"hub: creating {shown(venv)}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", *quiet, "--upgrade", "pip"], check=True)
    recipe = list(RECIPE[2:]) if with_course else list(RECIPE[2:-1])
    log(f"hub: {RECIPE_TEXT if with_course else ' '.join(RECIPE[:-1])}   (in {shown(venv)}, from {shown(source)})")
    subprocess.run([str(python), "-m", "pip", "install", *quiet, *recipe], cwd=source, check=True)
    if not with_course:
        subprocess.run([str(python), "-m", "pip", "uninstall", *quiet, "-y", "course_utils"], check=True)
    (venv / ".course-hub-installed").write_text(files_stamp(source))


def build_proxy(proxy_dir: Path = PROXY_DIR, log=print) -> Path:
    """configurable-http-proxy from npm, as hub/package-lock.json pins it (reinstalled when the lock changes)."""
    proxy_dir = Path(proxy_dir)
    lock = (HUB_FILES / "package-lock.json").read_bytes()
    stamp = proxy_dir / ".course-hub-installed"
    wanted = hashlib.sha256(lock).hexdigest()
    if stamp.is_file() and stamp.read_text() == wanted:
        return proxy_script(proxy_dir)
    npm = shutil.which("npm")
    if npm is None:
        raise HubError(f"{PROXY_PACKAGE} is not installed in {shown(proxy_dir)}, and npm, which installs it, is "
                       "missing (Debian: apt-get install npm)")
    proxy_dir.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(HUB_FILES / name, proxy_dir / name)
    log(f"hub: npm ci --omit=dev   (in {shown(proxy_dir)})")
    subprocess.run([npm, "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"], cwd=proxy_dir,
                   check=True)
    stamp.write_text(wanted)
    return proxy_script(proxy_dir)


def build(source: Path | None = None, venv: Path = VENV, proxy_dir: Path = PROXY_DIR, with_course: bool = True,
          log=print) -> None:
    """Everything the hub needs: the proxy, and the environment with the course from a snapshot of this tree."""
    find_node()
    build_proxy(proxy_dir, log)
    if source is None:
        snapshot_tree(SNAPSHOT)
        source = SNAPSHOT
    build_env(source, venv, with_course, log)


# ---------------------------------------------------------------- the hub itself

def own_processes(homes: Path) -> dict[int, str]:
    """Processes working inside ``homes`` (the students' servers and kernels this hub started): their command
    lines by process id."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            with contextlib.suppress(OSError):
                if Path(os.readlink(entry / "cwd")).is_relative_to(Path(homes).resolve()):
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    found[int(entry.name)] = command.strip()
    return found


def outliving(homes: Path, grace_s: float = None) -> dict[int, str]:
    """The processes in ``homes`` still running ``grace_s`` seconds after the hub stopped. A kernel whose server
    has gone exits by itself within a second or two (it watches its parent), so only those left after the grace
    are the hub's fault."""
    deadline = time.monotonic() + (LEFTOVER_GRACE_S if grace_s is None else grace_s)
    while (found := own_processes(homes)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return found


@contextlib.contextmanager
def running_hub(state: Path, homes: Path, port: int, password: str, student_env: dict, lifetime_s: int,
                venv: Path = VENV, proxy_dir: Path = PROXY_DIR):
    """JupyterHub with its proxy on 127.0.0.1:``port``; yields the hub's URL and stops both (and the students'
    servers) on leaving. The hub stops by itself after ``lifetime_s`` seconds (coreutils timeout)."""
    check_port(port)
    node = find_node()
    proxy = proxy_script(proxy_dir)
    state, homes = Path(state).resolve(), Path(homes).resolve()
    state.mkdir(parents=True, exist_ok=True)
    homes.mkdir(parents=True, exist_ok=True)
    venv = Path(venv).resolve()
    env = {
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", str(state)), "LANG": os.environ.get("LANG", "C.UTF-8"),
        "VIRTUAL_ENV": str(venv),
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
        "COURSE_HUB_STATE": str(state), "COURSE_HUB_HOMES": str(homes), "COURSE_HUB_VENV": str(venv),
        "COURSE_HUB_PORT": str(port), "COURSE_HUB_INTERNAL_PORT": str(free_port()),
        "COURSE_HUB_PROXY_API_PORT": str(free_port()),
        "COURSE_HUB_PROXY_COMMAND": json.dumps([node, str(proxy)]),
        "COURSE_HUB_PASSWORD": password,
        "COURSE_HUB_IDLE_MINUTES": str(max(1, lifetime_s // 60)),
        "COURSE_HUB_STUDENT_ENV": json.dumps(student_env),
    }
    command = ["timeout", "--kill-after=30", str(lifetime_s), str(venv / "bin" / "jupyterhub"),
               "-f", str(HUB_FILES / "jupyterhub_config.py")]
    log_path = state / "hub.log"
    with open(log_path, "a") as log:
        hub = subprocess.Popen(command, cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if hub.poll() is not None:
                raise HubError(f"the hub exited at start; its log is {shown(log_path)}:\n{tail(log_path)}")
            try:
                urllib.request.urlopen(f"{url}/hub/api", timeout=3)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise HubError(f"the hub did not answer on {url} within 120 s; its log is {shown(log_path)}") \
                        from None
                time.sleep(0.5)
        yield url
    finally:
        stop(hub)
        leftovers = outliving(homes)  # students' servers or kernels the hub did not stop
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    if leftovers:
        listed = "; ".join(f"{pid}: {command[:160]}" for pid, command in leftovers.items())
        raise HubError(f"the hub left {len(leftovers)} of the students' processes running "
                       f"{LEFTOVER_GRACE_S} s after it stopped "
                       f"(killed: {listed}); its log is {shown(log_path)}")


def stop(process: subprocess.Popen, timeout_s: float = 60) -> None:
    """SIGTERM (the hub then stops its proxy and the students' servers), SIGKILL if it hangs."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    return ""


# ---------------------------------------------------------------- a student in Chromium (used by the tests)

def prepare_home(homes: Path, student: str) -> Path:
    """A student's home folder with the JupyterLab settings the browser harness uses (every cell in the page)."""
    settings = Path(homes) / student / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    for name, content in {"notebook-extension/tracker": {"windowingMode": "none"},
                          "apputils-extension/notification": {"fetchNews": "false"}}.items():
        path = settings / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))
    return Path(homes) / student


def open_link_as(page, link: str, student: str, password: str, timeout_s: float = 300) -> None:
    """Click the nbgitpuller link as a student who is not logged in: log in, wait for the server to start, the
    course to be pulled and the notebook's kernel to be idle."""
    from scripts.browser_widgets import FRONTENDS

    page.goto(link)
    page.locator("#username_input").fill(student)
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()
    arrived = re.compile(rf"/user/{re.escape(student)}/lab/tree/")
    deadline = time.monotonic() + timeout_s
    try:
        while not arrived.search(page.url):  # the spawn page, then nbgitpuller's page, then JupyterLab
            failed = page.get_by_text(re.compile("Spawn failed|Error: ")).count()
            if failed or time.monotonic() > deadline:
                raise AssertionError("it failed" if failed else f"it did not arrive within {timeout_s:.0f} s")
            page.wait_for_timeout(500)
        page.wait_for_function(FRONTENDS["lab"].ready_js, timeout=120_000, polling=200)
    except Exception as error:  # noqa: BLE001 (re-raised with where the student is stuck)
        text = " ".join(page.locator("body").inner_text(timeout=5000).split())[:400]
        raise AssertionError(f"{student}: the link did not open the notebook ({str(error).splitlines()[0]}); "
                             f"the page is {page.url} and shows: {text}") from None


def run_all_cells(page, timeout_s: float = 300) -> list[dict]:
    """JupyterLab's Run All Cells in the open notebook; waits for the last cell, or stops at the first error (as
    JupyterLab does); returns the cells."""
    from scripts.browser_widgets import FRONTENDS, cell_errors

    lab = FRONTENDS["lab"]
    page.set_default_timeout(timeout_s * 1000)
    page.evaluate(lab.run_all_js)  # resolves when the last cell has run, or a cell has failed
    page.set_default_timeout(30_000)
    if not cell_errors(page.evaluate(lab.cells_js)):
        page.wait_for_function(lab.done_js, timeout=60_000, polling=200)
    return page.evaluate(lab.cells_js)


def move_playground(page, cells: list[dict]) -> None:
    """Move each control of notebook 01's perceptron playground once; each must change the picture."""
    from scripts import browser_widgets as harness

    case = next(case for case in harness.CASES if case.title == "perceptron playground")
    root = harness.widget_root(page, cells, case.marker, harness.FRONTENDS["lab"])
    for control in case.controls:
        harness.drive(root, control, 1, harness.FRONTENDS["lab"])


ADD_NOTE_JS = """
(text) => {
  const panel = window.jupyterapp.shell.currentWidget;
  panel.content.model.sharedModel.insertCell(0, {cell_type: 'markdown', source: text});
  return window.jupyterapp.commands.execute('docmanager:save');
}
"""


def add_note_and_save(page, text: str, saved_file: Path, timeout_s: float = 30) -> None:
    """Put a Markdown cell at the top of the open notebook and save it; waits until the file on disk has it."""
    page.evaluate(ADD_NOTE_JS, text)
    deadline = time.monotonic() + timeout_s
    while text not in Path(saved_file).read_text():
        if time.monotonic() > deadline:
            raise AssertionError(f"the note was not saved to {saved_file} within {timeout_s:.0f} s")
        time.sleep(0.3)


# ---------------------------------------------------------------- the command line

def cmd_build(args) -> int:
    build(with_course=not args.without_course)
    print(f"hub: ready ({shown(VENV)}, {shown(PROXY_DIR)})")
    return 0


def cmd_link(args) -> int:
    check_repository(args.repo, args.branch)
    print(nbgitpuller_link(args.hub_url, args.repo, args.branch, args.notebook))
    return 0


def cmd_start(args) -> int:
    check_port(args.port)
    password = args.password or secrets.token_urlsafe(9)
    check_password(password)
    if args.minutes < 1:
        raise HubError(f"--minutes must be 1 or more, not {args.minutes}")
    find_node()
    if args.repo is None:
        snapshot_tree(SNAPSHOT)  # the students get this working tree, as a repository
        repo = SNAPSHOT.resolve().as_uri()
    else:
        repo = args.repo
    check_repository(repo, args.branch)
    build(source=SNAPSHOT if args.repo is None else None)
    problem = user_env_problem(str(VENV / "bin" / "python"))
    if problem:
        raise HubError(problem)
    student_env = {name: os.environ[name] for name in STUDENT_SETTINGS if name in os.environ}
    student_env["COURSE_PROFILE"] = args.profile
    stopped = threading.Event()
    with running_hub(CACHE / "state", CACHE / "homes", args.port, password, student_env, 60 * args.minutes) as url:
        print(f"hub: running on {url} for {args.minutes} min (Ctrl-C stops it sooner); log: {shown(CACHE / 'state')}")
        print(f"hub: log in with any name and the password {password}")
        print(f"hub: students' home folders: {shown(CACHE / 'homes')}")
        print(nbgitpuller_link(url, repo, args.branch, args.notebook))
        with contextlib.suppress(KeyboardInterrupt):
            stopped.wait(60 * args.minutes)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="the hub's environment (the class recipe) and its proxy")
    build_parser.add_argument("--without-course", action="store_true",
                              help="leave course_utils out (to see what a hub without the course does)")
    start = commands.add_parser("start", help="hub and proxy on 127.0.0.1; prints the nbgitpuller link")
    start.add_argument("--port", type=int, default=8000, help="the hub's port on 127.0.0.1 (default 8000)")
    start.add_argument("--repo", help="the course repository the link pulls (default: a snapshot of this tree)")
    start.add_argument("--branch", default=BRANCH, help=f"its branch (default {BRANCH})")
    start.add_argument("--notebook", default=NOTEBOOK, help=f"what the link opens (default {NOTEBOOK})")
    start.add_argument("--profile", choices=("full", "quick"), default="full", help="the students' COURSE_PROFILE")
    start.add_argument("--password", help=f"the class password, {PASSWORD_MIN_LENGTH}+ characters (default: random)")
    start.add_argument("--minutes", type=int, default=120, help="the hub stops by itself after this (default 120)")
    link = commands.add_parser("link", help="print the nbgitpuller link for a hub and a repository")
    link.add_argument("--hub-url", required=True, help="the hub's address, e.g. https://hub.example.org")
    link.add_argument("--repo", required=True, help="the course repository's clone URL")
    link.add_argument("--branch", default=BRANCH, help=f"its branch (default {BRANCH})")
    link.add_argument("--notebook", default=NOTEBOOK, help=f"what the link opens (default {NOTEBOOK})")
    args = parser.parse_args(argv)
    try:
        return {"build": cmd_build, "start": cmd_start, "link": cmd_link}[args.command](args)
    except HubError as error:
        print(f"hub: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
