"""Test-run defaults: the quick profile, no network, a non-interactive plotting backend.

Set here (not only in course.sh) so a plain `pytest` also runs the notebooks
quickly; an explicit COURSE_PROFILE=full still wins.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("COURSE_PROFILE", "quick")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("COURSE_OFFLINE", "1")  # tests never reach for the network


KOREAN_NOTEBOOKS = Path(__file__).resolve().parent / "notebooks" / "ko"


def pytest_ignore_collect(collection_path, config):
    """The Korean notebooks (notebooks/ko) run only when named (``./course.sh test notebooks/ko``, as CI does):
    their code is the English notebooks', which the plain test command runs, so it keeps within its time."""
    korean = KOREAN_NOTEBOOKS == collection_path or KOREAN_NOTEBOOKS in collection_path.parents
    if korean and not any("notebooks/ko" in str(arg).replace(os.sep, "/") for arg in config.args):
        return True
    return None


def pytest_configure(config):
    """With COURSE_TEST_ONLINE=1 (``./course.sh test --colab``) the notebooks' online cells run too, against
    small stand-ins served on loopback (tests/online.py); every test process serves its own copy."""
    if os.environ.get("COURSE_TEST_ONLINE", "").strip() not in ("", "0"):
        from tests.online import start_mirror

        config._course_mirror = start_mirror(os.environ.get("PYTEST_XDIST_WORKER", "main"))


def _nbval_kernel_pid(item) -> int | None:
    """The pid of the kernel nbval runs this cell's notebook in, or None for any other test."""
    kernel = getattr(getattr(item, "parent", None), "kernel", None)
    try:
        return kernel.km.provisioner.process.pid
    except AttributeError:
        return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a notebook's last cell, hold its kernel's peak memory (VmHWM) under the quick profile's ceiling.

    Read while the kernel still runs (nbval stops it in this teardown), judged after, so the kernel always stops."""
    pid = _nbval_kernel_pid(item)
    last_cell = pid is not None and (nextitem is None or nextitem.parent is not item.parent)
    peak = None
    if last_cell and os.environ.get("COURSE_PROFILE") == "quick" and os.path.exists(f"/proc/{pid}/status"):
        from scripts.kernel_memory import peak_mib

        peak = peak_mib(pid)
    result = yield
    if peak is not None:
        from scripts import timings

        ceiling = timings.quick_memory_ceiling(timings.load(), item.parent.path.name)
        assert peak <= ceiling, (
            f"{item.parent.path.name}: the kernel's peak memory in the quick profile was {peak:,.0f} MiB, over its "
            f"ceiling of {ceiling:,.0f} MiB (scripts/timings.py, quick_memory_ceiling): find what holds the memory "
            "with python -m scripts.kernel_memory --profile quick")
    return result
