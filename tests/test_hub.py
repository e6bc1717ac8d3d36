"""A class on JupyterHub: the README's class recipe, run for real, with two students in Chromium at once.

The slow test (marked `hub`) installs the course into the hub's environment exactly as the class recipe says,
non-editable, from a git snapshot of this working tree (uncommitted changes included); starts JupyterHub
(hub/requirements.txt) with its proxy, configurable-http-proxy from npm on the system's Node.js, all on
127.0.0.1; and lets two students click the same nbgitpuller link at the same time. Each logs in with the class
password, gets a server of their own in a home folder of their own, runs notebook 01 top to bottom (Run All
Cells, no error output) and moves its perceptron playground. Then one student's saved edit must not reach the
other's file, and must survive a restart of the hub and a second click on the link (which pulls an update of the
course and keeps the edit).

It needs the hub's environment (`python -m scripts.hub build`, once: it installs TensorFlow a second time),
Node.js and npm, the playwright package and Debian's chromium. Without them it is skipped, unless
COURSE_REQUIRE_HUB=1 (CI), where it builds the environment itself and fails for anything else missing.
COURSE_HUB_WITHOUT_COURSE=1 builds the environment without the course: the test must then fail, saying so.

The other tests are fast: the one-sentence answers of `python -m scripts.hub` to bad input, the link, the snapshot.
"""

import concurrent.futures
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from scripts import browser_widgets as harness
from scripts import hub

ROOT = Path(__file__).resolve().parent.parent
STUDENTS = ("ada", "grace")
PASSWORD = "a class password"
HUB_LIFETIME_S = 900  # the hub stops by itself even if this test is killed


# ---------------------------------------------------------------- fast: bad input gets one sentence

def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *hub.GIT_IDENTITY, *args], capture_output=True, text=True,
                          check=True).stdout


def test_a_port_in_use_is_named(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(hub.HubError) as error:
            hub.check_port(port)
        assert str(error.value) == f"port {port} on 127.0.0.1 is already in use; choose another with --port"
        assert hub.main(["start", "--port", str(port)]) == 2
    assert capsys.readouterr().err == f"hub: {error.value}\n"
    with pytest.raises(hub.HubError, match="^--port must be a number from 1 to 65535, not 70000$"):
        hub.check_port(70000)


def test_a_missing_or_old_node_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(hub.HubError, match=r"needs Node.js 20 or newer, and no node was found \(Debian: apt-get "
                                           r"install nodejs\)$"):
        hub.find_node()
    old_node = tmp_path / "node"
    old_node.write_text("#!/bin/sh\necho v18.19.0\n")
    old_node.chmod(0o755)
    with pytest.raises(hub.HubError, match=rf"needs Node.js 20 or newer, but {old_node} is v18.19.0"):
        hub.find_node(str(old_node))


def test_a_missing_proxy_is_named(monkeypatch, tmp_path):
    with pytest.raises(hub.HubError, match=f"^configurable-http-proxy is not installed in {tmp_path} "
                                           r"\(python -m scripts.hub build installs it with npm\)$"):
        hub.proxy_script(tmp_path)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(hub.HubError, match=r"and npm, which installs it, is missing \(Debian: apt-get install npm\)"):
        hub.build_proxy(tmp_path)


def test_a_link_to_a_missing_repository_is_refused(tmp_path, capsys):
    missing = str(tmp_path / "no-such-course")
    with pytest.raises(hub.HubError, match=f"^the repository {missing} does not exist or cannot be read"):
        hub.check_repository(missing)
    assert hub.main(["link", "--hub-url", "https://hub.example.org", "--repo", missing]) == 2
    message = capsys.readouterr()
    assert message.out == "" and message.err.count("\n") == 1 and missing in message.err
    course = tmp_path / "course"
    hub.snapshot_tree(course, root=make_tree(tmp_path / "tree"))
    hub.check_repository(str(course))
    with pytest.raises(hub.HubError, match=f"^the repository {course} has no branch 'autumn'; choose one with "
                                           "--branch$"):
        hub.check_repository(str(course), "autumn")


def test_a_short_password_is_refused():
    with pytest.raises(hub.HubError, match="^--password must have at least 8 characters .*, not 5$"):
        hub.check_password("short")
    assert hub.main(["start", "--port", str(hub.free_port()), "--password", "short"]) == 2


def test_the_link_opens_notebook_01_through_nbgitpuller():
    link = hub.nbgitpuller_link("http://127.0.0.1:8000/", "https://github.com/org/deep-learning-hands-on")
    address = urllib.parse.urlsplit(link)
    assert address.path == "/hub/user-redirect/git-pull"
    assert urllib.parse.parse_qs(address.query) == {
        "repo": ["https://github.com/org/deep-learning-hands-on"], "branch": ["main"],
        "targetpath": ["deep-learning-hands-on"],
        "urlpath": ["lab/tree/deep-learning-hands-on/notebooks/01_perceptron_xor.ipynb"]}
    assert (ROOT / hub.NOTEBOOK).is_file()


def make_tree(folder: Path) -> Path:
    """A small git working tree: a committed file changed since, an untracked one, an ignored one, a deleted one."""
    folder.mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    for name, text in {"kept.txt": "committed\n", "gone.txt": "deleted later\n", ".gitignore": "*.log\n"}.items():
        (folder / name).write_text(text)
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "first")
    (folder / "kept.txt").write_text("changed, not committed\n")
    (folder / "gone.txt").unlink()
    (folder / "new").mkdir()
    (folder / "new" / "untracked.txt").write_text("untracked\n")
    (folder / "noise.log").write_text("ignored\n")
    return folder


