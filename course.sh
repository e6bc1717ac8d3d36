#!/usr/bin/env bash
# Deep Learning, Hands-On: set up and run the course.
#   ./course.sh lab            open the notebooks in JupyterLab (full profile)
#   ./course.sh test [ARGS]    run the whole test suite (quick profile, browser test included); ARGS go to pytest
#   ./course.sh test --colab   the same tests under Colab's versions (constraints-colab.txt, in .venv-colab),
#                              with the online cells run against stand-ins served on this machine
#   ./course.sh run-notebooks  execute notebooks in place and store their outputs (see scripts/)
# Each command creates .venv on first use (with $PYTHON, default python3: Python 3.11 to 3.13), installs pinned
# versions from constraints.txt, and installs the Fashion-MNIST data package if it is missing
# (test also installs Debian's chromium for the browser test).
set -euo pipefail
cd "$(dirname "$0")"

RUN_AS="$*"  # this command's arguments, for messages
VENV="${COURSE_VENV:-.venv}"
PYTHON_CHOSEN="${PYTHON:-}"  # set by the caller: an existing venv must then be of that Python
PYTHON="${PYTHON:-python3}"
OLDEST_PYTHON=3.11  # the pins have wheels for 3.11 to 3.13: NumPy 2.4 needs 3.11, TensorFlow 2.21 stops at 3.13
NEWEST_PYTHON=3.13
CONSTRAINTS=constraints.txt
REQUIREMENTS=(-r requirements-dev.txt)
if [ "${1:-}" = test ] && [ "${2:-}" = --colab ]; then
    # Colab's versions; the test tools Colab lacks come pinned from constraints-colab.txt too.
    # notebook 6.5 (as on Colab) is the ipywidgets-7 frontend for the browser test.
    VENV="${COURSE_COLAB_VENV:-.venv-colab}"
    CONSTRAINTS=constraints-colab.txt
    REQUIREMENTS=(-r requirements.txt nbval pytest-xdist playwright notebook)
fi

python_version() {  # python_version PYTHON: its "major.minor", or nothing when it does not run
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

version_number() {  # version_number 3.11 -> 311, for comparing
    local major="${1%%.*}" minor="${1#*.}"
    echo $((major * 100 + minor))
}

check_python() {  # check_python: stop with one sentence unless $PYTHON runs and is Python 3.11 to 3.13
    local found
    found=$(python_version "$PYTHON")
    if [ -z "$found" ]; then
        echo "course: PYTHON=$PYTHON does not run here; set PYTHON to a Python $OLDEST_PYTHON to $NEWEST_PYTHON" \
             "(e.g. \`PYTHON=python3.11 ./course.sh $RUN_AS\`)." >&2
        exit 1
    elif [ "$(version_number "$found")" -lt "$(version_number "$OLDEST_PYTHON")" ]; then
        echo "course: $PYTHON is Python $found, but the course needs Python $OLDEST_PYTHON to $NEWEST_PYTHON;" \
             "on Ubuntu 22.04 run \`sudo apt-get install python3.11 python3.11-venv\` (Debian 12's and Ubuntu" \
             "24.04's python3 already fit; on older releases use pyenv: \`pyenv install 3.11\`), then" \
             "\`PYTHON=python3.11 ./course.sh $RUN_AS\`." >&2
        exit 1
    elif [ "$(version_number "$found")" -gt "$(version_number "$NEWEST_PYTHON")" ]; then
        echo "course: $PYTHON is Python $found, but the course needs Python $OLDEST_PYTHON to $NEWEST_PYTHON" \
             "(TensorFlow 2.21 has no wheels for newer ones); install Python 3.13 with pyenv" \
             "(\`pyenv install 3.13\`), then \`PYTHON=\$(pyenv prefix 3.13)/bin/python ./course.sh $RUN_AS\`." >&2
        exit 1
    fi
}

check_venv_python() {  # an existing venv: a supported Python, and the one PYTHON names when it is set
    local found wanted
    found=$(python_version "$VENV/bin/python")
    if [ -z "$found" ] || [ "$(version_number "$found")" -lt "$(version_number "$OLDEST_PYTHON")" ] \
            || [ "$(version_number "$found")" -gt "$(version_number "$NEWEST_PYTHON")" ]; then
        echo "course: $VENV holds Python ${found:-that does not run}, but the course needs Python $OLDEST_PYTHON" \
             "to $NEWEST_PYTHON; remove it (\`rm -r $VENV\`) and run again, with PYTHON set to a supported" \
             "Python if python3 is not one." >&2
        exit 1
    fi
    if [ -n "$PYTHON_CHOSEN" ]; then
        wanted=$(python_version "$PYTHON")
        if [ "$wanted" != "$found" ]; then
            echo "course: $VENV holds Python $found but PYTHON=$PYTHON is Python ${wanted:-that does not run};" \
                 "remove $VENV (\`rm -r $VENV\`) to remake it, or set COURSE_VENV to another folder." >&2
            exit 1
        fi
    fi
}

ensure_env() {
    if [ -x "$VENV/bin/python" ]; then
        check_venv_python
    else
        check_python
        echo "course: creating $VENV (Python $(python_version "$PYTHON"))"
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.course-installed" want
    want=$(cat requirements.txt requirements-dev.txt "$CONSTRAINTS" pyproject.toml | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "course: installing packages into $VENV (pinned by $CONSTRAINTS)"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
            "${REQUIREMENTS[@]}" -c "$CONSTRAINTS" -e .
        echo "$want" > "$stamp"
    fi
}

ensure_data() {
    if "$VENV/bin/python" -c "from course_utils.data import find_fashion_mnist as f; raise SystemExit(f() is None)"; then
        return 0
    fi
    echo "course: Fashion-MNIST not found; installing Debian package dataset-fashion-mnist"
    if ! apt_install dataset-fashion-mnist "the course's data"; then
        # the same "off" values as course_utils.data.offline()
        case "$(echo "${COURSE_OFFLINE:-}" | tr '[:upper:]' '[:lower:]' | tr -d '[:space:]')" in
            ""|0|false|no)
                echo "course: no Debian package here; Fashion-MNIST will be downloaded by Keras on first use." >&2
                echo "course: (or set COURSE_DATA_DIR to a folder holding the four Fashion-MNIST .gz files)" >&2 ;;
            *)
                echo "course: could not install dataset-fashion-mnist, and COURSE_OFFLINE forbids downloading." >&2
                echo "course: set COURSE_DATA_DIR to a folder holding the four Fashion-MNIST .gz files." >&2
                return 1 ;;
        esac
    fi
}

