"""The exercise machinery: ``Exercise`` (check, hint, solution) and typed answer readers.

A checker reads each part of the answer with one of the readers below. A reader
returns the answer in a clean form or raises ``Incorrect`` with one sentence that
says what kind of answer is wanted: a whole number, a number to a stated precision,
an array of a given shape, one of a list of words (the words are shown), a function,
or a Keras model (judged by what it computes, not by how its layers are spelled).
So a wrong answer can never pass because of ``int()`` truncation or a lucky type,
and a right answer written another way (4/3 typed as 1.33, ``"Supervised"``,
``Dense`` + ``Activation("softmax")``) is read as right.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ..language import N_, tr
from ..validate import is_number, shown


class _Blank:
    """The placeholder students replace with their answer."""

    def __repr__(self) -> str:
        return "____"


____ = _Blank()


class Incorrect(Exception):
    """Raised by a checker with specific feedback."""


def has_blank(values) -> bool:
    """Is a ____ anywhere in these values (looking inside lists, tuples and dicts)?"""
    for value in values:
        if value is ____:
            return True
        if isinstance(value, dict) and has_blank(value.values()):
            return True
        if isinstance(value, list | tuple) and has_blank(value):
            return True
    return False


# ----------------------------------------------------------------- readers


def _not_a_number_message(value, what: str, wanted: str) -> str | None:
    if value is None:
        return (tr("{what} is None: did a line forget to compute it, or a function to `return` it? Give "
                   "{wanted}.",
                   what=what, wanted=wanted))
    if isinstance(value, str):
        return tr("{what} is the text {value!r}; give {wanted} without quotes.",
                  what=what, value=value, wanted=wanted)
    if isinstance(value, bool | np.bool_):
        return tr("{what} is {value}, a truth value; give {wanted}.", what=what, value=value, wanted=wanted)
    if isinstance(value, dict | list | tuple | set) or np.ndim(value) > 0:
        return tr("{what} is {name_value} {value}; give a single number: {wanted}.",
                  what=what, name_value=type(value).__name__, value=shown(value, 40), wanted=wanted)
    if not is_number(value):
        return tr("{what} is a {name_value}; give {wanted}.",
                  what=what, name_value=type(value).__name__, wanted=wanted)
    if not math.isfinite(float(value)):
        return tr("{what} is {value}; give {wanted}.", what=what, value=float(value), wanted=wanted)
    return None


def _scalar(value):
    """A 0-d NumPy array or framework tensor (what a Keras loss or penalty returns) as a plain Python number."""
    if isinstance(value, str | bytes | numbers.Real) or np.ndim(value) != 0:
        return value
    try:
        return np.asarray(value).item()
    except (TypeError, ValueError):
        return value


def whole_number(value, what: str = N_("your answer")) -> int:
    """A count: an int (or a float such as 47.0); 47.9, '47', None, NaN and [47] are refused."""
    value = _scalar(value)
    problem = _not_a_number_message(value, tr(what), tr("a whole number such as 42"))
    if problem:
        raise Incorrect(problem)
    if float(value) != round(float(value)):
        raise Incorrect(tr("{what} is {value}, which is not a whole number; a count has no fractional part.",
                           what=tr(what), value=value))
    return int(round(float(value)))


def number(value, what: str = N_("your answer")) -> float:
    """A finite real number (int, float, NumPy scalar, or a 0-d array or tensor holding one)."""
    value = _scalar(value)
    problem = _not_a_number_message(value, tr(what), tr("a number such as 0.25"))
    if problem:
        raise Incorrect(problem)
    return float(value)


def is_close(value: float, target: float, decimals: int | None = 2, rel_tol: float | None = None) -> bool:
    """Equal to ``target`` rounded to ``decimals`` places (so 1.33 and 1.333 both match 4/3), or within ``rel_tol``."""
    if rel_tol is not None:
        return math.isclose(value, target, rel_tol=rel_tol, abs_tol=1e-12)
    return abs(value - target) <= 0.5 * 10.0 ** (-decimals) + 1e-12


def array(value, shape: tuple, what: str = N_("your answer")) -> np.ndarray:
    """Numbers in an array (or nested lists) of exactly ``shape``; text inside is refused, not converted."""
    what, wanted = tr(what), tr("numbers in shape {shape}", shape=shape)
    if value is None:
        raise Incorrect(tr("{what} is None: did a line forget to compute it, or a function to `return` it? "
                           "Give {wanted}.",
                           what=what, wanted=wanted))
    if isinstance(value, str | dict):
        raise Incorrect(tr("{what} is a {name_value}; give {wanted}, e.g. a list of lists.",
                           what=what, name_value=type(value).__name__, wanted=wanted))
    try:
        raw = np.asarray(value, dtype=object)
    except ValueError:
        raise Incorrect(tr("{what} has rows of different lengths; give {wanted}.", what=what, wanted=wanted)) from None
    flat = raw.ravel()
    if any(isinstance(item, list | tuple | np.ndarray) for item in flat):
        raise Incorrect(tr("{what} has rows of different lengths; give {wanted}.", what=what, wanted=wanted))
    for item in flat:
        if isinstance(item, str):
            raise Incorrect(tr("{what} holds the text {item!r}; give numbers without quotes.", what=what, item=item))
        if not is_number(item):
            raise Incorrect(tr("{what} holds {item}; give {wanted}.", what=what, item=shown(item, 40), wanted=wanted))
    result = raw.astype(float)
    if result.shape != tuple(shape):
        raise Incorrect(tr("{what} has shape {shape}; give {wanted}.", what=what, shape=result.shape, wanted=wanted))
    if not np.all(np.isfinite(result)):
        raise Incorrect(tr("{what} holds NaN or infinity; give finite numbers.", what=what))
    return result


def word(value, choices: dict, what: str = N_("your answer")) -> str:
    """One of ``choices`` (canonical word -> other accepted spellings); case and spaces do not matter."""
    listed, what = ", ".join(repr(c) for c in choices), tr(what)
    if not isinstance(value, str):
        raise Incorrect(tr("{what} is {value}; give one of these words, in quotes: {listed}.",
                           what=what, value=shown(value, 40), listed=listed))
    given = " ".join(value.strip().lower().replace("-", " ").replace("_", " ").split())
    for canonical, others in choices.items():
        spellings = {canonical, *others}
        if given in {" ".join(s.lower().replace("-", " ").replace("_", " ").split()) for s in spellings}:
            return canonical
    raise Incorrect(tr("{what} is {value!r}, which is not one of the words this exercise uses: {listed}.",
                       what=what, value=value, listed=listed))


def function(value, what: str = N_("your answer")):
    what = tr(what)
    if value is None or not callable(value):
        raise Incorrect(tr("{what} should be your function itself (its name, without brackets), got {value}.",
                           what=what, value=shown(value, 40)))
    return value


def returned(result, what: str = N_("your function")):
    """What a student's function returned; None and ____ mean a missing `return`."""
    what = tr(what)
    if result is None:
        raise Incorrect(tr("{what} returned None: does it end with a `return` line?", what=what))
    if result is ____ or (isinstance(result, tuple | list) and has_blank(result)):
        raise Incorrect(tr("{what} still returns ____; compute the value and return it.", what=what))
    return result


