#!/usr/bin/env bash
# Deep Learning, Hands-On: set up and run the course.
#   ./course.sh lab            open the notebooks in JupyterLab (full profile)
#   ./course.sh test [ARGS]    run the whole test suite (quick profile, browser test included); ARGS go to pytest
#   ./course.sh test --colab   the same tests under Colab's versions (constraints-colab.txt, in .venv-colab),
#                              with the online cells run against stand-ins served on this machine
#   ./course.sh run-notebooks  execute notebooks in place and store their outputs (see scripts/)
# Each command creates .venv on first use, installs pinned versions from
# constraints.txt, and installs the Fashion-MNIST data package if it is missing
# (test also installs Debian's chromium for the browser test).
set -euo pipefail
cd "$(dirname "$0")"

VENV="${COURSE_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"
CONSTRAINTS=constraints.txt
REQUIREMENTS=(-r requirements-dev.txt)
if [ "${1:-}" = test ] && [ "${2:-}" = --colab ]; then
    # Colab's versions; the test tools Colab lacks come pinned from constraints-colab.txt too.
    # notebook 6.5 (as on Colab) is the ipywidgets-7 frontend for the browser test.
    VENV="${COURSE_COLAB_VENV:-.venv-colab}"
    CONSTRAINTS=constraints-colab.txt
    REQUIREMENTS=(-r requirements.txt nbval pytest-xdist playwright notebook)
fi

ensure_env() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "course: creating $VENV"
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
    *)
        sed -n '2,8p' "$0"
        [ "$command" = help ]
        ;;
esac
