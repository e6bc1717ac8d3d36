"""Test-only download mirror: the online cells run for real against small stand-ins served on this machine.

With ``COURSE_TEST_MIRROR=http://127.0.0.1:PORT`` set (only the course's tests set it), ``setup()`` calls
``activate()``: every download made through ``urllib`` (Keras's ``get_file``, and so
``keras.datasets.cifar10``, ``keras.applications`` weights and ``decode_predictions``' class index) asks that
loopback server for ``/HOST/PATH`` instead of ``https://HOST/PATH``, and ``data.network_reachable`` asks it
instead of the real host. The code that downloads, caches, extracts and loads is the real one; only the bytes
are stand-ins, so Keras's check of a file's published SHA-256 is switched off while the mirror is active.
Students never set the variable; ``setup()`` prints a line when it is set.
"""

from __future__ import annotations

import os
import urllib.request
from urllib.parse import urlsplit

VARIABLE = "COURSE_TEST_MIRROR"
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_active: str | None = None


def base_url() -> str | None:
    """The mirror's base URL from COURSE_TEST_MIRROR, or None; only a loopback http address is accepted."""
    value = os.environ.get(VARIABLE, "").strip().rstrip("/")
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme != "http" or parts.hostname not in _LOOPBACK_HOSTS or parts.port is None:
        raise ValueError(f"{VARIABLE}={value!r} is not a test mirror; use http://127.0.0.1:PORT "
                         "(a server on this machine; only the course's tests set this variable).")
    return value


def mirrored(url: str, base: str) -> str:
    """Where the mirror serves ``url``: ``https://host/path`` -> ``BASE/host/path``. The mirror's own URLs and
    every other loopback URL stay: servers on this machine (a notebook server, a hub) are never stand-ins."""
    if not isinstance(url, str):
        raise TypeError(f"mirrored: url must be a URL string, not {type(url).__name__} {url!r}.")
    parts = urlsplit(url)
    if url.startswith(base + "/") or parts.hostname in _LOOPBACK_HOSTS:
        return url
    query = f"?{parts.query}" if parts.query else ""
    return f"{base}/{parts.netloc}{parts.path}{query}"


class _ToMirror(urllib.request.BaseHandler):
    handler_order = 100  # before every other handler

    def __init__(self, base: str):
        self.base = base

    def _rewrite(self, request):
        request.full_url = mirrored(request.full_url, self.base)
        return request

    http_request = https_request = _rewrite


def activate() -> str | None:
    """Send urllib's downloads to the mirror named by COURSE_TEST_MIRROR; returns its URL, or None if unset."""
    global _active
    base = base_url()
    if base is None or base == _active:
        return base
    urllib.request.install_opener(urllib.request.build_opener(_ToMirror(base)))
    from keras.src.utils import file_utils

    # The stand-ins are not the published files, so their published hashes cannot match.
    file_utils.validate_file = lambda *args, **kwargs: True
    _active = base
    return base
