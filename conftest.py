"""Test-run defaults: the quick profile, no network, a non-interactive plotting backend.

Set here (not only in course.sh) so a plain `pytest` also runs the notebooks
quickly; an explicit COURSE_PROFILE=full still wins.
"""

import os

os.environ.setdefault("COURSE_PROFILE", "quick")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("COURSE_OFFLINE", "1")  # tests never reach for the network


def pytest_configure(config):
    """With COURSE_TEST_ONLINE=1 (``./course.sh test --colab``) the notebooks' online cells run too, against
    small stand-ins served on loopback (tests/online.py); every test process serves its own copy."""
    if os.environ.get("COURSE_TEST_ONLINE", "").strip() not in ("", "0"):
        from tests.online import start_mirror

        config._course_mirror = start_mirror(os.environ.get("PYTEST_XDIST_WORKER", "main"))