def test_the_snapshot_is_the_working_tree_uncommitted_changes_included(tmp_path):
    tree = make_tree(tmp_path / "tree")
    course = tmp_path / "course"
    first = hub.snapshot_tree(course, root=tree)
    assert git(course, "ls-files").split() == [".gitignore", "kept.txt", "new/untracked.txt"]
    assert (course / "kept.txt").read_text() == "changed, not committed\n"
    assert hub.snapshot_tree(course, root=tree) == first, "an unchanged tree makes no new commit"
    (tree / "kept.txt").write_text("changed again\n")
    second = hub.snapshot_tree(course, root=tree)
    assert git(course, "rev-parse", f"{second}^").strip() == first, "each snapshot follows the last one"
    assert git(course, "branch", "--show-current").strip() == "main"


def test_an_environment_without_the_course_is_named():
    """`python -S` has no site-packages, so the course is the first thing it cannot import."""
    problem = hub.user_env_problem([sys.executable, "-S"])
    assert problem.startswith("import course_utils failed in the hub's user environment (")
    assert "No module named 'course_utils'" in problem and problem.endswith(hub.RECIPE_TEXT)


def test_only_processes_that_outlive_the_grace_are_left_over(tmp_path):
    """A kernel whose server has gone exits within a second or two; one still running after the grace is named."""
    home = tmp_path / "homes" / "ada"
    home.mkdir(parents=True)
    quick = subprocess.Popen(["sleep", "1"], cwd=home)
    stuck = subprocess.Popen(["sleep", "60"], cwd=home)
    elsewhere = subprocess.Popen(["sleep", "60"], cwd=tmp_path)
    try:
        left = hub.outliving(tmp_path / "homes", grace_s=3)
    finally:
        for process in (quick, stuck, elsewhere):
            process.kill()
            process.wait()
    assert left == {stuck.pid: "sleep 60"}


def test_the_readme_gives_the_recipe_the_hub_test_runs():
    assert hub.RECIPE_TEXT in (ROOT / "README.md").read_text(encoding="utf-8"), (
        f"the README's class recipe must be the one tests/test_hub.py runs: {hub.RECIPE_TEXT}")


# ---------------------------------------------------------------- slow: a class on a real hub

def missing_pieces() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    if harness.find_chromium() is None:
        return "no Chromium found (Debian: apt-get install chromium; or set COURSE_CHROMIUM to its path)"
    try:
        hub.find_node()
    except hub.HubError as error:
        return str(error)
    if shutil.which("npm") is None:
        try:
            hub.proxy_script()
        except hub.HubError as error:
            return str(error)
    if shutil.which("git") is None:
        return "nbgitpuller needs git (Debian: apt-get install git)"
    return None


def require_hub() -> None:
    required = os.environ.get("COURSE_REQUIRE_HUB") == "1"
    why = missing_pieces()
    if why is None and not required:
        # minutes of a real hub: .ci/run runs it on its own, after the README's test command
        why = ("the class on a real hub runs with COURSE_REQUIRE_HUB=1 ./course.sh test tests/test_hub.py "
               "(.ci/run does; it builds the hub's environment in .cache/hub/venv the first time)")
    if why:
        if required:
            pytest.fail(f"the hub test must run here, but {why}")
        pytest.skip(why)


def take_the_class(student: str, link: str, together: threading.Barrier, note: str | None,
                   saved_file: Path) -> dict:
    """One student in a browser of their own: the link, Run All Cells, the playground, and maybe an edit."""
    with harness.chromium() as browser:
        page = browser.new_context(viewport=harness.VIEWPORT).new_page()
        page_errors = []
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        try:
            hub.open_link_as(page, link, student, PASSWORD)
        except BaseException:
            together.abort()  # the other student stops waiting
            raise
        together.wait(timeout=300)  # both notebooks run at the same time
        started = time.monotonic()
        cells = hub.run_all_cells(page)
        finished = time.monotonic()
        failed = harness.cell_errors(cells)
        assert not failed, f"{student}: notebook 01 failed in the hub: {failed}"
        hub.move_playground(page, cells)
        if note:
            hub.add_note_and_save(page, note, saved_file)
        shown = harness.page_problems(page, harness.FRONTENDS["lab"])
        assert not shown and not page_errors, f"{student}: the page shows {shown} and logged {page_errors[:3]}"
        return {"ran": (started, finished)}


