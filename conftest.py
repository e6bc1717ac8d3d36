"""Test-run defaults: the quick profile, no network, a non-interactive plotting backend.

Set here (not only in course.sh) so a plain `pytest` also runs the notebooks
quickly; an explicit COURSE_PROFILE=full still wins.
"""

import os

os.environ.setdefault("COURSE_PROFILE", "quick")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("COURSE_OFFLINE", "1")  # tests never reach for the network