# ----------------------------------------------------------------- exercises


class Verdict:
    """What ``check()`` returns: behaves as True or False, and shows nothing as a cell's last value."""

    def __init__(self, ok: bool):
        self.ok = bool(ok)

    def __bool__(self) -> bool:
        return self.ok

    def __eq__(self, other) -> bool:
        return self.ok == bool(other)

    def __hash__(self) -> int:
        return hash(self.ok)

    def __repr__(self) -> str:
        return repr(self.ok)

    def _ipython_display_(self) -> None:
        pass  # the printed feedback is the answer; an extra "True" or "False" line would only repeat it


@dataclass
class Exercise:
    name: str
    prompt: str
    checker: object  # callable(*answer) -> str (success message) or raises Incorrect
    hints: tuple
    solution_code: str
    example_answer: tuple = ()
    points: int = 1  # what a graded assignment awards for a right answer (course_utils.checks.grading)

    def feedback(self, *answer, **named) -> tuple[bool, str]:
        """(is the answer right?, the message ``check()`` prints). Used by the tests."""
        name = tr(self.name)
        if has_blank(answer) or has_blank(named.values()):
            return False, tr("[{name}] Not answered yet: replace each ____ with your answer, then run the cell.",
                             name=name)
        try:
            message = self.checker(*answer, **named)
        except Incorrect as why:
            return False, tr("[{name}] Not yet: {why}", name=name, why=why)
        except TypeError as error:
            if "positional argument" in str(error) or "keyword argument" in str(error):
                return False, tr("[{name}] Not yet: check() got the wrong number of answers ({error}).",
                                 name=name, error=error)
            return False, tr("[{name}] Not yet: checking your answer raised TypeError: {error}", name=name,
                             error=error)
        except Exception as error:  # the student's code raised: say so instead of a traceback
            return False, tr("[{name}] Not yet: checking your answer raised {kind}: {error}", name=name,
                             kind=type(error).__name__, error=error)
        return True, tr("[{name}] Correct! {message}", name=name, message=message or "").rstrip()

    def check(self, *answer, **named) -> Verdict:
        """Print whether the answer is right and, if not, what is wrong with it.

        Returns a ``Verdict``: true or false like a bool (``if ex.check(...):``), and silent as the last
        line of a cell, where the printed message already says it all.
        """
        ok, message = self.feedback(*answer, **named)
        print(message)
        return Verdict(ok)

    def hint(self, number: int = 1) -> None:
        """Print hint ``number`` (1, 2, ...); out-of-range numbers show the nearest hint."""
        if isinstance(number, str) and number.strip().isdigit():
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, numbers.Real) or not math.isfinite(number):
            print(tr("[{name}] hint() takes a hint number from 1 to {count}, e.g. hint(1).",
                     name=tr(self.name), count=len(self.hints)))
            return
        number = int(min(max(int(number), 1), len(self.hints)))
        print(tr("[{name}] Hint {number}/{count}: {hint}", name=tr(self.name), number=number,
                 count=len(self.hints), hint=tr(self.hints[number - 1])))

    def solution(self) -> None:
        if _withheld_in:
            print(tr("[{name}] The solution is withheld in the graded assignment {withheld_in_value}; check() "
                     "and hint() still help.",
                     name=tr(self.name), withheld_in_value=_withheld_in))
            return
        print(tr("[{name}] One solution:\n{solution_code}", name=tr(self.name), solution_code=self.solution_code))


_withheld_in = ""  # the graded assignment this kernel runs, if any (course_utils.checks.grading.start_assignment)


def choices_table(answers, expected: dict, words: dict, explain, what: str = N_("answers")) -> None:
    """Check a dict that maps each item to one of ``words``; ``explain(item, right, given)`` says why."""
    listed = ", ".join(repr(w) for w in words)
    if not isinstance(answers, dict):
        raise Incorrect(tr("give a dict that maps each item to one of {listed}.", listed=listed))
    for item, right in expected.items():
        if item not in answers:
            raise Incorrect(tr("'{item}' has no answer (copy the items exactly; the words are {listed}).",
                               item=item, listed=listed))
        given = word(answers[item], words, what=tr("the answer for '{item}'", item=item))
        if given != right:
            raise Incorrect(explain(item, right, given))