def reopen(student: str, link: str, saved_file: Path) -> list[dict]:
    """After a restart: the student logs in through the same link again; returns the notebook's cells."""
    with harness.chromium() as browser:
        page = browser.new_context(viewport=harness.VIEWPORT).new_page()
        hub.open_link_as(page, link, student, PASSWORD)
        return page.evaluate(harness.FRONTENDS["lab"].cells_js)


def sources(notebook: Path) -> list[str]:
    return ["".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]]


@pytest.mark.hub
def test_two_students_take_the_class_on_jupyterhub(tmp_path):
    require_hub()
    times = {}
    clock = time.monotonic()
    hub.find_node()
    hub.build_proxy(log=lambda line: None)
    course = tmp_path / "upstream" / hub.REPO_NAME  # what the link pulls: this working tree, committed
    hub.snapshot_tree(course)
    with_course = os.environ.get("COURSE_HUB_WITHOUT_COURSE") != "1"
    hub.build_env(course, with_course=with_course, log=lambda line: None)  # the class recipe, in the snapshot
    problem = hub.user_env_problem(str(hub.VENV / "bin" / "python"))
    if problem:
        pytest.fail(problem)
    # installed (not used from the project's folder), and from this working tree as it is now
    where = subprocess.run([str(hub.VENV / "bin" / "python"), "-I", "-c", "import course_utils; "
                            "print(course_utils.__file__)"], capture_output=True, text=True, cwd=tmp_path).stdout
    package = Path(where.strip()).parent
    assert package.is_relative_to(hub.VENV), f"the hub's course_utils is {package}, not an installed copy"
    differ = [str(source.relative_to(ROOT)) for source in sorted((ROOT / "course_utils").rglob("*.py"))
              if (package / source.relative_to(ROOT / "course_utils")).read_bytes() != source.read_bytes()]
    assert not differ, f"the hub's course_utils differs from this working tree in {differ}"
    times["recipe and environment check"] = time.monotonic() - clock

    state, homes = tmp_path / "state", tmp_path / "homes"
    for student in STUDENTS:
        hub.prepare_home(homes, student)
    port = hub.free_port()
    link = hub.nbgitpuller_link(f"http://127.0.0.1:{port}", course.as_uri())
    notebook = {student: homes / student / hub.REPO_NAME / hub.NOTEBOOK for student in STUDENTS}
    first, second = STUDENTS
    note = f"{first} was here ({os.getpid()})"
    student_env = {"COURSE_PROFILE": "quick", "COURSE_OFFLINE": "1"}
    for name in ("COURSE_DATA_DIR",):
        if name in os.environ:
            student_env[name] = os.environ[name]

    clock = time.monotonic()
    with hub.running_hub(state, homes, port, PASSWORD, student_env, HUB_LIFETIME_S):
        together = threading.Barrier(len(STUDENTS))
        with concurrent.futures.ThreadPoolExecutor(len(STUDENTS)) as pool:
            runs = {student: pool.submit(take_the_class, student, link, together,
                                         note if student == first else None, notebook[student])
                    for student in STUDENTS}
            concurrent.futures.wait(runs.values())
    failures = [run.exception() for run in runs.values() if run.exception() is not None]
    # the student who failed first, not the one left waiting for them at the barrier
    failures.sort(key=lambda error: isinstance(error, threading.BrokenBarrierError))
    if failures:
        raise failures[0]
    results = {student: run.result() for student, run in runs.items()}
    times["two students at once"] = time.monotonic() - clock
    (start_a, end_a), (start_b, end_b) = (results[student]["ran"] for student in STUDENTS)
    assert start_a < end_b and start_b < end_a, "the two notebooks ran one after the other, not together"

    for student in STUDENTS:
        assert notebook[student].is_file(), f"{student} has no notebook 01 in a home folder of their own"
    original = sources(course / hub.NOTEBOOK)
    assert note in sources(notebook[first])[0]
    assert sources(notebook[second]) == original, f"{second}'s notebook changed: the students share files"
    assert notebook[first].resolve() != notebook[second].resolve()

    # The instructor updates the course; the hub restarts; the first student clicks the same link again.
    (course / "notebooks" / "update.md").write_text("An update from the instructor.\n")
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "an update")
    clock = time.monotonic()
    with hub.running_hub(state, homes, port, PASSWORD, student_env, HUB_LIFETIME_S):
        cells = reopen(first, link, notebook[first])
    times["restart and the link again"] = time.monotonic() - clock
    assert note in cells[0]["source"], f"{first}'s edit is gone from the notebook after a restart"
    assert note in sources(notebook[first])[0], f"{first}'s saved edit is gone from disk after a restart"
    assert (notebook[first].parent / "update.md").is_file(), "the second click did not pull the course's update"
    print("hub test: " + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in times.items()))