apt_install() {  # apt_install PACKAGE WHY: install a Debian package as root or with sudo; fails with a message
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
            echo "course: cannot install $1 ($2) without root. Run: sudo apt-get install $1" >&2
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null; then
        echo "course: no apt-get here; install $1 ($2) with your system's package manager." >&2
        return 1
    fi
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$1" >/dev/null
}

ensure_browser() {
    # The browser test drives Debian's Chromium (never a downloaded browser). Without it the test is skipped,
    # unless COURSE_REQUIRE_BROWSER=1 (CI), where it fails.
    if [ -n "${COURSE_CHROMIUM:-}" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
        return 0
    fi
    echo "course: installing Debian package chromium for the browser test"
    apt_install chromium "the browser test" || {
        echo "course: the browser test will be skipped." >&2
        [ "${COURSE_REQUIRE_BROWSER:-}" != 1 ]
    }
}

ensure_sandbox() {
    # Graded submissions run in bubblewrap's sandbox (scripts/grading_kernel.py); without it the grading tests
    # are skipped, unless COURSE_REQUIRE_SANDBOX=1 (CI), where they fail.
    command -v bwrap >/dev/null && return 0
    echo "course: installing Debian package bubblewrap for the grading tests"
    apt_install bubblewrap "the sandbox that grades submissions" || {
        echo "course: the grading tests will be skipped." >&2
        [ "${COURSE_REQUIRE_SANDBOX:-}" != 1 ]
    }
}

command="${1:-help}"
shift || true
case "$command" in
    lab)
        ensure_env
        ensure_data
        exec "$VENV/bin/jupyter" lab --ServerApp.root_dir=notebooks "$@"
        ;;
    test)
        ensure_env
        ensure_data
        ensure_browser
        ensure_sandbox
        export COURSE_PROFILE="${COURSE_PROFILE:-quick}" MPLBACKEND=Agg
        if [ "${1:-}" = --colab ]; then
            shift
            # Online cells run against small stand-ins on loopback (tests/online.py); the browser test
            # drives the classic Notebook, an ipywidgets-7 frontend like Colab's. Style is checked by plain test.
            export COURSE_TEST_ONLINE=1 COURSE_BROWSER_FRONTEND=classic
        else
            "$VENV/bin/ruff" check --quiet .
        fi
        exec "$VENV/bin/python" -m pytest -n "${COURSE_TEST_WORKERS:-auto}" "$@"
        ;;
    run-notebooks)
        ensure_env
        ensure_data
        exec "$VENV/bin/python" -m scripts.run_notebooks "$@"
        ;;
    help|-h|--help)
        sed -n '2,10p' "$0"
        ;;
    *)
        echo "course: unknown command '$command'; use lab, test, test --colab or run-notebooks" \
             "(./course.sh help says what each does)." >&2
        exit 1
        ;;
esac
