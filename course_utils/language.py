"""The language a student reads: English (the source) or Korean, chosen by the setup cell.

``setup(language="ko")`` (the Korean notebooks' setup cell) or the environment variable ``COURSE_LANG`` selects
it. Every sentence course_utils shows a student (exercise feedback, hints, widget labels and readouts, setup
messages, plot titles and axis labels, picture descriptions) goes through ``tr``: its English template is the key
of the language's catalog, ``course_utils/locale/ko.po``, read with Babel. Code, identifiers, the errors
``validate`` raises for bad input and the data loaders' errors stay English.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "ko")
SOURCE = "en"
_VARIABLE = "COURSE_LANG"
_CATALOGS = Path(__file__).resolve().parent / "locale"
_chosen: dict[str, str] = {}


def set_language(code: str | None) -> str:
    """Choose the language (``None``: ``COURSE_LANG``, else English); returns the code now in use. Korean also
    gives Matplotlib a font that draws Hangul."""
    if code is None:
        code = os.environ.get(_VARIABLE, "").strip().lower() or SOURCE
        where = f"{_VARIABLE}={code!r}"
    else:
        where = f"setup: language={code!r}"
    if code not in LANGUAGES:
        raise ValueError(f"{where} is not a language of the course; use one of {', '.join(LANGUAGES)}.")
    _chosen["code"] = code
    if code == "ko":
        korean_font()  # every plot from now on may carry Korean titles and labels
    return code


def language() -> str:
    """The language in use: the one chosen last, else ``COURSE_LANG``'s, else English."""
    return _chosen.get("code") or set_language(None)


def catalog_path(code: str) -> Path:
    return _CATALOGS / f"{code}.po"


@cache
def _translations(code: str) -> dict[str, str]:
    """English template -> its translation, for every translated, settled entry of the language's catalog."""
    from babel.messages.pofile import read_po

    with open(catalog_path(code), "rb") as handle:
        catalog = read_po(handle, locale=code)
    return {message.id: message.string for message in catalog
            if message.id and message.string and not message.fuzzy}


def tr(template: str, /, **values) -> str:
    """``template`` in the language in use, its ``{name}`` fields filled from ``values`` (``str.format``).

    An entry the catalog lacks falls back to English, so a new sentence shows before it is translated; the tests
    hold the catalog complete.
    """
    code = language()
    text = template if code == SOURCE else _translations(code).get(template, template)
    return text.format(**values) if values else text


def korean_font() -> None:
    """Let Matplotlib draw Hangul: DejaVu Sans (the English edition's font) first, NanumGothic for what it lacks.

    The font comes with the koreanize-matplotlib package; it is found, not imported, because importing it also
    imports ``distutils``, which Python 3.12 removed.
    """
    from importlib.util import find_spec

    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    spec = find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("The Korean edition draws Hangul with the font of the koreanize-matplotlib "
                                  "package: pip install koreanize-matplotlib (it comes with course_utils).")
    path = Path(spec.submodule_search_locations[0]) / "fonts" / "NanumGothic.ttf"
    if "NanumGothic" not in {font.name for font in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]


def N_(template: str) -> str:
    """Marks a sentence for the catalog that is translated later, where it is shown (an exercise's name and hints
    are defined when the module is imported, before the setup cell may have chosen the language)."""
    return template
